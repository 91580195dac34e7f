"""The demo province loads end to end: exactly the planted bad rows are rejected, with their keys."""

from __future__ import annotations

from pathlib import Path

import duckdb

from scorecard.cli import main
from scorecard.demo import BAD_ROWS


def test_demo_data_ingests_with_exactly_the_planted_rejects(tmp_path: Path, capsys) -> None:
    out, db = tmp_path / "demo", tmp_path / "demo.duckdb"
    assert main(["demo-data", "--out", str(out), "--cases", "3000"]) == 0
    files = sorted(str(p) for p in out.iterdir())
    assert main(["ingest", *files, "--db", str(db)]) == 0
    printed = capsys.readouterr().out
    assert "personal data dropped: Họ và tên, Số CCCD, Số điện thoại, Địa chỉ, Email" in printed
    con = duckdb.connect(str(db), read_only=True)
    try:
        got = sorted(con.execute("SELECT file, record_key FROM rejects").fetchall())
        log = con.execute("SELECT sum(rows_read), sum(rows_accepted), sum(rows_rejected) "
                          "FROM load_log").fetchone()
        h03 = dict(con.execute("SELECT record_key, unit_id FROM rejects "
                               "WHERE file = 'cases_DEMO-H03.xlsx'").fetchall())
        pii = con.execute("SELECT count(*) FROM information_schema.columns WHERE "
                          "column_name ILIKE '%cccd%' OR column_name ILIKE '%phone%'").fetchone()
    finally:
        con.close()
    assert got == sorted((f, key) for f, key, _ in BAD_ROWS)
    assert log[0] == log[1] + log[2] and log[2] == len(BAD_ROWS)
    assert pii == (0,)
    # the district's rejected row is listed under the district (its report shows it)
    assert h03["DEMO-HS-BAD09"] == "DEMO-H03"
    # loading the same files again changes nothing
    assert main(["ingest", *files, "--db", str(db)]) == 0
    assert "unchanged cases_2025.csv" in capsys.readouterr().out
