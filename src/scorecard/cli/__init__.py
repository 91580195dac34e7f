"""The `scorecard` command: argument parsing only; every command calls library functions.

Each sub-command is a pair: ``_add_<name>(subparsers)`` declares its options and
``_run_<name>(args) -> int`` runs it. Errors the user can fix (unknown period, plan, unit, missing
store) end with a one-line reason on stderr and a non-zero exit code, never a stack trace.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from pathlib import Path

from scorecard.config import DEFAULT_DB


class UserError(Exception):
    """An error the user can fix; printed as one line."""


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB store (default {DEFAULT_DB})")


#: ``--raw`` of the running command: CSV cells exactly as stored (set by :func:`main`).
RAW_CSV: ContextVar[bool] = ContextVar("RAW_CSV", default=False)


def _format_option(p: argparse.ArgumentParser, default: str = "table") -> None:
    p.add_argument("--format", choices=("csv", "json", "table"), default=default)
    p.add_argument("--raw", action="store_true",
                   help="with --format csv: text exactly as stored (by default text starting "
                        "with = + - @ tab or CR gets a ' in front so spreadsheets keep it text)")


def print_frame(df, fmt: str, *, raw: bool | None = None) -> None:  # type: ignore[no-untyped-def]
    """Print a frame as csv, json (records) or an aligned table.

    CSV text that a spreadsheet could run as a formula gets a ``'`` in front
    (:func:`scorecard.formulas.neutralise_frame`; numbers stay numbers) unless ``raw`` (default:
    the command's ``--raw``).
    """
    if fmt == "csv":
        from scorecard.formulas import neutralise_frame

        if not (RAW_CSV.get() if raw is None else raw):
            df = neutralise_frame(df)
        sys.stdout.write(df.to_csv(index=False))
    elif fmt == "json":
        sys.stdout.write(df.to_json(orient="records", force_ascii=False, date_format="iso"))
        sys.stdout.write("\n")
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200):
            sys.stdout.write(df.to_string(index=False) + "\n")


# ---------------------------------------------------------------- ingest (data layer)
def _add_ingest(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("ingest", help="load CSV/XLSX/Parquet files (and DVCQG JSON) into the store")
    p.add_argument("files", nargs="+", type=Path)
    from scorecard.store import KINDS

    p.add_argument("--kind", choices=KINDS, help="kind of every file (default: from name/headers)")
    p.add_argument("--source", metavar="PROFILE",
                   help="read every file through this source profile (params/sources/<PROFILE>"
                        ".yaml, e.g. dvcqg: the national portal's dossier format); by default "
                        "JSON files and files with a profile's fields are detected")
    p.add_argument("--unit", metavar="UNIT_ID",
                   help="the unit of the cases of a source-profile file that name no unit of "
                        "the store (a unit's own export without a unit field)")
    p.add_argument("--pseudonym-key-file", type=Path, metavar="FILE",
                   help="the applicant pseudonym key (first line of FILE); default "
                        "$SCORECARD_PSEUDONYM_KEY or $SCORECARD_PSEUDONYM_KEY_FILE; without a "
                        "key ID-number columns are dropped")
    p.add_argument("--plans", type=Path, metavar="DIR",
                   help="where the plans' task registers are (task_status rows are checked "
                        "against them; default the project's params/plans)")
    _db_option(p)


def _run_ingest(args: argparse.Namespace) -> int:
    from scorecard.ingest import ingest_files, print_reports
    from scorecard.pseudonym import load_key
    from scorecard.readers import ReadOptions

    options = ReadOptions(pseudonym_key=load_key(key_file=args.pseudonym_key_file),
                          default_unit=args.unit, plans_dir=args.plans)
    reports = ingest_files(args.files, db=args.db, kind=args.kind, source=args.source,
                           options=options)
    print_reports(reports)
    return 1 if any(r.failed for r in reports) else 0


# ---------------------------------------------------------------- index766 (national index)
def _add_index766(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("index766", help="the national service index (QĐ 766) per unit")
    p.add_argument("--period", required=True, help="YYYY-MM, YYYYQn or YYYY (calendar periods)")
    p.add_argument("--profile", default="portal-2024",
                   help="profile name in params/index766 or a YAML path (default portal-2024)")
    p.add_argument("--unit", action="append", help="only this unit (repeatable)")
    p.add_argument("--breakdown", action="store_true",
                   help="where the points went: one row per metric with its group, source "
                        "(computed/manual/none) and points lost")
    _db_option(p)
    _format_option(p)


def _run_index766(args: argparse.Namespace) -> int:
    from scorecard.index766 import (
        Index766Error,
        ProfileError,
        compute_index766,
        load_profile,
        points_breakdown,
    )
    from scorecard.periods import parse_period
    from scorecard.store import reading

    period = parse_period(args.period)
    try:
        profile = load_profile(args.profile)
        with reading(args.db) as con:
            df = compute_index766(con, period, profile, units=args.unit)
    except (ProfileError, Index766Error) as exc:
        raise UserError(str(exc)) from exc
    print_frame(points_breakdown(df) if args.breakdown else df, args.format)
    return 0


# ---------------------------------------------------------------- plans and evaluate
EVALUATE_COLUMNS = ["unit_id", "scope", "period", "target_id", "indicator", "value", "comparator",
                    "threshold", "status", "gap_cases", "clause"]


def _add_evaluate(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("evaluate", help="judge the store against a plan's targets for a period")
    p.add_argument("--plan", required=True, help="plan file or plan_id (see `scorecard plans`)")
    p.add_argument("--period", required=True, help="period id: 2025Q1, 2025-03 or 2025")
    p.add_argument("--calendar", choices=("calendar", "nd09"), default=None,
                   help="period windows (default: the plan's calendar)")
    p.add_argument("--unit", action="append", default=None, metavar="U",
                   help="only this unit_id (repeatable)")
    _db_option(p)
    _format_option(p)


#: Columns the csv/json output adds (issue 9): how the target is judged, the dates its value
#: covers, the tally of units (share of units, pooled rows not judged) and why a row has no
#: verdict.
EVALUATE_JUDGING_COLUMNS = ["basis", "window_first", "window_last", "units_met", "units_judged",
                            "note"]


def _run_evaluate(args: argparse.Namespace) -> int:
    from scorecard.evaluate import EvaluateError, evaluate
    from scorecard.periods import parse_period
    from scorecard.plans import PlanError, find_plan

    try:
        plan = find_plan(args.plan)
        period = parse_period(args.period)
        df = evaluate(plan, period, args.db, calendar=args.calendar, units=args.unit)
    except (PlanError, EvaluateError) as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    extra = ["unit_name", "level", "numerator", "denominator", "label", "flag"]
    if args.format == "table":
        cols = EVALUATE_COLUMNS + ["note"]
    else:
        cols = EVALUATE_COLUMNS + extra + ["text"] + EVALUATE_JUDGING_COLUMNS
    print_frame(df[cols], args.format)
    return 0


def _add_plans(sub) -> None:  # type: ignore[no-untyped-def]
    from scorecard.config import PLANS_DIR

    p = sub.add_parser("plans", help="list the plan files and their targets")
    p.add_argument("--dir", type=Path, default=PLANS_DIR, help=f"plan directory (default {PLANS_DIR})")
    _format_option(p)


def _run_plans(args: argparse.Namespace) -> int:
    import pandas as pd

    from scorecard.plans import PlanError, list_plans

    try:
        plans = list_plans(args.dir)
    except PlanError as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    rows = []
    for plan in plans:
        for t in plan.targets:
            rows.append({
                "plan_id": plan.plan_id, "target_id": t.id, "indicator": t.indicator,
                "measure": t.measure, "comparator": t.comparator, "threshold": t.threshold,
                "levels": ",".join(t.levels or ()), "fields": ",".join(t.fields),
                "valid_from": t.valid_from, "valid_to": t.valid_to, "clause": t.clause,
                "flag": "yes" if t.flag else "",
            })
    if args.format == "table":
        for plan in plans:
            date = plan.document_date.strftime("%d/%m/%Y") if plan.document_date else "(để trống)"
            print(f"{plan.plan_id}: {plan.issuer}, số {plan.document_number or '(để trống)'}, "
                  f"ngày {date}; calendar {plan.calendar}; {len(plan.targets)} targets "
                  f"[{plan.path}]")
        print()
    print_frame(pd.DataFrame(rows), args.format)
    return 0


# ---------------------------------------------------------------- tasks (plan assignments)
def _add_tasks(sub) -> None:  # type: ignore[no-untyped-def]
    from scorecard.tasks.judging import STATUSES

    p = sub.add_parser("tasks", help="a plan's assignments (Phụ lục nhiệm vụ) and their status "
                                     "at the end of a period")
    p.add_argument("--plan", required=True, help="plan file or plan_id (with its .tasks.yaml)")
    p.add_argument("--period", required=True, help="period id: 2025Q1, 2025-03 or 2025")
    p.add_argument("--unit", default=None, help="only the occurrences this unit leads")
    p.add_argument("--status", action="append", choices=STATUSES, default=None,
                   help="only occurrences with this status (repeatable)")
    p.add_argument("--calendar", choices=("calendar", "nd09"), default=None,
                   help="period windows (default: the plan's calendar)")
    p.add_argument("--format", choices=("csv", "table", "xlsx"), default="table")
    p.add_argument("--out", type=Path, default=None,
                   help="write to this file (required for xlsx; csv/table print otherwise)")
    _db_option(p)


def _run_tasks(args: argparse.Namespace) -> int:
    from scorecard.config import DEMO_MARKER
    from scorecard.outputs import write_text_atomic
    from scorecard.periods import parse_period
    from scorecard.plans import PlanError, find_plan
    from scorecard.store import reading
    from scorecard.tasks.display import TABLE_COLUMNS, display_frame, status_word
    from scorecard.tasks.progress import TaskError, task_statuses

    if args.format == "xlsx" and (args.out is None or args.out.suffix.lower() != ".xlsx"):
        raise UserError("--format xlsx needs --out FILE.xlsx")
    try:
        plan = find_plan(args.plan)
        with reading(args.db) as con:
            df = task_statuses(con, plan, args.period, args.calendar, args.unit)
    except (PlanError, TaskError) as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    if args.status:
        df = df[df["status"].isin(args.status)].reset_index(drop=True)
    if args.format == "xlsx":
        from scorecard.forms.tasks_xlsx import write_tasks_workbook

        period = parse_period(args.period)
        demo = df["unit_id"].dropna().astype(str).str.startswith(DEMO_MARKER + "-").any()
        out = write_tasks_workbook(df, args.out, title=plan.title, period_label=period.label_vi(),
                                   window=period.window(args.calendar or plan.calendar),
                                   demo=bool(demo))
        print(out)
        return 0
    if args.format == "csv":
        df = df.assign(status_vi=[status_word(s) for s in df["status"]])
        text = df.to_csv(index=False)
    else:
        import pandas as pd

        with pd.option_context("display.max_rows", None, "display.max_columns", None,
                               "display.width", 200):
            text = display_frame(df, TABLE_COLUMNS).to_string(index=False) + "\n"
    if args.out is not None:
        print(write_text_atomic(args.out, text))
    else:
        sys.stdout.write(text)
    return 0


# ---------------------------------------------------------------- form06 (Biểu 06 workbook)
def _add_form06(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("form06", help="write the official Biểu 06 (TT 01/2020/TT-VPCP) as .xlsx")
    p.add_argument("--period", required=True, help="YYYYQn, YYYY-MM or YYYY")
    p.add_argument("--unit", required=True, help="reporting unit id")
    p.add_argument("--by", choices=("field", "unit"), default="field",
                   help="one line per field (default) or per child unit")
    p.add_argument("--calendar", choices=("calendar", "nd09"), default="nd09",
                   help="reporting window (default nd09: 15th of the month before .. 14th)")
    p.add_argument("--receiving-unit", default=None,
                   help="'Đơn vị nhận báo cáo' text (default: the parent unit's name)")
    p.add_argument("--out", required=True, type=Path, help="the .xlsx file to write")
    _db_option(p)


def _run_form06(args: argparse.Namespace) -> int:
    from scorecard.forms.form06 import Form06Error, write_form06
    from scorecard.periods import parse_period
    from scorecard.store import reading

    period = parse_period(args.period)
    if args.out.suffix.lower() != ".xlsx":
        raise UserError(f"--out must be an .xlsx file, not {args.out}")
    try:
        with reading(args.db) as con:
            out = write_form06(con, period, args.unit, args.out, by=args.by,
                               calendar=args.calendar, receiving_unit=args.receiving_unit)
    except Form06Error as exc:
        raise UserError(str(exc)) from exc
    print(out)
    return 0


# ---------------------------------------------------------------- demo-data (synthetic province)
def _add_demo_data(sub) -> None:  # type: ignore[no-untyped-def]
    from scorecard.config import DEFAULT_DEMO_DIR

    p = sub.add_parser("demo-data", help="write a synthetic demo province (DỮ LIỆU MẪU)")
    p.add_argument("--out", type=Path, default=DEFAULT_DEMO_DIR,
                   help=f"output folder (default {DEFAULT_DEMO_DIR})")
    p.add_argument("--seed", type=int, default=2025, help="random seed (same seed, same bytes)")
    p.add_argument("--cases", type=int, default=200_000, help="number of cases (default 200000)")
    p.add_argument("--formats", default=None,
                   help="mixed (default: parquet 2024, Vietnamese CSV 2025, one district's xlsx) "
                        "or csv, parquet, csv,parquet (all cases in cases.csv / cases.parquet)")


def _run_demo_data(args: argparse.Namespace) -> int:
    from scorecard.demo import MIN_CASES, generate_demo, parse_formats

    try:
        parse_formats(args.formats)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    if args.cases < MIN_CASES:
        raise UserError(f"--cases must be at least {MIN_CASES} (got {args.cases})")
    summary = generate_demo(args.out, seed=args.seed, cases=args.cases, formats=args.formats)
    print(f"Synthetic sample data (DỮ LIỆU MẪU) written to {summary.out} "
          f"(seed {summary.seed}, layout {summary.layout}):")
    for name, rows in summary.files.items():
        print(f"  {name}: {rows} rows")
    print(f"  {len(summary.bad_rows)} deliberately bad rows (listed in README.txt)")
    return 0


# ---------------------------------------------------------------- indicators
def _add_indicators(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("indicators", help="compute the indicator catalogue for a period")
    p.add_argument("--period", required=True, help="2025Q1, 2025-03 or 2025")
    p.add_argument("--calendar", choices=("calendar", "nd09"), default="calendar")
    p.add_argument("--unit", help="only this unit (its own and tree rows)")
    p.add_argument("--field", nargs="+", default=None, help="restrict to these field codes")
    p.add_argument("--indicator", nargs="+", default=None, help="indicator ids (default: all)")
    p.add_argument("--variant", action="append", default=[], metavar="ID=NAME",
                   help="denominator variant, e.g. on_time_rate=processed (repeatable)")
    _db_option(p)
    _format_option(p)


def _run_indicators(args: argparse.Namespace) -> int:
    from scorecard.indicators import IndicatorError, compute_indicators
    from scorecard.periods import parse_period
    from scorecard.store import connect_readonly

    period = parse_period(args.period)
    variants = {}
    for item in args.variant:
        iid, sep, name = item.partition("=")
        if not sep or not iid or not name:
            raise UserError(f"--variant expects ID=NAME, got {item!r}")
        variants[iid.strip()] = name.strip()
    con = connect_readonly(args.db)
    try:
        units = None
        if args.unit:
            known = con.execute("SELECT count(*) FROM units WHERE unit_id = ?",
                                [args.unit]).fetchone()
            if not known or not known[0]:
                raise UserError(f"unknown unit {args.unit!r} (not in the store's units)")
            units = [args.unit]
        try:
            df = compute_indicators(con, [period], args.calendar, fields=args.field,
                                    units=units, indicators=args.indicator,
                                    variants=variants or None)
        except IndicatorError as exc:
            raise UserError(str(exc)) from exc
    finally:
        con.close()
    print_frame(df, args.format)
    return 0


# ---------------------------------------------------------------- render (reports)
def _render_options(p) -> None:  # type: ignore[no-untyped-def]
    from scorecard.config import DEFAULT_REPORTS_DIR

    p.add_argument("--out", type=Path, default=DEFAULT_REPORTS_DIR,
                   help=f"reports folder (default {DEFAULT_REPORTS_DIR})")
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--timeout", type=float, default=600,
                   help="seconds allowed per notebook (default 600)")
    p.add_argument("--executor", choices=("local", "fresh", "dask"), default="local",
                   help="local: one warm kernel per worker (default); fresh: plain papermill, "
                        "a new kernel per notebook; dask: Dask distributed workers (a local "
                        "cluster of --workers processes unless --scheduler is given)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _add_render(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser(
        "render", help="render the scorecard reports of a plan and period (HTML, index, xlsx)",
        epilog="Tests inject failures with SCORECARD_RENDER_FAIL_FOR=unit_id[,unit_id].")
    p.add_argument("--plan", required=True, help="plan file or plan_id")
    p.add_argument("--period", required=True, help="period id, e.g. 2025Q2")
    p.add_argument("--units", nargs="+", help="only these unit ids")
    p.add_argument("--level", choices=("province", "department", "district", "commune"),
                   help="only units at this level")
    p.add_argument("--calendar", choices=("calendar", "nd09"), help="default: the plan's")
    p.add_argument("--only-failed", action="store_true", help="rerun the units that failed")
    p.add_argument("--force", action="store_true", help="render unchanged units too")
    _render_options(p)
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --executor dask: a running Dask scheduler (tcp://host:8786)")
    p.add_argument("--stage-dir", type=Path, metavar="PATH",
                   help="with --executor dask: folder on a filesystem every worker sees at the "
                        "same path; the store snapshot is copied there instead of being sent "
                        "through the scheduler")
    _db_option(p)


def _print_batch(res) -> None:  # type: ignore[no-untyped-def]
    ok = sum(r.status == "ok" for r in res.results)
    print(f"rendered {len(res.results)} report(s) in {res.seconds:.1f} s "
          f"({res.rate:.1f}/s): ok {ok}, failed {len(res.failed)}, "
          f"skipped (unchanged) {len(res.skipped)}")
    for r in res.failed:
        first = (r.error or "").splitlines()[0] if r.error else "failed"
        print(f"  FAILED {r.unit_id}: {first}", file=sys.stderr)
    print(f"manifest: {res.manifest}")
    print(f"summary:  {res.summary}")
    print(f"index:    {res.index}")


def _run_render(args: argparse.Namespace) -> int:
    from scorecard.evaluate import EvaluateError
    from scorecard.plans import PlanError
    from scorecard.render import RenderError, render_batch

    options = {}
    if args.executor == "dask":
        options = {"scheduler": args.scheduler, "stage_dir": args.stage_dir}
    elif args.scheduler or args.stage_dir:
        raise UserError("--scheduler and --stage-dir need --executor dask")
    try:
        res = render_batch(
            args.plan, args.period, db=args.db, units=args.units, level=args.level,
            workers=args.workers, out=args.out, calendar=args.calendar,
            only_failed=args.only_failed, force=args.force, timeout=args.timeout,
            executor=args.executor, executor_options=options, progress=not args.no_progress)
    except (RenderError, PlanError, EvaluateError) as exc:
        raise UserError(str(exc)) from exc
    _print_batch(res)
    return 1 if res.failed else 0


# ---------------------------------------------------------------- demo (the whole job)
def _add_demo(sub) -> None:  # type: ignore[no-untyped-def]
    from scorecard.config import DEFAULT_DEMO_DIR, DEFAULT_DEMO_PLAN, DEMO_DB

    p = sub.add_parser("demo", help="generate the demo province, load it, render 2025Q2 reports")
    p.add_argument("--plan", default=str(DEFAULT_DEMO_PLAN), help="plan (default Bắc Giang 2025)")
    p.add_argument("--period", default="2025Q2", help="period to render (default 2025Q2)")
    p.add_argument("--data", type=Path, default=DEFAULT_DEMO_DIR, help="demo files folder")
    p.add_argument("--cases", type=int, default=200_000, help="demo cases (default 200000)")
    p.add_argument("--db", type=Path, default=DEMO_DB,
                   help=f"demo store, rebuilt each time (default {DEMO_DB}); a file there "
                        "that the demo did not make is left alone")
    _render_options(p)


def _run_demo(args: argparse.Namespace) -> int:
    from scorecard.demo import generate_demo
    from scorecard.demo_store import create_demo_store, remove_demo_store
    from scorecard.ingest import ingest_files
    from scorecard.late_list.schedule import demo_lists
    from scorecard.render import render_batch

    db = Path(args.db)
    remove_demo_store(db)  # only a store the demo made; anything else stops the demo, untouched
    print(f"1/3 generating the demo province (DỮ LIỆU MẪU) in {args.data} ...")
    summary = generate_demo(args.data, cases=args.cases)
    print(f"2/3 loading {len(summary.files)} files into {db} ...")
    create_demo_store(db)
    reports = ingest_files(sorted(p for p in Path(args.data).iterdir() if p.is_file()), db=db)
    failed = [r for r in reports if r.failed]
    if failed:
        raise UserError(f"loading the demo failed: {failed[0].file}: {failed[0].error}")
    lists = demo_lists(db, args.plan, args.period, reports_dir=args.out)  # before: II.8 reads them
    print(f"late lists of {args.period}: " + ", ".join(str(x.html) for x in lists))
    print(f"3/3 rendering {args.period} against {args.plan} ...")
    res = render_batch(args.plan, args.period, db=db, workers=args.workers, out=args.out,
                       timeout=args.timeout, executor=args.executor, force=True,
                       progress=not args.no_progress)
    _print_batch(res)
    print(res.index.resolve())
    return 1 if res.failed else 0


# ---------------------------------------------------------------- run (the quarterly job)
def _add_run(sub) -> None:  # type: ignore[no-untyped-def]
    from scorecard.config import RUN_FILE

    p = sub.add_parser(
        "run", help="the quarterly job: ingest new drops, render every plan, 766 index, Biểu 06",
        description="Reads a run file and does what is new since the last run: exit 0 when "
                    "all went well (or nothing was new), 1 when some units failed (listed; "
                    "rerun with --only-failed), 2 on a usage or data error.")
    p.add_argument("run_file", nargs="?", type=Path, default=RUN_FILE,
                   help=f"the run file (default {RUN_FILE}; the demo's: params/run-demo.yaml)")
    p.add_argument("--period", help="period for every output, e.g. 2025Q2 (default: the run "
                                    "file's, else the last complete quarter of each output)")
    p.add_argument("--only-failed", action="store_true",
                   help="rerun only the units that failed last time (no ingest)")
    p.add_argument("--force", action="store_true", help="run every step even if unchanged")


def _run_run(args: argparse.Namespace) -> int:
    from scorecard.run import run_quarterly, summary_lines
    from scorecard.runfile import load_run_file

    rf = load_run_file(args.run_file)
    res = run_quarterly(rf, period=args.period, only_failed=args.only_failed, force=args.force)
    for line in summary_lines(res):
        print(line)
    return res.exit_code
# ---------------------------------------------------------------- late-list (II.8) and leads
def _add_late_list(sub) -> None:  # type: ignore[no-untyped-def]
    from scorecard.config import DEFAULT_REPORTS_DIR

    p = sub.add_parser("late-list", help="the monthly list of late units (Excel notice + HTML)")
    p.add_argument("--month", required=True, help="the month, YYYY-MM")
    p.add_argument("--plan", help="plan file or plan_id: issuer, units and the plan recorded")
    p.add_argument("--out", type=Path, help="the .xlsx file (default reports/<month>/late-list.xlsx)")
    p.add_argument("--reports", type=Path, default=DEFAULT_REPORTS_DIR,
                   help=f"reports folder for the HTML page (default {DEFAULT_REPORTS_DIR})")
    p.add_argument("--calendar", choices=("calendar", "nd09"), default="calendar",
                   help="month window (default calendar: the 1st to the last day)")
    p.add_argument("--issuer", help="issuing authority printed on the notice (default: the plan's "
                                    "issuer, else from the root unit's name)")
    _db_option(p)


def _run_late_list(args: argparse.Namespace) -> int:
    from scorecard.late_list import month_of, produce_late_list
    from scorecard.plans import PlanError, find_plan

    month = month_of(args.month)
    if args.out is not None and args.out.suffix.lower() != ".xlsx":
        raise UserError(f"--out must be an .xlsx file, not {args.out}")
    try:
        plan = find_plan(args.plan) if args.plan else None
    except PlanError as exc:
        raise UserError(str(exc).splitlines()[0]) from None
    res = produce_late_list(args.db, month, out_xlsx=args.out, reports_dir=args.reports,
                            plan=plan, calendar=args.calendar, issuer=args.issuer)
    late = res.late
    print(f"{late.month.label_vi()}: {len(late.units)} unit(s) late, {late.late_cases} late "
          f"case(s), {late.with_apology} with an apology letter")
    print(f"xlsx: {res.xlsx}")
    print(f"html: {res.html}")
    return 0


def _add_leads(sub) -> None:  # type: ignore[no-untyped-def]
    p = sub.add_parser("leads", help="inspection leads: where on-time figures may hide late work "
                                     "(a reason to look, not a verdict)")
    p.add_argument("--period", required=True, help="2025Q2, 2025-06 or 2025")
    p.add_argument("--unit", action="append", default=None, metavar="U",
                   help="only this unit (repeatable); scores are always against the province")
    p.add_argument("--calendar", choices=("calendar", "nd09"), default="calendar")
    p.add_argument("--settings", type=Path, default=None,
                   help="lead settings (default params/leads.yaml)")
    p.add_argument("--all", action="store_true", help="every unit scored, not only flagged ones")
    p.add_argument("--evidence", action="store_true",
                   help="with --format csv/json: print the evidence (case ids) instead of scores")
    p.add_argument("--cases-shown", type=int, default=5, metavar="N",
                   help="case ids shown per flagged unit in the table (default 5)")
    _db_option(p)
    _format_option(p)


def _run_leads(args: argparse.Namespace) -> int:
    from scorecard.leads import compute_leads, load_settings
    from scorecard.periods import parse_period
    from scorecard.report.format import fmt_date
    from scorecard.store import reading

    period = parse_period(args.period)
    settings = load_settings(args.settings)
    with reading(args.db) as con:
        if args.unit:
            known = {r[0] for r in con.execute("SELECT unit_id FROM units").fetchall()}
            unknown = [u for u in args.unit if u not in known]
            if unknown:
                raise UserError(f"unknown unit {unknown[0]!r} (not in the store's units)")
        res = compute_leads(con, period, calendar=args.calendar, settings=settings,
                            units=args.unit)
    off = res.status[~res.status["active"]]
    shown = res.scores if args.all else res.flagged()
    if args.format != "table":
        for row in off.itertuples():
            print(f"lead {row.lead} off: {row.reason}", file=sys.stderr)
        print_frame(res.evidence if args.evidence else shown, args.format)
        return 0
    print(f"Leads {period.id} ({fmt_date(res.first)} - {fmt_date(res.last)}, {res.calendar}): "
          f"{res.caveat}")
    for row in res.status.itertuples():
        state = f"{row.units_flagged} unit(s) flagged" if row.active else f"OFF: {row.reason}"
        print(f"  {row.lead:30s} {state}")
    for note in res.notes:
        print(f"  note: {note}")
    if shown.empty:
        print("No unit flagged." if not args.all else "No unit scored.")
        return 0
    cols = ["lead", "unit_id", "unit_name", "cases_flagged", "cases_examined", "score", "z_adj",
            "flagged"]
    print()
    print_frame(shown[cols].round({"score": 2, "z_adj": 1}), "table")
    evidence = res.evidence.groupby(["lead", "unit_id"])["case_id"].apply(list).to_dict()
    for row in shown[shown["flagged"]].itertuples():
        cases = evidence.get((row.lead, row.unit_id), [])
        more = f" (+{len(cases) - args.cases_shown})" if len(cases) > args.cases_shown else ""
        print(f"\n{row.unit_id} {row.unit_name} [{row.lead}]\n  {row.sentence}\n  "
              f"cases: {', '.join(cases[:args.cases_shown])}{more}")
    return 0


# ---------------------------------------------------------------- registry
COMMANDS: dict[str, tuple[Callable, Callable]] = {
    "run": (_add_run, _run_run),
    "render": (_add_render, _run_render),
    "demo": (_add_demo, _run_demo),
    "indicators": (_add_indicators, _run_indicators),
    "demo-data": (_add_demo_data, _run_demo_data),
    "ingest": (_add_ingest, _run_ingest),
    "index766": (_add_index766, _run_index766),
    "form06": (_add_form06, _run_form06),
    "evaluate": (_add_evaluate, _run_evaluate),
    "plans": (_add_plans, _run_plans),
    "tasks": (_add_tasks, _run_tasks),
    "late-list": (_add_late_list, _run_late_list),
    "leads": (_add_leads, _run_leads),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scorecard",
        description="Compliance scorecards for the control of administrative procedures (TTHC).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add, _ in COMMANDS.values():
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _, run = COMMANDS[args.command]
    from scorecard.errors import ScorecardError

    RAW_CSV.set(bool(getattr(args, "raw", False)))
    try:
        return int(run(args) or 0)
    except (UserError, ScorecardError, FileNotFoundError) as exc:
        # every module's user-fixable error derives from ScorecardError: one line, no trace
        message = str(exc).splitlines()[0] if str(exc) else repr(exc)
        print(f"scorecard {args.command}: {message}", file=sys.stderr)
        return 2
