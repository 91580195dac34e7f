"""Source profiles (``params/sources/<name>.yaml``): how an export layout maps to ``cases``.

A profile names, for each canonical column, the source field holding it (or several: the first
non-empty wins), which dates finish a case by status, where the unit comes from, the list fields
(fees, result documents, supplement history), the timestamp formats, the value maps (status,
channel, yes/no, rating) and the personal fields to drop. ``dvcqg`` (the national portal's
format) is the first profile shipped. :func:`load_source_profile` validates a file and names the
file and key of every error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from scorecard.config import PARAMS_DIR
from scorecard.errors import ScorecardError

#: Where the profiles live (``SCORECARD_PARAMS`` moves it with the other parameter files).
SOURCES_DIR = PARAMS_DIR / "sources"

#: Canonical columns a profile may map from one scalar field, and their value type.
SCALAR_FIELDS: dict[str, str] = {
    "case_id": "text", "procedure_id": "text", "status": "status", "channel": "channel",
    "received_at": "timestamp", "due_at": "timestamp", "paid_online": "paid_online",
    "digitized": "yes_no", "reused_data": "yes_no", "apology_issued": "yes_no",
    "citizen_data_used": "yes_no", "personal_storage_synced": "yes_no",
    "fee_required": "yes_no", "e_result": "yes_no", "rating": "rating",
    "applicant_key": "text",
}
#: Columns every profile must map.
REQUIRED_FIELDS = ("case_id", "procedure_id", "status", "channel", "received_at", "due_at")
#: Canonical values of each value map (``not_received`` rejects the case).
VALUE_MAPS: dict[str, tuple[Any, ...]] = {
    "status": ("pending", "resolved", "withdrawn", "refused", "not_received"),
    "channel": ("online", "direct", "postal"),
    "paid_online": (True, False),
    "yes_no": (True, False),
    "rating": ("very_satisfied", "satisfied", "dissatisfied"),
}
FINISHED_STATUSES = ("resolved", "withdrawn", "refused")


class SourceProfileError(ScorecardError, ValueError):
    """A source profile that is missing, not YAML, or not valid (the message names file and key)."""


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitSpec(_Model):
    """Where a case's unit comes from: unit-id fields, else a unit-name field."""

    code: tuple[str, ...] = ()
    name: str | None = None

    _code_list = field_validator("code", mode="before")(_as_list)


class FeesSpec(_Model):
    field: str
    amount: str


class ResultDocumentsSpec(_Model):
    field: str
    file_link: str


class SupplementsSpec(_Model):
    field: str
    requested_at: str
    returned_at: str | None = None
    due_before: str | None = None
    due_after: str | None = None


