"""The section on inspection leads for the unit (issue 13): reasons to look, never verdicts.

From the bundle's frames ``leads_scores``, ``leads_evidence`` and ``leads_status``
(:func:`scorecard.leads.compute_leads`, the same numbers as ``scorecard leads``): per lead the
unit's cases examined and flagged, its score against the other units of the province, whether
it stands out, the lead's Vietnamese sentence and the case ids to open first; which leads are
off and why. No lead changes a target's status.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from scorecard.leads.catalogue import CAVEAT_VI, LEADS
from scorecard.report.format import fmt_int, fmt_num
from scorecard.scorecard_data.unit import UnitReport

#: Columns of :func:`leads_table`.
LEAD_COLUMNS = ["Dấu hiệu", "Hồ sơ xem xét", "Hồ sơ có dấu hiệu", "Gấp mức chung",
                "Độ lệch chuẩn hóa", "Cần xem xét"]
#: Words of a lead's outcome for a unit (a reason to look, or nothing that stands out).
FLAGGED_VI = {True: "Nên xem hồ sơ", False: "Không nổi bật"}


@dataclass
class LeadFinding:
    """A lead that flags the unit: its label, its sentence, the case ids to open first (in the
    lead's order of evidence, at most ``evidence_per_unit`` of params/leads.yaml) and how many
    cases show the pattern."""

    lead: str
    label: str
    sentence: str
    cases: list[str]
    cases_flagged: int


def _order(df: pd.DataFrame) -> pd.DataFrame:
    order = {lead_id: i for i, lead_id in enumerate(LEADS)}
    return (df.assign(_o=df["lead"].map(order)).sort_values("_o", kind="stable")
            .drop(columns="_o").reset_index(drop=True))


def leads_caveat(rep: UnitReport) -> str:
    """The sentence said wherever leads are shown: a lead is a reason to look."""
    return str(rep.meta.get("leads_caveat") or CAVEAT_VI)


def lead_scores(rep: UnitReport) -> pd.DataFrame:
    """The unit's own scores rows (one per lead that ran and examined its cases), lead order."""
    s = rep.leads
    if s.empty:
        return s
    return _order(s[s["unit_id"] == rep.unit_id])


def leads_table(rep: UnitReport) -> pd.DataFrame:
    """Per lead: cases examined, cases showing the pattern, the score (times the province's
    level), the adjusted z and whether the unit stands out ("Nên xem hồ sơ")."""
    s = lead_scores(rep)
    return pd.DataFrame({
        "Dấu hiệu": list(s["lead_label"]) if len(s) else [],
        "Hồ sơ xem xét": [fmt_int(v) for v in s["cases_examined"]] if len(s) else [],
        "Hồ sơ có dấu hiệu": [fmt_int(v) for v in s["cases_flagged"]] if len(s) else [],
        "Gấp mức chung": [fmt_num(v, 2) for v in s["score"]] if len(s) else [],
        "Độ lệch chuẩn hóa": [fmt_num(v, 1) for v in s["z_adj"]] if len(s) else [],
        "Cần xem xét": [FLAGGED_VI[bool(f)] for f in s["flagged"]] if len(s) else [],
    }, columns=LEAD_COLUMNS)


def lead_cases_to_open(rep: UnitReport, lead: str, unit_id: str | None = None) -> list[str]:
    """The case ids of a flagged lead for the unit, in the lead's order of evidence (the ones
    an inspector opens first)."""
    ev = rep.lead_evidence
    if ev.empty:
        return []
    uid = unit_id or rep.unit_id
    hit = ev[(ev["lead"] == lead) & (ev["unit_id"] == uid)].sort_values("rank")
    return [str(x) for x in hit["case_id"]]


def lead_sentences(rep: UnitReport) -> list[LeadFinding]:
    """The leads that flag the unit, each with its sentence and the case ids to open first."""
    s = lead_scores(rep)
    if s.empty:
        return []
    return [LeadFinding(r["lead"], r["lead_label"], r["sentence"],
                        lead_cases_to_open(rep, r["lead"]), int(r["cases_flagged"]))
            for r in s[s["flagged"].astype(bool)].to_dict("records")]


def leads_off(rep: UnitReport) -> list[str]:
    """Sentences for the leads that did not run and why (a setting, or a missing input)."""
    st = rep.leads_status
    if st.empty:
        return []
    return [f"Không tính dấu hiệu «{r['lead_label']}»: {r['reason']}."
            for r in _order(st[~st["active"].astype(bool)]).to_dict("records")]


def leads_notes(rep: UnitReport) -> list[str]:
    """The batch's notes on the leads (e.g. years the holiday calendar does not cover)."""
    return [str(x) for x in rep.meta.get("leads_notes") or []]


def subtree_flagged_table(rep: UnitReport) -> pd.DataFrame:
    """For a parent: the units below it that a lead flags, lead order then score."""
    s = rep.leads
    cols = ["Đơn vị", "Dấu hiệu", "Hồ sơ có dấu hiệu", "Gấp mức chung"]
    if s.empty or not rep.is_parent:
        return pd.DataFrame(columns=cols)
    f = s[s["flagged"].astype(bool) & (s["unit_id"] != rep.unit_id)]
    if f.empty:
        return pd.DataFrame(columns=cols)
    order = {lead_id: i for i, lead_id in enumerate(LEADS)}
    f = f.assign(_o=f["lead"].map(order)).sort_values(["_o", "score"], ascending=[True, False])
    return pd.DataFrame({
        "Đơn vị": [f"{n} ({u})" for n, u in zip(f["unit_name"], f["unit_id"], strict=True)],
        "Dấu hiệu": list(f["lead_label"]),
        "Hồ sơ có dấu hiệu": [f"{fmt_int(k)}/{fmt_int(n)}" for k, n in
                              zip(f["cases_flagged"], f["cases_examined"], strict=True)],
        "Gấp mức chung": [fmt_num(v, 2) for v in f["score"]],
    }, columns=cols)
