"""SQL of the leads, one readable query per lead over the store, composed with two wrappers.

Each lead's *case relation* has one row per case it examines in the period window
``[$first, $last]`` (local dates), with the same columns for every lead:

    unit_id, case_id, stratum   (comparable cases share a stratum), flagged (shows the pattern),
    grp      (a group of flagged cases, e.g. one night's batch; NULL when not grouped),
    event_at (the timestamp looked at), due_at, related_case, amount, allowed, rank_key

``amount``/``allowed`` carry the lead's number (working days before the due date, working days
granted, batch size); ``rank_key`` orders the evidence, most telling first. Working days come from
the registered day table ``{days}`` (``day, is_working, wd, prev_wd, next_wd``: ``wd`` counts
working days up to the day, so working days in ``(a, b]`` are ``wd(b) - wd(a)``).

:func:`aggregate_sql` counts per unit and stratum; :func:`evidence_sql` lists the flagged cases of
chosen units, capped per unit.
"""

from __future__ import annotations

from typing import Any

from scorecard.leads.settings import LeadSettings

#: Longest processing span (working days) kept as its own stratum; longer spans are pooled.
SPAN_CAP = 60

_IN_WINDOW = "BETWEEN $first AND $last"

SUPPLEMENT_NEAR_DUE = f"""
SELECT c.unit_id, c.case_id,
       CAST(least(dd.wd - dr.wd, {SPAN_CAP}) AS VARCHAR) AS stratum,
       dd.wd - dq.wd <= $within AS flagged,
       NULL::VARCHAR AS grp,
       c.supplement_requested_at AS event_at, c.due_at, NULL::VARCHAR AS related_case,
       dd.wd - dq.wd AS amount, NULL::DOUBLE AS allowed,
       dd.wd - dq.wd AS rank_key
FROM cases c
JOIN {{days}} dq ON dq.day = CAST(c.supplement_requested_at AS DATE)
JOIN {{days}} dr ON dr.day = CAST(c.received_at AS DATE)
JOIN {{days}} dd ON dd.day = CAST(c.due_at AS DATE)
WHERE CAST(c.supplement_requested_at AS DATE) {_IN_WINDOW}"""

# A withdrawn or refused case finished in the window, and the first later case of the same
# procedure and applicant received no later than `within` days after it was finished.
REFILE_AFTER_WITHDRAWAL = f"""
WITH finished AS (
  SELECT case_id, unit_id, procedure_id, applicant_key, status, received_at, resolved_at,
         due_at, CAST(resolved_at AS DATE) AS f
  FROM cases
  WHERE status IN ('withdrawn', 'refused') AND applicant_key IS NOT NULL
    AND CAST(resolved_at AS DATE) {_IN_WINDOW}),
filed_again AS (
  SELECT w.case_id, arg_min(n.case_id, n.received_at) AS next_case,
         min(n.received_at) AS next_at
  FROM finished w
  JOIN cases n ON n.applicant_key = w.applicant_key AND n.procedure_id = w.procedure_id
   AND n.case_id <> w.case_id AND n.received_at > w.received_at
   AND CAST(n.received_at AS DATE) <= w.f + CAST($within AS INTEGER)
  GROUP BY w.case_id)
SELECT w.unit_id, w.case_id, 'all' AS stratum, a.next_case IS NOT NULL AS flagged,
       NULL::VARCHAR AS grp, w.resolved_at AS event_at, w.due_at,
       a.next_case AS related_case,
       CAST(datediff('day', w.f, CAST(a.next_at AS DATE)) AS INTEGER) AS amount,
       NULL::DOUBLE AS allowed,
       datediff('day', w.f, CAST(a.next_at AS DATE)) AS rank_key
FROM finished w LEFT JOIN filed_again a USING (case_id)"""

# Working days from receipt to the appointment date: (r, d], counted from the next working day
# when the case was received on a day off (the lenient reading).
_SPAN = "dd.wd - dr.wd - CASE WHEN dr.is_working THEN 0 ELSE 1 END"
APPOINTMENT_BEYOND_STATUTORY = f"""
SELECT c.unit_id, c.case_id, CAST(p.statutory_days AS VARCHAR) AS stratum,
       ({_SPAN}) - ceil(p.statutory_days) > $within AS flagged,
       NULL::VARCHAR AS grp, c.received_at AS event_at, c.due_at, NULL::VARCHAR AS related_case,
       CAST({_SPAN} AS INTEGER) AS amount, p.statutory_days AS allowed,
       ceil(p.statutory_days) - ({_SPAN}) AS rank_key
FROM cases c
JOIN procedures p USING (procedure_id)
JOIN {{days}} dr ON dr.day = CAST(c.received_at AS DATE)
JOIN {{days}} dd ON dd.day = CAST(c.due_at AS DATE)
WHERE p.statutory_days IS NOT NULL AND CAST(c.received_at AS DATE) {_IN_WINDOW}"""

