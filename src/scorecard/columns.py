"""The input columns, declared once: every kind of file, its columns, keys and row rules.

Each column is one :class:`Column` (name, type, whether a file must have it, allowed values with
their Vietnamese spellings, header aliases, checks, personal data or not, description). Everything
else is derived from these declarations and never written by hand:

- the store's DDL (:func:`scorecard.store.ddl`) and the migrations of older stores;
- the readers' header matching (:func:`scorecard.readers.alias_lookup`) and kind detection;
- the SQL that types raw text (:mod:`scorecard.sqltyping`) and the SQL checks that find bad rows
  (:mod:`scorecard.checks`), with their reasons;
- the pandera schemas (:mod:`scorecard.schemas`) and the DuckDB/Arrow types (:func:`duckdb_type`,
  :func:`arrow_schema`);
- the README's "Input formats" tables (:mod:`scorecard.input_formats`).

Adding a column is one line in :data:`SPECS`. Types: ``id`` (text code), ``text``, ``key`` (an id
that is part of a primary key and may be empty: stored as ``''``), ``enum`` (one of ``values``),
``bool``, ``int`` (whole number), ``count`` (whole number; in this project ≥ 0 by ``min``),
``float``, ``timestamp`` (local wall-clock time) and ``date``.

Rules over several columns (:class:`Rule`) are SQL boolean expressions over the typed columns that
hold for a valid row; a rule whose expression is NULL (a value it needs is missing, which another
check reports) passes, exactly as a SQL ``CHECK`` constraint does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

#: Column types and how they are stored.
DUCKDB_TYPES: dict[str, str] = {
    "id": "VARCHAR", "text": "VARCHAR", "key": "VARCHAR", "enum": "VARCHAR",
    "bool": "BOOLEAN", "int": "INTEGER", "count": "BIGINT", "float": "DOUBLE",
    "timestamp": "TIMESTAMP", "date": "DATE",
}

#: Period ids as they appear in files: YYYYQn, YYYY-MM or YYYY.
PERIOD_PATTERN = r"\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))?"


@dataclass(frozen=True)
class Value:
    """One allowed value of an enum column and the other words that mean it."""

    code: str
    spellings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Enum:
    """A named set of allowed values (shared by every column of that enum)."""

    name: str
    values: tuple[Value, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.values)


@dataclass(frozen=True)
class Column:
    """One input column of a kind. ``required``: a file of the kind must have it and every row
    must fill it; ``nullable`` (default: not ``required``) may be set False for a column a file
    may lack but whose rows must then be filled (they are rejected otherwise)."""

    name: str
    type: str
    required: bool = False
    nullable: bool | None = None
    aliases: tuple[str, ...] = ()
    enum: Enum | None = None
    min: float | None = None
    pattern: str | None = None  # a regex every value must match (full match)
    pattern_reason: str = ""
    safe_id: bool = False  # reaches a file name: checked with outputs.id_problem (issue 11)
    references: str | None = None  # a kind whose key the value must name
    vocabulary: str | None = None  # 'fields': values matched to codes (params/fields.yaml)
    empty: object = None  # what an empty cell becomes (0, ''), instead of NULL
    stored: bool = True  # False: read and checked, not kept (Biểu 06 totals)
    pii: bool = False  # personal data: recognised by its headers and dropped at read time
    replaced_by: str | None = None  # pii: a pseudonym column derived at read time (issue 13.2)
    description: str = ""

    def __post_init__(self) -> None:
        if self.type not in DUCKDB_TYPES:
            raise ValueError(f"column {self.name}: unknown type {self.type!r}")
        if (self.type == "enum") != (self.enum is not None):
            raise ValueError(f"column {self.name}: an enum column needs an Enum, and only it")

    @property
    def is_nullable(self) -> bool:
        if self.nullable is not None:
            return self.nullable
        return not self.required and self.empty is None


@dataclass(frozen=True)
class Rule:
    """A check over several columns: ``sql`` holds for a valid row (NULL passes)."""

    name: str
    columns: tuple[str, ...]  # the columns a rejected row names, in this order
    sql: str
    reason: str  # English, as rejects store it; reasons.py gives the Vietnamese
    description: str = ""  # README wording (defaults to the reason)


@dataclass(frozen=True)
class Kind:
    """One kind of input file and the store table it loads into."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rules: tuple[Rule, ...] = ()
    file_prefixes: tuple[str, ...] = ()  # kind_from_name: normalised file-name prefixes
    title: str = ""  # README heading after the kind's name
    note: str = ""  # README paragraph after the table
    #: True: the key is a PRIMARY KEY index in the store. False for the large tables: an index
    #: over tens of millions of keys costs more to build, load and checkpoint than the whole
    #: load; the loader (the only writer) keeps their keys unique instead (checks.py).
    indexed_key: bool = True

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def stored_columns(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.stored)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def with_column(self, column: Column) -> Kind:
        """A copy with one more column (tests; extensions)."""
        return replace(self, columns=(*self.columns, column))


