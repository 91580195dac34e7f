"""Property-based fuzzing of the readers through the public API and the CLI.

Random bytes, random CSV text (random header orders, English and Vietnamese headers, personal
data columns, ragged rows, huge fields, Vietnamese and other Unicode text, formula and path
look-alikes) in random encodings and delimiters, random Excel sheets and Parquet files, each
loaded into a copy of a small store, through ``scorecard.ingest.ingest_files`` or
``scorecard ingest``. Whatever the input:

- no traceback: a load report, a :class:`ScorecardError`, or (CLI) exit code 0, 1 or 2 with no
  "Traceback" on stderr;
- a loaded file reconciles: read = accepted + rejected, and ``load_log``/``rejects`` say the same;
- a file that failed leaves the store exactly as it was (every table, every row);
- nothing is written but the store itself: no stray staging file, nothing beside the input
  outside the store's folder, nothing in the working directory.

Profiles (``SCORECARD_FUZZ_PROFILE``): ``ci`` (default; a fixed seed through ``derandomize``,
30 examples per test, 10 for Excel and Parquet: about half a minute) and ``long`` (2000 examples
per test and a new random seed each run, an hour or more):
``SCORECARD_FUZZ_PROFILE=long .venv/bin/pytest tests/test_fuzz_ingest.py -p no:cacheprovider
--hypothesis-show-statistics``. ``SCORECARD_FUZZ_EXAMPLES=N`` sets the number of examples of
either profile. No example database is written (``database=None``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from scorecard.errors import ScorecardError
from scorecard.ingest import ingest_files
from tests.conftest import CASE_HEADER, PROCEDURES_CSV, UNITS_CSV, case_line

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.large_base_example,
                                      HealthCheck.filter_too_much])
settings.register_profile("ci", max_examples=30, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=2000, **_COMMON)
PROFILE = settings(settings.get_profile(os.environ.get("SCORECARD_FUZZ_PROFILE", "ci")),
                   **({"max_examples": int(os.environ["SCORECARD_FUZZ_EXAMPLES"])}
                      if os.environ.get("SCORECARD_FUZZ_EXAMPLES") else {}))

# ------------------------------------------------------------------ what files look like
#: Input columns per kind (README "Input formats"), a few Vietnamese headers, personal data.
COLUMNS = {
    "units": ["unit_id", "name", "level", "parent_id"],
    "procedures": ["procedure_id", "name", "field", "online_service", "has_fee",
                   "payment_integrated", "at_one_stop", "four_on_spot", "has_sample_dossier",
                   "e_process_configured"],
    "unit_procedures": ["unit_id", "procedure_id"],
    "cases": CASE_HEADER.strip().split(","),
    "feedback": ["feedback_id", "unit_id", "received_at", "due_at", "resolved_at", "satisfied"],
    "form06": ["unit_id", "period", "received_online", "received_direct_postal", "carried_over",
               "resolved_early", "resolved_on_time", "resolved_late", "pending_in_time",
               "pending_overdue"],
    "manual": ["unit_id", "period", "indicator", "value", "source"],
}
VIETNAMESE_HEADERS = ["Mã hồ sơ", "Mã đơn vị", "Mã thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả",
                      "Ngày có kết quả", "Trạng thái", "Kênh tiếp nhận", "Tên đơn vị", "Cấp"]
PERSONAL = ["Họ tên", "CCCD", "Số điện thoại", "Địa chỉ", "email"]
FILE_NAMES = ["units", "procedures", "unit_procedures", "cases", "hoso", "feedback", "pakn",
              "form06", "bieu06", "manual", "data"]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1", "cp1252"]
VI_LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
              "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ")

vietnamese = st.text(alphabet=VI_LETTERS, max_size=40)
known_ids = st.sampled_from(["P", "D1", "H1", "X1", "X2", "1.001", "1.002", "c1", "c2"])
dates = st.sampled_from(["2025-03-14", "2025-03-14 08:30", "2025-03-14T01:30:00Z",
                         "14/03/2025", "14/03/2025 08:30:15", "31/02/2025", "2025-13-01",
                         "0000-00-00", "1/1/1", "9999-12-31 23:59:59"])
words = st.sampled_from(["resolved", "pending", "withdrawn", "refused", "Đã giải quyết",
                         "online", "direct", "Trực tuyến", "true", "false", "Có", "Không",
                         "province", "commune", "tỉnh", "xã", "full", "none", "satisfied",
                         "2025Q1", "2025-03", "2025", "on_time_rate"])
hostile = st.sampled_from(['=HYPERLINK("http://x","y")', "+1+1", "@SUM(A1)", "-1-1",
                           "../../escape", "/tmp/abs", "<script>alert(1)</script>", "\x00",
                           'a"b', "a,b;c\td", "line\nbreak", "\r", "NaN", "None", "null",
                           "-0", "1e309", "١٢٣", "\ufeff", "\u202e"])
numbers = st.one_of(st.integers(-10**15, 10**15).map(str),
                    st.floats(allow_nan=True, allow_infinity=True).map(repr))
huge = st.sampled_from([300_000, 70_000]).map(lambda n: "Đ" * n)
values = st.one_of(st.just(""), known_ids, dates, words, numbers, vietnamese, hostile,
                   st.text(max_size=30), huge)


def plausible(column: str) -> st.SearchStrategy[str]:
    """Values that may well be valid for ``column`` (so that some rows load), or anything."""
    if column.endswith("_id") or column in ("unit", "procedure"):
        good = st.one_of(known_ids, st.text(alphabet="ABCXYZ0123456789.-_", min_size=1,
                                            max_size=12))
    elif column.endswith("_at") or column.startswith("period_"):
        good = st.sampled_from(["2025-03-14", "2025-03-20 10:00", "14/03/2025 08:30"])
    elif column in ("received_online", "received_direct_postal", "carried_over", "value",
                    "supplement_requests") or column.startswith(("resolved_", "pending_")):
        good = st.integers(0, 10**6).map(str)
    elif column in ("name", "field", "source", "indicator"):
        good = vietnamese
    elif column == "period":
        good = st.sampled_from(["2025Q1", "2025-03", "2025"])
    else:
        good = words
    return st.one_of(good, good, good, values)


@st.composite
def tables(draw) -> tuple[str, list[str], list[list[str]]]:
    """(file stem, header, rows) for a random kind: all its columns or some, in any order, with
    Vietnamese, personal-data and junk headers mixed in; rows mostly plausible, sometimes
    ragged (fewer or more fields than the header)."""
    kind = draw(st.sampled_from(sorted(COLUMNS)))
    cols = draw(st.one_of(st.just(COLUMNS[kind]),
                          st.lists(st.sampled_from(COLUMNS[kind]), unique=True,
                                   min_size=max(1, len(COLUMNS[kind]) - 3))))
    extra = draw(st.lists(st.sampled_from(VIETNAMESE_HEADERS + PERSONAL + ["", "x", "unit_id"]),
                          max_size=3))
    header = draw(st.permutations(cols + extra))
    fitting = st.tuples(*(plausible(c) for c in header)).map(list)
    ragged = st.lists(values, min_size=max(0, len(header) - 2), max_size=len(header) + 2)
    rows = draw(st.lists(st.one_of(fitting, fitting, fitting, ragged), max_size=8))
    stem = draw(st.sampled_from([kind, kind, *FILE_NAMES]))
    return stem, header, rows


# ------------------------------------------------------------------ the store and the checks
@pytest.fixture(scope="module")
def base_store(tmp_path_factory) -> Path:
    """A store with units, procedures and a few cases, to be copied for each example."""
    root = tmp_path_factory.mktemp("fuzz-base")
    (root / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    (root / "procedures.csv").write_text(PROCEDURES_CSV, encoding="utf-8")
    (root / "cases.csv").write_text(CASE_HEADER + case_line("c1") + case_line("c2", unit="X2"),
                                    encoding="utf-8")
    db = root / "base.duckdb"
    reports = ingest_files(sorted(root.glob("*.csv")), db=db)
    assert [r.status for r in reports] == ["loaded"] * 3
    return db


@contextlib.contextmanager
def _sandbox(base: Path) -> Iterator[tuple[Path, Path, Path]]:
    """(input folder, store folder, store): a fresh copy of the base store."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        inputs, store_dir = Path(tmp, "in"), Path(tmp, "store")
        inputs.mkdir()
        store_dir.mkdir()
        db = store_dir / "s.duckdb"
        shutil.copyfile(base, db)
        yield inputs, store_dir, db


