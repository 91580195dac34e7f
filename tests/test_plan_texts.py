"""Each plan's targets against the plan's own words (the seeds in shared/seeds).

For every target: its `text` occurs verbatim in the seed (whitespace normalised), the number in it
matches the threshold, and the wording before that number gives the comparator ("trên" = >,
otherwise at least). The hand-written tables below list every target read from the seeds; a target
added, dropped or changed in a plan file without updating them fails here.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from scorecard.config import PROJECT_ROOT
from scorecard.plans import find_plan

# the plans' original texts ship with the project (params/plans/sources/, copies of shared/seeds)
SEEDS = PROJECT_ROOT / "params" / "plans" / "sources"


def test_seed_texts_ship_with_the_project():
    assert len(list(SEEDS.glob("00[0-4]_*.txt"))) == 5

# target id -> (comparator, threshold), read by hand from the seed texts
EXPECTED: dict[str, dict[str, tuple[str, float]]] = {
    "ban-dan-toc-bac-giang-2024": {
        "digitized": (">=", 1.0), "procedures_published": (">=", 1.0),
        "internal_procedures_reviewed": (">=", 1.0), "on_time_98": (">", 0.98),
        "early_50": (">", 0.50), "no_late": ("<=", 0), "one_stop": (">=", 1.0),
        "satisfaction": (">=", 0.90), "cases_on_e_system": (">=", 1.0),
        "cases_synced": (">=", 1.0), "on_time_90": (">", 0.90), "early_60": (">=", 0.60),
        "apology": (">=", 1.0), "fully_online": (">", 0.90),
    },
    "bac-giang-2025": {
        "digitized": (">=", 1.0), "impact_assessment": (">=", 1.0),
        "procedures_published": (">=", 1.0), "internal_procedures_reviewed": (">=", 1.0),
        "on_time": (">", 0.95), "early": (">", 0.60), "one_stop": (">=", 1.0),
        "one_stop_staff_assessed": (">=", 1.0), "satisfaction": (">=", 0.95),
        "satisfaction_dat_dai": (">=", 0.85), "satisfaction_xay_dung": (">=", 0.85),
        "satisfaction_dau_tu": (">=", 0.85), "late_list_published": (">=", 1.0),
        "apology": (">=", 1.0), "feedback_on_time": (">=", 1.0), "e_result": (">=", 1.0),
        "proc_result_digitized": (">=", 1.0), "reuse": (">=", 0.80),
        "full_online_procedures": (">=", 0.90), "fully_online": (">", 0.70),
        "online_remote": (">", 0.60), "identified_users": (">=", 1.0),
        "online_payment": (">", 0.80), "fee_procedures_online_payment": (">", 0.70),
    },
    "bac-ninh-2021": {
        "digitized_q4_2021_department": (">=", 0.50), "digitized_q4_2021_district": (">=", 0.30),
        "digitized_q4_2021_commune": (">=", 0.20), "e_result_q4_2021_centres": (">=", 1.0),
        "e_result_q4_2021_commune": (">=", 0.10), "digitized_2022": (">=", 1.0),
        "e_result_2022": (">=", 1.0),
    },
    "thua-thien-hue-2022": {
        "impact_assessment": (">=", 1.0), "apology": (">=", 1.0),
        "feedback_address_published": (">=", 1.0), "one_stop": (">=", 1.0),
        "four_on_spot_province": (">=", 0.20), "four_on_spot_district": (">=", 0.50),
        "e_process_configured": (">=", 1.0), "online_services_integrated": (">=", 1.0),
        "report_submitted": (">=", 1.0),
    },
    "long-thanh-2024": {
        "apology": (">=", 1.0), "procedures_published": (">=", 1.0),
        "sample_dossier": (">=", 0.70), "simplification_proposed": (">=", 0.10),
        "declared_info_reduced": (">=", 0.20), "internal_procedures_published": (">=", 1.0),
        "internal_procedures_reviewed": (">=", 1.0), "on_time": (">=", 0.97),
        "satisfaction": (">=", 0.94), "online_services_offered": (">=", 1.0),
        "online_services_integrated": (">=", 1.0), "online_district": (">=", 0.40),
        "online_commune": (">=", 0.30), "e_certification_service": (">=", 1.0),
        "e_certified_copies_growth": (">", 1.0), "digitized_district": (">=", 0.40),
        "digitized_commune": (">=", 0.35), "e_result_district": (">=", 0.30),
        "e_result_commune": (">=", 0.20), "feedback_on_time": (">=", 0.97),
        "feedback_satisfaction": (">=", 0.93),
    },
}

# level-specific thresholds the domain reference (domain.md §7) spells out
LEVEL_THRESHOLDS = {
    ("long-thanh-2024", "online_rate"): {"district": 0.40, "commune": 0.30},
    ("long-thanh-2024", "digitized_rate"): {"district": 0.40, "commune": 0.35},
    ("long-thanh-2024", "e_result_rate"): {"district": 0.30, "commune": 0.20},
    ("thua-thien-hue-2022", "proc_four_on_spot_rate"): {"department": 0.20, "district": 0.50},
}

_PCT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def _seed_text(seed: str) -> str:
    (path,) = sorted(Path(SEEDS).glob(f"{seed}_*.txt"))
    return _norm(path.read_text(encoding="utf-8"))


def _comparator_from_words(before: str) -> str:
    """The comparator the words just before a percentage imply (domain.md §7)."""
    return ">" if re.search(r"\btrên\s*$", before.lower()) else ">="


@pytest.mark.parametrize("plan_id", sorted(EXPECTED))
def test_targets_match_the_hand_read_table(plan_id):
    plan = find_plan(plan_id)
    got = {t.id: (t.comparator, t.threshold) for t in plan.targets}
    assert got == EXPECTED[plan_id]


@pytest.mark.parametrize("plan_id", sorted(EXPECTED))
def test_target_texts_are_verbatim_and_numbers_match(plan_id):
    plan = find_plan(plan_id)
    seed = _seed_text(plan.seed)
    for t in plan.targets:
        text = _norm(t.text)
        assert text in seed, f"{plan_id}/{t.id}: text not found in seed {plan.seed}: {text!r}"
        hits = list(_PCT.finditer(text))
        if hits:
            assert t.kind == "rate", f"{plan_id}/{t.id}: a percentage target must be a rate"
            matching = [m for m in hits
                        if Decimal(m.group(1).replace(",", ".")) / 100 == Decimal(str(t.threshold))]
            assert matching, f"{plan_id}/{t.id}: threshold {t.threshold} not among {text!r}"
            words = {_comparator_from_words(text[:m.start()]) for m in matching}
            assert t.comparator in words, f"{plan_id}/{t.id}: {t.comparator} vs words {words}"
        elif "không để xảy ra" in text.lower():
            assert (t.comparator, t.threshold, t.kind) == ("<=", 0, "count")
        elif text.lower().startswith("tăng"):
            assert (t.comparator, t.threshold, t.kind) == (">", 1.0, "ratio")
        else:  # "every late case", "monthly", "the period's report": all of them
            assert (t.comparator, t.threshold) == (">=", 1.0), f"{plan_id}/{t.id}"


def test_level_specific_thresholds():
    for (plan_id, indicator), by_level in LEVEL_THRESHOLDS.items():
        plan = find_plan(plan_id)
        for level, threshold in by_level.items():
            ts = [t for t in plan.targets if t.indicator == indicator and level in t.levels]
            assert [t.threshold for t in ts] == [threshold], (plan_id, indicator, level)


def test_bac_ninh_phases_by_period_and_level():
    plan = find_plan("bac-ninh-2021")
    q4 = [t for t in plan.targets if t.id.startswith("digitized_q4_2021")]
    assert {(t.levels[0], t.threshold) for t in q4} == {
        ("department", 0.5), ("district", 0.3), ("commune", 0.2)}
    assert all(str(t.valid_from) == "2021-10-01" and str(t.valid_to) == "2021-12-31" for t in q4)
    t22 = plan.target("digitized_2022")
    assert t22.levels == ["department", "district", "commune"] and t22.threshold == 1.0
    assert (str(t22.valid_from), str(t22.valid_to)) == ("2022-01-01", "2022-12-31")


def test_bac_giang_2025_field_targets():
    plan = find_plan("bac-giang-2025")
    fields = {tuple(t.fields) for t in plan.targets if t.fields}
    assert fields == {("dat_dai",), ("xay_dung",), ("dau_tu",)}
    assert all(t.indicator == "satisfaction_rate" and t.threshold == 0.85
               for t in plan.targets if t.fields)


def test_seed_000_contradiction_encoded_both_ways():
    plan = find_plan("ban-dan-toc-bac-giang-2024")
    assert plan.target("on_time_98").clause == "II.5"
    assert plan.target("on_time_90").clause == "PL III.2"
    assert plan.target("early_50").comparator == ">" and plan.target("early_60").comparator == ">="
