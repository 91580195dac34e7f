"""Task registers: the assignment table of a plan as data (``params/plans/<plan_id>.tasks.yaml``).

Every row of a plan's task table (Phụ lục "Nhiệm vụ cụ thể", or the prose "Cơ quan chủ trì … Cơ
quan phối hợp … Thời gian thực hiện" of Bắc Ninh 2021) is one task: its number as printed, its
section heading, the seed's words, the lead and supporting bodies as printed, the expected product
and the deadline as printed. Printed bodies resolve to store units through the register's
``parties`` (declared once per wording: unit levels, or unit roles carried in ``units.roles``);
printed deadlines are read by :mod:`scorecard.tasks.deadlines` with the reading of "trước <ngày>"
that the plan file declares (its ``named_day_is_last_day``: one home, read by the plan's targets
and by its register), and a register that also writes the parsed form (``kind``, ``due``) is
checked against the parser, so a reading is pinned in the file.
The format is explained in params/plans/README.md §"Task registers".

Loading validates everything and names the file and key of each error. No database access.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from scorecard.config import PLANS_DIR
from scorecard.errors import ScorecardError
from scorecard.outputs import id_problem
from scorecard.plans import Plan, load_plan
from scorecard.store import LEVELS
from scorecard.tasks.deadlines import KINDS, Deadline, DeadlineError, parse_deadline

#: File name suffix of a task register beside its plan file.
REGISTER_SUFFIX = ".tasks.yaml"


class TaskRegisterError(ScorecardError, ValueError):
    """A task register that cannot be read or is invalid; the message names the file and key."""


class _Problem(ValueError):
    """A validation error that belongs to a sub-key (``loc``) of the object validated."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


class Selector(BaseModel):
    """Which store units a printed body stands for.

    - ``{level: department}``: every unit of that level in the plan's scope;
    - ``{role: so_tttt}``: every unit in scope whose ``units.roles`` lists the role;
    - ``{role: van_phong_ubnd, of: province}``: for each province-level unit in scope, the
      holders of the role that are that unit or directly under it (the province's office, not a
      district's); with ``or_self: true`` the unit itself when none of them carries the role (the
      store keeps the UBND as one unit: it acts through its office).
    """

    model_config = ConfigDict(extra="forbid")

    level: str | None = None
    role: str | None = None
    of: str | None = None
    or_self: bool = False

    @model_validator(mode="after")
    def _one_form(self) -> Selector:
        if (self.level is None) == (self.role is None):
            raise ValueError("a selector names either a level or a role")
        for key in ("level", "of"):
            value = getattr(self, key)
            if value is not None and value not in LEVELS:
                raise _Problem((key,), f"{value!r} is not a level: use {', '.join(LEVELS)}")
        if self.role is not None and (not self.role.isascii() or not
                                      self.role.replace("_", "").isalnum()):
            raise _Problem(("role",), f"{self.role!r}: a role code is ascii words joined by '_'")
        if self.level is not None and (self.of is not None or self.or_self):
            raise ValueError("'of' and 'or_self' go with a role, not a level")
        if self.or_self and self.of is None:
            raise _Problem(("or_self",), "or_self needs 'of' (the level whose unit stands in)")
        return self


class DeadlineSpec(BaseModel):
    """A printed deadline and, optionally, its parsed form (checked against the parser)."""

    model_config = ConfigDict(extra="forbid")

    printed: str = ""
    #: the words the parser reads when the printed ones are garbled or carry a sentence
    read_as: str | None = None
    kind: str | None = None
    #: a date for a single deadline, {occurrence: date} for a recurring one
    due: date | dict[str, date] | None = None


