"""Slicing a bundle for one unit: :func:`unit_report` → :class:`UnitReport` (raw values).

A report shows a leaf's own figures and a parent's whole-tree figures (``scope``); the slices
here pick those rows from the bundle's frames. The display modules of this package turn them
into Vietnamese tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.scorecard_data.bundle import Bundle, compute_bundle
from scorecard.scorecard_data.cache import load_bundle


@dataclass
class UnitReport:
    """The slices of a bundle for one unit (raw values; the ``*_table`` functions format).

    ``tasks``: the task occurrences the unit leads; ``leads``/``lead_evidence``: inspection-lead
    scores and evidence of the unit and every unit below it; ``leads_status``: which leads ran;
    ``index766_breakdown``: every group and metric of the unit's 766 scope."""

    unit: dict[str, Any]
    meta: dict[str, Any]
    targets: pd.DataFrame
    trend: pd.DataFrame
    fields: pd.DataFrame
    late_procedures: pd.DataFrame
    pakn: pd.DataFrame
    children: pd.DataFrame
    index766: pd.DataFrame
    index766_summary: pd.DataFrame
    quality: dict[str, Any]
    scope: str
    tasks: pd.DataFrame = field(default_factory=pd.DataFrame)
    leads: pd.DataFrame = field(default_factory=pd.DataFrame)
    lead_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)
    leads_status: pd.DataFrame = field(default_factory=pd.DataFrame)
    index766_breakdown: pd.DataFrame = field(default_factory=pd.DataFrame)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per report: several sections use the same derived frame."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @property
    def unit_id(self) -> str:
        return str(self.unit["unit_id"])

    @property
    def is_parent(self) -> bool:
        return len(self.children) > 0

    @property
    def window(self) -> tuple[date, date]:
        a, b = self.meta["window"]
        return date.fromisoformat(a), date.fromisoformat(b)


def unit_report(unit_id: str, *, bundle: str | Path | Bundle | None = None,
                db: str | Path | None = None, plan: Any = None, period: str | None = None,
                calendar: str | None = None) -> UnitReport:
    """Slice ``bundle`` (a Bundle, a saved bundle directory, or None: compute one from ``db``
    for ``plan`` and ``period``) for ``unit_id``. Unknown units raise ``KeyError``. An empty
    ``db`` is the project's store (:func:`scorecard.paths.resolve_store`)."""
    from scorecard.units import descendants

    if isinstance(bundle, Bundle):
        b = bundle
    elif bundle:
        b = load_bundle(bundle)
    else:
        if plan is None or period is None:
            raise ValueError("unit_report needs a bundle, or a plan and a period")
        b = compute_bundle(db, plan, period, calendar=calendar)
    units = b["units"]
    row = units[units["unit_id"] == unit_id]
    if row.empty:
        raise KeyError(f"unit {unit_id!r} is not in the store")
    unit = row.iloc[0].to_dict()
    kids = units[units["parent_id"] == unit_id]
    scope = "tree" if len(kids) else "own"
    subtree = set(descendants(units, unit_id))
    fl = b.of_unit("fields", unit_id)
    fields = fl[fl["scope"] == scope] if len(fl) else fl
    lp = b["late_procedures"]
    late = (lp[lp["unit_id"].isin(subtree)]
            .groupby(["procedure_id", "procedure_name", "field"], as_index=False, dropna=False)
            [["resolved", "late", "apologies"]].sum()
            .sort_values(["late", "procedure_id"], ascending=[False, True])
            .reset_index(drop=True))
    pk = b.of_unit("pakn", unit_id)
    pakn = pk[pk["scope"] == scope].reset_index(drop=True) if len(pk) else pk
    ix = b.of_unit("index766", unit_id)
    ixs = b.of_unit("index766_summary", unit_id)
    iscope = str(ixs["scope"].iloc[0]) if len(ixs) else scope
    rej = b["rejects_by_unit"]
    quality = {
        "load_log": b["load_log"],
        "rejects_by_reason": b["rejects_by_reason"],
        "rejects_for_unit": rej[rej["unit_id"].isin(subtree)].reset_index(drop=True),
        "form06_overlap": b["form06_overlap"][b["form06_overlap"]["unit_id"].isin(subtree)]
        .reset_index(drop=True),
        "form06_only": sorted(set(b["form06_only"]["unit_id"]) & subtree),
    }
    return UnitReport(
        unit=unit, meta=b.meta, targets=b.of_unit("evaluation", unit_id).reset_index(drop=True),
        trend=b.of_unit("trend", unit_id).reset_index(drop=True),
        fields=fields.reset_index(drop=True), late_procedures=late, pakn=pakn,
        children=_children(b, kids),
        index766=_scoped(ix, iscope), index766_summary=ixs.reset_index(drop=True),
        quality=quality, scope=scope,
        tasks=_frame(b, "tasks", unit_id),
        leads=_in_subtree(b, "leads_scores", subtree),
        lead_evidence=_in_subtree(b, "leads_evidence", subtree),
        leads_status=b.frames.get("leads_status", pd.DataFrame()),
        index766_breakdown=_scoped(_frame(b, "index766_breakdown", unit_id), iscope),
    )


def _frame(b: Bundle, name: str, unit_id: str) -> pd.DataFrame:
    """One unit's rows of frame ``name`` (empty when the bundle has no such frame: a bundle
    saved by an older version)."""
    if name not in b.frames:
        return pd.DataFrame()
    return b.of_unit(name, unit_id).reset_index(drop=True)


def _in_subtree(b: Bundle, name: str, subtree: set[str]) -> pd.DataFrame:
    df = b.frames.get(name)
    if df is None:
        return pd.DataFrame()
    return df[df["unit_id"].isin(subtree)].reset_index(drop=True)


def _scoped(df: pd.DataFrame, scope: str) -> pd.DataFrame:
    return (df[df["scope"] == scope] if len(df) else df).reset_index(drop=True)


def _children(b: Bundle, kids: pd.DataFrame) -> pd.DataFrame:
    """Children of a unit, ranked: targets passed (desc), 766 points (desc), unit_id."""
    from scorecard.evaluate.tally import counted_rows

    cols = ["unit_id", "name", "level", "passed", "judged", "failed", "points", "band"]
    if kids.empty:
        return pd.DataFrame(columns=cols)
    ev = b["evaluation"]
    ev = counted_rows(ev[ev["unit_id"].isin(kids["unit_id"])])
    counts = (ev.assign(passed=ev["status"].eq("pass"), failed=ev["status"].eq("fail"),
                        judged=ev["status"].isin(["pass", "fail"]))
              .groupby("unit_id")[["passed", "judged", "failed"]].sum().reset_index())
    ixs = b["index766_summary"][["unit_id", "points", "band"]]
    out = (kids[["unit_id", "name", "level"]].merge(counts, on="unit_id", how="left")
           .merge(ixs, on="unit_id", how="left"))
    for c in ("passed", "judged", "failed"):
        out[c] = out[c].fillna(0).astype(int)
    return out.sort_values(["passed", "points", "unit_id"], ascending=[False, False, True],
                           na_position="last").reset_index(drop=True)[cols]
