"""A tiny store and plan for the render tests (hand-worked numbers in the docstrings).

Units: province P (DEMO-P), district D (DEMO-D) with communes C1, C2 (DEMO-C1, DEMO-C2),
department S (DEMO-S). Calendar quarters; the period is 2025Q2 (01/04/2025 – 30/06/2025).

Cases resolved in 2025Q2 (procedure PR1, field ho_tich):
- DEMO-C1: 4 resolved: 3 on or before the due date, 1 late (with an apology)
  → on_time_rate 3/4 = 75% (Không đạt against > 95%), apology_rate 1/1 = 100% (Đạt).
- DEMO-C2: 2 resolved, both early → on_time_rate 100% (Đạt); no late case → apology no data.
- DEMO-S: 1 resolved on time → 100% (Đạt).
- DEMO-D (tree: C1 + C2 + its own 0) → 5/6 = 83,33% (Không đạt), late 1, apology 1/1.

Targets: on_time has the default ``scope: own``, apology ``scope: tree``. So the parents also get
an on_time headline row (scope tree, the whole subtree):
- DEMO-D: own on_time has no resolved case → Chưa có dữ liệu (the plan judges districts);
  headline 5/6 = 83,33% Không đạt; apology (tree target) 1/1 Đạt.
- DEMO-P (province, not a level of the plan): only the on_time headline, C1 + C2 + S =
  6 of 7 resolved on time = 85,71% Không đạt (1 case short of "> 95%": 7/7).
By level for on_time: communes Đạt 1/2, departments Đạt 1/1, the district not judged (no data).

Besides these resolved cases, and changing none of the numbers above (no case below is resolved):

- Withdrawals and refilings (the inspection lead ``refile_after_withdrawal``, applicant keys
  ``k…``): DEMO-C1 has 15 cases withdrawn in 2025Q2 (w1…w15, procedure PR1, received on 2, 3,
  …, 16/05/2025 and withdrawn 2 days later), 10 of them (w1…w10) filed again by the same
  applicant for the same procedure 3 days after the withdrawal (r1…r10, pending, due
  30/07/2025); DEMO-S, DEMO-C2 and DEMO-D have 10 withdrawals each (s…, x…, d…, received on
  2…11/05) never filed again. So the lead examines C1's 15 withdrawals, 10 refiled, against the
  province's other units: 0 of their 30 → C1 is flagged.
  The other leads: supplement and appointment leads are off (no ``supplement_requested_at``, no
  ``statutory_days``); the due-date and off-hours leads run and flag nobody (too few results).
- Manual rows (the 766 index's manual metrics) for DEMO-C2, 2025Q2: ``announced_on_time`` 0,9
  (6 points × 0,9 = 5,40) and ``published_on_time`` 1 (4,00); the group "Công khai" is then
  9,40/18 (the two other metrics have no value); ``certified_copies`` 1 (2,00 of the
  digitization group's 22).
- A task register beside the plan (test-plan.tasks.yaml, :data:`REGISTER_YAML`) and
  ``task_status`` rows (:data:`TASK_STATUS`): at 30/06/2025,
  T1 "Các sở" (DEMO-S) due 30/04/2025, done 20/04 → on time;
  T2 "UBND cấp xã" due 31/05/2025: C1 done 05/06 → done late by 5 days; C2 not done → overdue
  by 30 days;
  T3 "UBND cấp xã" continuous: C1's last activity 10/05/2025 ("Tin bài 12");
  T4 "UBND cấp xã" due 15/12/2025 → not due;
  T5 "UBND huyện" due 31/03/2025 (Quý I/2025), not done → DEMO-D overdue by 91 days.
  So DEMO-C1 leads 3 occurrences: 1 due (done late: on time 0/1), 1 not due, 1 continuous.
"""

from __future__ import annotations

import contextlib
import io
from datetime import date, datetime
from pathlib import Path

PLAN_YAML = """\
plan_id: test-plan
title: Kế hoạch thử nghiệm
issuer: UBND tỉnh Thử
document_number: "1/KH-UBND"
document_date: 2025-01-10
seed: "001"
calendar: calendar
valid_from: 2025-01-01
valid_to: 2025-12-31
root_unit: null
levels: [department, district, commune]
targets:
  - id: on_time
    indicator: on_time_rate
    comparator: ">"
    threshold: 0.95
    clause: "II.6"
    text: "Bảo đảm trên 95% hồ sơ được giải quyết trước và đúng hạn"
  - id: apology
    indicator: apology_rate
    comparator: ">="
    threshold: 1.0
    scope: tree
    clause: "III.3"
    text: "Xin lỗi đối với 100% hồ sơ quá hạn"
"""


