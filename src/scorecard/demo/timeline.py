"""The demo's calendar: working days (the covered years' public holidays), office hours, and
the linear trend of a unit's profile from 2024-01-01 to the last day of the data."""

from __future__ import annotations

import numpy as np

from scorecard.demo.constants import LAST_DAY

_TREND_START = np.datetime64("2024-01-01", "D")
_TREND_DAYS = float((LAST_DAY - _TREND_START).astype(np.int64))

# Public holidays (days off) of the covered years, for due dates in working days.
_HOLIDAYS = np.array(
    ["2023-01-02", "2024-01-01", "2024-02-08", "2024-02-09", "2024-02-12", "2024-02-13",
     "2024-02-14", "2024-04-18", "2024-04-29", "2024-04-30", "2024-05-01", "2024-09-02",
     "2024-09-03", "2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30",
     "2025-01-31", "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01",
     "2025-09-02", "2026-01-01"], dtype="datetime64[D]")
_BUSDAYS = np.busdaycalendar(holidays=_HOLIDAYS)


def _working_days(first: np.datetime64, last: np.datetime64) -> np.ndarray:
    days = np.arange(first, last + 1, dtype="datetime64[D]")
    return days[np.is_busday(days, busdaycal=_BUSDAYS)]


def _office_minutes(rng: np.random.Generator, n: int, afternoon_end: int = 1020) -> np.ndarray:
    """Minutes after midnight within office hours (07:30-11:30, 13:30-afternoon_end)."""
    morning = rng.random(n) < 0.6
    return np.where(morning, rng.integers(450, 690, n), rng.integers(810, afternoon_end, n))


def _trend(profile: dict[str, np.ndarray], key: str, unit: np.ndarray, t: np.ndarray) -> np.ndarray:
    a = profile[key][unit, 0]
    return a + (profile[key][unit, 1] - a) * t
