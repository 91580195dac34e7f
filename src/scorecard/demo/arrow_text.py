"""Fixed-width ASCII text columns built straight from digit matrices (fast at millions of
rows): case ids and formatted timestamps."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def _fixed_strings(buf: np.ndarray) -> pa.Array:
    """An Arrow string array from an (n, width) uint8 matrix of ASCII characters."""
    n, width = buf.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets),
                                                  pa.py_buffer(np.ascontiguousarray(buf))])


def _put_digits(buf: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    for k in range(width):
        buf[:, col + width - 1 - k] = 48 + (values // 10**k) % 10


def _fmt_ts(arr: pa.ChunkedArray | pa.Array, style: str) -> pa.Array:
    """Timestamps as 'YYYY-MM-DD HH:MM:SS' (iso) or 'dd/mm/yyyy HH:MM' (vi); null stays null."""
    a = arr.to_numpy(zero_copy_only=False).astype("datetime64[m]")
    nat = np.isnat(a)
    m = np.where(nat, 0, a.astype(np.int64))
    days, mins = m // 1440, m % 1440
    d = days.astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    dom = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    hh, mm = mins // 60, mins % 60
    if style == "iso":
        buf = np.frombuffer(b"0000-00-00 00:00:00" * len(a), dtype=np.uint8).reshape(len(a), 19).copy()
        for col, val, w in ((0, year, 4), (5, month, 2), (8, dom, 2), (11, hh, 2), (14, mm, 2)):
            _put_digits(buf, col, val, w)
    else:
        buf = np.frombuffer(b"00/00/0000 00:00" * len(a), dtype=np.uint8).reshape(len(a), 16).copy()
        for col, val, w in ((0, dom, 2), (3, month, 2), (6, year, 4), (11, hh, 2), (14, mm, 2)):
            _put_digits(buf, col, val, w)
    out = _fixed_strings(buf)
    if nat.any():
        out = pc.if_else(pa.array(nat), pa.scalar(None, pa.string()), out)
    return out
