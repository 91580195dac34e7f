"""The synthetic demo province (`scorecard demo-data`): sample data in every input format.

Everything here is made up and marked as such: unit ids start with ``DEMO-``, the province is
called "Tỉnh Mẫu (DỮ LIỆU MẪU)" and the output folder holds a README saying so.

Two halves, kept apart:

- **generation (pure)**: :func:`build_world` (units, procedures, catalogues, unit profiles),
  :func:`case_chunks` (cases as typed Arrow tables, streamed in day-ordered chunks),
  :func:`build_feedback`, :func:`build_form06`, :func:`build_manual`. Same seed, same values;
  no clock is read anywhere.
- **writing**: :func:`generate_demo` writes the files with byte-stable writers (fixed xlsx
  properties and zip entry dates, no "now" anywhere).

Default ("mixed") layout, to exercise every reader: ``cases_2024.parquet`` (cases received before
2025, English headers, typed timestamps), ``cases_2025.csv`` (Vietnamese one-stop export: headers,
values, dd/mm/yyyy HH:MM dates, UTF-8 with BOM), ``cases_DEMO-H03.xlsx`` (one district's own
cases, Vietnamese headers, Excel date cells and fake personal-data columns) and
``hoso_dvcqg_DEMO-S04.jsonl`` (one department's cases in the national portal's dossier format,
with supplement histories: :mod:`scorecard.demo_dvcqg`), plus the small tables.
A few deliberately bad rows are planted (see :data:`BAD_ROWS`). ``formats="csv"``,
``"parquet"`` or ``"csv,parquet"`` write every case to ``cases.csv`` / ``cases.parquet`` instead
(English headers, ISO timestamps), for benchmarks. In every layout, the inputs of the inspection
leads and the patterns planted for them (``cases_planted.parquet``) come from
:mod:`scorecard.demo_leads`.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from scorecard.periods import parse_period, periods_between

if TYPE_CHECKING:
    from openpyxl import Workbook

# ---------------------------------------------------------------------------------- constants
PROVINCE_ID = "DEMO-TINH"
PROVINCE_NAME = "Tỉnh Mẫu (DỮ LIỆU MẪU)"
#: The district whose own cases go to the xlsx file in the mixed layout.
XLSX_UNIT = "DEMO-H03"
XLSX_FILE = f"cases_{XLSX_UNIT}.xlsx"
#: The department whose cases go to a file in the national portal's dossier format (DVCQG JSON
#: Lines, issue 16) in the mixed layout: its unit is found by name (DonViXuLy), its supplement
#: histories go to case_supplements.
DVCQG_UNIT = "DEMO-S04"
DVCQG_FILE = f"hoso_dvcqg_{DVCQG_UNIT}.jsonl"
#: Reporting quarters covered by the data.
QUARTERS = [p.id for p in periods_between("2024Q1", "2025Q2")]
#: First day a case can be received (late 2023, so 2024Q1 has carried-over cases).
FIRST_DAY = np.datetime64("2023-11-15", "D")
#: Receipts run up to this day inclusive; cases unfinished by its end are pending.
LAST_DAY = np.datetime64("2025-06-30", "D")
DATA_END = (LAST_DAY + 1).astype("datetime64[m]")
_TREND_START = np.datetime64("2024-01-01", "D")
_TREND_DAYS = float((LAST_DAY - _TREND_START).astype(np.int64))
#: Fixed creation date written into file metadata (xlsx properties, zip entries).
FILE_DATE = datetime(2025, 7, 1, 0, 0, 0)
MANUAL_SOURCE = "Báo cáo quý (DỮ LIỆU MẪU)"
CHUNK_ROWS = 250_000
MIN_CASES = 500

#: The optional population-data flags of a case (766 index, digitization group), drawn by
#: :func:`with_citizen_data` from their own random streams.
CITIZEN_DATA_COLUMNS = ("citizen_data_used", "personal_storage_synced")
CASE_COLUMNS = (
    "case_id", "unit_id", "procedure_id", "received_at", "due_at", "resolved_at", "status",
    "channel", "supplement_requests", "digitized", "e_result", "reused_data", "fee_required",
    "paid_online", "apology_issued", "rating", *CITIZEN_DATA_COLUMNS,
    "supplement_requested_at", "applicant_key",  # leads inputs (demo_leads: own random stream)
)
_CASE_FLAGS = ("digitized", "e_result", "reused_data", "fee_required", "paid_online",
               "apology_issued")
BOOL_COLUMNS = (*_CASE_FLAGS, *CITIZEN_DATA_COLUMNS)
TS_COLUMNS = ("received_at", "due_at", "resolved_at", "supplement_requested_at")
STATUSES = ("pending", "resolved", "withdrawn", "refused")
CHANNELS = ("online", "direct", "postal")
RATINGS = ("very_satisfied", "satisfied", "dissatisfied")

_CORE_SCHEMA = pa.schema(
    [("case_id", pa.string()), ("unit_id", pa.string()), ("procedure_id", pa.string())]
    + [(c, pa.timestamp("ms")) for c in TS_COLUMNS[:3]]
    + [("status", pa.string()), ("channel", pa.string()), ("supplement_requests", pa.int32())]
    + [(c, pa.bool_()) for c in _CASE_FLAGS]
    + [("rating", pa.string())]
)
#: Every column of a demo case file: the core columns, then the 766 population-data flags
#: (their own stream), then the leads' inputs (demo_leads: their own stream).
CASE_SCHEMA = pa.schema(
    list(_CORE_SCHEMA)
    + [pa.field(c, pa.bool_()) for c in CITIZEN_DATA_COLUMNS]
    + [pa.field("supplement_requested_at", pa.timestamp("ms")),
       pa.field("applicant_key", pa.string())]
)

#: Vietnamese one-stop export headers (what the readers map back to the English names).
VI_HEADERS = {
    "case_id": "Mã hồ sơ", "unit_id": "Mã đơn vị", "procedure_id": "Mã thủ tục",
    "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả", "resolved_at": "Ngày có kết quả",
    "status": "Trạng thái", "channel": "Kênh tiếp nhận",
    "supplement_requests": "Số lần yêu cầu bổ sung", "digitized": "Số hóa",
    "e_result": "Kết quả điện tử", "reused_data": "Tái sử dụng dữ liệu",
    "fee_required": "Phải nộp phí", "paid_online": "Thanh toán trực tuyến",
    "apology_issued": "Phiếu xin lỗi", "rating": "Mức độ hài lòng",
    "citizen_data_used": "Hồ sơ có sử dụng thông tin, dữ liệu dân cư",
    "personal_storage_synced": "Hồ sơ số hóa được chia sẻ vào kho dữ liệu cá nhân",
    "supplement_requested_at": "Ngày yêu cầu bổ sung", "applicant_key": "Mã bí danh người nộp",
}
VI_STATUS = {"pending": "Đang giải quyết", "resolved": "Đã giải quyết", "withdrawn": "Rút hồ sơ",
             "refused": "Từ chối"}
VI_CHANNEL = {"online": "Trực tuyến", "direct": "Trực tiếp", "postal": "Bưu chính"}
VI_BOOL = {True: "Có", False: "Không"}
VI_RATING = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng",
             "dissatisfied": "Không hài lòng"}
#: Personal-data columns of the xlsx export (readers drop them at read time).
PII_HEADERS = ("Họ và tên", "Số CCCD", "Số điện thoại", "Địa chỉ", "Email")

# ------------------------------------------------------------------------------- bad rows
#: What is wrong with each kind of planted bad row.
BAD_KINDS: dict[str, str] = {
    "due_before_received": "due date before received date",
    "resolved_before_received": "resolved date before received date",
    "resolved_without_date": "status resolved with empty resolved_at",
    "unparseable_date": "unparseable received date (31/02/2025)",
    "unknown_channel": "unknown channel value",
    "unknown_procedure": "unknown procedure_id",
    "duplicate_id": "duplicated case_id (the second of two rows with this id)",
    "unknown_unit": "unknown unit_id",
    "negative_supplements": "negative supplement_requests",
}
_MIXED_BAD_PLAN: tuple[tuple[str, str], ...] = (
    ("cases_2024.parquet", "due_before_received"),
    ("cases_2024.parquet", "resolved_before_received"),
    ("cases_2024.parquet", "resolved_without_date"),
    ("cases_2025.csv", "unparseable_date"),
    ("cases_2025.csv", "unknown_channel"),
    ("cases_2025.csv", "unknown_procedure"),
    ("cases_2025.csv", "duplicate_id"),
    (XLSX_FILE, "unknown_unit"),
    (XLSX_FILE, "negative_supplements"),
)
FEEDBACK_BAD_ID = "DEMO-PAKN-BAD01"
UNKNOWN_UNIT = "DEMO-X9999"
UNKNOWN_PROCEDURE = "9.999999"


def _bad_id(kind: str) -> str:
    return f"DEMO-HS-BAD{list(BAD_KINDS).index(kind) + 1:02d}"


#: The bad rows of the default (mixed) layout: (file, case_id or feedback_id, what is wrong).
#: A loader should reject exactly these rows and nothing else.
BAD_ROWS: list[tuple[str, str, str]] = [
    (f, _bad_id(k), BAD_KINDS[k]) for f, k in _MIXED_BAD_PLAN
] + [("feedback.csv", FEEDBACK_BAD_ID, "resolved date before received date")]

# ---------------------------------------------------------------------------- the province
# (unit suffix, name, fields, relative case volume)
_DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...], float], ...] = (
    ("S01", "Sở Tư pháp", ("tu_phap",), 1.5),
    ("S02", "Sở Xây dựng", ("xay_dung",), 1.0),
    ("S03", "Sở Tài nguyên và Môi trường", ("dat_dai", "moi_truong"), 3.0),
    ("S04", "Sở Kế hoạch và Đầu tư", ("dau_tu", "kinh_doanh"), 2.0),
    ("S05", "Sở Lao động - Thương binh và Xã hội", ("lao_dong", "nguoi_co_cong"), 1.0),
    ("S06", "Sở Giao thông vận tải", ("giao_thong",), 2.5),
    ("S07", "Sở Giáo dục và Đào tạo", ("giao_duc",), 0.5),
    ("S08", "Sở Y tế", ("y_te",), 1.0),
    ("S09", "Sở Công Thương", ("cong_thuong",), 0.6),
    ("S10", "Sở Nông nghiệp và Phát triển nông thôn", ("nong_nghiep",), 0.6),
    ("S11", "Sở Văn hóa, Thể thao và Du lịch", ("van_hoa",), 0.4),
    ("S12", "Sở Tài chính", ("tai_chinh",), 0.3),
    ("S13", "Sở Thông tin và Truyền thông", ("thong_tin_truyen_thong",), 0.2),
    ("S14", "Sở Nội vụ", ("noi_vu",), 0.3),
    ("S15", "Sở Khoa học và Công nghệ", ("khoa_hoc_cong_nghe",), 0.2),
)
_DISTRICTS = ("Thành phố Mẫu Sơn", "Thị xã Bình An", "Huyện An Phú", "Huyện Tân Lộc",
              "Huyện Hòa Thịnh", "Huyện Phú Mỹ", "Huyện Long Hưng", "Huyện Vĩnh Thạnh")
_COMMUNES_PER_DISTRICT = 15
_NAME_A = ("An", "Bình", "Tân", "Phú", "Hòa", "Thạnh", "Long", "Mỹ", "Hưng", "Phước", "Thuận",
           "Vĩnh", "Đông", "Tây", "Nam", "Bắc", "Trung", "Quang", "Minh", "Hiệp")
_NAME_B = ("Hòa", "Lợi", "Thành", "Phú", "Hưng", "Lộc", "Thịnh", "An", "Bình", "Đức", "Tiến",
           "Phong", "Sơn", "Hải", "Lâm")

# field -> level -> procedure names (level: province = departments, district, commune)
_PROCEDURES: dict[str, dict[str, tuple[str, ...]]] = {
    "dat_dai": {
        "province": (
            "Giao đất, cho thuê đất cho tổ chức không thông qua đấu giá quyền sử dụng đất",
            "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với tổ chức",
            "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu cho tổ chức",
            "Gia hạn sử dụng đất ngoài khu công nghệ cao, khu kinh tế",
            "Thu hồi đất do chấm dứt việc sử dụng đất theo pháp luật, tự nguyện trả lại đất",
            "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
            "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
            "Cung cấp thông tin, dữ liệu đất đai",
            "Đính chính Giấy chứng nhận đã cấp",
        ),
        "district": (
            "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân",
            "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân",
            "Đăng ký biến động do chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất",
            "Tách thửa hoặc hợp thửa đất",
            "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
            "Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất",
            "Giao đất, cho thuê đất cho hộ gia đình, cá nhân",
        ),
        "commune": (
            "Hòa giải tranh chấp đất đai",
            "Xác nhận hiện trạng sử dụng đất",
        ),
    },
    "moi_truong": {
        "province": (
            "Cấp giấy phép môi trường thuộc thẩm quyền của Ủy ban nhân dân cấp tỉnh",
            "Thẩm định báo cáo đánh giá tác động môi trường",
            "Cấp giấy phép khai thác khoáng sản",
            "Cấp giấy phép khai thác, sử dụng nước mặt",
            "Cấp giấy phép thăm dò nước dưới đất",
            "Đăng ký khai thác nước dưới đất",
        ),
        "district": ("Cấp giấy phép môi trường thuộc thẩm quyền của Ủy ban nhân dân cấp huyện",),
    },
    "xay_dung": {
        "province": (
            "Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II",
            "Cấp giấy phép xây dựng sửa chữa, cải tạo công trình",
            "Điều chỉnh giấy phép xây dựng",
            "Gia hạn giấy phép xây dựng",
            "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng",
            "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
            "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
            "Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III",
            "Kiểm tra công tác nghiệm thu hoàn thành công trình",
            "Cấp giấy phép di dời công trình",
            "Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, cho thuê mua",
        ),
        "district": (
            "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
            "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ",
            "Gia hạn giấy phép xây dựng nhà ở riêng lẻ",
            "Cấp lại giấy phép xây dựng",
            "Thẩm định báo cáo kinh tế - kỹ thuật đầu tư xây dựng",
        ),
    },
    "dau_tu": {
        "province": (
            "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
            "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư",
            "Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
            "Điều chỉnh dự án đầu tư trong trường hợp chuyển nhượng dự án đầu tư",
            "Gia hạn thời hạn hoạt động của dự án đầu tư",
            "Chấm dứt hoạt động của dự án đầu tư",
            "Cấp lại hoặc hiệu đính thông tin trên Giấy chứng nhận đăng ký đầu tư",
            "Thẩm định dự án đầu tư theo phương thức đối tác công tư",
        ),
    },
    "kinh_doanh": {
        "province": (
            "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
            "Đăng ký thành lập công ty cổ phần",
            "Đăng ký thành lập doanh nghiệp tư nhân",
            "Đăng ký thay đổi người đại diện theo pháp luật của công ty",
            "Đăng ký thay đổi vốn điều lệ, tỷ lệ vốn góp",
            "Thông báo tạm ngừng kinh doanh",
            "Giải thể doanh nghiệp",
            "Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
            "Cấp lại Giấy chứng nhận đăng ký doanh nghiệp",
        ),
        "district": (
            "Đăng ký thành lập hộ kinh doanh",
            "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
            "Tạm ngừng hoạt động hộ kinh doanh",
            "Chấm dứt hoạt động hộ kinh doanh",
            "Đăng ký thành lập hợp tác xã",
        ),
    },
    "tu_phap": {
        "province": (
            "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
            "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng",
            "Đăng ký hành nghề và cấp Thẻ luật sư",
            "Thành lập Văn phòng công chứng",
            "Đăng ký hoạt động Văn phòng công chứng",
            "Đăng ký hành nghề và cấp Thẻ công chứng viên",
            "Cấp giấy đăng ký hoạt động của Trung tâm tư vấn pháp luật",
            "Đăng ký hoạt động của Văn phòng thừa phát lại",
            "Thay đổi nội dung đăng ký hoạt động của tổ chức hành nghề luật sư",
        ),
        "district": (
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của nước ngoài cấp",
            "Chứng thực chữ ký người dịch",
            "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        ),
        "commune": (
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
            "Chứng thực chữ ký trong các giấy tờ, văn bản",
            "Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất, nhà ở",
            "Chứng thực di chúc",
            "Chứng thực văn bản thỏa thuận phân chia di sản",
        ),
    },
    "ho_tich": {
        "district": (
            "Đăng ký khai sinh có yếu tố nước ngoài",
            "Đăng ký kết hôn có yếu tố nước ngoài",
            "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
            "Ghi vào Sổ hộ tịch việc ly hôn đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
            "Đăng ký khai tử có yếu tố nước ngoài",
        ),
        "commune": (
            "Đăng ký khai sinh",
            "Đăng ký kết hôn",
            "Đăng ký khai tử",
            "Đăng ký nhận cha, mẹ, con",
            "Đăng ký giám hộ",
            "Cấp bản sao trích lục hộ tịch",
            "Cấp Giấy xác nhận tình trạng hôn nhân",
            "Đăng ký lại khai sinh",
            "Liên thông các thủ tục đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
            "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        ),
    },
    "lao_dong": {
        "province": (
            "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
            "Cấp lại giấy phép lao động cho người lao động nước ngoài",
            "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
            "Giải quyết hưởng trợ cấp thất nghiệp",
            "Đăng ký nội quy lao động của doanh nghiệp",
            "Cấp giấy phép hoạt động dịch vụ việc làm",
            "Đăng ký hoạt động giáo dục nghề nghiệp trình độ sơ cấp",
        ),
    },
    "bao_tro_xa_hoi": {
        "district": (
            "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
            "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
            "Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội",
            "Đổi, cấp lại Giấy xác nhận khuyết tật",
        ),
        "commune": (
            "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
            "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng",
            "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
        ),
    },
    "nguoi_co_cong": {
        "province": (
            "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
            "Công nhận và giải quyết chế độ người hoạt động kháng chiến bị nhiễm chất độc hóa học",
            "Cấp giấy chứng nhận thân nhân liệt sĩ",
        ),
    },
    "giao_thong": {
        "province": (
            "Cấp mới Giấy phép lái xe",
            "Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp",
            "Cấp lại Giấy phép lái xe",
            "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô",
            "Cấp phù hiệu xe ô tô kinh doanh vận tải",
            "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn",
            "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ",
            "Cấp giấy chứng nhận đăng ký xe máy chuyên dùng lần đầu",
            "Đổi Giấy phép lái xe do cơ quan có thẩm quyền của nước ngoài cấp",
        ),
        "district": (
            "Cấp giấy phép thi công công trình trên đường bộ đang khai thác thuộc phạm vi quản lý của cấp huyện",
            "Đăng ký phương tiện thủy nội địa lần đầu",
        ),
    },
    "giao_duc": {
        "province": (
            "Công nhận trường trung học đạt chuẩn quốc gia",
            "Cấp phép hoạt động giáo dục kỹ năng sống",
            "Cho phép thành lập trung tâm ngoại ngữ, tin học",
            "Chuyển trường đối với học sinh trung học phổ thông",
            "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
            "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        ),
        "district": (
            "Chuyển trường đối với học sinh trung học cơ sở",
            "Cho phép trường mầm non hoạt động giáo dục",
            "Thành lập trường mầm non, trường tiểu học, trường trung học cơ sở tư thục",
            "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú",
        ),
        "commune": ("Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động",),
    },
    "y_te": {
        "province": (
            "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
            "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa",
            "Cấp Chứng chỉ hành nghề dược",
            "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược",
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            "Tiếp nhận bản tự công bố sản phẩm",
            "Cấp giấy xác nhận nội dung quảng cáo mỹ phẩm",
            "Đăng ký bản công bố sản phẩm dinh dưỡng y học",
        ),
        "district": (
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống",
        ),
    },
    "cong_thuong": {
        "province": (
            "Cấp Giấy phép bán buôn sản phẩm rượu",
            "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu",
            "Cấp Giấy phép hoạt động điện lực",
            "Đăng ký thực hiện khuyến mại",
            "Cấp Giấy phép lập cơ sở bán lẻ",
            "Cấp Giấy chứng nhận đủ điều kiện sản xuất hóa chất",
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm thuộc ngành công thương",
        ),
        "district": (
            "Cấp Giấy phép bán lẻ rượu",
            "Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
            "Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
        ),
    },
    "nong_nghiep": {
        "province": (
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản",
            "Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh",
            "Cấp giấy phép khai thác thủy sản",
            "Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật",
            "Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón",
            "Phê duyệt phương án khai thác thực vật rừng",
            "Cấp chứng chỉ hành nghề thú y",
        ),
        "district": (
            "Phê duyệt kế hoạch khuyến nông địa phương",
            "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai",
        ),
        "commune": ("Xác nhận nguồn gốc lâm sản",),
    },
    "van_hoa": {
        "province": (
            "Cấp giấy phép tổ chức lễ hội",
            "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa",
            "Công nhận hạng cơ sở lưu trú du lịch",
            "Cấp giấy phép triển lãm mỹ thuật",
            "Cấp thẻ hướng dẫn viên du lịch",
            "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao",
            "Cấp giấy phép phổ biến phim",
        ),
        "district": ("Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",),
        "commune": (
            "Xét tặng danh hiệu Gia đình văn hóa hằng năm",
            "Thông báo tổ chức lễ hội cấp xã",
            "Đăng ký hoạt động thư viện tư nhân có vốn sách ban đầu từ 500 bản đến dưới 1.000 bản",
        ),
    },
    "tai_chinh": {
        "province": (
            "Đăng ký mã số đơn vị có quan hệ với ngân sách",
            "Quyết toán vốn đầu tư dự án hoàn thành",
            "Xác lập quyền sở hữu toàn dân về tài sản",
            "Mua hóa đơn lẻ",
        ),
    },
    "thong_tin_truyen_thong": {
        "province": (
            "Cấp giấy phép hoạt động in",
            "Cấp giấy phép xuất bản bản tin",
            "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp",
            "Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh",
            "Đăng ký hoạt động cơ sở in",
        ),
    },
    "noi_vu": {
        "province": (
            "Thành lập hội",
            "Phê duyệt điều lệ hội",
            "Công nhận quỹ đủ điều kiện hoạt động và công nhận thành viên Hội đồng quản lý quỹ",
            "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh",
            "Thi tuyển công chức",
            "Chấp thuận tổ chức cuộc lễ ngoài cơ sở tôn giáo",
        ),
        "district": (
            "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện",
            "Đăng ký bổ sung hoạt động tín ngưỡng",
        ),
        "commune": (
            "Đăng ký hoạt động tín ngưỡng",
            "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
        ),
    },
    "khoa_hoc_cong_nghe": {
        "province": (
            "Cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán trong y tế)",
            "Cấp chứng chỉ nhân viên bức xạ",
            "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
            "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
            "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá",
            "Kiểm tra nhà nước về chất lượng hàng hóa nhóm 2 nhập khẩu",
        ),
    },
}
_LONG_FIELDS = ("dat_dai", "dau_tu", "xay_dung", "moi_truong")

# Public holidays (days off) of the covered years, for due dates in working days.
_HOLIDAYS = np.array(
    ["2023-01-02", "2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13",
     "2024-02-14", "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02",
     "2024-09-03", "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30",
     "2025-01-31", "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01",
     "2025-09-02", "2026-01-01"], dtype="datetime64[D]")
_BUSDAYS = np.busdaycalendar(holidays=_HOLIDAYS)

# Profile parameters drawn per unit: (value at 2024-01, value at 2025-06); linear in between.
_PROFILE_KEYS = ("late", "early", "online", "digitized", "e_result", "reuse", "pay_online",
                 "apology", "dissatisfied", "rated", "supp1", "supp2", "stuck")


# ------------------------------------------------------------------------------- the world
@dataclass
class World:
    """The catalogue side of the province and what drives case generation."""

    units: pd.DataFrame            # unit_id, name, level, parent_id
    procedures: pd.DataFrame       # the procedures.csv columns
    unit_procedures: pd.DataFrame  # unit_id, procedure_id
    proc_days: np.ndarray          # processing days per procedure (working days)
    tier: np.ndarray               # per unit: 'excellent' | 'typical' | 'weak' | ''
    profile: dict[str, np.ndarray]  # key -> (n_units, 2) start/end values
    pair_unit: np.ndarray          # (unit index, procedure index, weight) of case volumes
    pair_proc: np.ndarray
    pair_weight: np.ndarray
    aggregate_units: list[str]     # communes that report only Biểu 06 rows

    def units_of_tier(self, tier: str) -> list[str]:
        return self.units.loc[self.tier == tier, "unit_id"].tolist()


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng([seed, *stream])


def _build_units(rng: np.random.Generator) -> pd.DataFrame:
    rows = [(PROVINCE_ID, PROVINCE_NAME, "province", None)]
    rows += [(f"DEMO-{s}", name, "department", PROVINCE_ID) for s, name, _, _ in _DEPARTMENTS]
    combos = [f"{a} {b}" for a in _NAME_A for b in _NAME_B if a != b]
    names = rng.choice(len(combos), size=len(_DISTRICTS) * _COMMUNES_PER_DISTRICT, replace=False)
    k = 0
    for d, dname in enumerate(_DISTRICTS, start=1):
        did = f"DEMO-H{d:02d}"
        rows.append((did, dname, "district", PROVINCE_ID))
        urban = not dname.startswith("Huyện")
        for c in range(1, _COMMUNES_PER_DISTRICT + 1):
            kind = "Phường" if urban else ("Thị trấn" if c == 1 else "Xã")
            rows.append((f"DEMO-X{d:02d}{c:02d}", f"{kind} {combos[names[k]]}", "commune", did))
            k += 1
    return pd.DataFrame(rows, columns=["unit_id", "name", "level", "parent_id"])


def _build_procedures(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Procedures, their processing days and their level (province/district/commune)."""
    recs = []
    for fcode, by_level in _PROCEDURES.items():
        for level, names in by_level.items():
            recs += [(name, fcode, level) for name in names]
    n = len(recs)
    numbers = rng.choice(np.arange(100, 5000), size=n, replace=False)
    prefix = rng.choice(np.array([1, 2]), size=n, p=[0.8, 0.2])
    level = np.array([r[2] for r in recs])
    online_p = {"province": [0.6, 0.3, 0.1], "district": [0.5, 0.35, 0.15],
                "commune": [0.45, 0.4, 0.15]}
    online = np.empty(n, dtype=object)
    for lv, p in online_p.items():
        m = level == lv
        online[m] = rng.choice(np.array(["full", "partial", "none"]), size=m.sum(), p=p)
    fee_p = np.select([level == "province", level == "district"], [0.45, 0.35], 0.25)
    has_fee = rng.random(n) < fee_p
    four_p = np.where(level == "commune", 0.3, np.where(level == "district", 0.2, 0.12))
    days = np.empty(n, dtype=np.int64)
    for i, (_, fcode, lv) in enumerate(recs):
        if lv == "commune":
            choices = (1, 2, 3, 5)
        elif lv == "district":
            choices = (10, 15, 20, 30) if fcode in _LONG_FIELDS else (3, 5, 7, 10, 15)
        else:
            choices = (15, 20, 30) if fcode in _LONG_FIELDS else (5, 7, 10, 15, 20)
        days[i] = choices[rng.integers(len(choices))]
    df = pd.DataFrame({
        "procedure_id": [f"{a}.{b:06d}" for a, b in zip(prefix, numbers, strict=True)],
        "name": [r[0] for r in recs],
        "field": [r[1] for r in recs],
        "online_service": online.astype(str),
        "has_fee": has_fee,
        "payment_integrated": has_fee & (rng.random(n) < 0.75),
        "at_one_stop": ~((level == "province") & (rng.random(n) < 0.08)),
        "four_on_spot": rng.random(n) < four_p,
        "has_sample_dossier": rng.random(n) < 0.7,
        "e_process_configured": rng.random(n) < 0.85,
    })
    return df, days, level


