"""The SQL that turns a chunk of source records into canonical ``cases`` rows (profile-driven).

One query per file, run on every chunk (a DuckDB view ``chunk``). Its parts, as CTEs:

- ``src``: one text column per source field the profile names (JSON records are parsed with
  ``from_json``; CSV/XLSX cells are text already), plus ``_format_error`` for unreadable records;
- ``typed``: values parsed: value maps (status, channel, yes/no, rating) through the
  ``value_map`` table, timestamps with the profile's formats, list fields (fees, result documents,
  supplement history) parsed from their JSON text, the unit resolved (``unit_ids`` /
  ``unit_names``);
- ``checked``: the canonical columns and one ``reason_<i>`` per rule this source applies
  (NULL when the record passes it);
- the result: the canonical ``cases`` columns (:data:`CASE_COLUMNS`), ``_row``, ``_reject``,
  ``_reject_column``, ``_reject_value`` and ``_supplements``.

Rules beyond the source (required columns, known procedures, date order, duplicates) stay the
loader's: a canonical row this query accepts may still be rejected there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from scorecard.sources.profile import SCALAR_FIELDS, SourceProfile

#: Canonical ``cases`` columns the source produces, in the store's order, with their SQL type.
CASE_COLUMNS: dict[str, str] = {
    "case_id": "VARCHAR", "unit_id": "VARCHAR", "procedure_id": "VARCHAR",
    "received_at": "TIMESTAMP", "due_at": "TIMESTAMP", "resolved_at": "TIMESTAMP",
    "status": "VARCHAR", "channel": "VARCHAR", "supplement_requests": "BIGINT",
    "digitized": "BOOLEAN", "e_result": "BOOLEAN", "reused_data": "BOOLEAN",
    "fee_required": "BOOLEAN", "paid_online": "BOOLEAN", "apology_issued": "BOOLEAN",
    "rating": "VARCHAR", "supplement_requested_at": "TIMESTAMP", "applicant_key": "VARCHAR",
    "citizen_data_used": "BOOLEAN", "personal_storage_synced": "BOOLEAN",
}
#: One supplement request in ``_supplements`` (the ``case_supplements`` columns but case_id).
SUPPLEMENT_TYPE = ("STRUCT(seq BIGINT, requested_at TIMESTAMP, returned_at TIMESTAMP, "
                   "due_before TIMESTAMP, due_after TIMESTAMP)")
#: Columns after the canonical ones.
EXTRA_COLUMNS: dict[str, str] = {
    "_row": "BIGINT", "_reject": "VARCHAR", "_reject_column": "VARCHAR",
    "_reject_value": "VARCHAR", "_supplements": f"{SUPPLEMENT_TYPE}[]",
}

#: Value types of :data:`profile.SCALAR_FIELDS` that go through a value map, and which map.
_MAPPED = {"status": "status", "channel": "channel", "paid_online": "paid_online",
           "yes_no": "yes_no", "rating": "rating"}
_BOOL_TYPES = ("paid_online", "yes_no")

# Keys compared ignoring case, accents, spacing and punctuation ('Đã xử lý' -> 'daxuly'); a
# spreadsheet number '10.0' counts as '10'.
_MACROS = (
    "CREATE OR REPLACE MACRO blank(x) AS NULLIF(trim(CAST(x AS VARCHAR)), '')",
    "CREATE OR REPLACE MACRO norm_key(x) AS regexp_replace(lower(strip_accents(replace(replace("
    "regexp_replace(trim(x), '\\.0+$', ''), 'đ', 'd'), 'Đ', 'D'))), '[^a-z0-9]', '', 'g')",
    # a fee amount: a number, or digits with thousands separators ('50.000 đ' counts as > 0)
    "CREATE OR REPLACE MACRO amount(x) AS coalesce(TRY_CAST(blank(x) AS DOUBLE), "
    "TRY_CAST(NULLIF(regexp_replace(blank(x), '[^0-9]', '', 'g'), '') AS DOUBLE))",
)


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def human_format(fmt: str) -> str:
    """'%Y%m%d%H%M%S' -> 'yyyyMMddHHmmss' (how the formats read in messages)."""
    for code, word in (("%Y", "yyyy"), ("%m", "MM"), ("%d", "dd"), ("%H", "HH"), ("%M", "mm"),
                       ("%S", "ss")):
        fmt = fmt.replace(code, word)
    return fmt


# ---------------------------------------------------------------- lookup tables
def prepare(con: duckdb.DuckDBPyConnection, profile: SourceProfile,
            units: pd.DataFrame) -> None:
    """Macros, ``value_map`` (map, key, canon, label) and the unit tables on ``con``."""
    for stmt in _MACROS:
        con.execute(stmt)
    rows = []
    for name, mapping in profile.values.items():
        labels = profile.labels.get(name, {})
        for key, canon in mapping.items():
            text = str(canon).lower() if isinstance(canon, bool) else str(canon)
            rows.append((name, key, text, labels.get(key)))
    vm = pd.DataFrame(rows, columns=["map", "raw", "canon", "label"])
    con.register("value_map_src", vm)
    con.execute("CREATE OR REPLACE TEMP TABLE value_map AS SELECT map, norm_key(raw) AS key, "
                "any_value(canon) AS canon, any_value(label) AS label, "
                "string_agg(raw, ', ' ORDER BY rowid_) AS raws FROM "
                "(SELECT *, row_number() OVER () AS rowid_ FROM value_map_src) GROUP BY map, key")
    con.unregister("value_map_src")
    ids = units[["unit_id", "name"]].astype({"unit_id": "string", "name": "string"})
    con.register("units_src", ids)
    con.execute("CREATE OR REPLACE TEMP TABLE unit_ids AS SELECT DISTINCT unit_id FROM units_src")
    con.execute("CREATE OR REPLACE TEMP TABLE unit_names AS SELECT norm_key(name) AS key, "
                "min(unit_id) AS unit_id, count(*) AS n, "
                "string_agg(unit_id, ', ' ORDER BY unit_id) AS ids "
                "FROM units_src WHERE blank(name) IS NOT NULL GROUP BY 1")
    con.unregister("units_src")


# ---------------------------------------------------------------- the query
@dataclass(frozen=True)
class Fields:
    """The source fields a profile reads, and how each is spelled in this file (None = absent)."""

    spelled: dict[str, str | None]

    @property
    def names(self) -> list[str]:
        return list(self.spelled)


def profile_fields(profile: SourceProfile, pseudonymise: bool = False) -> list[str]:
    """Every top-level source field the profile reads, in a stable order; the ID-number fields
    (``applicant_id``) only when ``pseudonymise`` (a key is configured): otherwise they are
    never read."""
    out: list[str] = []
    for sources in profile.fields.values():
        out += sources
    if pseudonymise:
        out += list(profile.applicant_id)
    for sources in profile.finished_at.values():
        out += sources
    out += list(profile.unit.code) + ([profile.unit.name] if profile.unit.name else [])
    for spec in (profile.fees, profile.result_documents, profile.supplements):
        if spec is not None:
            out.append(spec.field)
    return list(dict.fromkeys(out))


def src_cte(fields: Fields, fmt: str) -> str:
    """The ``src`` CTE: ``_row``, ``_format_error``, ``_text`` and one text column per field."""
    if fmt == "json":
        # fields the sample did not show are still read under the profile's spelling
        present = {name: key or name for name, key in fields.spelled.items()}
        seen = [key for key in fields.spelled.values() if key is not None]
        structure = json.dumps({key: "VARCHAR" for key in dict.fromkeys(present.values())},
                               ensure_ascii=False)
        key = q(seen[0] if seen else next(iter(present.values())))  # a field records have
        cols = ",\n        ".join(f"r.{q(present[name])} AS {q(name)}" for name in fields.names)
        return f"""parsed AS (
    SELECT _row, j, try(from_json(j, {lit(structure)})) AS r FROM chunk
), src AS MATERIALIZED (
    SELECT _row,
        -- an unreadable record's text is not kept: it may hold personal data
        NULL::VARCHAR AS _text,
        CASE WHEN r IS NULL THEN 'not valid JSON'
             WHEN r.{key} IS NULL AND json_type(j) <> 'OBJECT' THEN 'not a JSON object'
             END AS _format_error,
        {cols}
    FROM parsed
)"""
    cols = ",\n        ".join(
        (f"{q(key)} AS {q(name)}" if key is not None else f"NULL::VARCHAR AS {q(name)}")
        for name, key in fields.spelled.items())
    return f"""src AS MATERIALIZED (
    SELECT _row, NULL::VARCHAR AS _text, NULL::VARCHAR AS _format_error,
        {cols}
    FROM chunk
)"""


#: The function the mapping connection registers for applicant pseudonyms (issue 13.2).
APPLICANT_KEY_FUNCTION = "applicant_key_of"


class _Query:
    """Builds the query's expressions for one profile (kept apart for readability)."""

    def __init__(self, profile: SourceProfile, default_unit: str | None,
                 pseudonymise: bool = False) -> None:
        self.p = profile
        self.default_unit = default_unit
        self.pseudonymise = pseudonymise
        self.formats = "[" + ", ".join(lit(f) for f in profile.timestamp_formats) + "]"
        self.formats_shown = ", ".join(human_format(f) for f in profile.timestamp_formats)
        self.select: list[str] = []   # expressions of ``typed``
        self.joins: list[str] = []
        self.lookups: list[tuple[str, str]] = []  # (value map, raw value SQL over src)
        self.problems: list[tuple[str, str, str]] = []  # (field, value SQL, reason SQL)

    # ---- helpers
    @staticmethod
    def first(sources: tuple[str, ...] | list[str]) -> str:
        parts = [f"blank(src.{q(s)})" for s in sources]
        return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"

    @staticmethod
    def label(sources: tuple[str, ...] | list[str]) -> str:
        return "/".join(sources)

    def problem(self, column: str, value_sql: str, reason_sql: str) -> None:
        """A rule: ``reason_sql`` (over ``typed``) is the reason, NULL when the rule holds."""
        self.problems.append((column, value_sql, reason_sql))

    def ts(self, raw_sql: str) -> str:
        return f"try_strptime({raw_sql}, {self.formats})"

    def not_a_date(self, field: str) -> str:
        return lit(f"{field} is not a date/time (expected {self.formats_shown})")

    # ---- parts
    def scalar_columns(self) -> None:
        """``raw_<col>`` (text as read) and ``v_<col>`` (parsed) for every mapped column."""
        for col, typ in SCALAR_FIELDS.items():
            sources = self.p.sources_of(col)
            if not sources:
                continue
            raw, label = self.first(sources), self.label(sources)
            self.select.append(f"{raw} AS raw_{col}")
            if typ == "text":
                self.select.append(f"{raw} AS v_{col}")
                continue
            if typ == "timestamp":
                self.select.append(f"{self.ts(raw)} AS v_{col}")
                self.problem(label, f"raw_{col}",
                             f"CASE WHEN raw_{col} IS NOT NULL AND v_{col} IS NULL "
                             f"THEN {self.not_a_date(label)} END")
                continue
            vmap = typ if typ in self.p.values else "yes_no"
            alias = f"m_{col}"
            self.lookups.append((vmap, raw))
            self.joins.append(f"LEFT JOIN lookup AS {alias} ON {alias}.map = {lit(vmap)} "
                              f"AND {alias}.raw = {raw}")
            canon = f"CAST({alias}.canon AS BOOLEAN)" if typ in _BOOL_TYPES else f"{alias}.canon"
            self.select.append(f"{canon} AS v_{col}")
            if typ == "status":
                self.select.append(f"{alias}.label AS status_label")
            shown = ", ".join(self.p.values.get(vmap, {}))
            self.problem(label, f"raw_{col}",
                         f"CASE WHEN raw_{col} IS NOT NULL AND v_{col} IS NULL "
                         f"THEN {lit(f'not a valid {label}: expected one of {shown}')} END")

    def status_rules(self) -> None:
        label = self.label(self.p.sources_of("status"))
        self.problem(label, "raw_status",
                     f"CASE WHEN v_status = 'not_received' THEN 'case never received ("
                     f"{label} ' || raw_status || coalesce(': ' || status_label, '') || ')' END")
        finish_fields = list(dict.fromkeys(f for fs in self.p.finished_at.values() for f in fs))
        for i, field in enumerate(finish_fields):
            self.select.append(f"blank(src.{q(field)}) AS finish_raw_{i}")
            self.select.append(f"{self.ts(f'blank(src.{q(field)})')} AS finish_ts_{i}")
            self.problem(field, f"finish_raw_{i}",
                         f"CASE WHEN finish_raw_{i} IS NOT NULL AND finish_ts_{i} IS NULL "
                         f"THEN {self.not_a_date(field)} END")
        index = {f: i for i, f in enumerate(finish_fields)}
        whens, needs = [], []
        for status, fields in self.p.finished_at.items():
            parts = [f"finish_ts_{index[f]}" for f in fields]
            expr = parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"
            whens.append(f"WHEN {lit(status)} THEN {expr}")
            needs.append(f"WHEN {lit(status)} THEN {lit(', '.join(fields))}")
        self.finish_expr = f"CASE v_status {' '.join(whens)} END"
        self.problem(", ".join(finish_fields), "raw_status",
                     f"CASE WHEN v_status IN ('resolved', 'withdrawn', 'refused') AND "
                     f"({self.finish_expr}) IS NULL THEN 'finished ({label} ' || raw_status || "
                     f"') but no finish date in ' || CASE v_status {' '.join(needs)} END END")

    def unit(self) -> None:
        code, name = self.p.unit.code, self.p.unit.name
        code_sql = self.first(code) if code else "NULL::VARCHAR"
        name_sql = f"blank(src.{q(name)})" if name else "NULL::VARCHAR"
        self.select += [f"{code_sql} AS unit_code", f"{name_sql} AS unit_name",
                        "u_code.unit_id AS code_unit", "u_name.unit_id AS name_unit",
                        "u_name.n AS name_matches", "u_name.ids AS name_ids"]
        self.joins += [f"LEFT JOIN unit_ids AS u_code ON u_code.unit_id = {code_sql}",
                       f"LEFT JOIN unit_lookup AS u_name ON u_name.raw = {name_sql}"]
        self.unit_name_sql = name_sql
        default = lit(self.default_unit) if self.default_unit else "NULL::VARCHAR"
        self.unit_expr = (f"CASE WHEN code_unit IS NOT NULL THEN code_unit "
                          f"WHEN name_matches = 1 THEN name_unit ELSE {default} END")
        code_label, name_label = self.label(code) or "unit code", name or "unit name"
        parts = ", ".join([
            f"CASE WHEN unit_code IS NOT NULL THEN {lit(code_label + ' is not a unit id of the store')} END",
            f"CASE WHEN unit_name IS NULL THEN NULL WHEN name_matches > 1 THEN "
            f"{lit(name_label + ' matches several units of the store (')} || name_ids || ')' "
            f"ELSE {lit(name_label + ' matches no unit name of the store')} END",
            f"CASE WHEN unit_code IS NULL AND unit_name IS NULL THEN "
            f"{lit(f'no {code_label} or {name_label}')} END",
        ])
        self.problem(", ".join([*code, *([name] if name else [])]),
                     "coalesce(unit_code, unit_name)",
                     f"CASE WHEN ({self.unit_expr}) IS NULL THEN 'no unit for this case: ' || "
                     f"concat_ws(' and ', {parts}) || ' (give a unit code or --unit)' END")

    def fees(self) -> None:
        spec = self.p.fees
        fallback = "v_fee_required" if "fee_required" in self.p.fields else "NULL::BOOLEAN"
        if spec is None:
            self.fee_expr = fallback
            return
        structure = json.dumps([{spec.amount: "VARCHAR"}], ensure_ascii=False)
        self.select += [
            f"blank(src.{q(spec.field)}) AS fees_text",
            f"try(from_json(fees_text, {lit(structure)})) AS fees_list",
            f"list_transform(fees_list, lambda x: amount(x.{q(spec.amount)})) AS fee_amounts",
            f"list_filter(list_transform(fees_list, lambda x, i: CASE WHEN "
            f"blank(x.{q(spec.amount)}) IS NOT NULL AND amount(x.{q(spec.amount)}) IS NULL "
            f"THEN x.{q(spec.amount)} END), lambda y: y IS NOT NULL) AS bad_amounts",
        ]
        self._list_problem(spec.field, "fees_text", "fees_list")
        self.problem(f"{spec.field}.{spec.amount}", "array_to_string(bad_amounts, ' | ')",
                     f"CASE WHEN len(bad_amounts) > 0 THEN "
                     f"{lit(f'fee amount {spec.amount} is not a number')} END")
        self.fee_expr = (f"CASE WHEN fees_list IS NULL THEN {fallback} ELSE coalesce("
                         f"list_bool_or(list_transform(fee_amounts, lambda a: a > 0)), false) END")

    def results(self) -> None:
        spec = self.p.result_documents
        fallback = "v_e_result" if "e_result" in self.p.fields else "NULL::BOOLEAN"
        if spec is None:
            self.e_result_expr = fallback
            return
        structure = json.dumps([{spec.file_link: "VARCHAR"}], ensure_ascii=False)
        self.select += [
            f"blank(src.{q(spec.field)}) AS results_text",
            f"try(from_json(results_text, {lit(structure)})) AS results_list",
        ]
        self._list_problem(spec.field, "results_text", "results_list")
        self.e_result_expr = (
            f"CASE WHEN results_list IS NULL THEN {fallback} ELSE coalesce(list_bool_or("
            f"list_transform(results_list, lambda x: blank(x.{q(spec.file_link)}) IS NOT NULL)), "
            f"false) END")

    def supplements(self) -> None:
        """``supp_sorted`` (requests in order) and ``supp_problems`` (one text per bad entry)."""
        spec = self.p.supplements
        if spec is None:
            self.select.append(f"[]::{SUPPLEMENT_TYPE}[] AS supp_sorted")
            return
        keys = {"requested_at": spec.requested_at, "returned_at": spec.returned_at,
                "due_before": spec.due_before, "due_after": spec.due_after}
        present = {k: v for k, v in keys.items() if v}
        structure = json.dumps([{v: "VARCHAR" for v in present.values()}], ensure_ascii=False)
        parsed = ["'pos': i"]
        checks = []
        for k, v in keys.items():
            if v is None:
                parsed.append(f"'{k}': NULL::TIMESTAMP, 'raw_{k}': NULL::VARCHAR")
                continue
            parsed.append(f"'{k}': {self.ts(f'blank(x.{q(v)})')}, 'raw_{k}': blank(x.{q(v)})")
            checks.append(f"CASE WHEN e.raw_{k} IS NOT NULL AND e.{k} IS NULL "
                          f"THEN {lit(v + ' is not a date/time')} END")
        checks.insert(0, f"CASE WHEN e.raw_requested_at IS NULL "
                         f"THEN {lit(spec.requested_at + ' missing')} END")
        if spec.returned_at:
            checks.append(f"CASE WHEN e.returned_at < e.requested_at "
                          f"THEN {lit(f'{spec.returned_at} before {spec.requested_at}')} END")
        self.select += [
            f"blank(src.{q(spec.field)}) AS supp_text",
            f"try(from_json(supp_text, {lit(structure)})) AS supp_list",
            f"list_transform(supp_list, lambda x, i: {{{', '.join(parsed)}}}) AS supp_parsed",
            # sorted by request time (list order breaks ties): seq 1, 2, … follows it
            "list_sort(list_transform(supp_parsed, lambda e: {'requested_at': e.requested_at, "
            "'pos': e.pos, 'returned_at': e.returned_at, 'due_before': e.due_before, "
            "'due_after': e.due_after})) AS supp_sorted",
            f"list_filter(list_transform(supp_parsed, lambda e: 'entry ' || e.pos || ': ' || "
            f"NULLIF(concat_ws(', ', {', '.join(checks)}), '')), lambda y: y IS NOT NULL) "
            "AS supp_problems",
        ]
        self._list_problem(spec.field, "supp_text", "supp_list")
        self.problem(spec.field, "left(supp_text, 200)",
                     f"CASE WHEN len(supp_problems) > 0 THEN "
                     f"{lit(spec.field + ': ')} || array_to_string(supp_problems, ' / ') END")

    def applicant(self) -> str:
        """SQL of ``applicant_key``: with a key, the HMAC of the first ID-number field (a
        ready-made pseudonym field is then not used: one key for the whole store); else the
        ready-made field (``fields.applicant_key``), else NULL."""
        if self.pseudonymise and self.p.applicant_id:
            self.select.append(f"{APPLICANT_KEY_FUNCTION}({self.first(self.p.applicant_id)}) "
                               f"AS hmac_applicant_key")
            return "hmac_applicant_key"
        return "v_applicant_key" if "applicant_key" in self.p.fields else "NULL"

    def _list_problem(self, field: str, text: str, parsed: str) -> None:
        self.problem(field, f"left({text}, 200)",
                     f"CASE WHEN {text} IS NOT NULL AND ({parsed} IS NULL OR "
                     f"try(json_type({text})) IS DISTINCT FROM 'ARRAY') "
                     f"THEN {lit(f'{field} is not a JSON list')} END")


