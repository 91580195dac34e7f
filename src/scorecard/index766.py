"""The national service index of QĐ 766/QĐ-TTg, scored from the store with a versioned profile.

A *profile* (``params/index766/<name>.yaml``) declares groups, metrics, weights, caps, the
zero-denominator rule of each metric, rounding, the supplement-request rule, bands and ranking
scopes (domain.md §6). This module only interprets it:

* **Case metrics** are over the cases *received* in the period (calendar window), each judged by
  its state at the period's last day ``L``: a case finished (resolved, withdrawn, refused) on or
  before ``L`` by its finishing date, any other case by ``L``; on time when that date is on or
  before the due date and (supplement rule on) it had at most ``max_requests`` supplement
  requests. Case satisfaction counts a case as satisfied unless it is late (same judgement) or
  rated ``dissatisfied`` (each case once). Complaints are not linked to cases in the store, so
  only ratings count. Boolean flags (digitized, e_result, …) that are NULL count as not set.
* **Feedback (PAKN) metrics** are over the feedback received in the period, judged the same way;
  satisfaction is over the feedback with a ``satisfied`` answer.
* **Procedure-share metrics** are over the procedures in a unit's competence (``unit_procedures``);
  a unit with none listed falls back to the procedures it received cases for in the period. The
  ``basis`` column says which (``competence``, ``cases``, ``competence+cases`` for a tree mixing
  both, ``none``). In tree scope the procedures are DISTINCT over the subtree.
* **Manual metrics** (what case data cannot give) come from the ``manual`` table
  (``indicator`` = the metric id, or its ``manual_indicator``; ``value`` = rate as a fraction,
  same unit and period id); without a row the metric is ``no_data``: it scores nothing and its
  points are reported as out of reach (``no_data_points``). In tree scope a parent uses its own
  manual row (rates cannot be summed). ``form06`` rows are not used: they cannot judge cases one
  by one, so a unit that sends only Biểu 06 totals has no case metrics (zero-denominator rules).
* Scopes: ``own`` = the unit's own cases; ``tree`` = the unit and all its descendants (a parent's
  case counts are the sums of its children's).
* Points per metric: ``max·R`` or, with ``target`` t, ``min(max, max·R/t)``, rounded half-up to
  ``rounding`` decimals, then summed into groups and the total. A zero denominator scores by the
  metric's ``if_no_denominator`` rule (``zero`` or ``full``) and never raises.
* Ranking (:func:`summarize_index766`): units of the same level are ranked by the total of the
  scope the profile's ``rank_scope`` names for that level (default: tree for province and
  districts, own for departments and communes), ties sharing the better rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd
import yaml

from scorecard.config import INDEX766_DIR
from scorecard.errors import ScorecardError
from scorecard.periods import Period, parse_period

GROUP_ROW = "__group__"
TOTAL = "__total__"
DEDUCTION = "__deduction__"

#: The leading columns of :func:`compute_index766` (contract); more follow.
COLUMNS = ["unit_id", "scope", "period", "group", "metric", "numerator", "denominator", "rate",
           "points", "max_points"]
EXTRA_COLUMNS = ["label", "status", "basis", "no_data_points"]

#: Counts a computed metric may use as numerator or denominator (per unit × scope × period).
COUNTS: dict[str, str] = {
    "received_cases": "cases received in the period",
    "on_time_cases": "received cases on time when judged at the period's end (supplement rule)",
    "online_cases": "received cases filed online",
    "fee_cases": "received cases with fee_required",
    "paid_online_cases": "received cases with fee_required and paid_online",
    "satisfied_cases": "received cases neither late nor rated 'dissatisfied'",
    "resolved_cases": "received cases resolved on or before the period's last day",
    "e_result_cases": "resolved_cases with an electronic result",
    "digitized_cases": "received cases digitized",
    "reused_cases": "received cases reusing digitized data",
    "feedback_received": "PAKN received in the period",
    "feedback_on_time": "PAKN on time when judged at the period's end",
    "feedback_rated": "PAKN received with a satisfied answer (yes or no)",
    "feedback_satisfied": "PAKN received answered satisfied",
    "procedures": "procedures of the basis (distinct over the scope)",
    "online_procedures": "basis procedures offered online (online_service full or partial)",
    "online_procedures_with_online_cases": "online procedures with >= 1 online case in the period",
    "fee_procedures": "basis procedures with a fee",
    "fee_procedures_paid_online": "fee-bearing procedures with >= 1 paid_online case in the period",
    "fee_procedures_integrated": "fee-bearing procedures integrated for online payment",
}


#: The counts over procedures (their metric rows carry the ``basis``).
PROCEDURE_COUNTS = frozenset(c for c in COUNTS if "procedures" in c)


class ProfileError(ScorecardError, ValueError):
    """An unknown or inconsistent index profile."""


class Index766Error(ScorecardError, ValueError):
    """An index computation that cannot proceed (unknown unit, invalid manual value)."""


# ---------------------------------------------------------------- profile
@dataclass(frozen=True)
class Metric:
    id: str
    group: str
    label: str
    max_points: float
    source: Literal["computed", "manual"]
    numerator: str | None = None
    denominator: str | None = None
    target: float | None = None
    if_no_denominator: Literal["zero", "full"] = "zero"
    manual_indicator: str | None = None  # manual.indicator to read (default: the metric id)


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    max_points: float


@dataclass(frozen=True)
class Band:
    min: float
    label: str
    confirmed: bool


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    groups: tuple[Group, ...]
    metrics: tuple[Metric, ...]
    bands: tuple[Band, ...]
    total_max: float = 100
    calendar: str = "calendar"
    rounding: int = 2
    supplement_rule: bool = True
    max_supplement_requests: int = 1
    rank_scope: dict[str, str] = field(default_factory=dict)
    deduction_enabled: bool = False
    deduction_indicator: str = "technical_deduction"
    deduction_max: float = 0.0
    source: str = ""
    path: str = ""

    def band(self, total: float) -> Band:
        """The band of a total: the first (highest) band whose ``min`` it reaches."""
        for b in self.bands:
            if total >= b.min:
                return b
        return self.bands[-1]


def list_profiles(directory: Path = INDEX766_DIR) -> list[str]:
    """Names of the profiles shipped in ``directory``."""
    return sorted(p.stem for p in Path(directory).glob("*.yaml"))


def load_profile(name_or_path: str | Path | Profile = "portal-2024") -> Profile:
    """Load a profile by name (``params/index766/<name>.yaml``) or path; validate it."""
    if isinstance(name_or_path, Profile):
        return name_or_path
    text = str(name_or_path)
    path = Path(text)
    if not (text.endswith((".yaml", ".yml")) or path.exists()):
        path = INDEX766_DIR / f"{text}.yaml"
    if not path.is_file():
        known = ", ".join(list_profiles()) or "none"
        raise ProfileError(f"unknown index profile {text!r} (known: {known})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML ({exc})") from exc
    return _parse_profile(raw, path)


def _parse_profile(raw: Any, path: Path) -> Profile:
    where = str(path)
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: expected a mapping at the top")
    try:
        groups = tuple(Group(str(g["id"]), str(g["label"]), float(g["max_points"]))
                       for g in raw["groups"])
        metrics = tuple(
            Metric(
                id=str(m["id"]), group=str(m["group"]), label=str(m["label"]),
                max_points=float(m["max_points"]), source=m.get("source", "computed"),
                numerator=m.get("numerator"), denominator=m.get("denominator"),
                target=None if m.get("target") is None else float(m["target"]),
                if_no_denominator=m.get("if_no_denominator", "zero"),
                manual_indicator=m.get("manual_indicator"),
            )
            for m in raw["metrics"]
        )
        bands = tuple(sorted((Band(float(b["min"]), str(b["label"]), bool(b.get("confirmed")))
                             for b in raw["bands"]), key=lambda b: -b.min))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"{where}: malformed groups/metrics/bands ({exc!r})") from exc
    supp = raw.get("supplement_rule") or {}
    ded = raw.get("technical_deduction") or {}
    prof = Profile(
        id=str(raw.get("id", path.stem)), title=str(raw.get("title", "")), groups=groups,
        metrics=metrics, bands=bands, total_max=float(raw.get("total_max", 100)),
        calendar=str(raw.get("calendar", "calendar")), rounding=int(raw.get("rounding", 2)),
        supplement_rule=bool(supp.get("enabled", True)),
        max_supplement_requests=int(supp.get("max_requests", 1)),
        rank_scope=dict(raw.get("rank_scope") or {}),
        deduction_enabled=bool(ded.get("enabled", False)),
        deduction_indicator=str(ded.get("manual_indicator", "technical_deduction")),
        deduction_max=float(ded.get("max_points", 0)),
        source=str(raw.get("source", "")), path=where,
    )
    _validate(prof)
    return prof


def _validate(p: Profile) -> None:
    where = p.path or p.id
    gids = [g.id for g in p.groups]
    if len(set(gids)) != len(gids):
        raise ProfileError(f"{where}: duplicate group ids")
    mids = [m.id for m in p.metrics]
    if len(set(mids)) != len(mids):
        raise ProfileError(f"{where}: duplicate metric ids")
    for m in p.metrics:
        if m.group not in gids:
            raise ProfileError(f"{where}: metric {m.id} names unknown group {m.group!r}")
        if m.source not in ("computed", "manual"):
            raise ProfileError(f"{where}: metric {m.id}: source must be computed or manual")
        if m.if_no_denominator not in ("zero", "full"):
            raise ProfileError(f"{where}: metric {m.id}: if_no_denominator must be zero or full")
        if m.target is not None and not 0 < m.target <= 1:
            raise ProfileError(f"{where}: metric {m.id}: target must be in (0, 1]")
        if m.source == "computed":
            for part in (m.numerator, m.denominator):
                if part not in COUNTS:
                    raise ProfileError(
                        f"{where}: metric {m.id}: unknown count {part!r} "
                        f"(known: {', '.join(COUNTS)})")
    for g in p.groups:
        s = sum(m.max_points for m in p.metrics if m.group == g.id)
        if abs(s - g.max_points) > 1e-9:
            raise ProfileError(f"{where}: group {g.id}: metrics sum to {s}, not {g.max_points}")
    if abs(sum(g.max_points for g in p.groups) - p.total_max) > 1e-9:
        raise ProfileError(f"{where}: groups do not sum to total_max {p.total_max}")
    if not p.bands:
        raise ProfileError(f"{where}: no bands")
    for level, scope in p.rank_scope.items():
        if scope not in ("own", "tree"):
            raise ProfileError(f"{where}: rank_scope of {level}: use own or tree, not {scope!r}")
    if p.calendar not in ("calendar", "nd09"):
        raise ProfileError(f"{where}: unknown calendar {p.calendar!r}")


# ---------------------------------------------------------------- scoring (pure)
def round_points(x: float, decimals: int = 2) -> float:
    """Round half up (away from zero for positives) to ``decimals``: 1.005 → 1.01, not 1.0."""
    q = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP))


def metric_points(rate: float, max_points: float, target: float | None = None,
                  decimals: int = 2) -> float:
    """Points of a rate: ``max·R`` or ``min(max, max·R/target)``, rounded to ``decimals``."""
    raw = max_points * rate if target is None else max_points * rate / target
    return round_points(min(max_points, max(0.0, raw)), decimals)


def score_metric(metric: Metric, numerator: int | None, denominator: int | None,
                 manual_value: float | None = None, decimals: int = 2
                 ) -> tuple[float | None, float | None, str]:
    """``(rate, points, status)`` of one metric.

    status: ``computed`` | ``manual`` | ``no_denominator`` (rule applied, rate undefined) |
    ``no_data`` (manual metric without a value: points None).
    """
    if metric.source == "manual":
        if manual_value is None:
            return None, None, "no_data"
        return manual_value, metric_points(manual_value, metric.max_points, metric.target,
                                           decimals), "manual"
    if not denominator:
        pts = metric.max_points if metric.if_no_denominator == "full" else 0.0
        return None, round_points(pts, decimals), "no_denominator"
    rate = (numerator or 0) / denominator
    return rate, metric_points(rate, metric.max_points, metric.target, decimals), "computed"


# ---------------------------------------------------------------- counts (SQL)
_CASES_SQL = """
WITH c AS (
    SELECT unit_id, channel, status, supplement_requests, fee_required, paid_online,
           digitized, e_result, reused_data, rating,
           CAST(due_at AS DATE) AS d,
           CASE WHEN resolved_at IS NOT NULL AND CAST(resolved_at AS DATE) <= $last
                THEN CAST(resolved_at AS DATE) END AS f
    FROM cases
    WHERE CAST(received_at AS DATE) BETWEEN $first AND $last
), j AS (
    SELECT *, (COALESCE(f, $last) <= d
               AND (CAST($max_supp AS INTEGER) IS NULL
                    OR supplement_requests <= CAST($max_supp AS INTEGER))) AS on_time
    FROM c
)
SELECT s.ancestor_id AS unit_id, s.scope,
    count(*) AS received_cases,
    count(*) FILTER (WHERE on_time) AS on_time_cases,
    count(*) FILTER (WHERE channel = 'online') AS online_cases,
    count(*) FILTER (WHERE fee_required) AS fee_cases,
    count(*) FILTER (WHERE fee_required AND paid_online) AS paid_online_cases,
    count(*) FILTER (WHERE on_time AND rating IS DISTINCT FROM 'dissatisfied') AS satisfied_cases,
    count(*) FILTER (WHERE status = 'resolved' AND f IS NOT NULL) AS resolved_cases,
    count(*) FILTER (WHERE status = 'resolved' AND f IS NOT NULL AND e_result) AS e_result_cases,
    count(*) FILTER (WHERE digitized) AS digitized_cases,
    count(*) FILTER (WHERE reused_data) AS reused_cases