# ---------------------------------------------------------------- allowed values
LEVEL = Enum("level", (
    Value("province", ("tỉnh", "cấp tỉnh", "UBND tỉnh")),
    Value("department", ("sở", "sở, ngành", "ngành", "sở ngành", "cấp sở")),
    Value("district", ("huyện", "cấp huyện", "quận", "thị xã", "thành phố")),
    Value("commune", ("xã", "cấp xã", "phường", "thị trấn")),
))
ONLINE_SERVICE = Enum("online_service", (
    Value("full", ("toàn trình", "DVCTT toàn trình", "mức độ 4")),
    Value("partial", ("một phần", "DVCTT một phần", "mức độ 3")),
    Value("none", ("không", "không có", "trực tiếp")),
))
STATUS = Enum("status", (
    Value("pending", ("đang giải quyết", "đang xử lý", "chưa giải quyết")),
    Value("resolved", ("đã giải quyết", "đã trả kết quả", "hoàn thành", "đã xử lý")),
    Value("withdrawn", ("rút hồ sơ", "xin rút", "công dân rút")),
    Value("refused", ("từ chối", "trả lại", "không giải quyết")),
))
CHANNEL = Enum("channel", (
    Value("online", ("trực tuyến", "qua mạng", "DVCTT")),
    Value("direct", ("trực tiếp", "tại quầy")),
    Value("postal", ("bưu chính", "qua bưu điện", "bưu chính công ích")),
))
RATING = Enum("rating", (
    Value("very_satisfied", ("rất hài lòng",)),
    Value("satisfied", ("hài lòng",)),
    Value("dissatisfied", ("không hài lòng", "chưa hài lòng")),
))

#: yes/no words (matched ignoring case, accents and spacing).
TRUE_WORDS = ("true", "1", "yes", "y", "x", "có", "co", "đúng", "đã", "rồi", "t")
FALSE_WORDS = ("false", "0", "no", "n", "không", "khong", "chưa", "sai", "f")
#: Cell texts that mean "empty" (not "none": an online_service value).
EMPTY_WORDS = ("", "nan", "null", "na", "n/a", "-", "nat")

# ---------------------------------------------------------------- personal data
#: Columns holding personal data, in any kind: recognised by their headers (a header containing
#: one of the aliases, ignoring case, accents and spacing) and dropped when the file is read,
#: never stored; the load summary names them.
PERSONAL: tuple[Column, ...] = (
    Column("applicant_name", "text", pii=True, description="citizen's name",
           aliases=("Họ và tên", "Họ tên", "Tên người nộp", "Người nộp", "Tên công dân",
                    "citizen", "full name")),
    Column("applicant_id_number", "text", pii=True, replaced_by="applicant_key",
           description="ID/CCCD number (with a pseudonym key: read as `applicant_key`, its HMAC, "
                       "instead of being dropped)",
           aliases=("CCCD", "CMND", "Căn cước", "Số định danh", "ID number", "national id",
                    "passport", "Hộ chiếu")),
    Column("phone", "text", pii=True, description="phone",
           aliases=("Điện thoại", "phone", "mobile")),
    Column("address", "text", pii=True, description="address", aliases=("Địa chỉ", "address")),
    Column("email", "text", pii=True, description="email", aliases=("email", "Thư điện tử")),
)