class Task(BaseModel):
    """One row of a plan's task table."""

    model_config = ConfigDict(extra="forbid")

    task_id: str = Field(min_length=1)
    number: str = ""          # the row's number as printed ('-' for a dash row, '' for none)
    group: str | None = None  # key of the section heading in the register's groups
    objective: str | None = None  # "Mục tiêu" column (Long Thành 2024)
    text: str = ""            # empty for the second part of a row printed in two parts
    details: list[str] = Field(default_factory=list)  # activities printed under the task
    lead: str = ""
    support: str = ""
    product: str = ""
    deadline: DeadlineSpec = Field(default_factory=DeadlineSpec)
    flag: str | None = None   # what is ambiguous in the printed row, and the reading chosen
    note: str | None = None

    _parsed: Deadline | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _short_deadline(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("deadline"), str):
            data = {**data, "deadline": {"printed": data["deadline"]}}
        return data

    @model_validator(mode="after")
    def _has_words(self) -> Task:
        if not (self.text or self.product):
            raise ValueError("a task needs its text (or, for a row printed without one, its product)")
        return self

    @property
    def words(self) -> str:
        """What the task is, for listings: its text, else its product."""
        return self.text or self.product

    @property
    def parsed(self) -> Deadline:
        """The parsed deadline (set when the register is validated)."""
        if self._parsed is None:  # pragma: no cover - set by Register validation
            raise RuntimeError("task not validated inside a register")
        return self._parsed


class Register(BaseModel):
    """A plan's task register.

    Its deadlines are read with the plan's ``named_day_is_last_day`` (the validation context's
    key of that name, default True): :func:`load_register` and :func:`find_register` take it
    from the plan file beside the register.
    """

    model_config = ConfigDict(extra="forbid")

    plan_id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    seed: str | None = None
    table: str = ""                  # the table's title as printed
    columns: list[str] = Field(default_factory=list)  # the table's column headings as printed
    year: int | None = None          # year of deadlines printed without one ("Quý IV")
    groups: dict[str, str] = Field(default_factory=dict)
    parties: dict[str, list[Selector]] = Field(default_factory=dict)
    tasks: list[Task] = Field(default_factory=list)

    _path: Path | None = PrivateAttr(default=None)
    _named_day_is_last_day: bool = PrivateAttr(default=True)

    @model_validator(mode="before")
    @classmethod
    def _reading_is_the_plans(cls, data: Any) -> Any:
        if isinstance(data, dict) and "named_day_is_last_day" in data:
            raise _Problem(("named_day_is_last_day",), (
                "the reading of 'Trước ngày …' is declared once, in the plan file "
                f"({data.get('plan_id', '<plan_id>')}.yaml), and read by its targets and its "
                "register: remove it here"))
        return data

    @model_validator(mode="after")
    def _whole(self, info: ValidationInfo) -> Register:
        self._named_day_is_last_day = bool((info.context or {}).get("named_day_is_last_day",
                                                                    True))
        seen: dict[str, int] = {}
        for i, t in enumerate(self.tasks):
            if (problem := id_problem(t.task_id)) is not None:
                raise _Problem(("tasks", i, "task_id"), f"{t.task_id!r}: {problem}")
            if t.task_id in seen:
                raise _Problem(("tasks", i, "task_id"),
                               f"duplicate task_id {t.task_id!r} (also tasks[{seen[t.task_id]}])")
            seen[t.task_id] = i
            if t.group is not None and t.group not in self.groups:
                raise _Problem(("tasks", i, "group"), f"no group {t.group!r} in groups")
            for key in ("lead", "support"):
                printed = getattr(t, key)
                if printed and printed not in self.parties:
                    raise _Problem((
                        "tasks", i, key),
                        f"{printed!r} is not in parties: say which units it stands for "
                        f"(an empty list when it names no unit of the store)")
            t._parsed = self._parse(t, i)
        return self

    def _parse(self, t: Task, i: int) -> Deadline:
        spec = t.deadline
        words = spec.read_as if spec.read_as is not None else spec.printed
        try:
            parsed = parse_deadline(words, year=self.year,
                                    named_day_is_last_day=self._named_day_is_last_day)
        except DeadlineError as exc:
            raise _Problem(("tasks", i, "deadline"), str(exc)) from None
        if spec.kind is not None:
            if spec.kind not in KINDS:
                raise _Problem(("tasks", i, "deadline", "kind"),
                               f"{spec.kind!r} is not one of {' '.join(KINDS)}")
            if spec.kind != parsed.kind:
                raise _Problem(("tasks", i, "deadline", "kind"),
                               f"{spec.kind!r}, but {words!r} reads as {parsed.kind!r}")
        if spec.due is not None:
            got: date | dict[str, date] | None = (
                parsed.due_by_occurrence() if parsed.recurring else parsed.due)
            if spec.due != got:
                raise _Problem(("tasks", i, "deadline", "due"),
                               f"{spec.due!r}, but {words!r} reads as {got!r}")
        if spec.read_as is not None and not t.flag:
            raise _Problem(("tasks", i, "flag"),
                           "a deadline with read_as needs a flag saying why the printed words "
                           "are not read as printed")
        return parsed

    # ------------------------------------------------------------------ helpers
    @property
    def path(self) -> Path | None:
        return self._path

    @property
    def named_day_is_last_day(self) -> bool:
        """The plan's reading of "Trước ngày 30/01/2025" its deadlines were read with (True: 30/01
        is the last day allowed; False: 29/01)."""
        return self._named_day_is_last_day

    def task(self, task_id: str) -> Task:
        for t in self.tasks:
            if t.task_id == task_id:
                return t
        raise KeyError(task_id)

    def group_title(self, group: str | None) -> str:
        return self.groups.get(group or "", "")


