"""A small province and plan for the monthly-list target (Bắc Giang 2025 II.8), loaded the way a
user loads it (`scorecard ingest` of CSV files).

Units: province P, department S, district H with commune X. One procedure. Cases received from
01/01/2025 to 02/07/2025, so the data span every calendar month January–June 2025 and no later
month. The plan (calendar quarters, 2025) sets the II.8 target on the province.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from scorecard.cli import main

PLAN_ID = "danh-sach-thu"

UNITS_CSV = """unit_id,name,level,parent_id
P,Tỉnh Thử,province,
S,Sở Tư pháp,department,P
H,Huyện Một,district,P
X,Xã An,commune,H
"""
PROCEDURES_CSV = (
    "procedure_id,name,field,online_service,has_fee,payment_integrated,at_one_stop,"
    "four_on_spot,has_sample_dossier,e_process_configured\n"
    "PR1,Đăng ký khai sinh,ho_tich,full,false,false,true,false,true,true\n")
CASES_HEADER = ("case_id,unit_id,procedure_id,received_at,due_at,resolved_at,status,channel,"
                "apology_issued\n")
CASES_CSV = CASES_HEADER + """c1,X,PR1,2025-01-01 08:00,2025-01-10 17:00,2025-01-09 09:00,resolved,online,false
c2,S,PR1,2025-03-03 08:00,2025-03-10 17:00,2025-03-12 09:00,resolved,online,true
c3,H,PR1,2025-05-05 08:00,2025-05-12 17:00,2025-05-20 09:00,resolved,online,false
c4,X,PR1,2025-07-02 08:00,2025-07-10 17:00,,pending,online,false
"""

TEXT = ("Định kỳ hằng tháng công khai danh sách cơ quan, tổ chức, cá nhân chậm muộn trong giải "
        "quyết TTHC")


def target(id_: str, **kw: object) -> dict:
    return {"id": id_, "indicator": "late_list_published_rate", "comparator": ">=",
            "threshold": 1.0, "levels": ["province"], "clause": "II.8", "text": TEXT, **kw}


PLAN = {
    "plan_id": PLAN_ID, "title": "Kế hoạch thử", "issuer": "UBND tỉnh Thử", "seed": "001",
    "calendar": "calendar", "valid_from": "2025-01-01", "valid_to": "2025-12-31",
    "levels": ["province", "department", "district", "commune"],
    "targets": [target("monthly")],
}


def write_inputs(folder: Path) -> list[Path]:
    """The three CSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for name, text in (("units.csv", UNITS_CSV), ("procedures.csv", PROCEDURES_CSV),
                       ("cases.csv", CASES_CSV)):
        (folder / name).write_text(text, encoding="utf-8")
        files.append(folder / name)
    return files


def write_plan(path: Path, targets: list[dict] | None = None) -> Path:
    data = {**PLAN, "targets": targets if targets is not None else PLAN["targets"]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def make_store(tmp: Path) -> Path:
    """The store, loaded with `scorecard ingest`."""
    db = tmp / "store.duckdb"
    files = write_inputs(tmp / "in")
    assert main(["ingest", *map(str, files), "--db", str(db)]) == 0
    return db
