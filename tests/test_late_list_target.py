"""The II.8 target on the monthly list of late units, computed from the store's record of the lists
produced (late_list_log), through `evaluate` on a small store (tests/late_list_fixtures.py);
numbers by hand.

Calendar quarters, 2025. The lists are produced with `produce_late_list` at chosen times:

- on time: April's on 02/05, May's on 01/06, June's on 01/07 — each after its month ended;
- missing: April's and May's only;
- early: April's and May's, and June's on 30/06 at 22:00 — before June ended: incomplete, it
  does not count.

2025Q2 holds April, May and June: on time 3/3 (pass), missing 2/3, early 2/3 (fail, 1 month
short). The year to 30/06 holds January–June: 3/6. A target ending 31/05 is read on 01/04–31/05
(April and May: 2/2); one ending 20/04 on 01/04–20/04, in which no month ends (no value).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from scorecard.evaluate import evaluate
from scorecard.indicators import CATALOGUE
from scorecard.late_list import build_late_list, late_list_indicators, produce_late_list
from scorecard.late_list.log import months_ending_in, record_generation
from scorecard.periods import Period, Window, parse_period
from scorecard.plans import PlanError, load_plan, plan_from_dict
from scorecard.store import open_writer, reading
from tests.late_list_fixtures import PLAN, PLAN_ID, make_store, target, write_plan

ON_TIME = {"2025-04": datetime(2025, 5, 2, 9), "2025-05": datetime(2025, 6, 1, 8),
           "2025-06": datetime(2025, 7, 1, 8)}
SCENARIOS = {
    "on_time": ON_TIME,
    "missing": {m: t for m, t in ON_TIME.items() if m != "2025-06"},
    "early": {**ON_TIME, "2025-06": datetime(2025, 6, 30, 22)},
}
TARGETS = [
    target("monthly"),
    target("ytd", window="ytd"),
    target("to_may", valid_to="2025-05-31"),
    target("to_april_20", valid_to="2025-04-20"),
    target("with_departments", levels=["province", "department"]),
]


def _world(tmp: Path, lists: dict[str, datetime]) -> tuple:
    db = make_store(tmp)
    plan = load_plan(write_plan(tmp / f"{PLAN_ID}.yaml", TARGETS))
    for month, at in lists.items():
        produce_late_list(db, month, reports_dir=tmp / "reports", plan=plan, now=at)
    return plan, db


@pytest.fixture(scope="module", params=sorted(SCENARIOS))
def q2(request, tmp_path_factory):
    plan, db = _world(tmp_path_factory.mktemp(request.param), SCENARIOS[request.param])
    return request.param, evaluate(plan, "2025Q2", db)


def row(df, unit, target_id, scope="own"):
    sel = df[(df.unit_id == unit) & (df.target_id == target_id) & (df.scope == scope)]
    assert len(sel) == 1, (unit, target_id, scope, len(sel))
    return sel.iloc[0]


def figures(r) -> tuple:
    return (r.status, None if pd.isna(r.numerator) else int(r.numerator),
            None if pd.isna(r.denominator) else int(r.denominator),
            None if pd.isna(r.gap_cases) else int(r.gap_cases))


def test_the_quarter_passes_only_with_every_months_list_made_after_the_month(q2):
    name, df = q2
    want = {"on_time": ("pass", 3, 3, 0), "missing": ("fail", 2, 3, 1),
            "early": ("fail", 2, 3, 1)}[name]
    p = row(df, "P", "monthly")
    assert figures(p) == want
    assert p.label == CATALOGUE["late_list_published_rate"].label_vi
    assert (str(p.window_first), str(p.window_last)) == ("2025-04-01", "2025-06-30")
    # the province's pooled row: its list covers its whole tree, one issuer → the same figure
    assert figures(row(df, "P", "monthly", scope="tree")) == want


def test_year_to_date_and_cut_windows(q2):
    name, df = q2
    listed = {"on_time": 3, "missing": 2, "early": 2}[name]
    assert figures(row(df, "P", "ytd")) == ("fail", listed, 6, 6 - listed)  # January–June
    to_may = row(df, "P", "to_may")
    assert figures(to_may) == ("pass", 2, 2, 0)  # April and May, whatever June's list
    assert (str(to_may.window_first), str(to_may.window_last)) == ("2025-04-01", "2025-05-31")
    none = row(df, "P", "to_april_20")
    assert figures(none) == ("no_data", 0, 0, None)
    assert "không có tháng nào kết thúc" in none.note


def test_units_that_issue_no_list_are_not_judged(q2):
    _, df = q2
    s = row(df, "S", "with_departments")
    assert s.status == "not_applicable" and "không ban hành danh sách" in s.note
    assert row(df, "S", "monthly").status == "not_applicable"  # not the target's level
    assert row(df, "H", "monthly").status == "not_applicable"


def test_a_quarter_without_lists_fails(tmp_path):
    plan, db = _world(tmp_path, ON_TIME)
    q1 = evaluate(plan, "2025Q1", db)
    assert figures(row(q1, "P", "monthly")) == ("fail", 0, 3, 3)  # none made: not "no data"


def test_the_provider_over_a_period_and_cut_windows(tmp_path):
    """Periods and windows under both calendars; a list issued for the department counts for
    the department, and the province's tree row adds it."""
    plan, db = _world(tmp_path, ON_TIME)
    con = open_writer(db)
    try:  # a list of May issued for S (its own subtree), made on 03/06
        late = build_late_list(con, "2025-05", generated_at=datetime(2025, 6, 3), root_unit="S")
        record_generation(con, late)
    finally:
        con.close()
    spans = [parse_period("2025Q2"), Window(date(2025, 4, 1), date(2025, 5, 31)),
             Window(date(2025, 6, 15), date(2025, 6, 29))]
    with reading(db) as con:
        df = late_list_indicators(con, plan, spans, "calendar")
        nd09 = late_list_indicators(con, plan, [parse_period("2025Q2"),
                                                Window(date(2025, 4, 1), date(2025, 5, 31))],
                                    "nd09")
        only_s = late_list_indicators(con, plan, spans[:1], "calendar", units=["S"])
    got = {(r.unit_id, r.scope, r.period): (r.numerator, r.denominator)
           for r in df.itertuples()}
    assert got == {
        ("P", "own", "2025Q2"): (3, 3), ("P", "own", "2025-04-01..2025-05-31"): (2, 2),
        ("P", "own", "2025-06-15..2025-06-29"): (0, 0),
        ("S", "own", "2025Q2"): (1, 3), ("S", "own", "2025-04-01..2025-05-31"): (1, 2),
        ("S", "own", "2025-06-15..2025-06-29"): (0, 0),
        ("P", "tree", "2025Q2"): (4, 6), ("P", "tree", "2025-04-01..2025-05-31"): (3, 4),
        ("P", "tree", "2025-06-15..2025-06-29"): (0, 0),
    }
    assert set(df["indicator"]) == {"late_list_published_rate"}
    assert df.loc[(df.unit_id == "S") & (df.period == "2025Q2"), "value"].item() == \
        pytest.approx(1 / 3)
    assert df.loc[df.period == "2025-06-15..2025-06-29", "value"].isna().all()
    # nd09: 2025Q2 (15/03–14/06) holds the months 04–06, which end on the 14th; the window
    # 01/04–31/05 holds April's and May's nd09 months (ending 14/04 and 14/05)
    p = nd09[(nd09.unit_id == "P") & (nd09.scope == "own")]
    assert p[["period", "numerator", "denominator"]].values.tolist() == [
        ["2025-04-01..2025-05-31", 2, 2], ["2025Q2", 3, 3]]
    assert set(only_s["unit_id"]) == {"S"}