# ------------------------------------------------------------------ loading
def _loc_text(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out or "(top)"


def _format(name: str, exc: ValidationError) -> str:
    """One line per error: ``<file>: <key path>: <message>``."""
    lines = []
    for err in exc.errors():
        loc, msg = tuple(err["loc"]), err["msg"]
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, _Problem):
            loc, msg = loc + cause.loc, str(cause)
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (see params/plans/README.md, 'Task registers')"
        lines.append(f"{name}: {_loc_text(loc)}: {msg}")
    return "\n".join(lines)


def register_from_dict(data: Any, name: str = "<register>", *,
                       named_day_is_last_day: bool = True) -> Register:
    """Validate a parsed register, reading its deadlines with ``named_day_is_last_day`` (its
    plan's setting); errors are :class:`TaskRegisterError` naming ``name`` and key."""
    if not isinstance(data, dict):
        raise TaskRegisterError(f"{name}: a task register is a mapping of keys (plan_id, tasks, …)")
    try:
        return Register.model_validate(
            data, context={"named_day_is_last_day": named_day_is_last_day})
    except ValidationError as exc:
        raise TaskRegisterError(_format(name, exc)) from None


def register_path(plan_id: str, directory: str | Path = PLANS_DIR) -> Path:
    """Where the register of ``plan_id`` lives in ``directory``."""
    return Path(directory) / f"{plan_id}{REGISTER_SUFFIX}"


def _plan_beside(p: Path, plan_id: str) -> Plan:
    """The plan file ``<plan_id>.yaml`` beside the register ``p`` (it holds the register's reading
    of "trước <ngày>")."""
    plan_file = p.parent / f"{plan_id}.yaml"
    if not plan_file.is_file():
        raise TaskRegisterError(
            f"{p.name}: no plan file {plan_file.name} beside it: a task register belongs to its "
            f"plan, which declares how its deadlines read (named_day_is_last_day)")
    return load_plan(plan_file)


