"""The national portal's dossier format (DVCQG) loaded as a user loads it (issue 16):
`scorecard ingest FILE --kind cases --source dvcqg`, detection, `--unit`; what lands in `cases`,
`case_supplements`, `rejects` and `load_log`, worked out by hand from params/sources/dvcqg.yaml."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scorecard.cli import main
from scorecard.reasons import reason_vi
from tests.test_sources_dvcqg import record, write_lines

UNITS = """unit_id,name,level,parent_id
P,Tỉnh Thử,province,
D1,Sở Tư pháp,department,P
H1,Huyện Một,district,P
H2,Huyện Hai,district,P
X1,Xã An Bình,commune,H1
X3,Xã An Bình,commune,H2
"""
PROCEDURES = (
    "procedure_id,name,field,online_service,has_fee,payment_integrated,at_one_stop,four_on_spot,"
    "has_sample_dossier,e_process_configured\n"
    "1.001,Cấp phiếu lý lịch tư pháp,tu_phap,full,true,true,true,true,true,true\n"
    "1.002,Đăng ký khai sinh,ho_tich,partial,false,false,true,true,true,true\n")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return make_store(tmp_path)


def make_store(tmp_path: Path) -> Path:
    """A store holding the units and procedures (loaded with `scorecard ingest`)."""
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "procedures.csv").write_text(PROCEDURES, encoding="utf-8")
    db = tmp_path / "store.duckdb"
    assert main(["ingest", str(tmp_path / "units.csv"), str(tmp_path / "procedures.csv"),
                 "--db", str(db)]) == 0
    return db


def ingest(capsys, db: Path, path: Path, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["ingest", str(path), "--db", str(db), *args])
    return code, capsys.readouterr().out


def load(capsys, db: Path, tmp_path: Path, records: list[dict], *args: str,
         name: str = "export.jsonl") -> str:
    code, out = ingest(capsys, db, write_lines(tmp_path / name, records), "--kind", "cases",
                       "--source", "dvcqg", *args)
    assert code == 0, out
    return out


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def cases(db: Path, *columns: str) -> dict[str, tuple]:
    rows = query(db, f"SELECT case_id, {', '.join(columns)} FROM cases ORDER BY case_id")
    return {r[0]: (r[1] if len(r) == 2 else r[1:]) for r in rows}


def rejects(db: Path, file: str = "export.jsonl") -> dict[int, tuple]:
    return {r[0]: r[1:] for r in query(
        db, f"SELECT row_number, record_key, column_name, value, reason FROM rejects "
            f"WHERE file = '{file}' ORDER BY row_number")}


def counts(db: Path, file: str = "export.jsonl") -> tuple:
    return query(db, f"SELECT rows_read, rows_accepted, rows_rejected FROM load_log "
                     f"WHERE file = '{file}' ORDER BY load_id DESC LIMIT 1")[0]


# ---------------------------------------------------------------- status, channel, fees, results
def test_every_status_code(store: Path, tmp_path: Path, capsys) -> None:
    out = load(capsys, store, tmp_path, [record(f"S{c:02d}", TrangThaiHoSo=c) for c in range(1, 11)])
    assert "loaded   export.jsonl [cases; dvcqg, JSON Lines]: read 10, accepted 8, rejected 2" in out
    got = cases(store, "status", "resolved_at")
    done = "2025-03-07 10:00:00"  # NgayKetThucXuLy (Đã xử lý xong) before NgayTra
    assert {k: (s, str(r) if r else None) for k, (s, r) in got.items()} == {
        "S02": ("pending", None), "S04": ("pending", None), "S05": ("pending", None),
        "S06": ("pending", None), "S07": ("withdrawn", done), "S08": ("refused", done),
        "S09": ("resolved", done), "S10": ("resolved", done)}
    assert rejects(store) == {
        1: ("S01", "TrangThaiHoSo", "1", "case never received (TrangThaiHoSo 1: Mới đăng ký)"),
        3: ("S03", "TrangThaiHoSo", "3",
            "case never received (TrangThaiHoSo 3: Không được tiếp nhận)")}
    assert counts(store) == (10, 8, 2)
    assert reason_vi(rejects(store)[1][3]) == (
        "hồ sơ chưa được tiếp nhận (TrangThaiHoSo 1: Mới đăng ký)")


def test_channel_codes(store: Path, tmp_path: Path, capsys) -> None:
    load(capsys, store, tmp_path, [record("K1", KenhThucHien=1), record("K2", KenhThucHien="2"),
                                   record("K3", KenhThucHien=3), record("K4", KenhThucHien=4),
                                   record("K5", KenhThucHien="")])
    assert cases(store, "channel") == {"K1": "direct", "K2": "online", "K3": "postal"}
    assert rejects(store) == {
        4: ("K4", "KenhThucHien", "4", "not a valid KenhThucHien: expected one of 1, 2, 3"),
        # an empty channel passes the source and fails the loader's own rule, naming the field
        5: ("K5", "KenhThucHien", None, "KenhThucHien is required")}
    assert reason_vi(rejects(store)[5][3]) == "thiếu KenhThucHien"


def test_fees_and_payment(store: Path, tmp_path: Path, capsys) -> None:
    load(capsys, store, tmp_path, [
        record("P1", DanhSachLePhi=[]),                                   # no fee listed
        record("P2", DanhSachLePhi=[{"TenPhiLePhi": "Phí", "Gia": 0}]),    # listed, waived
        record("P3", DanhSachLePhi=[{"Gia": 0}, {"Gia": "50.000"}], DuocThanhToanTrucTuyen=1),
        record("P4", DanhSachLePhi=[{"Gia": 20000}], DuocThanhToanTrucTuyen=2),
        record("P5", DanhSachLePhi=None, DuocThanhToanTrucTuyen=None),    # unknown
        record("P6", DanhSachLePhi=[{"Gia": 20000}], DuocThanhToanTrucTuyen=0),
        record("P7", DanhSachLePhi=[{"Gia": "hai mươi"}]),
    ])
    assert cases(store, "fee_required", "paid_online") == {
        "P1": (False, False), "P2": (False, False), "P3": (True, True), "P4": (True, True),
        "P5": (None, None), "P6": (True, False)}
    assert rejects(store) == {7: ("P7", "DanhSachLePhi.Gia", "hai mươi",
                                  "fee amount Gia is not a number")}


def test_result_documents(store: Path, tmp_path: Path, capsys) -> None:
    link = "https://dichvucong.example.invalid/kq/1.pdf"
    load(capsys, store, tmp_path, [
        record("R1", DanhSachGiayToKetQua=[]),
        record("R2", DanhSachGiayToKetQua=[{"TenGiayTo": "Giấy", "DuongDanTepTinKetQua": ""}]),
        record("R3", DanhSachGiayToKetQua=[{"DuongDanTepTinKetQua": ""},
                                           {"DuongDanTepTinKetQua": link}]),
        record("R4", DanhSachGiayToKetQua=None),
        record("R5", DanhSachGiayToKetQua="không phải danh sách"),
    ])
    assert cases(store, "e_result") == {"R1": False, "R2": False, "R3": True, "R4": None}
    assert rejects(store)[5][2:] == ("không phải danh sách",
                                     "DanhSachGiayToKetQua is not a JSON list")


# ---------------------------------------------------------------- units
def test_unit_matching_rules_and_the_default_unit(store: Path, tmp_path: Path, capsys) -> None:
    recs = [
        record("U1", MaDonViXuLy="H1", DonViXuLy="Sở Tư pháp"),   # a code wins over the name
        record("U2", DonViXuLy="  so TU   phap "),                # case, accents, spacing
        record("U3", DonViXuLy="Xã An Bình"),                     # two units have that name
        record("U4", DonViXuLy="Phòng Tư pháp"),                  # no such unit
        record("U5", MaDonViXuLy="Z9", DonViXuLy="Huyện Hai"),    # unknown code, known name
        record("U6", DonViXuLy=None),                             # no unit at all
    ]
    load(capsys, store, tmp_path, recs)
    assert cases(store, "unit_id") == {"U1": "H1", "U2": "D1", "U5": "H2"}
    got = rejects(store)
    assert sorted(got) == [3, 4, 6]
    assert got[3][1:3] == ("MaDonViXuLy, MaCoQuanXuLy, DonViXuLy", "Xã An Bình")
    assert got[3][3] == ("no unit for this case: DonViXuLy matches several units of the store "
                         "(X1, X3) (give a unit code or --unit)")
    assert reason_vi(got[4][3]) == (
        "không xác định được đơn vị xử lý: DonViXuLy không khớp tên đơn vị nào trong kho "
        "(hãy ghi mã đơn vị hoặc dùng --unit)")
    # a unit's own export without a unit field: --unit takes every case left without one
    load(capsys, store, tmp_path, recs, "--unit", "X3", name="export2.jsonl")
    assert cases(store, "unit_id") == {"U1": "H1", "U2": "D1", "U3": "X3", "U4": "X3",
                                       "U5": "H2", "U6": "X3"}
    code, out = ingest(capsys, store, tmp_path / "export2.jsonl", "--unit", "Q9")
    assert code == 1 and "--unit Q9: not a unit of the store" in out


# ---------------------------------------------------------------- procedures, personal data
def test_unknown_procedure_names_the_matthc(store: Path, tmp_path: Path, capsys) -> None:
    out = load(capsys, store, tmp_path, [record("A"), record("B", MaTTHC="9.999999")])
    assert rejects(store) == {2: ("B", "MaTTHC", "9.999999", "MaTTHC: not a known procedure id")}
    assert reason_vi("MaTTHC: not a known procedure id") == (
        "MaTTHC: mã thủ tục không có trong danh mục TTHC")
    assert "1 × MaTTHC: not a known procedure id" in out


def test_personal_fields_dropped_and_named(store: Path, tmp_path: Path, capsys) -> None:
    out = load(capsys, store, tmp_path, [record("A"), record("B")])
    dropped = "ChuHoSo, SoDienThoai, Email, MaDoiTuong, SoDinhDanh, DiaChi"
    assert f"personal data dropped: {dropped}" in out
    assert query(store, "SELECT dropped_columns FROM load_log WHERE file = 'export.jsonl'") == [
        (dropped,)]
    assert cases(store, "applicant_key") == {"A": None, "B": None}


# ---------------------------------------------------------------- supplements and reloads
ANSWERED = {"NgayBoSung": "20250304090000", "NgayTiepNhanBoSung": "20250305100000",
            "NgayHenTraTruoc": "20250310163000", "NgayHenTraMoi": "20250311163000"}
WAITING = {"NgayBoSung": "20250306090000", "NgayTiepNhanBoSung": "",
           "NgayHenTraTruoc": "20250311163000", "NgayHenTraMoi": ""}


def supplements(db: Path) -> list[tuple]:
    return [(c, s, str(r), str(b) if b else None) for c, s, r, b in query(
        db, "SELECT case_id, seq, requested_at, returned_at FROM case_supplements "
            "ORDER BY case_id, seq")]


def test_supplement_histories_loaded_and_replaced(store: Path, tmp_path: Path, capsys) -> None:
    recs = [record("B1", TrangThaiHoSo=5, NgayKetThucXuLy="", NgayTra="",
                   DanhSachHoSoBoSung=[WAITING, ANSWERED]),
            record("B2", DanhSachHoSoBoSung=[ANSWERED]),
            record("B3", MaTTHC="9.9", DanhSachHoSoBoSung=[ANSWERED]),  # rejected: no history
            record("B2", DanhSachHoSoBoSung=[ANSWERED, WAITING])]       # duplicate: the first
    out = load(capsys, store, tmp_path, recs)
    assert "case_supplements: 3 rows with the accepted rows" in out
    assert supplements(store) == [
        ("B1", 1, "2025-03-04 09:00:00", "2025-03-05 10:00:00"),
        ("B1", 2, "2025-03-06 09:00:00", None),
        ("B2", 1, "2025-03-04 09:00:00", "2025-03-05 10:00:00")]
    assert cases(store, "supplement_requests", "supplement_requested_at") == {
        "B1": (2, datetime(2025, 3, 6, 9)),
        "B2": (1, datetime(2025, 3, 4, 9))}
    assert counts(store) == (4, 2, 2)
    assert rejects(store)[4][1:] == ("MaHoSo", "B2",
                                     "duplicate MaHoSo: already at row 2 of this file")
    # the same bytes again: nothing changes
    code, again = ingest(capsys, store, tmp_path / "export.jsonl")
    assert code == 0 and "unchanged export.jsonl" in again
    assert len(supplements(store)) == 3
    # a corrected export: B1's citizen answered and nothing else was asked; B2 had none after
    # all. The stored histories of both are replaced (no stale row stays)
    fixed = [record("B1", DanhSachHoSoBoSung=[ANSWERED]), record("B2")]
    load(capsys, store, tmp_path, fixed, name="export_fixed.jsonl")
    assert supplements(store) == [("B1", 1, "2025-03-04 09:00:00", "2025-03-05 10:00:00")]
    assert cases(store, "status", "supplement_requests") == {
        "B1": ("resolved", 1), "B2": ("resolved", 0)}


def test_a_csv_cases_file_keeps_the_stored_histories(store: Path, tmp_path: Path,
                                                     capsys) -> None:
    """Only a file carrying histories replaces them: a CSV of the same cases (which carries the
    count alone) leaves the case_supplements rows a DVCQG load or a case_supplements file put
    there."""
    load(capsys, store, tmp_path, [record("B1", DanhSachHoSoBoSung=[ANSWERED])])
    csv = tmp_path / "cases.csv"
    csv.write_text("case_id,unit_id,procedure_id,received_at,due_at,resolved_at,status,channel,"
                   "supplement_requests\nB1,D1,1.001,2025-03-03 08:30,2025-03-10 16:30,"
                   "2025-03-07 10:00,resolved,direct,1\n", encoding="utf-8")
    code, _ = ingest(capsys, store, csv)
    assert code == 0 and len(supplements(store)) == 1


def test_a_failed_file_leaves_the_store_as_it_was(store: Path, tmp_path: Path, capsys) -> None:
    load(capsys, store, tmp_path, [record("A", DanhSachHoSoBoSung=[ANSWERED])])
    before = (cases(store, "status"), supplements(store))
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps([record("A"), record("Z")])[:-40], encoding="utf-8")
    code, out = ingest(capsys, store, broken)
    assert code == 1 and "FAILED   broken.json: broken.json: not valid JSON" in out
    assert (cases(store, "status"), supplements(store)) == before


# ---------------------------------------------------------------- detection
def test_detected_from_the_field_names(store: Path, tmp_path: Path, capsys) -> None:
    """No --source, no --kind, a name that says nothing: the JSON's fields are the profile's.
    The same fields as CSV headers are detected too; a JSON file of another layout fails."""
    path = tmp_path / "export_2025.json"
    path.write_text(json.dumps([record("J1"), record("J2", TrangThaiHoSo=3)], ensure_ascii=False),
                    encoding="utf-8")
    code, out = ingest(capsys, store, path)
    assert code == 0
    assert "export_2025.json [cases; dvcqg, JSON array]: read 2, accepted 1, rejected 1" in out
    csv = tmp_path / "dong_bo.csv"
    rec = record("C1")
    pd.DataFrame([{k: (json.dumps(v) if isinstance(v, list) else v) for k, v in rec.items()}]
                 ).to_csv(csv, index=False)
    code, out = ingest(capsys, store, csv)
    assert code == 0 and "dong_bo.csv [cases; dvcqg, CSV]: read 1, accepted 1" in out
    other = tmp_path / "other.jsonl"
    other.write_text('{"a": 1}\n', encoding="utf-8")
    code, out = ingest(capsys, store, other)
    assert code == 1
    assert "other.jsonl: a JSON file is read through a source profile, and none matches" in out
    assert set(cases(store, "unit_id")) == {"J1", "C1"}


def test_unknown_source_and_wrong_kind(store: Path, tmp_path: Path, capsys) -> None:
    path = write_lines(tmp_path / "export.jsonl", [record("A")])
    assert main(["ingest", str(path), "--source", "nope", "--db", str(store)]) == 2
    assert "unknown source format 'nope': use one of dvcqg" in capsys.readouterr().err
    code, out = ingest(capsys, store, path, "--kind", "feedback", "--source", "dvcqg")
    assert code == 1 and "source profile 'dvcqg' gives cases, not feedback" in out


# ---------------------------------------------------------------- memory
_INGEST = """
import sys
from scorecard.readers import ReadOptions
from scorecard.sources import source
source.SOURCE_CHUNK_ROWS = 5000
from scorecard.ingest import ingest_files
(rep,) = ingest_files([sys.argv[1]], db=sys.argv[2], kind="cases", options=ReadOptions())
assert rep.status == "loaded" and rep.rows_accepted == int(sys.argv[3]), rep
"""


def _peak_rss_mb(store: Path, path: Path, rows: int) -> float:
    """Peak RSS of a fresh process loading ``path`` into a copy of ``store`` (the store may
    hold 64 MB in memory, the rest spills beside it)."""
    import os
    import shutil
    import subprocess
    import sys

    db = path.with_suffix(".duckdb")
    shutil.copyfile(store, db)
    env = {**os.environ, "SCORECARD_DB_MEMORY": "64MB"}
    proc = subprocess.Popen([sys.executable, "-c", _INGEST, str(path), str(db), str(rows)],
                            env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return usage.ru_maxrss / 1024


def test_memory_stays_bounded_through_ingest(store: Path, tmp_path: Path) -> None:
    """Four times the records, about the same peak: the loader holds a block, a chunk of
    5,000 mapped records and what DuckDB keeps in memory, never the file. (The 1 GB JSON Lines
    file of 1M cases peaks at 0.8 GB: bench/dvcqg.py, README.)"""
    rec = record("X", DanhSachHoSoBoSung=[ANSWERED])
    sizes, peaks = [], []
    for n in (50_000, 200_000):
        path = tmp_path / f"hoso{n}.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for i in range(n):
                rec["MaHoSo"] = f"HS-{i:09d}"
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        sizes.append(path.stat().st_size / 2**20)
        peaks.append(_peak_rss_mb(store, path, n))
    assert sizes[1] - sizes[0] > 90
    assert peaks[1] - peaks[0] < (sizes[1] - sizes[0]) / 2, (sizes, peaks)
    assert max(peaks) < 1024
