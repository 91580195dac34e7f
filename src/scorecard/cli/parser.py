"""The argparse tree of the ``scorecard`` command: shared options and each sub-command's arguments.

``add_<name>(sub)`` declares one sub-command; :data:`SUBCOMMANDS` lists them in the order
``scorecard --help`` shows them. Option values stay as typed here (paths become
:class:`~pathlib.Path`); the handlers parse periods and plans.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from scorecard.config import DEFAULT_DB

#: What ``add_subparsers`` returns; each ``add_<name>`` adds its sub-command to it.
Subparsers = argparse._SubParsersAction


# ---------------------------------------------------------------- shared options
def db_option(p: argparse.ArgumentParser) -> None:
    """``--db``: the store."""
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB store (default {DEFAULT_DB})")


def format_option(p: argparse.ArgumentParser, default: str = "table") -> None:
    """``--format csv|json|table`` and ``--raw`` (see :func:`~scorecard.cli.output.print_frame`)."""
    p.add_argument("--format", choices=("csv", "json", "table"), default=default)
    p.add_argument("--raw", action="store_true",
                   help="with --format csv: text exactly as stored (by default text starting "
                        "with = + - @ tab or CR gets a ' in front so spreadsheets keep it text)")


def render_options(p: argparse.ArgumentParser) -> None:
    """The options ``render`` and ``demo`` share: reports folder, workers, timeout, executor."""
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


# ---------------------------------------------------------------- loading
def add_ingest(sub: Subparsers) -> None:
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
    db_option(p)


def add_demo_data(sub: Subparsers) -> None:
    from scorecard.config import DEFAULT_DEMO_DIR

    p = sub.add_parser("demo-data", help="write a synthetic demo province (DỮ LIỆU MẪU)")
    p.add_argument("--out", type=Path, default=DEFAULT_DEMO_DIR,
                   help=f"output folder (default {DEFAULT_DEMO_DIR})")
    p.add_argument("--seed", type=int, default=2025, help="random seed (same seed, same bytes)")
    p.add_argument("--cases", type=int, default=200_000, help="number of cases (default 200000)")
    p.add_argument("--formats", default=None,
                   help="mixed (default: parquet 2024, Vietnamese CSV 2025, one district's xlsx) "
                        "or csv, parquet, csv,parquet (all cases in cases.csv / cases.parquet)")


def add_demo(sub: Subparsers) -> None:
    from scorecard.config import DEFAULT_DEMO_DIR, DEFAULT_DEMO_PLAN, DEMO_DB

    p = sub.add_parser("demo", help="generate the demo province, load it, render 2025Q2 reports")
    p.add_argument("--plan", default=str(DEFAULT_DEMO_PLAN), help="plan (default Bắc Giang 2025)")
    p.add_argument("--period", default="2025Q2", help="period to render (default 2025Q2)")
    p.add_argument("--data", type=Path, default=DEFAULT_DEMO_DIR, help="demo files folder")
    p.add_argument("--cases", type=int, default=200_000, help="demo cases (default 200000)")
    p.add_argument("--db", type=Path, default=DEMO_DB,
                   help=f"demo store, rebuilt each time (default {DEMO_DB}); a file there "
                        "that the demo did not make is left alone")
    render_options(p)


def add_run(sub: Subparsers) -> None:
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


# ---------------------------------------------------------------- judging
def add_indicators(sub: Subparsers) -> None:
    p = sub.add_parser("indicators", help="compute the indicator catalogue for a period")
    p.add_argument("--period", required=True, help="2025Q1, 2025-03 or 2025")
    p.add_argument("--calendar", choices=("calendar", "nd09"), default="calendar")
    p.add_argument("--unit", help="only this unit (its own and tree rows)")
    p.add_argument("--field", nargs="+", default=None, help="restrict to these field codes")
    p.add_argument("--indicator", nargs="+", default=None, help="indicator ids (default: all)")
    p.add_argument("--variant", action="append", default=[], metavar="ID=NAME",
                   help="denominator variant, e.g. on_time_rate=processed (repeatable)")
    db_option(p)
    format_option(p)


def add_evaluate(sub: Subparsers) -> None:
    p = sub.add_parser("evaluate", help="judge the store against a plan's targets for a period")
    p.add_argument("--plan", required=True, help="plan file or plan_id (see `scorecard plans`)")
    p.add_argument("--period", required=True, help="period id: 2025Q1, 2025-03 or 2025")
    p.add_argument("--calendar", choices=("calendar", "nd09"), default=None,
                   help="period windows (default: the plan's calendar)")
    p.add_argument("--unit", action="append", default=None, metavar="U",
                   help="only this unit_id (repeatable)")
    db_option(p)
    format_option(p)


def add_plans(sub: Subparsers) -> None:
    from scorecard.config import PLANS_DIR

    p = sub.add_parser("plans", help="list the plan files and their targets")
    p.add_argument("--dir", type=Path, default=PLANS_DIR, help=f"plan directory (default {PLANS_DIR})")
    format_option(p)


def add_tasks(sub: Subparsers) -> None:
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
    db_option(p)


def add_leads(sub: Subparsers) -> None:
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
    db_option(p)
    format_option(p)


# ---------------------------------------------------------------- reporting
def add_render(sub: Subparsers) -> None:
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
    render_options(p)
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="with --executor dask: a running Dask scheduler (tcp://host:8786)")
    p.add_argument("--stage-dir", type=Path, metavar="PATH",
                   help="with --executor dask: folder on a filesystem every worker sees at the "
                        "same path; the store snapshot is copied there instead of being sent "
                        "through the scheduler")
    db_option(p)


def add_index766(sub: Subparsers) -> None:
    p = sub.add_parser("index766", help="the national service index (QĐ 766) per unit")
    p.add_argument("--period", required=True, help="YYYY-MM, YYYYQn or YYYY (calendar periods)")
    p.add_argument("--profile", default="portal-2024",
                   help="profile name in params/index766 or a YAML path (default portal-2024)")
    p.add_argument("--unit", action="append", help="only this unit (repeatable)")
    p.add_argument("--breakdown", action="store_true",
                   help="where the points went: one row per metric with its group, source "
                        "(computed/manual/none) and points lost")
    db_option(p)
    format_option(p)


def add_form06(sub: Subparsers) -> None:
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
    db_option(p)


def add_late_list(sub: Subparsers) -> None:
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
    db_option(p)


# ---------------------------------------------------------------- the tree
#: Every sub-command's declaration, in the order of ``scorecard --help``.
SUBCOMMANDS: dict[str, Callable[[Subparsers], None]] = {
    "run": add_run,
    "render": add_render,
    "demo": add_demo,
    "indicators": add_indicators,
    "demo-data": add_demo_data,
    "ingest": add_ingest,
    "index766": add_index766,
    "form06": add_form06,
    "evaluate": add_evaluate,
    "plans": add_plans,
    "tasks": add_tasks,
    "late-list": add_late_list,
    "leads": add_leads,
}


def build_parser() -> argparse.ArgumentParser:
    """The ``scorecard`` parser with every sub-command of :data:`SUBCOMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="scorecard",
        description="Compliance scorecards for the control of administrative procedures (TTHC).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in SUBCOMMANDS.values():
        add(sub)
    return parser
