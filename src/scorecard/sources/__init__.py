"""Sources: files in another layout than the README's columns, read through a profile.

A *source* turns a file into canonical rows of a kind (today ``cases``) so the loader can take
them like any reader's chunks. The first source is the national public-service portal's dossier
format (DVCQG, ``params/sources/dvcqg.yaml``); other export layouts get their own profile file.

Contract of :func:`open_source` (``SourceRead.batches()`` / ``SourceRead.reader()``): Arrow
batches with schema :data:`SCHEMA`:

- the canonical ``cases`` columns in the store's order (:data:`CASE_COLUMNS`: text as string,
  timestamps as ``timestamp[us]`` local wall-clock time, ``supplement_requests`` int64, flags
  bool; NULL = unknown);
- ``_row`` (int64): the record's position in the file (JSON Lines: line number; JSON array:
  element number, 1-based; CSV/XLSX: spreadsheet line, header = 1);
- ``_reject`` (string): why the source refuses the record (English; several joined by ``'; '``;
  Vietnamese via :func:`reason_vi`), NULL when it accepts it; ``_reject_column`` (the source
  fields concerned, joined by ``', '``) and ``_reject_value`` (their values, ``' | '``);
- ``_supplements``: list of struct ``seq, requested_at, returned_at, due_before, due_after`` (the
  ``case_supplements`` rows of the case, ``seq`` = 1, 2, … in request order);
  :data:`SUPPLEMENTS_SQL` explodes them for the records kept.

Every record read appears exactly once (read = accepted + rejected holds); accepted rows still go
through the loader's own rules (required columns, known procedures, date order, duplicates):
:mod:`scorecard.sources.staging` hands a profile's file to the loader as a
:class:`scorecard.readers.Source` (``scorecard ingest --source dvcqg``, or detected).
"""

from scorecard.sources.mapping import CASE_COLUMNS, EXTRA_COLUMNS
from scorecard.sources.profile import (
    SOURCES_DIR,
    SourceProfile,
    SourceProfileError,
    list_source_profiles,
    load_source_profile,
)
from scorecard.sources.reasons import reason_vi
from scorecard.sources.source import (
    SCHEMA,
    SUPPLEMENTS_SQL,
    SourceLayout,
    SourceRead,
    detect_profile,
    file_keys,
    open_source,
    read_source_frames,
)

__all__ = [
    "CASE_COLUMNS", "EXTRA_COLUMNS", "SCHEMA", "SOURCES_DIR", "SUPPLEMENTS_SQL", "SourceLayout",
    "SourceProfile", "SourceProfileError", "SourceRead", "detect_profile", "file_keys",
    "list_source_profiles", "load_source_profile", "open_source", "read_source_frames",
    "reason_vi",
]
