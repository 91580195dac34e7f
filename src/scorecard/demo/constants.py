"""Names, dates, columns and Vietnamese spellings of the demo province (no logic).

What the demo's files are called, the days its data covers, the columns and Arrow schemas of a
case and the values they take, and how the Vietnamese one-stop export spells headers and values.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa

from scorecard.periods import periods_between

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
