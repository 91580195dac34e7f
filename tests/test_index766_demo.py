"""The demo province carries the 766 index's population-data columns, so every group of the
index is scored from it (issue 15): generated shares, and the index computed after a load."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from scorecard import demo
from scorecard import index766 as ix
from scorecard.demo.streams import _rng


def test_citizen_data_columns_have_realistic_shares() -> None:
    world = demo.build_world(5)
    t = pa.concat_tables(list(demo.case_chunks(world, 5, 30_000))).to_pandas()
    assert list(t.columns) == list(demo.CASE_COLUMNS)
    per_unit = t.groupby("unit_id")["citizen_data_used"].mean()
    big = t["unit_id"].value_counts() >= 300
    assert per_unit[big[big].index].between(0.3, 0.8).all()  # 40-70% drawn, sampling noise
    assert 0.4 < t["citizen_data_used"].mean() < 0.7
    synced = t["personal_storage_synced"]
    assert 0 < synced.mean() < 0.02  # rare
    assert t.loc[synced, "digitized"].all()  # only digitized cases are shared
    assert t[["citizen_data_used", "personal_storage_synced"]].notna().all().all()
    connected = world.procedures["citizen_data_connected"]
    assert 0.2 < connected.mean() < 0.6
    citizen = world.procedures["field"].isin(["ho_tich", "tu_phap", "lao_dong"])
    assert connected[citizen].mean() > connected[~citizen].mean()


def test_citizen_data_streams_leave_the_other_columns_alone() -> None:
    world = demo.build_world(5)
    # the leads' columns come after the flags, from their own stream (demo_leads)
    chunk = next(demo.case_chunks(world, 5, 5000)).drop_columns(
        ["supplement_requested_at", "applicant_key"])
    unit_ids = pa.array(world.units["unit_id"].tolist())
    shares = demo.citizen_data_shares(world, 5)
    base = chunk.drop_columns(list(demo.CITIZEN_DATA_COLUMNS))
    again = demo.with_citizen_data(base, unit_ids, shares, _rng(5, 766, 1, 0))
    assert again.equals(chunk)  # the flags come from their own stream, after the base columns
    other = demo.with_citizen_data(base, unit_ids, shares, _rng(6, 766, 1, 0))
    assert other.select(list(base.column_names)).equals(base)
    assert not other.column("citizen_data_used").equals(chunk.column("citizen_data_used"))


def test_manual_index766_rows() -> None:
    world = demo.build_world(5)
    m = demo.build_manual_index766(world, 5)
    assert len(m) == len(world.units) * len(demo.MANUAL_INDEX766)
    assert (m["period"] == "2025Q2").all() and m["value"].between(0.85, 1).all()
    assert (m.loc[m["indicator"] == "certified_copies", "value"] == 1.0).all()
    assert m["source"].str.contains("DỮ LIỆU MẪU").all()


@pytest.fixture(scope="module")
def demo_index(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    from scorecard.ingest import ingest_files

    out = tmp_path_factory.mktemp("demo766")
    db = out / "store.duckdb"
    demo.generate_demo(out / "data", seed=3, cases=4000)
    reports = ingest_files(sorted(p for p in (out / "data").iterdir() if p.is_file()), db=db)
    assert not [r for r in reports if r.failed]
    con = duckdb.connect(str(db), read_only=True)
    try:
        return ix.compute_index766(con, "2025Q2")
    finally:
        con.close()


def test_demo_scores_all_six_groups(demo_index: pd.DataFrame) -> None:
    b = ix.points_breakdown(demo_index, unit_id=demo.PROVINCE_ID, scope="tree")
    assert b["group"].nunique() == 6
    groups = b.groupby("group")["group_points"].first()
    assert (groups > 0).all(), groups
    assert b["points"].notna().all()  # every metric has a value: nothing out of reach
    digit = b[b["group"] == "digitization"].set_index("metric")
    computed = ["e_result", "digitized", "data_reuse", "citizen_storage", "population_db_case",
                "population_db_procedure"]
    assert (digit.loc[computed, "source"] == "computed").all()
    assert digit.loc["certified_copies", "source"] == "manual"
    assert 0.4 < digit.loc["population_db_case", "rate"] < 0.75
    assert 0 < digit.loc["citizen_storage", "rate"] < 0.02
    assert 0.2 < digit.loc["population_db_procedure", "rate"] < 0.6
    assert (b.loc[b["group"] == "transparency", "source"] == "manual").all()


def test_demo_every_unit_with_cases_computes_the_population_metrics(
        demo_index: pd.DataFrame) -> None:
    m = demo_index[(demo_index["metric"] == "population_db_case")
                   & (demo_index["scope"] == "own")]
    with_cases = m[m["denominator"].fillna(0) > 0]
    assert len(with_cases) > 100
    assert (with_cases["source"] == "computed").all()
    # units without cases in the quarter (the Biểu 06-only communes, the province itself): 0
    without = m[m["denominator"].fillna(0) == 0]
    assert (without["points"] == 0).all() and (without["source"] == "computed").all()


def test_demo_files_carry_the_columns(tmp_path: Path) -> None:
    demo.generate_demo(tmp_path, seed=2, cases=1000)
    c = pd.read_csv(tmp_path / "cases_2025.csv", dtype=str, keep_default_na=False,
                    encoding="utf-8-sig")
    for col in demo.CITIZEN_DATA_COLUMNS:
        assert set(c[demo.VI_HEADERS[col]]) <= {"Có", "Không"}
    p = pd.read_csv(tmp_path / "procedures.csv", dtype=str, keep_default_na=False)
    assert set(p["citizen_data_connected"]) == {"true", "false"}
