"""Everything the scorecard notebook shows, as frames: the notebook only arranges and narrates.

Two steps, so that a batch of reports computes once and each report only slices:

1. :func:`compute_bundle` opens the store read-only and computes, for every unit of a plan, the
   evaluation of the period, the trend over the last quarters, the breakdown by field, the
   procedures with late cases, PAKN, data-quality facts and the 766 index. A batch saves it
   with :func:`save_bundle` (parquet files + meta.json); :func:`load_bundle` reads it back
   (cached per process: a warm kernel reads a bundle once for many reports).
2. :func:`unit_report` slices a bundle for one unit (computing a bundle from the store when no
   bundle is given: the notebook also works on its own), and the ``*_table`` functions turn
   the slices into Vietnamese display frames (formatted strings, Vietnamese headers).

Nothing here formats HTML or draws; see :mod:`scorecard.report`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from scorecard.config import DEMO_MARKER
from scorecard.evaluate.statuses import STATUSES
from scorecard.periods import last_n, parse_period
from scorecard.reasons import reason_vi
from scorecard.report.format import (
    FIELD_VI,
    LEVEL_VI,
    fmt_date,
    fmt_int,
    fmt_pct,
    fmt_points,
    fmt_threshold,
    fmt_value,
    fmt_window,
    indicator_kind,
    is_missing,
    status_vi,
)

#: Indicators of the breakdown by field and of the PAKN section.
FIELD_INDICATORS = ("received", "resolved", "resolved_late", "on_time_rate", "online_rate")
PAKN_INDICATORS = ("feedback_on_time_rate", "feedback_satisfaction_rate")
FRAMES = ("units", "evaluation", "trend", "fields", "late_procedures", "pakn", "index766",
          "index766_summary", "index766_breakdown", "load_log", "rejects_by_reason",
          "rejects_by_unit", "form06_overlap", "form06_only", "tasks", "leads_scores",
          "leads_evidence", "leads_status", "late_lists")


@dataclass
class Bundle:
    """The frames of one batch and what they were computed from."""

    meta: dict[str, Any]
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    _by_unit: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict, repr=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]

    def of_unit(self, name: str, unit_id: str) -> pd.DataFrame:
        """The rows of frame ``name`` for one unit, in frame order.

        The frame is split by unit once per bundle (a warm kernel renders many units from the
        same bundle), so each report slices in constant time instead of scanning every row."""
        groups = self._by_unit.get(name)
        if groups is None:
            df = self.frames[name]
            groups = {str(k): g for k, g in df.groupby("unit_id", sort=False)} if len(df) else {}
            self._by_unit[name] = groups
        hit = groups.get(unit_id)
        return hit if hit is not None else self.frames[name].iloc[0:0]


# ------------------------------------------------------------------ computing a bundle
def _plan(plan: Any) -> Any:
    from scorecard.paths import resolve_plan

    return resolve_plan(plan)


def compute_bundle(db: str | Path | None, plan: Any, period: str, *, calendar: str | None = None,
                   trend_periods: int = 4, index_profile: str = "portal-2024") -> Bundle:
    """Compute every frame the reports of ``plan`` × ``period`` need, for all its units.

    ``db`` and ``plan`` are what a user typed (see :mod:`scorecard.paths`): an empty ``db`` is
    the project's store, a relative path is found from the project folder too, a plan may be
    its id."""
    from scorecard.evaluate import (
        compute_for_plan,
        evaluate_targets,
        plan_units,
        stored_field_codes,
    )
    from scorecard.facts import compute_facts, form06_overlap
    from scorecard.index766 import compute_index766, points_breakdown, summarize_index766
    from scorecard.indicators import compute_indicators
    from scorecard.late_list import generations
    from scorecard.late_list.log import period_months
    from scorecard.leads import compute_leads
    from scorecard.paths import resolve_store
    from scorecard.store import reading, snapshot_id
    from scorecard.units import load_units

    pl = _plan(plan)
    db = resolve_store(db)
    p = parse_period(period)
    cal = calendar or pl.calendar
    first, last = p.window(cal)
    with reading(db) as con:
        units = load_units(con)
        judged = plan_units(pl, units)
        manual = con.execute("SELECT unit_id, period, indicator, value, source FROM manual").df()
        trend_ps = [q for q in last_n(p, trend_periods)] if p.kind == "quarter" else [p]
        ind = compute_for_plan(con, pl, trend_ps, cal)  # every trend period in one pass
        stored = stored_field_codes(con)
        trend = pd.concat([evaluate_targets(pl, q, ind, units, manual, calendar=cal,
                                            stored_fields=stored)
                           for q in trend_ps], ignore_index=True)
        evaluation = trend[trend["period"] == p.id].reset_index(drop=True)

        fields = sorted(con.execute("SELECT DISTINCT field FROM procedures").df()["field"])
        parts = []
        for f in fields:
            df = compute_indicators(con, [p.id], cal, fields=[f], indicators=FIELD_INDICATORS)
            parts.append(df.assign(field=f))
        by_field = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        pakn = compute_indicators(con, [p.id], cal, indicators=PAKN_INDICATORS)
        late = con.execute(
            """SELECT c.unit_id, c.procedure_id, pr.name AS procedure_name, pr.field,
                      count(*) AS resolved,
                      count(*) FILTER (WHERE CAST(c.resolved_at AS DATE) > CAST(c.due_at AS DATE))
                          AS late,
                      count(*) FILTER (WHERE CAST(c.resolved_at AS DATE) > CAST(c.due_at AS DATE)
                                       AND c.apology_issued) AS apologies
               FROM cases c LEFT JOIN procedures pr USING (procedure_id)
               WHERE c.status = 'resolved'
                 AND CAST(c.resolved_at AS DATE) BETWEEN ? AND ?
               GROUP BY ALL HAVING late > 0""", [first, last]).df()
        index766 = compute_index766(con, p.id, index_profile)
        idx_summary = summarize_index766(index766, units, index_profile)
        idx_breakdown = points_breakdown(index766)
        tasks = _plan_tasks(con, pl, p, cal)
        leads = compute_leads(con, p, calendar=cal)
        gens = generations(con)
        late_lists = gens[gens["month"].isin(period_months([p])["month"])].reset_index(drop=True)
        load_log = con.execute(
            "SELECT load_id, file, kind, loaded_at, rows_read, rows_accepted, rows_rejected, "
            "dropped_columns FROM load_log ORDER BY load_id").df()
        rejects_by_reason = con.execute(
            "SELECT file, reason, count(*) AS rows FROM rejects GROUP BY ALL "
            "ORDER BY rows DESC, file, reason").df()
        rejects_by_unit = con.execute(
            "SELECT unit_id, file, reason, count(*) AS rows FROM rejects "
            "WHERE unit_id IS NOT NULL GROUP BY ALL ORDER BY rows DESC, file, reason").df()
        overlap = form06_overlap(con, [p.id], cal)
        # the same rule the indicators use: a unit-period's counts come from its form06 row
        # only when it has no case data in the period at all
        own = compute_facts(con, [p.id], cal)
        form06_only = own.loc[own["source"] == "form06", ["unit_id"]].reset_index(drop=True)
        snapshot = snapshot_id(con)
    meta = {
        "plan_id": pl.plan_id, "plan_title": pl.title, "issuer": pl.issuer,
        "document_number": pl.document_number,
        "document_date": str(pl.document_date) if pl.document_date else None,
        "period": p.id, "period_label": p.label_vi(), "calendar": cal,
        "window": [first.isoformat(), last.isoformat()], "snapshot": snapshot,
        "demo": bool(units["unit_id"].astype(str).str.startswith(DEMO_MARKER + "-").any()),
        "trend_periods": [q.id for q in trend_ps],
        "units_judged": list(judged["unit_id"]),
    }
    frames = {
        "units": units, "evaluation": evaluation, "trend": trend, "fields": by_field,
        "late_procedures": late, "pakn": pakn, "index766": index766,
        "index766_summary": idx_summary, "index766_breakdown": idx_breakdown,
        "load_log": load_log, "rejects_by_reason": rejects_by_reason,
        "rejects_by_unit": rejects_by_unit, "form06_overlap": overlap,
        "form06_only": form06_only, "tasks": tasks, "leads_scores": leads.scores,
        "leads_evidence": leads.evidence, "leads_status": leads.status,
        "late_lists": late_lists,
    }
    meta["leads_notes"] = list(leads.notes)
    meta["leads_caveat"] = leads.caveat
    meta["has_task_register"] = tasks.attrs.get("has_register", False)
    return Bundle(meta, frames)


def _plan_tasks(con: Any, plan: Any, period: Any, calendar: str) -> pd.DataFrame:
    """The plan's task occurrences with their status at the period's end (empty, with
    ``attrs['has_register'] = False``, for a plan without a task register)."""
    from scorecard.tasks import LISTING_COLUMNS, find_register, task_statuses

    if find_register(plan) is None:
        empty = pd.DataFrame(columns=LISTING_COLUMNS)
        empty.attrs["has_register"] = False
        return empty
    df = task_statuses(con, plan, period, calendar)
    df.attrs["has_register"] = True
    return df


def save_bundle(bundle: Bundle, directory: str | Path) -> Path:
    """Write a bundle as ``<name>.parquet`` files plus ``meta.json``; returns the directory."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    for name, df in bundle.frames.items():
        df.to_parquet(d / f"{name}.parquet", index=False)
    (d / "meta.json").write_text(json.dumps(bundle.meta, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    return d


_BUNDLES: dict[str, tuple[float, Bundle]] = {}


def load_bundle(directory: str | Path) -> Bundle:
    """Read a saved bundle (cached in this process until its meta.json changes)."""
    d = Path(directory)
    meta_path = d / "meta.json"
    stamp = meta_path.stat().st_mtime_ns
    hit = _BUNDLES.get(str(d))
    if hit and hit[0] == stamp:
        return hit[1]
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    frames = {name: pd.read_parquet(d / f"{name}.parquet") for name in FRAMES
              if (d / f"{name}.parquet").exists()}
    bundle = Bundle(meta, frames)
    _BUNDLES.clear()
    _BUNDLES[str(d)] = (stamp, bundle)
    return bundle


# ------------------------------------------------------------------ one unit's slices
@dataclass
class UnitReport:
    """The slices of a bundle for one unit (raw values; the ``*_table`` functions format)."""

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
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per report: several sections use the same derived frame."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

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
    from scorecard.units import descendants

    subtree = set(descendants(units, unit_id))
    targets = b.of_unit("evaluation", unit_id).reset_index(drop=True)
    trend = b.of_unit("trend", unit_id).reset_index(drop=True)
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
    children = _children(b, kids)
    rej = b["rejects_by_unit"]
    quality = {
        "load_log": b["load_log"],
        "rejects_by_reason": b["rejects_by_reason"],
        "rejects_for_unit": rej[rej["unit_id"].isin(subtree)].reset_index(drop=True),
        "form06_overlap": b["form06_overlap"][b["form06_overlap"]["unit_id"].isin(subtree)]
        .reset_index(drop=True),
        "form06_only": sorted(set(b["form06_only"]["unit_id"]) & subtree),
    }
    idx_scope = ixs["scope"]
    iscope = str(idx_scope.iloc[0]) if len(idx_scope) else scope
    return UnitReport(
        unit=unit, meta=b.meta, targets=targets, trend=trend, fields=fields.reset_index(drop=True),
        late_procedures=late, pakn=pakn, children=children,
        index766=(ix[ix["scope"] == iscope] if len(ix) else ix).reset_index(drop=True),
        index766_summary=ixs.reset_index(drop=True),
        quality=quality, scope=scope,
    )


def _children(b: Bundle, kids: pd.DataFrame) -> pd.DataFrame:
    """Children of a unit, ranked: targets passed (desc), 766 points (desc), unit_id."""
    cols = ["unit_id", "name", "level", "passed", "judged", "failed", "points", "band"]
    if kids.empty:
        return pd.DataFrame(columns=cols)
    from scorecard.evaluate.tally import counted_rows

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


# ------------------------------------------------------------------ display frames
_kind = indicator_kind

#: Words for the two scopes of a parent's figures.
WHOLE_VI = "toàn đơn vị (gồm các đơn vị trực thuộc)"
OWN_VI = "riêng đơn vị"


def headline_targets(rep: UnitReport) -> pd.DataFrame:
    """A parent's whole-tree rows (``scope='tree'``: the unit and everything below it, judged
    against each target's threshold), plan order; empty for a leaf."""
    t = rep.targets
    if not rep.is_parent or "scope" not in t.columns:
        return t.iloc[0:0]
    return t[t["scope"] == "tree"].reset_index(drop=True)


def judged_itself(rep: UnitReport) -> bool:
    """True for a leaf, and for a parent whose own level the plan judges: some own row of a
    target that also has a whole-tree row applies to it (a district of Bắc Giang 2025, not its
    province)."""
    from scorecard.evaluate.tally import judged_units

    t = rep.targets
    if not rep.is_parent or "scope" not in t.columns:
        return True
    return rep.unit["unit_id"] in judged_units(t)


def own_targets(rep: UnitReport) -> pd.DataFrame:
    """The unit's own rows: every row of a leaf; a parent's ``scope='own'`` rows (only those
    that apply to it when the plan does not judge its level, e.g. a province's own task)."""
    t = rep.targets
    if not rep.is_parent or "scope" not in t.columns:
        return t
    own = t[t["scope"] == "own"]
    if not judged_itself(rep):
        own = own[own["status"] != "not_applicable"]
    return own.reset_index(drop=True)


def counted_targets(rep: UnitReport) -> pd.DataFrame:
    """The row per target that the summary boxes and rankings count (see
    :func:`scorecard.evaluate.tally.counted_mask`)."""
    from scorecard.evaluate.tally import counted_rows

    return rep.memo("counted", lambda: counted_rows(rep.targets).reset_index(drop=True))


@dataclass
class TargetSection:
    """One table of section 1 (a leaf has one, a parent up to two)."""

    title: str
    notes: list[str]
    rows: pd.DataFrame
    table_id: str
    charts: bool


def target_sections(rep: UnitReport) -> list[TargetSection]:
    """The tables of section 1: a leaf's targets; for a parent first the headline (whole tree,
    with charts against the thresholds), then its own rows when the plan judges it itself or
    gives it a task of its own."""
    if not rep.is_parent:
        return [TargetSection("", [], rep.targets, "targets", True)]
    out = []
    head = headline_targets(rep)
    if len(head):
        out.append(TargetSection(
            "Toàn đơn vị (gồm các đơn vị trực thuộc)",
            ["Số liệu của đơn vị cộng với mọi đơn vị trực thuộc, so với yêu cầu của từng chỉ "
             "tiêu."], head, "targets", True))
    own = own_targets(rep)
    if len(own):
        note = ("Số liệu riêng của đơn vị (không gồm các đơn vị trực thuộc)." if judged_itself(rep)
                else "Chỉ tiêu kế hoạch giao riêng cho đơn vị.")
        out.append(TargetSection("Riêng đơn vị", [note], own, "targets-own", not len(head)))
    return out


def scope_note(rep: UnitReport) -> str:
    """The subtitle of the sections computed on the unit's scope (trend, fields, late, PAKN)."""
    return f"Số liệu {WHOLE_VI}." if rep.scope == "tree" else f"Số liệu {OWN_VI}."


def kpis_note(rep: UnitReport) -> str:
    """Which rows the summary boxes count (a parent: whole tree or own figures)."""
    if not rep.is_parent:
        return ""
    c = counted_targets(rep)
    c = c[c["status"] != "not_applicable"]
    scopes = set(c["scope"]) if "scope" in c.columns else {"own"}
    if scopes == {"tree"}:
        return f"Số chỉ tiêu tính trên số liệu {WHOLE_VI}."
    if scopes == {"own"}:
        return f"Số chỉ tiêu tính trên số liệu {OWN_VI}."
    if judged_itself(rep):
        return (f"Số chỉ tiêu tính trên số liệu {OWN_VI}; chỉ tiêu kế hoạch giao tính cả các "
                "đơn vị trực thuộc thì theo số liệu toàn đơn vị.")
    return (f"Số chỉ tiêu tính trên số liệu {WHOLE_VI}, cùng các chỉ tiêu kế hoạch giao riêng "
            "cho đơn vị.")


def header_facts(rep: UnitReport) -> list[tuple[str, str]]:
    """The key facts on top of a report: unit, level, plan, period window, snapshot."""
    m = rep.meta
    doc = " ".join(x for x in (m.get("document_number") or "",
                               f"ngày {fmt_date(m['document_date'])}" if m.get("document_date")
                               else "") if x)
    first, last = rep.window
    return [
        ("Đơn vị", f"{rep.unit['name']} ({rep.unit['unit_id']})"),
        ("Cấp", LEVEL_VI.get(rep.unit["level"], rep.unit["level"])),
        ("Kế hoạch", f"{m['plan_title']} — {m['issuer']}" + (f" ({doc})" if doc else "")),
        ("Kỳ báo cáo", f"{m['period_label']}: {fmt_window(first, last)}"),
        ("Dữ liệu", m["snapshot"]),
        ("Phạm vi số liệu", _scope_fact(rep)),
    ]


def _scope_fact(rep: UnitReport) -> str:
    if rep.scope != "tree":
        return OWN_VI[:1].upper() + OWN_VI[1:]
    if judged_itself(rep) and len(own_targets(rep)):
        return (f"{WHOLE_VI[:1].upper()}{WHOLE_VI[1:]}; mục 1 có thêm kết quả {OWN_VI}")
    return WHOLE_VI[:1].upper() + WHOLE_VI[1:]


def status_counts(rep: UnitReport) -> dict[str, int]:
    """How many targets of the unit have each status (the rows that count, one per target)."""
    vc = counted_targets(rep)["status"].value_counts()
    return {s: int(vc.get(s, 0)) for s in STATUSES}


def targets_table(rep: UnitReport, targets: pd.DataFrame | None = None) -> pd.DataFrame:
    """The target table of ``targets`` (default all the unit's rows; see
    :func:`target_sections`): status word, value, threshold, gap in cases, clause. A rate
    shows its cases (3/4) only when it has a value."""
    rows = []
    src = rep.targets if targets is None else targets
    for r in src.to_dict("records"):
        kind = _kind(r["indicator"])
        value = fmt_value(r["value"], kind)
        if (kind == "rate" and not is_missing(r["denominator"]) and not is_missing(r["value"])
                and r["denominator"]):
            value += f" ({fmt_int(r['numerator'])}/{fmt_int(r['denominator'])})"
        gap = "" if is_missing(r["gap_cases"]) or r["status"] != "fail" else (
            f"{fmt_int(r['gap_cases'])} hồ sơ")
        rows.append({
            "Chỉ tiêu": r["label"],
            "Kết quả": status_vi(r["status"]),
            "Giá trị": value,
            "Yêu cầu": fmt_threshold(r["comparator"], r["threshold"], kind),
            "Còn thiếu": gap,
            "Căn cứ": r["clause"] or "",
            "_status": r["status"],
        })
    return pd.DataFrame(rows, columns=["Chỉ tiêu", "Kết quả", "Giá trị", "Yêu cầu", "Còn thiếu",
                                       "Căn cứ", "_status"])


def chart_targets(rep: UnitReport, targets: pd.DataFrame | None = None
                  ) -> list[tuple[str, dict[str, Any], str]]:
    """Targets worth a chart (judged: pass or fail): (target_id, row, kind)."""
    src = rep.targets if targets is None else targets
    t = src[src["status"].isin(["pass", "fail"])]
    return [(r["target_id"], r, _kind(r["indicator"])) for r in t.to_dict("records")]


def trend_frame(rep: UnitReport) -> pd.DataFrame:
    """Values of the unit's rate targets over the trend periods (series = target label): a
    parent's whole-tree rows, a leaf's rows; targets judged (pass or fail) in this period."""
    return rep.memo("trend", lambda: _trend_frame(rep))


def _trend_frame(rep: UnitReport) -> pd.DataFrame:
    t = rep.trend
    if t.empty:
        return pd.DataFrame(columns=["series", "period", "period_label", "value"])
    cur = rep.targets
    if rep.is_parent and "scope" in t.columns:
        t = t[t["scope"] == "tree"]
        cur = headline_targets(rep)
    rates = [tid for tid, ind in zip(cur["target_id"], cur["indicator"], strict=True)
             if _kind(ind) == "rate"]
    judged = set(cur.loc[cur["status"].isin(["pass", "fail"]), "target_id"])
    t = t[t["target_id"].isin([x for x in rates if x in judged])]
    order = {tid: i for i, tid in enumerate(cur["target_id"])}
    out = t.assign(series=t["label"],
                   period_label=t["period"].map(lambda x: parse_period(x).label_vi()),
                   _o=t["target_id"].map(order))
    return out.sort_values(["_o", "period"])[
        ["series", "period", "period_label", "value", "target_id"]].reset_index(drop=True)


def trend_table(rep: UnitReport) -> pd.DataFrame:
    """The same trend as a table: one row per target, one column per period."""
    tf = trend_frame(rep)
    if tf.empty:
        return pd.DataFrame()
    periods = rep.meta["trend_periods"]
    wide = tf.pivot_table(index="series", columns="period", values="value", aggfunc="first",
                          sort=False).reindex(columns=periods)
    out = pd.DataFrame({"Chỉ tiêu": wide.index})
    for p in periods:
        out[parse_period(p).label_vi()] = [fmt_pct(v) for v in wide[p]]
    return out


def fields_table(rep: UnitReport) -> pd.DataFrame:
    """Breakdown by field: received, resolved, late, on-time and online rates."""
    f = rep.fields
    if f.empty:
        return pd.DataFrame()
    wide = f.pivot_table(index="field", columns="indicator", values="value", aggfunc="first")
    wide = wide.reindex(columns=list(FIELD_INDICATORS))
    wide = wide[wide["received"].fillna(0) + wide["resolved"].fillna(0) > 0]
    wide = wide.sort_values(["received", "resolved"], ascending=False)
    return pd.DataFrame({
        "Lĩnh vực": [FIELD_VI.get(x, x) for x in wide.index],
        "Tiếp nhận": [fmt_int(v) for v in wide["received"]],
        "Đã giải quyết": [fmt_int(v) for v in wide["resolved"]],
        "Quá hạn": [fmt_int(v) for v in wide["resolved_late"]],
        "Trước hạn và đúng hạn": [fmt_pct(v) for v in wide["on_time_rate"]],
        "Trực tuyến": [fmt_pct(v) for v in wide["online_rate"]],
        "_on_time": list(wide["on_time_rate"]),
    })


def late_procedures_table(rep: UnitReport, top: int = 10) -> pd.DataFrame:
    """The procedures with the most late cases, with apology coverage."""
    lp = rep.late_procedures.head(top)
    return pd.DataFrame({
        "Thủ tục": [f"{n} ({c})" for n, c in zip(lp["procedure_name"].fillna("?"),
                                                  lp["procedure_id"], strict=True)],
        "Lĩnh vực": [FIELD_VI.get(x, x) if not is_missing(x) else "–" for x in lp["field"]],
        "Đã giải quyết": [fmt_int(v) for v in lp["resolved"]],
        "Quá hạn": [fmt_int(v) for v in lp["late"]],
        "Có phiếu xin lỗi": [f"{fmt_int(a)} ({fmt_pct(a / n if n else None)})"
                             for a, n in zip(lp["apologies"], lp["late"], strict=True)],
    })


def late_totals(rep: UnitReport) -> dict[str, Any]:
    """Late cases of the unit (scope) and how many had an apology letter."""
    lp = rep.late_procedures
    late, apol = int(lp["late"].sum()), int(lp["apologies"].sum())
    return {"late": late, "apologies": apol, "coverage": apol / late if late else None,
            "procedures": len(lp)}


def pakn_table(rep: UnitReport) -> pd.DataFrame:
    """PAKN (citizen feedback): on-time and satisfaction rates with their counts."""
    from scorecard.indicators import CATALOGUE

    rows = []
    for r in rep.pakn.to_dict("records"):
        rows.append({
            "Chỉ số": CATALOGUE[r["indicator"]].label_vi if r["indicator"] in CATALOGUE
            else r["indicator"],
            "Tỷ lệ": fmt_pct(r["value"]),
            "Số PAKN đạt": fmt_int(r["numerator"]),
            "Tổng số PAKN": fmt_int(r["denominator"]),
        })
    return pd.DataFrame(rows, columns=["Chỉ số", "Tỷ lệ", "Số PAKN đạt", "Tổng số PAKN"])


def quality_notes(rep: UnitReport) -> list[str]:
    """Sentences on the data quality behind this report (Vietnamese)."""
    q = rep.quality
    log = q["load_log"]
    notes = [
        f"Kho dữ liệu gồm {fmt_int(len(log))} lần nạp tệp: đọc {fmt_int(log['rows_read'].sum())} "
        f"dòng, nhận {fmt_int(log['rows_accepted'].sum())}, loại "
        f"{fmt_int(log['rows_rejected'].sum())} dòng không hợp lệ (toàn kho)."
    ]
    ru = q["rejects_for_unit"]
    if len(ru):
        notes.append(f"Có {fmt_int(ru['rows'].sum())} dòng bị loại ghi mã đơn vị này "
                     "(chi tiết ở bảng dưới).")
    else:
        notes.append("Không có dòng bị loại nào ghi mã đơn vị này.")
    if q["form06_only"]:
        notes.append("Số liệu của " + ", ".join(q["form06_only"]) + " lấy từ Biểu 06 (không có "
                     "dữ liệu hồ sơ chi tiết trong kỳ).")
    ov = q["form06_overlap"]
    for r in ov.to_dict("records"):
        notes.append(
            f"{r['unit_id']}: có cả Biểu 06 và dữ liệu hồ sơ cho kỳ {r['period']}; dùng dữ liệu hồ "
            f"sơ (tiếp nhận {fmt_int(r['received_cases'])} so với {fmt_int(r['received_form06'])}"
            f" trên Biểu 06; giải quyết {fmt_int(r['resolved_cases'])} so với "
            f"{fmt_int(r['resolved_form06'])}).")
    return notes


def rejects_table(rep: UnitReport, top: int = 8) -> pd.DataFrame:
    """The most frequent reasons for rejected rows: this unit's if any, else the store's."""
    ru = rep.quality["rejects_for_unit"]
    src = ru if len(ru) else rep.quality["rejects_by_reason"]
    src = src.head(top)
    return pd.DataFrame({"Tệp": list(src["file"]),
                         "Lý do": [reason_vi(r) for r in src["reason"]],
                         "Số dòng": [fmt_int(v) for v in src["rows"]]})


def children_table(rep: UnitReport) -> pd.DataFrame:
    """Children of a parent unit ranked by targets passed, then 766 points."""
    c = rep.children
    return pd.DataFrame({
        "Hạng": [str(i + 1) for i in range(len(c))],
        "Đơn vị": list(c["name"]),
        "Cấp": [LEVEL_VI.get(x, x) for x in c["level"]],
        "Chỉ tiêu đạt": [f"{p}/{j}" for p, j in zip(c["passed"], c["judged"], strict=True)],
        "Không đạt": [fmt_int(v) for v in c["failed"]],
        "Chỉ số 766": [fmt_points(v) for v in c["points"]],
        "Xếp loại": [x if not is_missing(x) else "–" for x in c["band"]],
    })


def index766_facts(rep: UnitReport) -> dict[str, str]:
    """Total, band and rank of the unit in the 766 index."""
    s = rep.index766_summary
    if s.empty:
        return {}
    r = s.iloc[0]
    return {
        "Tổng điểm": f"{fmt_points(r['points'])}/{fmt_points(r['max_points'])}",
        "Xếp loại": str(r["band"]) + ("" if r["band_confirmed"] else " (ngưỡng chưa chính thức)"),
        "Xếp hạng": f"{fmt_int(r['rank'])}/{fmt_int(r['units_ranked'])} "
                    f"({LEVEL_VI.get(r['level'], r['level'])})",
        "Điểm chưa có dữ liệu": fmt_points(r["no_data_points"]),
    }


def index766_lost(rep: UnitReport, top: int = 10) -> pd.DataFrame:
    """Where the points went: metrics with points lost, largest first."""
    from scorecard.index766 import points_lost

    ix = rep.index766
    if ix.empty:
        return pd.DataFrame(columns=["Tiêu chí", "Tỷ lệ", "Điểm", "Tối đa", "Mất", "_lost"])
    lost = points_lost(ix)
    lost = lost[lost["lost"] > 0].head(top)
    return pd.DataFrame({
        "Tiêu chí": list(lost["label"]),
        "Tỷ lệ": [fmt_pct(v) for v in lost["rate"]],
        "Điểm": [fmt_points(v) for v in lost["points"]],
        "Tối đa": [fmt_points(v) for v in lost["max_points"]],
        "Mất": [fmt_points(v) for v in lost["lost"]],
        "_lost": list(lost["lost"]),
    })


def provenance(rep: UnitReport, *, plan_file: str = "", code_version: str = "",
               generated_at: str | None = None) -> Any:
    """The provenance strip of a report (see :class:`scorecard.report.site.Provenance`).

    ``generated_at`` (ISO) is passed by the batch so every report of a run carries the same time.
    """
    from datetime import datetime

    from scorecard.report.site import Provenance

    m = rep.meta
    first, last = rep.window
    when = datetime.fromisoformat(generated_at) if generated_at else datetime.now()
    return Provenance(
        plan=f"{m['plan_id']} — {m['plan_title']}", plan_file=plan_file, period=m["period"],
        period_label=m["period_label"], window=fmt_window(first, last), snapshot=m["snapshot"],
        code_version=code_version or "?", generated_at=when, demo=bool(m["demo"]),
        calendar=m["calendar"],
    )


def kpis(rep: UnitReport) -> list[tuple[str, str, str]]:
    """KPI tiles on top of a report: targets passed/failed/without data, 766 total."""
    c = status_counts(rep)
    items = [("chỉ tiêu đạt", fmt_int(c["pass"]), "pass"),
             ("chỉ tiêu không đạt", fmt_int(c["fail"]), "fail" if c["fail"] else ""),
             ("chỉ tiêu chưa có dữ liệu", fmt_int(c["no_data"]), "no_data")]
    s = rep.index766_summary
    if len(s):
        items.append(("điểm Chỉ số 766", fmt_points(s.iloc[0]["points"]), ""))
    return items


def late_summary(late: dict[str, Any]) -> str:
    """One sentence on late cases and apology coverage (from :func:`late_totals`)."""
    if not late["late"]:
        return "Không có hồ sơ giải quyết quá hạn trong kỳ."
    return (f"{fmt_int(late['late'])} hồ sơ giải quyết quá hạn ở {fmt_int(late['procedures'])} "
            f"thủ tục; {fmt_int(late['apologies'])} hồ sơ có phiếu xin lỗi và hẹn lại "
            f"({fmt_pct(late['coverage'])}).")
