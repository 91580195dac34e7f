"""The synthetic demo province (`scorecard demo-data`): sample data in every input format.

Everything here is made up and marked as such: unit ids start with ``DEMO-``, the province is
called "Tỉnh Mẫu (DỮ LIỆU MẪU)" and the output folder holds a README saying so.

Two halves, kept apart:

- **generation (pure)**: :func:`build_world` (units, procedures, catalogues, unit profiles),
  :func:`case_chunks` (cases as typed Arrow tables, streamed in day-ordered chunks),
  :func:`build_feedback`, :func:`build_form06`, :func:`build_manual`. Same seed, same values;
  no clock is read anywhere.
- **writing**: :func:`generate_demo` writes the files with byte-stable writers (fixed xlsx
  properties and zip entry dates, no "now" anywhere).

Default ("mixed") layout, to exercise every reader: ``cases_2024.parquet`` (cases received before
2025, English headers, typed timestamps), ``cases_2025.csv`` (Vietnamese one-stop export: headers,
values, dd/mm/yyyy HH:MM dates, UTF-8 with BOM), ``cases_DEMO-H03.xlsx`` (one district's own
cases, Vietnamese headers, Excel date cells and fake personal-data columns) and
``hoso_dvcqg_DEMO-S04.jsonl`` (one department's cases in the national portal's dossier format,
with supplement histories: :mod:`scorecard.demo_dvcqg`), plus the small tables.
A few deliberately bad rows are planted (see :data:`BAD_ROWS`). ``formats="csv"``,
``"parquet"`` or ``"csv,parquet"`` write every case to ``cases.csv`` / ``cases.parquet`` instead
(English headers, ISO timestamps), for benchmarks. In every layout, the inputs of the inspection
leads and the patterns planted for them (``cases_planted.parquet``) come from
:mod:`scorecard.demo_leads`.

One job per module:

- ``constants``: names, dates, case columns and schemas, Vietnamese spellings;
- ``province``: the made-up departments, districts, commune-name parts and procedure names;
- ``streams``: the random streams (which stream draws what); ``timeline``: working days, office
  hours, the profiles' linear trend;
- ``world``: :class:`World` and :func:`build_world`;
- ``cases``: :func:`case_chunks` and the applicants' made-up ID column; ``arrow_text``: case ids
  and timestamps as fixed-width text;
- ``citizen_data``: the 766 index's population-data columns;
- ``small_tables``: feedback, Biểu 06, manual measurements;
- ``bad_rows``: the planted bad rows (:data:`BAD_ROWS`);
- ``case_files``: case files written chunk by chunk; ``xlsx_file``: the xlsx file, byte-stable;
- ``generate``: :func:`generate_demo`; ``dvcqg_export``: :func:`export_dvcqg`.
"""

from scorecard.demo.bad_rows import (
    BAD_KINDS,
    BAD_ROWS,
    FEEDBACK_BAD_ID,
    UNKNOWN_PROCEDURE,
    UNKNOWN_UNIT,
)
from scorecard.demo.cases import APPLICANT_ID, case_chunks
from scorecard.demo.citizen_data import (
    citizen_data_connected,
    citizen_data_shares,
    with_citizen_data,
)
from scorecard.demo.constants import (
    BOOL_COLUMNS,
    CASE_COLUMNS,
    CASE_SCHEMA,
    CHANNELS,
    CHUNK_ROWS,
    CITIZEN_DATA_COLUMNS,
    DATA_END,
    DVCQG_FILE,
    DVCQG_UNIT,
    FILE_DATE,
    FIRST_DAY,
    LAST_DAY,
    MANUAL_SOURCE,
    MIN_CASES,
    PII_HEADERS,
    PROVINCE_ID,
    PROVINCE_NAME,
    QUARTERS,
    RATINGS,
    STATUSES,
    TS_COLUMNS,
    VI_BOOL,
    VI_CHANNEL,
    VI_HEADERS,
    VI_RATING,
    VI_STATUS,
    XLSX_FILE,
    XLSX_UNIT,
)
from scorecard.demo.dvcqg_export import export_dvcqg
from scorecard.demo.generate import DemoSummary, generate_demo, parse_formats
from scorecard.demo.small_tables import (
    MANUAL_INDEX766,
    build_feedback,
    build_form06,
    build_manual,
    build_manual_index766,
)
from scorecard.demo.world import World, build_world

__all__ = [
    "APPLICANT_ID",
    "BAD_KINDS",
    "BAD_ROWS",
    "BOOL_COLUMNS",
    "CASE_COLUMNS",
    "CASE_SCHEMA",
    "CHANNELS",
    "CHUNK_ROWS",
    "CITIZEN_DATA_COLUMNS",
    "DATA_END",
    "DVCQG_FILE",
    "DVCQG_UNIT",
    "FEEDBACK_BAD_ID",
    "FILE_DATE",
    "FIRST_DAY",
    "LAST_DAY",
    "MANUAL_INDEX766",
    "MANUAL_SOURCE",
    "MIN_CASES",
    "PII_HEADERS",
    "PROVINCE_ID",
    "PROVINCE_NAME",
    "QUARTERS",
    "RATINGS",
    "STATUSES",
    "TS_COLUMNS",
    "UNKNOWN_PROCEDURE",
    "UNKNOWN_UNIT",
    "VI_BOOL",
    "VI_CHANNEL",
    "VI_HEADERS",
    "VI_RATING",
    "VI_STATUS",
    "XLSX_FILE",
    "XLSX_UNIT",
    "DemoSummary",
    "World",
    "build_feedback",
    "build_form06",
    "build_manual",
    "build_manual_index766",
    "build_world",
    "case_chunks",
    "citizen_data_connected",
    "citizen_data_shares",
    "export_dvcqg",
    "generate_demo",
    "parse_formats",
    "with_citizen_data",
]