FROM {scope_map} s JOIN j ON j.unit_id = s.descendant_id
GROUP BY 1, 2
"""

_FEEDBACK_SQL = """
WITH fb AS (
    SELECT unit_id, satisfied, CAST(due_at AS DATE) AS d,
           CASE WHEN resolved_at IS NOT NULL AND CAST(resolved_at AS DATE) <= $last
                THEN CAST(resolved_at AS DATE) END AS f
    FROM feedback
    WHERE CAST(received_at AS DATE) BETWEEN $first AND $last
)
SELECT s.ancestor_id AS unit_id, s.scope,
    count(*) AS feedback_received,
    count(*) FILTER (WHERE COALESCE(f, $last) <= d) AS feedback_on_time,
    count(*) FILTER (WHERE satisfied IS NOT NULL) AS feedback_rated,
    count(*) FILTER (WHERE satisfied) AS feedback_satisfied
FROM {scope_map} s JOIN fb ON fb.unit_id = s.descendant_id
GROUP BY 1, 2
"""

_PROCEDURES_SQL = """
WITH rc AS (
    SELECT unit_id, procedure_id,
           bool_or(channel = 'online') AS has_online,
           bool_or(COALESCE(paid_online, FALSE)) AS has_paid
    FROM cases
    WHERE CAST(received_at AS DATE) BETWEEN $first AND $last
    GROUP BY 1, 2
), comp AS (
    SELECT DISTINCT unit_id, procedure_id FROM unit_procedures
), basis AS (
    SELECT unit_id, procedure_id, 'competence' AS basis FROM comp
    UNION ALL
    SELECT unit_id, procedure_id, 'cases' AS basis FROM rc
    WHERE unit_id NOT IN (SELECT unit_id FROM comp)
), sp AS (
    SELECT DISTINCT s.ancestor_id AS unit_id, s.scope, b.procedure_id
    FROM {scope_map} s JOIN basis b ON b.unit_id = s.descendant_id
), used AS (
    SELECT s.ancestor_id AS unit_id, s.scope, rc.procedure_id,
           bool_or(rc.has_online) AS has_online, bool_or(rc.has_paid) AS has_paid
    FROM {scope_map} s JOIN rc ON rc.unit_id = s.descendant_id
    GROUP BY 1, 2, 3
), bl AS (
    SELECT s.ancestor_id AS unit_id, s.scope,
           string_agg(DISTINCT b.basis, '+' ORDER BY b.basis) AS basis
    FROM {scope_map} s JOIN basis b ON b.unit_id = s.descendant_id
    GROUP BY 1, 2
)
SELECT sp.unit_id, sp.scope, any_value(bl.basis) AS basis,
    count(*) AS procedures,
    count(*) FILTER (WHERE p.online_service IN ('full', 'partial')) AS online_procedures,
    count(*) FILTER (WHERE p.online_service IN ('full', 'partial') AND u.has_online)
        AS online_procedures_with_online_cases,
    count(*) FILTER (WHERE p.has_fee) AS fee_procedures,
    count(*) FILTER (WHERE p.has_fee AND u.has_paid) AS fee_procedures_paid_online,
    count(*) FILTER (WHERE p.has_fee AND p.payment_integrated) AS fee_procedures_integrated
