"""The deliberately bad rows of the demo's files: which kinds, where, and how they are built
from good rows (a loader should reject exactly these rows and nothing else)."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pyarrow as pa

from scorecard.demo.constants import XLSX_FILE

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


def _feedback_with_bad_row(fb: pd.DataFrame) -> pd.DataFrame:
    base = fb.iloc[min(3, len(fb) - 1)].copy()
    base["feedback_id"] = FEEDBACK_BAD_ID
    base["resolved_at"] = base["received_at"] - pd.Timedelta(days=2)
    pos = len(fb) // 2
    return pd.concat([fb.iloc[:pos], base.to_frame().T, fb.iloc[pos:]],
                     ignore_index=True).astype(fb.dtypes.to_dict())
