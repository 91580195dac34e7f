"""Every time written or shown is Vietnam's wall time (UTC+7, no daylight saving), whatever
the server's own zone."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from scorecard.clock import local_now, local_today


@pytest.fixture
def server_in_new_york(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_local_now_is_utc_plus_seven_whatever_the_server_zone(server_in_new_york):
    assert datetime.now().utcoffset() is None and time.timezone != 0  # the server says New York
    expected = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=7)
    got = local_now()
    assert abs(got - expected) < timedelta(seconds=5)
    assert got.tzinfo is None and got.microsecond == 0
    assert local_today() == got.date()
