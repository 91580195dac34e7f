"""Fields of procedures (lĩnh vực): the codes stored in ``procedures.field``, their Vietnamese
names and the other ways exports write them, read from one data file, ``params/fields.yaml``
(users extend it there).

- :data:`FIELD_NAMES` — code → Vietnamese name, for reports and forms
  (``FIELD_NAMES.get(code, code)``: unknown codes show as they are);
- :func:`field_code` — the code a written field value means ("Đất đai", "Lĩnh vực đất đai",
  "ĐẤT ĐAI " → ``dat_dai``), matching ignores case, accents, spacing, punctuation and a leading
  "Lĩnh vực"; None when nothing matches (the loader then keeps the value as given and counts it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from unidecode import unidecode

from scorecard.config import params_file
from scorecard.errors import ScorecardError

#: The field table, relative to the parameter folder (the project's, else the shipped one).
FIELDS_FILE = Path("fields.yaml")
_PREFIX = "linhvuc"


class FieldsFileError(ScorecardError, ValueError):
    """params/fields.yaml is malformed (the message names the entry)."""


@dataclass(frozen=True)
class Field:
    code: str
    name: str
    variants: tuple[str, ...] = ()


def fields_file() -> Path:
    """``<params>/fields.yaml``, else the shipped one (:func:`scorecard.config.params_file`)."""
    return params_file(FIELDS_FILE)


def field_key(text: object) -> str:
    """Matching key of a field value: ASCII letters and digits, without a leading 'Lĩnh vực'."""
    key = re.sub(r"[^a-z0-9]", "", unidecode(str(text)).lower())
    if key.startswith(_PREFIX) and len(key) > len(_PREFIX):
        key = key[len(_PREFIX):]
    return key


def load_fields(path: Path | None = None) -> dict[str, Field]:
    """The field table: code → :class:`Field`, in file order."""
    path = path or fields_file()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[str, Field] = {}
    for i, entry in enumerate(data.get("fields") or [], start=1):
        if not isinstance(entry, dict) or not entry.get("code") or not entry.get("name"):
            raise FieldsFileError(f"{path}: field #{i} needs a code and a name: {entry!r}")
        code = str(entry["code"])
        if not re.fullmatch(r"[a-z0-9_]+", code):
            raise FieldsFileError(f"{path}: field code {code!r} must be lower-case ASCII, digits "
                                  f"and underscores")
        out[code] = Field(code, str(entry["name"]),
                          tuple(str(v) for v in entry.get("variants") or ()))
    return out


@lru_cache(maxsize=8)
def _lookup(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for f in load_fields(path).values():
        for text in (f.code, f.name, *f.variants):
            table.setdefault(field_key(text), f.code)
    return table


def field_code(value: object, path: Path | None = None) -> str | None:
    """The field code a written value means, or None when the table has no such field."""
    if value is None:
        return None
    key = field_key(value)
    return _lookup(path or fields_file()).get(key) if key else None


FIELD_NAMES: dict[str, str] = {f.code: f.name for f in load_fields().values()}
