"""Issue 16's done-when: the demo cases exported in the national portal's format (DVCQG JSON
Lines) and loaded with `scorecard ingest` give exactly the indicators of the same cases loaded
from CSV — every indicator of every unit, scope (own, tree) and period the demo covers."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scorecard.cli import main
from scorecard.demo import FIRST_DAY, LAST_DAY, export_dvcqg, generate_demo
from scorecard.indicators import compute_indicators
from scorecard.periods import periods_between

CASES = 2000
SMALL = ["units.csv", "procedures.csv", "unit_procedures.csv", "feedback.csv", "form06.csv",
         "manual.csv", "cases_planted.parquet"]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("same")
    generate_demo(out, cases=CASES, formats="csv")
    assert export_dvcqg(out / "hoso_dvcqg.jsonl", cases=CASES) == CASES
    small = [str(out / name) for name in SMALL]
    dbs = {"csv": out / "csv.duckdb", "dvcqg": out / "dvcqg.duckdb"}
    assert main(["ingest", *small, str(out / "cases.csv"), "--db", str(dbs["csv"])]) == 0
    assert main(["ingest", *small, str(out / "hoso_dvcqg.jsonl"), "--db", str(dbs["dvcqg"])]) == 0
    # the CSV's planted duplicate-id pair keeps its first row: a valid copy of another case under
    # a planted id (DEMO-HS-BAD07), not one of the demo's cases; the export has no planted rows
    con = duckdb.connect(str(dbs["csv"]))
    try:
        assert con.execute("DELETE FROM cases WHERE case_id LIKE 'DEMO-HS-BAD%'").fetchone() == (1,)
    finally:
        con.close()
    return dbs


def _periods() -> list[str]:
    """Every month, quarter and year the demo's cases touch."""
    first, last = str(FIRST_DAY)[:7], str(LAST_DAY)[:7]
    months = [p.id for p in periods_between(first, last)]
    quarters = [p.id for p in periods_between(f"{first[:4]}Q4", "2025Q2")]
    return [*months, *quarters, "2023", "2024", "2025"]


def _indicators(db: Path) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        df = compute_indicators(con, _periods(), scopes=("own", "tree"))
    finally:
        con.close()
    return df.sort_values(["unit_id", "scope", "period", "indicator"]).reset_index(drop=True)


def test_the_same_cases_in_both_stores(stores: dict[str, Path]) -> None:
    """Every column of every case; the supplement histories agree with the cases' counts and
    last request dates."""
    def table(db: Path, sql: str) -> pd.DataFrame:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute(sql).df()
        finally:
            con.close()

    sql = "SELECT * FROM cases ORDER BY case_id"
    pd.testing.assert_frame_equal(table(stores["csv"], sql), table(stores["dvcqg"], sql))
    supp = table(stores["dvcqg"], "SELECT case_id, count(*) AS n, max(requested_at) AS last "
                                  "FROM case_supplements GROUP BY 1")
    cases = table(stores["dvcqg"], "SELECT case_id, CAST(supplement_requests AS BIGINT) AS n, "
                                   "supplement_requested_at AS last FROM cases "
                                   "WHERE supplement_requests > 0")
    pd.testing.assert_frame_equal(supp.sort_values("case_id").reset_index(drop=True),
                                  cases.sort_values("case_id").reset_index(drop=True))
    assert table(stores["csv"], "SELECT count(*) AS n FROM case_supplements")["n"][0] == 0


def test_every_indicator_of_every_unit_and_period_is_equal(stores: dict[str, Path]) -> None:
    csv, dvcqg = _indicators(stores["csv"]), _indicators(stores["dvcqg"])
    assert len(csv) > 50_000  # 144 units, both scopes, 25 periods, every case indicator
    assert set(csv["scope"]) == {"own", "tree"} and csv["period"].nunique() == len(_periods())
    assert csv["numerator"].fillna(0).sum() > 0
    pd.testing.assert_frame_equal(csv, dvcqg)


def test_the_766_index_differs_only_by_the_supplement_histories(
        stores: dict[str, Path], capsys) -> None:
    """The plain progress rule (qd766-2022's period_end) gives the same index from both stores;
    the portal's rule (portal-2024) reads the DVCQG store's supplement histories, so only the
    progress and case-satisfaction metrics may differ."""
    def index(db: Path, profile: str) -> pd.DataFrame:
        capsys.readouterr()
        assert main(["index766", "--period", "2025Q2", "--profile", profile, "--format", "json",
                     "--db", str(db)]) == 0
        return pd.read_json(io.StringIO(capsys.readouterr().out), orient="records")

    pd.testing.assert_frame_equal(index(stores["csv"], "qd766-2022"),
                                  index(stores["dvcqg"], "qd766-2022"))
    a, b = index(stores["csv"], "portal-2024"), index(stores["dvcqg"], "portal-2024")
    metric = (a["metric"] != "__group__") & (a["metric"] != "__total__")
    changed = a[metric & (a["points"].fillna(-1) != b["points"].fillna(-1))]
    assert len(changed) > 0
    assert set(changed["metric"]) <= {"progress_on_time", "case_satisfaction"}