FROM sp
JOIN procedures p ON p.procedure_id = sp.procedure_id
LEFT JOIN used u ON u.unit_id = sp.unit_id AND u.scope = sp.scope
                 AND u.procedure_id = sp.procedure_id
JOIN bl ON bl.unit_id = sp.unit_id AND bl.scope = sp.scope
GROUP BY 1, 2
"""


def _scope_map(units: pd.DataFrame) -> pd.DataFrame:
    """(ancestor_id, descendant_id, scope): own pairs and the closure as tree pairs."""
    from scorecard.units import closure

    cl = closure(units)[["ancestor_id", "descendant_id"]]
    own = pd.DataFrame({"ancestor_id": units["unit_id"].astype(str),
                        "descendant_id": units["unit_id"].astype(str)})
    return pd.concat([own.assign(scope="own"), cl.assign(scope="tree")], ignore_index=True)


def index_counts(con: duckdb.DuckDBPyConnection, period: str | Period, profile: Profile,
                 units: pd.DataFrame) -> pd.DataFrame:
    """Every :data:`COUNTS` column plus ``basis`` per (unit_id, scope) for one period."""
    p = parse_period(period)
    first, last = p.window(profile.calendar)
    scope_map = _scope_map(units)
    name = f"_idx766_scope_{id(scope_map)}"
    con.register(name, scope_map)
    params = {"first": first, "last": last}
    try:
        cases = con.execute(
            _CASES_SQL.format(scope_map=name),
            {**params, "max_supp": profile.max_supplement_requests
             if profile.supplement_rule else None},
        ).df()
        fb = con.execute(_FEEDBACK_SQL.format(scope_map=name), params).df()
        procs = con.execute(_PROCEDURES_SQL.format(scope_map=name), params).df()
    finally:
        con.unregister(name)
    base = scope_map[["ancestor_id", "scope"]].drop_duplicates().rename(
        columns={"ancestor_id": "unit_id"})
    out = base
    for part in (cases, fb, procs):
        out = out.merge(part, on=["unit_id", "scope"], how="left")
    for col in COUNTS:
        out[col] = out[col].fillna(0).astype("int64")
    out["basis"] = out["basis"].fillna("none")
    return out.sort_values(["unit_id", "scope"]).reset_index(drop=True)


def _manual(con: duckdb.DuckDBPyConnection, period_id: str) -> dict[tuple[str, str], float]:
    rows = con.execute(
        "SELECT unit_id, indicator, value FROM manual WHERE period = ?", [period_id]
    ).fetchall()
    return {(str(u), str(i)): float(v) for u, i, v in rows}


# ---------------------------------------------------------------- the index
def compute_index766(
    con: duckdb.DuckDBPyConnection,
    period: str | Period | Sequence[str | Period],
    profile: str | Path | Profile = "portal-2024",
    *,
    units: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The index for every unit (or ``units``) × scope (own, tree) × period.

    Returns :data:`COLUMNS` + :data:`EXTRA_COLUMNS`: one row per metric, one per group
    (``metric = '__group__'``), one total per unit × scope × period (``group = metric =
    '__total__'``) and, when the profile enables it, a technical-deduction row (``group =
    '__deduction__'``, negative points). Group and total points are sums of the rounded metric
    points (``no_data`` metrics add 0; ``no_data_points`` says how many points are out of reach).
    """
    prof = load_profile(profile)
    periods = [period] if isinstance(period, (str, Period)) else list(period)
    from scorecard.units import load_units

    all_units = load_units(con)
    wanted = None
    if units is not None:
        wanted = [str(u) for u in units]
        unknown = sorted(set(wanted) - set(all_units["unit_id"]))
        if unknown:
            raise Index766Error(f"unknown unit(s): {', '.join(unknown)}")
    frames = []
    for per in periods:
        p = parse_period(per)
        counts = index_counts(con, p, prof, all_units)
        if wanted is not None:
            counts = counts[counts["unit_id"].isin(wanted)]
        manual = _manual(con, p.id)
        frames.append(_score(counts, manual, prof, p.id))
    if not frames:
        return pd.DataFrame(columns=COLUMNS + EXTRA_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _score(counts: pd.DataFrame, manual: dict[tuple[str, str], float], prof: Profile,
           period_id: str) -> pd.DataFrame:
    dec = prof.rounding
    rows: list[dict[str, Any]] = []
    for rec in counts.to_dict("records"):
        unit, scope = rec["unit_id"], rec["scope"]
        key = {"unit_id": unit, "scope": scope, "period": period_id}
        group_pts = {g.id: 0.0 for g in prof.groups}
        group_nodata = {g.id: 0.0 for g in prof.groups}
        for m in prof.metrics:
            num = den = None
            mv = None
            basis = None
            if m.source == "computed":
                num, den = int(rec[m.numerator]), int(rec[m.denominator])
                if m.denominator in PROCEDURE_COUNTS:
                    basis = rec["basis"]
            else:
                mv = manual.get((unit, m.manual_indicator or m.id))
                if mv is not None and not 0 <= mv <= 1:
                    raise Index766Error(
                        f"manual value {mv} for unit {unit}, period {period_id}, indicator "
                        f"{m.id} is not a rate between 0 and 1")
            rate, pts, status = score_metric(m, num, den, mv, dec)
            if pts is None:
                group_nodata[m.group] += m.max_points
            else:
                group_pts[m.group] += pts
            rows.append({**key, "group": m.group, "metric": m.id, "numerator": num,
                         "denominator": den, "rate": rate, "points": pts,
                         "max_points": m.max_points, "label": m.label, "status": status,
                         "basis": basis, "no_data_points": m.max_points if pts is None else 0.0})
        total = 0.0
        for g in prof.groups:
            gp = round_points(group_pts[g.id], dec)
            total += gp
            rows.append({**key, "group": g.id, "metric": GROUP_ROW, "points": gp,
                         "max_points": g.max_points, "label": g.label, "status": "group",
                         "no_data_points": group_nodata[g.id]})
        if prof.deduction_enabled:
            d = manual.get((unit, prof.deduction_indicator))
            ded = round_points(min(max(d or 0.0, 0.0), prof.deduction_max), dec)
            total -= ded
            rows.append({**key, "group": DEDUCTION, "metric": prof.deduction_indicator,
                         "points": -ded, "max_points": 0.0, "label": "Trừ điểm kỹ thuật",
                         "status": "manual" if d is not None else "none",
                         "no_data_points": 0.0})
        rows.append({**key, "group": TOTAL, "metric": TOTAL,
                     "points": round_points(max(total, 0.0), dec), "max_points": prof.total_max,
                     "label": "Tổng điểm", "status": "total",
                     "no_data_points": sum(group_nodata.values())})
    df = pd.DataFrame(rows, columns=COLUMNS + EXTRA_COLUMNS)
    df["numerator"] = df["numerator"].astype("Int64")
    df["denominator"] = df["denominator"].astype("Int64")
    for col in ("rate", "points", "max_points", "no_data_points"):
        df[col] = df[col].astype("float64")
    return df


# ---------------------------------------------------------------- report helpers
def summarize_index766(df: pd.DataFrame, units: pd.DataFrame,
                       profile: str | Path | Profile = "portal-2024") -> pd.DataFrame:
    """One row per unit × period for reports: the total in the unit's ranking scope, its band
    and its rank among the units of the same level present in ``df``.

    Columns: unit_id, name, level, period, scope, points, max_points, no_data_points, band,
    band_confirmed, rank, units_ranked. A province's tree row is the province roll-up.
    """
    prof = load_profile(profile)
    tot = df[df["group"] == TOTAL].merge(
        units[["unit_id", "name", "level"]], on="unit_id", how="left")
    default = {"province": "tree", "district": "tree"}
    tot = tot[tot["scope"] == tot["level"].map(
        lambda lv: prof.rank_scope.get(lv, default.get(lv, "own")))].copy()
    tot["band"] = tot["points"].map(lambda x: prof.band(x).label)
    tot["band_confirmed"] = tot["points"].map(lambda x: prof.band(x).confirmed)
    grp = tot.groupby(["period", "level"])["points"]
    tot["rank"] = grp.rank(method="min", ascending=False).astype("int64")
    tot["units_ranked"] = grp.transform("size").astype("int64")
    cols = ["unit_id", "name", "level", "period", "scope", "points", "max_points",
            "no_data_points", "band", "band_confirmed", "rank", "units_ranked"]
    return tot[cols].sort_values(["period", "level", "rank", "unit_id"]).reset_index(drop=True)


def points_lost(df: pd.DataFrame, *, unit_id: str | None = None, scope: str | None = None
                ) -> pd.DataFrame:
    """Metric rows with ``lost = max_points − points`` (all of it when ``no_data``), largest
    first: "where the points went"."""
    m = df[~df["metric"].isin([GROUP_ROW, TOTAL]) & ~df["group"].isin([TOTAL, DEDUCTION])]
    if unit_id is not None:
        m = m[m["unit_id"] == unit_id]
    if scope is not None:
        m = m[m["scope"] == scope]
    m = m.copy()
    m["lost"] = (m["max_points"] - m["points"].fillna(0.0)).round(2)
    return m.sort_values(["unit_id", "scope", "period", "lost"],
                         ascending=[True, True, True, False]).reset_index(drop=True)
