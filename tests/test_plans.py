"""Plan model: loading, validation errors naming file and key, defaults, helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from scorecard.config import DEFAULT_DEMO_PLAN, PLANS_DIR
from scorecard.plans import (
    PlanError,
    find_plan,
    list_plans,
    load_plan,
    parse_threshold,
    plan_from_dict,
)

EXPECTED_FILES = {
    "ban-dan-toc-bac-giang-2024.yaml": "000",
    "bac-giang-2025.yaml": "001",
    "bac-ninh-2021.yaml": "002",
    "thua-thien-hue-2022.yaml": "003",
    "long-thanh-2024.yaml": "004",
}


def _plan(**over):
    data = {
        "plan_id": "bad", "title": "t", "issuer": "UBND", "calendar": "nd09",
        "valid_from": "2025-01-01", "valid_to": "2025-12-31",
        "levels": ["department", "district", "commune"],
        "targets": [{"id": "on_time", "indicator": "on_time_rate", "comparator": ">",
                     "threshold": 0.95, "clause": "II.6", "text": "trên 95%"}],
    }
    data.update(over)
    return data


def _target(**over):
    t = {"id": "x", "indicator": "on_time_rate", "comparator": ">=", "threshold": 0.9,
         "clause": "1", "text": "t"}
    t.update(over)
    return t


def _write(tmp_path: Path, data, name: str = "bad.yaml") -> Path:
    p = tmp_path / name
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


# ------------------------------------------------------------------ the shipped plans
def test_every_plan_file_loads_with_its_seed():
    plans = list_plans(PLANS_DIR)
    assert {p.path.name for p in plans} == set(EXPECTED_FILES)
    for p in plans:
        assert p.seed == EXPECTED_FILES[p.path.name]
        assert p.plan_id == p.path.stem
        assert p.targets, p.plan_id


def test_demo_default_plan_is_bac_giang_2025():
    plan = load_plan(DEFAULT_DEMO_PLAN)
    assert plan.plan_id == "bac-giang-2025"
    assert plan.document_number == "11/KH-UBND"
    assert plan.document_date == date(2025, 1, 16)
    assert plan.level_valid_to == {"district": date(2025, 6, 30)}


def test_plan_files_are_utf8_with_vietnamese_unescaped():
    for name in EXPECTED_FILES:
        raw = (PLANS_DIR / name).read_bytes()
        text = raw.decode("utf-8")
        assert "\\u" not in text and "\\x" not in text, name
        assert "hồ sơ" in text.lower() or "TTHC" in text, name


def test_blank_document_numbers_and_dates_are_kept_blank():
    bdt = find_plan("ban-dan-toc-bac-giang-2024")
    assert bdt.document_number == "/KH-BDT" and bdt.document_date is None
    lt = find_plan("long-thanh-2024")
    assert lt.document_number == "/KH-UBND" and lt.document_date is None


# ------------------------------------------------------------------ validation errors
def test_bad_comparator_names_file_and_key(tmp_path):
    data = _plan(targets=[_target(id="a"), _target(id="b"), _target(id="c"),
                          _target(id="d", comparator=">>")])
    with pytest.raises(PlanError) as exc:
        load_plan(_write(tmp_path, data))
    assert str(exc.value) == "bad.yaml: targets[3].comparator: '>>' is not one of > >= == <= <"


def test_unknown_indicator_rejected_unless_manual(tmp_path):
    data = _plan(targets=[_target(indicator="on_time_ratio")])
    with pytest.raises(PlanError, match=r"^bad\.yaml: targets\[0\]\.indicator: unknown indicator id 'on_time_ratio'"):
        load_plan(_write(tmp_path, data))
    ok = plan_from_dict(_plan(targets=[_target(indicator="impact_assessment_rate", measure="manual")]))
    assert ok.targets[0].indicator == "impact_assessment_rate"
    assert ok.targets[0].kind == "rate"


def test_duplicate_target_id_rejected(tmp_path):
    data = _plan(targets=[_target(id="a"), _target(id="b"), _target(id="a")])
    with pytest.raises(PlanError) as exc:
        load_plan(_write(tmp_path, data))
    assert str(exc.value) == "bad.yaml: targets[2].id: duplicate target id 'a' (also targets[0])"


@pytest.mark.parametrize("bad, fragment", [
    ("abc", "'abc' is not a number"),
    (95, "a rate threshold is a fraction of 1"),
    (-0.1, "is negative"),
    (True, "is not a number"),
    ("95%%", "is not a number"),
])
def test_bad_threshold_names_file_and_key(tmp_path, bad, fragment):
    data = _plan(targets=[_target(), _target(id="y", threshold=bad)])
    with pytest.raises(PlanError) as exc:
        load_plan(_write(tmp_path, data))
    assert str(exc.value).startswith("bad.yaml: targets[1].threshold: ")
    assert fragment in str(exc.value)


def test_count_threshold_may_exceed_one():
    plan = plan_from_dict(_plan(targets=[_target(indicator="received", threshold=120)]))
    assert plan.targets[0].kind == "count" and plan.targets[0].threshold == 120


@pytest.mark.parametrize("text, value", [
    ("95%", 0.95), ("95,5%", 0.955), ("0.6", 0.6), (" 100 % ", 1.0), (0.98, 0.98), (1, 1.0),
])
def test_parse_threshold_accepts_fractions_and_percent_strings(text, value):
    assert parse_threshold(text) == value


def test_unknown_keys_and_other_errors_name_the_key(tmp_path):
    cases = [
        (_plan(targets=[_target(threshhold=0.9)]), "bad.yaml: targets[0].threshhold: unknown key"),
        (_plan(calendar="lunar"), "bad.yaml: calendar: 'lunar' is not one of calendar nd09"),
        (_plan(levels=["ward"]), "bad.yaml: levels: 'ward' is not a level"),
        (_plan(targets=[_target(levels=["huyen"])]), "bad.yaml: targets[0].levels: 'huyen' is not a level"),
        (_plan(targets=[_target(conflicts_with=["nope"], flag="f")]),
         "bad.yaml: targets[0].conflicts_with: no target with id 'nope'"),
        (_plan(targets=[_target(), _target(id="y", conflicts_with=["x"])]),
         "bad.yaml: targets[1].flag: a target with conflicts_with needs a flag"),
        (_plan(targets=[_target(denominator="everything")]),
         "bad.yaml: targets[0].denominator: 'everything' is not a denominator variant of on_time_rate"),
        (_plan(targets=[_target(valid_from="2025-07-01", valid_to="2025-06-30")]),
         "bad.yaml: targets[0].valid_to: 2025-06-30 is before valid_from 2025-07-01"),
    ]
    for data, expected in cases:
        with pytest.raises(PlanError) as exc:
            load_plan(_write(tmp_path, data))
        assert str(exc.value).startswith(expected), (str(exc.value), expected)


def test_plan_id_must_match_file_name(tmp_path):
    with pytest.raises(PlanError, match=r"other\.yaml: plan_id: 'bad' does not match"):
        load_plan(_write(tmp_path, _plan(), "other.yaml"))


def test_yaml_syntax_error_names_the_file(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("plan_id: [unclosed\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"^broken\.yaml: not a readable YAML file"):
        load_plan(p)


# ------------------------------------------------------------------ defaults and helpers
def test_targets_inherit_plan_levels_validity_and_level_caps():
    plan = plan_from_dict(_plan(level_valid_to={"district": "2025-06-30"},
                                targets=[_target(), _target(id="y", levels=["commune"],
                                                            valid_to="2025-03-31")]))
    a, b = plan.targets
    assert a.levels == ["department", "district", "commune"]
    assert (a.valid_from, a.valid_to) == (date(2025, 1, 1), date(2025, 12, 31))
    assert a.validity("district") == (date(2025, 1, 1), date(2025, 6, 30))
    assert a.validity("commune") == (date(2025, 1, 1), date(2025, 12, 31))
    assert b.levels == ["commune"] and b.valid_to == date(2025, 3, 31)


def test_applies_to_level_and_overlapping_windows():
    plan = plan_from_dict(_plan(level_valid_to={"district": "2025-06-30"},
                                targets=[_target(levels=["district", "commune"])]))
    t = plan.targets[0]
    assert not t.applies_to("department", date(2025, 1, 1), date(2025, 3, 31))
    assert t.applies_to("district", date(2025, 4, 1), date(2025, 6, 30))
    assert not t.applies_to("district", date(2025, 7, 1), date(2025, 9, 30))
    # nd09 Q3 window 15/06–14/09 overlaps the district validity by 16 days: applies
    assert t.applies_to("district", date(2025, 6, 15), date(2025, 9, 14))
    assert t.applies_to("commune", date(2025, 7, 1), date(2025, 9, 30))
    assert not t.applies_to("commune", date(2024, 10, 1), date(2024, 12, 31))
    assert t.applies_to("commune", date(2024, 12, 15), date(2025, 3, 14))
    assert not t.applies_to("commune", date(2026, 1, 1), date(2026, 3, 31))


def test_series_key_from_fields_and_denominator():
    plan = plan_from_dict(_plan(targets=[
        _target(),
        _target(id="f", indicator="satisfaction_rate", fields=["xay_dung", "dat_dai"]),
        _target(id="d", denominator="processed"),
    ]))
    assert [t.series for t in plan.targets] == [
        "", "fields=dat_dai,xay_dung", "variant=on_time_rate:processed"]


def test_find_plan_by_id_and_path_and_unknown():
    assert find_plan("bac-ninh-2021").plan_id == "bac-ninh-2021"
    assert find_plan(str(PLANS_DIR / "bac-ninh-2021.yaml")).plan_id == "bac-ninh-2021"
    with pytest.raises(PlanError, match="unknown plan 'nope'.*bac-giang-2025"):
        find_plan("nope")
    with pytest.raises(PlanError, match="plan file not found"):
        find_plan("missing/file.yaml")


def test_contradictory_targets_are_flagged_both_ways():
    plan = find_plan("ban-dan-toc-bac-giang-2024")
    for tid, other in [("on_time_98", "on_time_90"), ("early_50", "early_60")]:
        a, b = plan.target(tid), plan.target(other)
        assert a.flag and b.flag
        assert a.conflicts_with == [other] and b.conflicts_with == [tid]


# ------------------------------------------------------------------ due dates from the plan's words
def _deadline_target(**over):
    return _target(judged="by_deadline", **over)


@pytest.mark.parametrize(("reading", "words", "due"), [
    (None, "Trước 15/12/2025", date(2025, 12, 15)),      # the default: the named day is the last
    (True, "Trước 15/12/2025", date(2025, 12, 15)),
    (False, "Trước 15/12/2025", date(2025, 12, 14)),     # before 15/12: 14/12
    (False, "Trước ngày 10/3/2025", date(2025, 3, 9)),
    (False, "Quý III/2025", date(2025, 9, 30)),          # the setting touches "trước" only
    (False, "Tháng 02/2025", date(2025, 2, 28)),
    (True, "Năm 2025", date(2025, 12, 31)),
])
def test_due_is_derived_from_due_words_under_the_plans_reading(reading, words, due):
    over = {} if reading is None else {"named_day_is_last_day": reading}
    plan = plan_from_dict(_plan(targets=[_deadline_target(due_words=words)], **over))
    assert plan.target("x").due == due
    # written too, it must agree
    same = plan_from_dict(_plan(targets=[_deadline_target(due_words=words, due=str(due))], **over))
    assert same.target("x").due == due


def test_a_due_that_disagrees_with_its_words_names_file_and_key(tmp_path):
    p = _write(tmp_path, _plan(named_day_is_last_day=False, targets=[
        _target(id="ok"), _deadline_target(due_words="Trước 15/12/2025", due="2025-12-15")]))
    with pytest.raises(PlanError) as exc:
        load_plan(p)
    assert str(exc.value) == (
        "bad.yaml: targets[1].due: 2025-12-15, but due_words 'Trước 15/12/2025' read as "
        "2025-12-14 under the plan's named_day_is_last_day: false: leave due out (it is derived "
        "from the words) or change the plan's setting")
    # and the other way round: a hand-typed day-before under the default reading
    p = _write(tmp_path, _plan(targets=[_deadline_target(due_words="Trước ngày 10/3/2025",
                                                         due="2025-03-09")]))
    with pytest.raises(PlanError, match=r"bad\.yaml: targets\[0\]\.due: 2025-03-09, but due_words "
                                        r"'Trước ngày 10/3/2025' read as 2025-03-10 under the "
                                        r"plan's named_day_is_last_day: true"):
        load_plan(p)


def test_words_naming_no_single_date_need_due():
    # no date in the words ("Thường xuyên", recurring, no year): due is written and kept
    for words in ("Thường xuyên", "Tháng 3, 6, 9, 12/2025", "Quý IV"):
        plan = plan_from_dict(_plan(targets=[_deadline_target(due_words=words,
                                                              due="2025-12-14")]))
        assert plan.target("x").due == date(2025, 12, 14), words
        with pytest.raises(PlanError) as exc:
            plan_from_dict(_plan(targets=[_deadline_target(due_words=words)]), "p.yaml")
        assert str(exc.value) == (
            "p.yaml: targets[0].due: a by_deadline target needs its due date: due_words that name "
            "one date ('Trước 15/12/2025', 'Quý III/2024') or due (YYYY-MM-DD): due_words "
            f"{words!r} name no single date"), words
    # words with a date make the target one judged by its deadline
    with pytest.raises(PlanError, match=r"p\.yaml: targets\[0\]\.due_words: a target with a due "
                                        r"date is judged: by_deadline"):
        plan_from_dict(_plan(targets=[_target(due_words="Trước 15/12/2025")]), "p.yaml")
    with pytest.raises(PlanError, match=r"^p\.yaml: named_day_is_last_day: Input should be a "
                                        r"valid boolean"):
        plan_from_dict(_plan(named_day_is_last_day="perhaps"), "p.yaml")
    # a derived due date is checked against the target's validity like a written one
    with pytest.raises(PlanError, match=r"targets\[0\]\.due: 2026-01-31 is after the target's "
                                        r"valid_to 2025-12-31"):
        plan_from_dict(_plan(targets=[_deadline_target(due_words="Trước ngày 31/01/2026")]))
