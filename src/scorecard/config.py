"""Paths and defaults, in one place. Nothing else hard-codes them.

Every default path hangs off the **project home** (:data:`PROJECT_HOME`): the folder holding
``params/``, ``data/``, ``notebooks/`` and ``reports/``. It is, in this order:

1. ``SCORECARD_HOME`` when set;
2. the nearest folder at or above the current folder that holds ``params/plans/`` (so a
   JupyterLab kernel started in ``notebooks/`` finds the project it sits in);
3. the checkout the package runs from (:data:`PROJECT_ROOT`, an editable install);
4. the current folder.

Defaults are therefore the same wherever a command or a kernel starts. Resolving what a user
typed (a relative path, a plan id, "the store") is :mod:`scorecard.paths`' job.
"""

from __future__ import annotations

import os
from pathlib import Path

#: Local time zone of every date comparison (domain.md §2).
TIMEZONE = "Asia/Ho_Chi_Minh"

#: Environment variables that move the project and its parts.
HOME_ENV = "SCORECARD_HOME"
PARAMS_ENV = "SCORECARD_PARAMS"
DB_ENV = "SCORECARD_DB"

#: The checkout the package runs from (src/scorecard/config.py -> ../../): source files such as
#: docs/ and the shipped notebooks live here.
PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: A folder is a project home when it holds this sub-folder.
HOME_MARKER = Path("params") / "plans"


def find_project_home(start: Path | None = None, env: dict[str, str] | None = None) -> Path:
    """The project home (see the module docstring), from ``start`` (default: the current
    folder) and ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    if env.get(HOME_ENV):
        return Path(env[HOME_ENV]).expanduser().resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / HOME_MARKER).is_dir():
            return folder
    if (PROJECT_ROOT / HOME_MARKER).is_dir():
        return PROJECT_ROOT
    return here


#: The project home of this process (fixed at import: a kernel's folder does not move).
PROJECT_HOME = find_project_home()

#: Where the plan and index-profile files live. SCORECARD_PARAMS overrides.
PARAMS_DIR = Path(os.environ.get(PARAMS_ENV) or PROJECT_HOME / "params")
PLANS_DIR = PARAMS_DIR / "plans"
INDEX766_DIR = PARAMS_DIR / "index766"

#: The settings shipped with the code (documented defaults), used for any settings file a
#: project's own params/ folder does not have (see :func:`params_file`).
SHIPPED_PARAMS_DIR = PROJECT_ROOT / "params"


def params_file(relative: str | Path) -> Path:
    """A settings file of the project (``PARAMS_DIR / relative``), else the shipped one: a
    project that keeps only its plans in params/ still gets the documented defaults (lead
    thresholds, holiday calendar, 766 profiles, field codes)."""
    own = PARAMS_DIR / relative
    if own.exists():
        return own
    shipped = SHIPPED_PARAMS_DIR / relative
    return shipped if shipped.exists() else own

#: Data folders: raw input files (immutable) and the rebuilt stores.
RAW_DIR = PROJECT_HOME / "data" / "raw"
PROCESSED_DIR = PROJECT_HOME / "data" / "processed"

#: The store every command uses unless --db says otherwise. SCORECARD_DB overrides.
STORE_NAME = "scorecard.duckdb"
DEFAULT_DB = Path(os.environ.get(DB_ENV) or PROCESSED_DIR / STORE_NAME)

#: The store `make demo` (`scorecard demo`) rebuilds, and the folder its files are written to.
DEMO_DB = PROCESSED_DIR / "demo.duckdb"
DEFAULT_DEMO_DIR = RAW_DIR / "demo"

#: Where `scorecard render` and `scorecard run` write.
DEFAULT_REPORTS_DIR = PROJECT_HOME / "reports"

#: The run files of `scorecard run` (the quarterly job; the demo's).
RUN_FILE = PARAMS_DIR / "run.yaml"
DEMO_RUN_FILE = PARAMS_DIR / "run-demo.yaml"

#: The notebooks shipped with the project (the report template and the inspectors' workbench).
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
