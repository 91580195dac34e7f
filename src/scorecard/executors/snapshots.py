"""Read-only, content-addressed snapshots of the inputs a job reads (for Dask workers).

A snapshot of a file or a folder is named by the SHA-256 of its files' names and bytes
(:func:`hash_members`), so the same content is copied once and a load running meanwhile cannot
change what workers read. :func:`snapshot_input` either writes the snapshot into a folder every
worker sees (``shared_dir``) or hands back the bytes to ship; :func:`write_snapshot` is how both
the client and a worker put a snapshot folder in place (atomically, files read-only).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

#: Folder (under a worker's local directory) for snapshots shipped as bytes.
SNAPSHOT_DIR = "scorecard-snapshots"


@dataclass(frozen=True)
class StagedInput:
    """A read-only, content-addressed copy of a file or folder a job reads.

    ``digest`` names the copy (sha256 of the names and bytes). ``member`` is the file inside the
    snapshot folder (``""`` when the input is a folder). ``shared`` is the snapshot folder on a
    filesystem every worker sees at the same path; ``None`` means the bytes are shipped through
    the scheduler and each worker writes them under its own local directory once.
    """

    digest: str
    member: str
    shared: str | None = None


def snapshot_members(path: Path) -> dict[str, Path]:
    """The files of a snapshot of ``path``: a folder's files (relative names), or the file itself
    plus its DuckDB write-ahead log when one is beside it (uncheckpointed data lives there)."""
    if path.is_dir():
        return {p.relative_to(path).as_posix(): p for p in sorted(path.rglob("*")) if p.is_file()}
    members = {path.name: path}
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        members[wal.name] = wal
    return members


def hash_members(members: Mapping[str, Path]) -> str:
    """SHA-256 (hex) over the members' names and the SHA-256 of each one's bytes."""
    from scorecard.hashing import sha256_file

    h = hashlib.sha256()
    for name, p in sorted(members.items()):
        h.update(f"{name}\0{sha256_file(p)}\n".encode())
    return h.hexdigest()


@contextlib.contextmanager
def _store_held(path: Path) -> Iterator[None]:
    """Hold a read-only connection to a DuckDB store while it is copied, so that no writer can
    change it half-way (DuckDB's file lock); other files need nothing."""
    if path.is_file() and path.suffix == ".duckdb":
        from scorecard.store import connect_readonly

        con = connect_readonly(path)
        try:
            yield
        finally:
            con.close()
    else:
        yield


def write_snapshot(root: Path, digest: str, files: Mapping[str, bytes | Path]) -> Path:
    """Write a snapshot folder ``root/digest`` atomically (read-only files); reuse it if there.

    ``files`` maps each member's relative name to its source file or its bytes.
    """
    final = root / digest
    if final.is_dir():
        return final
    tmp = root / f".tmp-{digest[:12]}-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)  # also when there is no file: an empty folder's snapshot exists
    for name, src in files.items():
        dst = tmp / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(src, Path):
            shutil.copyfile(src, dst)
        else:
            dst.write_bytes(src)
        os.chmod(dst, 0o444)
    try:
        tmp.rename(final)
    except OSError:  # another process or thread wrote the same snapshot first
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def snapshot_input(path: str | Path, shared_dir: str | Path | None) -> tuple[StagedInput,
                                                                              dict[str, bytes]]:
    """Snapshot one input for Dask workers.

    With ``shared_dir`` the copy is written there (once: the name is the content hash) and the
    payload is empty; without, the payload holds the bytes to ship. A DuckDB store is held open
    read-only while it is read, so a writer cannot change it half-way.
    """
    path = Path(path).resolve()
    with _store_held(path):
        members = snapshot_members(path)
        digest = hash_members(members)
        member = "" if path.is_dir() else path.name
        if shared_dir is not None:
            root = Path(shared_dir).resolve()
            root.mkdir(parents=True, exist_ok=True)
            folder = write_snapshot(root, digest, members)
            return StagedInput(digest, member, str(folder)), {}
        return StagedInput(digest, member), {n: p.read_bytes() for n, p in members.items()}
