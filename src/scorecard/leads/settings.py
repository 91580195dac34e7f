"""Lead thresholds: ``params/leads.yaml`` parsed into :class:`LeadSettings` at the edge.

The defaults here are the documented ones of params/leads.yaml (a test keeps the two equal), so a
key left out of the file means the documented default.

Errors name the file and the key (``leads.yaml: leads.off_hours_bulk.night_from: ...``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from scorecard.config import PARAMS_DIR, params_file
from scorecard.errors import ScorecardError

DEFAULT_SETTINGS = "leads.yaml"  # under the project's params/, else the shipped defaults


class LeadSettingsError(ScorecardError, ValueError):
    """The settings file is unreadable or a value is wrong (file and key named)."""


class Comparison(BaseModel):
    """How a unit is compared with its province (see params/leads.yaml)."""

    model_config = ConfigDict(extra="forbid")
    min_unit_cases: int = Field(20, ge=1)
    min_flagged_cases: int = Field(5, ge=1)
    min_ratio: float = Field(2.0, gt=0)
    min_z: float = 5.0


class _Lead(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool = True
    min_unit_cases: int | None = Field(None, ge=1)
    min_flagged_cases: int | None = Field(None, ge=1)
    min_ratio: float | None = Field(None, gt=0)
    min_z: float | None = None

    def comparison(self, base: Comparison) -> Comparison:
        """``base`` with this lead's overrides."""
        over = {k: getattr(self, k) for k in Comparison.model_fields if getattr(self, k) is not None}
        return base.model_copy(update=over)


class SupplementNearDue(_Lead):
    within_working_days: int = Field(2, ge=0)


class RefileAfterWithdrawal(_Lead):
    within_days: int = Field(30, ge=0)
    min_unit_cases: int | None = Field(10, ge=1)  # withdrawals are rare: fewer cases needed


class AppointmentBeyondStatutory(_Lead):
    tolerance_working_days: int = Field(1, ge=0)


class DueDateSpike(_Lead):
    window_working_days: int = Field(1, ge=1)


class OffHoursBulk(_Lead):
    night_from: str = "22:00"
    night_to: str = "06:00"
    bulk_min_results: int = Field(20, ge=2)

    @field_validator("night_from", "night_to")
    @classmethod
    def _hhmm(cls, v: str) -> str:
        hh, sep, mm = str(v).partition(":")
        if not sep or not (hh.isdigit() and mm.isdigit()) or int(hh) > 23 or int(mm) > 59:
            raise ValueError(f"expected HH:MM, got {v!r}")
        return f"{int(hh):02d}:{int(mm):02d}"

    def minutes(self, which: str) -> int:
        hh, mm = getattr(self, which).split(":")
        return int(hh) * 60 + int(mm)


class Leads(BaseModel):
    model_config = ConfigDict(extra="forbid")
    supplement_near_due: SupplementNearDue = SupplementNearDue()
    refile_after_withdrawal: RefileAfterWithdrawal = RefileAfterWithdrawal()
    appointment_beyond_statutory: AppointmentBeyondStatutory = AppointmentBeyondStatutory()
    due_date_spike: DueDateSpike = DueDateSpike()
    off_hours_bulk: OffHoursBulk = OffHoursBulk()


class LeadSettings(BaseModel):
    """Every setting of the leads, with the documented defaults."""

    model_config = ConfigDict(extra="forbid")
    calendar: str = "holidays/vn.yaml"
    comparison: Comparison = Comparison()
    evidence_per_unit: int = Field(50, ge=0)
    leads: Leads = Leads()
    source: str = ""

    def lead(self, lead_id: str) -> _Lead:
        return getattr(self.leads, lead_id)

    def comparison_for(self, lead_id: str) -> Comparison:
        return self.lead(lead_id).comparison(self.comparison)

    def calendar_path(self, params_dir: Path = PARAMS_DIR) -> Path:
        p = Path(self.calendar)
        if p.is_absolute():
            return p
        return params_dir / p if params_dir != PARAMS_DIR else params_file(p)


def parse_settings(data: Any, source: str = "<settings>") -> LeadSettings:
    """:class:`LeadSettings` from the parsed YAML; errors name ``source`` and the key."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise LeadSettingsError(f"{source}: expected a mapping of settings")
    try:
        return LeadSettings(**data, source=source)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise LeadSettingsError(f"{source}: {where}: {err['msg']}") from None


def load_settings(path: str | Path | None = None) -> LeadSettings:
    """Read ``params/leads.yaml`` (or ``path``)."""
    p = Path(path) if path is not None else params_file(DEFAULT_SETTINGS)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LeadSettingsError(f"cannot read lead settings {p}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise LeadSettingsError(f"{p}: not valid YAML: {str(exc).splitlines()[0]}") from exc
    return parse_settings(data, p.name)
