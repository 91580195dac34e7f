"""The papermill engine the executors run notebooks with (registered when this is imported).

``scorecard`` (:data:`ENGINE`) is papermill's nbclient engine with three additions:

- ``km``, ``kc``: an already started kernel (manager and client) to execute on, left running
  afterwards (a warm kernel); without them a new kernel is started and stopped, as papermill does.
- ``deadline`` (a ``time.monotonic()`` value): bounds the whole notebook. Each cell may run until
  then; a cell still running at the deadline is interrupted (its ``KeyboardInterrupt`` traceback
  shows in the notebook where time ran out) and the notebook stops there with an error, even if
  the kernel ignores the interrupt.
- ``capture``: a dict that receives the notebook being executed (``capture["nb"]``), so the
  caller still has the partly executed notebook (the audit record) when a cell fails.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

#: Engine name to pass to ``papermill.execute_notebook(engine_name=...)``.
ENGINE = "scorecard"

#: The execute reply nbclient uses for a cell interrupted at the deadline (it does not wait for
#: the kernel's own reply, which a kernel ignoring the interrupt would never send).
TIMEOUT_REPLY = {"ename": "TimeoutError", "evalue": "the notebook's time ran out",
                 "traceback": []}


def seconds_left(deadline: float | None) -> Callable[[Any], int] | None:
    """nbclient ``timeout_func``: the whole seconds a cell may run before ``deadline`` (at
    least 1, so a cell that starts late is still interrupted rather than never run)."""
    if deadline is None:
        return None

    def timeout_func(cell: Any) -> int:  # noqa: ARG001 - nbclient passes the cell
        return max(1, int(deadline - time.monotonic() + 0.999))

    return timeout_func


def _register() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, papermill_engines

    class ScorecardEngine(Engine):
        """nbclient on a given kernel or a new one, with a deadline and the notebook captured."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, km: Any = None,
                                     kc: Any = None, deadline: float | None = None,
                                     capture: dict[str, Any] | None = None,
                                     log_output: bool = False, start_timeout: int = 60,
                                     **kwargs: Any) -> Any:
            if capture is not None:
                capture["nb"] = nb_man.nb
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, log_output=log_output,
                startup_timeout=start_timeout, timeout_func=seconds_left(deadline),
                interrupt_on_timeout=True, error_on_timeout=TIMEOUT_REPLY,
            )
            if kc is None:
                return client.execute()
            client.kc = kc
            return client.execute(cleanup_kc=False)

    papermill_engines.register(ENGINE, ScorecardEngine)


def execute_in_memory(template: Any, parameters: dict[str, Any], *, input_path: str,
                      **engine_kwargs: Any) -> Any:
    """``papermill.execute_notebook`` for a notebook already in memory, on the :data:`ENGINE`
    engine, without file I/O: a copy of ``template`` gets papermill's metadata and its
    injected-parameters cell, is executed, and is returned (papermill's execution errors raised
    as papermill raises them). ``input_path`` is what the record names as the notebook's source.

    papermill's own ``execute_notebook`` re-reads a notebook given in memory through its JSON
    and, at the end, serialises and re-validates the whole executed notebook even when it writes
    it nowhere: about a tenth of a report's client time. The caller writes the record itself
    (:func:`scorecard.executors.notebook_run.run_job`)."""
    import copy

    from papermill import __version__
    from papermill.engines import papermill_engines
    from papermill.execute import (
        prepare_notebook_metadata,
        raise_for_execution_errors,
        remove_error_markers,
    )
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(template)
    nb.metadata.setdefault("papermill", {"default_parameters": {}, "parameters": {},
                                         "environment_variables": {}, "version": __version__})
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    if parameters:
        nb = parameterize_notebook(nb, parameters, engine_name=ENGINE)
    nb = remove_error_markers(prepare_notebook_metadata(nb, input_path, None))
    kernel_name = papermill_engines.nb_kernel_name(engine_name=ENGINE, nb=nb)
    nb = papermill_engines.execute_notebook_with_engine(
        ENGINE, nb, kernel_name, input_path=input_path, output_path=None, progress_bar=False,
        log_output=False, start_timeout=60, stdout_file=None, stderr_file=None,
        **engine_kwargs)
    raise_for_execution_errors(nb, None)
    return nb


_register()
