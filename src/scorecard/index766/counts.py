"""The counts the index's metrics divide, per unit × scope for one period (SQL over the store).

Every metric of a profile names one count as numerator and one as denominator (:data:`COUNTS`).
Scopes: ``own`` = the unit's own records; ``tree`` = the unit and all its descendants. Case and
PAKN counts of a tree are sums over the subtree; procedure counts are DISTINCT procedures over
the subtree (a procedure handled by many communes counts once at the province).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from scorecard.index766.progress import ProgressRuleError, resolve_progress_rule
from scorecard.periods import Period, parse_period

if TYPE_CHECKING:
    from scorecard.index766.profile import Profile

#: Counts a computed metric may use as numerator or denominator (per unit × scope × period).
#: "Received" = received in the period window; "judged" = by the profile's progress rule.
COUNTS: dict[str, str] = {
    "received_cases": "cases received in the period",
    "on_time_cases": "received cases on time (the profile's progress rule)",
    "online_cases": "received cases filed online",
    "fee_cases": "received cases with fee_required",
    "paid_online_cases": "received cases with fee_required and paid_online",
    "satisfied_cases": "received cases neither late (progress rule) nor rated 'dissatisfied'",
    "resolved_cases": "received cases resolved on or before the period's last day",
    "e_result_cases": "received cases resolved on or before the period's last day with an "
                      "electronic result",
    "digitized_cases": "received cases digitized",
    "reused_cases": "received cases reusing digitized data",
    "citizen_data_cases": "received cases that used national population data "
                          "(citizen_data_used)",
    "citizen_data_known_cases": "received cases whose citizen_data_used is not empty",
    "personal_storage_cases": "received cases shared to the citizen's personal data store "
                              "(personal_storage_synced)",
    "personal_storage_known_cases": "received cases whose personal_storage_synced is not empty",
    "feedback_received": "PAKN received in the period",
    "feedback_on_time": "PAKN on time when judged at the period's end",
    "feedback_late": "PAKN received and not on time when judged at the period's end",
    "feedback_rated": "PAKN received with a satisfied answer (yes or no)",
    "feedback_satisfied": "PAKN received answered satisfied",
    "feedback_dissatisfied": "PAKN received answered not satisfied ('không hài lòng')",
    "feedback_neither_late_nor_dissatisfied": "PAKN received, on time and not answered "
                                              "'không hài lòng' (each PAKN counted once)",
    "feedback_received_less_late_and_dissatisfied":
        "max(0, feedback_received − feedback_dissatisfied − feedback_late): the portal's "
        "written numerator (a PAKN both late and dissatisfied is subtracted twice)",
    "procedures": "procedures of the basis (distinct over the scope)",
    "online_procedures": "basis procedures offered online (online_service full or partial)",
    "online_procedures_with_online_cases": "online procedures with >= 1 online case in the period",
    "fee_procedures": "basis procedures with a fee",
    "fee_procedures_paid_online": "fee-bearing procedures with >= 1 paid_online case in the period",
    "fee_procedures_integrated": "fee-bearing procedures integrated for online payment",
    "citizen_data_procedures": "basis procedures connected to the population database "
                               "(citizen_data_connected)",
    "citizen_data_known_procedures": "basis procedures whose citizen_data_connected is not empty",
}

#: The counts over procedures (their metric rows carry the ``basis``).
PROCEDURE_COUNTS = frozenset(c for c in COUNTS if "procedures" in c)

#: Optional input columns the counts read (table -> columns): a store made before they existed
#: and opened read-only lacks them; they are then read as NULL (= not carried by the data).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "cases": ("citizen_data_used", "personal_storage_synced"),
    "procedures": ("citizen_data_connected",),
}

# The cases received in the window (every column, so a progress rule may use any of them).
_RECEIVED_SQL = """
SELECT * {replace} FROM cases WHERE CAST(received_at AS DATE) BETWEEN $first AND $last
"""

# A rule must return every received case once, judged: checked before its counts are used.
_RULE_CHECK_SQL = """
WITH received AS ({received}), j AS ({judged})
SELECT (SELECT count(*) FROM received), (SELECT count(*) FROM j),
       (SELECT count(*) FROM j WHERE on_time IS NULL)
"""

_CASES_SQL = """
WITH received AS ({received}), j AS ({judged})
SELECT s.ancestor_id AS unit_id, s.scope,
    count(*) AS received_cases,
    count(*) FILTER (WHERE on_time) AS on_time_cases,
    count(*) FILTER (WHERE channel = 'online') AS online_cases,
    count(*) FILTER (WHERE fee_required) AS fee_cases,
    count(*) FILTER (WHERE fee_required AND paid_online) AS paid_online_cases,
    count(*) FILTER (WHERE on_time AND rating IS DISTINCT FROM 'dissatisfied') AS satisfied_cases,
    count(*) FILTER (WHERE status = 'resolved' AND CAST(resolved_at AS DATE) <= $last)
        AS resolved_cases,
    count(*) FILTER (WHERE status = 'resolved' AND CAST(resolved_at AS DATE) <= $last
                     AND e_result) AS e_result_cases,
    count(*) FILTER (WHERE digitized) AS digitized_cases,
    count(*) FILTER (WHERE reused_data) AS reused_cases,
    count(*) FILTER (WHERE citizen_data_used) AS citizen_data_cases,
    count(citizen_data_used) AS citizen_data_known_cases,
    count(*) FILTER (WHERE personal_storage_synced) AS personal_storage_cases,
    count(personal_storage_synced) AS personal_storage_known_cases
