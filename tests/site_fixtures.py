"""The index page's store: the render store (:mod:`tests.render_fixtures`, whose resolved
cases and verdicts stay as they are there) with what the index page shows beside the verdicts:
a task register and reports, planted appointment cases, a manual 766 value and a late list.

Used by tests/test_index_page.py; :data:`SITE_REGISTER_YAML` also by tests/hostile_fixtures.py.
Every number the page shows is worked by hand in :func:`build_site_store`'s docstring.
"""

from __future__ import annotations

import contextlib
import io
from datetime import date, datetime
from pathlib import Path

from tests.render_fixtures import PLAN_YAML, build_store

#: The test plan plus three targets for the index page's summary (build_site_store):
#: ``on_time_year`` judged by deadline (in progress in 2025Q2), ``online_level`` judged once for
#: the commune level, ``e_result_commune`` for communes only (the province's pooled figure
#: holds a department's cases too: a tally, no pooled verdict).
SITE_PLAN_YAML = PLAN_YAML + """\
  - id: on_time_year
    indicator: on_time_rate
    comparator: ">="
    threshold: 0.9
    judged: by_deadline
    due: 2025-12-15
    clause: "II.7"
    text: "Đến 15/12/2025, trên 90% hồ sơ được giải quyết đúng hạn"
  - id: online_level
    indicator: online_rate
    comparator: ">="
    threshold: 0.5
    basis: level
    levels: [commune]
    clause: "III.1"
    text: "50% hồ sơ cấp xã được tiếp nhận trực tuyến"
  - id: e_result_commune
    indicator: e_result_rate
    comparator: ">="
    threshold: 0.9
    levels: [commune]
    clause: "III.2"
    text: "90% hồ sơ cấp xã có kết quả điện tử"
"""

#: The plan's task register (beside the plan file, as params/plans/<plan_id>.tasks.yaml).
SITE_REGISTER_YAML = """\
plan_id: test-plan
year: 2025
groups:
  "I": "NHIỆM VỤ THỬ"
parties:
  "Các sở": [{level: department}]
  "UBND huyện": [{level: district}]
  "UBND cấp xã": [{level: commune}]
tasks:
  - {task_id: "I.1", group: "I", text: "Ban hành kế hoạch kiểm soát TTHC", lead: "Các sở",
     deadline: "Trước ngày 30/04/2025"}
  - {task_id: "I.2", group: "I", text: "Rà soát, đơn giản hóa TTHC", lead: "UBND huyện",
     deadline: "Tháng 05/2025"}
  - {task_id: "I.3", group: "I", text: "Báo cáo tình hình giải quyết TTHC", lead: "UBND cấp xã",
     deadline: "Tháng 2, 5, 8, 11/2025"}
  - {task_id: "I.4", group: "I", text: "Tuyên truyền dịch vụ công trực tuyến", lead: "Các sở",
     deadline: "Thường xuyên"}
"""
SITE_TASK_STATUS = [
    ("test-plan", "I.1", "DEMO-S", "", date(2025, 4, 20), "5/KH-STP", None),
    ("test-plan", "I.3", "DEMO-C1", "2025-02", date(2025, 2, 20), "1/BC-UBND", None),
    ("test-plan", "I.3", "DEMO-C1", "2025-05", date(2025, 5, 30), "2/BC-UBND", None),
    ("test-plan", "I.3", "DEMO-C2", "2025-02", date(2025, 3, 5), "3/BC-UBND", "chậm"),
    ("test-plan", "I.4", "DEMO-S", "", date(2025, 5, 2), "Tin bài", None),
]
#: Pending cases DEMO-C1 received on 02/06/2025 (received at the one-stop desk, no electronic
#: result yet), each due 31/07/2025: 42 working days for a procedure whose legal time is 10.
PLANTED_APPOINTMENTS = 25


def build_site_store(tmp: Path) -> tuple[Path, Path]:
    """The render store with what the index page shows beside the verdicts; (db, plan).

    Everything of :func:`tests.render_fixtures.build_store` (not the report's extras of
    :mod:`tests.report_fixtures`), with the plan ``SITE_PLAN_YAML`` and:

    - a task register (``SITE_REGISTER_YAML``) and ``task_status`` reports. At 30/06/2025:
      DEMO-S led I.1 (due 30/04, done 20/04: on time) and I.4 (continuous) → đúng hạn 1/1,
      quá hạn 0; DEMO-D led I.2 (due 31/05, not done) → 0/1, 1 overdue (30 days); DEMO-C1
      led I.3 twice by then (due 28/02 done 20/02, due 31/05 done 30/05) → 2/2, 0; DEMO-C2 the
      same (28/02 done 05/03: late; 31/05 not done) → 0/2, 1 overdue (30 days). The province
      leads nothing (–). Overdue by lead unit: Huyện Một (I.2), Xã Hai (I.3 kỳ 2025-05).
    - ``procedures.statutory_days`` = 10 for PR1 and 25 pending cases of DEMO-C1 received on
      02/06/2025 and due 31/07/2025 (42 working days): the appointment lead flags DEMO-C1 (25
      of its 29 cases received; no other unit has such a case). The pending cases change no
      figure of the on_time and apology targets (resolved cases only). DEMO-C1 received 29
      cases, 4 online; DEMO-C2 2 online: online_level = 6/31 = 19,35% (Không đạt, ≥ 50%).
    - e_result_commune: DEMO-C1 4/4, DEMO-C2 2/2 resolved with an electronic result → the
      province's tally "Đạt 2/2 đơn vị cấp xã".
    - on_time_year: in progress at the province, 6 of 7 = 85,71% from 01/01/2025 to 30/06/2025,
      judged on 01/01–15/12/2025.
    - a manual 766 value for the province (certified_copies = 1 in 2025Q2) and the late list of
      04/2025 produced by ``scorecard late-list`` into ``tmp/reports`` (05 and 06: none).
    """
    from scorecard.cli import main
    from scorecard.store import open_writer

    db, plan = build_store(tmp)
    plan.write_text(SITE_PLAN_YAML, encoding="utf-8")
    (tmp / "test-plan.tasks.yaml").write_text(SITE_REGISTER_YAML, encoding="utf-8")
    con = open_writer(db)
    con.executemany("INSERT INTO task_status (plan_id, task_id, unit_id, occurrence, done_on, "
                    "document, note) VALUES (?, ?, ?, ?, ?, ?, ?)", SITE_TASK_STATUS)
    con.execute("UPDATE procedures SET statutory_days = 10 WHERE procedure_id = 'PR1'")
    con.executemany(
        "INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, "
        "status, channel, supplement_requests, digitized, e_result, reused_data, fee_required, "
        "paid_online, apology_issued, rating) VALUES (?, 'DEMO-C1', 'PR1', ?, ?, NULL, "
        "'pending', 'direct', 0, false, false, false, false, false, NULL, NULL)",
        [(f"p{i}", datetime(2025, 6, 2, 8), datetime(2025, 7, 31, 17))
         for i in range(PLANTED_APPOINTMENTS)])
    con.execute("INSERT INTO manual (unit_id, period, indicator, value, source) VALUES "
                "('DEMO-P', '2025Q2', 'certified_copies', 1, 'Sở Tư pháp')")
    con.close()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        rc = main(["late-list", "--month", "2025-04", "--plan", str(plan), "--db", str(db),
                   "--reports", str(tmp / "reports")])
    assert rc == 0, out.getvalue()
    return db, plan
