"""The workbench's filters and tables on the render fixture (tests/render_fixtures.py):
calendar 2025Q2; on time C1 3/4, C2 2/2, S 1/1; the district's tree 5/6."""

from __future__ import annotations

import pytest

from scorecard import explore as ex
from tests.render_fixtures import build_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return build_store(tmp_path_factory.mktemp("explore"))


def test_filters_by_level_unit_and_field(store) -> None:
    db, plan = store
    wb = ex.open_workbench(str(db), str(plan), "2025Q2")
    assert wb.calendar == "calendar" and wb.focus == "DEMO-P"
    assert wb.unit_ids() == ["DEMO-P", "DEMO-S", "DEMO-D", "DEMO-C1", "DEMO-C2"]
    communes = ex.open_workbench(str(db), str(plan), "2025Q2", level="commune")
    assert communes.unit_ids() == ["DEMO-C1", "DEMO-C2"]
    table = ex.results_by_unit(communes, "on_time")
    assert list(zip(table["Đơn vị"], table["Giá trị"], table["Kết quả"], strict=True)) == [
        ("Xã Một", "75% (3/4)", "Không đạt"), ("Xã Hai", "100% (2/2)", "Đạt")]
    district = ex.open_workbench(str(db), str(plan), "2025Q2", unit_id="DEMO-D",
                                 field="ho_tich")
    assert district.unit_ids() == ["DEMO-D", "DEMO-C1", "DEMO-C2"]
    fields = ex.fields_by_unit(district)
    assert list(fields["Đơn vị"]) == ["Huyện Một", "Xã Một", "Xã Hai"]
    assert list(fields["Lĩnh vực"]) == ["Hộ tịch"] * 3
    assert list(fields["Trước hạn và đúng hạn"]) == ["83,33%", "75%", "100%"]
    assert list(fields["Đã giải quyết"]) == ["6", "4", "2"]


def test_level_summary_counts_each_unit_once(store) -> None:
    db, plan = store
    wb = ex.open_workbench(str(db), str(plan), "2025Q2")
    s = ex.level_summary(wb)
    on_time = s[s["Chỉ tiêu"] == "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn"]
    rows = {r["Cấp"]: (r["Đạt"], r["Không đạt"], r["Chưa có dữ liệu"])
            for r in on_time.to_dict("records")}
    # the province by its whole tree (6/7), the district by its own cases (none)
    assert rows == {"Cấp tỉnh": ("0", "1", "0"), "Sở, ngành": ("1", "0", "0"),
                    "Cấp huyện": ("0", "0", "1"), "Cấp xã": ("1", "1", "0")}


def test_bad_filters_say_what_exists(store) -> None:
    db, plan = store
    with pytest.raises(ex.ExploreError, match="level 'ward' không có: dùng một trong province"):
        ex.open_workbench(str(db), str(plan), "2025Q2", level="ward")
    with pytest.raises(ex.ExploreError, match="đơn vị 'NOPE' không có trong kho"):
        ex.open_workbench(str(db), str(plan), "2025Q2", unit_id="NOPE")
    with pytest.raises(ex.ExploreError, match=r"lĩnh vực 'dat' không có trong kho \(có: ho_tich\)"):
        ex.open_workbench(str(db), str(plan), "2025Q2", field="dat")


def test_tolerates_statuses_it_does_not_know(store) -> None:
    """A status added by evaluate later (e.g. in_progress) is counted and coloured, not lost."""
    db, plan = store
    wb = ex.open_workbench(str(db), str(plan), "2025Q2", level="commune")
    ev = wb.bundle.frames["evaluation"]
    wb.bundle.frames["evaluation"] = ev.assign(
        status=ev["status"].where(ev["unit_id"] != "DEMO-C1", "in_progress"),
        basis="unit")
    wb.bundle._by_unit.clear()
    s = ex.level_summary(wb)
    assert "Đang thực hiện" in s.columns or "in_progress" in s.columns
    fig = ex.ranking_chart(wb, "on_time")
    assert fig.data[0].marker.color[list(fig.data[0].y).index("Xã Một")] == "#f9a825"