REGISTER_YAML = """\
plan_id: test-plan
year: 2025
groups: {I: "NHIỆM VỤ THỬ"}
parties:
  Các sở: [{level: department}]
  UBND cấp xã: [{level: commune}]
  UBND huyện: [{level: district}]
tasks:
  - {task_id: T1, group: I, text: "Ban hành kế hoạch của sở", lead: Các sở,
     deadline: "Trước ngày 30/04/2025"}
  - {task_id: T2, group: I, text: "Rà soát thủ tục cấp xã", lead: UBND cấp xã,
     deadline: "Tháng 5/2025"}
  - {task_id: T3, group: I, text: "Tuyên truyền", lead: UBND cấp xã, deadline: "Thường xuyên"}
  - {task_id: T4, group: I, text: "Số hóa kết quả", lead: UBND cấp xã,
     deadline: "Trước 15/12/2025"}
  - {task_id: T5, group: I, text: "Kiện toàn bộ phận một cửa", lead: UBND huyện,
     deadline: "Quý I/2025"}
"""

#: task_status rows: (task_id, unit_id, occurrence, done_on, document, note).
TASK_STATUS = [
    ("T1", "DEMO-S", "", "2025-04-20", "12/KH-S", None),
    ("T2", "DEMO-C1", "", "2025-06-05", "5/BC-UBND", "chậm"),
    ("T3", "DEMO-C1", "", "2025-05-10", "Tin bài 12", None),
]

#: Manual rows (unit, period, indicator, value, source) for the 766 index's manual metrics.
MANUAL = [
    ("DEMO-C2", "2025Q2", "announced_on_time", 0.9, "Sở Tư pháp"),
    ("DEMO-C2", "2025Q2", "published_on_time", 1.0, "Sở Tư pháp"),
    ("DEMO-C2", "2025Q2", "certified_copies", 1.0, "Sở Tư pháp"),
]


def _withdrawals() -> list[tuple]:
    """The cases of the refile lead (see the module docstring): (case_id, unit, received,
    due, finished, status, applicant_key)."""
    rows = []
    for i in range(1, 16):
        rec, gone = datetime(2025, 5, 1 + i, 8), datetime(2025, 5, 3 + i, 10)
        due = datetime(2025, 6, 1 + i, 17)
        rows.append((f"w{i}", "DEMO-C1", rec, due, gone, "withdrawn", f"k{i}"))
        if i <= 10:
            rows.append((f"r{i}", "DEMO-C1", datetime(2025, 5, 6 + i, 8),
                         datetime(2025, 7, 30, 17), None, "pending", f"k{i}"))
            for prefix, unit in (("s", "DEMO-S"), ("x", "DEMO-C2"), ("d", "DEMO-D")):
                rows.append((f"{prefix}{i}", unit, rec, due, gone, "withdrawn",
                             f"k{prefix}{i}"))
    return rows


def build_store(tmp: Path) -> tuple[Path, Path]:
    """Write the tiny store, the plan and its task register into ``tmp``; return (db, plan)."""
    from scorecard.store import open_writer

    db = tmp / "t.duckdb"
    plan = tmp / "test-plan.yaml"
    plan.write_text(PLAN_YAML, encoding="utf-8")
    (tmp / "test-plan.tasks.yaml").write_text(REGISTER_YAML, encoding="utf-8")
    con = open_writer(db)
    con.executemany("INSERT INTO units (unit_id, name, level, parent_id) VALUES (?, ?, ?, ?)", [
        ("DEMO-P", "Tỉnh Thử", "province", None),
        ("DEMO-D", "Huyện Một", "district", "DEMO-P"),
        ("DEMO-C1", "Xã Một", "commune", "DEMO-D"),
        ("DEMO-C2", "Xã Hai", "commune", "DEMO-D"),
        ("DEMO-S", "Sở Thử", "department", "DEMO-P"),
    ])
    con.execute("INSERT INTO procedures (procedure_id, name, field, online_service, has_fee, payment_integrated, at_one_stop, four_on_spot, has_sample_dossier, e_process_configured) VALUES ('PR1', 'Đăng ký khai sinh', 'ho_tich', 'full', "
                "false, false, true, false, true, true)")

    def case(cid, unit, rec, due, res, apology=None):
        return (cid, unit, "PR1", datetime(*rec), datetime(*due), datetime(*res), "resolved",
                "online", 0, True, True, False, False, False, apology, None)

    rows = [
        case("c1", "DEMO-C1", (2025, 4, 1, 8), (2025, 4, 10, 17), (2025, 4, 9, 9)),
        case("c2", "DEMO-C1", (2025, 4, 2, 8), (2025, 4, 10, 17), (2025, 4, 10, 9)),
        case("c3", "DEMO-C1", (2025, 4, 3, 8), (2025, 4, 10, 17), (2025, 4, 8, 9)),
        case("c4", "DEMO-C1", (2025, 4, 4, 8), (2025, 4, 10, 17), (2025, 4, 15, 9), True),
        case("c5", "DEMO-C2", (2025, 5, 1, 8), (2025, 5, 10, 17), (2025, 5, 5, 9)),
        case("c6", "DEMO-C2", (2025, 5, 2, 8), (2025, 5, 10, 17), (2025, 5, 6, 9)),
        case("c7", "DEMO-S", (2025, 6, 1, 8), (2025, 6, 10, 17), (2025, 6, 10, 9)),
    ]
    con.executemany("INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, resolved_at, status, channel, supplement_requests, digitized, e_result, reused_data, fee_required, paid_online, apology_issued, rating) VALUES (" + ", ".join(["?"] * 16) + ")", rows)
    con.executemany("INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, "
                    "resolved_at, status, channel, applicant_key) "
                    "VALUES (?, ?, 'PR1', ?, ?, ?, ?, 'direct', ?)", _withdrawals())
    con.executemany("INSERT INTO task_status (plan_id, task_id, unit_id, occurrence, done_on, "
                    "document, note) VALUES ('test-plan', ?, ?, ?, ?, ?, ?)", TASK_STATUS)
    con.executemany("INSERT INTO manual (unit_id, period, indicator, value, source) "
                    "VALUES (?, ?, ?, ?, ?)", MANUAL)
    con.execute("INSERT INTO load_log VALUES (1, 'cases.csv', 'cases', 'abc', "
                "TIMESTAMP '2025-07-01 08:00:00', 8, 7, 1, NULL)")
    con.execute("INSERT INTO rejects (load_id, file, row_number, column_name, value, reason) "
                "VALUES (1, 'cases.csv', 9, 'unit_id', 'DEMO-C1', "
                "'due date is before the received date')")
    con.close()
    return db, plan


