"""Inspection leads: where an on-time rate may be hiding late work (issue 13).

A lead is a reason to look, not a verdict: every sentence says "Cần xem xét", and nothing here is
read by evaluation. ``compute_leads(con, period)`` → :class:`LeadsResult` (scores, evidence,
status); thresholds in ``params/leads.yaml`` (:func:`load_settings`); the leads are declared in
:data:`LEADS`.
"""

from scorecard.leads.catalogue import CAVEAT_VI, LEADS, Lead
from scorecard.leads.compute import (
    CASE_COLUMNS,
    EVIDENCE_COLUMNS,
    SCORES_COLUMNS,
    STATUS_COLUMNS,
    LeadsResult,
    compute_leads,
    day_frame,
    lead_cases,
    lead_status,
)
from scorecard.leads.settings import LeadSettings, LeadSettingsError, load_settings, parse_settings

__all__ = [
    "CASE_COLUMNS", "CAVEAT_VI", "EVIDENCE_COLUMNS", "LEADS", "SCORES_COLUMNS", "STATUS_COLUMNS",
    "Lead", "LeadSettings", "LeadSettingsError", "LeadsResult", "compute_leads", "day_frame",
    "lead_cases", "lead_status", "load_settings", "parse_settings",
]
