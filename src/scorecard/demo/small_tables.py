"""The demo's small tables (pure): feedback (PAKN), the Biểu 06 rows of the aggregate-only
communes, and manual measurements (a few 2025Q2 rates, the 766 index's manual rates)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scorecard.demo.constants import DATA_END, LAST_DAY, MANUAL_SOURCE, QUARTERS
from scorecard.demo.streams import _CITIZEN_STREAM, _rng
from scorecard.demo.timeline import _BUSDAYS, _TREND_START, _office_minutes, _working_days
from scorecard.demo.world import World
from scorecard.periods import parse_period


def build_feedback(world: World, seed: int, cases: int) -> pd.DataFrame:
    """PAKN rows: a few hundred to a few thousand, mostly answered on time (pure)."""
    rng = _rng(seed, 4)
    n = int(np.clip(cases // 100, 300, 3000))
    level = world.units["level"].to_numpy()
    w = np.select([level == "department", level == "district", level == "commune"], [3, 3, 0.3], 0)
    w = np.where(np.isin(world.units["unit_id"], world.aggregate_units), 0, w).astype(float)
    unit = np.sort(rng.choice(len(w), size=n, p=w / w.sum()))
    days = _working_days(_TREND_START, LAST_DAY)
    rday = rng.choice(days, size=n)
    received = rday.astype("datetime64[m]") + _office_minutes(rng, n, 990)
    order = np.argsort(received, kind="stable")
    received, rday, unit = received[order], rday[order], unit[order]
    dday = np.busday_offset(rday, 10, busdaycal=_BUSDAYS)
    due = dday.astype("datetime64[m]") + (received - rday.astype("datetime64[m]"))
    p_ok = np.where(world.tier[unit] == "weak", 0.75, np.where(world.tier[unit] == "excellent",
                                                               1.0, 0.93))
    on_time = rng.random(n) < p_ok
    k = np.where(on_time, (rng.random(n) * 11).astype(np.int64), 10 + rng.integers(1, 12, n))
    fday = np.busday_offset(rday, k, busdaycal=_BUSDAYS)
    finish = fday.astype("datetime64[m]") + _office_minutes(rng, n)
    finish = np.where(finish <= received, received + np.timedelta64(60, "m"), finish)
    pending = finish >= DATA_END
    s = rng.random(n)
    satisfied = pd.array(np.where(s < 0.85, True, False), dtype="boolean")
    satisfied[(s >= 0.93) | pending] = pd.NA
    return pd.DataFrame({
        "feedback_id": [f"DEMO-PAKN-{i:05d}" for i in range(1, n + 1)],
        "unit_id": world.units["unit_id"].to_numpy()[unit],
        "received_at": received.astype("datetime64[s]"),
        "due_at": due.astype("datetime64[s]"),
        "resolved_at": np.where(pending, np.datetime64("NaT"), finish).astype("datetime64[s]"),
        "satisfied": satisfied,
    })


def build_form06(world: World, seed: int) -> pd.DataFrame:
    """Quarterly Biểu 06 rows of the aggregate-only communes (pure, identities exact)."""
    rng = _rng(seed, 5)
    rows = []
    for uid in world.aggregate_units:
        scale = rng.uniform(80, 250)
        online_share = rng.uniform(0.3, 0.7)
        p_late = rng.uniform(0.0, 0.06)
        carried = int(rng.integers(3, 15))
        for q, pid in enumerate(QUARTERS):
            first, last = parse_period(pid).window("nd09")
            new = int(rng.poisson(scale * (1 + 0.05 * q)))
            online = int(rng.binomial(new, min(0.95, online_share + 0.04 * q)))
            total = new + carried
            pending = int(rng.binomial(total, 0.07))
            resolved = total - pending
            late = int(rng.binomial(resolved, p_late))
            early = int(rng.binomial(resolved - late, 0.7))
            overdue = int(rng.binomial(pending, 0.15))
            rows.append({
                "unit_id": uid, "period": pid, "period_start": first, "period_end": last,
                "received_online": online, "received_direct_postal": new - online,
                "carried_over": carried, "resolved_early": early,
                "resolved_on_time": resolved - late - early, "resolved_late": late,
                "pending_in_time": pending - overdue, "pending_overdue": overdue,
                "received_total": total, "resolved_total": resolved, "pending_total": pending,
            })
            carried = pending
    return pd.DataFrame(rows)


def build_manual(world: World, seed: int) -> pd.DataFrame:
    """A few manual measurements for 2025Q2 that case data cannot give (pure)."""
    rng = _rng(seed, 6)
    units = world.units
    picks = (units.loc[units["level"] == "department", "unit_id"].iloc[[0, 2, 3]].tolist()
             + units.loc[units["level"] == "district", "unit_id"].iloc[[0, 1]].tolist())
    rows = []
    for uid in picks:
        for ind in ("impact_assessment_rate", "procedures_published_rate",
                    "internal_procedures_reviewed_rate"):
            value = 1.0 if rng.random() < 0.5 else round(float(rng.uniform(0.7, 0.99)), 4)
            rows.append({"unit_id": uid, "period": "2025Q2", "indicator": ind, "value": value,
                         "source": MANUAL_SOURCE})
    return pd.DataFrame(rows)


#: The 766 index's metrics that only the manual table gives (profile portal-2024).
MANUAL_INDEX766 = ("announced_on_time", "published_on_time", "published_complete",
                   "synced_national", "certified_copies")


def build_manual_index766(world: World, seed: int, period: str = "2025Q2") -> pd.DataFrame:
    """Manual 766 rates of every unit for ``period`` (pure, own random stream): the four
    transparency metrics (half the units at 100%, the others 85-99.9%) and electronic certified
    copies (1: the province provides the service, so every unit gets the full points)."""
    rng = _rng(seed, _CITIZEN_STREAM, 3)
    rows = []
    for uid in world.units["unit_id"]:
        for ind in MANUAL_INDEX766:
            value = 1.0 if ind == "certified_copies" or rng.random() < 0.5 else round(
                float(rng.uniform(0.85, 0.999)), 4)
            rows.append({"unit_id": uid, "period": period, "indicator": ind, "value": value,
                         "source": MANUAL_SOURCE})
    return pd.DataFrame(rows)
