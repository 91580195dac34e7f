"""Plans as parameters: the model of ``params/plans/<plan_id>.yaml`` and its loading.

A plan is a provincial (or departmental, district) TTHC-control plan turned into data: who issued
it, which calendar its reports use, which unit levels it covers, and its measurable targets
(indicator, comparator, threshold, levels, fields, validity, clause and original words). The file
format is fixed in docs/design.md §"Plan files"; the optional keys this module adds are documented
in params/plans/README.md. Loading validates everything and names the file and the key of every
error, e.g. ``bac-giang-2025.yaml: targets[3].comparator: '>>' is not one of > >= == <= <``.

No database access here.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from scorecard.config import PLANS_DIR
from scorecard.errors import ScorecardError
from scorecard.periods import CALENDARS
from scorecard.store import LEVELS

COMPARATORS: tuple[str, ...] = (">", ">=", "==", "<=", "<")
MEASURES: tuple[str, ...] = ("computed", "manual")
SCOPES: tuple[str, ...] = ("own", "tree")
#: How a target is judged: each unit's own figure (``unit``), one pooled figure per level of the
#: plan's scope (``level``), or the share of a level's units meeting a ``condition``.
BASES: tuple[str, ...] = ("unit", "level", "share_of_units")
#: When a target is judged: in every period, or once its ``due`` date has come.
TIMINGS: tuple[str, ...] = ("each_period", "by_deadline")
#: What an each-period target's value covers: the period, or the year up to the period's end.
WINDOWS: tuple[str, ...] = ("period", "ytd")
#: Kinds of a target's value: a rate is a fraction in [0, 1]; a count is a number of cases;
#: a ratio is an unbounded quotient (e.g. year over year, this year's count over last year's).
KINDS: tuple[str, ...] = ("rate", "count", "ratio")

@functools.cache
def known_indicators() -> dict[str, str]:
    """Indicator id -> kind (``rate``, ``count`` or ``ratio``) of every catalogue indicator."""
    from scorecard.indicators.catalogue import CATALOGUE

    return {ind_id: decl.kind for ind_id, decl in CATALOGUE.items()}


def indicator_label(indicator: str) -> str | None:
    """Vietnamese label of a catalogue indicator, or None when unknown."""
    from scorecard.indicators.catalogue import CATALOGUE

    decl = CATALOGUE.get(indicator)
    return decl.label_vi if decl is not None else None


def provider_problem(indicator: str, *, fields: list[str], window: str | None, judged: str,
                     basis: str) -> tuple[str, str] | None:
    """(key, why) when a target on ``indicator`` asks for something the module computing it
    cannot give (``CATALOGUE[indicator].computed_by``); None for a case indicator or a target
    it can serve."""
    from scorecard.indicators.catalogue import computed_by

    cb = computed_by(indicator)
    if cb is None:
        return None
    if fields and not cb.fields:
        return ("fields", f"{indicator} is computed by {cb.function}, which knows no fields: "
                          "leave fields out")
    if window == "ytd":
        why = cb.refusal(indicator, "ytd")
        if why:
            return ("window", why + "; leave window out")
    if judged == "by_deadline":
        why = cb.refusal(indicator, "cumulative")
        if why:
            return ("judged", why + "; judge it each_period")
    if basis == "level" and not cb.poolable:
        return ("basis", f"{indicator} is computed by {cb.function}, whose figures do not add "
                         "up over units: no pooled level figure (use basis unit or "
                         "share_of_units)")
    return None


def denominator_variants(indicator: str) -> list[str] | None:
    """Names of the denominator variants of a catalogue indicator (None when unknown)."""
    from scorecard.indicators.catalogue import CATALOGUE

    decl = CATALOGUE.get(indicator)
    return None if decl is None else [v.name for v in decl.variants]


class PlanError(ScorecardError, ValueError):
    """A plan file that cannot be read or is invalid; the message names the file and the key."""


class _KeyError(ValueError):
    """A validation error that belongs to a sub-key (``loc``) of the object validated."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


