"""The run file of `scorecard run` (``params/run.yaml``): what the quarterly job reads and makes.

Parsed once at the edge into a :class:`RunFile` (paths absolute, plans known, periods parsed), so
:mod:`scorecard.run` never sees raw YAML. Relative paths are from the run file's project folder
(``SCORECARD_HOME``, else the nearest folder above the run file holding ``params/plans/``, else the
process's project folder), wherever the command is started (cron starts in ``/``); plan ids and
766 profile names are looked up in that project's ``params/`` (or ``SCORECARD_PARAMS``).

```yaml
store: data/processed/scorecard.duckdb  # the DuckDB store (created by the first load)
drop: data/raw/drop                      # raw files to load, in this folder and below
plans: [bac-giang-2025]                  # plan ids (params/plans/<id>.yaml) or plan files
period: null                             # null: the last complete quarter of each output
out: reports                             # where everything is written
outputs:
  reports: true                          # per plan: unit reports, index.html, summary.xlsx
  index766: portal-2024                  # the 766 index with this profile, or false
  form06:                                # Biểu 06 of every unit at these levels, or false
    levels: [province, department, district, commune]
    by: field                            # field | unit
render: {workers: 2, executor: local, timeout: 600}
demo: null                               # {seed: 2025, cases: 200000}: write the demo province
                                         # into an empty drop folder first (demo run file only)
```
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scorecard import config
from scorecard.errors import ScorecardError
from scorecard.periods import Period, parse_period
from scorecard.store import LEVELS

#: Names of the shared output folders under ``out`` (a plan id may not take them).
INDEX766_FOLDER = "index766"
FORM06_FOLDER = "bieu06"


class RunFileError(ScorecardError, ValueError):
    """The run file is missing, not YAML, or has a bad key; the message names the file and key."""


class Form06Output(BaseModel):
    """Which Biểu 06 forms a run writes."""

    model_config = ConfigDict(extra="forbid")
    levels: list[str] = Field(default_factory=lambda: list(LEVELS))
    by: Literal["field", "unit"] = "field"
    calendar: Literal["calendar", "nd09"] = "nd09"

    @field_validator("levels")
    @classmethod
    def _levels(cls, v: list[str]) -> list[str]:
        bad = [x for x in v if x not in LEVELS]
        if bad:
            raise ValueError(f"unknown level {', '.join(bad)}: use {', '.join(LEVELS)}")
        return v


class Outputs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reports: bool = True
    index766: str | bool = "portal-2024"
    form06: Form06Output | bool = Field(default_factory=Form06Output)


class RenderOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    workers: int = Field(2, ge=1)
    executor: Literal["local", "fresh", "dask"] = "local"
    timeout: float = Field(600, gt=0)


class DemoOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seed: int = 2025
    cases: int = Field(200_000, ge=500)


class _RunFileModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    store: str
    drop: str
    plans: list[str] = Field(default_factory=list)
    period: str | None = None
    out: str = "reports"
    outputs: Outputs = Field(default_factory=Outputs)
    render: RenderOptions = Field(default_factory=RenderOptions)
    demo: DemoOptions | None = None

    @field_validator("period", mode="before")
    @classmethod
    def _period(cls, v: Any) -> Any:
        if v is None or v == "":
            return None
        parse_period(str(v))
        return str(v)


@dataclass(frozen=True)
class RunFile:
    """A parsed run file: absolute paths, loaded plans (each knows its file), a parsed period
    (or None)."""

    path: Path
    store: Path
    drop: Path
    plans: tuple[Any, ...]  # scorecard.plans.Plan
    period: Period | None
    out: Path
    reports: bool
    index766_profile: str | None
    form06: Form06Output | None
    render: RenderOptions
    demo: DemoOptions | None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


def load_run_file(path: str | Path, *, home: Path | None = None) -> RunFile:
    """Read and check a run file; relative paths inside it are from ``home`` (default the
    project folder). Raises :class:`RunFileError` naming the file and the key at fault."""
    from scorecard.paths import project_path

    p = project_path(path)
    if not p.is_file():
        raise RunFileError(f"run file not found: {path} (give a path, or create "
                           f"{config.RUN_FILE} from the example in README)")
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RunFileError(f"{p}: not valid YAML: {exc}".splitlines()[0]) from exc
    if not isinstance(raw, dict):
        raise RunFileError(f"{p}: expected keys (store, drop, plans, …), got {type(raw).__name__}")
    try:
        m = _RunFileModel.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "(top)"
        raise RunFileError(f"{p}: {where}: {first['msg']}") from exc
    from scorecard.plans import load_plan

    base = home or run_file_home(p)
    params = Path(os.environ[config.PARAMS_ENV]) if os.environ.get(config.PARAMS_ENV) else (
        base / "params")
    plans = tuple(load_plan(_plan_file(x, p, base, params / "plans")) for x in m.plans)
    ids = [pl.plan_id for pl in plans]
    clash = sorted({INDEX766_FOLDER, FORM06_FOLDER} & set(ids))
    if clash:
        raise RunFileError(f"{p}: plans: plan id {clash[0]!r} is the name of an output folder")
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RunFileError(f"{p}: plans: {dupes[0]!r} is listed twice")
    o = m.outputs
    return RunFile(
        path=p, store=_abs(m.store, base), drop=_abs(m.drop, base), plans=plans,
        period=parse_period(m.period) if m.period else None, out=_abs(m.out, base),
        reports=o.reports,
        index766_profile=(_profile("portal-2024" if o.index766 is True else o.index766,
                                   params / "index766") if o.index766 else None),
        form06=(Form06Output() if o.form06 is True else o.form06) if o.form06 else None,
        render=m.render, demo=m.demo, raw=raw)


def run_file_home(run_file: Path) -> Path:
    """The project folder of a run file (see the module docstring)."""
    if os.environ.get(config.HOME_ENV):
        return config.find_project_home()
    folder = run_file.resolve().parent
    for f in (folder, *folder.parents):
        if (f / config.HOME_MARKER).is_dir():
            return f
    return config.PROJECT_HOME


def _profile(name: str, folder: Path) -> str:
    """A 766 profile name as the path of the project's profile file when there is one."""
    candidate = folder / f"{name}.yaml"
    return str(candidate) if Path(name).suffix == "" and candidate.is_file() else name


def _abs(text: str, base: Path) -> Path:
    p = Path(text).expanduser()
    return p if p.is_absolute() else base / p


def _plan_file(name: str, run_file: Path, base: Path, plans_dir: Path) -> Path:
    """A plan id (params/plans/<id>.yaml) or a plan file (relative to the project folder)."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or len(p.parts) > 1:
        path = _abs(name, base)
    else:
        path = plans_dir / f"{name}.yaml"
    if not path.is_file():
        known = sorted(f.stem for f in plans_dir.glob("*.yaml")
                       if not f.stem.endswith(".tasks"))
        raise RunFileError(f"{run_file}: plans: {name!r} is neither a plan id "
                           f"({', '.join(known[:6])}…) nor a plan file")
    return path
