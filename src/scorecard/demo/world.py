"""The catalogue side of the demo province and what drives case generation (pure):
units, procedures, unit-procedure pairs with their case volumes, and per-unit profiles."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scorecard.demo.citizen_data import citizen_data_connected
from scorecard.demo.constants import PROVINCE_ID, PROVINCE_NAME, XLSX_UNIT
from scorecard.demo.province import (
    _COMMUNES_PER_DISTRICT,
    _DEPARTMENTS,
    _DISTRICTS,
    _LONG_FIELDS,
    _NAME_A,
    _NAME_B,
    _PROCEDURES,
)
from scorecard.demo.streams import _rng

# Profile parameters drawn per unit: (value at 2024-01, value at 2025-06); linear in between.
_PROFILE_KEYS = ("late", "early", "online", "digitized", "e_result", "reuse", "pay_online",
                 "apology", "dissatisfied", "rated", "supp1", "supp2", "stuck")


@dataclass
class World:
    """The catalogue side of the province and what drives case generation."""

    units: pd.DataFrame            # unit_id, name, level, parent_id
    procedures: pd.DataFrame       # the procedures.csv columns
    unit_procedures: pd.DataFrame  # unit_id, procedure_id
    proc_days: np.ndarray          # processing days per procedure (working days)
    tier: np.ndarray               # per unit: 'excellent' | 'typical' | 'weak' | ''
    profile: dict[str, np.ndarray]  # key -> (n_units, 2) start/end values
    pair_unit: np.ndarray          # (unit index, procedure index, weight) of case volumes
    pair_proc: np.ndarray
    pair_weight: np.ndarray
    aggregate_units: list[str]     # communes that report only Biểu 06 rows

    def units_of_tier(self, tier: str) -> list[str]:
        return self.units.loc[self.tier == tier, "unit_id"].tolist()


def _build_units(rng: np.random.Generator) -> pd.DataFrame:
    rows = [(PROVINCE_ID, PROVINCE_NAME, "province", None)]
    rows += [(f"DEMO-{s}", name, "department", PROVINCE_ID) for s, name, _, _ in _DEPARTMENTS]
    combos = [f"{a} {b}" for a in _NAME_A for b in _NAME_B if a != b]
    names = rng.choice(len(combos), size=len(_DISTRICTS) * _COMMUNES_PER_DISTRICT, replace=False)
    k = 0
    for d, dname in enumerate(_DISTRICTS, start=1):
        did = f"DEMO-H{d:02d}"
        rows.append((did, dname, "district", PROVINCE_ID))
        urban = not dname.startswith("Huyện")
        for c in range(1, _COMMUNES_PER_DISTRICT + 1):
            kind = "Phường" if urban else ("Thị trấn" if c == 1 else "Xã")
            rows.append((f"DEMO-X{d:02d}{c:02d}", f"{kind} {combos[names[k]]}", "commune", did))
            k += 1
    return pd.DataFrame(rows, columns=["unit_id", "name", "level", "parent_id"])


def _build_procedures(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Procedures, their processing days and their level (province/district/commune)."""
    recs = []
    for fcode, by_level in _PROCEDURES.items():
        for level, names in by_level.items():
            recs += [(name, fcode, level) for name in names]
    n = len(recs)
    numbers = rng.choice(np.arange(100, 5000), size=n, replace=False)
    prefix = rng.choice(np.array([1, 2]), size=n, p=[0.8, 0.2])
    level = np.array([r[2] for r in recs])
    online_p = {"province": [0.6, 0.3, 0.1], "district": [0.5, 0.35, 0.15],
                "commune": [0.45, 0.4, 0.15]}
    online = np.empty(n, dtype=object)
    for lv, p in online_p.items():
        m = level == lv
        online[m] = rng.choice(np.array(["full", "partial", "none"]), size=m.sum(), p=p)
    fee_p = np.select([level == "province", level == "district"], [0.45, 0.35], 0.25)
    has_fee = rng.random(n) < fee_p
    four_p = np.where(level == "commune", 0.3, np.where(level == "district", 0.2, 0.12))
    days = np.empty(n, dtype=np.int64)
    for i, (_, fcode, lv) in enumerate(recs):
        if lv == "commune":
            choices = (1, 2, 3, 5)
        elif lv == "district":
            choices = (10, 15, 20, 30) if fcode in _LONG_FIELDS else (3, 5, 7, 10, 15)
        else:
            choices = (15, 20, 30) if fcode in _LONG_FIELDS else (5, 7, 10, 15, 20)
        days[i] = choices[rng.integers(len(choices))]
    df = pd.DataFrame({
        "procedure_id": [f"{a}.{b:06d}" for a, b in zip(prefix, numbers, strict=True)],
        "name": [r[0] for r in recs],
        "field": [r[1] for r in recs],
        "online_service": online.astype(str),
        "has_fee": has_fee,
        "payment_integrated": has_fee & (rng.random(n) < 0.75),
        "at_one_stop": ~((level == "province") & (rng.random(n) < 0.08)),
        "four_on_spot": rng.random(n) < four_p,
        "has_sample_dossier": rng.random(n) < 0.7,
        "e_process_configured": rng.random(n) < 0.85,
    })
    return df, days, level