def parse_threshold(value: Any) -> float:
    """A threshold as a float: numbers as they are, ``"95%"`` -> 0.95, ``"0.95"`` -> 0.95.

    The conversion goes through Decimal so ``"95,5%"``/``"95.5%"`` become exactly 0.955.
    """
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a number: write 0.95 or '95%'")
    if isinstance(value, int | float):
        number = Decimal(str(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", ".")
        percent = text.endswith("%")
        try:
            number = Decimal(text[:-1].strip() if percent else text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number: write 0.95 or '95%'") from None
        if percent:
            number /= 100
    else:
        raise ValueError(f"{value!r} is not a number: write 0.95 or '95%'")
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    if number < 0:
        raise ValueError(f"{value!r} is negative")
    return float(number)


def exact(value: float | int | Decimal) -> Fraction:
    """The exact rational of a decimal number as written (0.95 -> 19/20, not the binary float)."""
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(Decimal(str(value)))


def _check_indicator(v: str, measure: str | None) -> str:
    """A catalogue indicator id, or any ascii id for a manual measurement."""
    if measure == "manual":
        if not v.replace("_", "").isalnum() or not v.isascii():
            raise ValueError(f"{v!r}: manual indicator ids are ascii words joined by '_'")
        return v
    if v not in known_indicators():
        raise ValueError(
            f"unknown indicator id {v!r} (not in the catalogue; use `measure: manual` for "
            f"measurements case data cannot give)"
        )
    return v


def _rate_threshold(v: Any, kind: str | None) -> float:
    number = parse_threshold(v)
    if kind == "rate" and number > 1:
        raise ValueError(
            f"{v!r}: a rate threshold is a fraction of 1; write {number / 100:g} or "
            f"'{v}%', not {v!r}"
        )
    return number


def _comparator_of(v: Any) -> str:
    if not isinstance(v, str) or v.strip() not in COMPARATORS:
        raise ValueError(f"{v!r} is not one of {' '.join(COMPARATORS)}")
    return v.strip()


class Condition(BaseModel):
    """What a unit must meet to count for a ``share_of_units`` target (e.g. "a commune whose
    results are all electronic"): an indicator of the unit, a comparator and a threshold."""

    model_config = ConfigDict(extra="forbid")

    measure: Literal["computed", "manual"] = "computed"
    indicator: str = Field(min_length=1)
    kind: str | None = Field(default=None, validate_default=True)
    comparator: str
    threshold: float

    @field_validator("indicator")
    @classmethod
    def _indicator_known(cls, v: str, info: ValidationInfo) -> str:
        return _check_indicator(v, info.data.get("measure"))

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None and v not in KINDS:
            raise ValueError(f"{v!r} is not one of {' '.join(KINDS)}")
        if info.data.get("measure") == "manual":
            return v or "rate"
        return known_indicators().get(info.data.get("indicator") or "", v)

    @field_validator("comparator", mode="before")
    @classmethod
    def _comparator(cls, v: Any) -> str:
        return _comparator_of(v)

    @field_validator("threshold", mode="before")
    @classmethod
    def _threshold(cls, v: Any, info: ValidationInfo) -> float:
        return _rate_threshold(v, info.data.get("kind"))

    @property
    def threshold_exact(self) -> Fraction:
        return exact(self.threshold)


class Target(BaseModel):
    """One measurable target of a plan. Field order matters: validators read earlier fields."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    basis: Literal["unit", "level", "share_of_units"] = "unit"
    condition: Condition | None = None
    measure: Literal["computed", "manual"] = "computed"
    indicator: str = Field(min_length=1)
    kind: str | None = Field(default=None, validate_default=True)
    comparator: str
    threshold: float
    judged: Literal["each_period", "by_deadline"] = "each_period"
    due: date | None = None
    due_words: str | None = None
    window: Literal["period", "ytd"] | None = None
    levels: list[str] | None = None
    fields: list[str] = Field(default_factory=list)
    scope: Literal["own", "tree"] = "own"
    denominator: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    level_valid_to: dict[str, date] | None = None
    clause: str = Field(min_length=1)
    text: str = Field(min_length=1)
    label: str | None = None
    flag: str | None = None
    conflicts_with: list[str] = Field(default_factory=list)
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _share_of_units(cls, data: Any) -> Any:
        """A share-of-units target measures its condition's indicator (same measure), and its
        own value is a share of units: a rate."""
        if not isinstance(data, dict) or data.get("basis") != "share_of_units":
            return data
        cond = data.get("condition")
        if not isinstance(cond, dict):
            return data  # reported by the after-validator
        data = dict(data)
        if "indicator" in cond:
            if data.get("indicator", cond["indicator"]) != cond["indicator"]:
                raise _KeyError(("indicator",), "a share_of_units target measures its "
                                "condition's indicator: leave indicator out or repeat it")
            data["indicator"] = cond["indicator"]
        measure = cond.get("measure", "computed")
        if data.get("measure", measure) != measure:
            raise _KeyError(("measure",), "a share_of_units target has its condition's measure")
        data["measure"] = measure
        if data.get("kind", "rate") != "rate":
            raise _KeyError(("kind",), "a share_of_units target is a share of units: a rate")
        data["kind"] = "rate"
        return data

    @field_validator("indicator")
    @classmethod
    def _indicator_known(cls, v: str, info: ValidationInfo) -> str:
        return _check_indicator(v, info.data.get("measure"))

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is not None and v not in KINDS:
            raise ValueError(f"{v!r} is not one of {' '.join(KINDS)}")
        indicator = info.data.get("indicator")
        if info.data.get("basis") == "share_of_units":
            return "rate"
        if info.data.get("measure") == "manual":
            return v or "rate"
        if indicator is None:  # the indicator failed validation; reported there
            return v
        catalogue_kind = known_indicators().get(indicator)
        if v is not None and catalogue_kind is not None and v != catalogue_kind:
            raise ValueError(f"{indicator} is a {catalogue_kind} in the catalogue, not a {v}")
        return catalogue_kind or v

    @field_validator("comparator", mode="before")
    @classmethod
    def _comparator(cls, v: Any) -> str:
        return _comparator_of(v)

    @field_validator("threshold", mode="before")
    @classmethod
    def _threshold(cls, v: Any, info: ValidationInfo) -> float:
        return _rate_threshold(v, info.data.get("kind"))

    @field_validator("denominator")
    @classmethod
    def _denominator(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is None or info.data.get("measure") == "manual":
            return v
        names = denominator_variants(info.data.get("indicator") or "")
        if names is not None and v not in names:
            raise ValueError(
                f"{v!r} is not a denominator variant of {info.data.get('indicator')}: "
                f"use one of {', '.join(names)}"
            )
        return v

    @field_validator("levels", "level_valid_to")
    @classmethod
    def _levels(cls, v: Any) -> Any:
        if v is None:
            return v
        for level in v:
            if level not in LEVELS:
                raise ValueError(f"{level!r} is not a level: use {', '.join(LEVELS)}")
        return v

    @model_validator(mode="after")
    def _dates(self) -> Target:
        if self.valid_from and self.valid_to and self.valid_from > self.valid_to:
            raise _KeyError(("valid_to",), f"{self.valid_to} is before valid_from {self.valid_from}")
        if self.id in self.conflicts_with:
            raise _KeyError(("conflicts_with",), f"target {self.id!r} cannot conflict with itself")
        if self.basis == "share_of_units" and self.condition is None:
            raise _KeyError(("condition",), "a share_of_units target needs a condition "
                            "(indicator, comparator, threshold) that each unit must meet")
        if self.basis != "share_of_units" and self.condition is not None:
            raise _KeyError(("condition",), "only a share_of_units target has a condition")
        if self.basis != "unit" and self.scope == "tree":
            raise _KeyError(("scope",), f"a {self.basis} target pools units itself: "
                            "scope: tree applies to basis: unit only")
        if self.judged == "by_deadline" and self.window is not None:
            raise _KeyError(("window",), "a by_deadline target is judged on its value from its "
                            "start to the due date: leave window out")
        # due and due_words are settled by the plan, which holds the reading of "trước <ngày>"
        if self.measure == "computed":
            problem = provider_problem(self.indicator, fields=self.fields, window=self.window,
                                       judged=self.judged, basis=self.basis)
            if problem is not None:
                raise _KeyError((problem[0],), problem[1])
        return self

    def _settle_due(self, named_day_is_last_day: bool) -> None:
        """Set ``due`` from ``due_words`` read as the plan's task register reads its deadlines
        (:func:`scorecard.tasks.deadlines.single_due`, the plan's ``named_day_is_last_day``), and
        check the timing keys. A ``due`` written beside words that name one date must agree
        with them; words that name none ("Thường xuyên") or no year need ``due``. Raises
        :class:`_KeyError` (the key relative to the target)."""
        from scorecard.tasks.deadlines import single_due

        derived = (single_due(self.due_words, named_day_is_last_day=named_day_is_last_day)
                   if self.due_words is not None else None)
        if derived is not None:
            if self.due is not None and self.due != derived:
                raise _KeyError(("due",), (
                    f"{self.due}, but due_words {self.due_words!r} read as {derived} under the "
                    f"plan's named_day_is_last_day: {str(named_day_is_last_day).lower()}: leave "
                    f"due out (it is derived from the words) or change the plan's setting"))
            self.due = derived
        if self.judged == "by_deadline" and self.due is None:
            why = (f": due_words {self.due_words!r} name no single date" if self.due_words
                   else "")
            raise _KeyError(("due",), "a by_deadline target needs its due date: due_words that "
                            "name one date ('Trước 15/12/2025', 'Quý III/2024') or due "
                            f"(YYYY-MM-DD){why}")
        if self.judged == "each_period" and self.due is not None:
            key = "judged" if derived is None else "due_words"
            raise _KeyError((key,), "a target with a due date is judged: by_deadline")
        if self.due_words is not None and self.due is None:
            raise _KeyError(("due_words",), "due_words are the plan's words for the due date: "
                            "give the due date too")
        if self.due and self.valid_from and self.due < self.valid_from:
            raise _KeyError(("due",), f"{self.due} is before valid_from {self.valid_from}")

    # ------------------------------------------------------------------ helpers
    @property
    def threshold_exact(self) -> Fraction:
        """The threshold as an exact fraction (0.95 -> 19/20)."""
        return exact(self.threshold)

    @property
    def value_window(self) -> str:
        """What an each-period value covers: ``period`` (default) or ``ytd``."""
        return self.window or "period"

    def validity(self, level: str | None = None) -> tuple[date | None, date | None]:
        """First and last day the target applies to ``level`` (None = unbounded)."""
        last = self.valid_to
        cap = (self.level_valid_to or {}).get(level) if level else None
        if cap is not None and (last is None or cap < last):
            last = cap
        return self.valid_from, last

    def applies_to(self, level: str, period_first_day: date, period_last_day: date) -> bool:
        """True when the target covers ``level`` and its validity overlaps the period window."""
        if self.levels is not None and level not in self.levels:
            return False
        first, last = self.validity(level)
        if first is not None and period_last_day < first:
            return False
        return not (last is not None and period_first_day > last)

    @property
    def series(self) -> str:
        """Key of the indicator series the target reads ('' = all fields, default denominator).

        ``evaluate`` computes indicators once per distinct series and tags each row with it.
        """
        parts = []
        if self.fields:
            parts.append("fields=" + ",".join(sorted(self.fields)))
        if self.denominator:
            parts.append(f"variant={self.indicator}:{self.denominator}")
        return ";".join(parts)


class Plan(BaseModel):
    """A plan file (docs/design.md §"Plan files")."""

    model_config = ConfigDict(extra="forbid")

    plan_id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    issuer: str
    document_number: str | None = None
    document_date: date | None = None
    seed: str | None = None
    calendar: str = "nd09"
    #: "Trước ngày 30/01/2025": True (default, official practice) = 30/01 is the last day
    #: allowed; False = 29/01. Read by the targets' due_words and by the plan's task register.
    named_day_is_last_day: bool = True
    valid_from: date
    valid_to: date
    root_unit: str | None = None
    levels: list[str]
    level_valid_to: dict[str, date] = Field(default_factory=dict)
    notes: str | None = None
    targets: list[Target]

    _path: Path | None = PrivateAttr(default=None)

    @field_validator("calendar")
    @classmethod
    def _calendar(cls, v: str) -> str:
        if v not in CALENDARS:
            raise ValueError(f"{v!r} is not one of {' '.join(CALENDARS)}")
        return v

    @field_validator("levels", "level_valid_to")
    @classmethod
    def _levels(cls, v: Any) -> Any:
        for level in v:
            if level not in LEVELS:
                raise ValueError(f"{level!r} is not a level: use {', '.join(LEVELS)}")
        return v

    @model_validator(mode="after")
    def _whole(self) -> Plan:
        if self.valid_from > self.valid_to:
            raise _KeyError(("valid_to",), f"{self.valid_to} is before valid_from {self.valid_from}")
        seen: dict[str, int] = {}
        for i, t in enumerate(self.targets):
            if t.id in seen:
                raise _KeyError(
                    ("targets", i, "id"),
                    f"duplicate target id {t.id!r} (also targets[{seen[t.id]}])",
                )
            seen[t.id] = i
        for i, t in enumerate(self.targets):
            for other in t.conflicts_with:
                if other not in seen:
                    raise _KeyError(
                        ("targets", i, "conflicts_with"), f"no target with id {other!r}"
                    )
            if t.conflicts_with and not t.flag:
                raise _KeyError(
                    ("targets", i, "flag"),
                    "a target with conflicts_with needs a flag saying what the conflict is",
                )
            # defaults from the plan
            if t.levels is None:
                t.levels = list(self.levels)
            if t.valid_from is None:
                t.valid_from = self.valid_from
            if t.valid_to is None:
                t.valid_to = self.valid_to
            if t.level_valid_to is None:
                t.level_valid_to = dict(self.level_valid_to)
            try:
                t._settle_due(self.named_day_is_last_day)
            except _KeyError as exc:
                raise _KeyError(("targets", i, *exc.loc), str(exc)) from None
            if t.due is not None and t.valid_to is not None and t.due > t.valid_to:
                raise _KeyError(("targets", i, "due"),
                                f"{t.due} is after the target's valid_to {t.valid_to}")
        return self

    @property
    def path(self) -> Path | None:
        """The file the plan was loaded from (None when built in code)."""
        return self._path

    @property
    def all_levels(self) -> list[str]:
        """The levels the plan names (its own and its targets'), in store order."""
        named = set(self.levels)
        for t in self.targets:
            named.update(t.levels or ())
        return [lv for lv in LEVELS if lv in named]

    def target(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        raise KeyError(target_id)


def _loc_text(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


def format_validation_error(name: str, exc: ValidationError) -> str:
    """One line per error: ``<file>: <key path>: <message>``."""
    lines = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        msg = err["msg"]
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, _KeyError):
            loc = loc + cause.loc
            msg = str(cause)
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, "):]
        if err["type"] == "extra_forbidden":
            msg = "unknown key (see params/plans/README.md for the keys a plan may use)"
        lines.append(f"{name}: {_loc_text(loc)}: {msg}")
    return "\n".join(lines)


def plan_from_dict(data: Any, name: str = "<plan>") -> Plan:
    """Validate a parsed plan; errors are :class:`PlanError` naming ``name`` and the key."""
    if not isinstance(data, dict):
        raise PlanError(f"{name}: a plan file is a mapping of keys (plan_id, title, targets, ...)")
    try:
        return Plan.model_validate(data)
    except ValidationError as exc:
        raise PlanError(format_validation_error(name, exc)) from None


def load_plan(path: str | Path) -> Plan:
    """Read and validate a plan file (UTF-8 YAML); the plan_id must match the file name."""
    p = Path(path)
    if not p.is_file():
        raise PlanError(f"plan file not found: {p}")
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PlanError(f"{p.name}: not a readable YAML file: {str(exc).splitlines()[0]}") from None
    plan = plan_from_dict(data, p.name)
    if plan.plan_id != p.stem:
        raise PlanError(f"{p.name}: plan_id: {plan.plan_id!r} does not match the file name {p.stem!r}")
    plan._path = p
    return plan


def plan_files(directory: str | Path = PLANS_DIR) -> list[Path]:
    """The plan files of a directory, sorted by name (task registers, ``*.tasks.yaml``, are not
    plans)."""
    d = Path(directory)
    return sorted(f for f in [*d.glob("*.yaml"), *d.glob("*.yml")]
                  if not f.name.endswith(".tasks.yaml"))


def list_plans(directory: str | Path = PLANS_DIR) -> list[Plan]:
    """Every plan of ``directory``, sorted by plan_id (an invalid file raises PlanError)."""
    return sorted((load_plan(f) for f in plan_files(directory)), key=lambda p: p.plan_id)


def find_plan(name_or_path: str | Path, directory: str | Path = PLANS_DIR) -> Plan:
    """A plan by path (``params/plans/x.yaml``) or by plan_id (``bac-giang-2025``)."""
    p = Path(name_or_path)
    if p.is_file():
        return load_plan(p)
    if p.suffix in (".yaml", ".yml") or len(p.parts) > 1:
        raise PlanError(f"plan file not found: {p}")
    candidate = Path(directory) / f"{name_or_path}.yaml"
    if candidate.is_file():
        return load_plan(candidate)
    known = [f.stem for f in plan_files(directory)]
    raise PlanError(
        f"unknown plan {str(name_or_path)!r}: give a plan file or one of {', '.join(known) or '(none)'}"
    )
