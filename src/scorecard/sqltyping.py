"""SQL that turns a raw cell into its declared type, in DuckDB, one expression per column.

Readers hand the loader a relation of source columns (text for CSV and Excel; whatever Parquet
holds); :func:`typed` gives, for a declared column and the source column's SQL type, the
expression of the typed value and of the raw text a rejected row shows. A cell that is present
but whose typed value is NULL did not parse: the loader rejects its row with :func:`parse_reason`.

What is accepted (the README's "Input formats"):
- text: surrounding blanks stripped; the empty words (``nan``, ``null``, ``-``, …) are empty;
  whole numbers from Excel or Parquet (12.0) become ``"12"``;
- enum and yes/no: the declared codes and spellings, matched first exactly, then ignoring case,
  accents and spacing (:func:`norm_sql`, the same key as ``readers.norm`` for headers);
- whole numbers: ``12``, ``1.234`` (thousands dots), ``12.0``; numbers: ``1,5`` or ``1.5``;
- date/time: ISO (``2025-03-14``, ``2025-03-14 08:30``, ``2025-03-14T01:30:00Z``),
  ``dd/mm/yyyy [HH:MM[:SS]]`` (also with ``.`` or ``-``), Excel date cells, Parquet timestamps;
  zone-aware times are converted to Asia/Ho_Chi_Minh and kept as local wall-clock time.
"""

from __future__ import annotations

from scorecard.columns import EMPTY_WORDS, FALSE_WORDS, TRUE_WORDS, Column, duckdb_type
from scorecard.config import TIMEZONE

#: Formats tried first, in order (DuckDB's try_strptime rejects impossible dates such as 31/02).
FAST_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S",
                "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S.%f")
#: Then these (day-first with other separators); ISO with 'T' or a zone goes through CAST.
OTHER_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d-%m-%Y %H:%M:%S",
                 "%d-%m-%Y %H:%M", "%d-%m-%Y")
_ZONE = r"[0-9]:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"
_BLANKS = " \t\r\n\u00a0\u3000"

#: What a failed parse says, per type (English; reasons.py has the Vietnamese).
PARSE_REASONS: dict[str, str] = {
    "bool": "not a yes/no value (true/false, 1/0, có/không)",
    "int": "not a whole number",
    "count": "not a whole number",
    "float": "not a number",
    "timestamp": "not a date/time: expected ISO (2025-03-14 08:30) or dd/mm/yyyy [HH:MM]",
    "date": "not a date: expected ISO (2025-03-14) or dd/mm/yyyy",
}

TEXT_TYPES = ("VARCHAR",)


