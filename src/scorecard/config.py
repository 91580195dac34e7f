"""Paths and defaults, in one place. Nothing else hard-codes them."""

from __future__ import annotations

import os
from pathlib import Path

#: Local time zone of every date comparison (domain.md §2).
TIMEZONE = "Asia/Ho_Chi_Minh"

#: The project root when running from a checkout (src/scorecard/config.py -> ../../).
PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: Where the plan and index-profile files live. SCORECARD_PARAMS overrides.
PARAMS_DIR = Path(os.environ.get("SCORECARD_PARAMS", PROJECT_ROOT / "params"))
PLANS_DIR = PARAMS_DIR / "plans"
INDEX766_DIR = PARAMS_DIR / "index766"

#: The store every command uses unless --db says otherwise. SCORECARD_DB overrides.
DEFAULT_DB = Path(os.environ.get("SCORECARD_DB", "data/processed/scorecard.duckdb"))

#: Where `scorecard demo-data` writes and where `scorecard render` writes.
DEFAULT_DEMO_DIR = Path("data/raw/demo")
DEFAULT_REPORTS_DIR = Path("reports")

#: The notebooks shipped with the project.
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"

#: Default plan of `scorecard demo` (UBND tỉnh Bắc Giang 2025, seed 001).
DEFAULT_DEMO_PLAN = PLANS_DIR / "bac-giang-2025.yaml"

#: Rows per chunk when reading and validating large files (bounded memory).
CHUNK_ROWS = int(os.environ.get("SCORECARD_CHUNK_ROWS", "100000"))

#: Name prefix that marks synthetic demo data; reports show a "DỮ LIỆU MẪU" banner when found.
DEMO_MARKER = "DEMO"

#: Memory DuckDB may use while loading (the rest spills to a folder beside the store), so an
#: ingest of tens of millions of rows stays within bounded memory: a 10M-case load peaks under
#: 1 GB with 600 MB here. SCORECARD_DB_MEMORY overrides.
WRITER_MEMORY_LIMIT = os.environ.get("SCORECARD_DB_MEMORY", "600MB")