class SourceProfile(_Model):
    """One export layout (see ``params/sources/dvcqg.yaml`` for every key, commented)."""

    id: str
    title: str = ""
    kind: Literal["cases"] = "cases"
    detect: tuple[str, ...]
    fields: dict[str, tuple[str, ...]]
    finished_at: dict[Literal["resolved", "withdrawn", "refused"], tuple[str, ...]]
    unit: UnitSpec = UnitSpec()
    fees: FeesSpec | None = None
    result_documents: ResultDocumentsSpec | None = None
    supplements: SupplementsSpec | None = None
    timestamp_formats: tuple[str, ...]
    #: ID-number fields (the first non-empty wins): with a pseudonym key they become
    #: ``applicant_key`` (HMAC), without one they are personal data, never read
    applicant_id: tuple[str, ...] = ()
    values: dict[str, dict[str, Any]]
    labels: dict[str, dict[str, str]] = {}
    personal: tuple[str, ...] = ()
    path: str = ""

    @field_validator("fields", mode="before")
    @classmethod
    def _field_lists(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: _as_list(v) for k, v in value.items()}
        return value

    @field_validator("finished_at", mode="before")
    @classmethod
    def _finish_lists(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: _as_list(v) for k, v in value.items()}
        return value

    @field_validator("detect", "timestamp_formats", "personal", "applicant_id", mode="before")
    @classmethod
    def _lists(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("values", "labels", mode="before")
    @classmethod
    def _string_keys(cls, value: Any) -> Any:
        # YAML reads `1: x` with an integer key: value maps compare text
        if isinstance(value, dict):
            return {k: ({str(kk): vv for kk, vv in v.items()} if isinstance(v, dict) else v)
                    for k, v in value.items()}
        return value

    @model_validator(mode="after")
    def _consistent(self) -> SourceProfile:
        for name, sources in self.fields.items():
            if name not in SCALAR_FIELDS:
                raise ValueError(f"fields.{name}: unknown column (known: {', '.join(SCALAR_FIELDS)})")
            if not sources or not all(isinstance(s, str) and s for s in sources):
                raise ValueError(f"fields.{name}: give a source field name or a list of them")
        for name in REQUIRED_FIELDS:
            if name not in self.fields:
                raise ValueError(f"fields.{name}: required")
        missing = [s for s in FINISHED_STATUSES if not self.finished_at.get(s)]
        if missing:
            raise ValueError(f"finished_at.{missing[0]}: give the field(s) holding the finish date")
        if not self.detect:
            raise ValueError("detect: give the field names that identify this layout")
        if not self.timestamp_formats or not all("%" in f for f in self.timestamp_formats):
            raise ValueError("timestamp_formats: give strptime formats such as '%Y%m%d%H%M%S'")
        for name, mapping in self.values.items():
            if name not in VALUE_MAPS:
                raise ValueError(f"values.{name}: unknown value map (known: {', '.join(VALUE_MAPS)})")
            allowed = VALUE_MAPS[name]
            for key, canon in mapping.items():
                if canon not in allowed or isinstance(canon, bool) != isinstance(allowed[0], bool):
                    shown = ", ".join(str(a).lower() for a in allowed)
                    raise ValueError(f"values.{name}.{key}: {canon!r} is not one of {shown}")
        for name in ("status", "channel"):
            if not self.values.get(name):
                raise ValueError(f"values.{name}: required (source value → canonical value)")
        for col, typ in SCALAR_FIELDS.items():
            if col in self.fields and typ in VALUE_MAPS and typ not in self.values:
                if typ == "paid_online" and "yes_no" in self.values:
                    continue
                raise ValueError(f"values.{typ}: required by fields.{col}")
        return self

    def sources_of(self, column: str) -> tuple[str, ...]:
        """The source fields of a canonical column (empty when the profile does not map it)."""
        return self.fields.get(column, ())


def list_source_profiles(directory: Path = SOURCES_DIR) -> list[str]:
    """Names of the profiles in ``directory``."""
    return sorted(p.stem for p in Path(directory).glob("*.yaml"))


def load_source_profile(name_or_path: str | Path | SourceProfile = "dvcqg",
                        directory: Path = SOURCES_DIR) -> SourceProfile:
    """A profile by name (``params/sources/<name>.yaml``) or path, validated."""
    if isinstance(name_or_path, SourceProfile):
        return name_or_path
    text = str(name_or_path)
    path = Path(text)
    if not text.endswith((".yaml", ".yml")):
        path = Path(directory) / f"{text}.yaml"
    if not path.is_file():
        known = ", ".join(list_source_profiles(directory)) or "none"
        raise SourceProfileError(f"unknown source profile {text!r} (known: {known})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SourceProfileError(f"{path}: not valid YAML ({exc})") from exc
    return parse_source_profile(raw, path)


def parse_source_profile(raw: Any, path: Path | str = "<profile>") -> SourceProfile:
    """Validate a profile mapping; errors name ``path`` and the key (``fields.case_id: …``)."""
    if not isinstance(raw, dict):
        raise SourceProfileError(f"{path}: expected a mapping at the top")
    try:
        return SourceProfile.model_validate({**raw, "path": str(path)})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        elif err["type"] == "missing":
            msg = "required"
        where = f"{loc}: " if loc else ""
        raise SourceProfileError(f"{path}: {where}{msg}") from exc
