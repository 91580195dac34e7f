"""Ingest: every validation rule with a bad row and its reason, reconciliation, idempotent reload,
replacement, a load killed midway, and the read-only helper."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from scorecard.cli import main
from scorecard.ingest import ingest_files
from scorecard.store import StoreError, connect_readonly, open_writer

from .conftest import CASE_HEADER, case_line


def _rejects(db: Path, file: str) -> dict[int, tuple[str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT row_number, column_name, reason FROM rejects WHERE file = ? ORDER BY 1",
            [file]).fetchall()
    finally:
        con.close()
    return {r: (c, reason) for r, c, reason in rows}


def _all_reasons_have_vietnamese_wording(db: Path) -> None:
    """Reports show reasons in Vietnamese: every part of every stored reason has a wording."""
    from scorecard.reasons import reason_vi

    con = duckdb.connect(str(db), read_only=True)
    try:
        reasons = [r for (r,) in con.execute("SELECT DISTINCT reason FROM rejects").fetchall()]
    finally:
        con.close()
    assert reasons
    for reason in reasons:
        for en, vi in zip(reason.split("; "), reason_vi(reason).split("; "), strict=True):
            assert vi != en, en


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_each_case_rule_rejects_its_row_with_reason(tmp_path: Path, base_files, db: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(
        CASE_HEADER
        + case_line("OK1")                                                        # row 2: valid
        + case_line("B1", due="2025-02-01 08:00")                                 # 3: due < received
        + case_line("B2", resolved="2025-02-01 09:00")                            # 4: resolved < received
        + case_line("B3", unit="NOPE")                                            # 5: unknown unit
        + case_line("B4", proc="9.999")                                           # 6: unknown procedure
        + case_line("B5", resolved="")                                            # 7: resolved, no date
        + case_line("B6", status="pending")                                       # 8: pending with date
        + case_line("B7", received="2025-13-45")                                  # 9: not a date
        + case_line("B8", channel="fax")                                          # 10: bad channel
        + case_line("OK1", proc="1.002")                                          # 11: duplicate id
        + case_line("B9", supp="-1")                                              # 12: negative count
        + case_line("B10", status="lost")                                         # 13: bad status
        + case_line("B11", rating="meh")                                          # 14: bad rating
        + case_line("", unit="X2")                                                # 15: no case id
        + case_line("OK2", status="withdrawn", rating=""),                        # 16: valid
        encoding="utf-8",
    )
    reports = ingest_files([base_files["units"], base_files["procedures"], cases], db=db)
    rep = {r.file.name: r for r in reports}["cases.csv"]
    assert (rep.rows_read, rep.rows_accepted, rep.rows_rejected) == (15, 2, 13)
    got = _rejects(db, "cases.csv")
    expected = {
        3: ("due_at", "due date is before the received date"),
        4: ("resolved_at", "finished before it was received"),
        5: ("unit_id", "unit_id: not a known unit id"),
        6: ("procedure_id", "procedure_id: not a known procedure id"),
        7: ("status, resolved_at", "status and resolved_at disagree"),
        8: ("status, resolved_at", "status and resolved_at disagree"),
        9: ("received_at", "not a date/time"),
        10: ("channel", "not a valid channel"),
        11: ("case_id", "duplicate case_id"),
        12: ("supplement_requests", "supplement_requests must not be negative"),
        13: ("status", "not a valid status"),
        14: ("rating", "not a valid rating"),
        15: ("case_id", "case_id is required"),
    }
    assert set(got) == set(expected)
    for row, (col, reason) in expected.items():
        assert got[row][0] == col, row
        assert got[row][1].startswith(reason), (row, got[row][1])
    assert _count(db, "SELECT count(*) FROM cases") == 2
    # each rejected row names its unit (so the unit's report lists it): row 3 is X1's
    assert _count(db, "SELECT count(*) FROM rejects WHERE row_number = 3 AND unit_id = 'X1'") == 1
    assert _count(db, "SELECT count(*) FROM rejects WHERE row_number = 5 AND unit_id = 'NOPE'") == 1
    _all_reasons_have_vietnamese_wording(db)
    # read = accepted + rejected, in the log too
    assert _count(db, "SELECT count(*) FROM load_log WHERE rows_read <> rows_accepted + rows_rejected") == 0


def test_other_kinds_rules(tmp_path: Path, base_files, db: Path) -> None:
    form = tmp_path / "form06.csv"
    form.write_text(
        "unit_id,period,received_online,received_direct_postal,carried_over,resolved_early,"
        "resolved_on_time,resolved_late,pending_in_time,pending_overdue,received_total,"
        "resolved_total,pending_total\n"
        "X2,2025Q1,10,5,2,8,4,1,3,1,17,13,4\n"      # row 2: 17 = 10+5+2, 13 = 8+4+1, 4 = 3+1
        "X2,2025Q2,10,5,2,8,4,1,3,1,18,13,4\n"      # 3: received total wrong
        "X2,2025Q3,10,5,-2,8,4,1,3,1,,,\n"          # 4: negative count
        "X2,2025Q5,1,1,1,1,1,1,1,1,,,\n"            # 5: bad period id
        "X2,2025Q4,1,1,1,1,1,1,1,1,,2,\n",          # 6: resolved total wrong (3 ≠ 2)
        encoding="utf-8")
    fb = tmp_path / "feedback.csv"
    fb.write_text("feedback_id,unit_id,received_at,due_at,resolved_at,satisfied\n"
                  "F1,X1,2025-02-01,2025-02-10,2025-02-05,có\n"
                  "F2,X1,2025-02-01,2025-01-10,,\n"       # 3: due before received
                  "F3,ZZ,2025-02-01,2025-02-10,,\n",      # 4: unknown unit
                  encoding="utf-8")
    units2 = tmp_path / "units_extra.csv"
    units2.write_text("unit_id,name,level,parent_id\nX3,Xã Ba,commune,H1\nX4,Xã Bốn,hamlet,H1\n"
                      "X5,Xã Năm,commune,X5\nX6,Xã Sáu,commune,GHOST\n", encoding="utf-8")
    reports = ingest_files([form, fb, units2, *base_files.values()], db=db)
    assert [r.file.name for r in reports] == [  # referenced kinds first
        "units.csv", "units_extra.csv", "procedures.csv", "feedback.csv", "form06.csv"]
    f = _rejects(db, "form06.csv")
    assert f[3][1].startswith("received_total ≠") and f[6][1].startswith("resolved_total ≠")
    assert f[4] == ("carried_over", "carried_over must not be negative")
    assert f[5][0] == "period"
    assert set(f) == {3, 4, 5, 6}
    fbr = _rejects(db, "feedback.csv")
    assert set(fbr) == {3, 4} and fbr[4][0] == "unit_id"
    _all_reasons_have_vietnamese_wording(db)
    u = _rejects(db, "units_extra.csv")
    assert set(u) == {3, 4, 5}
    assert u[3][0] == "level" and u[4][1] == "a unit cannot be its own parent"
    assert u[5] == ("parent_id", "parent_id: not a known unit id")


def test_reload_is_idempotent_and_corrections_replace(tmp_path: Path, base_files, db: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(CASE_HEADER + case_line("A") + case_line("B", channel="direct"), encoding="utf-8")
    ingest_files([*base_files.values(), cases], db=db)
    before = _count(db, "SELECT count(*) FROM load_log")
    again = ingest_files([*base_files.values(), cases], db=db)
    assert {r.status for r in again} == {"unchanged"}
    assert _count(db, "SELECT count(*) FROM load_log") == before
    assert _count(db, "SELECT count(*) FROM cases") == 2
    # a corrected export: B now online, C new; same keys replace
    fixed = tmp_path / "cases_fixed.csv"
    fixed.write_text(CASE_HEADER + case_line("B", channel="online") + case_line("C"), encoding="utf-8")
    (rep,) = ingest_files([fixed], db=db)
    assert rep.status == "loaded" and rep.rows_accepted == 2
    assert _count(db, "SELECT count(*) FROM cases") == 3
    assert _count(db, "SELECT count(*) FROM cases WHERE case_id = 'B' AND channel = 'online'") == 1


def test_duplicates_across_chunks(tmp_path: Path, base_files, db: Path) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_text(CASE_HEADER + case_line("A") + case_line("B") + case_line("C")
                     + case_line("A", channel="direct"), encoding="utf-8")
    reports = ingest_files([*base_files.values(), cases], db=db, chunk_rows=2)
    rep = reports[-1]
    assert (rep.rows_read, rep.rows_accepted, rep.rows_rejected) == (4, 3, 1)
    assert _rejects(db, "cases.csv") == {5: ("case_id", "duplicate case_id: already at row 2 of this file")}
    assert _count(db, "SELECT count(*) FROM cases WHERE case_id='A' AND channel='online'") == 1


def test_a_load_killed_midway_leaves_the_store_as_it_was(tmp_path: Path, base_files, db: Path) -> None:
    ingest_files(base_files.values(), db=db)
    cases = tmp_path / "cases.csv"
    cases.write_text(CASE_HEADER + "".join(case_line(f"K{i}") for i in range(50)), encoding="utf-8")
    script = textwrap.dedent(f"""
        import os, signal
        from scorecard.ingest import ingest_files
        def die(file, rows):
            # the rows are staged inside the open transaction; a spill file is being written
            spill = os.path.join(os.path.dirname({str(db)!r}), ".{db.name}.tmp")
            os.makedirs(spill, exist_ok=True)
            open(os.path.join(spill, "duckdb_temp_storage-0.tmp"), "wb").write(b"x" * 4096)
            os.kill(os.getpid(), signal.SIGKILL)
        ingest_files([{str(cases)!r}], db={str(db)!r}, on_chunk=die)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL
    assert _count(db, "SELECT count(*) FROM cases") == 0
    assert _count(db, "SELECT count(*) FROM load_log WHERE kind = 'cases'") == 0
    assert (db.parent / f".{db.name}.tmp").is_dir()  # the killed load left its spill files
    # and the store still works: the same file loads fully afterwards, and the stale files go
    (rep,) = ingest_files([cases], db=db)
    assert rep.rows_accepted == 50
    assert not list((db.parent / f".{db.name}.tmp").glob("*"))


