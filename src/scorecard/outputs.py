"""Where outputs go: an id becomes a file name inside an output folder, and files are replaced
whole.

Ids come from data (unit ids from a one-stop export, plan ids, period ids). They are checked
where they enter (ingest rejects unsafe ids), and, as defence in depth against a store written by
an older version, every output path built from an id goes through :func:`output_path`, which
refuses any name that would not land directly inside the folder.

Every file a reader opens as a whole (manifest.json, index.html, summary.xlsx, …) is written
through :func:`atomic_target`: to a temporary name beside it, then renamed, so a run killed at any
moment leaves the previous complete file or the new one, never a truncated one. The temporary
name (``.<name>.<pid>.<random>.part``) carries the writer's process id, so
:func:`remove_stale_parts` can clear what a killed run left without touching the files of a
run still going.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from scorecard.errors import ScorecardError

#: Longest id accepted as a file name stem.
MAX_ID_LENGTH = 64


class UnsafeIdError(ScorecardError, ValueError):
    """An id that cannot be used as a file name inside an output folder."""


def id_problem(value: object) -> str | None:
    """Why ``value`` is not a safe id (a reason in English, as rejects store them), or None.

    Unsafe: empty, longer than :data:`MAX_ID_LENGTH`, containing a path separator (``/`` or
    ``\\``), ``..``, a control character, or starting with a dot.
    """
    text = "" if value is None else str(value)
    if not text:
        return "id is empty"
    if len(text) > MAX_ID_LENGTH:
        return f"id longer than {MAX_ID_LENGTH} characters"
    if "/" in text or "\\" in text:
        return "id contains a path separator (/ or \\)"
    if ".." in text:
        return "id contains '..'"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text):
        return "id contains a control character"
    if text.startswith("."):
        return "id starts with a dot"
    return None


def safe_file_name(identifier: object, suffix: str = "") -> str:
    """``identifier + suffix`` when the id is safe; otherwise :class:`UnsafeIdError`."""
    problem = id_problem(identifier)
    if problem is not None:
        raise UnsafeIdError(f"unsafe id {str(identifier)[:80]!r} for a file name: {problem}")
    return f"{identifier}{suffix}"


def output_path(folder: str | Path, identifier: object, suffix: str = "") -> Path:
    """The file for ``identifier`` directly inside ``folder`` (e.g. ``reports/2025Q2/X.html``).

    Refuses (:class:`UnsafeIdError`) an unsafe id or a path that does not resolve directly inside
    ``folder`` (symlinks included). Creates nothing.
    """
    base = Path(folder)
    name = safe_file_name(identifier, suffix)
    path = base / name
    resolved_base = base.resolve()
    resolved = path.resolve()
    if resolved.parent != resolved_base:
        raise UnsafeIdError(f"output for id {str(identifier)[:80]!r} would leave {base}")
    return path


#: Suffix of the temporary files of :func:`atomic_target`.
PART_SUFFIX = ".part"
_PART_NAME = re.compile(r"^\..+\.(?P<pid>\d+)\.[^.]+\.part$")


@contextmanager
def atomic_target(path: str | Path) -> Iterator[Path]:
    """``with atomic_target(p) as tmp: write(tmp)``: ``p`` is replaced by ``tmp`` when the block
    ends without error; on error the temporary file goes and ``p`` is left as it was."""
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=PART_SUFFIX,
                                dir=dest.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_text_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` through :func:`atomic_target`; returns ``path``."""
    with atomic_target(path) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(path)


def write_bytes_atomic(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through :func:`atomic_target`; returns ``path``."""
    with atomic_target(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def remove_stale_parts(folder: str | Path) -> list[Path]:
    """Delete the temporary files of :func:`atomic_target` directly in ``folder`` whose writer
    process is gone (a killed run's leftovers); returns what was removed."""
    import psutil

    base = Path(folder)
    if not base.is_dir():
        return []
    removed = []
    for path in base.iterdir():
        m = _PART_NAME.match(path.name)
        if m is None or not path.is_file():
            continue
        pid = int(m.group("pid"))
        if psutil.pid_exists(pid):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed
