"""Caching a bundle between the batch and its notebooks: parquet files plus ``meta.json``.

The batch saves the bundle once (:func:`save_bundle`); each notebook loads it
(:func:`load_bundle`), and a warm kernel keeps the last one read, so many reports read the
files once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from scorecard.scorecard_data.bundle import FRAMES, Bundle


def save_bundle(bundle: Bundle, directory: str | Path) -> Path:
    """Write a bundle as ``<name>.parquet`` files plus ``meta.json``; returns the directory."""
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    for name, df in bundle.frames.items():
        df.to_parquet(d / f"{name}.parquet", index=False)
    (d / "meta.json").write_text(json.dumps(bundle.meta, ensure_ascii=False, indent=1),
                                 encoding="utf-8")
    return d


_BUNDLES: dict[str, tuple[float, Bundle]] = {}


def load_bundle(directory: str | Path) -> Bundle:
    """Read a saved bundle (cached in this process until its meta.json changes)."""
    d = Path(directory)
    meta_path = d / "meta.json"
    stamp = meta_path.stat().st_mtime_ns
    hit = _BUNDLES.get(str(d))
    if hit and hit[0] == stamp:
        return hit[1]
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    frames = {name: pd.read_parquet(d / f"{name}.parquet") for name in FRAMES
              if (d / f"{name}.parquet").exists()}
    bundle = Bundle(meta, frames)
    _BUNDLES.clear()
    _BUNDLES[str(d)] = (stamp, bundle)
    return bundle