def test_failed_file_rolls_back_and_exit_code(tmp_path: Path, base_files, db: Path, capsys) -> None:
    bad = tmp_path / "cases.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    code = main(["ingest", str(base_files["units"]), str(bad), "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 1
    assert "FAILED   cases.csv: cases.csv: not UTF-8 text" in out
    assert "loaded   units.csv [units]: read 5, accepted 5, rejected 0" in out
    assert "total: read 5 = accepted 5 + rejected 0; files failed: 1" in out


def test_readonly_helper_messages(tmp_path: Path, base_files, db: Path) -> None:
    with pytest.raises(StoreError, match="store not found"):
        connect_readonly(tmp_path / "nothing.duckdb")
    ingest_files(base_files.values(), db=db)
    con = connect_readonly(db)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM units")
    con.close()
    # a writer in another process holds the lock: readers get a clear message, not a trace
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="locked by another process"):
            connect_readonly(db)
        with pytest.raises(StoreError, match="locked by another process"):
            open_writer(db)
    finally:
        holder.kill()
        holder.wait()
    os.environ.pop("SCORECARD_DB", None)


def test_an_older_store_gains_the_new_rejects_columns(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE rejects (load_id BIGINT NOT NULL, file VARCHAR NOT NULL, "
                "row_number BIGINT NOT NULL, column_name VARCHAR, value VARCHAR, "
                "reason VARCHAR NOT NULL)")
    con.execute("INSERT INTO rejects VALUES (1, 'a.csv', 2, 'x', 'y', 'z')")
    con.close()
    open_writer(db).close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [r[0] for r in con.execute("DESCRIBE rejects").fetchall()]
        kept = con.execute("SELECT count(*) FROM rejects").fetchone()[0]
    finally:
        con.close()
    assert cols[-2:] == ["record_key", "unit_id"] and kept == 1