# Resolved cases whose result came on the due date (flagged) or on a working day at most
# `window` working days before or after it (the reference).
DUE_DATE_SPIKE = f"""
SELECT c.unit_id, c.case_id,
       CAST(least(dd.wd - dr.wd, {SPAN_CAP}) AS VARCHAR) AS stratum,
       df.day = dd.day AS flagged, NULL::VARCHAR AS grp,
       c.resolved_at AS event_at, c.due_at, NULL::VARCHAR AS related_case,
       NULL::INTEGER AS amount, NULL::DOUBLE AS allowed,
       -(hour(c.resolved_at) * 60 + minute(c.resolved_at)) AS rank_key
FROM cases c
JOIN {{days}} dr ON dr.day = CAST(c.received_at AS DATE)
JOIN {{days}} dd ON dd.day = CAST(c.due_at AS DATE)
JOIN {{days}} df ON df.day = CAST(c.resolved_at AS DATE)
WHERE c.status = 'resolved' AND CAST(c.resolved_at AS DATE) {_IN_WINDOW}
  AND (df.day = dd.day OR (df.is_working AND abs(df.wd - dd.wd) <= $window))"""

# Results recorded at night or on a day off; a night runs from `night_from` to `night_to` and
# belongs to the evening's date (the session); a batch is one unit's off-hours results of one
# session, bulk when it has at least `bulk_min` of them.
OFF_HOURS_BULK = f"""
WITH results AS (
  SELECT c.unit_id, c.case_id, c.resolved_at, c.due_at,
         (hour(c.resolved_at) * 60 + minute(c.resolved_at) >= $night_from
          OR hour(c.resolved_at) * 60 + minute(c.resolved_at) < $night_to
          OR NOT df.is_working) AS off_hours,
         CAST(CAST(c.resolved_at - to_minutes(CAST($night_to AS BIGINT)) AS DATE) AS VARCHAR)
           AS session
  FROM cases c JOIN {{days}} df ON df.day = CAST(c.resolved_at AS DATE)
  WHERE c.status = 'resolved' AND CAST(c.resolved_at AS DATE) {_IN_WINDOW}),
batches AS (
  SELECT unit_id, session, count(*) AS batch FROM results WHERE off_hours GROUP BY ALL)
SELECT r.unit_id, r.case_id, 'all' AS stratum,
       r.off_hours AND coalesce(b.batch, 0) >= $bulk_min AS flagged,
       CASE WHEN r.off_hours THEN r.session END AS grp,
       r.resolved_at AS event_at, r.due_at, NULL::VARCHAR AS related_case,
       CAST(b.batch AS INTEGER) AS amount, NULL::DOUBLE AS allowed,
       -coalesce(b.batch, 0) AS rank_key
FROM results r
LEFT JOIN batches b ON r.off_hours AND b.unit_id = r.unit_id AND b.session = r.session"""

CASE_SQL: dict[str, str] = {
    "supplement_near_due": SUPPLEMENT_NEAR_DUE,
    "refile_after_withdrawal": REFILE_AFTER_WITHDRAWAL,
    "appointment_beyond_statutory": APPOINTMENT_BEYOND_STATUTORY,
    "due_date_spike": DUE_DATE_SPIKE,
    "off_hours_bulk": OFF_HOURS_BULK,
}


def lead_params(lead_id: str, settings: LeadSettings) -> dict[str, Any]:
    """The lead-specific parameters of :data:`CASE_SQL` (``$within``, ``$bulk_min``, …)."""
    s = settings.lead(lead_id)
    if lead_id == "supplement_near_due":
        return {"within": s.within_working_days}
    if lead_id == "refile_after_withdrawal":
        return {"within": s.within_days}
    if lead_id == "appointment_beyond_statutory":
        return {"within": s.tolerance_working_days}
    if lead_id == "due_date_spike":
        return {"window": s.window_working_days}
    if lead_id == "off_hours_bulk":
        return {"night_from": s.minutes("night_from"), "night_to": s.minutes("night_to"),
                "bulk_min": s.bulk_min_results}
    return {}


def case_relation(lead_id: str, days: str) -> str:
    """The lead's case relation over the day table ``days``."""
    return CASE_SQL[lead_id].format(days=days)


def aggregate_sql(lead_id: str, days: str) -> str:
    """Per unit and stratum: ``n`` cases examined, ``k`` flagged, ``groups`` distinct groups of
    flagged cases."""
    return f"""
SELECT unit_id, stratum, count(*) AS n, count(*) FILTER (WHERE flagged) AS k,
       count(DISTINCT grp) FILTER (WHERE flagged) AS groups
FROM ({case_relation(lead_id, days)}) x
GROUP BY ALL"""


def evidence_sql(lead_id: str, days: str) -> str:
    """The flagged cases of the units in ``$units``, at most ``$cap`` per unit, most telling
    first (``rank_key``, then the time looked at, then case id)."""
    return f"""
SELECT * EXCLUDE (rn) FROM (
  SELECT x.*, row_number() OVER (PARTITION BY unit_id
                                 ORDER BY rank_key, event_at, case_id) AS rn
  FROM ({case_relation(lead_id, days)}) x
  WHERE flagged AND unit_id IN (SELECT unnest($units)))
WHERE rn <= $cap
ORDER BY unit_id, rn"""


def cases_sql(lead_id: str, days: str, *, flagged_only: bool) -> str:
    """Every case the lead examined (or only the flagged ones) of the units in ``$units``
    (all units when ``$units`` is NULL), flagged first, most telling first."""
    only = "AND flagged" if flagged_only else ""
    return f"""
SELECT * FROM ({case_relation(lead_id, days)}) x
WHERE ($units IS NULL OR list_contains($units, unit_id)) {only}
ORDER BY unit_id, flagged DESC, rank_key, event_at, case_id"""
