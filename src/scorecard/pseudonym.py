"""Applicant pseudonyms: link repeated filings by one person without storing who they are.

``applicant_key = HMAC-SHA256(key, normalised ID number)``, as the first :data:`KEY_HEX_CHARS`
hex characters. The secret key comes from the environment variable :data:`KEY_ENV` or from a key
file (:data:`KEY_FILE_ENV`, or a path given by the caller); it is never written to the store, a
report or a log, and :class:`PseudonymKey` never shows it in a repr or an error.

Why a keyed hash and not a plain hash: an ID number (CCCD: 12 digits, the first three a province
code, then a sex/century digit and the year of birth) is guessable. There are about 10^9 plausible
numbers per province and birth year, so anyone holding ``sha256(id)`` can recompute every
candidate in minutes and read the IDs back. Without the key, an HMAC value cannot be recomputed
from a candidate ID, so the store and the reports say nothing about who filed. Whoever holds the
key (the province's data custodian) can re-identify by hashing a known ID; so the key stays with
the custodian who runs the loads and never travels with the data. Rotating the key breaks links
across the rotation (old and new keys give different pseudonyms), which is the point.

Pure: no I/O except :func:`load_key` reading the environment or the key file.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from scorecard.errors import ScorecardError

#: Environment variable holding the key itself (text; at least :data:`MIN_KEY_BYTES` bytes).
KEY_ENV = "SCORECARD_PSEUDONYM_KEY"
#: Environment variable naming a file that holds the key (first line, or the whole file).
KEY_FILE_ENV = "SCORECARD_PSEUDONYM_KEY_FILE"
#: Hex characters kept of the HMAC (32 = 128 bits: no collision among billions of IDs).
KEY_HEX_CHARS = 32
#: Shortest key accepted (bytes). A short key could be guessed like an ID.
MIN_KEY_BYTES = 16

# Separators people and exports put inside ID numbers: spaces of every kind, dots, dashes,
# slashes, underscores, commas and the apostrophe Excel users type to keep leading zeros.
_SEPARATORS = re.compile(r"[\s.\-_/\\,'’`]+")


class PseudonymError(ScorecardError, ValueError):
    """No usable key, or an ID that normalises to nothing. Never contains the key or the ID."""


class PseudonymKey:
    """The secret key. Its repr and str never show the key."""

    __slots__ = ("_key", "origin")

    def __init__(self, key: bytes, origin: str) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise PseudonymError(f"pseudonym key from {origin} is shorter than {MIN_KEY_BYTES} "
                                 "bytes: use a long random key (e.g. `openssl rand -hex 32`)")
        self._key = key
        self.origin = origin  # where it came from (env variable or file path), never the key

    def __repr__(self) -> str:
        return f"PseudonymKey(<hidden>, origin={self.origin!r})"

    __str__ = __repr__

    def mac(self) -> hmac.HMAC:
        """A fresh HMAC-SHA256 keyed with this key (copy it per message)."""
        return hmac.new(self._key, digestmod=hashlib.sha256)


def normalise_id(value: object) -> str:
    """The canonical form of an ID number: the same person's ID written differently gives the
    same text.

    - Unicode NFKC (full-width digits become ASCII), upper case (passport letters);
    - spaces, dots, dashes, slashes, underscores, commas and quote marks removed
      (``'001 203-004.567`` → ``001203004567``);
    - digits that lost their leading zeros are written back with them: 10 or 11 digits → 12
      (CCCD), 8 digits → 9 (old CMND). No ID number has 8, 10 or 11 digits (CCCD 12, CMND 9 or
      12), so such a value can only be a number that lost its zeros: an Excel or Parquet *number*
      (1203004567 or 1203004567.0), or the same number written as text by the tool that lost
      them (a CSV saved from Excel, a JSON number read as text). Other lengths and anything
      with a letter (passports) are kept as they are.
    Raises :class:`PseudonymError` when nothing is left (the error does not repeat the value).
    """
    if isinstance(value, bool) or value is None:
        raise PseudonymError("an ID number is empty")
    if isinstance(value, int | float):
        if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
            raise PseudonymError("an ID number is a non-integral number")
        return _with_lost_zeros(str(int(value)))
    text = unicodedata.normalize("NFKC", str(value)).upper()
    text = _SEPARATORS.sub("", text)
    if not text:
        raise PseudonymError("an ID number is empty after normalisation")
    return _with_lost_zeros(text)


#: Lengths of a digits-only value that no ID number has, and the length it had (its leading
#: zeros lost): CCCD 12 digits, old CMND 9.
_LOST_ZEROS = {10: 12, 11: 12, 8: 9}


def _with_lost_zeros(text: str) -> str:
    width = _LOST_ZEROS.get(len(text))
    return text.zfill(width) if width and text.isascii() and text.isdigit() else text


def applicant_key(value: object, key: PseudonymKey) -> str:
    """``HMAC-SHA256(key, normalise_id(value))`` as :data:`KEY_HEX_CHARS` lower-case hex."""
    mac = key.mac()
    mac.update(normalise_id(value).encode("utf-8"))
    return mac.hexdigest()[:KEY_HEX_CHARS]


def applicant_keys(values: Iterable[object], key: PseudonymKey) -> Iterator[str | None]:
    """:func:`applicant_key` of each value; None for an empty value (None, NaN, blank text)."""
    base = key.mac()
    for value in values:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            yield None
            continue
        try:
            text = normalise_id(value)
        except PseudonymError:
            yield None
            continue
        mac = base.copy()
        mac.update(text.encode("utf-8"))
        yield mac.hexdigest()[:KEY_HEX_CHARS]


def key_from_text(text: str, origin: str) -> PseudonymKey:
    """A key from its text form (the env variable or the key file's content), whitespace at the
    ends removed."""
    return PseudonymKey(text.strip().encode("utf-8"), origin)


def load_key(environ: Mapping[str, str] | None = None,
             key_file: str | Path | None = None) -> PseudonymKey | None:
    """The configured key, or None when none is configured (then ID columns are dropped, as
    before). Order: ``key_file`` argument, :data:`KEY_ENV`, :data:`KEY_FILE_ENV`."""
    env = os.environ if environ is None else environ
    if key_file is None and env.get(KEY_ENV, "").strip():
        return key_from_text(env[KEY_ENV], f"${KEY_ENV}")
    path = key_file if key_file is not None else env.get(KEY_FILE_ENV, "").strip() or None
    if path is None:
        return None
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise PseudonymError(f"cannot read pseudonym key file {p}: "
                             f"{exc.strerror or type(exc).__name__}") from None
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise PseudonymError(f"pseudonym key file {p} is empty")
    return key_from_text(lines[0], str(p))
