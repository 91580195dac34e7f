"""A hostile store: unit names and ids that try to act (markup, links, formulas, paths).

The rows are written straight into the store, as a version without the ingest-side id check
would have stored them, so what the tests exercise is the output side's own defence.

Units (plan: render_fixtures.PLAN_YAML, period 2025Q2, calendar quarters):

- ``DEMO-P`` province named ``<script>alert(1)</script>``
- ``DEMO-D`` district named ``<img src=x onerror=alert(1)>``, parent of the communes below
- ``javascript:alert(1)`` commune named ``=HYPERLINK("http://x","y")``: a safe file name, so it
  renders, and its link on the index page must stay a relative file link;
- ``../../escape`` commune named ``+1+1`` and ``/tmp/abs`` commune named ``@SUM(A1)``: ids that
  are no file names; their reports fail with the reason, nothing is written outside the folder;
- ``DEMO-C3`` commune named ``<a href="javascript:alert(1)">Bấm</a>``;
- ``DEMO-S`` department named ``-1+2`` (a formula, not a number).

Procedure ``PR1`` is in a field whose code is ``<img src=x onerror=alert(1)>``, ``PR2`` in a field
``<a href="javascript:alert(1)">Bấm</a>`` (field names show in the by-field table and bar chart,
which plotly draws with a subset of HTML, and in the late-procedures table); both are named
``<script>alert(2)</script>``. Each commune has two resolved cases in 2025Q2: one of PR1,
early, one of PR2, late. DEMO-S has one early case of PR1. A rejected row names DEMO-C3 with a
value holding markup.

For the index page: the plan's task register (site_fixtures.SITE_REGISTER_YAML; no unit
reported anything, so every dated task of 2025Q2 is overdue and every name shows in the overdue
list) and two late lists in ``late_list_log`` whose recorded pages are hostile: 05/2025 a real
file named ``<img src=x onerror=alert(1)>.html`` under ``reports/2025-05/``, 06/2025 the "path"
``javascript:alert(1)`` (no such file: no link).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.render_fixtures import PLAN_YAML
from tests.site_fixtures import SITE_REGISTER_YAML

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = '<a href="javascript:alert(1)">Bấm</a>'
HYPERLINK = '=HYPERLINK("http://x","y")'
PLUS = "+1+1"
AT = "@SUM(A1)"
MINUS = "-1+2"

JS_ID = "javascript:alert(1)"
ESCAPE_ID = "../../escape"
ABS_ID = "/tmp/abs"
UNSAFE_IDS = (ESCAPE_ID, ABS_ID)

UNITS = [
    ("DEMO-P", SCRIPT, "province", None),
    ("DEMO-D", IMG, "district", "DEMO-P"),
    (JS_ID, HYPERLINK, "commune", "DEMO-D"),
    (ESCAPE_ID, PLUS, "commune", "DEMO-D"),
    (ABS_ID, AT, "commune", "DEMO-D"),
    ("DEMO-C3", LINK, "commune", "DEMO-D"),
    ("DEMO-S", MINUS, "department", "DEMO-P"),
]
#: Names whose text must never become a formula in a workbook or CSV.
FORMULA_NAMES = (HYPERLINK, PLUS, AT, MINUS)
#: Names whose text must never become markup in a page.
MARKUP_NAMES = (SCRIPT, IMG, LINK)
FIELD = IMG
LINK_FIELD = LINK
PROCEDURE_NAME = "<script>alert(2)</script>"


def build_hostile_store(tmp: Path) -> tuple[Path, Path]:
    """Write the hostile store and the test plan into ``tmp``; return (db, plan)."""
    from scorecard.store import open_writer

    db = tmp / "hostile.duckdb"
    plan = tmp / "test-plan.yaml"
    plan.write_text(PLAN_YAML, encoding="utf-8")
    con = open_writer(db)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)",
                    UNITS)
    con.executemany(
        "INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, "
        "payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, "
        "e_process_configured) VALUES (?, ?, ?, 'full', false, false, true, false, true, "
        "true)", [("PR1", PROCEDURE_NAME, FIELD), ("PR2", PROCEDURE_NAME, LINK_FIELD)])

    def case(cid: str, unit: str, day: int, late: bool) -> tuple:
        proc = "PR2" if late else "PR1"
        return (cid, unit, proc, datetime(2025, 5, day, 8), datetime(2025, 5, day + 5, 17),
                datetime(2025, 5, day + (7 if late else 2), 9), "resolved", "online", 0, True,
                True, False, False, False, late, None)

    communes = [u for u, _, level, _ in UNITS if level == "commune"]
    rows = [case(f"{u}-{k}", u, 1 + 2 * k, late=k == 1)
            for u in communes for k in range(2)]
    rows.append(case("s-1", "DEMO-S", 3, late=False))
    con.executemany(
        "INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, "
        "status, channel, supplement_requests, digitized, e_result, reused_data, fee_required, "
        "paid_online, apology_issued, rating) VALUES (" + ", ".join(["?"] * 16) + ")", rows)
    con.execute("INSERT INTO load_log VALUES (1, 'cases.csv', 'cases', 'abc', "
                "TIMESTAMP '2025-07-01 08:00:00', 12, 11, 1, NULL)")
    con.execute("INSERT INTO rejects (load_id, file, row_number, column_name, value, reason, "
                "record_key, unit_id) VALUES (1, ?, 9, 'due_at', ?, "
                "'due date is before the received date', 'x', 'DEMO-C3')",
                [f"{IMG}.csv", SCRIPT])
    # the index page's extras: a task register (every unit owes an overdue task, so the
    # hostile names show in the overdue list) and two late lists recorded with hostile paths:
    # a real page named with markup (linked, URL-encoded) and a javascript: "path" (no file)
    (tmp / "test-plan.tasks.yaml").write_text(SITE_REGISTER_YAML, encoding="utf-8")
    page = tmp / "reports" / "2025-05" / f"{IMG}.html"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("<!DOCTYPE html><title>late list</title><p>list</p>", encoding="utf-8")
    con.executemany(
        "INSERT INTO late_list_log (month, calendar, issuer_unit_id, plan_id, generated_at, "
        "data_snapshot, units_listed, cases_late, xlsx_file, html_file) VALUES "
        "(?, 'calendar', 'DEMO-P', 'test-plan', ?, ?, 1, 1, ?, ?)",
        [("2025-05", datetime(2025, 6, 2, 8), SCRIPT, JS_ID, str(page)),
         ("2025-06", datetime(2025, 7, 2, 8), SCRIPT, None, JS_ID)])
    con.close()
    return db, plan
