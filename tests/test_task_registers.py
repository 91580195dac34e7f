"""The task registers against the seeds' tables: every row, the same words, nothing invented.

``seed_tables.read_task_table`` reads each seed's table straight from its text; the register must
hold exactly those rows, in the same order, with the printed words (number, text, objective, lead,
support, product, deadline). Deadlines are all parsed; the counts per kind below were read by
hand from the seeds (see the deadlines column of each table).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import yaml

from scorecard.config import PLANS_DIR
from scorecard.plans import find_plan, plan_files
from scorecard.tasks.owners import resolve
from scorecard.tasks.register import (
    TaskRegisterError,
    find_register,
    known_task_keys,
    load_register,
    load_registers,
    register_from_dict,
    task_key_problem,
)
from tests.seed_tables import norm, read_task_table, seed_text

PLAN_IDS = ["ban-dan-toc-bac-giang-2024", "bac-giang-2025", "bac-ninh-2021",
            "thua-thien-hue-2022", "long-thanh-2024"]

# plan -> (tasks, with a due date, recurring, continuous, on demand, per schedule, unspecified)
COUNTS = {
    "ban-dan-toc-bac-giang-2024": (20, 4, 1, 14, 0, 2, 0),
    "bac-giang-2025": (44, 17, 2, 20, 2, 4, 1),
    "bac-ninh-2021": (5, 5, 1, 0, 0, 0, 0),
    "thua-thien-hue-2022": (48, 17, 3, 25, 3, 2, 1),
    "long-thanh-2024": (37, 6, 1, 27, 1, 2, 1),
}


def _register(plan_id):
    reg = find_register(find_plan(plan_id))
    assert reg is not None, plan_id
    return reg


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_register_holds_every_row_of_the_seed_table_and_nothing_else(plan_id):
    reg = _register(plan_id)
    assert reg.seed == find_plan(plan_id).seed
    rows = [r for r in read_task_table(reg.seed) if not r.heading]
    assert len(reg.tasks) == len(rows) == COUNTS[plan_id][0]
    for task, row in zip(reg.tasks, rows, strict=True):
        where = f"{plan_id} {task.task_id}"
        assert task.number == row.number, where
        assert norm(" ".join([task.text, *task.details])) == norm(" ".join([row.text, *row.details])), where
        assert (task.objective or "") == row.objective, where
        assert (task.lead, task.support, task.product) == (row.lead, row.support, row.product), where
        assert task.deadline.printed == row.deadline, where


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_group_titles_table_and_columns_are_printed_in_the_seed(plan_id):
    reg = _register(plan_id)
    seed = norm(seed_text(reg.seed))
    rows = read_task_table(reg.seed)
    titles = {r.text for r in rows if r.heading} | {r.title for r in rows if r.title}
    assert set(reg.groups.values()) == titles
    assert norm(reg.table) in seed
    for column in reg.columns:
        assert norm(column) in seed, column
    for task in reg.tasks:
        assert task.group is None or task.group in reg.groups


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_every_deadline_is_parsed_and_counted_by_kind(plan_id):
    reg = _register(plan_id)
    kinds = [t.parsed.kind for t in reg.tasks]
    dated = sum(t.parsed.has_due for t in reg.tasks)
    got = (len(kinds), dated, kinds.count("recurring"), kinds.count("continuous"),
           kinds.count("on_demand"), kinds.count("per_schedule"), kinds.count("unspecified"))
    assert got == COUNTS[plan_id]
    for t in reg.tasks:  # a deadline read otherwise than printed always says why
        if t.deadline.read_as is not None:
            assert t.flag, t.task_id


def test_hand_read_due_dates():
    bg, tth, bn, lt = (_register(p) for p in ("bac-giang-2025", "thua-thien-hue-2022",
                                               "bac-ninh-2021", "long-thanh-2024"))
    # Bắc Giang 2025 reads "Trước <ngày>" as before the day (its plan's named_day_is_last_day:
    # false): the day before is the last day allowed
    assert bg.task("I.1").parsed.due == date(2025, 1, 29)           # Trước ngày 30/01/2025
    assert bg.task("I.2").parsed.due == date(2025, 2, 28)           # Tháng 02/2025
    assert bg.task("II.3.1").parsed.due == date(2025, 2, 9)         # Trước 10/2/2025
    assert bg.task("III.2").parsed.due == date(2025, 12, 14)        # Trước 15/12/2025
    assert bg.task("III.4.2").parsed.due == date(2025, 10, 29)      # Trước 30/10/2025
    assert bg.task("II.6.2").parsed.due_by_occurrence() == {
        "2025-03": date(2025, 3, 31), "2025-06": date(2025, 6, 30),
        "2025-09": date(2025, 9, 30), "2025-12": date(2025, 12, 31)}
    assert len(bg.task("III.7").parsed.occurrences) == 12            # Hằng tháng
    assert bg.task("II.3.7").parsed.kind == "unspecified" and bg.task("II.3.7").flag
    assert tth.task("II.3.1").parsed.due == date(2021, 12, 31)      # Tháng 12/2021
    assert tth.task("II.3.1-1").parsed.due == date(2021, 12, 31)    # Trước 31/12/2021
    assert tth.task("VI.6").parsed.due == date(2022, 12, 31)        # Quý IV (no year)
    assert list(tth.task("VII.3").parsed.due_by_occurrence()) == ["2022H1", "2022"]
    assert list(tth.task("VIII.1").parsed.due_by_occurrence()) == ["2022Q1", "2022Q2",
                                                                  "2022Q3", "2022"]
    assert tth.task("III.1").parsed.window == (date(2022, 1, 1), date(2022, 12, 31))
    assert bn.task("II.1").parsed.due_by_occurrence() == {"2021Q4": date(2021, 12, 31),
                                                          "2022": date(2022, 12, 31)}
    assert bn.task("II.5").parsed.due == date(2023, 12, 31)         # Năm 2021-2023
    # the others keep the default: the named day is the last day allowed
    assert tth.task("II.3.3").parsed.due == date(2022, 9, 15)       # Trước ngày 15/9/2022
    assert lt.task("2.5").parsed.due == date(2024, 3, 10)           # Trước ngày 10/3/2024
    assert lt.task("2.7").parsed.due == date(2024, 11, 25)
    assert lt.task("1.1").parsed.due == date(2024, 1, 25)           # Trước ngày 25 tháng 01 năm 2024
    assert len(lt.task("1.4").parsed.occurrences) == 5              # Hàng Quý/ Năm


def test_long_thanh_year_ambiguity_is_kept_and_flagged():
    task = _register("long-thanh-2024").task("1.1")
    assert "năm 2024" in task.product and "năm 2023" in task.flag
    assert "năm 2023 của các đơn vị ban hành" in seed_text("004")


def _full_store() -> pd.DataFrame:
    """A store with every role the registers use, so every printed lead resolves."""
    rows = [
        ("P", "Tỉnh", "province", None, "van_phong_ubnd;trung_tam_hcc"),
        ("S1", "Sở Tư pháp", "department", "P", "so_tu_phap;phong_hc_th"),
        ("S2", "Sở TTTT", "department", "P", "so_tttt"),
        ("S3", "Sở Nội vụ", "department", "P", "so_noi_vu"),
        ("H1", "Huyện", "district", "P", ""),
        ("X1", "Xã", "commune", "H1", ""),
    ]
    return pd.DataFrame(rows, columns=["unit_id", "name", "level", "parent_id", "roles"])


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_every_printed_lead_names_units_and_every_party_is_used(plan_id):
    reg = _register(plan_id)
    store = _full_store()
    printed = {p for t in reg.tasks for p in (t.lead, t.support) if p}
    assert printed == set(reg.parties)
    for t in reg.tasks:
        if t.lead:
            assert resolve(reg.parties[t.lead], store), (plan_id, t.task_id, t.lead)
        else:
            assert t.flag, (plan_id, t.task_id)  # an empty lead is flagged


def test_roles_of_the_bac_giang_parties():
    reg, store = _register("bac-giang-2025"), _full_store()
    assert resolve(reg.parties["Văn phòng UBND tỉnh"], store) == ["P"]
    assert resolve(reg.parties["Sở Thông tin và Truyền thông"], store) == ["S2"]
    assert resolve(reg.parties["Các sở, ban, ngành"], store) == ["S1", "S2", "S3"]
    assert resolve(reg.parties["UBND huyện, thị xã, TP; UBND xã, phường, thị trấn"], store) == [
        "H1", "X1"]


def test_known_task_keys_and_key_problems():
    keys = known_task_keys()
    assert len(keys) == sum(c[0] for c in COUNTS.values())
    assert ("bac-giang-2025", "II.1.3") in keys and ("long-thanh-2024", "3.1-2") in keys
    regs = load_registers()
    assert task_key_problem("bac-giang-2025", "I.1", "", regs) is None
    assert task_key_problem("bac-giang-2025", "II.6.2", "2025-06", regs) is None
    assert task_key_problem("bac-giang-2025", "I.3", "2025Q2", regs) is None  # activity report
    assert task_key_problem("bac-giang-2025", "I.3", "", regs) is None
    assert task_key_problem("nope", "I.1", "", regs) == (
        "unknown plan 'nope': no task register nope.tasks.yaml")
    assert task_key_problem("bac-giang-2025", "IX.9", "", regs) == (
        "plan bac-giang-2025 has no task 'IX.9'")
    assert task_key_problem("bac-giang-2025", "I.1", "2025Q1", regs) == (
        "task I.1 of bac-giang-2025 has one due date: leave occurrence empty")
    assert task_key_problem("bac-giang-2025", "II.6.2", "", regs) == (
        "task II.6.2 of bac-giang-2025 is recurring: occurrence must be one of "
        "2025-03, 2025-06, 2025-09, 2025-12")
    assert task_key_problem("bac-giang-2025", "I.3", "quý 2", regs).startswith(
        "occurrence 'quý 2' of task I.3 is not a period id")


def test_registers_are_not_plans():
    names = {p.name for p in plan_files(PLANS_DIR)}
    assert not any(n.endswith(".tasks.yaml") for n in names)
    assert len(list(PLANS_DIR.glob("*.tasks.yaml"))) == len(PLAN_IDS)


# ------------------------------------------------------------------ errors name file and key
def _reg(**over):
    data = {
        "plan_id": "x", "year": 2025,
        "groups": {"I": "NHÓM"},
        "parties": {"Các sở": [{"level": "department"}]},
        "tasks": [{"task_id": "I.1", "group": "I", "text": "Việc", "lead": "Các sở",
                   "deadline": "Tháng 02/2025"}],
    }
    data.update(over)
    return data


@pytest.mark.parametrize(("change", "message"), [
    ({"tasks": [{"task_id": "I.1", "text": "a", "deadline": "x"}]},
     "bad.tasks.yaml: tasks[0].deadline: cannot read the deadline 'x'"),
    ({"tasks": [{"task_id": "I.1", "text": "a"}, {"task_id": "I.1", "text": "b"}]},
     "bad.tasks.yaml: tasks[1].task_id: duplicate task_id 'I.1' (also tasks[0])"),
    ({"tasks": [{"task_id": "I.1", "text": "a", "lead": "Sở X"}]},
     "bad.tasks.yaml: tasks[0].lead: 'Sở X' is not in parties"),
    ({"tasks": [{"task_id": "I.1", "text": "a", "group": "II"}]},
     "bad.tasks.yaml: tasks[0].group: no group 'II' in groups"),
    ({"tasks": [{"task_id": "I.1", "text": "a",
                 "deadline": {"printed": "Tháng 02/2025", "due": "2025-02-27"}}]},
     "bad.tasks.yaml: tasks[0].deadline.due: datetime.date(2025, 2, 27), but 'Tháng 02/2025' "
     "reads as datetime.date(2025, 2, 28)"),
    ({"tasks": [{"task_id": "I.1", "text": "a",
                 "deadline": {"printed": "Quý I/2025", "kind": "month"}}]},
     "bad.tasks.yaml: tasks[0].deadline.kind: 'month', but 'Quý I/2025' reads as 'quarter'"),
    ({"tasks": [{"task_id": "I.1", "text": "a",
                 "deadline": {"printed": "Thường xuân", "read_as": "Thường xuyên"}}]},
     "bad.tasks.yaml: tasks[0].flag: a deadline with read_as needs a flag"),
    ({"tasks": [{"task_id": "a/b", "text": "a"}]},
     "bad.tasks.yaml: tasks[0].task_id: 'a/b': id contains a path separator"),
    ({"tasks": [{"task_id": "I.1", "txt": "a"}]},
     "bad.tasks.yaml: tasks[0].txt: unknown key"),
    ({"parties": {"Các sở": [{"level": "ward"}]}},
     "bad.tasks.yaml: parties.Các sở[0].level: 'ward' is not a level"),
    ({"parties": {"Các sở": [{"role": "so tttt"}]}},
     "bad.tasks.yaml: parties.Các sở[0].role: 'so tttt': a role code is ascii words"),
    ({"parties": {"Các sở": [{"role": "x", "or_self": True}]}},
     "bad.tasks.yaml: parties.Các sở[0].or_self: or_self needs 'of'"),
])
def test_register_errors_name_the_file_and_the_key(change, message):
    with pytest.raises(TaskRegisterError) as exc:
        register_from_dict(_reg(**change), "bad.tasks.yaml")
    assert str(exc.value).startswith(message), str(exc.value)


def test_register_file_name_must_match_plan_id(tmp_path: Path):
    p = tmp_path / "other.tasks.yaml"
    p.write_text(yaml.safe_dump(_reg(), allow_unicode=True), encoding="utf-8")
    with pytest.raises(TaskRegisterError, match=r"other\.tasks\.yaml: plan_id: 'x' does not match"):
        load_register(p)
    with pytest.raises(TaskRegisterError, match="task register not found"):
        load_register(tmp_path / "x.tasks.yaml")


def test_a_register_of_recurring_dues_round_trips():
    reg = register_from_dict(_reg(tasks=[{
        "task_id": "I.1", "text": "Báo cáo",
        "deadline": {"printed": "Tháng 3, 6/2025", "kind": "recurring",
                     "due": {"2025-03": "2025-03-31", "2025-06": "2025-06-30"}}}]))
    assert [o.id for o in reg.task("I.1").parsed.occurrences] == ["2025-03", "2025-06"]


# ------------------------------------------------------------------ the plan's reading of "Trước"
_PLAN = {"plan_id": "x", "title": "Kế hoạch x", "issuer": "UBND", "calendar": "nd09",
         "valid_from": "2025-01-01", "valid_to": "2025-12-31", "levels": ["department"],
         "targets": []}


def _write(folder: Path, plan: dict | None, register: dict) -> Path:
    if plan is not None:
        (folder / "x.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    reg = folder / "x.tasks.yaml"
    reg.write_text(yaml.safe_dump(register, allow_unicode=True), encoding="utf-8")
    return reg


def test_a_register_reads_trước_as_its_plan_file_says(tmp_path: Path):
    register = _reg(tasks=[{"task_id": "I.1", "text": "Kế hoạch", "lead": "Các sở",
                            "deadline": "Trước ngày 30/01/2025"},
                           {"task_id": "I.2", "text": "Báo cáo", "lead": "Các sở",
                            "deadline": "Đến ngày 31/01/2025"}])
    default = load_register(_write(tmp_path, _PLAN, register))
    assert default.named_day_is_last_day is True
    assert default.task("I.1").parsed.due == date(2025, 1, 30)
    strict = load_register(_write(tmp_path, {**_PLAN, "named_day_is_last_day": False}, register))
    assert strict.named_day_is_last_day is False
    assert strict.task("I.1").parsed.due == date(2025, 1, 29)       # before 30/01: 29/01
    assert strict.task("I.2").parsed.due == date(2025, 1, 31)       # "đến ngày": the day itself
    # find_register gives a Plan's own setting (here one built in code, not the file's)
    plan = find_plan(tmp_path / "x.yaml").model_copy(update={"named_day_is_last_day": True})
    reg = find_register(plan)
    assert reg is not None and reg.task("I.1").parsed.due == date(2025, 1, 30)


def test_the_reading_has_one_home_the_plan_file(tmp_path: Path):
    with pytest.raises(TaskRegisterError) as exc:
        register_from_dict(_reg(named_day_is_last_day=False), "x.tasks.yaml")
    assert str(exc.value).startswith(
        "x.tasks.yaml: named_day_is_last_day: the reading of 'Trước ngày …' is declared once, "
        "in the plan file (x.yaml)"), str(exc.value)
    with pytest.raises(TaskRegisterError) as exc:
        load_register(_write(tmp_path, None, _reg()))
    assert str(exc.value).startswith("x.tasks.yaml: no plan file x.yaml beside it"), str(exc.value)
    # a due date pinned under one reading fails under the other, naming file and key
    pinned = _reg(tasks=[{"task_id": "I.1", "text": "a", "deadline": {
        "printed": "Trước ngày 30/01/2025", "due": "2025-01-30"}}])
    with pytest.raises(TaskRegisterError) as exc:
        load_register(_write(tmp_path, {**_PLAN, "named_day_is_last_day": False}, pinned))
    assert str(exc.value) == (
        "x.tasks.yaml: tasks[0].deadline.due: datetime.date(2025, 1, 30), but 'Trước ngày "
        "30/01/2025' reads as datetime.date(2025, 1, 29)")
