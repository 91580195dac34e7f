"""The demo cases exported in the DVCQG format read back as the same canonical rows as the CSV
(the heart of issue 16's "same indicators" test, which the next wave runs through ingest), and
the reader's memory stays bounded on a larger file."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from scorecard import readers
from scorecard.demo import build_world, export_dvcqg, generate_demo
from scorecard.sources import read_source_frames

CASES = 2000
#: Columns the DVCQG export cannot carry as the CSV does: none. Its supplement history ends at
#: the case's supplement_requested_at, it carries the 766 population-data flags, and the
#: applicant's made-up ID with the ready-made pseudonym (used without a key; with the demo key
#: the pseudonym computed from the ID is the same, see test_the_demo_key_gives_the_same_keys).
DVCQG_ONLY: list[str] = []


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("demo")
    generate_demo(out, cases=CASES, formats="csv")
    _, chunks = readers.read_chunks(out / "cases.csv")
    csv = pd.concat([c.frame for c in chunks], ignore_index=True).drop(columns="_row")
    csv = csv[~csv["case_id"].str.startswith("DEMO-HS-BAD")]  # the planted bad rows
    n = export_dvcqg(out / "hoso.jsonl", cases=CASES)
    cases, supps, rejects = read_source_frames(out / "hoso.jsonl", units=build_world().units)
    return {"out": out, "csv": _sorted(csv), "cases": cases, "n": n, "supps": supps,
            "rejects": rejects}


def _sorted(df: pd.DataFrame) -> pd.DataFrame:
    return df.sort_values("case_id").reset_index(drop=True)


def _values(df: pd.DataFrame) -> pd.DataFrame:
    """Rows by case_id as plain values (missing = None), whatever the readers' dtypes."""
    df = _sorted(df)
    return df.astype(object).where(df.notna(), None)


def test_dvcqg_export_maps_back_to_the_csv_rows(demo: dict) -> None:
    assert demo["rejects"].empty
    assert demo["n"] == len(demo["csv"]) == len(demo["cases"]) == CASES
    got = _values(demo["cases"].drop(columns=["_row", *DVCQG_ONLY]))
    pd.testing.assert_frame_equal(got, _values(demo["csv"].drop(columns=DVCQG_ONLY)))
    # every status, channel and flag value occurs, so the comparison covers each mapping
    assert set(got["status"]) == {"pending", "resolved", "withdrawn", "refused"}
    assert set(got["channel"]) == {"online", "direct", "postal"}
    for col in ("fee_required", "paid_online", "e_result", "digitized"):
        assert set(got[col]) == {True, False}, col
    assert got["supplement_requests"].max() >= 2


def test_supplement_histories_agree_with_the_cases(demo: dict) -> None:
    cases, supps = demo["cases"].set_index("case_id"), demo["supps"]
    counts = supps.groupby("case_id").size()
    with_requests = cases[cases["supplement_requests"] > 0]
    assert len(with_requests) > 100
    assert counts.reindex(with_requests.index).tolist() == with_requests[
        "supplement_requests"].tolist()
    assert set(counts.index) == set(with_requests.index)
    last = supps.groupby("case_id")["requested_at"].max()
    assert (last == with_requests["supplement_requested_at"]).all()
    joined = supps.join(cases, on="case_id")
    assert (joined["requested_at"] >= joined["received_at"]).all()
    finished = joined[joined["resolved_at"].notna()]
    assert (finished["returned_at"] <= finished["resolved_at"]).all()
    assert finished["returned_at"].notna().all()  # a finished case's requests were answered
    assert (supps["returned_at"].isna() | (supps["returned_at"] >= supps["requested_at"])).all()
    # requests follow each other: the next one comes after the previous answer
    nxt = supps.groupby("case_id")["requested_at"].shift(-1)
    assert ((nxt.isna()) | (nxt >= supps["returned_at"])).all()
    # a pending case whose last request is unanswered is written as status 5
    open_cases = set(supps.loc[supps["returned_at"].isna(), "case_id"])
    assert open_cases and open_cases <= set(cases.index[cases["status"] == "pending"])
    with open(demo["out"] / "hoso.jsonl", encoding="utf-8") as fh:
        status = {r["MaHoSo"]: r["TrangThaiHoSo"] for r in map(json.loads, fh)}
    assert {status[c] for c in open_cases} == {5}


def test_the_demo_key_gives_the_same_keys(demo: dict) -> None:
    """With the demo's published key, the pseudonyms computed from the export's ID numbers
    (SoDinhDanh) are the CSV's ready-made applicant keys; with another key they differ, and the
    file's own MaBiDanhNguoiNop is not used."""
    from scorecard.demo_leads import demo_key
    from scorecard.pseudonym import key_from_text

    path = demo["out"] / "hoso.jsonl"
    units = build_world().units
    cases, _, _ = read_source_frames(path, units=units, pseudonym_key=demo_key())
    want = demo["csv"].set_index("case_id")["applicant_key"]
    got = cases.set_index("case_id")["applicant_key"]
    assert got.notna().all() and got.reindex(want.index).tolist() == want.tolist()
    other, _, _ = read_source_frames(path, units=units,
                                     pseudonym_key=key_from_text("another key, 16+ bytes", "t"))
    assert not set(other["applicant_key"]) & set(want)


def test_one_units_cases_and_the_array_layout(demo: dict, tmp_path: Path) -> None:
    unit = "DEMO-H03"
    n = export_dvcqg(tmp_path / "h03.json", cases=CASES, units=[unit], layout="array",
                     unit_code=True)
    cases, _, rejects = read_source_frames(tmp_path / "h03.json", units=build_world().units)
    assert rejects.empty
    want = demo["csv"][demo["csv"]["unit_id"] == unit]
    assert n == len(want) > 0
    pd.testing.assert_frame_equal(_values(cases.drop(columns=["_row", *DVCQG_ONLY])),
                                  _values(want.drop(columns=DVCQG_ONLY)))


def test_the_export_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    export_dvcqg(a, cases=600)
    export_dvcqg(b, cases=600)
    assert a.read_bytes() == b.read_bytes()


def _python_peak(tmp_path: Path, records: int, monkeypatch: pytest.MonkeyPatch) -> tuple[float, float]:
    """(peak of the Python heap while reading — bytes, numpy and list objects — and the file
    size), in MB, for ``records`` DVCQG records read in chunks of 2,000 from 1 MB blocks."""
    import tracemalloc

    from scorecard.sources import open_source, raw
    from tests.test_sources_dvcqg import UNITS, record

    monkeypatch.setattr(raw, "BLOCK_BYTES", 1 << 20)
    path = tmp_path / f"big{records}.jsonl"
    rec = record("X", DanhSachHoSoBoSung=[{"NgayBoSung": "20250304090000",
                                           "NgayTiepNhanBoSung": "20250305100000"}])
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(records):
            rec["MaHoSo"] = f"HS-{i:09d}"
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    tracemalloc.start()
    try:
        rows = sum(b.num_rows for b in open_source(path, units=UNITS, chunk_rows=2000).batches())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert rows == records
    return peak / 2**20, path.stat().st_size / 2**20


def test_memory_stays_bounded_on_a_larger_json_lines_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Four times the records, the same peak: the reader holds a block and a chunk, never the
    file (the whole-process peak on a 1 GB file is measured in the README)."""
    small, small_size = _python_peak(tmp_path, 10_000, monkeypatch)
    large, large_size = _python_peak(tmp_path, 40_000, monkeypatch)
    assert large_size - small_size > 18
    assert abs(large - small) < 2, (small, large)
