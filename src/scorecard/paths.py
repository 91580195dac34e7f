"""What a user typed → the file it means, wherever the command or kernel runs.

A JupyterLab kernel starts in ``notebooks/``, a cron job in ``/``, a developer in the project
folder; the same parameter (``data/processed/demo.duckdb``, ``bac-giang-2025``) must mean the
same file for all of them, and a miss must say what to do about its actual cause:

- :func:`project_path`: a relative path is looked up from the current folder first (the shell's
  meaning), then from the project home (:data:`scorecard.config.PROJECT_HOME`).
- :func:`resolve_store`: the store to read. Empty means the project's store:
  ``SCORECARD_DB``, else ``data/processed/scorecard.duckdb``, else the demo store
  ``data/processed/demo.duckdb`` that ``make demo`` builds. A miss says whether the path was
  looked for in the wrong folder or the store was never built.
- :func:`resolve_plan`: a plan by id (``bac-giang-2025``) or file, relative paths as above.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from scorecard import config
from scorecard.errors import ScorecardError
from scorecard.store import StoreError


class PathNotFound(ScorecardError, FileNotFoundError):
    """A file the user named exists neither from the current folder nor the project home."""


def project_path(path: str | Path, *, home: Path | None = None) -> Path:
    """``path`` made absolute: as is when absolute; else from the current folder when it exists
    there, else from the project home (whether or not it exists there)."""
    p = Path(path).expanduser()
    if p.is_absolute():
        return p
    here = Path.cwd() / p
    if here.exists():
        return here.resolve()
    return (home or config.PROJECT_HOME) / p


def store_candidates(env: dict[str, str] | None = None) -> list[Path]:
    """The stores "the project's store" may mean, in order: ``SCORECARD_DB`` alone when set,
    else the main store then the demo store of the project home."""
    env = os.environ if env is None else env
    if env.get(config.DB_ENV):
        return [project_path(env[config.DB_ENV])]
    return [config.PROCESSED_DIR / config.STORE_NAME, config.DEMO_DB]


def resolve_store(db: str | Path | None = None) -> Path:
    """The store file meant by ``db`` (None or empty: the project's store, see the module
    docstring). Raises :class:`~scorecard.store.StoreError` saying what to do when it is not
    there: fix a path that points nowhere, or build the store."""
    if db is None or str(db).strip() == "":
        found = [p for p in store_candidates() if p.exists()]
        if found:
            return found[0]
        wanted = store_candidates()
        raise StoreError(
            "no store has been built yet (looked for "
            + " and ".join(str(p) for p in wanted)
            + "): run `make demo` for the sample province, or load your data with "
            "`scorecard run` (params/run.yaml) or `scorecard ingest FILE...`")
    path = project_path(db)
    if path.exists():
        return path
    raise StoreError(missing_store_message(Path(db), path))


def missing_store_message(typed: Path, looked: Path | None = None) -> str:
    """Why the store ``typed`` (as the user gave it; ``looked``: where it was looked for) is not
    there, and what to do: build it (the project's default store), or fix a path that points
    nowhere (naming the folders it was looked for in and the store that does exist)."""
    resolved = looked is not None and looked != typed  # looked for from the project too
    looked = looked or typed
    if looked.absolute() in store_candidates():
        return (f"no store has been built yet at {looked}: run `make demo` for the sample "
                "province, or load your data with `scorecard run` (params/run.yaml) or "
                "`scorecard ingest FILE...`")
    known = [p for p in store_candidates() if p.exists()]
    hint = (f"; the project's store is {known[0]} (used when no store is given)" if known
            else "; no store has been built in this project yet: run `make demo` (sample "
            "data) or `scorecard run` / `scorecard ingest FILE...`")
    if typed.is_absolute():
        return f"store not found: {typed}: check the path{hint}"
    if not resolved:
        return (f"store not found: {typed} (relative to the current folder {Path.cwd()}): "
                f"check the path{hint}")
    return (f"store not found: {typed} is relative and exists neither from the current folder "
            f"{Path.cwd()} nor from the project folder {config.PROJECT_HOME} (looked for "
            f"{looked}); give an absolute path or one from the project folder{hint}")


def resolve_plan_file(plan: str | Path) -> Path | None:
    """The file of a plan given as a path (relative paths as :func:`project_path`), or None when
    ``plan`` looks like a plan id (no folder, no .yaml suffix)."""
    p = Path(plan)
    if p.suffix not in (".yaml", ".yml") and len(p.parts) == 1:
        return None
    path = project_path(p)
    if not path.is_file():
        raise PathNotFound(
            f"plan file not found: {plan} (looked from the current folder {Path.cwd()} and the "
            f"project folder {config.PROJECT_HOME}); give a plan id such as "
            f"{_plan_ids_hint()} or a path from the project folder")
    return path


def resolve_plan(plan: Any) -> Any:
    """A :class:`~scorecard.plans.Plan` from a Plan, a plan id or a plan file path."""
    from scorecard.plans import Plan, find_plan

    if isinstance(plan, Plan):
        return plan
    path = resolve_plan_file(plan)
    return find_plan(path if path is not None else str(plan), config.PLANS_DIR)


def _plan_ids_hint() -> str:
    ids = sorted(p.stem for p in config.PLANS_DIR.glob("*.yaml")
                 if not p.stem.endswith(".tasks"))
    return ", ".join(ids[:3]) + (" …" if len(ids) > 3 else "") if ids else "bac-giang-2025"
