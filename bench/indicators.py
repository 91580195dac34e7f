"""Benchmark: compute_indicators (DuckDB) against the same computation in plain pandas.

    python bench/indicators.py --cases 10000000 [--data demo|synthetic] [--db PATH] [--seed 1]

``--data demo`` (default): the demo province (``scorecard.demo.generate_demo(seed=7,
formats="parquet")``, 144 units, 200 procedures, cases 15/11/2023–30/06/2025), generated once
into ``bench/out/`` and loaded into a cached store ``bench/out/indicators-demo-N.duckdb`` by
``INSERT INTO cases SELECT * FROM read_parquet(...)`` (the planted bad rows left out); quarters
2023Q3–2025Q2. ``--data synthetic``: N numpy cases over 2024–2025 (~640 units in a province →
departments/districts → communes tree, 2000 procedures), quarters 2024Q1–2025Q4, built each run
(a temp store unless ``--db``). Then it times

- ``compute_indicators`` for all units, both scopes, every indicator, all 8 quarters;
- the same 18 indicators in own scope through ``compute_indicators`` and in plain pandas (data
  already in memory, a loop over quarters, groupby per unit): the Biểu 06 counts and the main
  rates (on_time, early, late, online, digitized, e_result, satisfaction),

checks that both agree on those numbers, and prints seconds, the ratio and the machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from scorecard import store
from scorecard.indicators import compute_indicators
from scorecard.periods import period_window, periods_between

FIELDS = ("dat_dai", "xay_dung", "dau_tu", "ho_tich", "giao_thong", "y_te", "giao_duc",
          "lao_dong", "tu_phap", "cong_thuong")
START = np.datetime64("2024-01-01T00:00:00", "s")
DAYS = 731  # 2024-01-01 .. 2025-12-31
QUARTERS = [p.id for p in periods_between("2024Q1", "2025Q4")]
DEMO_QUARTERS = [p.id for p in periods_between("2023Q3", "2025Q2")]
OUT = Path(__file__).resolve().parent / "out"


def build_units() -> pd.DataFrame:
    rows = [("P", "Tỉnh DEMO", "province", None)]
    rows += [(f"S{i:02d}", f"Sở {i}", "department", "P") for i in range(30)]
    for d in range(12):
        rows.append((f"H{d:02d}", f"Huyện {d}", "district", "P"))
        rows += [(f"H{d:02d}X{x:02d}", f"Xã {d}.{x}", "commune", f"H{d:02d}") for x in range(50)]
    return pd.DataFrame(rows, columns=["unit_id", "name", "level", "parent_id"])


def build_store(con: duckdb.DuckDBPyConnection, n_cases: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    store.create_schema(con)
    units = build_units()
    con.register("units_df", units)
    con.execute("INSERT INTO units BY NAME SELECT * FROM units_df")
    n_proc = 2000
    procs = pd.DataFrame({
        "procedure_id": [f"1.{i:06d}" for i in range(n_proc)],
        "name": [f"Thủ tục {i}" for i in range(n_proc)],
        "field": rng.choice(FIELDS, n_proc),
        "online_service": rng.choice(["full", "partial", "none"], n_proc, p=[0.5, 0.3, 0.2]),
        "has_fee": rng.random(n_proc) < 0.4,
        "payment_integrated": rng.random(n_proc) < 0.6,
        "at_one_stop": rng.random(n_proc) < 0.9,
        "four_on_spot": rng.random(n_proc) < 0.2,
        "has_sample_dossier": rng.random(n_proc) < 0.7,
        "e_process_configured": rng.random(n_proc) < 0.8,
    })
    con.register("procs_df", procs)
    con.execute("INSERT INTO procedures BY NAME SELECT * FROM procs_df")
    depts = units[units["level"] == "department"]["unit_id"].to_numpy()
    up = pd.DataFrame({"unit_id": np.repeat(depts, 60),
                       "procedure_id": [f"1.{i:06d}" for i in
                                        (np.arange(len(depts) * 60) * 7) % n_proc]})
    con.register("up_df", up.drop_duplicates())
    con.execute("INSERT INTO unit_procedures SELECT * FROM up_df")

    unit_ids = units["unit_id"].to_numpy()
    n = n_cases
    received = START + rng.integers(0, DAYS * 86400, n).astype("timedelta64[s]")
    due = received + (rng.integers(1, 30, n) * 86400).astype("timedelta64[s]")
    took = rng.integers(0, 40 * 86400, n).astype("timedelta64[s]")
    resolved = received + took
    status = rng.choice(["resolved", "withdrawn", "refused", "pending"], n,
                        p=[0.86, 0.03, 0.01, 0.10])
    pending = status == "pending"
    unit_idx = rng.integers(0, len(unit_ids), n)
    cases = pd.DataFrame({
        "case_id": np.char.add("C", np.arange(n).astype(str)),
        "unit_id": unit_ids[unit_idx],
        # each unit handles its own ~150 procedures (a commune does not see all 2000)
        "procedure_id": procs["procedure_id"].to_numpy()[
            (unit_idx * 37 + rng.integers(0, 150, n)) % n_proc],
        "received_at": received,
        "due_at": due,
        "resolved_at": pd.Series(resolved).where(~pending),
        "status": status,
        "channel": rng.choice(["online", "direct", "postal"], n, p=[0.45, 0.5, 0.05]),
        "supplement_requests": rng.integers(0, 3, n).astype("int32"),
        "digitized": rng.random(n) < 0.8,
        "e_result": rng.random(n) < 0.7,
        "reused_data": rng.random(n) < 0.5,
        "fee_required": rng.random(n) < 0.4,
        "paid_online": rng.random(n) < 0.5,
        "apology_issued": rng.random(n) < 0.6,
        "rating": pd.Series(rng.choice(["very_satisfied", "satisfied", "dissatisfied", ""], n,
                                       p=[0.3, 0.3, 0.05, 0.35])).replace("", None),
    })
    con.register("cases_df", cases)
    con.execute("INSERT INTO cases BY NAME SELECT * FROM cases_df")
    m = max(1, n // 50)
    fb_recv = START + rng.integers(0, DAYS * 86400, m).astype("timedelta64[s]")
    fb = pd.DataFrame({
        "feedback_id": np.char.add("F", np.arange(m).astype(str)),
        "unit_id": unit_ids[rng.integers(0, len(unit_ids), m)],
        "received_at": fb_recv,
        "due_at": fb_recv + np.timedelta64(15, "D"),
        "resolved_at": fb_recv + rng.integers(0, 25 * 86400, m).astype("timedelta64[s]"),
        "satisfied": pd.Series(rng.random(m) < 0.9).where(rng.random(m) < 0.7),
    })
    con.register("fb_df", fb)
    con.execute("INSERT INTO feedback SELECT * FROM fb_df")
    for name in ("units_df", "procs_df", "up_df", "cases_df", "fb_df"):
        con.unregister(name)


def demo_folder(n_cases: int) -> Path:
    """A folder with the demo province's ``cases.parquet`` of ``n_cases`` cases (seed 7).

    Reuses ``bench/out/data-N`` (bench/common.py's cache, same seed) when it holds the parquet
    file; otherwise generates ``bench/out/indicators-data-N`` with parquet cases only.
    """
    shared = OUT / f"data-{n_cases}"
    if (shared / ".complete").exists() and (shared / "cases.parquet").exists():
        return shared
    own = OUT / f"indicators-data-{n_cases}"
    if not (own / ".complete").exists():
        from scorecard.demo import generate_demo

        t0 = time.perf_counter()
        generate_demo(own, seed=7, cases=n_cases, formats="parquet")
        (own / ".complete").write_text("ok")
        print(f"generated demo data in {time.perf_counter() - t0:.1f} s ({own})")
    return own


def build_demo_store(db: Path, n_cases: int) -> None:
    """Load the demo folder into a fresh store at ``db`` (skipping the planted bad rows)."""
    folder = demo_folder(n_cases)
    tmp = db.with_suffix(".tmp")
    if tmp.exists():
        tmp.unlink()
    with duckdb.connect(str(tmp)) as con:
        store.create_schema(con)
        con.execute("SET enable_progress_bar = false")
        for table in ("units", "procedures", "unit_procedures"):
            con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM read_csv(?, header = true)",
                        [str(folder / f"{table}.csv")])
        con.execute("INSERT INTO feedback BY NAME SELECT * FROM read_csv(?, header = true) "
                    "WHERE feedback_id NOT LIKE '%BAD%'", [str(folder / "feedback.csv")])
        cols = ", ".join(r[0] for r in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'form06' "
            "ORDER BY column_index").fetchall())
        con.execute(f"INSERT INTO form06 SELECT {cols} FROM read_csv(?, header = true)",
                    [str(folder / "form06.csv")])
        con.execute("INSERT INTO cases BY NAME SELECT * FROM read_parquet(?) "
                    "WHERE case_id NOT LIKE 'DEMO-HS-BAD%'", [str(folder / "cases.parquet")])
    tmp.rename(db)


def pandas_indicators(cases: pd.DataFrame, quarters: list[str]) -> pd.DataFrame:
    """Biểu 06 counts and the main rates per unit × quarter (own scope), plain pandas."""
    r = cases["received_at"].dt.normalize()
    d = cases["due_at"].dt.normalize()
    f = cases["resolved_at"].dt.normalize()
    status = cases["status"]
    online = cases["channel"] == "online"
    digitized = cases["digitized"].fillna(False).astype(bool)
    e_result = cases["e_result"].fillna(False).astype(bool)
    rating = cases["rating"]
    out = []
    for q in quarters:
        first, last = (pd.Timestamp(x) for x in period_window(q))
        rel = (r <= last) & (f.isna() | (f >= first))
        rec = rel & (r >= first)
        res = rel & (status == "resolved") & (f <= last)
        pend = rel & (f.isna() | (f > last))
        frame = pd.DataFrame({
            "unit_id": cases["unit_id"],
            "received": rec, "received_online": rec & online,
            "carried_over": rel & (r < first),
            "resolved": res, "resolved_early": res & (f < d), "resolved_on_time": res & (f == d),
            "resolved_late": res & (f > d),
            "residual": rel & status.isin(["withdrawn", "refused"]) & (f <= last),
            "pending": pend, "pending_in_time": pend & (d >= last),
            "pending_overdue": pend & (d < last),
            "received_digitized": rec & digitized, "resolved_e_result": res & e_result,
            "rated": res & rating.notna(),
            "rated_satisfied": res & rating.isin(["satisfied", "very_satisfied"]),
        })[rel]
        g = frame.groupby("unit_id").sum()
        g["period"] = q
        out.append(g)
    facts = pd.concat(out).reset_index()

    def rate(num: pd.Series, den: pd.Series) -> pd.Series:
        return (num / den.where(den > 0)).astype("float64")

    facts["on_time_rate"] = rate(facts["resolved_early"] + facts["resolved_on_time"],
                                 facts["resolved"])
    facts["early_rate"] = rate(facts["resolved_early"], facts["resolved"])
    facts["late_rate"] = rate(facts["resolved_late"], facts["resolved"])
    facts["online_rate"] = rate(facts["received_online"], facts["received"])
    facts["digitized_rate"] = rate(facts["received_digitized"], facts["received"])
    facts["e_result_rate"] = rate(facts["resolved_e_result"], facts["resolved"])
    facts["satisfaction_rate"] = rate(facts["rated_satisfied"], facts["rated"])
    return facts


CHECKED = ("received", "received_online", "carried_over", "resolved", "resolved_early",
           "resolved_on_time", "resolved_late", "residual", "pending", "pending_in_time",
           "pending_overdue", "on_time_rate", "early_rate", "late_rate", "online_rate",
           "digitized_rate", "e_result_rate", "satisfaction_rate")


def machine() -> str:
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {mem} RAM, "
            f"load average {load} (other processes share the cores), "
            f"python {platform.python_version()}, duckdb {duckdb.__version__}, "
            f"pandas {pd.__version__}")


def _runs(ts: list[float]) -> str:
    return f"best {min(ts):.2f} s (runs: {', '.join(f'{t:.2f}' for t in ts)})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--data", choices=("demo", "synthetic"), default="demo")
    ap.add_argument("--seed", type=int, default=1, help="seed of the synthetic data")
    ap.add_argument("--db", type=Path, default=None,
                    help="store path (demo: cached under bench/out; synthetic: a temp file)")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic store afterwards")
    ap.add_argument("--reuse", action="store_true",
                    help="synthetic: reuse the store at --db if it exists")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs (best is reported)")
    ap.add_argument("--no-pandas", action="store_true", help="time DuckDB only")
    args = ap.parse_args(argv)

    tmp = ""
    print(f"machine: {machine()}")
    t0 = time.perf_counter()
    if args.data == "demo":
        quarters = DEMO_QUARTERS
        OUT.mkdir(parents=True, exist_ok=True)
        db = args.db or OUT / f"indicators-demo-{args.cases}.duckdb"
        if not db.exists():
            build_demo_store(db, args.cases)
            print(f"loaded the demo store in {time.perf_counter() - t0:.1f} s ({db})")
        else:
            print(f"demo store cached: {db}")
    else:
        quarters = QUARTERS
        tmp = tempfile.mkdtemp(prefix="bench_ind_") if args.db is None else ""
        db = args.db or Path(tmp) / "bench.duckdb"
        if args.reuse and db.exists():
            print(f"synthetic store reused: {db}")
        else:
            if db.exists():
                db.unlink()
            with duckdb.connect(str(db)) as con:
                build_store(con, args.cases, args.seed)
            print(f"built {args.cases:,} synthetic cases in {time.perf_counter() - t0:.1f} s "
                  f"({db})")

    con = store.connect_readonly(db)
    con.execute("SET enable_progress_bar = false")
    n_cases, n_units = con.execute(
        "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM units)").fetchone()
    print(f"data: {args.data}, {n_cases:,} cases, {n_units} units, quarters "
          f"{quarters[0]}–{quarters[-1]}")
    t_full, t_same = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        duck = compute_indicators(con, quarters)
        t_full.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        compute_indicators(con, quarters, indicators=CHECKED, scopes=("own",))
        t_same.append(time.perf_counter() - t0)
    n_ind = len(duck["indicator"].unique())
    print(f"duckdb, full catalogue ({n_ind} indicators, own+tree, {len(quarters)} quarters, "
          f"{len(duck):,} tidy rows): {_runs(t_full)}")
    print(f"duckdb, same {len(CHECKED)} indicators as pandas (own): {_runs(t_same)}")
    bad: list[str] = []
    if not args.no_pandas:
        t0 = time.perf_counter()
        cases = con.execute("SELECT * FROM cases").df()
        t_load = time.perf_counter() - t0
        t_pd = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            pdf = pandas_indicators(cases, quarters)
            t_pd.append(time.perf_counter() - t0)
        del cases
        print(f"pandas load (SELECT * FROM cases → DataFrame, not counted below): {t_load:.2f} s")
        print(f"pandas, same {len(CHECKED)} indicators (own, cases already in memory): "
              f"{_runs(t_pd)}")
        print(f"ratio pandas / duckdb: same indicators {min(t_pd) / min(t_same):.1f}x, "
              f"pandas same indicators / duckdb full catalogue {min(t_pd) / min(t_full):.1f}x; "
              f"with the pandas load counted: {(min(t_pd) + t_load) / min(t_same):.1f}x")
        # both must agree on what both computed
        own = duck[duck["scope"] == "own"].pivot_table(
            index=["unit_id", "period"], columns="indicator", values="value", dropna=False)
        merged = pdf.set_index(["unit_id", "period"])[list(CHECKED)].merge(
            own[list(CHECKED)], left_index=True, right_index=True, how="left",
            suffixes=("", "_duck"))
        bad = [c for c in CHECKED
               if not np.allclose(merged[c].astype(float), merged[f"{c}_duck"].astype(float),
                                  equal_nan=True)]
        print("agreement: " + ("all checked indicators equal" if not bad
                               else f"MISMATCH in {bad}"))
    goal = min(t_full) < 5 and (args.no_pandas or min(t_full) < min(t_pd))
    verdict = "met" if goal else "NOT met"
    if args.cases < 10_000_000:  # the issue sets the goal at 10M; small runs are fixed-cost bound
        verdict += " at this size (the goal is judged at 10M cases)"
    print(f"goal (full catalogue under 5 s and faster than pandas): {verdict}")
    con.close()
    if tmp and not args.keep:
        shutil.rmtree(tmp)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
