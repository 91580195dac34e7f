"""Handlers of the commands that write what goes to the authorities: ``render`` (the scorecard
reports), ``index766`` (the national service index), ``form06`` (the Biểu 06 workbook) and
``late-list`` (the monthly notice of late units)."""

from __future__ import annotations

import argparse

from scorecard.cli.errors import UserError
from scorecard.cli.output import print_batch, print_frame


def run_render(args: argparse.Namespace) -> int:
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
    print_batch(res)
    return 1 if res.failed else 0


def run_index766(args: argparse.Namespace) -> int:
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


def run_form06(args: argparse.Namespace) -> int:
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


def run_late_list(args: argparse.Namespace) -> int:
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