def chunk_query(profile: SourceProfile, fields: Fields, fmt: str,
                default_unit: str | None = None, pseudonymise: bool = False) -> str:
    """The whole query over the view ``chunk`` (``fmt``: ``json`` or ``table``);
    ``pseudonymise``: the connection has :data:`APPLICANT_KEY_FUNCTION` (a key is configured)."""
    b = _Query(profile, default_unit, pseudonymise)
    b.scalar_columns()
    b.status_rules()
    b.unit()
    b.fees()
    b.results()
    b.supplements()
    applicant = b.applicant()

    def col(name: str, expr: str | None = None) -> str:
        if expr is None:
            expr = f"v_{name}" if name in profile.fields else "NULL"
        return f"CAST({expr} AS {CASE_COLUMNS[name]}) AS {name}"

    status = "CASE WHEN v_status = 'not_received' THEN NULL ELSE v_status END"
    outputs = [
        col("case_id"), col("unit_id", b.unit_expr), col("procedure_id"),
        col("received_at"), col("due_at"),
        col("resolved_at", f"CASE WHEN v_status IN ('resolved', 'withdrawn', 'refused') "
                           f"THEN {b.finish_expr} END"),
        col("status", status), col("channel"),
        col("supplement_requests", "len(coalesce(supp_sorted, []))"),
        col("digitized"), col("e_result", b.e_result_expr), col("reused_data"),
        col("fee_required", b.fee_expr), col("paid_online"), col("apology_issued"),
        col("rating"), col("supplement_requested_at", "supp_sorted[-1].requested_at"),
        col("applicant_key", applicant), col("citizen_data_used"),
        col("personal_storage_synced"),
    ]
    sep = ",\n        "
    reasons = [f"{reason} AS reason_{i}" for i, (_, _, reason) in enumerate(b.problems)]
    fired = [f"reason_{i} IS NOT NULL" for i in range(len(b.problems))]
    reject = "NULLIF(concat_ws('; ', " + ", ".join(
        f"reason_{i}" for i in range(len(b.problems))) + "), '')"
    columns = "NULLIF(concat_ws(', ', " + ", ".join(
        f"CASE WHEN {f} THEN {lit(c)} END" for f, (c, _, _) in zip(fired, b.problems,
                                                                  strict=True)) + "), '')"
    values = "concat_ws(' | ', " + ", ".join(
        f"CASE WHEN {f} THEN coalesce(CAST({v} AS VARCHAR), '') END"
        for f, (_, v, _) in zip(fired, b.problems, strict=True)) + ")"
    raw_values = "\n    UNION ".join(
        f"SELECT DISTINCT {lit(m)} AS map, {raw} AS raw FROM src" for m, raw in b.lookups)
    return f"""WITH {src_cte(fields, fmt)},
-- each distinct source value is normalized once per chunk, not once per record
raw_values AS (
    {raw_values or "SELECT NULL::VARCHAR AS map, NULL::VARCHAR AS raw"}
), lookup AS (
    SELECT v.map, v.raw, m.canon, m.label
    FROM raw_values AS v JOIN value_map AS m ON m.map = v.map AND m.key = norm_key(v.raw)
), unit_lookup AS (
    SELECT v.raw, n.unit_id, n.n, n.ids
    FROM (SELECT DISTINCT {b.unit_name_sql} AS raw FROM src) AS v
    JOIN unit_names AS n ON n.key = norm_key(v.raw)
),
typed AS (
    SELECT src._row, src._text, src._format_error,
        {sep.join(b.select)}
    FROM src
    {chr(10).join('    ' + j for j in b.joins).strip()}
), checked AS (         -- canonical columns, and one reason column per rule (NULL = holds)
    SELECT *,
        {sep.join(outputs)},
        {sep.join(reasons)}
    FROM typed
), rejected AS (
    SELECT *,
        CASE WHEN _format_error IS NOT NULL THEN _format_error ELSE {reject} END AS _reject
    FROM checked
)
SELECT {', '.join(CASE_COLUMNS)}, _row, _reject,
    CASE WHEN _format_error IS NULL AND _reject IS NOT NULL THEN {columns} END
        AS _reject_column,
    CASE WHEN _format_error IS NOT NULL THEN _text
         WHEN _reject IS NOT NULL THEN NULLIF({values}, '') END AS _reject_value,
    CAST(list_transform(coalesce(supp_sorted, []), lambda s, k: {{'seq': k,
        'requested_at': s.requested_at, 'returned_at': s.returned_at,
        'due_before': s.due_before, 'due_after': s.due_after}}) AS {SUPPLEMENT_TYPE}[])
        AS _supplements
FROM rejected
ORDER BY _row"""