# ---------------------------------------------------------------- shared columns and rules
def _unit(**kw: object) -> Column:
    base: dict = {"required": True, "safe_id": True, "references": "units",
                  "aliases": ("Mã đơn vị", "Mã cơ quan", "Đơn vị", "unit")}
    base.update(kw)
    return Column("unit_id", "id", **base)


def _yes_no(name: str, aliases: tuple[str, ...], description: str = "", **kw: object) -> Column:
    return Column(name, "bool", aliases=aliases, description=description, **kw)


def _count(name: str, aliases: tuple[str, ...] = (), **kw: object) -> Column:
    return Column(name, "count", min=0, aliases=aliases, **kw)


def _period(**kw: object) -> Column:
    return Column("period", "id", required=True, pattern=PERIOD_PATTERN,
                  pattern_reason="period is not a period id (YYYYQn, YYYY-MM or YYYY)",
                  aliases=("Kỳ báo cáo", "Kỳ"), description="`YYYYQn`, `YYYY-MM` or `YYYY`", **kw)


_UNKNOWN = "empty = unknown (counts as not done)"
_RECEIVED = Column("received_at", "timestamp", required=True,
                   aliases=("Ngày tiếp nhận", "Ngày nhận", "Thời gian tiếp nhận"))
_DUE = Column("due_at", "timestamp", required=True,
              aliases=("Ngày hẹn trả", "Hạn xử lý", "Hạn giải quyết"))
_RESOLVED = Column("resolved_at", "timestamp",
                   aliases=("Ngày có kết quả", "Ngày trả kết quả", "Ngày hoàn thành",
                            "Ngày xử lý xong"))
_TIMELINE_RULES = (
    Rule("due_before_received", ("due_at",), "due_at >= received_at",
         "due date is before the received date", "due ≥ received"),
    Rule("resolved_before_received", ("resolved_at",), "resolved_at >= received_at",
         "finished before it was received", "resolved ≥ received"),
)

#: Biểu 06 totals and the parts they must equal: (3)=(4)+(5)+(6), (7)=(8)+(9)+(10), (11)=(12)+(13).
FORM06_TOTALS: dict[str, tuple[str, ...]] = {
    "received_total": ("received_online", "received_direct_postal", "carried_over"),
    "resolved_total": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending_total": ("pending_in_time", "pending_overdue"),
}
_TOTAL_REASONS = {
    "received_total": "received_total ≠ online + direct/postal + carried over",
    "resolved_total": "resolved_total ≠ early + on time + late",
    "pending_total": "pending_total ≠ in time + overdue",
}

# ---------------------------------------------------------------- the kinds
SPECS: dict[str, Kind] = {}


def _declare(kind: Kind) -> None:
    SPECS[kind.name] = kind


_declare(Kind(
    "units", key=("unit_id",), file_prefixes=("units", "donvi"),
    columns=(
        _unit(references=None),
        Column("name", "text", required=True,
               aliases=("Tên", "Tên đơn vị", "Tên thủ tục", "Tên TTHC", "Tên cơ quan")),
        Column("level", "enum", required=True, enum=LEVEL, aliases=("Cấp", "Cấp hành chính")),
        Column("parent_id", "id", safe_id=True, references="units",
               aliases=("Mã đơn vị cha", "Đơn vị cấp trên", "Mã đơn vị cấp trên", "parent"),
               description="empty for the root"),
        Column("roles", "text", aliases=("Vai trò", "Vai trò đơn vị"),
               description="role codes separated by `,` or `;` (e.g. `van_phong_ubnd`), so "
                           "plan task registers can name a unit by its role"),
    ),
    rules=(Rule("parent_not_self", ("parent_id",), "parent_id <> unit_id",
                "a unit cannot be its own parent", "not its own parent"),),
))

