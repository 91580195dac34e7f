"""Failure injection for tests: make chosen units' notebooks fail, from outside the template.

A job with ``inject_failure`` runs a copy of its template with one extra cell after the
parameters that raises :class:`InjectedFailure`, so the failure goes through the kernel,
papermill and the audit notebook exactly as a real one would. The template itself carries no
test hook. :func:`injected_failures` reads the unit ids to fail from the environment variable
:data:`FAIL_FOR_ENV` (comma-separated); ``scorecard render`` marks those units' jobs.

This module imports nothing heavy: the injected cell imports :class:`InjectedFailure` from it
inside the kernel.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Mapping
from typing import Any

#: Comma-separated unit ids whose render fails on purpose (tests of partial failures).
FAIL_FOR_ENV = "SCORECARD_RENDER_FAIL_FOR"
#: Tag (and cell id) of the cell a failing job gets (see :func:`with_injected_failure`).
INJECTED_TAG = "injected-failure"


class InjectedFailure(RuntimeError):
    """Raised on purpose inside the kernel for a job with ``inject_failure`` (tests only)."""


def injected_failures(env: Mapping[str, str] | None = None) -> frozenset[str]:
    """The unit ids listed in :data:`FAIL_FOR_ENV` (empty in normal use)."""
    env = os.environ if env is None else env
    return frozenset(u.strip() for u in env.get(FAIL_FOR_ENV, "").split(",") if u.strip())


def with_injected_failure(nb: Any, unit_id: str) -> Any:
    """A copy of notebook ``nb`` whose first cell after the parameters raises
    :class:`InjectedFailure` naming ``unit_id`` (the template on disk is left alone)."""
    import nbformat

    out = copy.deepcopy(nb)
    message = f"injected failure for {unit_id} ({FAIL_FOR_ENV})"
    code = (f"from {__name__} import InjectedFailure\n\n"
            f"raise InjectedFailure({message!r})")
    cell = nbformat.v4.new_code_cell(code, metadata={"tags": [INJECTED_TAG]})
    cell["id"] = INJECTED_TAG
    at = next((i + 1 for i, c in enumerate(out.cells)
               if "parameters" in c.get("metadata", {}).get("tags", [])), 0)
    out.cells.insert(at, cell)
    return out