def load_register(path: str | Path, plan: Plan | None = None) -> Register:
    """Read and validate a register file; its plan_id must match the file name.

    Its deadlines are read with ``plan``'s ``named_day_is_last_day``; without ``plan``, with that
    of the plan file beside the register (``<plan_id>.yaml``, which must exist).
    """
    p = Path(path)
    if not p.is_file():
        raise TaskRegisterError(f"task register not found: {p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TaskRegisterError(
            f"{p.name}: not a readable YAML file: {str(exc).splitlines()[0]}") from None
    stem = p.name[: -len(REGISTER_SUFFIX)] if p.name.endswith(REGISTER_SUFFIX) else p.stem

    def mismatch(plan_id: object) -> TaskRegisterError:
        return TaskRegisterError(
            f"{p.name}: plan_id: {plan_id!r} does not match the file name {stem!r}")

    named = data.get("plan_id") if isinstance(data, dict) else None
    if isinstance(named, str) and named != stem:
        raise mismatch(named)
    if plan is not None and plan.plan_id != stem:
        raise TaskRegisterError(f"{p.name}: the register of plan {stem!r}, not of {plan.plan_id!r}")
    reading = (plan if plan is not None else _plan_beside(p, stem)).named_day_is_last_day
    reg = register_from_dict(data, p.name, named_day_is_last_day=reading)
    if reg.plan_id != stem:
        raise mismatch(reg.plan_id)
    reg._path = p
    return reg


def register_files(directory: str | Path = PLANS_DIR) -> list[Path]:
    """The task registers of a plan directory, sorted by name."""
    return sorted(Path(directory).glob(f"*{REGISTER_SUFFIX}"))


def find_register(plan: Plan | str, directory: str | Path | None = None) -> Register | None:
    """The register beside ``plan`` (a Plan or a plan_id), or None when the plan has none.

    A Plan loaded from a file is looked up beside that file; otherwise in ``directory``
    (default params/plans). A Plan gives its own ``named_day_is_last_day``; a plan_id, the plan
    file's beside the register.
    """
    plan_id = plan if isinstance(plan, str) else plan.plan_id
    if directory is None:
        path = getattr(plan, "path", None)
        directory = path.parent if path is not None else PLANS_DIR
    p = register_path(plan_id, directory)
    if not p.is_file():
        return None
    return load_register(p, plan=None if isinstance(plan, str) else plan)


def load_registers(directory: str | Path = PLANS_DIR) -> dict[str, Register]:
    """Every register of ``directory`` by plan_id."""
    return {r.plan_id: r for r in map(load_register, register_files(directory))}


@functools.cache
def _cached_registers(directory: str) -> dict[str, Register]:
    return load_registers(directory)


def known_task_keys(directory: str | Path = PLANS_DIR) -> frozenset[tuple[str, str]]:
    """The ``(plan_id, task_id)`` pairs of every register in ``directory``: the keys a
    ``task_status`` row may name."""
    return frozenset((r.plan_id, t.task_id)
                     for r in load_registers(directory).values() for t in r.tasks)


def task_key_problem(plan_id: str, task_id: str, occurrence: str | None,
                     registers: Mapping[str, Register] | None = None) -> str | None:
    """Why a ``task_status`` row's (plan_id, task_id, occurrence) is not a known task occurrence
    (a reason in English, as rejects store them), or None when it is.

    ``registers`` defaults to those of params/plans. A task that is not recurring takes the
    occurrence '' (empty); a recurring one takes one of its period ids; a task without a due date
    (continuous, on demand) takes '' or a period id of the activity reported.
    """
    regs = registers if registers is not None else _cached_registers(str(PLANS_DIR))
    reg = regs.get(plan_id)
    if reg is None:
        return f"unknown plan {plan_id!r}: no task register {plan_id}{REGISTER_SUFFIX}"
    try:
        task = reg.task(task_id)
    except KeyError:
        return f"plan {plan_id} has no task {task_id!r}"
    occ = occurrence or ""
    parsed = task.parsed
    if parsed.recurring:
        ids = [o.id for o in parsed.occurrences]
        if occ not in ids:
            return (f"task {task_id} of {plan_id} is recurring: occurrence must be one of "
                    f"{', '.join(ids)}")
        return None
    if parsed.has_due:
        return None if occ == "" else (
            f"task {task_id} of {plan_id} has one due date: leave occurrence empty")
    if occ == "":
        return None
    from scorecard.periods import PeriodError, parse_period

    try:
        parse_period(occ)
    except PeriodError:
        return f"occurrence {occ!r} of task {task_id} is not a period id (2025Q1, 2025-03, 2025)"
    return None