_declare(Kind(
    "procedures", key=("procedure_id",), file_prefixes=("procedures", "thutuc"),
    columns=(
        Column("procedure_id", "id", required=True,
               aliases=("Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính", "procedure"),
               description="national code, e.g. `1.001234`"),
        Column("name", "text", required=True,
               aliases=("Tên", "Tên đơn vị", "Tên thủ tục", "Tên TTHC", "Tên cơ quan")),
        Column("field", "text", required=True, vocabulary="fields",
               aliases=("Lĩnh vực", "Mã lĩnh vực"),
               description="a field code such as `dat_dai`; names and variants in "
                           "`params/fields.yaml` (\"Đất đai\", \"Lĩnh vực đất đai\") become the "
                           "code, others are kept as given and counted in the load summary"),
        Column("online_service", "enum", required=True, enum=ONLINE_SERVICE,
               aliases=("Mức độ DVCTT", "Dịch vụ công trực tuyến", "DVCTT")),
        _yes_no("has_fee", ("Có phí", "Có phí, lệ phí", "Thu phí"), nullable=False),
        _yes_no("payment_integrated", ("Tích hợp thanh toán", "Đã tích hợp thanh toán"),
                nullable=False),
        _yes_no("at_one_stop", ("Tại bộ phận một cửa", "Một cửa"), nullable=False),
        _yes_no("four_on_spot", ("4 tại chỗ", "Bốn tại chỗ"), nullable=False),
        _yes_no("has_sample_dossier", ("Có hồ sơ mẫu", "Hồ sơ mẫu"), nullable=False),
        _yes_no("e_process_configured", ("Quy trình điện tử", "Cấu hình quy trình điện tử"),
                nullable=False),
        Column("statutory_days", "float", min=0,
               aliases=("Thời hạn giải quyết", "Thời hạn giải quyết (ngày làm việc)",
                        "Số ngày giải quyết theo quy định"),
               description="legal processing time in working days (national procedure database)"),
        _yes_no("citizen_data_connected",
                ("Kết nối dữ liệu dân cư", "Đã kết nối CSDL dân cư",
                 "TTHC đã kết nối, chia sẻ dữ liệu dân cư"),
                "connected to the national population database"),
    ),
))

_declare(Kind(
    "unit_procedures", key=("unit_id", "procedure_id"),
    file_prefixes=("unitprocedures", "danhmuc"),
    title="(optional: each unit's published catalogue, danh mục TTHC)",
    note="Procedure-share indicators use it as their denominator; without it, a unit's "
         "procedures are those it received cases for, and reports say so.",
    columns=(
        _unit(),
        Column("procedure_id", "id", required=True, references="procedures",
               aliases=("Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính", "procedure")),
    ),
))

_declare(Kind(
    "cases", key=("case_id",), file_prefixes=("cases", "hoso"), title="(one row per hồ sơ)",
    indexed_key=False,
    columns=(
        Column("case_id", "id", required=True, aliases=("Mã hồ sơ", "Số hồ sơ")),
        _unit(),
        Column("procedure_id", "id", required=True, references="procedures",
               aliases=("Mã thủ tục", "Mã TTHC", "Mã thủ tục hành chính", "procedure")),
        _RECEIVED, _DUE,
        replace(_RESOLVED, description="when the case was finished (resolved, withdrawn or "
                                       "refused); empty while pending"),
        Column("status", "enum", required=True, enum=STATUS,
               aliases=("Trạng thái", "Tình trạng")),
        Column("channel", "enum", required=True, enum=CHANNEL,
               aliases=("Kênh tiếp nhận", "Hình thức nộp", "Kênh nộp")),
        Column("supplement_requests", "int", min=0, empty=0,
               aliases=("Số lần yêu cầu bổ sung", "Số lần bổ sung"), description="empty = 0"),
        _yes_no("digitized", ("Số hóa", "Đã số hóa", "Số hóa hồ sơ"), _UNKNOWN),
        _yes_no("e_result", ("Kết quả điện tử", "Có kết quả điện tử"), _UNKNOWN),
        _yes_no("reused_data", ("Tái sử dụng dữ liệu", "Sử dụng lại dữ liệu"), _UNKNOWN),
        _yes_no("fee_required", ("Phải nộp phí", "Có nộp phí"), _UNKNOWN),
        _yes_no("paid_online", ("Thanh toán trực tuyến", "Đã thanh toán trực tuyến"), _UNKNOWN),
        _yes_no("apology_issued", ("Phiếu xin lỗi", "Có phiếu xin lỗi", "Đã xin lỗi"), _UNKNOWN),
        Column("rating", "enum", enum=RATING, aliases=("Mức độ hài lòng", "Đánh giá")),
        Column("supplement_requested_at", "timestamp",
               aliases=("Ngày yêu cầu bổ sung", "Thời gian yêu cầu bổ sung"),
               description="the last supplement request"),
        Column("applicant_key", "id", aliases=("Mã bí danh người nộp",),
               description="pseudonym of the applicant (HMAC of the ID number), never the ID "
                           "itself; with a pseudonym key it is computed from the file's ID "
                           "column when it has one (README \"Applicant pseudonyms\")"),
        _yes_no("citizen_data_used", ("Sử dụng dữ liệu dân cư",
                                      "Hồ sơ có sử dụng thông tin, dữ liệu dân cư"),
                "used national population data; " + _UNKNOWN),
        _yes_no("personal_storage_synced", ("Chia sẻ vào kho dữ liệu cá nhân",
                                            "Hồ sơ số hóa được chia sẻ vào kho dữ liệu cá nhân"),
                "digitized dossier shared to the citizen's personal data store; " + _UNKNOWN),
    ),
    rules=(
        *_TIMELINE_RULES,
        Rule("status_vs_resolved_at", ("status", "resolved_at"),
             "(status = 'pending') = (resolved_at IS NULL)",
             "status and resolved_at disagree: a pending case has no finish date, "
             "a resolved/withdrawn/refused case must have one",
             "`pending` exactly when resolved_at is empty"),
    ),
))

