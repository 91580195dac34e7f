"""The population-data columns of the 766 index (pure): which procedures are connected to the
population database, each unit's shares, and the two flags drawn per case.

Their own random streams (seed, 766, ...): the values every other column gets for a seed are
those it got before these columns existed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scorecard.demo.streams import _CITIZEN_STREAM, _rng
from scorecard.demo.timeline import _TREND_DAYS, _TREND_START, _trend

if TYPE_CHECKING:
    from scorecard.demo.world import World


#: Fields whose procedures mostly identify a citizen (more often connected to the population
#: database).
_CITIZEN_FIELDS = ("ho_tich", "tu_phap", "lao_dong", "nguoi_co_cong", "bao_tro_xa_hoi",
                   "dat_dai")


def citizen_data_connected(procedures: pd.DataFrame, seed: int) -> np.ndarray:
    """``procedures.citizen_data_connected``: about 60% of the procedures of the citizen fields,
    20% of the others (pure)."""
    rng = _rng(seed, _CITIZEN_STREAM, 0)
    p = np.where(procedures["field"].isin(_CITIZEN_FIELDS).to_numpy(), 0.6, 0.2)
    return rng.random(len(procedures)) < p


def citizen_data_shares(world: World, seed: int) -> dict[str, np.ndarray]:
    """Per unit (start, end) shares, linear over the trend like the other profiles: population
    data used on 40-70% of received cases (rising by up to 10 points); sharing to the personal
    data store rare: none at two units in three, else 0.2-3% of the digitized cases (pure)."""
    rng = _rng(seed, _CITIZEN_STREAM, 2)
    n = len(world.units)
    used = rng.uniform(0.4, 0.6, n)
    store = np.where(rng.random(n) < 2 / 3, 0.0, rng.uniform(0.002, 0.03, n))
    return {"citizen_data_used": np.stack([used, used + rng.uniform(0.0, 0.1, n)], axis=1),
            "personal_storage_synced": np.stack([store, store], axis=1)}


def with_citizen_data(table: pa.Table, unit_ids: pa.Array, shares: dict[str, np.ndarray],
                      rng: np.random.Generator) -> pa.Table:
    """``table`` (base case columns) plus :data:`CITIZEN_DATA_COLUMNS`: population data used by
    the unit's share of cases; shared to the personal data store only for digitized cases."""
    n = table.num_rows
    unit = pc.index_in(table.column("unit_id"), value_set=unit_ids).to_numpy()
    received = table.column("received_at").to_numpy().astype("datetime64[D]")
    t = np.clip((received - _TREND_START).astype(float) / _TREND_DAYS, 0, 1)
    u = rng.random((2, n))
    used = u[0] < _trend(shares, "citizen_data_used", unit, t)
    digitized = table.column("digitized").to_numpy(zero_copy_only=False).astype(bool)
    synced = digitized & (u[1] < _trend(shares, "personal_storage_synced", unit, t))
    return table.append_column("citizen_data_used", pa.array(used)).append_column(
        "personal_storage_synced", pa.array(synced))
