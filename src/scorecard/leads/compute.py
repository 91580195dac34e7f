"""Compute the leads of a period: which leads can run, each unit's score, the evidence, sentences.

``compute_leads(con, period)`` returns a :class:`LeadsResult` of three frames:

- ``scores``: :data:`SCORES_COLUMNS`, one row per lead × unit with cases examined (all units,
  flagged or not; ``flagged`` says which units the lead points at);
- ``evidence``: :data:`EVIDENCE_COLUMNS`, the flagged cases behind each flagged unit (at most
  ``evidence_per_unit``, most telling first), with a short Vietnamese ``detail``;
- ``status``: :data:`STATUS_COLUMNS`, one row per lead: whether it ran, and if not why (a missing
  input column names the column).

No lead changes a target's status: these frames are never read by evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import duckdb
import pandas as pd

from scorecard.facts import registered
from scorecard.leads.catalogue import CAVEAT_VI, LEADS, Lead
from scorecard.leads.queries import aggregate_sql, cases_sql, evidence_sql, lead_params
from scorecard.leads.scoring import FLOOR, score_units
from scorecard.leads.settings import LeadSettings, load_settings
from scorecard.periods import Period, parse_period
from scorecard.report.format import fmt_date, fmt_datetime, fmt_int, fmt_num, fmt_pct
from scorecard.workdays import WorkCalendar, load_calendar

SCORES_COLUMNS = ["lead", "lead_label", "period", "unit_id", "unit_name", "level", "root_id",
                  "cases_examined", "cases_flagged", "share", "cases_compared",
                  "flagged_compared", "expected", "peer_share", "score", "z", "dispersion",
                  "z_adj", "groups",
                  "flagged", "sentence"]
EVIDENCE_COLUMNS = ["lead", "unit_id", "rank", "case_id", "event_at", "due_at", "related_case",
                    "amount", "allowed", "detail"]
STATUS_COLUMNS = ["lead", "lead_label", "active", "reason", "units_flagged"]


@dataclass(frozen=True)
class LeadsResult:
    period: Period
    first: date
    last: date
    calendar: str
    scores: pd.DataFrame
    evidence: pd.DataFrame
    status: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    caveat: str = CAVEAT_VI

    def flagged(self) -> pd.DataFrame:
        """The scores rows of flagged units, highest score first within each lead."""
        f = self.scores[self.scores["flagged"]]
        order = {lead_id: i for i, lead_id in enumerate(LEADS)}
        return (f.assign(_o=f["lead"].map(order))
                .sort_values(["_o", "score"], ascending=[True, False], kind="stable")
                .drop(columns="_o").reset_index(drop=True))


# ---------------------------------------------------------------------------- the day table
def day_frame(calendar: WorkCalendar, first: date, last: date) -> pd.DataFrame:
    """``day, is_working, wd`` for every day in ``[first, last]`` (pure; ``wd`` counts working
    days from ``first`` up to and including the day)."""
    df = pd.DataFrame(calendar.day_table(first, last), columns=["day", "is_working", "wd"])
    df["day"] = pd.to_datetime(df["day"]).astype("datetime64[s]")
    df["wd"] = df["wd"].astype("int64")
    return df


_DATE_RANGE = """
SELECT min(least(CAST(received_at AS DATE), CAST(due_at AS DATE))),
       max(greatest(CAST(received_at AS DATE), CAST(due_at AS DATE),
                    coalesce(CAST(resolved_at AS DATE), CAST(received_at AS DATE)),
                    coalesce(CAST(supplement_requested_at AS DATE), CAST(received_at AS DATE))))