FROM {scope_map} s JOIN j ON j.unit_id = s.descendant_id
GROUP BY 1, 2
"""

_FEEDBACK_SQL = """
WITH fb AS (
    SELECT unit_id, satisfied,
           COALESCE(CASE WHEN resolved_at IS NOT NULL AND CAST(resolved_at AS DATE) <= $last
                         THEN CAST(resolved_at AS DATE) END, $last)
               <= CAST(due_at AS DATE) AS on_time
    FROM feedback
    WHERE CAST(received_at AS DATE) BETWEEN $first AND $last
), counted AS (
    SELECT s.ancestor_id AS unit_id, s.scope,
        count(*) AS feedback_received,
        count(*) FILTER (WHERE on_time) AS feedback_on_time,
        count(*) FILTER (WHERE NOT on_time) AS feedback_late,
        count(satisfied) AS feedback_rated,
        count(*) FILTER (WHERE satisfied) AS feedback_satisfied,
        count(*) FILTER (WHERE NOT satisfied) AS feedback_dissatisfied,
        count(*) FILTER (WHERE on_time AND satisfied IS DISTINCT FROM FALSE)
            AS feedback_neither_late_nor_dissatisfied
    FROM {scope_map} s JOIN fb ON fb.unit_id = s.descendant_id
    GROUP BY 1, 2
)
SELECT *, greatest(0, feedback_received - feedback_dissatisfied - feedback_late)
    AS feedback_received_less_late_and_dissatisfied
FROM counted
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
), p AS (
    SELECT * {replace} FROM procedures
)
SELECT sp.unit_id, sp.scope, any_value(bl.basis) AS basis,
    count(*) AS procedures,
    count(*) FILTER (WHERE p.online_service IN ('full', 'partial')) AS online_procedures,
    count(*) FILTER (WHERE p.online_service IN ('full', 'partial') AND u.has_online)
        AS online_procedures_with_online_cases,
    count(*) FILTER (WHERE p.has_fee) AS fee_procedures,
    count(*) FILTER (WHERE p.has_fee AND u.has_paid) AS fee_procedures_paid_online,
    count(*) FILTER (WHERE p.has_fee AND p.payment_integrated) AS fee_procedures_integrated,
    count(*) FILTER (WHERE p.citizen_data_connected) AS citizen_data_procedures,
    count(p.citizen_data_connected) AS citizen_data_known_procedures
FROM sp
JOIN p ON p.procedure_id = sp.procedure_id
LEFT JOIN used u ON u.unit_id = sp.unit_id AND u.scope = sp.scope
                 AND u.procedure_id = sp.procedure_id
JOIN bl ON bl.unit_id = sp.unit_id AND bl.scope = sp.scope
GROUP BY 1, 2
"""


def scope_map(units: pd.DataFrame) -> pd.DataFrame:
    """(ancestor_id, descendant_id, scope): own pairs and the closure as tree pairs."""
    from scorecard.units import closure

    cl = closure(units)[["ancestor_id", "descendant_id"]]
    own = pd.DataFrame({"ancestor_id": units["unit_id"].astype(str),
                        "descendant_id": units["unit_id"].astype(str)})
    return pd.concat([own.assign(scope="own"), cl.assign(scope="tree")], ignore_index=True)


def _missing_as_null(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A ``SELECT *`` add-on giving the optional columns the store lacks as NULL booleans."""
    have = {r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
        [table]).fetchall()}
    missing = [c for c in OPTIONAL_COLUMNS[table] if c not in have]
    return "".join(f", CAST(NULL AS BOOLEAN) AS {c}" for c in missing)


def index_counts(con: duckdb.DuckDBPyConnection, period: str | Period, profile: Profile,
                 units: pd.DataFrame) -> pd.DataFrame:
    """Every :data:`COUNTS` column plus ``basis`` per (unit_id, scope) for one period."""
    p = parse_period(period)
    first, last = p.window(profile.calendar)
    smap = scope_map(units)
    name = f"_idx766_scope_{id(smap)}"
    con.register(name, smap)
    window = {"first": first, "last": last}
    judged, rule_params = resolve_progress_rule(profile.progress_rule).judge_sql(profile)
    received = _RECEIVED_SQL.format(replace=_missing_as_null(con, "cases"))
    n_received, n_judged, n_unjudged = con.execute(
        _RULE_CHECK_SQL.format(received=received, judged=judged),
        {**window, **rule_params}).fetchone()
    if n_judged != n_received or n_unjudged:
        raise ProgressRuleError(
            f"progress rule {profile.progress_rule!r} returned {n_judged} rows for "
            f"{n_received} received cases ({n_unjudged} without on_time): it must return "
            f"each received case once, with on_time true or false")
    try:
        cases = con.execute(
            _CASES_SQL.format(scope_map=name, received=received, judged=judged),
            {**window, **rule_params}).df()
        fb = con.execute(_FEEDBACK_SQL.format(scope_map=name), window).df()
        procs = con.execute(_PROCEDURES_SQL.format(
            scope_map=name, replace=_missing_as_null(con, "procedures")), window).df()
    finally:
        con.unregister(name)
    out = smap[["ancestor_id", "scope"]].drop_duplicates().rename(
        columns={"ancestor_id": "unit_id"})
    for part in (cases, fb, procs):
        out = out.merge(part, on=["unit_id", "scope"], how="left")
    for col in COUNTS:
        out[col] = out[col].fillna(0).astype("int64")
    out["basis"] = out["basis"].fillna("none")
    return out.sort_values(["unit_id", "scope"]).reset_index(drop=True)
