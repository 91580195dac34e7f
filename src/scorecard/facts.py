"""Case classification: Biểu 06 counts and the other base measures per unit × period (SQL).

A period window is ``[p_first, p_last]`` (dates, inclusive) from :mod:`scorecard.periods`. With
``r``, ``d``, ``f`` the local received, due and finish dates of a case (``f`` = resolved, withdrawn
or refused date; NULL while pending), docs/design.md §"Case classification" fixes the rules:

- received: ``p_first <= r <= p_last`` (online when ``channel = 'online'``);
- carried over: ``r < p_first`` and not finished before the period;
- resolved: ``status = 'resolved'`` and ``f`` in the window; early ``f < d``, on time ``f = d``,
  late ``f > d``;
- residual: withdrawn/refused with ``f`` in the window;
- pending at the end: ``r <= p_last`` and not finished by ``p_last``; in time when ``d >= p_last``.

Every case relevant to a period satisfies ``r <= p_last AND (f IS NULL OR f >= p_first)``. The
rules only ever compare ``r``, ``d`` and ``f`` with period boundaries (or ``f`` with ``d``), so
each date is first replaced by its *boundary code*: with ``B`` the sorted distinct ``p_first`` and
``p_last`` dates of the periods asked, ``code(x) = 2·#{b in B: b < x} + (1 if x in B)`` (a small
day → code table, one equi-join per date column). The code keeps every comparison with a boundary
exactly (``x < b``, ``x = b``, ``x > b`` iff the same holds for the codes), so one scan of
``cases`` groups them (stage 0) by unit, the three codes, resolved or not, online or not and ``f``
vs ``d`` — a few tens of thousands of rows for millions of cases — and only those groups are
joined to the periods on the range condition, for any set of periods (overlapping ones
included). Every measure is then a ``sum(...) FILTER (...)`` of the joined groups.

``form06`` rows (units that report only the aggregate form) supply the Biểu 06 counts of their
(unit, period id) — whatever calendar is asked, the row's window is the form's own — for
unit-periods without case data. When both exist, case data wins; :func:`form06_overlap` lists the
overlap. form06 rows carry no field, so any field restriction excludes them, and they supply no
other measure (digitized, ratings, …).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import duckdb
import pandas as pd

from scorecard.periods import Period, Window, check_calendar, parse_period

# ------------------------------------------------------------------ measure declarations
# Stage 0 groups cases by unit, boundary codes ``rc``/``dc``/``fc`` (``fc`` = top + 1 while
# pending), ``res`` (status resolved), ``online`` and ``fd`` (f < d: 1, f = d: 2, else 3) with
# ``n`` cases and per-flag sums (_STAGE0_SUMS); the group key is packed into one BIGINT while
# grouping (hashing one integer is much cheaper than seven columns). Stage 0 groups joined to the
# periods (``pc``: p_fc/p_lc = codes of p_first/p_last) are grouped again (stage 1) by unit,
# period and the case's class in that period: ``rec`` (received in it; else carried over),
# ``online`` and ``fclass``:
#   1 resolved early, 2 resolved on time, 3 resolved late (f in the window, f vs d),
#   4 withdrawn/refused by its due date, 7 withdrawn/refused after it (f in the window),
#   5 pending at the end in time (d >= p_last), 6 pending at the end overdue.
# with ``n`` cases and per-flag sums. Each measure is then a FILTERed sum over those few rows.
_FCLASS = """CASE WHEN g.fc > p.p_lc THEN (CASE WHEN g.dc >= p.p_lc THEN 5 ELSE 6 END)
           WHEN g.res THEN g.fd
           WHEN g.fd <= 2 THEN 4 ELSE 7 END"""
_STAGE0_SUMS = {
    "n": "count(*)",
    "s_digitized": "sum(c.digitized::INT)",
    "s_reused": "sum(c.reused_data::INT)",
    "s_fee": "sum(c.fee_required::INT)",
    "s_paid": "sum((c.fee_required AND c.paid_online)::INT)",
    "s_e_result": "sum(c.e_result::INT)",
    "s_apology": "sum(c.apology_issued::INT)",
    "s_rated": "count(c.rating)",
    "s_satisfied": "sum((c.rating IN ('satisfied', 'very_satisfied'))::INT)",
    "s_supp_le1": "sum((c.supplement_requests <= 1)::INT)",
}
_RES = "fclass IN (1, 2, 3)"


@dataclass(frozen=True)
class Measure:
    """A base measure: a count per unit × period.

    ``rule`` states it in words (for the reference page); ``sql`` is its aggregate expression:
    over the stage-1 case groups (case measures), feedback joined to periods (``c``), or the
    unit's procedure list joined to ``procedures`` (``pr``, a flag).
    """

    id: str
    label_vi: str
    label_en: str
    sql: str
    source: str  # cases | feedback | procedures | form06+cases
    rule: str = ""


def _s(col: str, cond: str) -> str:
    return f"sum({col}) FILTER (WHERE {cond})"


#: The Biểu 06 counts: from case data, or from a form06 row for units without case data.
B06_MEASURES: tuple[str, ...] = (
    "received",
    "received_online",
    "carried_over",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending",
    "pending_in_time",
    "pending_overdue",
)

_CASE = [
    Measure("received", "Hồ sơ tiếp nhận mới trong kỳ", "cases received in the period",
            _s("n", "rec"), "form06+cases", "first <= r <= last"),
    Measure("received_online", "Hồ sơ tiếp nhận trực tuyến trong kỳ",
            "cases received online in the period", _s("n", "rec AND online"), "form06+cases",
            "received and channel = online"),
    Measure("carried_over", "Hồ sơ kỳ trước chuyển qua", "cases carried over from before the period",
            _s("n", "NOT rec"), "form06+cases", "r < first and (f is null or f >= first)"),
    Measure("resolved", "Hồ sơ đã giải quyết trong kỳ", "cases resolved in the period",
            _s("n", _RES), "form06+cases", "status = resolved and first <= f <= last"),
    Measure("resolved_early", "Giải quyết trước hạn", "resolved before the due date",
            _s("n", "fclass = 1"), "form06+cases", "resolved and f < d"),
    Measure("resolved_on_time", "Giải quyết đúng hạn", "resolved on the due date",
            _s("n", "fclass = 2"), "form06+cases", "resolved and f = d"),
    Measure("resolved_late", "Giải quyết quá hạn", "resolved after the due date",
            _s("n", "fclass = 3"), "form06+cases", "resolved and f > d"),
    Measure("pending", "Đang giải quyết cuối kỳ", "pending at the period's end",
            _s("n", "fclass IN (5, 6)"), "form06+cases", "r <= last and (f is null or f > last)"),
    Measure("pending_in_time", "Đang giải quyết trong hạn", "pending, not yet due at the end",
            _s("n", "fclass = 5"), "form06+cases", "pending and d >= last"),
    Measure("pending_overdue", "Đang giải quyết quá hạn", "pending and overdue at the end",
            _s("n", "fclass = 6"), "form06+cases", "pending and d < last"),
    Measure("residual", "Trả lại, xin rút, từ chối trong kỳ",
            "withdrawn or refused in the period", _s("n", "fclass IN (4, 7)"), "cases",
            "status in (withdrawn, refused) and first <= f <= last"),
    Measure("cases_received", "Hồ sơ tiếp nhận (dữ liệu hồ sơ)", "cases received (case data)",
            _s("n", "rec"), "cases", "received, counted from case data only"),
    Measure("cases_resolved", "Hồ sơ đã giải quyết (dữ liệu hồ sơ)",
            "cases resolved (case data)", _s("n", _RES), "cases",
            "resolved, counted from case data only"),
    Measure("cases_resolved_late", "Hồ sơ giải quyết quá hạn (dữ liệu hồ sơ)",
            "cases resolved late (case data)", _s("n", "fclass = 3"), "cases",
            "resolved late, counted from case data only"),
    Measure("received_digitized", "Hồ sơ tiếp nhận được số hóa", "received cases digitized",
            _s("s_digitized", "rec"), "cases", "received and digitized"),
    Measure("received_reused", "Hồ sơ tiếp nhận tái sử dụng dữ liệu số",
            "received cases reusing digitized data", _s("s_reused", "rec"), "cases",
            "received and reused_data"),
    Measure("received_fee", "Hồ sơ tiếp nhận phải nộp phí, lệ phí",
            "received cases with a fee", _s("s_fee", "rec"), "cases",
            "received and fee_required"),
    Measure("received_paid_online", "Hồ sơ có phí thanh toán trực tuyến",
            "received fee-bearing cases paid online", _s("s_paid", "rec"), "cases",
            "received and fee_required and paid_online"),
    Measure("resolved_e_result", "Hồ sơ giải quyết có kết quả điện tử",
            "resolved cases with an electronic result", _s("s_e_result", _RES), "cases",
            "resolved and e_result"),
    Measure("resolved_fully_online", "Hồ sơ nộp trực tuyến và trả kết quả điện tử",
            "resolved cases received online with an electronic result",
            _s("s_e_result", f"{_RES} AND online"), "cases",
            "resolved and channel = online and e_result"),
    Measure("late_apology", "Hồ sơ quá hạn có phiếu xin lỗi",
            "late resolved cases with an apology letter", _s("s_apology", "fclass = 3"),
            "cases", "resolved late and apology_issued"),
    Measure("overdue_apology", "Hồ sơ đang quá hạn có phiếu xin lỗi",
            "cases pending and overdue at the end with an apology letter",
            _s("s_apology", "fclass = 6"), "cases", "pending overdue and apology_issued"),
    Measure("cases_pending_overdue", "Hồ sơ đang giải quyết quá hạn (dữ liệu hồ sơ)",
            "cases pending and overdue at the end (case data)", _s("n", "fclass = 6"), "cases",
            "pending overdue, counted from case data only"),
    Measure("rated", "Hồ sơ giải quyết có đánh giá", "resolved cases with a rating",
            _s("s_rated", _RES), "cases", "resolved and rating is not null"),
    Measure("rated_satisfied", "Đánh giá hài lòng hoặc rất hài lòng",
            "ratings satisfied or very satisfied", _s("s_satisfied", _RES), "cases",
            "resolved and rating in (satisfied, very_satisfied)"),
    Measure("received_judged_on_time", "Hồ sơ tiếp nhận đúng hạn tính đến cuối kỳ",
            "received cases on time judged at the period's end",
            _s("n", "rec AND fclass IN (1, 2, 4, 5)"), "cases",
            "received and (finished by last: f <= d; unfinished: d >= last)"),
    Measure("received_judged_on_time_766", "Như trên, và không quá 1 lần yêu cầu bổ sung",
            "as above, with at most one supplement request (766 index rule)",
            _s("s_supp_le1", "rec AND fclass IN (1, 2, 4, 5)"), "cases",
            "received_judged_on_time and supplement_requests <= 1"),
]

# Feedback joined to the periods (``c`` with r, d, f dates; ``p`` the period): resolved in the
# period, or still open at its end (received by then, not resolved by then).
_FB_RESOLVED = "c.f BETWEEN p.p_first AND p.p_last"
_FEEDBACK = [
    Measure("fb_resolved", "PAKN đã xử lý trong kỳ", "feedback resolved in the period",
            _FB_RESOLVED, "feedback", "first <= f <= last"),
    Measure("fb_resolved_on_time", "PAKN xử lý đúng hạn", "feedback resolved by its due date",
            f"{_FB_RESOLVED} AND c.f <= c.d", "feedback", "resolved in the period and f <= d"),
    Measure("fb_answered", "PAKN đã xử lý có trả lời mức hài lòng",
            "resolved feedback with a satisfaction answer",
            f"{_FB_RESOLVED} AND c.satisfied IS NOT NULL", "feedback",
            "resolved in the period with a satisfaction answer"),
    Measure("fb_satisfied", "PAKN hài lòng", "resolved feedback satisfied",
            f"{_FB_RESOLVED} AND c.satisfied", "feedback",
            "resolved in the period and satisfied"),
    Measure("fb_pending_overdue", "PAKN chưa xử lý, đã quá hạn cuối kỳ",
            "feedback still open at the period's end and past its due date",
            "c.r <= p.p_last AND (c.f IS NULL OR c.f > p.p_last) AND c.d < p.p_last", "feedback",
            "r <= last and (f is null or f > last) and d < last"),
]

_PROCEDURES = [
    Measure("proc_total", "Số TTHC của đơn vị", "procedures of the unit", "TRUE", "procedures"),
    Measure("proc_full_online", "TTHC có DVCTT toàn trình", "procedures with full online service",
            "pr.online_service = 'full'", "procedures"),
    Measure("proc_one_stop", "TTHC tiếp nhận tại Bộ phận Một cửa",
            "procedures received at the one-stop unit", "pr.at_one_stop", "procedures"),
    Measure("proc_four_on_spot", "TTHC thực hiện 4 tại chỗ", "procedures done '4 on the spot'",
            "pr.four_on_spot", "procedures"),
    Measure("proc_sample_dossier", "TTHC có hồ sơ mẫu", "procedures with a sample dossier",
            "pr.has_sample_dossier", "procedures"),
    Measure("proc_e_process", "TTHC có quy trình điện tử", "procedures with an electronic process",
            "pr.e_process_configured", "procedures"),
    Measure("proc_fee", "TTHC có phí, lệ phí", "fee-bearing procedures", "pr.has_fee",
            "procedures"),
    Measure("proc_fee_payment", "TTHC có phí đã tích hợp thanh toán trực tuyến",
            "fee-bearing procedures integrated for online payment",
            "pr.has_fee AND pr.payment_integrated", "procedures"),
]

#: Every base measure, by id.
MEASURES: dict[str, Measure] = {m.id: m for m in (*_CASE, *_FEEDBACK, *_PROCEDURES)}
CASE_MEASURES = tuple(m.id for m in _CASE)
FEEDBACK_MEASURES = tuple(m.id for m in _FEEDBACK)
PROCEDURE_MEASURES = tuple(m.id for m in _PROCEDURES)
# measures taken from case data only, copied from a case measure of the same definition
_CASE_ONLY_ALIASES = {"cases_received": "received", "cases_resolved": "resolved",
                      "cases_resolved_late": "resolved_late",
                      "cases_pending_overdue": "pending_overdue"}


# ------------------------------------------------------------------ periods
#: What indicators may be computed over: a reporting period or a window of dates.
Span = Period | Window


def as_periods(periods: str | Span | Iterable[str | Span]) -> list[Span]:
    """One period (or :class:`~scorecard.periods.Window`) or several, parsed, without duplicates,
    in the order given."""
    items = [periods] if isinstance(periods, str | Period | Window) else list(periods)
    out: list[Span] = []
    for item in items:
        p = item if isinstance(item, Window) else parse_period(item)
        if p not in out:
            out.append(p)
    return out


def periods_frame(periods: str | Span | Iterable[str | Span],
                  calendar: str = "calendar") -> pd.DataFrame:
    """The periods table ``period, p_first, p_last, f06`` (dates inclusive) under ``calendar``.

    ``f06`` is the period id whose form06 row supplies the window's Biểu 06 counts: the period
    itself, none for a :class:`~scorecard.periods.Window` (a form cannot be cut by day)."""
    check_calendar(calendar)
    rows = [(p.id, *p.window(calendar), None if isinstance(p, Window) else p.id)
            for p in as_periods(periods)]
    df = pd.DataFrame(rows, columns=["period", "p_first", "p_last", "f06"])
    df["p_first"] = pd.to_datetime(df["p_first"]).astype("datetime64[s]")
    df["p_last"] = pd.to_datetime(df["p_last"]).astype("datetime64[s]")
    df["f06"] = df["f06"].astype("string")
    return df


@contextmanager
def registered(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame,
               prefix: str = "_sc") -> Iterator[str]:
    """Register ``frame`` under a fresh name for the duration of the block; yields the name."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    con.register(name, frame)
    try:
        yield name
    finally:
        con.unregister(name)


