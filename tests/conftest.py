"""Shared fixtures: tiny input files written by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

UNITS_CSV = """unit_id,name,level,parent_id
P,Tỉnh Thử,province,
D1,Sở Tư pháp,department,P
H1,Huyện Một,district,P
X1,Xã An,commune,H1
X2,Xã Bình,commune,H1
"""

PROCEDURES_CSV = """procedure_id,name,field,online_service,has_fee,payment_integrated,at_one_stop,four_on_spot,has_sample_dossier,e_process_configured
1.001,Cấp giấy chứng nhận quyền sử dụng đất,dat_dai,full,true,true,true,false,true,true
1.002,Đăng ký khai sinh,ho_tich,partial,false,false,true,true,true,true
"""

CASE_HEADER = ("case_id,unit_id,procedure_id,received_at,due_at,resolved_at,status,channel,"
               "supplement_requests,digitized,e_result,reused_data,fee_required,paid_online,"
               "apology_issued,rating\n")


def case_line(case_id: str, unit: str = "X1", proc: str = "1.001",
              received: str = "2025-02-03 08:00", due: str = "2025-02-10 17:00",
              resolved: str = "2025-02-07 10:00", status: str = "resolved",
              channel: str = "online", supp: str = "0", rating: str = "satisfied") -> str:
    return (f"{case_id},{unit},{proc},{received},{due},{resolved},{status},{channel},{supp},"
            f"true,true,false,true,true,false,{rating}\n")


@pytest.fixture
def base_files(tmp_path: Path) -> dict[str, Path]:
    """units.csv and procedures.csv in a fresh folder."""
    units = tmp_path / "units.csv"
    units.write_text(UNITS_CSV, encoding="utf-8")
    procs = tmp_path / "procedures.csv"
    procs.write_text(PROCEDURES_CSV, encoding="utf-8-sig")  # with BOM
    return {"units": units, "procedures": procs}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store" / "scorecard.duckdb"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's, through Playwright), one per test module; without it the
    test is skipped, or fails where real tools are required (CI)."""
    from tests.real_tools import CHROMIUM, CHROMIUM_ARGS, require_playwright

    sync_api = require_playwright()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
