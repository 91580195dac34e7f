"""The `scorecard` command: argument parsing only; every command calls library functions.

Each sub-command is a pair: ``_add_<name>(subparsers)`` declares its options and
``_run_<name>(args) -> int`` runs it. Errors the user can fix (unknown period, plan, unit, missing
store) end with a one-line reason on stderr and a non-zero exit code, never a stack trace.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from scorecard.config import DEFAULT_DB


class UserError(Exception):
    """An error the user can fix; printed as one line."""


def _db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"DuckDB store (default {DEFAULT_DB})")


def _format_option(p: argparse.ArgumentParser, default: str = "table") -> None:
    p.add_argument("--format", choices=("csv", "json", "table"), default=default)


def print_frame(df, fmt: str) -> None:  # type: ignore[no-untyped-def]
    """Print a frame as csv, json (records) or an aligned table."""
    if fmt == "csv":
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
    p = sub.add_parser("ingest", help="load CSV/XLSX/Parquet files into the store")
    p.add_argument("files", nargs="+", type=Path)
    p.add_argument("--kind", choices=None, help="kind of every file (default: from name/headers)")
    _db_option(p)


def _run_ingest(args: argparse.Namespace) -> int:
    from scorecard.ingest import ingest_files, print_reports

    reports = ingest_files(args.files, db=args.db, kind=args.kind)
    print_reports(reports)
    return 1 if any(r.failed for r in reports) else 0


# ---------------------------------------------------------------- registry
COMMANDS: dict[str, tuple[Callable, Callable]] = {
    "ingest": (_add_ingest, _run_ingest),
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
    from scorecard.periods import PeriodError
    from scorecard.store import StoreError

    try:
        return int(run(args) or 0)
    except (UserError, StoreError, PeriodError, FileNotFoundError) as exc:
        print(f"scorecard {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