# ------------------------------------------------------------------ SQL
def normalize_fields(fields: str | Sequence[str] | None) -> list[str] | None:
    """``None`` or an empty list mean every field; a single code becomes a one-item list."""
    if fields is None:
        return None
    items = [fields] if isinstance(fields, str) else list(fields)
    return items or None


def _fields_filter(fields: Sequence[str] | None) -> str:
    if fields is None:
        return ""
    return ("WHERE cs.procedure_id IN (SELECT procedure_id FROM procedures "
            "WHERE field IN (SELECT unnest($fields)))")


def _count(cond: str) -> str:
    return "count(*)" if cond == "TRUE" else f"count(*) FILTER (WHERE {cond})"


# Procedure sets are bitsets: procedure number ``i`` (``proc_idx``) is bit ``i % 64`` of word
# ``i // 64``. ``proc_words`` holds each unit's set per period (its unit_procedures rows, else the
# procedures it received cases for in the period) as (word, bits) rows; ``proc_masks`` the same for
# each procedure measure's flag. A count is ``sum(bit_count(bits & mask))``, and a subtree's set of
# distinct procedures is the bit_or of its units' words.
_BIT = "(CAST(1 AS UBIGINT) << CAST(pr.i % 64 AS INTEGER))"
_BIT_OR = "bit_or(CAST(1 AS UBIGINT) << CAST(pi.i % 64 AS INTEGER))"


