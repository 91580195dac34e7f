"""Reading the raw exports units really produce: CSV, Excel (.xlsx) and Parquet.

A reader turns a file into chunks of canonical columns, typed, with the source row number of each
record in ``_row``, and lists what it could not parse; it never decides whether a row is valid
(that is :mod:`scorecard.schemas`' job).

- Headers: the English column names of the README or the usual Vietnamese headers of one-stop
  system exports ("Mã hồ sơ", "Ngày tiếp nhận", …); matching ignores case, accents and spacing.
- Values: English enum values or their Vietnamese words ("Đã giải quyết", "Trực tuyến", "Có").
- Dates: ISO and dd/mm/yyyy (with or without time), Excel date cells, and timezone-aware
  timestamps (converted to Asia/Ho_Chi_Minh and stored as local wall-clock time).
- Personal data (citizen name, ID number, phone, address, email) is dropped at read time; the
  load report names the dropped columns.
- Row numbers: CSV and Excel give the line as a spreadsheet shows it (header = 1, first record
  = 2); Parquet gives the record's 1-based position. CSV values must not span lines.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from unidecode import unidecode

from scorecard.config import CHUNK_ROWS, TIMEZONE
from scorecard.errors import ScorecardError
from scorecard.hashing import sha256_file
from scorecard.store import KINDS

SUFFIXES = (".csv", ".xlsx", ".parquet")


class ReadError(ScorecardError, RuntimeError):
    """The file could not be read at all (format, encoding, no known columns)."""


def norm(text: object) -> str:
    """Header key: lower case ASCII letters and digits only ('Mã hồ sơ' -> 'mahoso')."""
    return re.sub(r"[^a-z0-9]", "", unidecode(str(text)).lower())


# ---------------------------------------------------------------- columns of each kind
#: Column -> value type. Types: id, text, key (an id part of a primary key that may be empty:
#: stored as ''), enum:<name>, bool, int, count, timestamp, date, float.
COLUMNS: dict[str, dict[str, str]] = {
    "units": {"unit_id": "id", "name": "text", "level": "enum:level", "parent_id": "id",
              "roles": "text"},
    "procedures": {
        "procedure_id": "id", "name": "text", "field": "text",
        "online_service": "enum:online_service", "has_fee": "bool", "payment_integrated": "bool",
        "at_one_stop": "bool", "four_on_spot": "bool", "has_sample_dossier": "bool",
        "e_process_configured": "bool", "statutory_days": "float",
        "citizen_data_connected": "bool",
    },
    "unit_procedures": {"unit_id": "id", "procedure_id": "id"},
    "cases": {
        "case_id": "id", "unit_id": "id", "procedure_id": "id", "received_at": "timestamp",
        "due_at": "timestamp", "resolved_at": "timestamp", "status": "enum:status",
        "channel": "enum:channel", "supplement_requests": "int", "digitized": "bool",
        "e_result": "bool", "reused_data": "bool", "fee_required": "bool", "paid_online": "bool",
        "apology_issued": "bool", "rating": "enum:rating",
        "supplement_requested_at": "timestamp", "applicant_key": "id",
        "citizen_data_used": "bool", "personal_storage_synced": "bool",
    },
    "case_supplements": {
        "case_id": "id", "seq": "count", "requested_at": "timestamp",
        "returned_at": "timestamp", "due_before": "timestamp", "due_after": "timestamp",
    },
    "feedback": {
        "feedback_id": "id", "unit_id": "id", "received_at": "timestamp", "due_at": "timestamp",
        "resolved_at": "timestamp", "satisfied": "bool",
    },
    "form06": {
        "unit_id": "id", "period": "id", "period_start": "date", "period_end": "date",
        "received_online": "count", "received_direct_postal": "count", "carried_over": "count",
        "resolved_early": "count", "resolved_on_time": "count", "resolved_late": "count",
        "pending_in_time": "count", "pending_overdue": "count", "received_total": "count",
        "resolved_total": "count", "pending_total": "count",
    },
    "manual": {"unit_id": "id", "period": "id", "indicator": "id", "value": "float",
               "source": "text"},
    "task_status": {"plan_id": "id", "task_id": "id", "unit_id": "id", "occurrence": "key",
                    "done_on": "date", "document": "text", "note": "text"},
}

#: Columns a file of the kind must have (the others may be absent and are then empty).
REQUIRED: dict[str, tuple[str, ...]] = {
    "units": ("unit_id", "name", "level"),
    "procedures": ("procedure_id", "name", "field", "online_service"),
    "unit_procedures": ("unit_id", "procedure_id"),
    "cases": ("case_id", "unit_id", "procedure_id", "received_at", "due_at", "status", "channel"),
    "feedback": ("feedback_id", "unit_id", "received_at", "due_at"),
    "form06": ("unit_id", "period", "received_online", "received_direct_postal", "carried_over",
               "resolved_early", "resolved_on_time", "resolved_late", "pending_in_time",
               "pending_overdue"),
    "manual": ("unit_id", "period", "indicator", "value"),
    "case_supplements": ("case_id", "seq", "requested_at"),
    "task_status": ("plan_id", "task_id", "unit_id"),
}

#: Vietnamese (and other usual) headers of one-stop exports -> canonical column.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_id": ("Mã đơn vị", "Mã cơ quan", "Đơn vị", "unit"),
    "parent_id": ("Mã đơn vị cha", "Đơn vị cấp trên", "Mã đơn vị cấp trên", "parent"),
    "name": ("Tên", "Tên đơn vị", "Tên thủ tục", "Tên TTHC", "Tên cơ quan"),
    "level": ("Cấp", "Cấp hành chính"),
    "procedure_id": ("Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính", "procedure"),
    "field": ("Lĩnh vực", "Mã lĩnh vực"),
    "online_service": ("Mức độ DVCTT", "Dịch vụ công trực tuyến", "DVCTT"),
    "has_fee": ("Có phí", "Có phí, lệ phí", "Thu phí"),
    "payment_integrated": ("Tích hợp thanh toán", "Đã tích hợp thanh toán"),
    "at_one_stop": ("Tại bộ phận một cửa", "Một cửa"),
    "four_on_spot": ("4 tại chỗ", "Bốn tại chỗ"),
    "has_sample_dossier": ("Có hồ sơ mẫu", "Hồ sơ mẫu"),
    "e_process_configured": ("Quy trình điện tử", "Cấu hình quy trình điện tử"),
    "case_id": ("Mã hồ sơ", "Số hồ sơ"),
    "received_at": ("Ngày tiếp nhận", "Ngày nhận", "Thời gian tiếp nhận"),
    "due_at": ("Ngày hẹn trả", "Hạn xử lý", "Hạn giải quyết"),
    "resolved_at": ("Ngày có kết quả", "Ngày trả kết quả", "Ngày hoàn thành", "Ngày xử lý xong"),
    "status": ("Trạng thái", "Tình trạng"),
    "channel": ("Kênh tiếp nhận", "Hình thức nộp", "Kênh nộp"),
    "supplement_requests": ("Số lần yêu cầu bổ sung", "Số lần bổ sung"),
    "digitized": ("Số hóa", "Đã số hóa", "Số hóa hồ sơ"),
    "e_result": ("Kết quả điện tử", "Có kết quả điện tử"),
    "reused_data": ("Tái sử dụng dữ liệu", "Sử dụng lại dữ liệu"),
    "fee_required": ("Phải nộp phí", "Có nộp phí"),
    "paid_online": ("Thanh toán trực tuyến", "Đã thanh toán trực tuyến"),
    "apology_issued": ("Phiếu xin lỗi", "Có phiếu xin lỗi", "Đã xin lỗi"),
    "rating": ("Mức độ hài lòng", "Đánh giá"),
    "feedback_id": ("Mã phản ánh", "Mã PAKN", "Mã phản ánh kiến nghị"),
    "satisfied": ("Hài lòng", "Người dân hài lòng"),
    "period": ("Kỳ báo cáo", "Kỳ"),
    "period_start": ("Từ ngày",),
    "period_end": ("Đến ngày",),
    "received_online": ("Trực tuyến", "Nhận trực tuyến", "Số hồ sơ nhận trực tuyến"),
    "received_direct_postal": ("Trực tiếp và qua dịch vụ bưu chính", "Trực tiếp, bưu chính",
                               "Nhận trực tiếp và bưu chính"),
    "carried_over": ("Từ kỳ trước chuyển qua", "Kỳ trước chuyển qua", "Tồn kỳ trước"),
    "resolved_early": ("Trước hạn", "Giải quyết trước hạn"),
    "resolved_on_time": ("Đúng hạn", "Giải quyết đúng hạn"),
    "resolved_late": ("Quá hạn", "Giải quyết quá hạn"),
    "pending_in_time": ("Đang giải quyết trong hạn", "Trong hạn"),
    "pending_overdue": ("Đang giải quyết quá hạn",),
    "indicator": ("Chỉ tiêu", "Mã chỉ tiêu"),
    "value": ("Giá trị",),
    "source": ("Nguồn",),
    "roles": ("Vai trò", "Vai trò đơn vị"),
    "statutory_days": ("Thời hạn giải quyết", "Thời hạn giải quyết (ngày làm việc)",
                       "Số ngày giải quyết theo quy định"),
    "citizen_data_connected": ("Kết nối dữ liệu dân cư", "Đã kết nối CSDL dân cư",
                               "TTHC đã kết nối, chia sẻ dữ liệu dân cư"),
    "supplement_requested_at": ("Ngày yêu cầu bổ sung", "Thời gian yêu cầu bổ sung"),
    "applicant_key": ("Mã bí danh người nộp",),
    "citizen_data_used": ("Sử dụng dữ liệu dân cư",
                          "Hồ sơ có sử dụng thông tin, dữ liệu dân cư"),
    "personal_storage_synced": ("Chia sẻ vào kho dữ liệu cá nhân",
                                "Hồ sơ số hóa được chia sẻ vào kho dữ liệu cá nhân"),
    "seq": ("Lần bổ sung", "Lần yêu cầu bổ sung"),
    "requested_at": ("Ngày yêu cầu bổ sung", "Ngày bổ sung"),
    "returned_at": ("Ngày tiếp nhận bổ sung", "Ngày nộp bổ sung"),
    "due_before": ("Ngày hẹn trả trước", "Ngày hẹn trả cũ"),
    "due_after": ("Ngày hẹn trả mới",),
    "plan_id": ("Mã kế hoạch", "Kế hoạch"),
    "task_id": ("Mã nhiệm vụ", "Số thứ tự nhiệm vụ", "Nhiệm vụ"),
    "occurrence": ("Kỳ thực hiện", "Lần thực hiện", "Đợt"),
    "done_on": ("Ngày hoàn thành", "Ngày thực hiện xong"),
    "document": ("Văn bản", "Số, ký hiệu văn bản", "Số ký hiệu văn bản", "Sản phẩm"),
    "note": ("Ghi chú",),
}

#: Header keys that hold personal data: a header containing any of these keys is dropped.
PII_KEYS = (
    "hoten", "hovaten", "tennguoinop", "nguoinop", "tencongdan", "citizen", "fullname",
    "cccd", "cmnd", "cancuoc", "sodinhdanh", "idnumber", "nationalid", "passport", "hochieu",
    "dienthoai", "phone", "mobile", "diachi", "address", "email", "thudientu",
)

#: Vietnamese value words -> canonical enum values (matched with :func:`norm`).
ENUM_VALUES: dict[str, dict[str, tuple[str, ...]]] = {
    "level": {
        "province": ("province", "tỉnh", "cấp tỉnh", "UBND tỉnh"),
        "department": ("department", "sở", "sở, ngành", "ngành", "sở ngành", "cấp sở"),
        "district": ("district", "huyện", "cấp huyện", "quận", "thị xã", "thành phố"),
        "commune": ("commune", "xã", "cấp xã", "phường", "thị trấn"),
    },
    "online_service": {
        "full": ("full", "toàn trình", "DVCTT toàn trình", "mức độ 4"),
        "partial": ("partial", "một phần", "DVCTT một phần", "mức độ 3"),
        "none": ("none", "không", "không có", "trực tiếp"),
    },
    "status": {
        "pending": ("pending", "đang giải quyết", "đang xử lý", "chưa giải quyết"),
        "resolved": ("resolved", "đã giải quyết", "đã trả kết quả", "hoàn thành", "đã xử lý"),
        "withdrawn": ("withdrawn", "rút hồ sơ", "xin rút", "công dân rút"),
        "refused": ("refused", "từ chối", "trả lại", "không giải quyết"),
    },
    "channel": {
        "online": ("online", "trực tuyến", "qua mạng", "DVCTT"),
        "direct": ("direct", "trực tiếp", "tại quầy"),
        "postal": ("postal", "bưu chính", "qua bưu điện", "bưu chính công ích"),
    },
    "rating": {
        "very_satisfied": ("very_satisfied", "rất hài lòng"),
        "satisfied": ("satisfied", "hài lòng"),
        "dissatisfied": ("dissatisfied", "không hài lòng", "chưa hài lòng"),
    },
}

TRUE_WORDS = ("true", "1", "yes", "y", "x", "có", "co", "đúng", "đã", "rồi", "t")
FALSE_WORDS = ("false", "0", "no", "n", "không", "khong", "chưa", "sai", "f")
EMPTY_WORDS = ("", "nan", "null", "na", "n/a", "-", "nat")  # not "none": an online_service value

_TRUE = {norm(w) for w in TRUE_WORDS}
_FALSE = {norm(w) for w in FALSE_WORDS}
_ENUM_LOOKUP = {
    name: {norm(word): canon for canon, words in table.items() for word in words}
    for name, table in ENUM_VALUES.items()
}


def _alias_lookup(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in COLUMNS[kind]:
        out[norm(col)] = col
        for alias in HEADER_ALIASES.get(col, ()):
            out.setdefault(norm(alias), col)
    return out


# ---------------------------------------------------------------- results
@dataclass
class ParseIssue:
    row: int
    column: str
    value: str
    reason: str


@dataclass
class Chunk:
    """Typed canonical columns (plus ``_row``) and the values that could not be parsed."""

    frame: pd.DataFrame
    issues: list[ParseIssue] = field(default_factory=list)


@dataclass
class FileLayout:
    kind: str
    columns: dict[str, str]  # source header -> canonical column
    dropped_pii: list[str]
    ignored: list[str]


def file_hash(path: Path) -> str:
    """SHA-256 of the file's bytes (the load log's content hash)."""
    return sha256_file(path)


# ---------------------------------------------------------------- kind and layout
def kind_from_name(path: Path) -> str | None:
    """Kind from the file name: 'cases_2024.csv' -> cases, 'pakn.xlsx' -> feedback."""
    stem = norm(path.stem)
    for prefix, kind in (
        ("unitprocedures", "unit_procedures"), ("danhmuc", "unit_procedures"),
        ("casesupplements", "case_supplements"), ("hosobosung", "case_supplements"),
        ("taskstatus", "task_status"), ("nhiemvu", "task_status"),
        ("units", "units"), ("donvi", "units"), ("procedures", "procedures"),
        ("thutuc", "procedures"), ("cases", "cases"), ("hoso", "cases"),
        ("feedback", "feedback"), ("pakn", "feedback"), ("form06", "form06"),
        ("bieu06", "form06"), ("manual", "manual"),
    ):
        if stem.startswith(prefix):
            return kind
    return None


def kind_from_headers(headers: list[str]) -> str | None:
    """The kind whose required columns all appear among ``headers`` (the most specific wins)."""
    best: tuple[int, str] | None = None
    for kind in KINDS:
        lookup = _alias_lookup(kind)
        mapped = {lookup.get(norm(h)) for h in headers}
        if all(c in mapped for c in REQUIRED[kind]):
            score = len(mapped & set(COLUMNS[kind]))
            if best is None or score > best[0]:
                best = (score, kind)
    return best[1] if best else None


def layout(headers: list[str], kind: str, path: Path) -> FileLayout:
    """Map source headers to canonical columns; drop personal data; check required columns."""
    lookup = _alias_lookup(kind)
    columns: dict[str, str] = {}
    dropped: list[str] = []
    ignored: list[str] = []
    for h in headers:
        key = norm(h)
        if key in lookup and lookup[key] not in columns.values():
            columns[h] = lookup[key]
        elif any(p in key for p in PII_KEYS):
            dropped.append(str(h))
        else:
            ignored.append(str(h))
    missing = [c for c in REQUIRED[kind] if c not in columns.values()]
    if missing:
        raise ReadError(
            f"{path.name}: not a {kind} file: missing column(s) {', '.join(missing)} "
            f"(found: {', '.join(map(str, headers))})"
        )
    return FileLayout(kind, columns, dropped, ignored)


# ---------------------------------------------------------------- raw chunk sources
def _raw_csv(path: Path, chunk_rows: int) -> tuple[list[str], Iterator[tuple[int, pd.DataFrame]]]:
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if len(head) < (1 << 16) or exc.start < len(head) - 4:
            raise ReadError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    try:
        probe = pcsv.open_csv(path, read_options=pcsv.ReadOptions(block_size=1 << 16))
        names = probe.schema.names
    except (pa.ArrowInvalid, OSError) as exc:
        raise ReadError(f"{path.name}: cannot read as CSV: {exc}") from exc
    types = {n: pa.string() for n in names}

    def chunks() -> Iterator[tuple[int, pd.DataFrame]]:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=8 << 20),
            convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=False,
                                                quoted_strings_can_be_null=False),
        )
        first_row = 2
        pending: list = []
        size = 0
        for batch in reader:
            pending.append(batch)
            size += batch.num_rows
            while size >= chunk_rows:
                table = pa.Table.from_batches(pending)
                yield first_row, table.slice(0, chunk_rows).to_pandas()
                first_row += chunk_rows
                rest = table.slice(chunk_rows)
                pending, size = rest.to_batches(), rest.num_rows
        if size:
            yield first_row, pa.Table.from_batches(pending).to_pandas()

    return names, chunks()


def _raw_parquet(path: Path, chunk_rows: int) -> tuple[list[str], Iterator[tuple[int, pd.DataFrame]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ReadError(f"{path.name}: cannot read as Parquet: {exc}") from exc
    names = pf.schema_arrow.names

    def chunks() -> Iterator[tuple[int, pd.DataFrame]]:
        first = 1
        for batch in pf.iter_batches(batch_size=chunk_rows):
            frame = batch.to_pandas()
            yield first, frame
            first += batch.num_rows

    return names, chunks()


def _raw_xlsx(path: Path, chunk_rows: int) -> tuple[list[str], Iterator[tuple[int, pd.DataFrame]]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a bad file
        raise ReadError(f"{path.name}: cannot read as Excel (.xlsx): {exc}") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header_row = 0
    headers: list[str] = []
    for header_row, values in enumerate(rows, start=1):  # noqa: B007 - used after the loop
        if values and any(v not in (None, "") for v in values):
            headers = ["" if v is None else str(v).strip() for v in values]
            break
    while headers and headers[-1] == "":
        headers.pop()
    if not headers:
        wb.close()
        raise ReadError(f"{path.name}: the first sheet is empty")
    width = len(headers)

    def chunks() -> Iterator[tuple[int, pd.DataFrame]]:
        buf: list[tuple] = []
        numbers: list[int] = []
        for n, values in enumerate(rows, start=header_row + 1):
            vals = tuple(values[:width]) + (None,) * max(0, width - len(values))
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in vals):
                continue  # blank spacer row
            buf.append(vals)
            numbers.append(n)
            if len(buf) >= chunk_rows:
                yield _xlsx_frame(buf, numbers, headers)
                buf, numbers = [], []
        if buf:
            yield _xlsx_frame(buf, numbers, headers)
        wb.close()

    return headers, chunks()


def _xlsx_frame(buf: list[tuple], numbers: list[int], headers: list[str]) -> tuple[int, pd.DataFrame]:
    frame = pd.DataFrame.from_records(buf, columns=range(len(headers)), coerce_float=False)
    frame.columns = headers
    frame["__row__"] = numbers
    return -1, frame


def raw_source(path: Path, chunk_rows: int = CHUNK_ROWS):  # type: ignore[no-untyped-def]
    """(headers, iterator of (first row number, raw frame)) for a CSV, XLSX or Parquet file."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReadError(f"{path}: no such file")
    if suffix == ".csv":
        return _raw_csv(path, chunk_rows)
    if suffix == ".parquet":
        return _raw_parquet(path, chunk_rows)
    if suffix == ".xlsx":
        return _raw_xlsx(path, chunk_rows)
    raise ReadError(f"{path.name}: unsupported format {suffix!r} (use .csv, .xlsx or .parquet)")


