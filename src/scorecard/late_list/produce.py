"""`scorecard late-list`: compute a month's list, write the Excel notice and the HTML page, and
record the generation in the store (the evidence the II.8 target is computed from)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from scorecard.clock import local_now
from scorecard.config import DEFAULT_REPORTS_DIR
from scorecard.late_list.compute import LateList, build_late_list, latest_month
from scorecard.late_list.excel import write_late_list_xlsx
from scorecard.late_list.log import record_generation
from scorecard.late_list.page import write_late_list_html
from scorecard.outputs import output_path
from scorecard.periods import Period
from scorecard.store import open_writer, reading

#: File stem of the list in ``reports/<YYYY-MM>/``.
FILE_STEM = "late-list"


@dataclass(frozen=True)
class LateListOutput:
    late: LateList
    xlsx: Path
    html: Path


def produce_late_list(db: str | Path, month: str | Period | None = None, *,
                      out_xlsx: str | Path | None = None,
                      reports_dir: str | Path = DEFAULT_REPORTS_DIR, plan: Any = None,
                      calendar: str = "calendar", issuer: str | None = None,
                      now: datetime | None = None,
                      quarter_index: bool | None = None) -> LateListOutput:
    """Write ``reports/<month>/late-list.html`` and the Excel list (``out_xlsx``, default beside
    the page) for ``month`` (default: the newest month with data), then record the generation.

    ``plan`` (a loaded :class:`scorecard.plans.Plan`) gives the issuer, the root unit and the
    plan id recorded with the generation. ``quarter_index``: link the page to the quarter's
    report index ``reports/<quarter>/index.html`` (None: when it exists; True: always, for a
    caller rendering that quarter next).
    """
    generated_at = now or local_now()
    with reading(db) as con:
        m = month if month is not None else latest_month(con)
        late = build_late_list(
            con, m, generated_at=generated_at, calendar=calendar,
            root_unit=getattr(plan, "root_unit", None),
            issuer=issuer or getattr(plan, "issuer", None),
            plan_id=getattr(plan, "plan_id", None))
    folder = output_path(reports_dir, late.month.id)
    html = output_path(folder, FILE_STEM, ".html")
    xlsx = Path(out_xlsx) if out_xlsx is not None else output_path(folder, FILE_STEM, ".xlsx")
    write_late_list_xlsx(late, xlsx)
    beside = xlsx.resolve().parent == folder.resolve()
    quarter = Period(late.month.year, "quarter", (late.month.number - 1) // 3 + 1)
    index = Path(reports_dir) / quarter.id / "index.html"
    write_late_list_html(late, html, xlsx_name=xlsx.name if beside else str(xlsx),
                         quarter_index=f"../{quarter.id}/index.html"
                         if (index.exists() if quarter_index is None else quarter_index)
                         else None)
    con = open_writer(db)
    try:
        record_generation(con, late, xlsx=xlsx, html=html)
    finally:
        con.close()
    return LateListOutput(late, xlsx, html)