def proc_count_cols(words: str, masks: str) -> str:
    """SELECT-list of the procedure measures counted from bitset words ``words`` (columns ``w,
    bits``) joined to ``proc_masks`` as ``masks``; use with GROUP BY unit (and period)."""
    return ",\n    ".join(f"CAST(sum(bit_count({words}.bits & {masks}.{m.id})) AS BIGINT) AS {m.id}"
                          for m in _PROCEDURES)


def facts_ctes(periods_rel: str, *, fields: Sequence[str] | None = None,
               by_field: bool = False, with_procedures: bool = True) -> str:
    """SQL ``WITH`` body (no leading WITH) defining the CTEs ``p`` (periods), ``c`` (cases with
    dates), ``case_facts``, ``form06_facts``, ``fb_facts``, ``proc_words``, ``proc_masks`` and
    ``own_facts`` (and helpers).

    ``own_facts`` has one row per unit × period (every unit of ``units`` or with data, every
    period), the column ``source`` ('cases' | 'form06' | 'none') and one column per measure.
    With ``by_field`` the key is (unit_id, field, period), only case data is used and no
    procedure/feedback measures are produced. ``fields`` needs the ``$fields`` parameter bound.
    ``with_procedures=False`` leaves ``proc_words`` empty (saves a scan when no procedure
    indicator is wanted; the procedure measures are then 0).
    """
    key = "unit_id, field" if by_field else "unit_id"
    stage0 = ",\n    ".join(f"{expr} AS {name}" for name, expr in _STAGE0_SUMS.items())
    stage0_outer = ", ".join(_STAGE0_SUMS)
    stage1 = ",\n    ".join(f"sum(g.{name}) AS {name}" for name in _STAGE0_SUMS)
    x_key = ", ".join(f"c.{k}" for k in key.split(", "))
    case_cols = ",\n    ".join(
        f"coalesce({m.sql}, 0) AS {m.id}" for m in _CASE if m.id not in _CASE_ONLY_ALIASES
    )
    if by_field:
        cases_from = ("cases cs LEFT JOIN procedures pr USING (procedure_id)"
                      + (" WHERE pr.field IN (SELECT unnest($fields))" if fields is not None
                         else ""))
        field_col = ", pr.field"
    else:
        cases_from = f"cases cs {_fields_filter(fields)}"
        field_col = ""
    base = f"""
p AS (SELECT period, CAST(p_first AS DATE) AS p_first, CAST(p_last AS DATE) AS p_last, f06
      FROM {periods_rel}),
bnd AS (SELECT b, 2 * CAST(row_number() OVER (ORDER BY b) AS INTEGER) - 1 AS code
        FROM (SELECT p_first AS b FROM p UNION SELECT p_last FROM p)),
bnd_range AS (SELECT min(b) - 1 AS lo1, max(b) + 1 AS hi1, 2 * CAST(count(*) AS INTEGER) AS top,
                     2 * CAST(count(*) AS BIGINT) + 2 AS m
              FROM bnd),
daycode AS (
  SELECT day, 2 * CAST(sum(is_b) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) AS INTEGER)
              - is_b AS code
  FROM (SELECT s.day, (bnd.b IS NOT NULL)::INTEGER AS is_b
        FROM (SELECT CAST(unnest(generate_series(lo1, hi1, INTERVAL 1 DAY)) AS DATE) AS day
              FROM bnd_range) s LEFT JOIN bnd ON bnd.b = s.day)),
pc AS (SELECT p.period, p.p_first, p.p_last, bf.code AS p_fc, bl.code AS p_lc
       FROM p JOIN bnd bf ON bf.b = p.p_first JOIN bnd bl ON bl.b = p.p_last),
c AS NOT MATERIALIZED (SELECT cs.unit_id, cs.procedure_id{field_col},
             CAST(cs.received_at AS DATE) AS r, CAST(cs.due_at AS DATE) AS d,
             CAST(cs.resolved_at AS DATE) AS f, cs.status, cs.channel, cs.supplement_requests,
             cs.digitized, cs.e_result, cs.reused_data, cs.fee_required, cs.paid_online,
             cs.apology_issued, cs.rating
      FROM {cases_from}),
case_pre AS (
  SELECT {key},
    x.k // (16 * br.m * br.m) AS rc, (x.k // (16 * br.m)) % br.m AS dc,
    (x.k // 16) % br.m AS fc, (x.k // 8) % 2 = 1 AS res, (x.k // 4) % 2 = 1 AS online,
    x.k % 4 AS fd,
    {stage0_outer}
  FROM (
    SELECT {x_key},
      ((CAST(dr.code AS BIGINT) * br.m + dd.code) * br.m + coalesce(df.code, br.top + 1)) * 16
        + CASE WHEN c.status = 'resolved' THEN 8 ELSE 0 END
        + CASE WHEN c.channel = 'online' THEN 4 ELSE 0 END
        + CASE WHEN c.f < c.d THEN 1 WHEN c.f = c.d THEN 2 ELSE 3 END AS k,
      {stage0}
    FROM c CROSS JOIN bnd_range br
    JOIN daycode dr ON dr.day = least(greatest(c.r, br.lo1), br.hi1)
    JOIN daycode dd ON dd.day = least(greatest(c.d, br.lo1), br.hi1)
    LEFT JOIN daycode df  -- (least/greatest ignore NULLs: keep a pending case's NULL)
      ON df.day = CASE WHEN c.f IS NOT NULL THEN least(greatest(c.f, br.lo1), br.hi1) END
    GROUP BY ALL) x CROSS JOIN bnd_range br),
case_groups AS (
  SELECT g.{key.replace(", ", ", g.")}, p.period, g.rc >= p.p_fc AS rec, g.online,
    {_FCLASS} AS fclass,
    {stage1}
  FROM case_pre g JOIN pc p ON g.rc <= p.p_lc AND g.fc >= p.p_fc
  GROUP BY ALL),
case_facts AS MATERIALIZED (
  SELECT {key}, period,
    {case_cols}
  FROM case_groups
  GROUP BY ALL)"""
    if by_field:
        aliases = ",\n  ".join(f"{src} AS {alias}" for alias, src in _CASE_ONLY_ALIASES.items())
        return base + f""",
own_facts AS (SELECT *, 'cases' AS source,
  {aliases}
  FROM case_facts)"""

    no_form06 = "AND FALSE" if fields is not None else ""
    fb_cols = ",\n    ".join(f"{_count(m.sql)} AS {m.id}" for m in _FEEDBACK)
    no_feedback = "AND FALSE" if fields is not None else ""
    mask_cols = ",\n    ".join(
        f"bit_or(CASE WHEN {m.sql} THEN {_BIT} ELSE CAST(0 AS UBIGINT) END) AS {m.id}"
        for m in _PROCEDURES)
    proc_filter = ("AND pr.field IN (SELECT unnest($fields))" if fields is not None else "")
    own_cols = []
    for m in _CASE:
        if m.id in B06_MEASURES:
            own_cols.append(f"coalesce(cf.{m.id}, f6.{m.id}, 0) AS {m.id}")
        elif m.id == "residual":
            own_cols.append("CASE WHEN cf.unit_id IS NULL AND f6.unit_id IS NOT NULL THEN NULL "
                            "ELSE coalesce(cf.residual, 0) END AS residual")
        elif m.id in _CASE_ONLY_ALIASES:
            own_cols.append(f"coalesce(cf.{_CASE_ONLY_ALIASES[m.id]}, 0) AS {m.id}")
        else:
            own_cols.append(f"coalesce(cf.{m.id}, 0) AS {m.id}")
    own_cols += [f"coalesce(fb.{m}, 0) AS {m}" for m in FEEDBACK_MEASURES]
    own_cols += [f"coalesce(po.{m}, 0) AS {m}" for m in PROCEDURE_MEASURES]
    own_sql = ",\n    ".join(own_cols)
    return base + f""",
form06_facts AS (
  SELECT f.unit_id, p.period,
    f.received_online + f.received_direct_postal AS received, f.received_online,
    f.carried_over, f.resolved_early + f.resolved_on_time + f.resolved_late AS resolved,
    f.resolved_early, f.resolved_on_time, f.resolved_late,
    f.pending_in_time + f.pending_overdue AS pending, f.pending_in_time, f.pending_overdue
  FROM form06 f JOIN p ON f.period = p.f06 WHERE TRUE {no_form06}),
fb_facts AS (
  SELECT c.unit_id, p.period,
    {fb_cols}
  FROM (SELECT unit_id, CAST(received_at AS DATE) AS r, CAST(resolved_at AS DATE) AS f,
               CAST(due_at AS DATE) AS d, satisfied
        FROM feedback WHERE TRUE {no_feedback}) c
  JOIN p ON c.r <= p.p_last AND (c.f IS NULL OR c.f >= p.p_first)
  GROUP BY ALL),
catalogue_units AS (SELECT DISTINCT unit_id FROM unit_procedures),
case_basis AS MATERIALIZED (
  SELECT c.unit_id, c.procedure_id, c.r FROM c
  WHERE c.unit_id NOT IN (SELECT unit_id FROM catalogue_units)
    AND {'TRUE' if with_procedures else 'FALSE'}),
proc_idx AS (
  SELECT pr.*, CAST(row_number() OVER (ORDER BY pr.procedure_id) - 1 AS BIGINT) AS i
  FROM procedures pr WHERE {'TRUE' if with_procedures else 'FALSE'} {proc_filter}),
recv_words AS (  -- per unit, received-date code and word: key packed as code * 2^20 + word
  SELECT unit_id, kw // 1048576 AS rc, kw % 1048576 AS w, bits FROM (
    SELECT cb.unit_id, CAST(dr.code AS BIGINT) * 1048576 + pi.i // 64 AS kw, {_BIT_OR} AS bits
    FROM case_basis cb CROSS JOIN bnd_range br
    JOIN daycode dr ON dr.day = least(greatest(cb.r, br.lo1), br.hi1)
    JOIN proc_idx pi ON pi.procedure_id = cb.procedure_id
    GROUP BY ALL)),
proc_masks AS (
  SELECT pr.i // 64 AS w,
    {mask_cols}
  FROM proc_idx pr GROUP BY ALL),
proc_words AS MATERIALIZED (
  SELECT cw.unit_id, p.period, cw.w, cw.bits FROM (
    SELECT up.unit_id, pi.i // 64 AS w, {_BIT_OR} AS bits
    FROM unit_procedures up JOIN proc_idx pi USING (procedure_id) GROUP BY ALL) cw
  CROSS JOIN p
  UNION ALL
  SELECT rw.unit_id, p.period, rw.w, bit_or(rw.bits) AS bits
  FROM recv_words rw JOIN pc p ON rw.rc BETWEEN p.p_fc AND p.p_lc
  GROUP BY ALL),
proc_own AS (
  SELECT s.unit_id, s.period,
    {proc_count_cols("s", "mk")}
  FROM proc_words s JOIN proc_masks mk USING (w)
  GROUP BY ALL),
all_units AS (
  SELECT unit_id FROM units UNION SELECT unit_id FROM case_facts
  UNION SELECT unit_id FROM form06_facts UNION SELECT unit_id FROM fb_facts),
grid AS (SELECT u.unit_id, p.period FROM all_units u CROSS JOIN p),
own_facts AS MATERIALIZED (
  SELECT g.unit_id, g.period,
    CASE WHEN cf.unit_id IS NOT NULL THEN 'cases' WHEN f6.unit_id IS NOT NULL THEN 'form06'
         ELSE 'none' END AS source,
    {own_sql}
  FROM grid g
  LEFT JOIN case_facts cf ON cf.unit_id = g.unit_id AND cf.period = g.period
  LEFT JOIN form06_facts f6 ON f6.unit_id = g.unit_id AND f6.period = g.period
  LEFT JOIN fb_facts fb ON fb.unit_id = g.unit_id AND fb.period = g.period
  LEFT JOIN proc_own po ON po.unit_id = g.unit_id AND po.period = g.period)"""


