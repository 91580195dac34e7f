"""Indicators in DuckDB for all units, scopes and periods in one query.

The periods (and, for year-over-year indicators, the same periods a year earlier) form a table
joined to the cases once (:func:`scorecard.facts.facts_ctes`); ``own`` scope is each unit's own
cases, ``tree`` scope (units with children) sums its own numerators and denominators over the
closure table of the unit tree (never a mean of rates), except that procedure counts are distinct
procedures over the subtree (the bit_or of its units' procedure bitsets, see facts.py). ``level``
scope pools named groups of units (``pools``: e.g. every commune of a province) the same way. The
result is tidy: ``unit_id, scope, period, indicator, numerator, denominator, value``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import duckdb
import pandas as pd

from scorecard.facts import (
    CASE_MEASURES,
    FEEDBACK_MEASURES,
    PROCEDURE_MEASURES,
    as_periods,
    facts_ctes,
    normalize_fields,
    periods_frame,
    proc_count_cols,
    registered,
)
from scorecard.indicators.catalogue import (
    CATALOGUE,
    IndicatorError,
    Variant,
    case_indicator_ids,
    get_indicator,
    resolve_variants,
)
from scorecard.periods import Period
from scorecard.units import CLOSURE_COLUMNS, at_level, closure, load_units

TIDY_COLUMNS = ["unit_id", "scope", "period", "indicator", "numerator", "denominator", "value"]
SCOPES = ("own", "tree")
#: Scope of a pooled group's rows (``pools`` of :func:`compute_indicators`).
POOL_SCOPE = "level"


def _sum(measures: tuple[str, ...] | None, alias: str = "w") -> str:
    if not measures:
        return "CAST(NULL AS BIGINT)"
    return "CAST(" + " + ".join(f"{alias}.{m}" for m in measures) + " AS BIGINT)"


def _branch(ind_id: str, variant: Variant, order: int) -> str:
    ind = CATALOGUE[ind_id]
    num = _sum(variant.numerator)
    if ind.kind == "count":
        return (f"SELECT w.unit_id, w.scope, w.period, '{ind_id}' AS indicator, {order} AS ord, "
                f"{num} AS numerator, CAST(NULL AS BIGINT) AS denominator, "
                f"CAST({num} AS DOUBLE) AS value FROM wide w JOIN asked USING (period)")
    if ind.kind == "rate":
        den = _sum(variant.denominator)
        return (f"SELECT w.unit_id, w.scope, w.period, '{ind_id}' AS indicator, {order} AS ord, "
                f"{num} AS numerator, {den} AS denominator, "
                f"CASE WHEN {den} > 0 THEN {num} / {den} END AS value "
                f"FROM wide w JOIN asked USING (period)")
    if ind.rate_of_rates:  # this period's rate over the same period's rate a year earlier
        n1, d1 = num, _sum(variant.denominator)
        n0, d0 = _sum(variant.numerator, "w0"), _sum(variant.denominator, "w0")
        return (f"SELECT w.unit_id, w.scope, w.period, '{ind_id}' AS indicator, {order} AS ord, "
                f"CAST(NULL AS BIGINT) AS numerator, CAST(NULL AS BIGINT) AS denominator, "
                f"CASE WHEN {d1} > 0 AND {d0} > 0 AND {n0} > 0 "
                f"THEN CAST({n1} AS DOUBLE) * {d0} / (CAST({d1} AS DOUBLE) * {n0}) END AS value "
                f"FROM wide w JOIN asked a USING (period) "
                f"LEFT JOIN wide w0 ON w0.unit_id = w.unit_id AND w0.scope = w.scope "
                f"AND w0.period = a.lag{ind.lag_years}")
    # ratio: the same measure ``lag_years`` earlier (the periods table holds both)
    den = _sum(variant.denominator, "w0")
    return (f"SELECT w.unit_id, w.scope, w.period, '{ind_id}' AS indicator, {order} AS ord, "
            f"{num} AS numerator, {den} AS denominator, "
            f"CASE WHEN {den} > 0 THEN {num} / {den} END AS value "
            f"FROM wide w JOIN asked a USING (period) "
            f"LEFT JOIN wide w0 ON w0.unit_id = w.unit_id AND w0.scope = w.scope "
            f"AND w0.period = a.lag{ind.lag_years}")


def _select_indicators(indicators: Iterable[str] | None) -> list[str]:
    """The case indicators asked for (all by default), in catalogue order. An indicator another
    module computes (``computed_by``) is refused by name: its figures are not in case data."""
    if indicators is None:
        return case_indicator_ids()
    ids = [indicators] if isinstance(indicators, str) else list(indicators)
    for iid in ids:
        decl = get_indicator(iid)
        if decl.computed_by is not None:
            raise IndicatorError(
                f"{iid} is computed by {decl.computed_by.function}, not from case data: "
                f"compute_indicators does not give it (scorecard.evaluate asks that module)")
    return [iid for iid in CATALOGUE if iid in set(ids)]


def compute_indicators(
    con: duckdb.DuckDBPyConnection,
    periods: str | Period | Iterable[str | Period],
    calendar: str = "calendar",
    *,
    fields: Sequence[str] | None = None,
    units: Iterable[str] | None = None,
    indicators: Iterable[str] | None = None,
    variants: Mapping[str, str] | None = None,
    scopes: Iterable[str] = SCOPES,
    pools: Mapping[str, Iterable[str]] | None = None,
) -> pd.DataFrame:
    """Every requested indicator for every unit, scope and period, as a tidy frame.

    ``periods``: one period id or several (``2025Q1``, ``2025-03``, ``2025``), windows from
    ``calendar`` (``calendar`` | ``nd09``); a form06 row counts for the period id it carries.
    ``fields``: restrict cases (and procedure counts) to procedures of these field codes (None or
    empty: all fields); form06 rows and feedback carry no field, so they are then excluded. ``units``: only return these
    unit ids (tree scope still sums every descendant). ``indicators``: ids (default: all).
    ``variants``: indicator id → denominator variant name (see ``CATALOGUE[id].variants``).
    ``scopes``: ``own`` (every unit) and/or ``tree`` (units with children: itself + descendants).
    ``pools``: group key → unit ids; each group gets rows with ``scope='level'`` and
    ``unit_id`` = the key, its members' numerators and denominators summed (procedures counted
    distinct), as for a tree. Keys must not be unit ids.

    Returns ``unit_id, scope, period, indicator, numerator, denominator, value`` sorted by
    unit, scope, period and catalogue order; rates have value NULL when the denominator is 0,
    counts have value = numerator and denominator NULL. Unknown ids, and indicators another
    module computes (``CATALOGUE[id].computed_by``: the plan-task indicators), →
    ``IndicatorError``; ``indicators=None`` gives every case indicator.
    """
    fields = normalize_fields(fields)
    scopes = (scopes,) if isinstance(scopes, str) else tuple(scopes)
    for s in scopes:
        if s not in (*SCOPES, POOL_SCOPE):
            raise IndicatorError(f"unknown scope {s!r}: use own and/or tree")
    pool_members = {str(k): [str(u) for u in v] for k, v in (pools or {}).items()}
    if pool_members and POOL_SCOPE not in scopes:
        scopes = (*scopes, POOL_SCOPE)
    ids = _select_indicators(indicators)
    chosen = resolve_variants(variants)
    asked = as_periods(periods)
    lags = sorted({CATALOGUE[i].lag_years for i in ids if CATALOGUE[i].lag_years})
    every = list(asked) + [p.shift_years(-k) for k in lags for p in asked]
    pf = periods_frame(every, calendar)
    asked_df = pd.DataFrame({"period": [p.id for p in asked]})
    for k in (lags or [1]):
        asked_df[f"lag{k}"] = [p.shift_years(-k).id for p in asked]

    cl = closure(load_units(con))
    if pool_members:
        clash = sorted(set(pool_members) & set(cl["ancestor_id"]))
        if clash:
            raise IndicatorError(f"pool key {clash[0]!r} is a unit id")
        cl = pd.concat([cl, pd.DataFrame(
            [(key, u, 1) for key, members in pool_members.items() for u in members],
            columns=CLOSURE_COLUMNS)], ignore_index=True)
    if cl.empty:
        cl = pd.DataFrame({"ancestor_id": pd.Series(dtype=str),
                           "descendant_id": pd.Series(dtype=str),
                           "depth": pd.Series(dtype="int64")})
    pool_df = pd.DataFrame({"key": pd.Series(list(pool_members), dtype=str)})
    summed = [m for m in (*CASE_MEASURES, *FEEDBACK_MEASURES)]
    tree_sums = ",\n    ".join(f"sum(o.{m}) AS {m}" for m in summed)
    tree_proc = proc_count_cols("s", "mk")
    cols = ", ".join((*summed, *PROCEDURE_MEASURES))
    tree_cols = ", ".join((*summed, *(f"coalesce(tp.{m}, 0) AS {m}" for m in PROCEDURE_MEASURES)))
    branches = "\n  UNION ALL\n  ".join(
        _branch(iid, chosen[iid], n) for n, iid in enumerate(ids)
    )
    params: dict[str, object] = {"scopes": list(scopes)}
    if fields is not None:
        params["fields"] = list(fields)
    unit_filter = ""
    if units is not None:
        params["units"] = ([units] if isinstance(units, str) else list(units)) + list(pool_members)
        unit_filter = "AND unit_id IN (SELECT unnest($units))"

    with registered(con, pf) as prel, registered(con, asked_df) as arel, \
            registered(con, cl) as crel, registered(con, pool_df) as poolrel:
        ctes = facts_ctes(prel, fields=fields, with_procedures=any(
            CATALOGUE[i].unit == "procedures" for i in ids))
        sql = f"""WITH {ctes},
