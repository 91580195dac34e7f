"""A small province, plan and task register for the task tests, loaded the way a user does it.

Units: province P (no role: it stands for its own office), departments D1 and D2 (D2 carries the
role so_tttt), district H1 and its commune X1. The plan (calendar quarters, 2025) ends the
district level on 30/06/2025. Its register:

====  ============================  =========================  =================================
task  lead                          deadline                   reports (task_status)
====  ============================  =========================  =================================
T1    Các sở (every department)     Trước ngày 30/01/2025      D1 done 20/01; D2 done 05/02
T2    Văn phòng UBND tỉnh (P)       Tháng 3, 6, 9, 12/2025     2025-03 done 31/03
T3    UBND huyện (H1)               Trước 15/12/2025           -
T4    Sở Thông tin và Truyền thông  Thường xuyên               D2: '' on 01/02, 2025Q2 on 10/05
T5    (empty)                       Quý II/2025                -
T6    UBND huyện (H1)               Tháng 02/2025              H1 done 02/04
====  ============================  =========================  =================================
"""

from __future__ import annotations

from pathlib import Path

import yaml

from scorecard.cli import main

PLAN_ID = "thu-nghiem"

UNITS_CSV = """unit_id,name,level,parent_id,roles
P,Tỉnh Thử,province,,
D1,Sở Tư pháp,department,P,
D2,Sở Thông tin và Truyền thông,department,P,so_tttt
H1,Huyện Một,district,P,
X1,Xã An,commune,H1,
"""

STATUS_CSV = """plan_id,task_id,unit_id,occurrence,done_on,document,note
thu-nghiem,T1,D1,,2025-01-20,12/KH-STP,
thu-nghiem,T1,D2,,2025-02-05,7/KH-STTTT,chậm
thu-nghiem,T2,P,2025-03,2025-03-31,45/BC-UBND,
thu-nghiem,T4,D2,,2025-02-01,Tin bài,
thu-nghiem,T4,D2,2025Q2,2025-05-10,Video hướng dẫn,quý II
thu-nghiem,T6,H1,,2025-04-02,3/BC-UBND,
"""

PLAN = {
    "plan_id": PLAN_ID, "title": "Kế hoạch thử nghiệm năm 2025", "issuer": "UBND tỉnh Thử",
    "calendar": "calendar", "valid_from": "2025-01-01", "valid_to": "2025-12-31",
    "levels": ["department", "district", "commune"],
    "level_valid_to": {"district": "2025-06-30"}, "targets": [],
}

REGISTER = {
    "plan_id": PLAN_ID, "year": 2025,
    "groups": {"I": "NHÓM MỘT"},
    "parties": {
        "Các sở": [{"level": "department"}],
        "Văn phòng UBND tỉnh": [{"role": "van_phong_ubnd", "of": "province", "or_self": True}],
        "UBND huyện": [{"level": "district"}],
        "Sở Thông tin và Truyền thông": [{"role": "so_tttt", "of": "province"}],
    },
    "tasks": [
        {"task_id": "T1", "group": "I", "text": "Ban hành kế hoạch", "lead": "Các sở",
         "deadline": "Trước ngày 30/01/2025"},
        {"task_id": "T2", "group": "I", "text": "Báo cáo quý", "lead": "Văn phòng UBND tỉnh",
         "deadline": "Tháng 3, 6, 9, 12/2025"},
        {"task_id": "T3", "text": "Số hóa", "lead": "UBND huyện", "deadline": "Trước 15/12/2025"},
        {"task_id": "T4", "text": "Tuyên truyền", "lead": "Sở Thông tin và Truyền thông",
         "deadline": "Thường xuyên"},
        {"task_id": "T5", "text": "Giao ban", "deadline": "Quý II/2025",
         "flag": "no lead printed"},
        {"task_id": "T6", "text": "Đăng ký rà soát", "lead": "UBND huyện",
         "deadline": "Tháng 02/2025"},
    ],
}


def make_world(tmp: Path, *, units_csv: str = UNITS_CSV, status_csv: str = STATUS_CSV,
               register: dict | None = None) -> tuple[Path, Path]:
    """Write the plan, its register and the inputs under ``tmp`` and load them into a store
    with ``scorecard ingest``. Returns (plan file, store)."""
    plans = tmp / "params" / "plans"
    plans.mkdir(parents=True)
    plan_file = plans / f"{PLAN_ID}.yaml"
    plan_file.write_text(yaml.safe_dump(PLAN, allow_unicode=True), encoding="utf-8")
    (plans / f"{PLAN_ID}.tasks.yaml").write_text(
        yaml.safe_dump(register or REGISTER, allow_unicode=True), encoding="utf-8")
    raw = tmp / "raw"
    raw.mkdir()
    (raw / "units.csv").write_text(units_csv, encoding="utf-8")
    (raw / "task_status.csv").write_text(status_csv, encoding="utf-8")
    db = tmp / "store.duckdb"
    assert main(["ingest", str(raw / "units.csv"), str(raw / "task_status.csv"),
                 "--plans", str(plans), "--db", str(db)]) == 0
    return plan_file, db