def _params(fields: Sequence[str] | None) -> dict[str, object]:
    return {} if fields is None else {"fields": list(fields)}


def compute_facts(con: duckdb.DuckDBPyConnection,
                  periods: str | Period | Iterable[str | Period],
                  calendar: str = "calendar", *, fields: Sequence[str] | None = None,
                  by_field: bool = False) -> pd.DataFrame:
    """Base measures per unit × period (own cases only), one row each, wide.

    Columns: ``unit_id, period, source`` and every id of :data:`MEASURES` (counts; ``residual`` is
    NULL when the Biểu 06 counts come from a form06 row). ``fields`` restricts cases to procedures
    of those field codes and then excludes form06 rows and feedback (they carry no field).
    ``by_field=True`` gives ``unit_id, field, period, source`` + case measures from case data only
    (the rows of a Biểu 06 per field).
    """
    fields = normalize_fields(fields)
    pf = periods_frame(periods, calendar)
    with registered(con, pf) as rel:
        sql = f"WITH {facts_ctes(rel, fields=fields, by_field=by_field)}\n" \
              "SELECT * FROM own_facts ORDER BY ALL"
        df = con.execute(sql, _params(fields)).df()
    count_cols = [c for c in df.columns if c in MEASURES]
    for col in count_cols:
        df[col] = df[col].astype("Int64")
    return df


def form06_overlap(con: duckdb.DuckDBPyConnection,
                   periods: str | Period | Iterable[str | Period],
                   calendar: str = "calendar") -> pd.DataFrame:
    """Unit-periods that have both a form06 row and case data (case data wins).

    Columns: ``unit_id, period, received_cases, received_form06, resolved_cases,
    resolved_form06`` so a data-quality note can say how far the two sources disagree.
    """
    pf = periods_frame(periods, calendar)
    with registered(con, pf) as rel:
        sql = f"""WITH {facts_ctes(rel)}
        SELECT cf.unit_id, cf.period,
               cf.received AS received_cases, f6.received AS received_form06,
               cf.resolved AS resolved_cases, f6.resolved AS resolved_form06
        FROM case_facts cf JOIN form06_facts f6 USING (unit_id, period)
        ORDER BY ALL"""
        df = con.execute(sql).df()
    for col in df.columns[2:]:
        df[col] = df[col].astype("Int64")
    return df