asked AS (SELECT * FROM {arel}),
parents AS (SELECT DISTINCT ancestor_id AS unit_id FROM {crel} WHERE depth > 0),
cl AS (SELECT ancestor_id, descendant_id FROM {crel}
       WHERE ancestor_id IN (SELECT unit_id FROM parents)),
tree_facts AS (
  SELECT cl.ancestor_id AS unit_id, o.period,
    {tree_sums}
  FROM cl JOIN own_facts o ON o.unit_id = cl.descendant_id
  GROUP BY ALL),
tree_procs AS (
  SELECT s.unit_id, s.period,
    {tree_proc}
  FROM (SELECT cl.ancestor_id AS unit_id, pw.period, pw.w, bit_or(pw.bits) AS bits
        FROM cl JOIN proc_words pw ON pw.unit_id = cl.descendant_id GROUP BY ALL) s
  JOIN proc_masks mk USING (w)
  GROUP BY ALL),
wide AS MATERIALIZED (
  SELECT unit_id, 'own' AS scope, period, {cols} FROM own_facts
  WHERE 'own' IN (SELECT unnest($scopes))
  UNION ALL
  SELECT * FROM (
    SELECT t.unit_id,
      CASE WHEN t.unit_id IN (SELECT key FROM {poolrel}) THEN '{POOL_SCOPE}' ELSE 'tree' END
        AS scope, t.period, {tree_cols}
    FROM tree_facts t LEFT JOIN tree_procs tp USING (unit_id, period))
  WHERE scope IN (SELECT unnest($scopes))),