# ---------------------------------------------------------------- the index page's extras
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

    Everything of :func:`build_store`, with the plan ``SITE_PLAN_YAML`` and:

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


LEVEL_PLAN_YAML = """\
plan_id: test-levels
title: Kế hoạch thử nghiệm theo cấp
issuer: UBND tỉnh Thử
document_number: "2/KH-UBND"
document_date: 2025-01-10
seed: "001"
calendar: calendar
valid_from: 2025-01-01
valid_to: 2025-12-31
root_unit: null
levels: [department, district, commune]
targets:
  - id: early_communes
    indicator: early_rate
    comparator: ">="
    threshold: 0.7
    levels: [commune]
    basis: level
    clause: "II.1"
    text: "70% hồ sơ của cấp xã được giải quyết trước hạn"
  - id: early_share
    indicator: early_rate
    comparator: ">="
    threshold: 1.0
    levels: [commune]
    basis: share_of_units
    condition: {indicator: early_rate, comparator: ">=", threshold: 0.6}
    clause: "II.2"
    text: "100% đơn vị cấp xã giải quyết trước hạn từ 60% hồ sơ"
  - id: on_time_communes
    indicator: on_time_rate
    comparator: ">"
    threshold: 0.9
    levels: [commune]
    clause: "II.3"
    text: "Cấp xã giải quyết đúng hạn trên 90% hồ sơ"
  - id: e_result_year_end
    indicator: e_result_rate
    comparator: ">="
    threshold: 0.9
    judged: by_deadline
    due: 2025-12-15
    clause: "II.4"
    text: "Trước 15/12/2025, 90% hồ sơ có kết quả điện tử"
  - id: on_time_land
    indicator: on_time_rate
    comparator: ">="
    threshold: 0.9
    fields: [dat_dai]
    clause: "II.5"
    text: "Lĩnh vực đất đai giải quyết đúng hạn từ 90% hồ sơ"
"""


def build_level_plan(tmp: Path) -> Path:
    """A second plan over the same store (:data:`LEVEL_PLAN_YAML`, calendar 2025Q2), judged by
    hand from the resolved cases above (early: C1 c1, c3 of 4; C2 c5, c6 of 2; S none of 1):

    - ``early_communes`` (basis level, communes, ≥ 70%): one verdict on the province's page,
      the communes pooled: 4 early of 6 = 66,67% → Không đạt, 1 case short (5/6 ≥ 70%);
      Xã Một contributes 50% (2/4), Xã Hai 100% (2/2), without a verdict of their own;
    - ``early_share`` (share of units, communes, ≥ 100% meeting early ≥ 60%): Xã Hai meets it,
      Xã Một does not → 1/2 = 50% → Không đạt, 1 unit short;
    - ``on_time_communes`` (per unit, communes, > 90%): Xã Một 75% Không đạt, Xã Hai 100% Đạt;
      the district's tree (communes only have cases) 5/6 = 83,33% Không đạt; the province's tree
      also holds the department's case, a level the target does not cover → no pooled verdict,
      the tally "Đạt 1/2 đơn vị cấp xã";
    - ``e_result_year_end`` (by deadline 15/12/2025): in 2025Q2 "Đang thực hiện", the value from
      01/01/2025 to 30/06/2025: Xã Một 4/4 = 100%;
    - ``on_time_land`` (fields: dat_dai): no stored procedure is in that field → no data, with
      the note "không có TTHC nào thuộc lĩnh vực …".
    """
    plan = tmp / "test-levels.yaml"
    plan.write_text(LEVEL_PLAN_YAML, encoding="utf-8")
    return plan