def _state(db: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the store."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall()]
        return {n: sorted(map(repr, con.execute(f'SELECT * FROM "{n}"').fetchall()))
                for n in names}
    finally:
        con.close()


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _new_loads(db: Path, before: dict[str, list]) -> list[tuple[int, int, int, int]]:
    """(read, accepted, rejected, reject lines) of each load_log line added since ``before``."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT l.load_id, l.rows_read, l.rows_accepted, l.rows_rejected, "
            "(SELECT count(*) FROM rejects r WHERE r.load_id = l.load_id) FROM load_log l "
            "ORDER BY 1").fetchall()
    finally:
        con.close()
    return [tuple(r[1:]) for r in rows][len(before["load_log"]):]


def _load(path: Path, db: Path, via_cli: bool) -> list[str] | None:
    """Load ``path``; the statuses of its load (loaded, unchanged, failed, skipped), or None
    when the load raised a ScorecardError (the CLI: exited 2). Any other exception fails the
    test."""
    if not via_cli:
        try:
            reports = ingest_files([path], db=db)
        except ScorecardError:
            return None
        for r in reports:
            if r.status in ("loaded", "unchanged"):
                assert r.rows_read == r.rows_accepted + r.rows_rejected
        return [r.status for r in reports]
    from scorecard.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["ingest", str(path), "--db", str(db)])
    assert "Traceback" not in out.getvalue() + err.getvalue()
    assert code in (0, 1, 2), code
    if code == 2:
        assert err.getvalue().startswith("scorecard ingest: ")
        return None
    assert "total: read " in out.getvalue()  # the summary line: read = accepted + rejected
    return ["failed"] if code == 1 else ["loaded"]


def check_load(base: Path, name: str, payload: bytes, via_cli: bool) -> None:
    """Load one file into a copy of the base store and check every property."""
    cwd_before = set(os.listdir("."))
    with _sandbox(base) as (inputs, store_dir, db):
        path = inputs / name
        path.write_bytes(payload)
        before = _state(db)
        statuses = _load(path, db, via_cli)
        after = _state(db)
        event(f"{Path(name).suffix} {'error' if statuses is None else ','.join(statuses)}")
        if statuses is None or set(statuses) <= {"failed", "skipped", "unchanged"}:
            assert after == before  # a failed load leaves the store exactly as it was
        else:  # one new load_log line, reconciled, its rejects in the rejects table
            (load,) = _new_loads(db, before)
            read, accepted, rejected, reject_lines = load
            assert read == accepted + rejected and reject_lines == rejected
        assert _files(inputs) == {name}  # the input is only read
        assert _files(store_dir) <= {"s.duckdb", "s.duckdb.wal"}  # no stray staging file
    assert set(os.listdir(".")) == cwd_before


# ------------------------------------------------------------------ the properties
@PROFILE
@given(name=st.sampled_from(FILE_NAMES), suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]),
       payload=st.one_of(st.binary(max_size=4096),
                         st.binary(max_size=64).map(lambda b: b"PK\x03\x04" + b),
                         st.binary(max_size=64).map(lambda b: b"PAR1" + b + b"PAR1")),
       via_cli=st.booleans())
def test_random_bytes(base_store, name, suffix, payload, via_cli):
    check_load(base_store, name + suffix, payload, via_cli)


def _csv_bytes(header: list[str], rows: list[list[str]], delimiter: str, encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


@PROFILE
@given(table=tables(), delimiter=st.sampled_from([",", ",", ";", "\t"]),
       encoding=st.sampled_from(ENCODINGS), via_cli=st.booleans())
def test_random_csv(base_store, table, delimiter, encoding, via_cli):
    stem, header, rows = table
    check_load(base_store, f"{stem}.csv", _csv_bytes(header, rows, delimiter, encoding), via_cli)


@PROFILE
@given(table=tables(), cut=st.integers(0, 400), flips=st.lists(st.integers(0, 10**6),
                                                                max_size=6))
def test_damaged_csv(base_store, table, cut, flips):
    """A readable file, then cut short and with a few bytes changed."""
    stem, header, rows = table
    data = bytearray(_csv_bytes(header, rows, ",", "utf-8"))
    for pos in flips:
        if data:
            data[pos % len(data)] ^= 0x5A
    check_load(base_store, f"{stem}.csv", bytes(data[:len(data) - cut // 4]), False)


@settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 3))
@given(table=tables(), blank_rows=st.integers(0, 3), via_cli=st.booleans())
def test_random_xlsx(base_store, table, blank_rows, via_cli):
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    stem, header, rows = table
    wb = Workbook()
    ws = wb.active
    for _ in range(blank_rows):
        ws.append([])
    for row in [header, *rows]:  # test input, written raw (a formula stays a formula here)
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v)[:32_767] for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    check_load(base_store, f"{stem}.xlsx", buf.getvalue(), via_cli)


@settings(PROFILE, max_examples=max(10, PROFILE.max_examples // 3))
@given(table=tables(), typed=st.lists(st.sampled_from(["int", "float", "bool", "ts"]),
                                      max_size=4), via_cli=st.booleans())
def test_random_parquet(base_store, table, typed, via_cli):
    import pyarrow as pa
    import pyarrow.parquet as pq

    stem, header, rows = table
    header = list(dict.fromkeys(header))  # Parquet needs unique column names
    width = len(header)
    cols: dict[str, pa.Array] = {}
    for i, name in enumerate(header):
        cells = [r[i] if i < len(r) else None for r in rows]
        kind = typed[i] if i < len(typed) else "str"
        if kind == "int":
            cols[name] = pa.array([len(c or "") - 3 for c in cells], pa.int64())
        elif kind == "float":
            cols[name] = pa.array([float(len(c or "")) / 7 for c in cells], pa.float64())
        elif kind == "bool":
            cols[name] = pa.array([bool(c) for c in cells], pa.bool_())
        elif kind == "ts":
            cols[name] = pa.array([10**12 * len(c or "") for c in cells], pa.timestamp("us"))
        else:
            cols[name] = pa.array(cells, pa.string())
    buf = io.BytesIO()
    pq.write_table(pa.table(cols) if width else pa.table({"x": pa.array([], pa.string())}), buf)
    check_load(base_store, f"{stem}.parquet", buf.getvalue(), via_cli)
