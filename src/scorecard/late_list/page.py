"""The monthly late list as an HTML page beside the reports (``reports/<YYYY-MM>/late-list.html``),
rendered from the autoescaping template ``report/templates/late_list.html.j2``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scorecard.late_list.compute import LateList
from scorecard.late_list.excel import COLUMNS, TITLE
from scorecard.outputs import write_text_atomic
from scorecard.periods import Period
from scorecard.report.templating import render_page

TEMPLATE = "late_list.html.j2"


def page_context(late: LateList, xlsx_name: str, quarter_index: str | None = None) -> dict[str, Any]:
    """What the template shows (pure): units with their procedures nested, totals, provenance."""
    procs = late.procedures.groupby("unit_id", sort=False)
    units = []
    for rec in late.units.to_dict("records"):
        sub = procs.get_group(rec["unit_id"]) if rec["unit_id"] in procs.groups else None
        rec["procedures"] = [] if sub is None else sub.to_dict("records")
        units.append(rec)
    totals = [int(late.units[f].sum()) for f in ("resolved_late", "pending_overdue", "late_total",
                                                  "late_with_apology", "late_without_apology")]
    quarter = Period(late.month.year, "quarter", (late.month.number - 1) // 3 + 1)
    return {
        "title": TITLE, "month_label": late.month.label_vi(), "issuer": late.issuer,
        "first": late.first, "last": late.last, "generated_at": late.generated_at,
        "plan_id": late.plan_id, "snapshot": late.snapshot, "demo": late.demo,
        "headers": [h for h, _, _ in COLUMNS], "units": units, "totals": totals,
        "late_cases": late.late_cases, "with_apology": late.with_apology, "notes": late.notes,
        "xlsx_name": xlsx_name, "quarter_index": quarter_index,
        "quarter_label": quarter.label_vi(),
    }


def write_late_list_html(late: LateList, path: str | Path, *, xlsx_name: str,
                         quarter_index: str | None = None) -> Path:
    """Render the page to ``path`` atomically; ``xlsx_name`` is the Excel file beside it and
    ``quarter_index`` an optional relative link to the quarter's report index."""
    html = render_page(TEMPLATE, **page_context(late, xlsx_name, quarter_index))
    return write_text_atomic(path, html)