def _draw_profiles(units: pd.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, dict]:
    n = len(units)
    level = units["level"].to_numpy()
    tier = np.full(n, "typical", dtype=object)
    tier[level == "province"] = ""
    for lv, n_exc, n_weak in (("department", 2, 2), ("district", 1, 1), ("commune", 8, 10)):
        idx = np.flatnonzero(level == lv)
        if lv == "district":  # keep the xlsx district ordinary
            idx = idx[units["unit_id"].to_numpy()[idx] != XLSX_UNIT]
        picked = rng.choice(idx, size=n_exc + n_weak, replace=False)
        tier[picked[:n_exc]] = "excellent"
        tier[picked[n_exc:]] = "weak"
    u = lambda a, b: rng.uniform(a, b, n)  # noqa: E731
    start = {
        "late": u(0.03, 0.12), "early": u(0.45, 0.7), "online": u(0.25, 0.55),
        "digitized": u(0.55, 0.9), "e_result": u(0.5, 0.9), "reuse": u(0.2, 0.6),
        "pay_online": u(0.3, 0.7), "apology": np.where(rng.random(n) < 0.3, 1.0, u(0.4, 0.95)),
        "dissatisfied": u(0.005, 0.06), "rated": u(0.25, 0.6), "supp1": u(0.05, 0.18),
        "supp2": u(0.005, 0.04), "stuck": u(0.0, 0.005),
    }
    end = {
        "late": start["late"] * u(0.15, 0.6),
        "early": np.minimum(0.95, start["early"] + u(0.0, 0.25)),
        "online": np.minimum(0.97, start["online"] + u(0.1, 0.4)),
        "digitized": np.minimum(1.0, start["digitized"] + u(0.05, 0.4)),
        "e_result": np.minimum(1.0, start["e_result"] + u(0.05, 0.4)),
        "reuse": np.minimum(0.98, start["reuse"] + u(0.1, 0.4)),
        "pay_online": np.minimum(0.99, start["pay_online"] + u(0.1, 0.35)),
        "apology": start["apology"],
        "dissatisfied": start["dissatisfied"] * u(0.3, 1.0),
        "rated": start["rated"], "supp1": start["supp1"], "supp2": start["supp2"],
        "stuck": start["stuck"],
    }
    fixed = {
        "excellent": {"late": (0, 0), "early": (0.75, 0.9), "online": (0.85, 0.97),
                      "digitized": (1, 1), "e_result": (1, 1), "reuse": (0.88, 0.97),
                      "pay_online": (0.9, 0.98), "apology": (1, 1), "dissatisfied": (0, 0),
                      "rated": (0.5, 0.6), "supp1": (0.05, 0.05), "supp2": (0, 0),
                      "stuck": (0, 0)},
        "weak": {"late": (0.22, 0.14), "early": (0.25, 0.35), "online": (0.1, 0.25),
                 "digitized": (0.35, 0.55), "e_result": (0.25, 0.5), "reuse": (0.05, 0.2),
                 "pay_online": (0.15, 0.35), "apology": (0.2, 0.3),
                 "dissatisfied": (0.08, 0.06), "rated": (0.3, 0.3), "supp1": (0.2, 0.2),
                 "supp2": (0.06, 0.06), "stuck": (0.02, 0.02)},
    }
    profile = {}
    for key in _PROFILE_KEYS:
        arr = np.stack([start[key], end[key]], axis=1)
        for t, values in fixed.items():
            arr[tier == t] = values[key]
        profile[key] = arr
    return tier, profile


