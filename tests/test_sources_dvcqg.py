"""The DVCQG source (issue 16): the national portal's dossier format mapped to `cases` rows.

Every expected value is written out by hand from the mapping in params/sources/dvcqg.yaml.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from scorecard.readers import ReadError
from scorecard.sources import (
    CASE_COLUMNS,
    SCHEMA,
    detect_profile,
    file_keys,
    open_source,
    read_source_frames,
    reason_vi,
)
from scorecard.store import table_columns

UNITS = pd.DataFrame({
    "unit_id": ["P", "D1", "H1", "H2", "X1", "X3"],
    "name": ["Tỉnh Thử", "Sở Tư pháp", "Huyện Một", "Huyện Hai", "Xã An Bình", "Xã An Bình"],
})


def record(case_id: str, **over: object) -> dict:
    """A resolved, direct, fee-free DVCQG case of Sở Tư pháp; ``over`` replaces fields (None
    removes one)."""
    rec: dict = {
        "MaHoSo": case_id, "MaTTHC": "1.001", "TenTTHC": "Cấp phiếu lý lịch tư pháp",
        "KenhThucHien": 1, "ChuHoSo": "Nguyễn Văn An", "SoDienThoai": "0912345678",
        "Email": "an@example.com", "MaDoiTuong": "001085012345", "SoDinhDanh": "001085012345",
        "DiaChi": "Số 1, phố Huế", "NgayNopHoSo": "20250303080000",
        "NgayTiepNhan": "20250303083000", "NgayHenTra": "20250310163000",
        "NgayKetThucXuLy": "20250307100000", "NgayTra": "20250307150000", "TrangThaiHoSo": 10,
        "DonViXuLy": "Sở Tư pháp", "DuocThanhToanTrucTuyen": 0, "DanhSachLePhi": [],
        "DanhSachGiayToKetQua": [], "DanhSachHoSoBoSung": [],
    }
    for key, value in over.items():
        if value is None:
            rec.pop(key, None)
        else:
            rec[key] = value
    return rec


def write_lines(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    return path


def read(tmp_path: Path, records: list[dict], **kw: object):  # noqa: ANN201
    return read_source_frames(write_lines(tmp_path / "hoso.jsonl", records), units=UNITS, **kw)


def by_id(frame: pd.DataFrame) -> dict[str, dict]:
    """Rows by case_id; missing values (NaN, NA, NaT) as None."""
    return {r["case_id"]: {k: (None if pd.isna(v) else v) for k, v in r.items()}
            for r in frame.to_dict("records")}


def reasons(rejects: pd.DataFrame) -> dict[str, str]:
    return dict(zip(rejects["case_id"], rejects["_reject"], strict=True))


# ---------------------------------------------------------------- status and dates
def test_every_status_code(tmp_path: Path) -> None:
    recs = [record(f"S{code}", TrangThaiHoSo=code) for code in range(1, 11)]
    # a pending case keeps no finish date even when the system filled NgayKetThucXuLy
    cases, _, rejects = read(tmp_path, recs)
    got = by_id(cases)
    assert {k: v["status"] for k, v in got.items()} == {
        "S2": "pending", "S4": "pending", "S5": "pending", "S6": "pending",
        "S7": "withdrawn", "S8": "refused", "S9": "resolved", "S10": "resolved"}
    for k, v in got.items():
        if v["status"] == "pending":
            assert v["resolved_at"] is None, k
        else:
            assert v["resolved_at"] == pd.Timestamp("2025-03-07 10:00"), k
    assert reasons(rejects) == {
        "S1": "case never received (TrangThaiHoSo 1: Mới đăng ký)",
        "S3": "case never received (TrangThaiHoSo 3: Không được tiếp nhận)",
    }
    assert reason_vi(reasons(rejects)["S3"]) == (
        "hồ sơ chưa được tiếp nhận (TrangThaiHoSo 3: Không được tiếp nhận)")
    assert list(rejects["_reject_column"]) == ["TrangThaiHoSo", "TrangThaiHoSo"]
    assert list(rejects["_row"]) == [1, 3]


def test_status_values_as_text_numbers_and_spreadsheet_floats(tmp_path: Path) -> None:
    recs = [record("T1", TrangThaiHoSo="9"), record("T2", TrangThaiHoSo="10.0"),
            record("T3", TrangThaiHoSo=" 4 "), record("T4", TrangThaiHoSo=11),
            record("T5", TrangThaiHoSo="Đã xong")]
    cases, _, rejects = read(tmp_path, recs)
    assert {k: v["status"] for k, v in by_id(cases).items()} == {
        "T1": "resolved", "T2": "resolved", "T3": "pending"}
    expected = "not a valid TrangThaiHoSo: expected one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
    assert reasons(rejects) == {"T4": expected, "T5": expected}
    assert list(rejects["_reject_value"]) == ["11", "Đã xong"]


def test_finish_date_by_status(tmp_path: Path) -> None:
    recs = [
        record("F1", TrangThaiHoSo=10, NgayTra="20250308090000"),   # both: NgayKetThucXuLy
        record("F2", TrangThaiHoSo=10, NgayKetThucXuLy=""),         # only NgayTra
        record("F3", TrangThaiHoSo=8, NgayTra=""),                  # stopped: NgayKetThucXuLy
        record("F4", TrangThaiHoSo=7, NgayKetThucXuLy=None),        # withdrawn: NgayTra
        record("F5", TrangThaiHoSo=9, NgayKetThucXuLy="", NgayTra=""),
    ]
    cases, _, rejects = read(tmp_path, recs)
    got = {k: v["resolved_at"] for k, v in by_id(cases).items()}
    assert got == {"F1": pd.Timestamp("2025-03-07 10:00"), "F2": pd.Timestamp("2025-03-07 15:00"),
                   "F3": pd.Timestamp("2025-03-07 10:00"), "F4": pd.Timestamp("2025-03-07 15:00")}
    assert reasons(rejects) == {
        "F5": "finished (TrangThaiHoSo 9) but no finish date in NgayKetThucXuLy, NgayTra"}


def test_timestamps(tmp_path: Path) -> None:
    recs = [record("D1", NgayTiepNhan="20250303"), record("D2", NgayTiepNhan=""),
            record("D3", NgayTiepNhan="2025-03-03 08:30"),
            record("D4", NgayHenTra="20250231163000"),
            record("D5", NgayTiepNhan=20250303083000)]
    cases, _, rejects = read(tmp_path, recs)
    got = {k: v["received_at"] for k, v in by_id(cases).items()}
    # empty = missing: the source accepts it, the loader's rule (received_at required) rejects it
    assert got["D1"] == pd.Timestamp("2025-03-03 00:00")
    assert got["D2"] is None
    assert got["D5"] == pd.Timestamp("2025-03-03 08:30")
    fmt = "(expected yyyyMMddHHmmss, yyyyMMddHHmm, yyyyMMdd)"
    assert reasons(rejects) == {"D3": f"NgayTiepNhan is not a date/time {fmt}",
                                "D4": f"NgayHenTra is not a date/time {fmt}"}
    assert reason_vi(reasons(rejects)["D4"]) == (
        "NgayHenTra không phải ngày giờ hợp lệ (định dạng yyyyMMddHHmmss, yyyyMMddHHmm, yyyyMMdd)")


# ---------------------------------------------------------------- channel, fees, results
def test_channel_codes(tmp_path: Path) -> None:
    recs = [record("K1", KenhThucHien=1), record("K2", KenhThucHien="2"),
            record("K3", KenhThucHien=3), record("K4", KenhThucHien=4),
            record("K5", KenhThucHien="")]
    cases, _, rejects = read(tmp_path, recs)
    assert {k: v["channel"] for k, v in by_id(cases).items()} == {
        "K1": "direct", "K2": "online", "K3": "postal", "K5": None}
    assert reasons(rejects) == {"K4": "not a valid KenhThucHien: expected one of 1, 2, 3"}


def test_fees_and_payment(tmp_path: Path) -> None:
    recs = [
        record("P1", DanhSachLePhi=[]),                                   # no fee
        record("P2", DanhSachLePhi=[{"TenPhiLePhi": "Phí", "Gia": 0}]),    # listed, waived
        record("P3", DanhSachLePhi=[{"Gia": 0}, {"Gia": "50.000"}], DuocThanhToanTrucTuyen=1),
        record("P4", DanhSachLePhi=[{"Gia": 20000}], DuocThanhToanTrucTuyen=2),
        record("P5", DanhSachLePhi=None, DuocThanhToanTrucTuyen=""),      # unknown
        record("P6", DanhSachLePhi=[{"Gia": 20000}], DuocThanhToanTrucTuyen=0),
        record("P7", DanhSachLePhi=[{"Gia": "hai mươi"}]),
        record("P8", DanhSachLePhi="lệ phí 20000"),
        record("P9", DuocThanhToanTrucTuyen=5),
    ]
    cases, _, rejects = read(tmp_path, recs)
    got = {k: (v["fee_required"], v["paid_online"]) for k, v in by_id(cases).items()}
    assert got == {"P1": (False, False), "P2": (False, False), "P3": (True, True),
                   "P4": (True, True), "P5": (None, None), "P6": (True, False)}
    assert reasons(rejects) == {
        "P7": "fee amount Gia is not a number",
        "P8": "DanhSachLePhi is not a JSON list",
        "P9": "not a valid DuocThanhToanTrucTuyen: expected one of 0, 1, 2",
    }
    assert rejects.set_index("case_id").loc["P7", "_reject_column"] == "DanhSachLePhi.Gia"


def test_result_documents(tmp_path: Path) -> None:
    link = "https://dichvucong.example.invalid/kq/1.pdf"
    recs = [
        record("R1", DanhSachGiayToKetQua=[]),
        record("R2", DanhSachGiayToKetQua=[{"TenGiayTo": "Giấy", "DuongDanTepTinKetQua": ""}]),
        record("R3", DanhSachGiayToKetQua=[{"TenGiayTo": "Giấy", "DuongDanTepTinKetQua": ""},
                                           {"TenGiayTo": "Bản điện tử",
                                            "DuongDanTepTinKetQua": link}]),
        record("R4", DanhSachGiayToKetQua=None),
        record("R5", DanhSachGiayToKetQua=[{"TenGiayTo": "Giấy"}]),
    ]
    cases, _, _ = read(tmp_path, recs)
    assert {k: v["e_result"] for k, v in by_id(cases).items()} == {
        "R1": False, "R2": False, "R3": True, "R4": None, "R5": False}


# ---------------------------------------------------------------- units
def test_unit_matching_rules(tmp_path: Path) -> None:
    recs = [
        record("U1", MaDonViXuLy="H1", DonViXuLy="Sở Tư pháp"),   # a code wins over the name
        record("U2", DonViXuLy="  so TU   phap "),                # case, accents, spacing
        record("U3", DonViXuLy="Xã An Bình"),                     # two units have that name
        record("U4", DonViXuLy="Phòng Tư pháp"),                  # no such unit
        record("U5", MaDonViXuLy="Z9", DonViXuLy="Huyện Hai"),    # unknown code, known name
        record("U6", DonViXuLy=None),                             # no unit at all
        record("U7", MaCoQuanXuLy="X1"),                          # the second code field
    ]
    cases, _, rejects = read(tmp_path, recs)
    assert {k: v["unit_id"] for k, v in by_id(cases).items()} == {
        "U1": "H1", "U2": "D1", "U5": "H2", "U7": "X1"}
    suffix = " (give a unit code or --unit)"
    assert reasons(rejects) == {
        "U3": "no unit for this case: DonViXuLy matches several units of the store (X1, X3)"
              + suffix,
        "U4": "no unit for this case: DonViXuLy matches no unit name of the store" + suffix,
        "U6": "no unit for this case: no MaDonViXuLy/MaCoQuanXuLy or DonViXuLy" + suffix,
    }
    assert list(rejects["_reject_value"].fillna("")) == ["Xã An Bình", "Phòng Tư pháp", ""]
    assert reason_vi(reasons(rejects)["U3"]) == (
        "không xác định được đơn vị xử lý: DonViXuLy trùng tên với nhiều đơn vị trong kho "
        "(X1, X3) (hãy ghi mã đơn vị hoặc dùng --unit)")
    # --unit takes every case the fields leave without a unit; matched ones keep theirs
    cases, _, rejects = read(tmp_path, recs, default_unit="H2")
    assert {k: v["unit_id"] for k, v in by_id(cases).items()} == {
        "U1": "H1", "U2": "D1", "U3": "H2", "U4": "H2", "U5": "H2", "U6": "H2", "U7": "X1"}
    assert rejects.empty


def test_fields_missing_from_the_first_records_are_still_read(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from scorecard.sources import source

    monkeypatch.setattr(source, "SAMPLE_RECORDS", 2)  # field names learned from 2 records
    recs = [record("A"), record("B"), record("C", MaDonViXuLy="H1"),
            record("D", ChuHoSo=None, HoTenNguoiNop="Lê Văn D")]
    path = write_lines(tmp_path / "hoso.jsonl", recs)
    src = open_source(path, units=UNITS)
    assert src.layout.fields["MaDonViXuLy"] is None  # not in the sample ...
    cases, _, _ = read_source_frames(path, units=UNITS)
    assert by_id(cases)["C"]["unit_id"] == "H1"  # ... but read where a record has it
    text = json.dumps(cases.astype(str).to_dict("records"), ensure_ascii=False)
    assert "Lê Văn D" not in text  # a personal field outside the profile is never read


def test_unknown_default_unit_fails_the_file(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "hoso.jsonl", [record("A")])
    with pytest.raises(ReadError, match="--unit Q9: not a unit of the store"):
        open_source(path, units=UNITS, default_unit="Q9")


# ---------------------------------------------------------------- supplements
def test_supplement_history(tmp_path: Path) -> None:
    first = {"NgayBoSung": "20250304090000", "NgayTiepNhanBoSung": "20250305100000",
             "NgayHenTraTruoc": "20250310163000", "NgayHenTraMoi": "20250311163000"}
    second = {"NgayBoSung": "20250306090000", "NgayTiepNhanBoSung": "",
              "NgayHenTraTruoc": "20250311163000", "NgayHenTraMoi": ""}
    recs = [
        record("B1", DanhSachHoSoBoSung=[second, first], TrangThaiHoSo=5),  # out of order
        record("B2", DanhSachHoSoBoSung=[first]),
        record("B3", DanhSachHoSoBoSung=[{**first, "NgayBoSung": ""}]),
        record("B4", DanhSachHoSoBoSung=[first, {**first, "NgayTiepNhanBoSung": "20250303000000"}]),
        record("B5", DanhSachHoSoBoSung=[{**first, "NgayHenTraMoi": "31/03/2025"}]),
        record("B6", DanhSachHoSoBoSung=None),
    ]
    cases, supps, rejects = read(tmp_path, recs)
    got = {k: (v["supplement_requests"], v["supplement_requested_at"])
           for k, v in by_id(cases).items()}
    assert got["B1"] == (2, pd.Timestamp("2025-03-06 09:00"))
    assert got["B2"] == (1, pd.Timestamp("2025-03-04 09:00"))
    assert got["B6"] == (0, None)
    ts = pd.Timestamp
    want = [("B1", 1, ts("2025-03-04 09:00"), ts("2025-03-05 10:00"), ts("2025-03-10 16:30"),
             ts("2025-03-11 16:30")),
            ("B1", 2, ts("2025-03-06 09:00"), None, ts("2025-03-11 16:30"), None),
            ("B2", 1, ts("2025-03-04 09:00"), ts("2025-03-05 10:00"), ts("2025-03-10 16:30"),
             ts("2025-03-11 16:30"))]
    rows = [tuple(None if pd.isna(v) else v for v in r) for r in supps.itertuples(index=False)]
    assert rows == want  # rejected cases bring no history
    assert reasons(rejects) == {
        "B3": "DanhSachHoSoBoSung: entry 1: NgayBoSung missing",
        "B4": "DanhSachHoSoBoSung: entry 2: NgayTiepNhanBoSung before NgayBoSung",
        "B5": "DanhSachHoSoBoSung: entry 1: NgayHenTraMoi is not a date/time",
    }
    assert reason_vi(reasons(rejects)["B4"]) == (
        "DanhSachHoSoBoSung: mục 2: NgayTiepNhanBoSung trước NgayBoSung")


# ---------------------------------------------------------------- personal data, layout
def test_personal_fields_are_dropped_and_named(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "hoso.jsonl", [record("A"), record("B")])
    src = open_source(path, units=UNITS)
    assert src.layout.dropped_pii == ["ChuHoSo", "SoDienThoai", "Email", "MaDoiTuong",
                                      "SoDinhDanh", "DiaChi"]
    assert src.layout.ignored == ["TenTTHC", "NgayNopHoSo"]
    assert src.layout.format == "jsonl"
    assert src.layout.columns["procedure_id"] == "MaTTHC"
    assert src.layout.columns["resolved_at"] == "NgayKetThucXuLy/NgayTra"
    assert src.layout.columns["unit_id"] == "MaDonViXuLy/MaCoQuanXuLy/DonViXuLy"
    table = next(src.batches())
    text = json.dumps(table.to_pylist(), default=str, ensure_ascii=False)
    for value in ("Nguyễn Văn An", "0912345678", "an@example.com", "001085012345", "phố Huế"):
        assert value not in text


def test_output_schema_is_the_stores_cases_columns() -> None:
    assert list(CASE_COLUMNS) == table_columns("cases")
    assert SCHEMA.names[: len(CASE_COLUMNS)] == table_columns("cases")
    assert SCHEMA.names[len(CASE_COLUMNS):] == ["_row", "_reject", "_reject_column",
                                                "_reject_value", "_supplements"]


def test_read_equals_accepted_plus_rejected_across_chunks(tmp_path: Path) -> None:
    recs = [record(f"C{i:02d}", TrangThaiHoSo=(3 if i % 4 == 0 else 10)) for i in range(1, 26)]
    path = write_lines(tmp_path / "hoso.jsonl", recs)
    src = open_source(path, units=UNITS, chunk_rows=4)
    batches = list(src.batches())
    assert max(b.num_rows for b in batches) <= 4
    rows = [r for b in batches for r in b.column("_row").to_pylist()]
    assert rows == list(range(1, 26))
    small = read_source_frames(path, units=UNITS, chunk_rows=4)
    whole = read_source_frames(path, units=UNITS)
    assert len(whole[0]) == 19 and len(whole[2]) == 6
    pd.testing.assert_frame_equal(small[0], whole[0])
    pd.testing.assert_frame_equal(small[2], whole[2])


# ---------------------------------------------------------------- file layouts
def _mixed_records() -> list[dict]:
    return [
        record("M1", DanhSachLePhi=[{"Gia": 20000}], DuocThanhToanTrucTuyen=1,
               DanhSachHoSoBoSung=[{"NgayBoSung": "20250304090000",
                                    "NgayTiepNhanBoSung": "20250305100000"}]),
        record("M2", TrangThaiHoSo=3),
        record("M3", KenhThucHien=2, TrangThaiHoSo=4, NgayKetThucXuLy="", NgayTra="",
               DanhSachGiayToKetQua=[{"DuongDanTepTinKetQua": "https://x.invalid/a.pdf"}]),
    ]


def test_json_array_and_json_lines_give_the_same_rows(tmp_path: Path) -> None:
    recs = _mixed_records()
    lines = read_source_frames(write_lines(tmp_path / "a.jsonl", recs), units=UNITS)
    compact = tmp_path / "b.json"
    compact.write_text(json.dumps(recs, ensure_ascii=False), encoding="utf-8")
    pretty = tmp_path / "c.json"
    pretty.write_text(json.dumps(recs, ensure_ascii=False, indent=2), encoding="utf-8-sig")
    objects = tmp_path / "d.json"  # objects one after another, not one per line
    objects.write_text("\n".join(json.dumps(r, ensure_ascii=False, indent=1) for r in recs),
                       encoding="utf-8")
    for path, fmt in ((compact, "json-array"), (pretty, "json-array"),
                      (objects, "json-objects")):
        assert open_source(path, units=UNITS).layout.format == fmt
        other = read_source_frames(path, units=UNITS)
        for a, b in zip(lines, other, strict=True):
            pd.testing.assert_frame_equal(a, b)
    assert list(lines[0]["_row"]) == [1, 3] and list(lines[2]["_row"]) == [2]


def test_bad_lines_are_rejected_with_their_line_number(tmp_path: Path) -> None:
    path = tmp_path / "hoso.ndjson"
    good = [json.dumps(record(f"G{i}")) for i in range(3)]
    path.write_bytes(("\ufeff" + good[0] + "\n\n" + '{"MaHoSo": "X", "TrangThai\n'
                      + "[1, 2]\n" + good[1] + "\r\n   \n" + good[2]).encode("utf-8"))
    cases, _, rejects = read_source_frames(path, units=UNITS)
    assert list(cases["case_id"]) == ["G0", "G1", "G2"]
    assert list(cases["_row"]) == [1, 5, 7]
    assert list(zip(rejects["_row"], rejects["_reject"], strict=True)) == [
        (3, "not valid JSON"), (4, "not a JSON object")]
    # the text of an unreadable line is not kept: it may hold personal data
    assert rejects["_reject_value"].isna().all()
    assert reason_vi("not valid JSON") == "bản ghi không phải JSON hợp lệ"


def test_invalid_json_array_fails_the_file(tmp_path: Path) -> None:
    path = tmp_path / "hoso.json"
    path.write_text('[{"MaHoSo": "A", "MaTTHC": "1.001", "TrangThaiHoSo": 10}, {"MaHoSo": ',
                    encoding="utf-8")
    with pytest.raises(ReadError, match="hoso.json: not valid JSON"):
        src = open_source(path, units=UNITS)
        list(src.batches())


def test_csv_and_xlsx_with_the_same_fields(tmp_path: Path) -> None:
    from openpyxl import Workbook

    recs = _mixed_records()
    jsonl = read_source_frames(write_lines(tmp_path / "a.jsonl", recs), units=UNITS)
    headers = list(dict.fromkeys(k for r in recs for k in r))

    def cell(value: object) -> object:
        return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value

    frame = pd.DataFrame([{h: cell(r.get(h, "")) for h in headers} for r in recs])
    frame.to_csv(tmp_path / "hoso.csv", index=False)
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in recs:
        row = [cell(r.get(h, "")) for h in headers]
        row[headers.index("NgayTiepNhan")] = datetime(2025, 3, 3, 8, 30)  # an Excel date cell
        ws.append(row)
    wb.save(tmp_path / "hoso.xlsx")
    for name in ("hoso.csv", "hoso.xlsx"):
        cases, supps, rejects = read_source_frames(tmp_path / name, units=UNITS)
        # spreadsheet lines: the header is line 1
        assert list(cases["_row"]) == [2, 4] and list(rejects["_row"]) == [3]
        pd.testing.assert_frame_equal(cases.drop(columns="_row"),
                                      jsonl[0].drop(columns="_row"))
        pd.testing.assert_frame_equal(supps, jsonl[1])


def test_detect_profile_from_field_names(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "export.json", [record("A")])
    assert detect_profile(file_keys(path)) == "dvcqg"
    assert detect_profile(["case_id", "unit_id", "procedure_id", "status"]) is None


def test_a_file_without_the_profiles_fields_fails(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "x.jsonl", [{"a": 1}])
    with pytest.raises(ReadError, match="none of the fields MaHoSo, MaTTHC, TrangThaiHoSo"):
        open_source(path, units=UNITS)


def test_every_source_reason_reads_in_vietnamese(tmp_path: Path) -> None:
    """Trip every rule; the Vietnamese wording keeps no English words."""
    bad = {"NgayBoSung": "", "NgayTiepNhanBoSung": "x"}
    recs = [record("V1", TrangThaiHoSo=1), record("V2", TrangThaiHoSo=12),
            record("V3", KenhThucHien=9, NgayTiepNhan="hôm qua"),
            record("V4", TrangThaiHoSo=9, NgayKetThucXuLy="", NgayTra=""),
            record("V5", DonViXuLy="Xã An Bình", DuocThanhToanTrucTuyen=7),
            record("V6", DonViXuLy="Không có", MaDonViXuLy="Q"),
            record("V7", DonViXuLy=None),
            record("V8", DanhSachLePhi=[{"Gia": "?"}], DanhSachGiayToKetQua="x"),
            record("V9", DanhSachHoSoBoSung=[bad]), record("V10", DanhSachHoSoBoSung={"a": 1})]
    path = tmp_path / "hoso.jsonl"
    write_lines(path, recs)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("{oops\n[1]\n")
    _, _, rejects = read_source_frames(path, units=UNITS)
    assert len(rejects) == 12
    english = re.compile(r"\b(not|case|unit|entry|missing|before|expected|finished|valid|give|"
                         r"matches|store|fee|list|date/time|never|received|several|or|and)\b")
    for reason in rejects["_reject"]:
        vi = reason_vi(reason).replace("--unit", "")
        assert not english.findall(vi), (reason, vi)


def test_the_loader_can_stage_the_stream_in_duckdb(tmp_path: Path) -> None:
    """How the loader takes a source: register the Arrow stream, stage it, keep ``_reject IS
    NULL`` rows, explode their supplements; then the portal's rule runs on the store."""
    import duckdb

    from scorecard.portal_progress import judge_cases
    from scorecard.sources import SUPPLEMENTS_SQL
    from scorecard.store import create_schema

    waiting = {"NgayBoSung": "20250305090000", "NgayTiepNhanBoSung": ""}
    answered = {"NgayBoSung": "20250304090000", "NgayTiepNhanBoSung": "20250309090000",
                "NgayHenTraTruoc": "20250310163000", "NgayHenTraMoi": "20250315163000"}
    recs = [
        # finished 12/03 > due 10/03, but the citizen took 04/03 -> 09/03: 12 - 5 = 07/03: on time
        record("W1", NgayKetThucXuLy="20250312100000", NgayTra="",
               DanhSachHoSoBoSung=[answered]),
        # still waiting for the citizen since 05/03 at the end of March: ends 05/03: on time
        record("W2", TrangThaiHoSo=5, NgayKetThucXuLy="", NgayTra="",
               DanhSachHoSoBoSung=[waiting]),
        record("W3", TrangThaiHoSo=3),
    ]
    src = open_source(write_lines(tmp_path / "hoso.jsonl", recs), units=UNITS)
    con = duckdb.connect()
    create_schema(con)
    con.executemany("INSERT INTO units (unit_id, name, level) VALUES (?, ?, 'department')",
                    [("D1", "Sở Tư pháp")])
    con.execute("INSERT INTO procedures VALUES ('1.001', 'Thủ tục', 'tu_phap', 'full', false, "
                "false, true, false, true, true, NULL, NULL)")
    con.register("dvcqg_src", src.reader())
    con.execute("CREATE TEMP TABLE stage AS SELECT * FROM dvcqg_src")
    cols = ", ".join(CASE_COLUMNS)
    con.execute(f"INSERT INTO cases ({cols}) SELECT {cols} FROM stage WHERE _reject IS NULL")
    con.execute("INSERT INTO case_supplements " + SUPPLEMENTS_SQL.format(relation="stage"))
    read, rejected = con.execute(
        "SELECT count(*), count(_reject) FROM stage").fetchone()  # type: ignore[misc]
    assert (read, rejected) == (3, 1)
    assert con.execute("SELECT count(*) FROM cases").fetchone()[0] == 2  # type: ignore[index]
    assert con.execute("SELECT case_id, seq, returned_at IS NULL FROM case_supplements "
                       "ORDER BY case_id").fetchall() == [("W1", 1, False), ("W2", 1, True)]
    judged = judge_cases(con, "2025Q1").set_index("case_id")
    assert judged.loc["W1", "supplement_days"] == 5 and judged.loc["W1", "on_time"]
    assert judged.loc["W2", "end_reason"] == "waiting" and judged.loc["W2", "on_time"]
