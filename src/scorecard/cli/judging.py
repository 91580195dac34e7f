"""Handlers of the commands that compute and judge: ``indicators``, ``evaluate`` (and ``plans``,
the plans it judges against), ``tasks`` and ``leads``."""

from __future__ import annotations

import argparse
import sys

from scorecard.cli.errors import UserError
from scorecard.cli.output import print_frame, table_text


def run_indicators(args: argparse.Namespace) -> int:
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


#: The columns of ``evaluate`` in every format (the table adds ``note``).
EVALUATE_COLUMNS = ["unit_id", "scope", "period", "target_id", "indicator", "value", "comparator",
                    "threshold", "status", "gap_cases", "clause"]


#: Columns the csv/json output adds (issue 9): how the target is judged, the dates its value
#: covers, the tally of units (share of units, pooled rows not judged) and why a row has no
#: verdict.
EVALUATE_JUDGING_COLUMNS = ["basis", "window_first", "window_last", "units_met", "units_judged",
                            "note"]


def run_evaluate(args: argparse.Namespace) -> int:
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


def run_plans(args: argparse.Namespace) -> int:
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


def run_tasks(args: argparse.Namespace) -> int:
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
        text = table_text(display_frame(df, TABLE_COLUMNS))
    if args.out is not None:
        print(write_text_atomic(args.out, text))
    else:
        sys.stdout.write(text)
    return 0


def run_leads(args: argparse.Namespace) -> int:
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
