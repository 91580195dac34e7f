"""The unit report's store: the render store (:mod:`tests.render_fixtures`, whose resolved
cases and verdicts stay as they are there) with what the report's new sections show, and a
second plan judged by level over it (hand-worked numbers in the docstrings).

Used by the report's tests (test_report_sections, test_jupyterlab, test_browser's report
sections). Besides the render store's resolved cases, and changing none of their numbers (no
case below is resolved):

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

from datetime import datetime
from pathlib import Path

from tests.render_fixtures import build_store

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


def build_report_store(tmp: Path) -> tuple[Path, Path]:
    """The render store (:func:`tests.render_fixtures.build_store`) with the report's extras
    (module docstring): the task register beside the plan, the withdrawals and refilings, the
    ``task_status`` rows and the manual 766 rows; return (db, plan)."""
    from scorecard.store import open_writer

    db, plan = build_store(tmp)
    (tmp / "test-plan.tasks.yaml").write_text(REGISTER_YAML, encoding="utf-8")
    con = open_writer(db)
    con.executemany("INSERT INTO cases (case_id, unit_id, procedure_id, received_at, due_at, "
                    "resolved_at, status, channel, applicant_key) "
                    "VALUES (?, ?, 'PR1', ?, ?, ?, ?, 'direct', ?)", _withdrawals())
    con.executemany("INSERT INTO task_status (plan_id, task_id, unit_id, occurrence, done_on, "
                    "document, note) VALUES ('test-plan', ?, ?, ?, ?, ?, ?)", TASK_STATUS)
    con.executemany("INSERT INTO manual (unit_id, period, indicator, value, source) "
                    "VALUES (?, ?, ?, ?, ?)", MANUAL)
    con.close()
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
    hand from the render store's resolved cases (tests/render_fixtures.py; early: C1 c1, c3 of
    4; C2 c5, c6 of 2; S none of 1):

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
