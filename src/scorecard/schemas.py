"""What valid data is: one pandera ``DataFrameModel`` per kind of input.

The models see typed frames from :mod:`scorecard.readers` (canonical columns plus ``_row``).
Rules that need the store (references to known units and procedures) are added per load by
:func:`schema_for`; uniqueness inside a chunk is checked here (the first occurrence is kept), and
across the chunks of one file by the loader.

Every failing check maps to a human reason in :data:`REASONS`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from scorecard.store import CHANNELS, LEVELS, ONLINE_SERVICES, PRIMARY_KEYS, RATINGS, STATUSES

PERIOD_PATTERN = r"^\d{4}(Q[1-4]|-(0[1-9]|1[0-2]))?$"

Str = Series[pd.StringDtype]
Bool = Series[pd.BooleanDtype]
Int = Series[pd.Int64Dtype]
Flt = Series[pd.Float64Dtype]
Stamp = Series["datetime64[us]"]  # type: ignore[type-arg]


def _nonblank(**kw: object) -> object:
    return pa.Field(nullable=False, str_length={"min_value": 1}, **kw)


def _both_missing_or(later: pd.Series, earlier: pd.Series) -> pd.Series:
    """True where either value is missing (another rule reports it) or later >= earlier.

    NaT compares False in numpy, so the missing case is handled explicitly."""
    return later.isna() | earlier.isna() | (later >= earlier)


class Units(pa.DataFrameModel):
    unit_id: Str = _nonblank()
    name: Str = _nonblank()
    level: Str = pa.Field(nullable=False, isin=list(LEVELS))
    parent_id: Str = pa.Field(nullable=True)
    roles: Str = pa.Field(nullable=True)

    @pa.dataframe_check(name="parent_not_self")
    def parent_not_self(cls, df: pd.DataFrame) -> Series[bool]:
        return (df["parent_id"] != df["unit_id"]).fillna(True)


class Procedures(pa.DataFrameModel):
    procedure_id: Str = _nonblank()
    name: Str = _nonblank()
    field: Str = _nonblank()
    online_service: Str = pa.Field(nullable=False, isin=list(ONLINE_SERVICES))
    has_fee: Bool = pa.Field(nullable=False)
    payment_integrated: Bool = pa.Field(nullable=False)
    at_one_stop: Bool = pa.Field(nullable=False)
    four_on_spot: Bool = pa.Field(nullable=False)
    has_sample_dossier: Bool = pa.Field(nullable=False)
    e_process_configured: Bool = pa.Field(nullable=False)
    statutory_days: Flt = pa.Field(nullable=True, ge=0)
    citizen_data_connected: Bool = pa.Field(nullable=True)


class UnitProcedures(pa.DataFrameModel):
    unit_id: Str = _nonblank()
    procedure_id: Str = _nonblank()


class _Timeline(pa.DataFrameModel):
    """Received, due and finished dates, and their order (cases and PAKN alike)."""

    received_at: Stamp = pa.Field(nullable=False)
    due_at: Stamp = pa.Field(nullable=False)
    resolved_at: Stamp = pa.Field(nullable=True)

    @pa.dataframe_check(name="due_before_received")
    def due_not_before_received(cls, df: pd.DataFrame) -> Series[bool]:
        return _both_missing_or(df["due_at"], df["received_at"])

    @pa.dataframe_check(name="resolved_before_received")
    def resolved_not_before_received(cls, df: pd.DataFrame) -> Series[bool]:
        return _both_missing_or(df["resolved_at"], df["received_at"])


class Cases(_Timeline):
    case_id: Str = _nonblank()
    unit_id: Str = _nonblank()
    procedure_id: Str = _nonblank()
    status: Str = pa.Field(nullable=False, isin=list(STATUSES))
    channel: Str = pa.Field(nullable=False, isin=list(CHANNELS))
    supplement_requests: Int = pa.Field(nullable=False, ge=0)
    digitized: Bool = pa.Field(nullable=True)
    e_result: Bool = pa.Field(nullable=True)
    reused_data: Bool = pa.Field(nullable=True)
    fee_required: Bool = pa.Field(nullable=True)
    paid_online: Bool = pa.Field(nullable=True)
    apology_issued: Bool = pa.Field(nullable=True)
    rating: Str = pa.Field(nullable=True, isin=list(RATINGS))
    supplement_requested_at: Stamp = pa.Field(nullable=True)
    applicant_key: Str = pa.Field(nullable=True)
    citizen_data_used: Bool = pa.Field(nullable=True)
    personal_storage_synced: Bool = pa.Field(nullable=True)

    @pa.dataframe_check(name="status_vs_resolved_at")
    def status_matches_resolved_at(cls, df: pd.DataFrame) -> Series[bool]:
        pending = df["status"] == "pending"
        return (pending == df["resolved_at"].isna()).fillna(True) | df["status"].isna()


class Feedback(_Timeline):
    feedback_id: Str = _nonblank()
    unit_id: Str = _nonblank()
    satisfied: Bool = pa.Field(nullable=True)


#: Optional Biểu 06 totals and the parts they must equal: (3)=(4)+(5)+(6), (7)=(8)+(9)+(10),
#: (11)=(12)+(13).
FORM06_TOTALS: dict[str, tuple[str, ...]] = {
    "received_total": ("received_online", "received_direct_postal", "carried_over"),
    "resolved_total": ("resolved_early", "resolved_on_time", "resolved_late"),
    "pending_total": ("pending_in_time", "pending_overdue"),
}


class Form06(pa.DataFrameModel):
    unit_id: Str = _nonblank()
    period: Str = pa.Field(nullable=False, str_matches=PERIOD_PATTERN)
    period_start: Stamp = pa.Field(nullable=True)
    period_end: Stamp = pa.Field(nullable=True)
    received_online: Int = pa.Field(nullable=False, ge=0)
    received_direct_postal: Int = pa.Field(nullable=False, ge=0)
    carried_over: Int = pa.Field(nullable=False, ge=0)
    resolved_early: Int = pa.Field(nullable=False, ge=0)
    resolved_on_time: Int = pa.Field(nullable=False, ge=0)
    resolved_late: Int = pa.Field(nullable=False, ge=0)
    pending_in_time: Int = pa.Field(nullable=False, ge=0)
    pending_overdue: Int = pa.Field(nullable=False, ge=0)
    received_total: Int = pa.Field(nullable=True, ge=0)
    resolved_total: Int = pa.Field(nullable=True, ge=0)
    pending_total: Int = pa.Field(nullable=True, ge=0)

    @pa.dataframe_check(name="received_total")
    def received_total_agrees(cls, df: pd.DataFrame) -> Series[bool]:
        return _total_agrees(df, "received_total")

    @pa.dataframe_check(name="resolved_total")
    def resolved_total_agrees(cls, df: pd.DataFrame) -> Series[bool]:
        return _total_agrees(df, "resolved_total")

    @pa.dataframe_check(name="pending_total")
    def pending_total_agrees(cls, df: pd.DataFrame) -> Series[bool]:
        return _total_agrees(df, "pending_total")

    @pa.dataframe_check(name="period_window")
    def window_in_order(cls, df: pd.DataFrame) -> Series[bool]:
        return _both_missing_or(df["period_end"], df["period_start"])


def _total_agrees(df: pd.DataFrame, total: str) -> pd.Series:
    parts = sum(df[c] for c in FORM06_TOTALS[total])
    return (df[total].isna() | (df[total] == parts)).fillna(True)


class Manual(pa.DataFrameModel):
    unit_id: Str = _nonblank()
    period: Str = pa.Field(nullable=False, str_matches=PERIOD_PATTERN)
    indicator: Str = _nonblank()
    value: Flt = pa.Field(nullable=False)
    source: Str = pa.Field(nullable=True)


class CaseSupplements(pa.DataFrameModel):
    """One supplement request of a case (yêu cầu bổ sung), in order (``seq`` = 1, 2, …)."""

    case_id: Str = _nonblank()
    seq: Int = pa.Field(nullable=False, ge=1)
    requested_at: Stamp = pa.Field(nullable=False)
    returned_at: Stamp = pa.Field(nullable=True)
    due_before: Stamp = pa.Field(nullable=True)
    due_after: Stamp = pa.Field(nullable=True)

    @pa.dataframe_check(name="returned_before_requested")
    def returned_not_before_requested(cls, df: pd.DataFrame) -> Series[bool]:
        return _both_missing_or(df["returned_at"], df["requested_at"])


class TaskStatus(pa.DataFrameModel):
    """What a unit reports on one assignment of a plan (one occurrence of a recurring one)."""

    plan_id: Str = _nonblank()
    task_id: Str = _nonblank()
    unit_id: Str = _nonblank()
    occurrence: Str = pa.Field(nullable=False)
    done_on: Stamp = pa.Field(nullable=True)
    document: Str = pa.Field(nullable=True)
    note: Str = pa.Field(nullable=True)


MODELS: dict[str, type[pa.DataFrameModel]] = {
    "units": Units,
    "procedures": Procedures,
    "unit_procedures": UnitProcedures,
    "cases": Cases,
    "feedback": Feedback,
    "form06": Form06,
    "manual": Manual,
    "case_supplements": CaseSupplements,
    "task_status": TaskStatus,
}

#: Dataframe-level checks: the columns they concern and the reason shown in rejects.
REASONS: dict[str, tuple[tuple[str, ...], str]] = {
    "parent_not_self": (("parent_id",), "a unit cannot be its own parent"),
    "due_before_received": (("due_at",), "due date is before the received date"),
    "resolved_before_received": (("resolved_at",), "finished before it was received"),
    "status_vs_resolved_at": (
        ("status", "resolved_at"),
        "status and resolved_at disagree: a pending case has no finish date, "
        "a resolved/withdrawn/refused case must have one",
    ),
    "received_total": (("received_total",), "received_total ≠ online + direct/postal + carried over"),
    "resolved_total": (("resolved_total",), "resolved_total ≠ early + on time + late"),
    "pending_total": (("pending_total",), "pending_total ≠ in time + overdue"),
    "period_window": (("period_end",), "period_end is before period_start"),
    "returned_before_requested": (("returned_at",),
                                  "supplement returned before it was requested"),
}

#: Reference checks added per load: column -> which set of known keys it must be in.
REFERENCES: dict[str, dict[str, str]] = {
    "units": {"parent_id": "units"},
    "unit_procedures": {"unit_id": "units", "procedure_id": "procedures"},
    "cases": {"unit_id": "units", "procedure_id": "procedures"},
    "feedback": {"unit_id": "units"},
    "form06": {"unit_id": "units"},
    "manual": {"unit_id": "units"},
    "case_supplements": {"case_id": "cases"},
    "task_status": {"unit_id": "units"},
}


def schema_for(kind: str, known: dict[str, Iterable[str]] | None = None) -> pa.DataFrameSchema:
    """The kind's schema, with reference checks against ``known`` keys and in-chunk uniqueness
    of the primary key (first occurrence kept)."""
    base = MODELS[kind].to_schema()
    columns = dict(base.columns)
    for col, target in REFERENCES.get(kind, {}).items():
        if known is None or target not in known:
            continue
        allowed = set(known[target])
        check = pa.Check(
            lambda s, allowed=allowed: s.isna() | s.isin(allowed),
            element_wise=False,
            name=f"unknown_{target}",
        )
        columns[col] = columns[col].set_checks([*columns[col].checks, check])
    return pa.DataFrameSchema(
        columns,
        checks=base.checks,
        unique=list(PRIMARY_KEYS[kind]),
        report_duplicates="exclude_first",
        strict=False,
        name=kind,
    )
