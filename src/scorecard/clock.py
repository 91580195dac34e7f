"""The one clock of every time the product writes or shows: Asia/Ho_Chi_Minh wall time.

Servers usually run in UTC; a report "Lập lúc 09:00" or a load recorded at 02:00 would then be
seven hours off for the Vietnamese reader. Times are kept without zone, as the store keeps every
time (local calendar dates, :data:`scorecard.config.TIMEZONE`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from scorecard.config import TIMEZONE


def local_now() -> datetime:
    """The wall-clock time in Asia/Ho_Chi_Minh, to the second, without zone."""
    return datetime.now(ZoneInfo(TIMEZONE)).replace(tzinfo=None, microsecond=0)


def local_today() -> date:
    """Today in Asia/Ho_Chi_Minh (the calendar of every date comparison)."""
    return local_now().date()
