"""The national portal's progress rule (tiến độ giải quyết), for the 766 progress metric.

The portal's published formula document judges every case *received* in the period (calendar
window ``[first, last]``) by when its processing ended, against its appointment date:

1. **End of processing.** A case finished on or before ``last`` ends at its finish date
   (``cases.resolved_at``: "Đã xử lý xong", else "Đã trả kết quả", else the stop of a refused or
   withdrawn case — the DVCQG source fills it in that order). A case still **waiting for the
   citizen** at ``last`` — its last supplement request (made by ``last``) not answered by then —
   ends at that request. Any other unfinished case is judged at ``last``.
2. **Citizen's time.** For each supplement request answered by the end, the days between the
   request and the answer (``returned − requested``, in calendar days) are subtracted from the end
   before the comparison.
3. **Appointment.** On time when ``end − citizen's days ≤ appointment``, all as local calendar
   dates. The appointment is the case's original one: the first request's ``due_before`` when the
   history has it, else ``cases.due_at`` (``appointment="synced"`` uses ``cases.due_at`` always;
   see :class:`ProgressRule`).
4. **More than one supplement request** (made by ``last``) is late, whatever the dates.

Plan indicators keep the Biểu 06 definitions (:mod:`scorecard.facts`); this rule is only for the
766 progress metric. :func:`judge_cases` (per case) and :func:`progress_counts` (per unit × scope)
run it on a store; :data:`PORTAL` is the same rule in the index's progress-rule protocol
(``judge_sql(profile)``), to register as a profile's ``progress_rule``.

**Where the data lacks supplement dates.** The rule needs ``case_supplements`` (loaded from the
DVCQG format's ``DanhSachHoSoBoSung``, or as its own kind). A case with supplement requests but
no history rows (e.g. loaded from CSV, which carries only the count) is judged with what is known:
its ``supplement_requests`` count for rule 4, no waiting (rule 1: judged at its finish or at
``last``) and nothing subtracted (rule 2). For such cases the result is the 766 module's plain
rule (never more lenient than the portal's); :func:`progress_counts` reports how many there are
(``undated_supplement_cases``) so a score can say so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import duckdb
import pandas as pd

from scorecard.periods import Period, parse_period

#: Columns of :func:`progress_counts` (contract).
COUNT_COLUMNS = ["unit_id", "scope", "received_cases", "on_time_cases", "supplement_cases",
                 "undated_supplement_cases", "waiting_cases", "late_by_requests"]
#: Columns of :func:`judge_cases` (contract).
CASE_COLUMNS = ["case_id", "unit_id", "received", "due", "appointment", "finished", "ended",
                "end_reason", "requests", "dated", "supplement_days", "on_time"]


@dataclass(frozen=True)
class ProgressRule:
    """Settings of the rule; the defaults are the portal's formula (domain.md §10).

    ``max_requests``: more supplement requests than this = late (None: no such rule).
    ``subtract_supplement_time``: take the citizen's answer time off the end (rule 2).
    ``waiting_ends_at_request``: a case waiting for the citizen ends at the request (rule 1).
    ``appointment``: ``original`` (the first request's ``due_before``, else ``due_at``) or
    ``synced`` (``due_at`` as loaded). The formula compares with "the appointment date" after
    subtracting the citizen's time, which only makes sense against the appointment before any
    extension; when a system sends the extended date as ``NgayHenTra`` and no history, the two
    readings differ and ``synced`` would count the citizen's time twice.
    """

    max_requests: int | None = 1
    subtract_supplement_time: bool = True
    waiting_ends_at_request: bool = True
    appointment: Literal["original", "synced"] = "original"


PORTAL_RULE = ProgressRule()

# The rule over the relation ``received`` (every column of ``cases``, for the cases received in
# the period window): one row per case, judged. Named parameters: last, portal_max_requests,
# portal_subtract, portal_waiting, portal_original.
_RULE_SQL = """
WITH supp AS (            -- the history of the received cases, as dates
    SELECT case_id, seq, CAST(requested_at AS DATE) AS asked,
           CAST(returned_at AS DATE) AS answered, CAST(due_before AS DATE) AS due_before
    FROM case_supplements
    WHERE case_id IN (SELECT case_id FROM received)
), history AS (           -- per case: requests made by the last day, the last one, the first due
    SELECT case_id,
           count(*) FILTER (WHERE asked <= $last) AS requests,
           max({'asked': asked, 'seq': seq, 'answered': answered})
               FILTER (WHERE asked <= $last) AS last_request,
           min({'seq': seq, 'due_before': due_before}).due_before AS first_due_before
    FROM supp
    GROUP BY case_id
), cases_in AS (
    SELECT case_id, unit_id, supplement_requests,
           CAST(received_at AS DATE) AS received,
           CAST(due_at AS DATE) AS due,
           CASE WHEN resolved_at IS NOT NULL AND CAST(resolved_at AS DATE) <= $last
                THEN CAST(resolved_at AS DATE) END AS finished
    FROM received
), ends AS (
    SELECT c.*, h.case_id IS NOT NULL AS dated,
           CASE WHEN h.case_id IS NOT NULL THEN h.requests
                ELSE coalesce(c.supplement_requests, 0) END AS requests,
           coalesce($portal_waiting AND c.finished IS NULL AND h.requests >= 1
                    AND (h.last_request.answered IS NULL OR h.last_request.answered > $last),
                    false) AS waiting,
           CASE WHEN $portal_original THEN coalesce(h.first_due_before, c.due) ELSE c.due END
               AS appointment,
           h.last_request.asked AS last_asked
    FROM cases_in c LEFT JOIN history h USING (case_id)
), judged AS (
    SELECT *,
           CASE WHEN finished IS NOT NULL THEN finished WHEN waiting THEN last_asked
                ELSE CAST($last AS DATE) END AS ended,
           CASE WHEN finished IS NOT NULL THEN 'finished' WHEN waiting THEN 'waiting'
                ELSE 'period_end' END AS end_reason
    FROM ends
), citizen AS (           -- days the citizen took to answer, for answers by the case's end
    SELECT j.case_id,
           CASE WHEN $portal_subtract THEN coalesce(sum(s.answered - s.asked), 0) ELSE 0 END
               AS supplement_days
    FROM judged j LEFT JOIN supp s
        ON s.case_id = j.case_id AND s.asked <= $last AND s.answered <= j.ended
    GROUP BY j.case_id
)
SELECT j.case_id, j.unit_id, j.received, j.due, j.appointment, j.finished, j.ended,
       j.end_reason, j.requests, j.dated, c.supplement_days, j.waiting,
       (CAST($portal_max_requests AS INTEGER) IS NULL
        OR j.requests <= CAST($portal_max_requests AS INTEGER))
           AND j.ended - CAST(c.supplement_days AS INTEGER) <= j.appointment AS on_time
FROM judged j JOIN citizen c USING (case_id)
"""

# The cases received in the window, every column (what the rule reads as ``received``).
_RECEIVED_SQL = "SELECT * FROM cases WHERE CAST(received_at AS DATE) BETWEEN $first AND $last"
_JUDGE_SQL = f"WITH received AS ({_RECEIVED_SQL}) SELECT * FROM ({_RULE_SQL})"

_COUNTS_SQL = """
SELECT s.ancestor_id AS unit_id, s.scope,
    count(*) AS received_cases,
    count(*) FILTER (WHERE on_time) AS on_time_cases,
    count(*) FILTER (WHERE requests > 0) AS supplement_cases,
    count(*) FILTER (WHERE requests > 0 AND NOT dated) AS undated_supplement_cases,
    count(*) FILTER (WHERE waiting) AS waiting_cases,
    count(*) FILTER (WHERE CAST($portal_max_requests AS INTEGER) IS NOT NULL
                     AND requests > CAST($portal_max_requests AS INTEGER)) AS late_by_requests
FROM {scope_map} s JOIN ({judged}) j ON j.unit_id = s.descendant_id
GROUP BY 1, 2
"""


def _rule_params(rule: ProgressRule) -> dict[str, object]:
    return {"portal_max_requests": rule.max_requests,
            "portal_subtract": rule.subtract_supplement_time,
            "portal_waiting": rule.waiting_ends_at_request,
            "portal_original": rule.appointment == "original"}


def _params(period: str | Period, calendar: str, rule: ProgressRule) -> dict[str, object]:
    first, last = parse_period(period).window(calendar)
    return {"first": first, "last": last, **_rule_params(rule)}


def judge_cases(con: duckdb.DuckDBPyConnection, period: str | Period, *,
                calendar: str = "calendar", rule: ProgressRule = PORTAL_RULE) -> pd.DataFrame:
    """Every case received in ``period``, judged by the portal's rule (:data:`CASE_COLUMNS`).

    ``end_reason``: ``finished`` | ``waiting`` (ended at its unanswered supplement request) |
    ``period_end``; ``dated``: the case has supplement history rows; ``supplement_days``: the
    citizen's days subtracted; ``requests``: supplement requests counted for the rule.
    """
    df = con.execute(_JUDGE_SQL + " ORDER BY unit_id, case_id",
                     _params(period, calendar, rule)).df()
    return df[CASE_COLUMNS].reset_index(drop=True)


def scope_map(units: pd.DataFrame) -> pd.DataFrame:
    """(ancestor_id, descendant_id, scope): each unit with itself (own) and with every unit of
    its subtree (tree)."""
    from scorecard.units import closure

    cl = closure(units)[["ancestor_id", "descendant_id"]]
    ids = units["unit_id"].astype(str)
    own = pd.DataFrame({"ancestor_id": ids, "descendant_id": ids})
    return pd.concat([own.assign(scope="own"), cl.assign(scope="tree")], ignore_index=True)


def progress_counts(con: duckdb.DuckDBPyConnection, period: str | Period,
                    units: pd.DataFrame | None = None, *, calendar: str = "calendar",
                    rule: ProgressRule = PORTAL_RULE) -> pd.DataFrame:
    """Per unit × scope (own, tree): the received and on-time counts of the 766 progress metric
    under the portal's rule, with diagnostics (:data:`COUNT_COLUMNS`).

    ``received_cases``/``on_time_cases`` are what the metric needs (20·on_time/received);
    ``supplement_cases``: received cases with a supplement request; ``undated_supplement_cases``:
    those without history rows (judged by the plain rule, see the module docstring);
    ``waiting_cases``: judged at their unanswered request; ``late_by_requests``: late for having
    more than ``max_requests`` requests. Every unit of ``units`` (default: the store's) has both
    rows, zeros when it received nothing.
    """
    if units is None:
        from scorecard.units import load_units

        units = load_units(con)
    smap = scope_map(units)
    name = f"_progress_scope_{id(smap)}"
    con.register(name, smap)
    try:
        counts = con.execute(_COUNTS_SQL.format(scope_map=name, judged=_JUDGE_SQL),
                             _params(period, calendar, rule)).df()
    finally:
        con.unregister(name)
    base = smap[["ancestor_id", "scope"]].drop_duplicates().rename(
        columns={"ancestor_id": "unit_id"})
    out = base.merge(counts, on=["unit_id", "scope"], how="left")
    for col in COUNT_COLUMNS[2:]:
        out[col] = out[col].fillna(0).astype("int64")
    return out[COUNT_COLUMNS].sort_values(["unit_id", "scope"]).reset_index(drop=True)


# ---------------------------------------------------------------- as the index's progress rule
@dataclass(frozen=True)
class PortalProgressRule:
    """The rule as a 766 profile's ``progress_rule`` (the index's rule protocol: ``name``,
    ``description``, ``judge_sql(profile)``). The profile's supplement rule sets
    ``max_requests`` (off = no request limit); the other settings are :attr:`rule`'s."""

    name: str = "portal"
    description: str = ("the portal's formula: finished cases by their finish date, cases "
                        "waiting for the citizen at their supplement request, others at the "
                        "period's last day; the citizen's supplement days subtracted; against "
                        "the original appointment; more than max_requests requests is late")
    rule: ProgressRule = PORTAL_RULE

    def judge_sql(self, profile: Any) -> tuple[str, dict[str, Any]]:
        """``SELECT received.*, on_time FROM received …`` and its parameters (besides the
        index's ``$first``/``$last``); ``profile`` needs ``supplement_rule`` and
        ``max_supplement_requests``."""
        max_requests = profile.max_supplement_requests if profile.supplement_rule else None
        rule = replace(self.rule, max_requests=max_requests)
        sql = (f"SELECT received.*, judged.on_time FROM received "
               f"JOIN ({_RULE_SQL}) AS judged USING (case_id)")
        return sql, _rule_params(rule)


#: The rule to register as ``progress_rule: portal`` (``scorecard.portal_progress:PORTAL``).
PORTAL = PortalProgressRule()