def _draw_profiles(units: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    n = len(units)
    level = units["level"].to_numpy()
    tier = np.full(n, "typical", dtype=object)
    tier[level == "province"] = ""
    for lv, n_exc, n_weak in (("department", 2, 2), ("district", 1, 1), ("commune", 8, 10)):
        idx = np.flatnonzero(level == lv)
        if lv == "district":  # keep the xlsx district ordinary
            idx = idx[units["unit_id"].to_numpy()[idx] != XLSX_UNIT]
        picked = rng.choice(idx, size=n_exc + n_weak, replace=False)
        tier[picked[:n_exc]] = "excellent"
        tier[picked[n_exc:]] = "weak"
    u = lambda a, b: rng.uniform(a, b, n)  # noqa: E731
    start = {
        "late": u(0.03, 0.12), "early": u(0.45, 0.7), "online": u(0.25, 0.55),
        "digitized": u(0.55, 0.9), "e_result": u(0.5, 0.9), "reuse": u(0.2, 0.6),
        "pay_online": u(0.3, 0.7), "apology": np.where(rng.random(n) < 0.3, 1.0, u(0.4, 0.95)),
        "dissatisfied": u(0.005, 0.06), "rated": u(0.25, 0.6), "supp1": u(0.05, 0.18),
        "supp2": u(0.005, 0.04), "stuck": u(0.0, 0.005),
    }
    end = {
        "late": start["late"] * u(0.15, 0.6),
        "early": np.minimum(0.95, start["early"] + u(0.0, 0.25)),
        "online": np.minimum(0.97, start["online"] + u(0.1, 0.4)),
        "digitized": np.minimum(1.0, start["digitized"] + u(0.05, 0.4)),
        "e_result": np.minimum(1.0, start["e_result"] + u(0.05, 0.4)),
        "reuse": np.minimum(0.98, start["reuse"] + u(0.1, 0.4)),
        "pay_online": np.minimum(0.99, start["pay_online"] + u(0.1, 0.35)),
        "apology": start["apology"],
        "dissatisfied": start["dissatisfied"] * u(0.3, 1.0),
        "rated": start["rated"], "supp1": start["supp1"], "supp2": start["supp2"],
        "stuck": start["stuck"],
    }
    fixed = {
        "excellent": {"late": (0, 0), "early": (0.75, 0.9), "online": (0.85, 0.97),
                      "digitized": (1, 1), "e_result": (1, 1), "reuse": (0.88, 0.97),
                      "pay_online": (0.9, 0.98), "apology": (1, 1), "dissatisfied": (0, 0),
                      "rated": (0.5, 0.6), "supp1": (0.05, 0.05), "supp2": (0, 0),
                      "stuck": (0, 0)},
        "weak": {"late": (0.22, 0.14), "early": (0.25, 0.35), "online": (0.1, 0.25),
                 "digitized": (0.35, 0.55), "e_result": (0.25, 0.5), "reuse": (0.05, 0.2),
                 "pay_online": (0.15, 0.35), "apology": (0.2, 0.3),
                 "dissatisfied": (0.08, 0.06), "rated": (0.3, 0.3), "supp1": (0.2, 0.2),
                 "supp2": (0.06, 0.06), "stuck": (0.02, 0.02)},
    }
    profile = {}
    for key in _PROFILE_KEYS:
        arr = np.stack([start[key], end[key]], axis=1)
        for t, values in fixed.items():
            arr[tier == t] = values[key]
        profile[key] = arr
    return tier, profile


def build_world(seed: int = 2025) -> World:
    """Units, procedures, catalogues and per-unit behaviour of the demo province (pure)."""
    rng = _rng(seed, 1)
    units = _build_units(rng)
    procs, days, plevel = _build_procedures(rng)
    tier, profile = _draw_profiles(units, rng)
    unit_idx = {u: i for i, u in enumerate(units["unit_id"])}
    fields = procs["field"].to_numpy()
    pu, pp = [], []
    for s, _, dfields, _ in _DEPARTMENTS:
        mine = np.flatnonzero(np.isin(fields, dfields) & (plevel == "province"))
        pu += [unit_idx[f"DEMO-{s}"]] * len(mine)
        pp += mine.tolist()
    for lv in ("district", "commune"):
        cand = np.flatnonzero(plevel == lv)
        for uid in units.loc[units["level"] == lv, "unit_id"]:
            keep = cand[rng.random(len(cand)) < 0.95]
            pu += [unit_idx[uid]] * len(keep)
            pp += keep.tolist()
    pair_unit, pair_proc = np.array(pu), np.array(pp)
    # volumes: unit weight x Zipf-like procedure weight; a few catalogue items never get cases
    level = units["level"].to_numpy()
    unit_w = np.where(level == "district", 1.4 * rng.lognormal(0, 0.25, len(units)),
                      0.12 * rng.lognormal(0, 0.5, len(units)))
    for s, _, _, vol in _DEPARTMENTS:
        unit_w[unit_idx[f"DEMO-{s}"]] = vol * rng.lognormal(0, 0.15)
    unit_w[level == "province"] = 0.0
    communes = units.loc[(units["level"] == "commune")
                         & (units["parent_id"] != XLSX_UNIT)
                         & (tier == "typical"), "unit_id"].to_numpy()
    aggregate = sorted(rng.choice(communes, size=4, replace=False).tolist())
    for uid in aggregate:
        unit_w[unit_idx[uid]] = 0.0
    pair_w = np.zeros(len(pair_unit))
    for ui in np.unique(pair_unit):
        rows = np.flatnonzero(pair_unit == ui)
        w = 1.0 / (1.0 + rng.permutation(len(rows))) ** 1.1
        unused = rng.random(len(rows)) < 0.06
        if len(rows) >= 3 and not unused.any():
            unused[rng.integers(len(rows))] = True
        w[unused] = 0.0
        pair_w[rows] = unit_w[ui] * w / w.sum()
    up = pd.DataFrame({"unit_id": units["unit_id"].to_numpy()[pair_unit],
                       "procedure_id": procs["procedure_id"].to_numpy()[pair_proc]})
    procs["citizen_data_connected"] = citizen_data_connected(procs, seed)
    return World(units=units, procedures=procs, unit_procedures=up, proc_days=days, tier=tier,
                 profile=profile, pair_unit=pair_unit, pair_proc=pair_proc, pair_weight=pair_w,
                 aggregate_units=aggregate)


# ----------------------------------------------------------------------------------- cases
def _working_days(first: np.datetime64, last: np.datetime64) -> np.ndarray:
    days = np.arange(first, last + 1, dtype="datetime64[D]")
    return days[np.is_busday(days, busdaycal=_BUSDAYS)]


def _office_minutes(rng: np.random.Generator, n: int, afternoon_end: int = 1020) -> np.ndarray:
    """Minutes after midnight within office hours (07:30-11:30, 13:30-afternoon_end)."""
    morning = rng.random(n) < 0.6
    return np.where(morning, rng.integers(450, 690, n), rng.integers(810, afternoon_end, n))


def _trend(profile: dict[str, np.ndarray], key: str, unit: np.ndarray, t: np.ndarray) -> np.ndarray:
    a = profile[key][unit, 0]
    return a + (profile[key][unit, 1] - a) * t


def _day_chunks(seed: int, cases: int, chunk_rows: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Working days with their case counts, grouped into consecutive chunks of ~chunk_rows."""
    days = _working_days(FIRST_DAY, LAST_DAY)
    t = np.clip((days - _TREND_START).astype(float) / _TREND_DAYS, 0, 1)
    weight = 1.0 + 0.3 * t
    counts = _rng(seed, 2).multinomial(cases, weight / weight.sum())
    chunks, start, acc = [], 0, 0
    for i, c in enumerate(counts):
        acc += c
        if acc >= chunk_rows or i == len(counts) - 1:
            chunks.append((days[start:i + 1], counts[start:i + 1]))
            start, acc = i + 1, 0
    return chunks


def _fixed_strings(buf: np.ndarray) -> pa.Array:
    """An Arrow string array from an (n, width) uint8 matrix of ASCII characters."""
    n, width = buf.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets),
                                                  pa.py_buffer(np.ascontiguousarray(buf))])


def _put_digits(buf: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    for k in range(width):
        buf[:, col + width - 1 - k] = 48 + (values // 10**k) % 10


def _case_ids(first_seq: int, n: int) -> pa.Array:
    prefix = b"DEMO-HS-"
    buf = np.empty((n, len(prefix) + 10), dtype=np.uint8)
    buf[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    _put_digits(buf, len(prefix), np.arange(first_seq, first_seq + n, dtype=np.int64), 10)
    return _fixed_strings(buf)


def _case_chunk(world: World, rng: np.random.Generator, days: np.ndarray, counts: np.ndarray,
                first_seq: int, unit_ids: pa.Array, proc_ids: pa.Array,
                proc_online_cap: np.ndarray, proc_fee: np.ndarray) -> pa.Table:
    n = int(counts.sum())
    rday = np.repeat(days, counts)
    received = rday.astype("datetime64[m]") + _office_minutes(rng, n, 990)
    order = np.argsort(received, kind="stable")
    received, rday = received[order], rday[order]
    pair = rng.choice(len(world.pair_weight), size=n, p=world.pair_weight / world.pair_weight.sum())
    unit, proc = world.pair_unit[pair], world.pair_proc[pair]
    t = np.clip((rday - _TREND_START).astype(float) / _TREND_DAYS, 0, 1)
    P = lambda key: _trend(world.profile, key, unit, t)  # noqa: E731

    tod = received - rday.astype("datetime64[m]")
    dday = np.busday_offset(rday, world.proc_days[proc], roll="forward", busdaycal=_BUSDAYS)
    due = dday.astype("datetime64[m]") + tod

    u = rng.random((9, n))
    supp = (u[0] < P("supp1") + P("supp2")).astype(np.int32) + (u[0] < P("supp2")) \
        + (u[0] < 0.3 * P("supp2"))
    residual = u[1] < 0.02
    late = ~residual & (u[2] < np.clip(P("late") * (1 + 0.5 * supp), 0, 1))
    stuck = late & (u[3] < P("stuck") / np.maximum(P("late"), 1e-9))
    early = ~residual & ~late & (u[4] < P("early"))
    span = np.busday_count(rday, dday, busdaycal=_BUSDAYS)  # >= 1
    k_early = np.minimum((u[5] * span).astype(np.int64), np.maximum(span - 1, 0))
    k_late = 1 + rng.geometric(0.35, n) + np.where(stuck, rng.integers(20, 120, n), 0)
    k_resid = (u[5] * (span + 1)).astype(np.int64)
    fday = np.where(early, np.busday_offset(rday, k_early, busdaycal=_BUSDAYS), dday)
    fday = np.where(late, np.busday_offset(dday, k_late, busdaycal=_BUSDAYS), fday)
    fday = np.where(residual, np.busday_offset(rday, k_resid, busdaycal=_BUSDAYS), fday)
    finish = fday.astype("datetime64[m]") + _office_minutes(rng, n)
    ontime = ~residual & ~late & ~early
    exact = ontime & (u[6] < 0.12)
    night = ontime & (u[6] >= 0.12) & (u[6] < 0.2)
    finish = np.where(exact, due, finish)
    finish = np.where(night, fday.astype("datetime64[m]") + rng.integers(1380, 1440, n), finish)
    same_day = fday == rday
    finish = np.where(same_day & (finish <= received),
                      received + rng.integers(10, 150, n).astype("timedelta64[m]"), finish)
    pending = finish >= DATA_END
    resolved_at = np.where(pending, np.datetime64("NaT"), finish)
    status = np.where(residual, np.where(u[7] < 0.6, 2, 3), 1)
    status = np.where(pending, 0, status)
    is_resolved = status == 1

    cap = proc_online_cap[proc]
    online = u[8] < P("online") * cap
    channel = np.where(online, 0, np.where(rng.random(n) < 0.05, 2, 1))
    v = rng.random((6, n))
    digitized = v[0] < P("digitized")
    e_result = is_resolved & (v[1] < P("e_result"))
    reused = v[2] < P("reuse")
    fee = proc_fee[proc] & (v[3] < 0.97)
    paid = fee & (v[4] < P("pay_online"))
    overdue_pending = pending & (due < DATA_END)
    apology = ((late & is_resolved) | overdue_pending) & (v[5] < P("apology"))
    w = rng.random((3, n))
    rated = is_resolved & (w[0] < P("rated"))
    p_dis = np.where(late, np.maximum(P("dissatisfied"), 0.3), P("dissatisfied"))
    rating = np.where(~rated, -1, np.where(w[1] < p_dis, 2, np.where(w[2] < 0.4, 0, 1)))

    def ts(a: np.ndarray) -> pa.Array:
        return pa.array(a.astype("datetime64[ms]"), from_pandas=True)

    rating_arr = pc.take(pa.array(RATINGS), pa.array(np.where(rating < 0, 0, rating)))
    rating_arr = pc.if_else(pa.array(rating < 0), pa.scalar(None, pa.string()), rating_arr)
    return pa.table([
        _case_ids(first_seq, n), pc.take(unit_ids, pa.array(unit)),
        pc.take(proc_ids, pa.array(proc)), ts(received), ts(due), ts(resolved_at),
        pc.take(pa.array(STATUSES), pa.array(status)),
        pc.take(pa.array(CHANNELS), pa.array(channel)), pa.array(supp.astype(np.int32)),
        pa.array(digitized), pa.array(e_result), pa.array(reused), pa.array(fee),
        pa.array(paid), pa.array(apology), rating_arr,
    ], schema=_CORE_SCHEMA)


def case_chunks(world: World, seed: int, cases: int,
                chunk_rows: int = CHUNK_ROWS) -> Iterator[pa.Table]:
    """The cases as typed Arrow tables (English columns), ordered by received time (pure).

    Yields about ``chunk_rows`` rows at a time and exactly ``cases`` rows in all; each chunk
    has its own random stream, so memory stays bounded whatever ``cases`` is.
    """
    from scorecard.demo_leads import add_lead_columns

    unit_ids = pa.array(world.units["unit_id"].tolist())
    proc_ids = pa.array(world.procedures["procedure_id"].tolist())
    cap = world.procedures["online_service"].map({"full": 1.0, "partial": 0.85, "none": 0.0})
    fee = world.procedures["has_fee"].to_numpy(dtype=bool)
    seq = 1
    shares = citizen_data_shares(world, seed)
    for k, (days, counts) in enumerate(_day_chunks(seed, cases, chunk_rows)):
        if counts.sum() == 0:
            continue
        base = _case_chunk(world, _rng(seed, 3, k), days, counts, seq, unit_ids, proc_ids,
                           cap.to_numpy(dtype=float), fee)
        chunk = with_citizen_data(base, unit_ids, shares, _rng(seed, _CITIZEN_STREAM, 1, k))
        yield add_lead_columns(chunk, seed)
        seq += int(counts.sum())


# ------------------------------------------------------------ population data (766 index)
# Their own random streams (seed, 766, ...): the values every other column gets for a seed
# are those it got before these columns existed.
_CITIZEN_STREAM = 766
#: Fields whose procedures mostly identify a citizen (more often connected to the population
#: database).
_CITIZEN_FIELDS = ("ho_tich", "tu_phap", "lao_dong", "nguoi_co_cong", "bao_tro_xa_hoi",
                   "dat_dai")


def citizen_data_connected(procedures: pd.DataFrame, seed: int) -> np.ndarray:
    """``procedures.citizen_data_connected``: about 60% of the procedures of the citizen fields,
    20% of the others (pure)."""
    rng = _rng(seed, _CITIZEN_STREAM, 0)
    p = np.where(procedures["field"].isin(_CITIZEN_FIELDS).to_numpy(), 0.6, 0.2)
    return rng.random(len(procedures)) < p


def citizen_data_shares(world: World, seed: int) -> dict[str, np.ndarray]:
    """Per unit (start, end) shares, linear over the trend like the other profiles: population
    data used on 40-70% of received cases (rising by up to 10 points); sharing to the personal
    data store rare: none at two units in three, else 0.2-3% of the digitized cases (pure)."""
    rng = _rng(seed, _CITIZEN_STREAM, 2)
    n = len(world.units)
    used = rng.uniform(0.4, 0.6, n)
    store = np.where(rng.random(n) < 2 / 3, 0.0, rng.uniform(0.002, 0.03, n))
    return {"citizen_data_used": np.stack([used, used + rng.uniform(0.0, 0.1, n)], axis=1),
            "personal_storage_synced": np.stack([store, store], axis=1)}


def with_citizen_data(table: pa.Table, unit_ids: pa.Array, shares: dict[str, np.ndarray],
                      rng: np.random.Generator) -> pa.Table:
    """``table`` (base case columns) plus :data:`CITIZEN_DATA_COLUMNS`: population data used by
    the unit's share of cases; shared to the personal data store only for digitized cases."""
    n = table.num_rows
    unit = pc.index_in(table.column("unit_id"), value_set=unit_ids).to_numpy()
    received = table.column("received_at").to_numpy().astype("datetime64[D]")
    t = np.clip((received - _TREND_START).astype(float) / _TREND_DAYS, 0, 1)
    u = rng.random((2, n))
    used = u[0] < _trend(shares, "citizen_data_used", unit, t)
    digitized = table.column("digitized").to_numpy(zero_copy_only=False).astype(bool)
    synced = digitized & (u[1] < _trend(shares, "personal_storage_synced", unit, t))
    return table.append_column("citizen_data_used", pa.array(used)).append_column(
        "personal_storage_synced", pa.array(synced))


# --------------------------------------------------------------------- feedback, form06, manual
def build_feedback(world: World, seed: int, cases: int) -> pd.DataFrame:
    """PAKN rows: a few hundred to a few thousand, mostly answered on time (pure)."""
    rng = _rng(seed, 4)
    n = int(np.clip(cases // 100, 300, 3000))
    level = world.units["level"].to_numpy()
    w = np.select([level == "department", level == "district", level == "commune"], [3, 3, 0.3], 0)
    w = np.where(np.isin(world.units["unit_id"], world.aggregate_units), 0, w).astype(float)
    unit = np.sort(rng.choice(len(w), size=n, p=w / w.sum()))
    days = _working_days(_TREND_START, LAST_DAY)
    rday = rng.choice(days, size=n)
    received = rday.astype("datetime64[m]") + _office_minutes(rng, n, 990)
    order = np.argsort(received, kind="stable")
    received, rday, unit = received[order], rday[order], unit[order]
    dday = np.busday_offset(rday, 10, busdaycal=_BUSDAYS)
    due = dday.astype("datetime64[m]") + (received - rday.astype("datetime64[m]"))
    p_ok = np.where(world.tier[unit] == "weak", 0.75, np.where(world.tier[unit] == "excellent",
                                                               1.0, 0.93))
    on_time = rng.random(n) < p_ok
    k = np.where(on_time, (rng.random(n) * 11).astype(np.int64), 10 + rng.integers(1, 12, n))
    fday = np.busday_offset(rday, k, busdaycal=_BUSDAYS)
    finish = fday.astype("datetime64[m]") + _office_minutes(rng, n)
    finish = np.where(finish <= received, received + np.timedelta64(60, "m"), finish)
    pending = finish >= DATA_END
    s = rng.random(n)
    satisfied = pd.array(np.where(s < 0.85, True, False), dtype="boolean")
    satisfied[(s >= 0.93) | pending] = pd.NA
    return pd.DataFrame({
        "feedback_id": [f"DEMO-PAKN-{i:05d}" for i in range(1, n + 1)],
        "unit_id": world.units["unit_id"].to_numpy()[unit],
        "received_at": received.astype("datetime64[s]"),
        "due_at": due.astype("datetime64[s]"),
        "resolved_at": np.where(pending, np.datetime64("NaT"), finish).astype("datetime64[s]"),
        "satisfied": satisfied,
    })


def build_form06(world: World, seed: int) -> pd.DataFrame:
    """Quarterly Biểu 06 rows of the aggregate-only communes (pure, identities exact)."""
    rng = _rng(seed, 5)
    rows = []
    for uid in world.aggregate_units:
        scale = rng.uniform(80, 250)
        online_share = rng.uniform(0.3, 0.7)
        p_late = rng.uniform(0.0, 0.06)
        carried = int(rng.integers(3, 15))
        for q, pid in enumerate(QUARTERS):
            first, last = parse_period(pid).window("nd09")
            new = int(rng.poisson(scale * (1 + 0.05 * q)))
            online = int(rng.binomial(new, min(0.95, online_share + 0.04 * q)))
            total = new + carried
            pending = int(rng.binomial(total, 0.07))
            resolved = total - pending
            late = int(rng.binomial(resolved, p_late))
            early = int(rng.binomial(resolved - late, 0.7))
            overdue = int(rng.binomial(pending, 0.15))
            rows.append({
                "unit_id": uid, "period": pid, "period_start": first, "period_end": last,
                "received_online": online, "received_direct_postal": new - online,
                "carried_over": carried, "resolved_early": early,
                "resolved_on_time": resolved - late - early, "resolved_late": late,
                "pending_in_time": pending - overdue, "pending_overdue": overdue,
                "received_total": total, "resolved_total": resolved, "pending_total": pending,
            })
            carried = pending
    return pd.DataFrame(rows)


def build_manual(world: World, seed: int) -> pd.DataFrame:
    """A few manual measurements for 2025Q2 that case data cannot give (pure)."""
    rng = _rng(seed, 6)
    units = world.units
    picks = (units.loc[units["level"] == "department", "unit_id"].iloc[[0, 2, 3]].tolist()
             + units.loc[units["level"] == "district", "unit_id"].iloc[[0, 1]].tolist())
    rows = []
    for uid in picks:
        for ind in ("impact_assessment_rate", "procedures_published_rate",
                    "internal_procedures_reviewed_rate"):
            value = 1.0 if rng.random() < 0.5 else round(float(rng.uniform(0.7, 0.99)), 4)
            rows.append({"unit_id": uid, "period": "2025Q2", "indicator": ind, "value": value,
                         "source": MANUAL_SOURCE})
    return pd.DataFrame(rows)


#: The 766 index's metrics that only the manual table gives (profile portal-2024).
MANUAL_INDEX766 = ("announced_on_time", "published_on_time", "published_complete",
                   "synced_national", "certified_copies")


def build_manual_index766(world: World, seed: int, period: str = "2025Q2") -> pd.DataFrame:
    """Manual 766 rates of every unit for ``period`` (pure, own random stream): the four
    transparency metrics (half the units at 100%, the others 85-99.9%) and electronic certified
    copies (1: the province provides the service, so every unit gets the full points)."""
    rng = _rng(seed, _CITIZEN_STREAM, 3)
    rows = []
    for uid in world.units["unit_id"]:
        for ind in MANUAL_INDEX766:
            value = 1.0 if ind == "certified_copies" or rng.random() < 0.5 else round(
                float(rng.uniform(0.85, 0.999)), 4)
            rows.append({"unit_id": uid, "period": period, "indicator": ind, "value": value,
                         "source": MANUAL_SOURCE})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------- bad rows
def _bad_rows(kind: str, base: dict, other: dict) -> list[tuple[dict, dict]]:
    """Rows (typed values, string overrides) planting one kind of error, built from good rows."""
    row = dict(base, case_id=_bad_id(kind))
    over: dict[str, tuple[str, str]] = {}  # column -> (text in ISO files, text in Vietnamese)
    day = timedelta(days=1)
    if kind == "due_before_received":
        row["due_at"] = row["received_at"] - 2 * day
    elif kind == "resolved_before_received":
        row.update(status="resolved", resolved_at=row["received_at"] - day)
    elif kind == "resolved_without_date":
        row.update(status="resolved", resolved_at=None)
    elif kind == "unparseable_date":
        over["received_at"] = ("2025-02-31 08:15:00", "31/02/2025 08:15")
    elif kind == "unknown_channel":
        row["channel"] = "fax"
        over["channel"] = ("fax", "Fax")
    elif kind == "unknown_procedure":
        row["procedure_id"] = UNKNOWN_PROCEDURE
    elif kind == "unknown_unit":
        row["unit_id"] = UNKNOWN_UNIT
    elif kind == "negative_supplements":
        row["supplement_requests"] = -1
    elif kind == "duplicate_id":
        return [(row, over), (dict(other, case_id=row["case_id"]), {})]
    return [(row, over)]


def _plant(table: pa.Table, kinds: list[str]) -> tuple[list[tuple[dict, dict]], np.ndarray]:
    """Bad rows for ``kinds``, built from rows of ``table``, and where they go (spread out)."""
    n = table.num_rows
    extra: list[tuple[dict, dict]] = []
    for i, kind in enumerate(kinds):
        base = table.slice((7 + 13 * i) % n, 1).to_pylist()[0]
        other = table.slice((11 + 17 * i) % n, 1).to_pylist()[0]
        extra += _bad_rows(kind, base, other)
    positions = np.minimum(np.arange(len(extra)) * max(1, n // (len(extra) + 1)) + 5, n)
    return extra, positions


# ---------------------------------------------------------------------------------- writing
def _fmt_ts(arr: pa.ChunkedArray | pa.Array, style: str) -> pa.Array:
    """Timestamps as 'YYYY-MM-DD HH:MM:SS' (iso) or 'dd/mm/yyyy HH:MM' (vi); null stays null."""
    a = arr.to_numpy(zero_copy_only=False).astype("datetime64[m]")
    nat = np.isnat(a)
    m = np.where(nat, 0, a.astype(np.int64))
    days, mins = m // 1440, m % 1440
    d = days.astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    hh, mm = mins // 60, mins % 60
    if style == "iso":
        buf = np.frombuffer(b"0000-00-00 00:00:00" * len(a), dtype=np.uint8).reshape(len(a), 19).copy()
        for col, val, w in ((0, year, 4), (5, month, 2), (8, dom, 2), (11, hh, 2), (14, mm, 2)):
            _put_digits(buf, col, val, w)
    else:
        buf = np.frombuffer(b"00/00/0000 00:00" * len(a), dtype=np.uint8).reshape(len(a), 16).copy()
        for col, val, w in ((0, dom, 2), (3, month, 2), (6, year, 4), (11, hh, 2), (14, mm, 2)):
            _put_digits(buf, col, val, w)
    out = _fixed_strings(buf)
    if nat.any():
        out = pc.if_else(pa.array(nat), pa.scalar(None, pa.string()), out)
    return out


def _vi_map(arr: pa.ChunkedArray | pa.Array, mapping: dict[str, str]) -> pa.Array:
    keys = list(mapping)
    idx = pc.index_in(arr, value_set=pa.array(keys))
    return pc.take(pa.array([mapping[k] for k in keys]), idx)


def _to_strings(table: pa.Table, style: str) -> pa.Table:
    """All-string version of a typed case table: English/ISO ('iso') or Vietnamese ('vi')."""
    cols, names = [], []
    for name in CASE_COLUMNS:
        col = table.column(name)
        if name in TS_COLUMNS:
            out = _fmt_ts(col, style)
        elif name in BOOL_COLUMNS and style == "vi":
            out = pc.if_else(col, "Có", "Không")
        elif style == "vi" and name in ("status", "channel", "rating"):
            out = _vi_map(col, {"status": VI_STATUS, "channel": VI_CHANNEL,
                                "rating": VI_RATING}[name])
        else:
            out = pc.cast(col, pa.string())
        cols.append(out.combine_chunks() if isinstance(out, pa.ChunkedArray) else out)
        names.append(VI_HEADERS[name] if style == "vi" else name)
    return pa.table(cols, names=names)


def _inject(table: pa.Table, extra: pa.Table, positions: np.ndarray) -> pa.Table:
    n = table.num_rows
    order = np.insert(np.arange(n), positions, n + np.arange(extra.num_rows))
    return pa.concat_tables([table, extra.cast(table.schema)]).take(pa.array(order))


def _typed_extra(extra: list[tuple[dict, dict]]) -> pa.Table:
    return pa.Table.from_pylist([r for r, _ in extra], schema=CASE_SCHEMA)


def _string_extra(extra: list[tuple[dict, dict]], style: str) -> pa.Table:
    table = _to_strings(_typed_extra(extra), style)
    rows = table.to_pylist()
    for row, (_, over) in zip(rows, extra, strict=True):
        for col, (iso_text, vi_text) in over.items():
            if style == "vi":
                row[VI_HEADERS[col]] = vi_text
            else:
                row[col] = iso_text
    return pa.Table.from_pylist(rows, schema=table.schema)


class _CaseSink:
    """One case file being written chunk by chunk; plants its bad rows in its first chunk."""

    def __init__(self, path: Path, fmt: str, kinds: list[str]) -> None:
        self.path, self.fmt, self.kinds = path, fmt, list(kinds)
        self.rows = 0
        self.bad: list[tuple[str, str, str]] = []
        self._writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
        self._fh: io.BufferedWriter | None = None
        self._xlsx_parts: list[pa.Table] = []
        self._xlsx_planted: tuple[list[tuple[dict, dict]], np.ndarray] | None = None

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        extra: list[tuple[dict, dict]] = []
        positions = np.array([], dtype=np.int64)
        if self.kinds:
            extra, positions = _plant(table, self.kinds)
            self.bad = [(self.path.name, _bad_id(k), BAD_KINDS[k]) for k in self.kinds]
            self.kinds = []
        self.rows += table.num_rows + len(extra)
        if self.fmt == "parquet":
            if extra:
                table = _inject(table, _typed_extra(extra), positions)
            if self._writer is None:
                self._writer = pq.ParquetWriter(self.path, CASE_SCHEMA, compression="zstd")
            self._writer.write_table(table)
        elif self.fmt in ("csv_iso", "csv_vi"):
            style = "vi" if self.fmt == "csv_vi" else "iso"
            strings = _to_strings(table, style)
            if extra:
                strings = _inject(strings, _string_extra(extra, style), positions)
            if self._writer is None:
                self._fh = open(self.path, "wb")  # noqa: SIM115 - closed in close()
                if style == "vi":
                    self._fh.write(b"\xef\xbb\xbf")
                options = pacsv.WriteOptions(quoting_style="needed")
                self._writer = pacsv.CSVWriter(self._fh, strings.schema, write_options=options)
            self._writer.write_table(strings)
        else:  # xlsx: keep compact Arrow parts, turn them into cells at close()
            self._xlsx_parts.append(table)
            if extra:
                self._xlsx_planted = (extra, positions)

    def close(self, rng: np.random.Generator, unit_names: dict[str, str]) -> None:
        if self.fmt == "xlsx":
            _write_cases_xlsx(self.path, self._xlsx_parts, self._xlsx_planted, rng, unit_names)
            self._xlsx_parts = []
        if self._writer is not None:
            self._writer.close()
        if self._fh is not None:
            self._fh.close()


# fake personal data for the xlsx export
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
             "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hoài", "Kim")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
          "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm",
          "Thảo", "Trang", "Tuấn", "Vân", "Yến")
def _ascii(text: str) -> str:
    """Vietnamese text without diacritics (for fake e-mail addresses)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _fake_person(rng: np.random.Generator, place: str) -> list[str]:
    s, m, g = (x[rng.integers(len(x))] for x in (_SURNAMES, _MIDDLE, _GIVEN))
    name = f"{s} {m} {g}"
    mail = _ascii(f"{g}.{s}{rng.integers(10, 99)}".lower()) + "@example.com"
    return [name, f"0{rng.integers(10**10, 10**11 - 1)}", f"09{rng.integers(10**7, 10**8 - 1)}",
            f"Số {rng.integers(1, 300)}, Tổ {rng.integers(1, 20)}, {place}", mail]


def _write_cases_xlsx(path: Path, parts: list[pa.Table],
                      planted: tuple[list[tuple[dict, dict]], np.ndarray] | None,
                      rng: np.random.Generator, unit_names: dict[str, str]) -> None:
    """One district's cases with Vietnamese headers, Excel date cells and fake personal data."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách hồ sơ")
    headers = [VI_HEADERS["case_id"], *PII_HEADERS] + [VI_HEADERS[c] for c in CASE_COLUMNS[1:]]
    ws.append(headers)
    vi = {"status": VI_STATUS, "channel": VI_CHANNEL, "rating": VI_RATING}

    def cells(row: dict) -> list:
        person = _fake_person(rng, unit_names.get(row["unit_id"], ""))
        if row.get(APPLICANT_ID):  # the ID the case's applicant_key was computed from
            person[1] = row[APPLICANT_ID]
        out: list = [row["case_id"], *person]
        for c in CASE_COLUMNS[1:]:
            v = row[c]
            if c in TS_COLUMNS and v is not None:
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "dd/mm/yyyy hh:mm"
                v = cell
            elif c in BOOL_COLUMNS:
                v = VI_BOOL[bool(v)]
            elif c in vi and v is not None:
                v = vi[c].get(v, v)
            out.append(v)
        return out

    first = True
    for part in parts:
        rows = part.to_pylist()
        if first and planted:
            extra, positions = planted
            for j in np.argsort(-positions, kind="stable"):
                rows.insert(int(positions[j]), extra[j][0])
        first = False
        for row in rows:
            ws.append(cells(row))
    wb.properties.creator = "scorecard demo-data"
    wb.properties.title = "Danh sách hồ sơ TTHC (DỮ LIỆU MẪU)"
    buf = io.BytesIO()
    wb.save(buf)
    _stable_zip(buf.getvalue(), path, wb)


def _stable_zip(data: bytes, path: Path, wb: Workbook) -> None:
    """Rewrite an xlsx with fixed core properties and fixed zip entry dates (same bytes)."""
    from openpyxl.xml.functions import tostring

    wb.properties.created = FILE_DATE
    wb.properties.modified = FILE_DATE
    core = tostring(wb.properties.to_tree())
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=FILE_DATE.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)


def _write_small_csv(df: pd.DataFrame, path: Path, bom: bool = False) -> int:
    """Write a small table: ISO timestamps, true/false booleans, empty for missing, LF lines."""
    out = df.copy()
    for c in out.columns:
        s = out[c]
        if pd.api.types.is_bool_dtype(s) or str(s.dtype) == "boolean":
            out[c] = s.map({True: "true", False: "false"}).astype(object).where(s.notna(), "")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[c] = s.dt.strftime("%Y-%m-%d %H:%M:%S").astype(object).where(s.notna(), "")
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8-sig" if bom else "utf-8")
    return len(out)


def _feedback_with_bad_row(fb: pd.DataFrame) -> pd.DataFrame:
    base = fb.iloc[min(3, len(fb) - 1)].copy()
    base["feedback_id"] = FEEDBACK_BAD_ID
    base["resolved_at"] = base["received_at"] - pd.Timedelta(days=2)
    pos = len(fb) // 2
    return pd.concat([fb.iloc[:pos], base.to_frame().T, fb.iloc[pos:]],
                     ignore_index=True).astype(fb.dtypes.to_dict())


def _readme(seed: int, cases: int, layout: str, files: dict[str, int]) -> str:
    lines = [
        "DỮ LIỆU MẪU - SYNTHETIC SAMPLE DATA",
        "",
        f"Đây là dữ liệu giả lập của một tỉnh mẫu ({PROVINCE_NAME}), không phải số liệu thật.",
        "This folder holds synthetic sample data of a made-up province; nothing here is real.",
        "Every unit id starts with DEMO-; personal-data columns in the xlsx file are fake.",
        "",
        f"Generated by: scorecard demo-data --seed {seed} --cases {cases}"
        + ("" if layout == "mixed" else f" --formats {layout}"),
        f"Layout: {layout}",
        "",
        "Files (data rows):",
        *[f"  {name}: {rows}" for name, rows in files.items()],
        "",
        "Deliberately bad rows (a loader should reject them):",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class DemoSummary:
    """What :func:`generate_demo` wrote."""

    out: Path
    seed: int
    cases: int
    layout: str                                          # 'mixed' or e.g. 'csv,parquet'
    files: dict[str, int] = field(default_factory=dict)  # file name -> data rows
    bad_rows: list[tuple[str, str, str]] = field(default_factory=list)
    excellent_units: list[str] = field(default_factory=list)
    weak_units: list[str] = field(default_factory=list)
    aggregate_units: list[str] = field(default_factory=list)


def parse_formats(formats: str | None) -> str:
    """'mixed' (default) or a canonical subset of 'csv,parquet'; ValueError otherwise."""
    if formats is None or formats.strip() in ("", "mixed"):
        return "mixed"
    parts = {p.strip().lower() for p in formats.split(",") if p.strip()}
    if not parts or not parts <= {"csv", "parquet"}:
        raise ValueError(f"unknown --formats {formats!r}: use mixed, csv, parquet or csv,parquet")
    return ",".join(p for p in ("csv", "parquet") if p in parts)


def generate_demo(out: Path, seed: int = 2025, cases: int = 200_000,
                  formats: str | None = None) -> DemoSummary:
    """Write the demo province to ``out`` and return what was written.

    ``formats``: None/'mixed' for the mixed layout (parquet 2024, Vietnamese CSV 2025, one
    district's xlsx), or 'csv', 'parquet', 'csv,parquet' for single-format case files.
    Same seed and arguments, same bytes.
    """
    layout = parse_formats(formats)
    if cases < MIN_CASES:
        raise ValueError(f"--cases must be at least {MIN_CASES}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    world = build_world(seed)
    summary = DemoSummary(out=out, seed=seed, cases=cases, layout=layout,
                          excellent_units=world.units_of_tier("excellent"),
                          weak_units=world.units_of_tier("weak"),
                          aggregate_units=list(world.aggregate_units))
    files = summary.files
    from scorecard import demo_leads  # the leads' inputs and planted patterns (own streams)
    from scorecard.demo_manual import build_manual_plans
    from scorecard.tasks.demo_data import build_task_status, with_roles  # plan tasks (issue 10)

    files["units.csv"] = _write_small_csv(with_roles(world.units), out / "units.csv", bom=True)
    files["procedures.csv"] = _write_small_csv(demo_leads.procedures_with_statutory_days(world),
                                               out / "procedures.csv")
    files["unit_procedures.csv"] = _write_small_csv(world.unit_procedures,
                                                    out / "unit_procedures.csv")
    fb = _feedback_with_bad_row(build_feedback(world, seed, cases))
    files["feedback.csv"] = _write_small_csv(fb, out / "feedback.csv")
    files["form06.csv"] = _write_small_csv(build_form06(world, seed), out / "form06.csv")
    manual = pd.concat([build_manual(world, seed), build_manual_index766(world, seed)])
    manual = pd.concat([manual, build_manual_plans(world.units, seed, QUARTERS, MANUAL_SOURCE,
                                                   existing=manual)])  # plans' manual targets
    files["manual.csv"] = _write_small_csv(manual, out / "manual.csv")
    files["task_status.csv"] = _write_small_csv(build_task_status(world.units, seed),
                                                out / "task_status.csv")

    if layout == "mixed":
        by_file: dict[str, list[str]] = {}
        for f, k in _MIXED_BAD_PLAN:
            by_file.setdefault(f, []).append(k)
        p24 = _CaseSink(out / "cases_2024.parquet", "parquet", by_file["cases_2024.parquet"])
        c25 = _CaseSink(out / "cases_2025.csv", "csv_vi", by_file["cases_2025.csv"])
        xl = _CaseSink(out / XLSX_FILE, "xlsx", by_file[XLSX_FILE])
        sinks = [p24, c25, xl]
        cut = pa.scalar(datetime(2025, 1, 1), pa.timestamp("ms"))
        dvcqg = _dvcqg_writer(out / DVCQG_FILE, world, seed)
        for chunk in case_chunks(world, seed, cases):
            chunk = _with_applicant_ids(chunk, seed)  # made-up IDs (xlsx and DVCQG files)
            in_dvcqg = pc.equal(chunk.column("unit_id"), DVCQG_UNIT)
            _write_dvcqg(dvcqg, chunk.filter(in_dvcqg))
            chunk = chunk.filter(pc.invert(in_dvcqg))
            in_xlsx = pc.equal(chunk.column("unit_id"), XLSX_UNIT)
            rest = chunk.filter(pc.invert(in_xlsx)).drop_columns([APPLICANT_ID])
            xl.write(chunk.filter(in_xlsx))
            early = pc.less(rest.column("received_at"), cut)
            p24.write(rest.filter(early))
            c25.write(rest.filter(pc.invert(early)))
    else:
        kinds = list(BAD_KINDS)
        sinks = []
        if "csv" in layout:
            sinks.append(_CaseSink(out / "cases.csv", "csv_iso", kinds))
        if "parquet" in layout:
            sinks.append(_CaseSink(out / "cases.parquet", "parquet",
                                   [k for k in kinds if k != "unparseable_date"]))
        for chunk in case_chunks(world, seed, cases):
            for s in sinks:
                s.write(chunk)
    if layout == "mixed":
        files[DVCQG_FILE] = dvcqg.close()
    files[demo_leads.PLANTED_FILE] = demo_leads.write_planted_cases(world, seed, cases, out)
    names = dict(zip(world.units["unit_id"], world.units["name"], strict=True))
    for s in sinks:
        s.close(_rng(seed, 7), names)
        files[s.path.name] = s.rows
        summary.bad_rows += s.bad
    summary.bad_rows.append(("feedback.csv", FEEDBACK_BAD_ID,
                             "resolved date before received date"))
    text = _readme(seed, cases, layout, files)
    text += "".join(f"  {f}: {i} - {what}\n" for f, i, what in summary.bad_rows)
    (out / "README.txt").write_text(text, encoding="utf-8", newline="\n")
    return summary


# ------------------------------------------------------------------- DVCQG export (issue 16)
def export_dvcqg(path: Path, seed: int = 2025, cases: int = 200_000, *,
                 units: list[str] | None = None, layout: str = "lines",
                 unit_code: bool = False) -> int:
    """Write the demo cases of ``units`` (all units when None) to ``path`` in the national
    portal's dossier format (DVCQG; ``layout`` ``lines`` = JSON Lines, ``array`` = one JSON
    array), with supplement histories; returns the number of records. The cases are the same
    ones :func:`generate_demo` writes to its CSV/Parquet/XLSX files for this seed and size (the
    planted bad rows excepted); the export's own values come from its own random stream
    (:mod:`scorecard.demo_dvcqg`)."""
    world = build_world(seed)
    writer = _dvcqg_writer(Path(path), world, seed, layout=layout, unit_code=unit_code)
    wanted = None if units is None else pa.array(list(units))
    for chunk in case_chunks(world, seed, cases):
        chunk = _with_applicant_ids(chunk, seed)
        if wanted is not None:
            chunk = chunk.filter(pc.is_in(chunk.column("unit_id"), value_set=wanted))
        _write_dvcqg(writer, chunk)
    return writer.close()


#: A working column of the demo's chunks: the applicant's made-up ID number (never in the CSV or
#: Parquet files; the xlsx and DVCQG files carry it as personal data, as real exports do).
APPLICANT_ID = "_applicant_id"


def _with_applicant_ids(chunk: pa.Table, seed: int) -> pa.Table:
    """A chunk of :func:`case_chunks` with :data:`APPLICANT_ID`: the ID each case's
    ``applicant_key`` was computed from (recomputed from the whole chunk, before filtering)."""
    from scorecard.demo_leads import lead_values

    return chunk.append_column(APPLICANT_ID, pa.array(lead_values(chunk, seed)[1].tolist(),
                                                      pa.string()))


def _dvcqg_writer(path: Path, world: World, seed: int, *, layout: str = "lines",
                  unit_code: bool = False):  # type: ignore[no-untyped-def]
    from scorecard.demo_dvcqg import DvcqgWriter

    procs = world.procedures
    return DvcqgWriter(
        path, dict(zip(world.units["unit_id"], world.units["name"], strict=True)),
        {p: (n, f) for p, n, f in zip(procs["procedure_id"], procs["name"], procs["field"],
                                      strict=True)},
        seed, data_end=DATA_END.astype(datetime), layout=layout,  # type: ignore[arg-type]
        unit_code=unit_code)


def _write_dvcqg(writer, chunk: pa.Table) -> None:  # type: ignore[no-untyped-def]
    writer.write(chunk.drop_columns([APPLICANT_ID]),
                 chunk.column(APPLICANT_ID).to_pylist())