_declare(Kind(
    "case_supplements", key=("case_id", "seq"),
    file_prefixes=("casesupplements", "hosobosung"), indexed_key=False,
    title="(the supplement history of a case: one row per request, yêu cầu bổ sung)",
    columns=(
        Column("case_id", "id", required=True, references="cases", aliases=("Mã hồ sơ", "Số hồ sơ"),
               description="load the cases first"),
        Column("seq", "int", required=True, min=1, aliases=("Lần bổ sung", "Lần yêu cầu bổ sung"),
               description="1, 2, … in order"),
        Column("requested_at", "timestamp", required=True,
               aliases=("Ngày yêu cầu bổ sung", "Ngày bổ sung")),
        Column("returned_at", "timestamp", aliases=("Ngày tiếp nhận bổ sung", "Ngày nộp bổ sung"),
               description="when the citizen handed the supplement in"),
        Column("due_before", "timestamp", aliases=("Ngày hẹn trả trước", "Ngày hẹn trả cũ")),
        Column("due_after", "timestamp", aliases=("Ngày hẹn trả mới",)),
    ),
    rules=(Rule("returned_before_requested", ("returned_at",), "returned_at >= requested_at",
                "supplement returned before it was requested", "returned ≥ requested"),),
))

_declare(Kind(
    "feedback", key=("feedback_id",), file_prefixes=("feedback", "pakn"), title="(PAKN)",
    indexed_key=False,
    columns=(
        Column("feedback_id", "id", required=True,
               aliases=("Mã phản ánh", "Mã PAKN", "Mã phản ánh kiến nghị")),
        _unit(),
        _RECEIVED, _DUE, replace(_RESOLVED, description="empty while open"),
        _yes_no("satisfied", ("Hài lòng", "Người dân hài lòng")),
    ),
    rules=_TIMELINE_RULES,
))

_declare(Kind(
    "form06", key=("unit_id", "period"), file_prefixes=("form06", "bieu06"),
    title="(the aggregated quarterly report of TT 01/2020, Biểu 06; also read from the "
          "official `.xlsx` layout that `scorecard form06` writes)",
    columns=(
        _unit(),
        _period(),
        Column("period_start", "date", aliases=("Từ ngày",)),
        Column("period_end", "date", aliases=("Đến ngày",)),
        _count("received_online", ("Trực tuyến", "Nhận trực tuyến", "Số hồ sơ nhận trực tuyến"),
               required=True),
        _count("received_direct_postal", ("Trực tiếp và qua dịch vụ bưu chính",
                                          "Trực tiếp, bưu chính", "Nhận trực tiếp và bưu chính"),
               required=True),
        _count("carried_over", ("Từ kỳ trước chuyển qua", "Kỳ trước chuyển qua", "Tồn kỳ trước"),
               required=True),
        _count("resolved_early", ("Trước hạn", "Giải quyết trước hạn"), required=True),
        _count("resolved_on_time", ("Đúng hạn", "Giải quyết đúng hạn"), required=True),
        _count("resolved_late", ("Quá hạn", "Giải quyết quá hạn"), required=True),
        _count("pending_in_time", ("Đang giải quyết trong hạn", "Trong hạn"), required=True),
        _count("pending_overdue", ("Đang giải quyết quá hạn",), required=True),
        *(_count(total, stored=False, description="optional; must equal the sum of its parts")
          for total in FORM06_TOTALS),
    ),
    rules=(
        *(Rule(total, (total,), f"{total} = {' + '.join(parts)}", _TOTAL_REASONS[total],
               f"{total} = {' + '.join(parts)}")
          for total, parts in FORM06_TOTALS.items()),
        Rule("period_window", ("period_end",), "period_end >= period_start",
             "period_end is before period_start", "end ≥ start"),
    ),
))

