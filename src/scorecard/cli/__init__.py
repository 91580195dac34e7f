"""The `scorecard` command: argument parsing only; every command calls library functions.

One job per module:

- :mod:`~scorecard.cli.parser`: the argparse tree (shared options, each sub-command's
  arguments, :func:`build_parser`);
- the handlers, ``run_<name>(args) -> int`` (exit code), by job:
  :mod:`~scorecard.cli.loading` (``ingest``, ``demo-data``, ``demo``, ``run``),
  :mod:`~scorecard.cli.judging` (``indicators``, ``evaluate``, ``plans``, ``tasks``, ``leads``),
  :mod:`~scorecard.cli.reporting` (``render``, ``index766``, ``form06``, ``late-list``);
- :mod:`~scorecard.cli.output`: printing frames (csv with formulas neutralised, json, table) and
  a render batch's summary;
- :mod:`~scorecard.cli.errors`: errors → exit codes. Errors the user can fix (unknown period,
  plan, unit, missing store) end with a one-line reason on stderr and exit code 2, never a stack
  trace.
"""

from __future__ import annotations

from collections.abc import Sequence

from scorecard.cli import judging, loading, reporting
from scorecard.cli.errors import Handler, UserError, run_command
from scorecard.cli.output import RAW_CSV, print_frame
from scorecard.cli.parser import build_parser

__all__ = ["HANDLERS", "RAW_CSV", "UserError", "build_parser", "main", "print_frame"]

#: Each sub-command's handler (its arguments: :data:`scorecard.cli.parser.SUBCOMMANDS`).
HANDLERS: dict[str, Handler] = {
    "run": loading.run_run,
    "render": reporting.run_render,
    "demo": loading.run_demo,
    "indicators": judging.run_indicators,
    "demo-data": loading.run_demo_data,
    "ingest": loading.run_ingest,
    "index766": reporting.run_index766,
    "form06": reporting.run_form06,
    "evaluate": judging.run_evaluate,
    "plans": judging.run_plans,
    "tasks": judging.run_tasks,
    "late-list": reporting.run_late_list,
    "leads": judging.run_leads,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``scorecard`` with ``argv`` (default: the command line); returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    RAW_CSV.set(bool(getattr(args, "raw", False)))
    return run_command(args.command, HANDLERS[args.command], args)
