"""The SQL that types a source and finds its bad rows, generated from the declarations.

A load (:mod:`scorecard.ingest`) runs these in DuckDB, where the data lies; nothing goes through
pandas. In order:

1. :func:`stage_select` — one pass over the source: every declared column typed
   (:mod:`scorecard.sqltyping`), the row number, and ``_bad``: the cells that did not parse
   (column and raw text), NULL for a clean row.
2. :func:`value_problems` — per distinct value of the columns checked by value: ids that would
   be unsafe as file names (``outputs.id_problem``, one rule for the whole product) and
   references to units, procedures or cases the store does not hold. Distinct values are few
   (hundreds of units in millions of cases), so this costs one aggregate per column.
3. :func:`problems_select` — one pass over the staged rows that keeps only the bad ones, each
   with a list of problems ``{c: column, v: value, r: reason}``: at most one per cell (parse,
   required, minimum, pattern, bad value, in that order), then each failing row rule whose
   columns have no problem of their own, then the problems of :data:`EXTRA_CHECKS`; a row that
   the source itself refuses shows the source's reasons alone.
4. :func:`duplicate_hashes_select`, :func:`duplicate_candidates_select`,
   :func:`duplicate_rows_select`, :func:`self_reference_select` — among the remaining rows:
   duplicates of the key (the first occurrence is kept: "already at row N"; found by grouping
   key hashes, then checked on the few candidate rows) and references to the kind itself (a
   parent in the same file).
5. :func:`rejects_select` — one line per bad row for the ``rejects`` table.

Reasons are English (for the command line and searching); :mod:`scorecard.reasons` gives each
its Vietnamese wording.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from scorecard.columns import SPECS, Column, Kind, rule_columns
from scorecard.outputs import id_problem
from scorecard.readers import ReadOptions, Source
from scorecard.sqltyping import (
    can_fail,
    ident,
    is_empty,
    is_text,
    lit,
    parse_reason,
    shown,
    trimmed,
    typed,
)

#: The type of one problem of a row.
PROBLEM = "STRUCT(c VARCHAR, v VARCHAR, r VARCHAR)"

def _task_registers(con: duckdb.DuckDBPyConnection, stage: str,
                    options: ReadOptions) -> str | None:
    from scorecard.task_status_checks import register_problems

    return register_problems(con, stage, options.plans_dir)


#: An extra check: ``(con, stage, options) -> SQL of a relation (_row, c, v, r)`` or None.
ExtraCheck = Callable[[duckdb.DuckDBPyConnection, str, ReadOptions], "str | None"]

#: Extra checks per kind. They run with the value checks and their problems join the row's
#: other problems. task_status: plan, task and occurrence against the plans' task registers
#: (issue 10.2).
EXTRA_CHECKS: dict[str, list[ExtraCheck]] = {"task_status": [_task_registers]}


def parse_reason_of(kind: str, column: str) -> str:
    return parse_reason(SPECS[kind].column(column))


def _problem(column: str, value_sql: str, reason_sql: str) -> str:
    return f"{{'c': {lit(column)}, 'v': {value_sql}, 'r': {reason_sql}}}::{PROBLEM}"


def _shown(sql: str) -> str:
    """A value as a reject shows it: text, '' when empty."""
    return f"coalesce(CAST({sql} AS VARCHAR), '')"


# ---------------------------------------------------------------- 1. typing (staging)
def stage_select(kind: Kind, src: Source, likely: dict[str, str] | None = None) -> str:
    """SELECT of the typed rows of ``src``: ``_row`` (unless the source numbers rows by their
    order, see ``Source.row``), the declared columns the file has, typed, and ``_bad``. Enum
    columns are DuckDB ENUMs here (one byte a value, not sixteen: a staged table of ten million
    rows stays smaller); :func:`stage_view_select` gives the declared view over it. ``likely``:
    date column -> the parser that suits most of it (``sqltyping.best_date_parsers``)."""
    present = [c for c in kind.columns if c.name in src.columns]
    s_type = {c.name: src.columns[c.name][1] for c in present}
    s_name = {c.name: ident("_s_" + c.name) for c in present}
    where = ""
    if src.skip_blank:
        where = f" WHERE coalesce({', '.join(src.skip_blank)}) IS NOT NULL"
    # 1: the source cells; 2: text cells trimmed (once); 3: typed; 4: the cells that failed
    row = ["_row"] if src.row else []
    layer1 = [f"{src.row} AS _row"] * bool(src.row) + [
        f"{src.columns[c.name][0]} AS {s_name[c.name]}" for c in present]
    layer2 = row + [f"{trimmed(s_name[c.name], s_type[c.name]) if is_text(c) else s_name[c.name]}"
                    f" AS {s_name[c.name]}" for c in present]
    layer3 = list(row)
    failed: dict[str, str] = {}
    for col in present:
        name, raw = ident(col.name), s_name[col.name]
        value = typed(col, raw, s_type[col.name], (likely or {}).get(col.name))
        if col.enum is not None:
            value = f"CAST({value} AS {_enum_type(col)})"
        layer3.append(f"{value} AS {name}")
        if can_fail(col):
            layer3.append(raw)
            # (a CASE, so the costlier test runs only on the few NULL values)
            failed[col.name] = (f"CASE WHEN {name} IS NULL AND {raw} IS NOT NULL THEN NOT "
                                f"{is_empty(raw, s_type[col.name])} ELSE FALSE END")
    names = "".join(ident(c.name) + ", " for c in present)
    if failed:
        items = ", ".join(
            f"CASE WHEN {cond} THEN {{'c': {lit(name)}, "
            f"'v': {shown(s_name[name], s_type[name])}}} END" for name, cond in failed.items())
        bad = (f"CASE WHEN {' OR '.join(failed.values())} THEN "
               f"list_filter([{items}], lambda x: x IS NOT NULL) END")
    else:
        bad = "NULL"
    return (f"SELECT {''.join(r + ', ' for r in row)}{names}"
            f"CAST({bad} AS STRUCT(c VARCHAR, v VARCHAR)[]) AS _bad FROM ("
            f"SELECT {', '.join(layer3)} FROM ("
            f"SELECT {', '.join(layer2)} FROM ("
            f"SELECT {', '.join(layer1)} FROM {src.relation}{where})))")


def text_date_columns(kind: Kind, src: Source) -> dict[str, str]:
    """The date columns of ``kind`` that ``src`` holds as text: name -> SQL of the column."""
    return {c.name: src.columns[c.name][0] for c in kind.columns
            if c.type in ("timestamp", "date") and c.name in src.columns
            and src.columns[c.name][1] == "VARCHAR"}


def _enum_type(col: Column) -> str:
    assert col.enum is not None
    return f"ENUM({', '.join(lit(c) for c in col.enum.codes)})"


def stage_view_select(kind: Kind, src: Source, rows: str,
                      replace: dict[str, str] | None = None) -> str:
    """SELECT over the typed rows ``rows`` (from :func:`stage_select`) with ``_row`` and every
    declared column in its store type (columns the file lacks are empty or their ``empty``
    value); ``replace`` maps a column to the SQL that replaces it (field codes)."""
    cols = ["_row" if src.row else f"rowid + {src.first_row} AS _row"]
    for col in kind.columns:
        if col.name not in src.columns:
            value = typed(col, None)
        elif col.enum is not None:
            value = f"CAST({ident(col.name)} AS VARCHAR)"
        else:
            value = ident(col.name)
        cols.append(f"{(replace or {}).get(col.name, value)} AS {ident(col.name)}")
    return f"SELECT {', '.join(cols)}, _bad FROM {rows}"


# ---------------------------------------------------------------- 2. checks by distinct value
#: Up to this many bad values of a column are written into the check's SQL; more go through a
#: temporary table and a join.
INLINE_VALUES = 500


@dataclass
class BadValues:
    """The bad distinct values of one column and the reason of each."""

    column: str
    reasons: dict[str, str]
    table: str | None = None  # a temp table (v, r) when there are many


def value_problems(con: duckdb.DuckDBPyConnection, kind: Kind, stage: str) -> dict[str, BadValues]:
    """The bad distinct values of each value-checked column: ids unsafe as file names first
    (``outputs.id_problem``), then references to units, procedures or cases the store does not
    hold (references to the kind itself wait for the whole-file step). One aggregate per
    column; only columns with some bad value are returned."""
    out: dict[str, BadValues] = {}
    for col in kind.columns:
        refers = col.references and col.references != kind.name
        if not (col.safe_id or refers):
            continue
        name = ident(col.name)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _values AS SELECT DISTINCT {name} AS v "
                    f"FROM {stage} WHERE {name} IS NOT NULL")
        unsafe: dict[str, str] = {}
        if col.safe_id:
            for (value,) in con.execute("SELECT v FROM _values").fetchall():
                problem = id_problem(value)
                if problem is not None:
                    unsafe[value] = f"{col.name} is not safe as a file name: {problem}"
        unknown = 0
        if refers:
            target = SPECS[str(col.references)]
            reason = lit(f"{col.name}: not a known {_noun(target.name)} id")
            # (the values stay in SQL: a file of supplements may name millions of cases)
            con.execute(f"CREATE OR REPLACE TEMP TABLE _unknown AS SELECT v, {reason} AS r "
                        f"FROM _values ANTI JOIN {target.name} AS t ON v = t.{ident(target.key[0])}")
            unknown = _count(con, "_unknown")
        if unsafe or unknown:
            found = BadValues(col.name, {})
            if len(unsafe) + unknown <= INLINE_VALUES:
                found.reasons = dict(unsafe)
                if unknown:
                    for value, reason_text in con.execute("SELECT v, r FROM _unknown").fetchall():
                        found.reasons.setdefault(value, reason_text)
            else:
                found.table = f"_bad_values_{col.name}"
                con.execute(f"CREATE OR REPLACE TEMP TABLE {found.table} (v VARCHAR, r VARCHAR)")
                if unsafe:
                    con.executemany(f"INSERT INTO {found.table} VALUES (?, ?)", list(unsafe.items()))
                if unknown:
                    con.execute(f"INSERT INTO {found.table} SELECT v, r FROM _unknown "
                                f"WHERE v NOT IN (SELECT v FROM {found.table})")
            out[col.name] = found
        con.execute("DROP TABLE IF EXISTS _unknown")
        con.execute("DROP TABLE _values")
    return out


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    return int(row[0]) if row else 0


def _noun(kind: str) -> str:
    return {"units": "unit", "procedures": "procedure", "cases": "case"}.get(kind, kind)


# ---------------------------------------------------------------- 3. row problems
def _cell_problem(col: Column, bad: BadValues | None) -> tuple[str, list[str]]:
    """(CASE giving the column's first problem or NULL, its conditions for the row filter)."""
    name = ident(col.name)
    whens: list[str] = []
    conds: list[str] = []
    if can_fail(col):
        raw = f"list_filter(_bad, lambda x: x.c = {lit(col.name)})[1].v"
        whens.append(f"WHEN list_contains(list_transform(_bad, lambda x: x.c), {lit(col.name)}) "
                     f"THEN {_problem(col.name, raw, lit(parse_reason(col)))}")
    if not col.is_nullable:
        cond = f"{name} IS NULL"
        whens.append(f"WHEN {cond} THEN {_problem(col.name, lit(''), lit(col.name + ' is required'))}")
        conds.append(cond)
    if col.min is not None:
        cond = f"{name} < {col.min:g}"
        reason = (f"{col.name} must not be negative" if col.min == 0
                  else f"{col.name} must be at least {col.min:g}")
        whens.append(f"WHEN {cond} THEN {_problem(col.name, _shown(name), lit(reason))}")
        conds.append(cond)
    if col.pattern is not None:
        cond = f"NOT regexp_full_match({name}, {lit(col.pattern)})"
        whens.append(f"WHEN {cond} THEN {_problem(col.name, _shown(name), lit(col.pattern_reason))}")
        conds.append(cond)
    if bad is not None:
        if bad.table is None:
            cond = f"{name} IN ({', '.join(lit(v) for v in bad.reasons)})"
            reason = (f"CASE {name} "
                      + " ".join(f"WHEN {lit(v)} THEN {lit(r)}" for v, r in bad.reasons.items())
                      + " END")
        else:  # joined in problems_select
            cond, reason = f"{ident('_bvv_' + col.name)} IS NOT NULL", ident("_bvr_" + col.name)
        whens.append(f"WHEN {cond} THEN {_problem(col.name, _shown(name), reason)}")
        conds.append(cond)
    if not whens:
        return "NULL", []
    return f"CASE {' '.join(whens)} END", conds


def problems_select(kind: Kind, stage: str, bad_values: dict[str, BadValues],
                    refused: str | None = None, extra: list[str] | None = None) -> str:
    """SELECT ``_row, record_key, unit, p`` of the staged rows with problems (only those).

    ``refused``: a query ``(_row, c, v, r)`` of rows the source refuses itself (they show those
    reasons alone); ``extra``: queries of the same shape from :data:`EXTRA_CHECKS` (their
    problems follow the row's own)."""
    joined: list[str] = []
    joins = ""
    for col, bad in bad_values.items():
        if bad.table:
            alias = ident("_bv_" + col)
            joins += f" LEFT JOIN {bad.table} AS {alias} ON s.{ident(col)} = {alias}.v"
            joined += [f"{alias}.v AS {ident('_bvv_' + col)}", f"{alias}.r AS {ident('_bvr_' + col)}"]
    cells: list[str] = []
    conds = ["_bad IS NOT NULL"]
    for col in kind.columns:
        case, col_conds = _cell_problem(col, bad_values.get(col.name))
        cells.append(f"{case} AS {ident('_p_' + col.name)}")
        conds.extend(col_conds)
    rules: list[str] = []
    for rule in kind.rules:
        fails = f"NOT coalesce(({rule.sql}), TRUE)"
        conds.append(fails)
        clean = " AND ".join(f"{ident('_p_' + c)} IS NULL" for c in rule_columns(kind, rule.sql))
        value = " || ' | ' || ".join(_shown(ident(c)) for c in rule.columns)
        rules.append(f"CASE WHEN {fails} AND {clean or 'TRUE'} THEN "
                     f"{_problem(', '.join(rule.columns), value, lit(rule.reason))} END")
    for name, queries in (("_refused", [refused] if refused else []), ("_extra", extra or [])):
        if not queries:
            continue
        union = " UNION ALL ".join(f"SELECT _row, c, v, r FROM ({sql})" for sql in queries)
        joins += (f" LEFT JOIN (SELECT _row, list({{'c': c, 'v': v, 'r': r}}::{PROBLEM}) AS p "
                  f"FROM ({union}) GROUP BY _row) AS {name} ON {name}._row = s._row")
        joined.append(f"{name}.p AS {name}_p")
        conds.append(f"{name}_p IS NOT NULL")
    items = [ident("_p_" + c.name) for c in kind.columns] + rules
    listed = f"list_filter([{', '.join(items)}], lambda x: x IS NOT NULL)"
    if extra:
        listed = f"list_concat({listed}, coalesce(_extra_p, []))"
    if refused:
        listed = f"coalesce(_refused_p, {listed})"
    source = f"SELECT {', '.join(['s.*', *joined])} FROM {stage} AS s{joins}"
    # the filter keeps the few bad rows; their problems are then built for them alone
    return (f"SELECT _row, record_key, unit, {listed} AS p FROM ("
            f"SELECT *, {', '.join(cells)}, {record_key_sql(kind, 's')}, {unit_sql(kind, 's')} "
            f"FROM ({source}) AS s WHERE {' OR '.join(conds)})")


def record_key_sql(kind: Kind, alias: str) -> str:
    parts = ", ".join(_shown(f"{alias}.{ident(k)}") for k in kind.key)
    return f"concat_ws(' | ', {parts}) AS record_key"


def unit_sql(kind: Kind, alias: str) -> str:
    if any(c.name == "unit_id" for c in kind.columns):
        return f"nullif({alias}.unit_id, '') AS unit"
    return "CAST(NULL AS VARCHAR) AS unit"


# ---------------------------------------------------------------- 4. whole-file checks
def _valid(stage: str, problems: str) -> str:
    return f"(SELECT * FROM {stage} WHERE _row NOT IN (SELECT _row FROM {problems}))"


def key_hashes_select(kind: Kind, stage: str) -> str:
    """SELECT ``_row, h``: each staged row's key hash (8 bytes). Grouping these is much cheaper
    than grouping the keys, and they also find the stored rows a file replaces."""
    return f"SELECT _row, {key_hash(kind)} AS h FROM {stage}"


def key_hash(kind: Kind, alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return f"hash({', '.join(prefix + ident(k) for k in kind.key)})"


def duplicate_hashes_select(key_hashes: str) -> str:
    """SELECT of the key hashes held by more than one row (a superset of the duplicated keys)."""
    return f"SELECT h FROM {key_hashes} GROUP BY h HAVING count(*) > 1"


def stored_overlap_select(kind: Kind, key_hashes: str) -> str:
    """SELECT of the key hashes of stored rows that the file's keys may replace: one scan of the
    table's key column, probing the file's hashes (the exact keys are compared afterwards, on
    those rows only)."""
    return (f"SELECT DISTINCT {key_hash(kind)} AS h FROM {kind.name} "
            f"WHERE {key_hash(kind)} IN (SELECT h FROM {key_hashes})")


def duplicate_candidates_select(kind: Kind, stage: str, problems: str, hashes: str) -> str:
    """SELECT ``_row, key…, record_key, unit`` of the rows without other problems whose key hash
    is in ``hashes`` (few: the rows that may repeat a key)."""
    keys = ", ".join(ident(k) for k in kind.key)
    return (f"SELECT _row, {keys}, {record_key_sql(kind, 's')}, {unit_sql(kind, 's')} "
            f"FROM {stage} AS s WHERE {key_hash(kind)} IN (SELECT h FROM {hashes}) "
            f"AND _row NOT IN (SELECT _row FROM {problems})")


def duplicate_rows_select(kind: Kind, candidates: str) -> str:
    """SELECT ``_row, record_key, unit, p`` of the candidate rows repeating the key of an
    earlier row (the first row holding a key keeps it)."""
    keys = [ident(k) for k in kind.key]
    key_text = " || ' | ' || ".join(_shown(k) for k in keys)
    reason = (f"'duplicate {', '.join(kind.key)}: already at row ' || first_row || "
              f"' of this file'")
    return (f"SELECT _row, record_key, unit, [{_problem(', '.join(kind.key), key_text, reason)}] "
            f"AS p FROM (SELECT *, min(_row) OVER (PARTITION BY {', '.join(keys)}) AS first_row "
            f"FROM {candidates}) WHERE _row > first_row")


def self_reference_select(kind: Kind, stage: str, problems: str) -> str | None:
    """SELECT ``_row, record_key, unit, p`` of rows naming a row of their own kind (a unit's
    parent) that is neither in the store nor among this file's rows without problems."""
    parts = []
    key = ident(kind.key[0])
    valid = _valid(stage, problems)
    for col in kind.columns:
        if col.references != kind.name:
            continue
        name = ident(col.name)
        reason = lit(f"{col.name}: not a known {_noun(kind.name)} id")
        parts.append(
            f"SELECT v._row, {record_key_sql(kind, 'v')}, {unit_sql(kind, 'v')}, "
            f"[{_problem(col.name, _shown(f'v.{name}'), reason)}] AS p "
            f"FROM {valid} AS v WHERE v.{name} IS NOT NULL "
            f"AND v.{name} NOT IN (SELECT {key} FROM {valid} WHERE {key} IS NOT NULL) "
            f"AND v.{name} NOT IN (SELECT {key} FROM {kind.name} WHERE {key} IS NOT NULL)")
    return " UNION ALL ".join(parts) or None


# ---------------------------------------------------------------- 5. reject lines
def rejects_select(problems: str) -> str:
    """One line per bad row: ``row_number, column_name, value, reason, record_key, unit_id``.
    Columns joined by ', ', values by ' | ', reasons (each once) by '; '."""
    return (
        "SELECT _row AS row_number, "
        "nullif(array_to_string(list_filter(list_transform(p, lambda x: x.c), lambda x: x <> ''), ', '), '') "
        "AS column_name, "
        "nullif(array_to_string(list_transform(p, lambda x: x.v), ' | '), '') AS value, "
        "array_to_string(list_filter(list_transform(p, lambda x: x.r), "
        "lambda x, i: list_position(list_transform(p, lambda y: y.r), x) = i), '; ') AS reason, "
        "record_key, unit AS unit_id "
        f"FROM (SELECT _row, flatten(list(p ORDER BY phase)) AS p, any_value(record_key) AS "
        f"record_key, any_value(unit) AS unit FROM {problems} GROUP BY _row)"
    )


def relabelled_rejects(lines: str, labels: dict[str, str]) -> str:
    """:func:`rejects_select` ``lines`` naming a source's own fields instead of the declared
    columns (``labels``: column -> field, e.g. procedure_id -> MaTTHC): in ``column_name``, and
    where a reason starts with the column (``MaTTHC: not a known procedure id``, ``MaHoSo is
    required``, ``duplicate MaHoSo: …``). Reasons that merely mention a column keep the
    declared name, so their Vietnamese wording is still found."""
    names = ", ".join(f"{lit(c)}: {lit(f)}" for c, f in labels.items())
    column = (f"nullif(array_to_string(list_transform(string_split(column_name, ', '), "
              f"lambda x: coalesce(MAP {{{names}}}[x], x)), ', '), '')")
    reason = "reason"
    for col, field in labels.items():
        pattern = f"(^|; )(duplicate )?{col}(: | is | must )"
        replacement = r"\1\2" + field.replace("\\", "") + r"\3"
        reason = f"regexp_replace({reason}, {lit(pattern)}, {lit(replacement)}, 'g')"
    return (f"SELECT row_number, {column} AS column_name, value, {reason} AS reason, record_key, "
            f"unit_id FROM ({lines})")