def build_world(seed: int = 2025) -> World:
    """Units, procedures, catalogues and per-unit behaviour of the demo province (pure)."""
    rng = _rng(seed, 1)
    units = _build_units(rng)
    procs, days, plevel = _build_procedures(rng)
    tier, profile = _draw_profiles(units, rng)
    unit_idx = {u: i for i, u in enumerate(units["unit_id"])}
    fields = procs["field"].to_numpy()
    pu, pp = [], []
    for s, _, dfields, _ in _DEPARTMENTS:
        mine = np.flatnonzero(np.isin(fields, dfields) & (plevel == "province"))
        pu += [unit_idx[f"DEMO-{s}"]] * len(mine)
        pp += mine.tolist()
    for lv in ("district", "commune"):
        cand = np.flatnonzero(plevel == lv)
        for uid in units.loc[units["level"] == lv, "unit_id"]:
            keep = cand[rng.random(len(cand)) < 0.95]
            pu += [unit_idx[uid]] * len(keep)
            pp += keep.tolist()
    pair_unit, pair_proc = np.array(pu), np.array(pp)
    # volumes: unit weight x Zipf-like procedure weight; a few catalogue items never get cases
    level = units["level"].to_numpy()
    unit_w = np.where(level == "district", 1.4 * rng.lognormal(0, 0.25, len(units)),
                      0.12 * rng.lognormal(0, 0.5, len(units)))
    for s, _, _, vol in _DEPARTMENTS:
        unit_w[unit_idx[f"DEMO-{s}"]] = vol * rng.lognormal(0, 0.15)
    unit_w[level == "province"] = 0.0
    communes = units.loc[(units["level"] == "commune")
                         & (units["parent_id"] != XLSX_UNIT)
                         & (tier == "typical"), "unit_id"].to_numpy()
    aggregate = sorted(rng.choice(communes, size=4, replace=False).tolist())
    for uid in aggregate:
        unit_w[unit_idx[uid]] = 0.0
    pair_w = np.zeros(len(pair_unit))
    for ui in np.unique(pair_unit):
        rows = np.flatnonzero(pair_unit == ui)
        w = 1.0 / (1.0 + rng.permutation(len(rows))) ** 1.1
        unused = rng.random(len(rows)) < 0.06
        if len(rows) >= 3 and not unused.any():
            unused[rng.integers(len(rows))] = True
        w[unused] = 0.0
        pair_w[rows] = unit_w[ui] * w / w.sum()
    up = pd.DataFrame({"unit_id": units["unit_id"].to_numpy()[pair_unit],
                       "procedure_id": procs["procedure_id"].to_numpy()[pair_proc]})
    procs["citizen_data_connected"] = citizen_data_connected(procs, seed)
    return World(units=units, procedures=procs, unit_procedures=up, proc_days=days, tier=tier,
                 profile=profile, pair_unit=pair_unit, pair_proc=pair_proc, pair_weight=pair_w,
                 aggregate_units=aggregate)