FROM cases"""


def _day_range(con: duckdb.DuckDBPyConnection, first: date, last: date) -> tuple[date, date]:
    lo, hi = con.execute(_DATE_RANGE).fetchall()[0]
    lo = max(lo or first, first - timedelta(days=3 * 366))
    hi = min(max(hi or last, last), last + timedelta(days=3 * 366))
    return lo - timedelta(days=31), hi + timedelta(days=31)


# ---------------------------------------------------------------------------- inputs
def lead_status(con: duckdb.DuckDBPyConnection, settings: LeadSettings,
                leads: Iterable[str]) -> pd.DataFrame:
    """Per lead: ``lead, lead_label, active, reason``: off when disabled in the settings or when
    an input it needs is missing (the reason names the column)."""
    rows = []
    for lead_id in leads:
        lead = LEADS[lead_id]
        reason = ""
        if not settings.lead(lead_id).enabled:
            reason = "tắt trong params/leads.yaml (enabled: false)"
        else:
            missing = [n for n in lead.needs if not con.execute(n.check_sql).fetchall()[0][0]]
            if missing:
                reason = "; ".join(f"thiếu dữ liệu cột {n.column} ({n.label_vi})" for n in missing)
        rows.append((lead_id, lead.label_vi, not reason, reason))
    return pd.DataFrame(rows, columns=STATUS_COLUMNS[:-1])


def unit_roots(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """``unit_id, name, level, root_id``: every unit with the root (province) of its tree."""
    from scorecard.units import closure, load_units

    units = load_units(con)
    cl = closure(units)
    top = cl.sort_values("depth").groupby("descendant_id")["ancestor_id"].last()
    units["root_id"] = units["unit_id"].map(top).fillna(units["unit_id"])
    return units[["unit_id", "name", "level", "root_id"]]


# ---------------------------------------------------------------------------- words
def _comparison_vi(lead: Lead, row: pd.Series) -> str:
    if row["cases_compared"] == 0:
        return "không có đơn vị khác trong tỉnh để so sánh"
    peers = f"các đơn vị khác trong tỉnh{lead.peers_vi}"
    if lead.model == "poisson":  # the others' rate is per reference case: a ratio, not a share
        level = f"{fmt_num(row['peer_share'], 1)} kết quả đúng hạn cho mỗi kết quả ngày liền kề"
    else:
        level = fmt_pct(row["peer_share"])
    if row["expected"] < FLOOR:
        return f"trong khi {peers} hầu như không có ({level})"
    return f"gấp {fmt_num(row['score'], 1)} lần mức chung của {peers} ({level})"


def sentence(lead_id: str, row: pd.Series, settings: LeadSettings) -> str:
    """The one Vietnamese sentence of a scores row."""
    lead = LEADS[lead_id]
    params = lead_params(lead_id, settings)
    within = params.get("bulk_min", params.get("window", params.get("within", "")))
    return lead.sentence_vi.format(
        k=fmt_int(row["cases_flagged"]), n=fmt_int(row["cases_examined"]),
        share=fmt_pct(row["share"]), within=within, groups=fmt_int(row["groups"]),
        reference=fmt_int(row["cases_examined"] - row["cases_flagged"]),
        comparison=_comparison_vi(lead, row))


def _detail(lead_id: str, r: pd.Series, calendar: WorkCalendar) -> str:
    at, due = r["event_at"], r["due_at"]
    if lead_id == "supplement_near_due":
        amount = int(r["amount"])
        when = (f"còn {amount} ngày làm việc" if amount >= 0
                else f"sau hạn {-amount} ngày làm việc")
        return f"yêu cầu bổ sung lúc {fmt_datetime(at)}, hạn trả {fmt_date(due)} ({when})"
    if lead_id == "refile_after_withdrawal":
        return (f"rút hoặc bị từ chối ngày {fmt_date(at)}; nộp lại: hồ sơ {r['related_case']} "
                f"sau {fmt_int(r['amount'])} ngày")
    if lead_id == "appointment_beyond_statutory":
        return (f"tiếp nhận {fmt_date(at)}, hẹn trả {fmt_date(due)}: {fmt_int(r['amount'])} ngày "
                f"làm việc, thời hạn quy định {fmt_num(r['allowed'], 1).removesuffix(',0')}")
    if lead_id == "due_date_spike":
        return f"kết quả lúc {fmt_datetime(at)}, đúng ngày hết hạn {fmt_date(due)}"
    off = calendar.day_off_name(pd.Timestamp(at).date()) or "ngoài giờ làm việc"
    return f"kết quả lúc {fmt_datetime(at)} ({off}), cùng đợt {fmt_int(r['amount'])} kết quả"


# ---------------------------------------------------------------------------- one lead's cases
CASE_COLUMNS = ["lead", "unit_id", "case_id", "stratum", "flagged", "event_at", "due_at",
                "related_case", "amount", "allowed", "detail"]


def lead_cases(con: duckdb.DuckDBPyConnection, period: str | Period, lead_id: str, *,
               units: Sequence[str] | None = None, flagged_only: bool = False,
               calendar: str = "calendar", settings: LeadSettings | None = None,
               work_calendar: WorkCalendar | None = None) -> pd.DataFrame:
    """The cases one lead examined in ``period`` (of ``units``, default all), with whether each
    shows the pattern and, for those that do, a Vietnamese ``detail``: :data:`CASE_COLUMNS`.
    For the inspector who wants to open a unit's cases whether or not it was flagged."""
    settings = settings or load_settings()
    work_calendar = work_calendar or load_calendar(settings.calendar_path())
    p = parse_period(period)
    first, last = p.window(calendar)
    if lead_id not in LEADS:
        from scorecard.leads.settings import LeadSettingsError

        raise LeadSettingsError(f"unknown lead {lead_id!r}: use one of {', '.join(LEADS)}")
    days = day_frame(work_calendar, *_day_range(con, first, last))
    params = {"first": first, "last": last, "units": list(units) if units is not None else None,
              **lead_params(lead_id, settings)}
    with registered(con, days, "_days") as rel:
        df = con.execute(cases_sql(lead_id, rel, flagged_only=flagged_only), params).df()
    df.insert(0, "lead", lead_id)
    df["detail"] = [_detail(lead_id, r, work_calendar) if r["flagged"] else ""
                    for _, r in df.iterrows()]
    return df[CASE_COLUMNS]