def test_months_of_a_span():
    ids = lambda ms: [m.id for m in ms]  # noqa: E731
    assert ids(months_ending_in(date(2025, 3, 15), date(2025, 6, 14), "nd09")) == [
        "2025-04", "2025-05", "2025-06"]
    assert ids(months_ending_in(date(2025, 3, 15), date(2025, 6, 14), "calendar")) == [
        "2025-03", "2025-04", "2025-05"]
    assert ids(months_ending_in(date(2024, 12, 15), date(2025, 12, 14), "nd09")) == [
        f"2025-{m:02d}" for m in range(1, 13)]
    assert ids(months_ending_in(date(2025, 6, 15), date(2025, 6, 30), "calendar")) == ["2025-06"]
    assert months_ending_in(date(2025, 6, 15), date(2025, 6, 29), "calendar") == []
    assert months_ending_in(date(2025, 2, 1), date(2025, 2, 28), "calendar") == [
        Period(2025, "month", 2)]


def test_the_plan_file_may_ask_for_any_window_but_no_fields():
    plan_from_dict({**PLAN, "targets": [target("d", judged="by_deadline", due="2025-06-30")]})
    plan_from_dict({**PLAN, "targets": [target("l", basis="level")]})
    with pytest.raises(PlanError, match="knows no fields"):
        plan_from_dict({**PLAN, "targets": [target("f", fields=["ho_tich"])]})


def test_the_shipped_plan_computes_ii8():
    from scorecard.plans import find_plan

    t = find_plan("bac-giang-2025").target("late_list_published")
    assert (t.measure, t.indicator, t.levels) == ("computed", "late_list_published_rate",
                                                  ["province"])
    assert "không cho biết đã công khai" in t.flag


def test_the_docs_page_lists_the_provider():
    from scorecard.indicators.docs import DOC_PATH, render_markdown

    text = Path(DOC_PATH).read_text(encoding="utf-8")
    assert text == render_markdown(), "docs/indicators.md is stale: python -m scorecard.indicators.docs"
    section = text.split("## Chỉ số do mô-đun khác tính")[1].split("## Số đo cơ sở")[0]
    assert "| `late_list_published_rate` |" in section
    assert "`scorecard.late_list:late_list_indicators`" in section