# ---------------------------------------------------------------- value parsing
def _as_text(s: pd.Series) -> pd.Series:
    """Strings with surrounding blanks stripped; empty words -> NA."""
    if s.dtype == object:
        s = s.map(lambda v: None if v is None else (v.isoformat() if isinstance(v, datetime | date) else str(v)))
    t = s.astype("string").str.strip()
    longest = max(map(len, EMPTY_WORDS))
    short = (t.str.len() <= longest).fillna(False).astype(bool)  # only short values can be empty words
    if not short.any():
        return t
    empty = pd.Series(False, index=t.index)
    empty[short] = t[short].str.lower().isin(EMPTY_WORDS).fillna(False).astype(bool)
    return t.mask(empty)


def _issues(rows: pd.Series, column: str, values: pd.Series, reason: str) -> list[ParseIssue]:
    return [ParseIssue(int(r), column, str(v), reason) for r, v in zip(rows, values, strict=True)]


def _parse_id(s: pd.Series) -> tuple[pd.Series, pd.Series | None, str]:
    if pd.api.types.is_float_dtype(s):
        # Excel turns numeric codes into floats: 12.0 -> "12"
        s = s.map(lambda v: None if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
    return _as_text(s), None, ""


def _word_key(value: object) -> object:
    """The lookup key of one raw cell: None for blanks and empty words, else its norm()."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    if text.lower() in EMPTY_WORDS:
        return None
    return norm(text)


def _map_words(s: pd.Series, lookup: dict[str, object]) -> tuple[pd.Series, pd.Series]:
    """(mapped values, present mask): each distinct raw value goes through ``lookup`` by its
    :func:`norm` key; unknown words map to NA but count as present (a bad value).

    The column is factorized first, so the Python work is per distinct value, not per row."""
    codes, uniques = pd.factorize(s)
    keys = [_word_key(u) for u in uniques]
    mapped = np.array([None if k is None else lookup.get(k) for k in keys] + [None],
                      dtype=object)
    present = np.array([k is not None for k in keys] + [False], dtype=bool)
    return (pd.Series(mapped[codes], index=s.index),
            pd.Series(present[codes], index=s.index))


def _parse_enum(s: pd.Series, name: str) -> tuple[pd.Series, pd.Series | None, str]:
    values, present = _map_words(s, _ENUM_LOOKUP[name])
    out = values.astype("string")
    bad = present & out.isna()
    allowed = ", ".join(ENUM_VALUES[name])
    return out, bad, f"not a valid {name}: expected one of {allowed}"


_BOOL_LOOKUP: dict[str, object] = {**{w: True for w in _TRUE}, **{w: False for w in _FALSE}}


def _parse_bool(s: pd.Series) -> tuple[pd.Series, pd.Series | None, str]:
    if pd.api.types.is_bool_dtype(s):
        return s.astype("boolean"), None, ""
    values, present = _map_words(s, _BOOL_LOOKUP)
    out = values.astype("boolean")
    bad = present & out.isna()
    return out, bad, "not a yes/no value (true/false, 1/0, có/không)"


def _parse_number(s: pd.Series, integer: bool, empty_zero: bool) -> tuple[pd.Series, pd.Series | None, str]:
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        num = pd.to_numeric(s, errors="coerce")
        t = None
    else:
        t = _as_text(s)
        # Vietnamese exports may write 1.234 for thousands in counts; strip dot separators only
        # for integers written with them (1.234.567) and accept a decimal comma for floats.
        cleaned = t.str.replace(" ", "", regex=False)
        if integer and cleaned.str.contains(".", regex=False).any():
            cleaned = cleaned.str.replace(r"^(-?\d{1,3})(\.\d{3})+$",
                                          lambda m: m.group(0).replace(".", ""), regex=True)
        else:
            cleaned = cleaned.str.replace(",", ".", regex=False)
        num = pd.to_numeric(cleaned, errors="coerce")
    if integer:
        frac = num.notna() & (num % 1 != 0)
        num = num.mask(frac)
    bad = (num.isna() & (t.notna() if t is not None else s.notna()))
    if integer and t is None:
        bad = bad | frac
    if empty_zero:
        num = num.fillna(0).mask(bad)
    dtype = "Int64" if integer else "Float64"
    return num.astype(dtype), bad, ("not a whole number" if integer else "not a number")


_TZ_SUFFIX = re.compile(r"(?:Z|[+-]\d{2}:?\d{2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")


def _to_local_naive(ts: pd.Series) -> pd.Series:
    if isinstance(ts.dtype, pd.DatetimeTZDtype):
        return ts.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
    return ts


#: Formats tried by the fast path (DuckDB's try_strptime rejects impossible dates such as
#: 31/02); anything else (ISO with 'T' or a zone, odd spacing) goes through pandas.
FAST_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S",
                "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S.%f")
_FAST_SQL = ("SELECT try_strptime(v, [" + ", ".join(f"'{f}'" for f in FAST_FORMATS)
             + "])::TIMESTAMP AS v FROM src")


_PARSER = threading.local()  # one in-memory DuckDB per thread, reused for every column and chunk


def _fast_strptime(text: pd.Series) -> pd.Series:
    con = getattr(_PARSER, "con", None)
    if con is None:
        import duckdb

        con = _PARSER.con = duckdb.connect()
    con.register("src", pd.DataFrame({"v": text.reset_index(drop=True)}))
    try:
        got = con.execute(_FAST_SQL).df()["v"]
    finally:
        con.unregister("src")
    got.index = text.index
    return got.astype("datetime64[us]")


def parse_timestamps(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse a column of timestamps to local naive ``datetime64[us]``; returns (values, bad mask).

    Accepts datetime values (naive = local; aware = converted), Excel date cells, ISO strings
    with or without time and zone, and dd/mm/yyyy [HH:MM[:SS]].
    """
    if pd.api.types.is_datetime64_any_dtype(s):
        out = _to_local_naive(s).astype("datetime64[us]")
        return out, pd.Series(False, index=s.index)
    if s.dtype == object:
        is_dt = s.map(lambda v: isinstance(v, datetime | date | pd.Timestamp))
    else:
        is_dt = pd.Series(False, index=s.index)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    if is_dt.any():
        vals = s[is_dt].map(_datetime_to_local)
        out[is_dt] = pd.to_datetime(vals).astype("datetime64[us]")
    t = _as_text(s.where(~is_dt, None))
    present = t.notna()
    if not present.any():
        return out, pd.Series(False, index=s.index)
    fast = _fast_strptime(t[present])
    out[fast.index] = fast
    rest = t[present & out.isna()]
    if len(rest):
        out[rest.index] = _slow_timestamps(rest)
    bad = present & out.isna()
    return out, bad


def _slow_timestamps(text: pd.Series) -> pd.Series:
    """The forms the fast path does not take: ISO with 'T' and/or a zone, one-digit parts."""
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    dmy = text.str.match(_DMY.pattern)
    if dmy.any():
        parts = text[dmy].str.extract(_DMY.pattern)
        frame = pd.DataFrame({
            "year": parts[2].astype("float"), "month": parts[1].astype("float"),
            "day": parts[0].astype("float"), "hour": parts[3].astype("float").fillna(0),
            "minute": parts[4].astype("float").fillna(0), "second": parts[5].astype("float").fillna(0),
        })
        out[frame.index] = pd.to_datetime(frame, errors="coerce").astype("datetime64[us]")
    iso = text[~dmy]
    if len(iso):
        aware = iso.str.contains(_TZ_SUFFIX.pattern, regex=True)
        if aware.any():
            parsed = pd.to_datetime(iso[aware], format="ISO8601", utc=True, errors="coerce")
            out[parsed.index] = _to_local_naive(parsed).astype("datetime64[us]")
        naive = iso[~aware]
        if len(naive):
            parsed = pd.to_datetime(naive, format="ISO8601", errors="coerce")
            out[parsed.index] = parsed.astype("datetime64[us]")
    return out


def _datetime_to_local(v: object) -> datetime:
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            return pd.Timestamp(v).tz_convert(TIMEZONE).tz_localize(None).to_pydatetime()
        return v
    assert isinstance(v, date)
    return datetime(v.year, v.month, v.day)


def parse_chunk(raw: pd.DataFrame, lay: FileLayout, rows: np.ndarray) -> Chunk:
    """Typed canonical frame (columns of the kind, absent ones empty) plus ``_row``."""
    kind = lay.kind
    renamed = raw[list(lay.columns)].rename(columns=lay.columns)
    out = pd.DataFrame(index=raw.index)
    issues: list[ParseIssue] = []
    row_series = pd.Series(rows, index=raw.index)
    for col, typ in COLUMNS[kind].items():
        if col not in renamed.columns:
            src = pd.Series(None, index=raw.index, dtype=object)
        else:
            src = renamed[col]
        if typ in ("id", "text"):
            values, bad, reason = _parse_id(src)
        elif typ == "key":
            values, bad, reason = _parse_id(src)
            values = values.fillna("")
        elif typ.startswith("enum:"):
            values, bad, reason = _parse_enum(src, typ.split(":", 1)[1])
        elif typ == "bool":
            values, bad, reason = _parse_bool(src)
        elif typ == "int":
            values, bad, reason = _parse_number(src, integer=True, empty_zero=True)
        elif typ == "count":
            values, bad, reason = _parse_number(src, integer=True, empty_zero=False)
        elif typ == "float":
            values, bad, reason = _parse_number(src, integer=False, empty_zero=False)
        elif typ == "timestamp":
            values, bad = parse_timestamps(src)
            reason = "not a date/time: expected ISO (2025-03-14 08:30) or dd/mm/yyyy [HH:MM]"
        elif typ == "date":
            values, bad = parse_timestamps(src)
            values = values.dt.normalize()
            reason = "not a date: expected ISO (2025-03-14) or dd/mm/yyyy"
        else:  # pragma: no cover - declarations are fixed above
            raise AssertionError(typ)
        out[col] = values
        if bad is not None and bool(bad.any()):
            issues.extend(_issues(row_series[bad], col, src[bad], reason))
    out["_row"] = rows
    return Chunk(out.reset_index(drop=True), issues)


def read_chunks(path: Path, kind: str | None = None,
                chunk_rows: int = CHUNK_ROWS) -> tuple[FileLayout, Iterator[Chunk]]:
    """Layout of ``path`` and an iterator of typed chunks. Raises :class:`ReadError`."""
    headers, raw = raw_source(path, chunk_rows)
    headers = [str(h) for h in headers]
    kind = kind or kind_from_name(path) or kind_from_headers(headers)
    if kind is None:
        raise ReadError(
            f"{path.name}: cannot tell what kind of data this is from its name or headers; "
            f"pass --kind ({', '.join(KINDS)})"
        )
    if kind not in KINDS:
        raise ReadError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    lay = layout(headers, kind, path)

    def typed() -> Iterator[Chunk]:
        for first, frame in raw:
            if "__row__" in frame.columns:
                rows = frame.pop("__row__").to_numpy()
            else:
                rows = np.arange(first, first + len(frame))
            yield parse_chunk(frame, lay, rows)

    return lay, typed()
