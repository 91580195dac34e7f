"""A warm kernel: one Jupyter kernel started once and reused for many notebooks.

Between two notebooks :meth:`WarmKernel.reset` clears the user namespace and restarts the
execution counter at 1 (:data:`RESET_CODE`), so a notebook's outputs are the same as in a fresh
kernel. :class:`KernelDied` is raised when the kernel died, could not start or could not be
reset; the caller replaces the kernel and may retry (see
:func:`scorecard.executors.notebook_run.run_with_retry`).
"""

from __future__ import annotations

import subprocess
from typing import Any

#: Code run (silently, outside history) in a warm kernel before each notebook: drop every
#: user-defined name, the output cache, and restart the execution counter at 1.
RESET_CODE = (
    "(lambda ip, hidden: ("
    "[ip.user_ns.pop(n) for n in [n for n in list(ip.user_ns) if n not in hidden]],"
    " ip.user_ns['_oh'].clear(), ip.user_ns.update(_='', __='', ___=''),"
    " ip.history_manager.input_hist_parsed.__setitem__(slice(None), ['']),"
    " ip.history_manager.input_hist_raw.__setitem__(slice(None), ['']),"
    " setattr(ip, 'execution_count', 1)))(get_ipython(), get_ipython().user_ns_hidden)"
)


#: Options of every warm kernel: no SQLite input history. A batch's cells need none, and each
#: executed cell would be written to the one ``~/.ipython`` history database that every worker's
#: kernel shares (about 1 ms of kernel CPU a cell, 13 cells a report).
KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False",)


class KernelDied(RuntimeError):
    """The kernel died, could not be started or could not be reset: replace it."""


class WarmKernel:
    """One long-lived kernel (manager and client) reused for many notebooks.

    Not thread-safe: every call on one kernel must come from the same thread (its client's
    event loop belongs to that thread). ``starts`` counts the kernels started so far.
    """

    def __init__(self, kernel_name: str = "python3", startup_timeout: int = 60) -> None:
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self._client: Any = None
        self.starts = 0

    def start(self) -> None:
        """Start a new kernel; :class:`KernelDied` when it does not come up."""
        import nbformat
        from nbclient import NotebookClient

        client = NotebookClient(nbformat.v4.new_notebook(), kernel_name=self.kernel_name,
                                startup_timeout=self.startup_timeout,
                                extra_arguments=list(KERNEL_ARGUMENTS))
        client.km = client.create_kernel_manager()
        try:
            client.start_new_kernel(stderr=subprocess.DEVNULL)  # silence ipykernel's warnings
            client.start_new_kernel_client()
        except Exception as exc:
            self._client = client
            self.shutdown()
            raise KernelDied(f"kernel did not start: {exc}") from exc
        self._client = client
        self.starts += 1

    @property
    def km(self) -> Any:
        """The kernel manager (for papermill's ``km``)."""
        return self._client.km

    @property
    def kc(self) -> Any:
        """The kernel client (for papermill's ``kc``)."""
        return self._client.kc

    def alive(self) -> bool:
        """Whether a kernel was started and its process is still running."""
        from jupyter_core.utils import run_sync

        return self._client is not None and self.km is not None and bool(
            run_sync(self.km.is_alive)())

    def ensure(self) -> None:
        """Start a new kernel unless this one is alive."""
        if not self.alive():
            self.shutdown()
            self.start()

    def reset(self, timeout: float = 30) -> None:
        """Clear the user namespace and the execution counter (cheap, unlike ``%reset -f``);
        :class:`KernelDied` when the kernel does not answer within ``timeout`` seconds or the
        reset fails (a notebook left it in a state the reset cannot clear)."""
        from queue import Empty

        from jupyter_core.utils import run_sync

        kc = self.kc
        msg_id = kc.execute(RESET_CODE, silent=True, store_history=False)
        while True:
            try:
                reply = run_sync(kc.get_shell_msg)(timeout=timeout)
            except Empty:
                raise KernelDied(f"no answer to the namespace reset in {timeout:g} s") from None
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"]["status"] != "ok":
            raise KernelDied(f"namespace reset failed: {reply['content'].get('evalue')}")

    def shutdown(self) -> None:
        """Stop the kernel (if any); the next :meth:`ensure` starts a new one."""
        if self._client is None:
            return
        try:
            if self._client.km is not None:
                self._client._cleanup_kernel()
        except Exception:  # pragma: no cover - best effort at exit
            pass
        self._client = None
