"""Source profiles (params/sources/*.yaml): validation with file and key named, and a second
export layout mapped without code."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from scorecard.sources import (
    SOURCES_DIR,
    SourceProfileError,
    list_source_profiles,
    load_source_profile,
    read_source_frames,
)
from scorecard.sources.profile import parse_source_profile


def dvcqg_raw() -> dict:
    return yaml.safe_load((SOURCES_DIR / "dvcqg.yaml").read_text(encoding="utf-8"))


def test_the_shipped_dvcqg_profile() -> None:
    assert "dvcqg" in list_source_profiles()
    p = load_source_profile("dvcqg")
    assert p.fields["case_id"] == ("MaHoSo",) and p.fields["received_at"] == ("NgayTiepNhan",)
    assert p.finished_at["resolved"] == ("NgayKetThucXuLy", "NgayTra")
    assert p.values["status"]["1"] == "not_received" and p.values["status"]["8"] == "refused"
    assert p.values["paid_online"] == {"0": False, "1": True, "2": True}
    assert p.unit.code == ("MaDonViXuLy", "MaCoQuanXuLy") and p.unit.name == "DonViXuLy"
    assert p.supplements is not None and p.supplements.returned_at == "NgayTiepNhanBoSung"


@pytest.mark.parametrize(("change", "message"), [
    (lambda r: r.update(colour="red"), "colour: unknown key"),
    (lambda r: r["fields"].update(casse_id="X"), "fields.casse_id: unknown column"),
    (lambda r: r["fields"].pop("case_id"), "fields.case_id: required"),
    (lambda r: r["fields"].update(case_id=[]), "fields.case_id: give a source field name"),
    (lambda r: r["values"]["status"].update({"11": "done"}),
     "values.status.11: 'done' is not one of pending, resolved, withdrawn, refused, not_received"),
    (lambda r: r["values"]["paid_online"].update({"3": "yes"}),
     "values.paid_online.3: 'yes' is not one of true, false"),
    (lambda r: r["values"].pop("channel"), "values.channel: required"),
    (lambda r: r["values"].update(colour={"1": "x"}), "values.colour: unknown value map"),
    (lambda r: r["finished_at"].pop("refused"), "finished_at.refused: give the field(s)"),
    (lambda r: r.update(timestamp_formats=["yyyyMMdd"]), "timestamp_formats: give strptime"),
    (lambda r: r["supplements"].pop("requested_at"), "supplements.requested_at: required"),
    (lambda r: r.pop("detect"), "detect: required"),
])
def test_profile_errors_name_the_file_and_key(tmp_path: Path, change, message: str) -> None:  # noqa: ANN001
    raw = dvcqg_raw()
    change(raw)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SourceProfileError) as err:
        load_source_profile(path)
    assert str(err.value).startswith(f"{path}: ")
    assert message in str(err.value)


def test_unknown_profile_and_bad_yaml(tmp_path: Path) -> None:
    with pytest.raises(SourceProfileError, match="unknown source profile 'nope' \\(known: .*dvcqg"):
        load_source_profile("nope")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(SourceProfileError, match="bad.yaml: not valid YAML"):
        load_source_profile(bad)
    with pytest.raises(SourceProfileError, match="expected a mapping"):
        parse_source_profile(["a"], "x.yaml")


# Another province's export: Vietnamese CSV headers, status words, dd/mm/yyyy dates, the unit
# by name, no list fields. A profile maps it; no code changes.
OTHER_PROFILE = """
id: tinh-khac
title: Xuất từ hệ thống một cửa tỉnh khác
detect: [Số hồ sơ, Trạng thái xử lý]
fields:
  case_id: Số hồ sơ
  procedure_id: Mã thủ tục
  status: Trạng thái xử lý
  channel: Hình thức
  received_at: Ngày nhận
  due_at: [Hạn trả, Hạn xử lý]
  fee_required: Có lệ phí
  e_result: Kết quả điện tử
finished_at:
  resolved: Ngày hoàn thành
  withdrawn: Ngày rút
  refused: Ngày hoàn thành
unit: {name: Cơ quan}
timestamp_formats: ["%d/%m/%Y %H:%M", "%d/%m/%Y"]
values:
  status: {Đang giải quyết: pending, Đã giải quyết: resolved, Đã rút: withdrawn,
           Từ chối: refused, Chưa tiếp nhận: not_received}
  channel: {Nộp trực tuyến: online, Nộp trực tiếp: direct, Bưu điện: postal}
  yes_no: {Có: true, Không: false}
personal: [Người nộp]
"""

OTHER_CSV = """Số hồ sơ,Người nộp,Mã thủ tục,Trạng thái xử lý,Hình thức,Ngày nhận,Hạn trả,Hạn xử lý,Ngày hoàn thành,Ngày rút,Cơ quan,Có lệ phí,Kết quả điện tử
A1,Trần Thị B,1.001,Đã giải quyết,Nộp trực tuyến,03/03/2025 08:30,10/03/2025,,07/03/2025 10:00,,SỞ TƯ PHÁP,Có,Không
A2,Lê Văn C,1.001,đang giải quyết,nộp trực tiếp,04/03/2025,,12/03/2025,,,Sở Tư Pháp,không,
A3,Lê Văn D,1.001,Đã rút,Bưu điện,05/03/2025,12/03/2025,,,06/03/2025,Sở Tư pháp,Không,
A4,Lê Văn E,1.001,Chưa tiếp nhận,Nộp trực tiếp,05/03/2025,12/03/2025,,,,Sở Tư pháp,Không,
"""


def test_another_export_layout_is_mapped_by_its_profile(tmp_path: Path) -> None:
    prof = tmp_path / "tinh-khac.yaml"
    prof.write_text(OTHER_PROFILE, encoding="utf-8")
    data = tmp_path / "hoso.csv"
    data.write_text(OTHER_CSV, encoding="utf-8")
    units = pd.DataFrame({"unit_id": ["D1"], "name": ["Sở Tư pháp"]})
    cases, supps, rejects = read_source_frames(data, prof, units=units)
    ts = pd.Timestamp
    got = [(r.case_id, r.unit_id, r.status, r.channel, r.received_at, r.due_at,
            None if pd.isna(r.resolved_at) else r.resolved_at,
            None if pd.isna(r.fee_required) else r.fee_required,
            None if pd.isna(r.e_result) else r.e_result, r.supplement_requests)
           for r in cases.itertuples()]
    assert got == [
        ("A1", "D1", "resolved", "online", ts("2025-03-03 08:30"), ts("2025-03-10"),
         ts("2025-03-07 10:00"), True, False, 0),
        ("A2", "D1", "pending", "direct", ts("2025-03-04"), ts("2025-03-12"), None, False,
         None, 0),
        ("A3", "D1", "withdrawn", "postal", ts("2025-03-05"), ts("2025-03-12"),
         ts("2025-03-06"), False, None, 0),
    ]
    assert list(cases["_row"]) == [2, 3, 4]
    assert supps.empty
    assert list(zip(rejects["_row"], rejects["_reject"], strict=True)) == [
        (5, "case never received (Trạng thái xử lý Chưa tiếp nhận)")]
