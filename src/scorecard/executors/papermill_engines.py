"""The papermill engines the executors run notebooks with (registered when this is imported).

- ``scorecard-warm`` (:data:`WARM_ENGINE`): executes on an already started kernel. Papermill
  hands the engine the worker's kernel manager and client (``km``, ``kc``) instead of starting a
  new kernel, and the kernel is left running afterwards. ``deadline`` (a ``time.monotonic()``
  value) bounds the whole notebook: each cell may run until then.
- ``scorecard-capture`` (:data:`CAPTURE_ENGINE`): papermill's standard nbclient engine (a new
  kernel per notebook).

Both put the notebook being executed into ``capture["nb"]`` when given a ``capture`` dict, so
the caller still has the partly executed notebook (the audit record) when a cell fails.
"""

from __future__ import annotations

import time
from typing import Any

#: Engine name: run on the warm kernel passed as ``km``/``kc``.
WARM_ENGINE = "scorecard-warm"
#: Engine name: papermill's nbclient engine (a fresh kernel), handing back the notebook.
CAPTURE_ENGINE = "scorecard-capture"


def _register() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine, NBClientEngine, papermill_engines

    class WarmKernelEngine(Engine):
        """A papermill engine that executes on an already started kernel (``km``, ``kc``)."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, km: Any = None,
                                     kc: Any = None, deadline: float | None = None,
                                     capture: dict[str, Any] | None = None,
                                     log_output: bool = False, start_timeout: int = 60,
                                     execution_timeout: int | None = None,
                                     **kwargs: Any) -> Any:
            if capture is not None:
                capture["nb"] = nb_man.nb
            timeout_func = None
            if deadline is not None:
                def timeout_func(cell: Any, _deadline: float = deadline) -> int:  # noqa: ARG001
                    return max(1, int(_deadline - time.monotonic() + 0.999))
            client = PapermillNotebookClient(
                nb_man, km=km, kernel_name=kernel_name, log_output=log_output,
                startup_timeout=start_timeout, timeout=execution_timeout,
                timeout_func=timeout_func, interrupt_on_timeout=True,
            )
            client.kc = kc
            return client.execute(cleanup_kc=False)

    class CaptureEngine(NBClientEngine):
        """The standard nbclient engine, also handing the notebook back when a cell fails."""

        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str,
                                     capture: dict[str, Any] | None = None,
                                     **kwargs: Any) -> Any:
            if capture is not None:
                capture["nb"] = nb_man.nb
            return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)

    papermill_engines.register(WARM_ENGINE, WarmKernelEngine)
    papermill_engines.register(CAPTURE_ENGINE, CaptureEngine)


_register()
