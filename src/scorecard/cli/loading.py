"""Handlers of the commands that fill a store: ``ingest``, ``demo-data``, ``demo`` and ``run``."""

from __future__ import annotations

import argparse
from pathlib import Path

from scorecard.cli.errors import UserError
from scorecard.cli.output import print_batch


def run_ingest(args: argparse.Namespace) -> int:
    from scorecard.ingest import ingest_files, print_reports
    from scorecard.pseudonym import load_key
    from scorecard.readers import ReadOptions

    options = ReadOptions(pseudonym_key=load_key(key_file=args.pseudonym_key_file),
                          default_unit=args.unit, plans_dir=args.plans)
    reports = ingest_files(args.files, db=args.db, kind=args.kind, source=args.source,
                           options=options)
    print_reports(reports)
    return 1 if any(r.failed for r in reports) else 0


def run_demo_data(args: argparse.Namespace) -> int:
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


def run_demo(args: argparse.Namespace) -> int:
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
    print_batch(res)
    print(res.index.resolve())
    return 1 if res.failed else 0


def run_run(args: argparse.Namespace) -> int:
    from scorecard.run import run_quarterly, summary_lines
    from scorecard.runfile import load_run_file

    rf = load_run_file(args.run_file)
    res = run_quarterly(rf, period=args.period, only_failed=args.only_failed, force=args.force)
    for line in summary_lines(res):
        print(line)
    return res.exit_code