_declare(Kind(
    "manual", key=("unit_id", "period", "indicator"), file_prefixes=("manual",),
    title="(measurements case data cannot give, for `manual` plan targets and 766 metrics)",
    columns=(
        _unit(),
        _period(),
        Column("indicator", "id", required=True, aliases=("Chỉ tiêu", "Mã chỉ tiêu"),
               description="the plan target's or 766 metric's id"),
        Column("value", "float", required=True, aliases=("Giá trị",),
               description="a rate as a fraction (0.95) or a count"),
        Column("source", "text", aliases=("Nguồn",), description="where the figure comes from"),
    ),
))

_declare(Kind(
    "task_status", key=("plan_id", "task_id", "unit_id", "occurrence"),
    file_prefixes=("taskstatus", "nhiemvu"),
    title="(what a unit reports on one assignment of a plan)",
    note="Each row must name a task occurrence of a plan's task register "
         "(`params/plans/<plan_id>.tasks.yaml`, or those of `scorecard ingest --plans DIR`): a "
         "known plan and task, the occurrence empty for a task with one due date, one of the "
         "occurrences (`2025-03`, `2025Q2`, …) of a recurring task, empty or a period id for a "
         "continuous or on-demand one; other rows are rejected with the reason.",
    columns=(
        Column("plan_id", "id", required=True, safe_id=True, aliases=("Mã kế hoạch", "Kế hoạch")),
        Column("task_id", "id", required=True,
               aliases=("Mã nhiệm vụ", "Số thứ tự nhiệm vụ", "Nhiệm vụ")),
        _unit(),
        Column("occurrence", "key", empty="", aliases=("Kỳ thực hiện", "Lần thực hiện", "Đợt"),
               description="which occurrence of a recurring task; empty when it is not "
                           "recurring"),
        Column("done_on", "date", aliases=("Ngày hoàn thành", "Ngày thực hiện xong")),
        Column("document", "text",
               aliases=("Văn bản", "Số, ký hiệu văn bản", "Số ký hiệu văn bản", "Sản phẩm")),
        Column("note", "text", aliases=("Ghi chú",)),
    ),
))

#: Kinds of input, in the order a batch loads them (referenced tables first).
KIND_ORDER: tuple[str, ...] = tuple(SPECS)


def spec(kind: str) -> Kind:
    """The declaration of ``kind`` (KeyError for an unknown kind)."""
    return SPECS[kind]


def rule_columns(kind: Kind, sql: str) -> list[str]:
    """The declared columns of ``kind`` that a rule's SQL mentions."""
    words = set(re.findall(r"[a-z_][a-z0-9_]*", sql))
    return [c.name for c in kind.columns if c.name in words]


def duckdb_type(column: Column) -> str:
    """The store's SQL type of a column."""
    return DUCKDB_TYPES[column.type]


def arrow_schema(kind: str):  # type: ignore[no-untyped-def]
    """The Arrow schema of a kind's stored columns (for sources that build Arrow tables)."""
    import pyarrow as pa

    types = {"VARCHAR": pa.string(), "BOOLEAN": pa.bool_(), "INTEGER": pa.int32(),
             "BIGINT": pa.int64(), "DOUBLE": pa.float64(), "TIMESTAMP": pa.timestamp("us"),
             "DATE": pa.date32()}
    return pa.schema([pa.field(c.name, types[duckdb_type(c)]) for c in spec(kind).stored_columns])