def lit(value: object) -> str:
    """A SQL literal: strings quoted (quotes doubled), None as NULL, numbers as they are."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value).replace("'", "''")
    return f"'{text}'"


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def norm_sql(x: str) -> str:
    """SQL of the lookup key of a word: lower-case ASCII letters and digits only
    ('Đã giải quyết' -> 'dagiaiquyet'), as ``readers.norm`` computes it in Python."""
    return (f"regexp_replace(strip_accents(lower(replace(replace({x}, 'Đ', 'd'), 'đ', 'd'))), "
            f"'[^a-z0-9]', '', 'g')")


def parse_reason(col: Column) -> str:
    """The reason a cell of ``col`` that did not parse is rejected with."""
    if col.enum is not None:
        return f"not a valid {col.enum.name}: expected one of {', '.join(col.enum.codes)}"
    return PARSE_REASONS.get(col.type, "not readable")


def can_fail(col: Column) -> bool:
    """Whether a present cell of this column can fail to parse."""
    return col.type not in ("id", "text", "key")


def is_text(col: Column) -> bool:
    return col.type in ("id", "text", "key")


def trimmed(src: str, src_type: str) -> str:
    """A text cell without surrounding spaces (other sources' cells as they are). Most cells have
    none, so the test comes first (LIKE on a prefix or suffix is cheap); tabs and non-breaking
    spaces at the ends go too when spaces are also there. Typed columns do not need this: their
    parsers ignore blanks (see :func:`typed`)."""
    if src_type not in TEXT_TYPES:
        return src
    return (f"CASE WHEN {src} LIKE ' %' OR {src} LIKE '% ' THEN trim({src}, {lit(_BLANKS)}) "
            f"ELSE {src} END")


def emptied(text: str) -> str:
    """``text`` (trimmed), NULL when it is one of the empty words."""
    longest = max(map(len, EMPTY_WORDS))
    words = ", ".join(lit(w) for w in EMPTY_WORDS)
    return f"CASE WHEN length({text}) <= {longest} AND lower({text}) IN ({words}) THEN NULL ELSE {text} END"


def is_empty(src: str, src_type: str) -> str:
    """SQL: the cell is missing, blank or an empty word."""
    if src_type not in TEXT_TYPES:
        return f"({src} IS NULL)"
    return f"({src} IS NULL OR {emptied(f'trim({src}, {lit(_BLANKS)})')} IS NULL)"


def shown(src: str, src_type: str) -> str:
    """The raw cell as a reject shows it (trimmed text)."""
    if src_type in TEXT_TYPES:
        return f"trim({src}, {lit(_BLANKS)})"
    if src_type in ("DOUBLE", "FLOAT", "REAL") or src_type.startswith("DECIMAL"):
        return (f"CASE WHEN isfinite({src}) AND {src} = trunc({src}) AND abs({src}) < 1e15 "
                f"THEN CAST(CAST({src} AS BIGINT) AS VARCHAR) ELSE CAST({src} AS VARCHAR) END")
    return f"CAST({src} AS VARCHAR)"


def _words(x: str, mapping: dict[str, object], sql_type: str) -> str:
    """Cell ``x`` mapped through declared words: exact spellings first, then by key (which
    ignores case, accents, blanks and punctuation). Anything else gives NULL."""
    from scorecard.readers import norm

    exact: dict[str, object] = {}
    keyed: dict[str, object] = {}
    # most cells hold a value's first word (its code, or 'true'/'false'): those are compared
    # first, one per value in turn, then the other words
    by_value: dict[object, list[str]] = {}
    for word, value in mapping.items():
        by_value.setdefault(value, []).append(word)
        keyed.setdefault(norm(word), value)
    for depth in range(max(map(len, by_value.values()))):
        for value, words in by_value.items():
            if depth < len(words):
                for form in (words[depth], words[depth].capitalize()):
                    exact.setdefault(form, value)
    exact_sql = " ".join(f"WHEN {x} = {lit(k)} THEN {lit(v)}" for k, v in exact.items())
    keyed_sql = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in keyed.items() if k)
    return (f"CAST(CASE WHEN {x} IS NULL THEN NULL {exact_sql} "
            f"ELSE CASE {norm_sql(x)} {keyed_sql} END END AS {sql_type})")


def _enum_words(col: Column) -> dict[str, object]:
    assert col.enum is not None
    out: dict[str, object] = {}
    for v in col.enum.values:
        out.setdefault(v.code, v.code)
        for word in v.spellings:
            out.setdefault(word, v.code)
    return out


_BOOL_WORDS: dict[str, object] = {**{w: True for w in TRUE_WORDS},
                                  **{w: False for w in FALSE_WORDS}}


#: ISO text through DuckDB's own cast, the cheapest parser (it would ignore a zone: guarded).
ISO = "iso"


def _parser(fmt: str, x: str) -> str:
    """SQL of one date parser on ``x``: ``ISO`` (CAST) or a strptime format."""
    if fmt == ISO:
        zoned = " OR ".join(f"{x} LIKE {lit(p)}" for p in ("%Z", "%z", "%+__:__", "%-__:__", "%+____"))
        return f"CASE WHEN {zoned} THEN NULL ELSE TRY_CAST({x} AS TIMESTAMP) END"
    return f"try_strptime({x}, {lit(fmt)})"


#: The parsers a column's likeliest format is chosen from (by :func:`best_date_parsers`).
DATE_PARSERS = (ISO, *FAST_FORMATS, *OTHER_FORMATS)


def _timestamp_from_text(x: str, likely: str | None = None) -> str:
    """``x`` as a local timestamp. ``likely``: the parser that suits most of the column (tried
    first, alone: a list of formats costs a failed parse per format before the one that fits);
    the full chain (zone-aware ISO, every format) takes the rest."""
    fast = ", ".join(lit(f) for f in FAST_FORMATS)
    other = ", ".join(lit(f) for f in OTHER_FORMATS)
    t = f"trim({x}, {lit(_BLANKS)})"
    chain = (f"CASE WHEN regexp_matches({t}, {lit(_ZONE)}) "
             f"THEN timezone({lit(TIMEZONE)}, TRY_CAST({t} AS TIMESTAMPTZ)) "
             f"ELSE coalesce(try_strptime({t}, [{fast}, {other}]), TRY_CAST({t} AS TIMESTAMP)) END")
    first = _parser(likely, x) if likely else f"try_strptime({x}, [{fast}])"
    return f"coalesce({first}, CASE WHEN {x} IS NOT NULL THEN {chain} END)"


def best_date_parsers(con, relation: str, columns: dict[str, str]) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """For text date columns (name -> SQL of the source column), the parser of
    :data:`DATE_PARSERS` that reads most of a sample of the first rows."""
    if not columns:
        return {}
    names = {c: f"_d{i}" for i, c in enumerate(columns)}
    sample = (f"(SELECT {', '.join(f'{sql} AS {names[c]}' for c, sql in columns.items())} "
              f"FROM {relation} LIMIT 1000)")
    counts = ", ".join(f"count({_parser(fmt, names[c])})" for c in columns for fmt in DATE_PARSERS)
    row = con.execute(f"SELECT {counts} FROM {sample}").fetchone()
    out: dict[str, str] = {}
    for i, col in enumerate(columns):
        hits = row[i * len(DATE_PARSERS):(i + 1) * len(DATE_PARSERS)]
        best = max(range(len(DATE_PARSERS)), key=lambda k: (hits[k], -k))
        if hits[best]:
            out[col] = DATE_PARSERS[best]
    return out


def _whole_from_text(x: str, sql_type: str) -> str:
    c = f"replace(trim({x}, {lit(_BLANKS)}), ' ', '')"
    d = f"TRY_CAST({c} AS DOUBLE)"
    slow = (f"CASE WHEN regexp_full_match({c}, '-?[0-9]{{1,3}}([.][0-9]{{3}})+') "
            f"THEN TRY_CAST(replace({c}, '.', '') AS {sql_type}) "
            f"WHEN {d} = trunc({d}) THEN TRY_CAST({d} AS {sql_type}) END")
    # TRY_CAST rounds '1.5' to 2: only text without a dot takes the fast cast
    return (f"coalesce(CASE WHEN NOT contains({x}, '.') THEN TRY_CAST({x} AS {sql_type}) END, "
            f"CASE WHEN {x} IS NOT NULL THEN {slow} END)")


def typed(col: Column, src: str | None, src_type: str = "VARCHAR", likely: str | None = None) -> str:
    """SQL of the typed value of ``col`` from the raw cell ``src`` of SQL type ``src_type``
    (``src`` None: the file lacks the column). Unparseable and empty cells give NULL (or the
    column's ``empty`` value); text columns take the cell's trimmed text (see
    :func:`trimmed`, :func:`emptied`), which the staging computes once. ``likely``: the parser
    that suits most of a date column (:func:`best_date_parsers`)."""
    sql_type = duckdb_type(col)
    if src is None:
        return f"CAST({lit(col.empty)} AS {sql_type})"
    t = col.type
    text_src = src_type in TEXT_TYPES
    if is_text(col):
        value = emptied(src) if text_src else shown(src, src_type)
    elif t == "enum":
        value = _words(src if text_src else shown(src, src_type), _enum_words(col), "VARCHAR")
    elif t == "bool":
        # text, or numbers 1/0 (as their text); DuckDB's own cast takes true/false, t/f, 1/0,
        # yes/no, y/n in any case (all among the declared words), the words the rest
        cell = src if text_src else shown(src, src_type)
        value = (src if src_type == "BOOLEAN" else
                 f"coalesce(TRY_CAST({cell} AS BOOLEAN), {_words(cell, _BOOL_WORDS, 'BOOLEAN')})")
    elif t in ("int", "count"):
        if _is_integer(src_type):
            value = f"TRY_CAST({src} AS {sql_type})"
        elif _is_float(src_type):
            value = f"CASE WHEN {src} = trunc({src}) THEN TRY_CAST({src} AS {sql_type}) END"
        elif text_src:
            value = _whole_from_text(src, sql_type)
        else:
            value = f"CAST(NULL AS {sql_type})"
    elif t == "float":
        if _is_integer(src_type) or _is_float(src_type):
            value = f"CAST({src} AS DOUBLE)"
        elif text_src:
            value = (f"coalesce(TRY_CAST({src} AS DOUBLE), TRY_CAST(replace(replace("
                     f"trim({src}, {lit(_BLANKS)}), ' ', ''), ',', '.') AS DOUBLE))")
        else:
            value = "CAST(NULL AS DOUBLE)"
    elif t in ("timestamp", "date"):
        if src_type == "TIMESTAMP WITH TIME ZONE":
            value = f"timezone({lit(TIMEZONE)}, {src})"
        elif src_type.startswith("TIMESTAMP") or src_type == "DATE":
            value = f"CAST({src} AS TIMESTAMP)"
        elif text_src:
            value = _timestamp_from_text(src, likely)
        else:
            value = "CAST(NULL AS TIMESTAMP)"  # a number is not a date
    else:  # pragma: no cover - Column checks the type
        raise AssertionError(t)
    if col.empty is not None:
        value = f"coalesce({value}, CASE WHEN {is_empty(src, src_type)} THEN {lit(col.empty)} END)"
    return f"CAST({value} AS {sql_type})"


def _is_integer(src_type: str) -> bool:
    return src_type in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT",
                        "USMALLINT", "UINTEGER", "UBIGINT")


def _is_float(src_type: str) -> bool:
    return src_type in ("DOUBLE", "FLOAT", "REAL") or src_type.startswith("DECIMAL")