# ---------------------------------------------------------------------------- the whole run
def compute_leads(con: duckdb.DuckDBPyConnection, period: str | Period, *,
                  calendar: str = "calendar", settings: LeadSettings | None = None,
                  work_calendar: WorkCalendar | None = None,
                  units: Sequence[str] | None = None,
                  leads: Sequence[str] | None = None) -> LeadsResult:
    """Every lead of ``period`` (window under ``calendar``) over the whole store; ``units``
    narrows the output (scores are always against the whole province), ``leads`` the leads."""
    settings = settings or load_settings()
    work_calendar = work_calendar or load_calendar(settings.calendar_path())
    p = parse_period(period)
    first, last = p.window(calendar)
    lead_ids = list(leads) if leads is not None else list(LEADS)
    unknown = [lead_id for lead_id in lead_ids if lead_id not in LEADS]
    if unknown:
        from scorecard.leads.settings import LeadSettingsError

        raise LeadSettingsError(f"unknown lead {unknown[0]!r}: use one of {', '.join(LEADS)}")
    status = lead_status(con, settings, lead_ids)
    roots = unit_roots(con)
    lo, hi = _day_range(con, first, last)
    days = day_frame(work_calendar, lo, hi)
    score_frames, evidence_frames = [], []
    with registered(con, days, "_days") as rel:
        for lead_id in status.loc[status["active"], "lead"]:
            params = {"first": first, "last": last, **lead_params(lead_id, settings)}
            agg = con.execute(aggregate_sql(lead_id, rel), params).df()
            agg["root_id"] = agg["unit_id"].map(roots.set_index("unit_id")["root_id"]) \
                .fillna(agg["unit_id"])
            scored = score_units(agg, settings.comparison_for(lead_id), LEADS[lead_id].model)
            scored.insert(0, "lead", lead_id)
            score_frames.append(scored)
            flagged = scored.loc[scored["flagged"], "unit_id"].tolist()
            if flagged and settings.evidence_per_unit:
                ev = con.execute(evidence_sql(lead_id, rel),
                                 {**params, "units": flagged,
                                  "cap": settings.evidence_per_unit}).df()
                ev.insert(0, "lead", lead_id)
                evidence_frames.append(ev)
    scores = _finish_scores(score_frames, roots, p, settings)
    evidence = _finish_evidence(evidence_frames, work_calendar)
    counts = scores[scores["flagged"]].groupby("lead").size()
    status["units_flagged"] = status["lead"].map(counts).fillna(0).astype("int64")
    status.loc[~status["active"], "units_flagged"] = 0
    notes = []
    uncovered = work_calendar.uncovered_years(first, last)
    if uncovered:
        notes.append("Lịch ngày nghỉ lễ chưa có năm " + ", ".join(map(str, uncovered))
                     + ": các năm này chỉ trừ thứ Bảy, Chủ nhật khi tính ngày làm việc.")
    if units is not None:
        keep = set(units)
        scores = scores[scores["unit_id"].isin(keep)].reset_index(drop=True)
        evidence = evidence[evidence["unit_id"].isin(keep)].reset_index(drop=True)
    return LeadsResult(p, first, last, calendar, scores, evidence, status, notes)


def _finish_scores(frames: list[pd.DataFrame], roots: pd.DataFrame, period: Period,
                   settings: LeadSettings) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=SCORES_COLUMNS).astype({"flagged": bool})
    s = pd.concat(frames, ignore_index=True)
    info = roots.set_index("unit_id")
    s["lead_label"] = s["lead"].map({k: v.label_vi for k, v in LEADS.items()})
    s["period"] = period.id
    s["unit_name"] = s["unit_id"].map(info["name"]).fillna(s["unit_id"])
    s["level"] = s["unit_id"].map(info["level"])
    s["sentence"] = [sentence(row["lead"], row, settings) for _, row in s.iterrows()]
    s["flagged"] = s["flagged"].astype(bool)
    return s[SCORES_COLUMNS]


def _finish_evidence(frames: list[pd.DataFrame], calendar: WorkCalendar) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=EVIDENCE_COLUMNS)
    ev = pd.concat(frames, ignore_index=True)
    ev["rank"] = ev.groupby(["lead", "unit_id"]).cumcount() + 1
    ev["detail"] = [_detail(r["lead"], r, calendar) for _, r in ev.iterrows()]
    return ev[EVIDENCE_COLUMNS]
