"""Index profiles: ``params/index766/<name>.yaml`` parsed into a validated :class:`Profile`.

A profile declares groups, metrics (weights, caps, counts, zero-denominator rules, manual
fallback), rounding, the supplement-request setting, the progress rule, bands and ranking
scopes. The code only interprets it (domain.md §6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from scorecard.config import INDEX766_DIR, params_file
from scorecard.errors import ScorecardError
from scorecard.index766.counts import COUNTS
from scorecard.index766.progress import (
    DEFAULT_PROGRESS_RULE,
    UnknownProgressRule,
    resolve_progress_rule,
)


class ProfileError(ScorecardError, ValueError):
    """An unknown or inconsistent index profile."""


@dataclass(frozen=True)
class Metric:
    """One scored metric.

    ``source``: ``computed`` (``numerator``/``denominator`` are :data:`COUNTS` names) or
    ``manual`` (the rate comes from the ``manual`` table: indicator = ``manual_indicator`` or
    the metric id). ``carried_by`` (computed metrics over optional input columns): a count of
    the denominator's items whose column has a value; when it is 0 while the denominator is not,
    the unit's data does not carry the column and the metric falls back to the manual table.
    """

    id: str
    group: str
    label: str
    max_points: float
    source: Literal["computed", "manual"]
    numerator: str | None = None
    denominator: str | None = None
    target: float | None = None
    if_no_denominator: Literal["zero", "full"] = "zero"
    manual_indicator: str | None = None  # manual.indicator to read (default: the metric id)
    carried_by: str | None = None

    @property
    def manual_key(self) -> str:
        """The ``manual.indicator`` this metric reads (manual metrics and fallbacks)."""
        return self.manual_indicator or self.id


@dataclass(frozen=True)
class Group:
    id: str
    label: str
    max_points: float


@dataclass(frozen=True)
class Band:
    min: float
    label: str
    confirmed: bool


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    groups: tuple[Group, ...]
    metrics: tuple[Metric, ...]
    bands: tuple[Band, ...]
    total_max: float = 100
    calendar: str = "calendar"
    rounding: int = 2
    supplement_rule: bool = True
    max_supplement_requests: int = 1
    progress_rule: str = DEFAULT_PROGRESS_RULE
    rank_scope: dict[str, str] = field(default_factory=dict)
    deduction_enabled: bool = False
    deduction_indicator: str = "technical_deduction"
    deduction_max: float = 0.0
    source: str = ""
    path: str = ""

    def band(self, total: float) -> Band:
        """The band of a total: the first (highest) band whose ``min`` it reaches."""
        for b in self.bands:
            if total >= b.min:
                return b
        return self.bands[-1]


def list_profiles(directory: Path = INDEX766_DIR) -> list[str]:
    """Names of the profiles shipped in ``directory``."""
    return sorted(p.stem for p in Path(directory).glob("*.yaml"))


def load_profile(name_or_path: str | Path | Profile = "portal-2024") -> Profile:
    """Load a profile by name (``params/index766/<name>.yaml``) or path; validate it."""
    if isinstance(name_or_path, Profile):
        return name_or_path
    text = str(name_or_path)
    path = Path(text)
    if not (text.endswith((".yaml", ".yml")) or path.exists()):
        path = params_file(Path("index766") / f"{text}.yaml")
    if not path.is_file():
        known = ", ".join(list_profiles()) or "none"
        raise ProfileError(f"unknown index profile {text!r} (known: {known})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML ({exc})") from exc
    return _parse_profile(raw, path)


def _metric(m: dict[str, Any]) -> Metric:
    return Metric(
        id=str(m["id"]), group=str(m["group"]), label=str(m["label"]),
        max_points=float(m["max_points"]), source=m.get("source", "computed"),
        numerator=m.get("numerator"), denominator=m.get("denominator"),
        target=None if m.get("target") is None else float(m["target"]),
        if_no_denominator=m.get("if_no_denominator", "zero"),
        manual_indicator=m.get("manual_indicator"), carried_by=m.get("carried_by"),
    )


def _parse_profile(raw: Any, path: Path) -> Profile:
    where = str(path)
    if not isinstance(raw, dict):
        raise ProfileError(f"{where}: expected a mapping at the top")
    try:
        groups = tuple(Group(str(g["id"]), str(g["label"]), float(g["max_points"]))
                       for g in raw["groups"])
        metrics = tuple(_metric(m) for m in raw["metrics"])
        bands = tuple(sorted((Band(float(b["min"]), str(b["label"]), bool(b.get("confirmed")))
                             for b in raw["bands"]), key=lambda b: -b.min))
    except (KeyError, TypeError, ValueError) as exc:
        raise ProfileError(f"{where}: malformed groups/metrics/bands ({exc!r})") from exc
    supp = raw.get("supplement_rule") or {}
    ded = raw.get("technical_deduction") or {}
    prof = Profile(
        id=str(raw.get("id", path.stem)), title=str(raw.get("title", "")), groups=groups,
        metrics=metrics, bands=bands, total_max=float(raw.get("total_max", 100)),
        calendar=str(raw.get("calendar", "calendar")), rounding=int(raw.get("rounding", 2)),
        supplement_rule=bool(supp.get("enabled", True)),
        max_supplement_requests=int(supp.get("max_requests", 1)),
        progress_rule=str(raw.get("progress_rule") or DEFAULT_PROGRESS_RULE),
        rank_scope=dict(raw.get("rank_scope") or {}),
        deduction_enabled=bool(ded.get("enabled", False)),
        deduction_indicator=str(ded.get("manual_indicator", "technical_deduction")),
        deduction_max=float(ded.get("max_points", 0)),
        source=str(raw.get("source", "")), path=where,
    )
    _validate(prof)
    return prof


def _validate_metric(m: Metric, gids: list[str], where: str) -> None:
    if m.group not in gids:
        raise ProfileError(f"{where}: metric {m.id} names unknown group {m.group!r}")
    if m.source not in ("computed", "manual"):
        raise ProfileError(f"{where}: metric {m.id}: source must be computed or manual")
    if m.if_no_denominator not in ("zero", "full"):
        raise ProfileError(f"{where}: metric {m.id}: if_no_denominator must be zero or full")
    if m.target is not None and not 0 < m.target <= 1:
        raise ProfileError(f"{where}: metric {m.id}: target must be in (0, 1]")
    if m.source == "manual" and m.carried_by is not None:
        raise ProfileError(f"{where}: metric {m.id}: carried_by is for computed metrics")
    if m.source == "computed":
        for part in (m.numerator, m.denominator, *([m.carried_by] if m.carried_by else [])):
            if part not in COUNTS:
                raise ProfileError(
                    f"{where}: metric {m.id}: unknown count {part!r} "
                    f"(known: {', '.join(COUNTS)})")


def _validate(p: Profile) -> None:
    where = p.path or p.id
    gids = [g.id for g in p.groups]
    if len(set(gids)) != len(gids):
        raise ProfileError(f"{where}: duplicate group ids")
    mids = [m.id for m in p.metrics]
    if len(set(mids)) != len(mids):
        raise ProfileError(f"{where}: duplicate metric ids")
    for m in p.metrics:
        _validate_metric(m, gids, where)
    for g in p.groups:
        s = sum(m.max_points for m in p.metrics if m.group == g.id)
        if abs(s - g.max_points) > 1e-9:
            raise ProfileError(f"{where}: group {g.id}: metrics sum to {s}, not {g.max_points}")
    if abs(sum(g.max_points for g in p.groups) - p.total_max) > 1e-9:
        raise ProfileError(f"{where}: groups do not sum to total_max {p.total_max}")
    if not p.bands:
        raise ProfileError(f"{where}: no bands")
    for level, scope in p.rank_scope.items():
        if scope not in ("own", "tree"):
            raise ProfileError(f"{where}: rank_scope of {level}: use own or tree, not {scope!r}")
    if p.calendar not in ("calendar", "nd09"):
        raise ProfileError(f"{where}: unknown calendar {p.calendar!r}")
    try:
        resolve_progress_rule(p.progress_rule)
    except UnknownProgressRule as exc:
        raise ProfileError(f"{where}: {exc}") from exc