long AS (
  {branches})
SELECT unit_id, scope, period, indicator, numerator, denominator, value FROM long
WHERE TRUE {unit_filter}
ORDER BY unit_id, scope, period, ord"""
        df = con.execute(sql, params).df()
    df["numerator"] = df["numerator"].astype("Int64")
    df["denominator"] = df["denominator"].astype("Int64")
    df["value"] = df["value"].astype("float64")
    return df[TIDY_COLUMNS]


def procedure_basis(con: duckdb.DuckDBPyConnection,
                    units: Iterable[str] | None = None) -> pd.DataFrame:
    """Which procedure list the ``proc_*`` rates used, per unit and scope.

    ``basis`` is ``catalogue`` (the unit's ``unit_procedures`` rows), ``cases`` (no such rows:
    the procedures it received cases for in the period) or, in tree scope, ``mixed`` when its
    subtree has units of both kinds. Columns: ``unit_id, scope, basis``.
    """
    units_df = load_units(con)
    with_catalogue = {r[0] for r in con.execute(
        "SELECT DISTINCT unit_id FROM unit_procedures").fetchall()}
    cl = closure(units_df)
    rows = [(u, "own", "catalogue" if u in with_catalogue else "cases")
            for u in units_df["unit_id"]]
    for anc, grp in cl.groupby("ancestor_id"):
        if len(grp) < 2:
            continue
        kinds = {d in with_catalogue for d in grp["descendant_id"]}
        basis = "mixed" if len(kinds) == 2 else ("catalogue" if True in kinds else "cases")
        rows.append((anc, "tree", basis))
    out = pd.DataFrame(rows, columns=["unit_id", "scope", "basis"])
    if units is not None:
        keep = [units] if isinstance(units, str) else list(units)
        out = out[out["unit_id"].isin(keep)]
    return out.sort_values(["unit_id", "scope"]).reset_index(drop=True)


def level_totals(df: pd.DataFrame, units: pd.DataFrame, level: str) -> pd.DataFrame:
    """Totals over all units of ``level``: sums of their own numerators and denominators.

    ``df`` is a frame of :func:`compute_indicators` (own rows are used), ``units`` the units
    table (``unit_id, level``). Returns ``level, scope='level', period, indicator, numerator,
    denominator, value`` with value recomputed from the sums (a rate is never averaged).
    Procedure rates sum (unit, procedure) pairs, not distinct procedures.
    """
    members = set(at_level(units, level)["unit_id"])
    own = df[(df["scope"] == "own") & df["unit_id"].isin(members)]
    grouped = own.groupby(["period", "indicator"], sort=False, dropna=False)
    out = grouped.agg(numerator=("numerator", lambda s: s.sum(min_count=1)),
                      denominator=("denominator", lambda s: s.sum(min_count=1))).reset_index()
    out["numerator"] = out["numerator"].astype("Int64")
    out["denominator"] = out["denominator"].astype("Int64")
    kinds = out["indicator"].map(lambda i: CATALOGUE[i].kind if i in CATALOGUE else "rate")
    num = out["numerator"].astype("Float64")
    den = out["denominator"].astype("Float64")
    ratio = (num / den.where(den > 0)).astype("float64")
    out["value"] = num.astype("float64").where(kinds == "count", ratio)
    out.insert(0, "scope", "level")
    out.insert(0, "level", level)
    return out[["level", "scope", "period", "indicator", "numerator", "denominator", "value"]]
