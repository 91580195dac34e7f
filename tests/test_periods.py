from datetime import date

import pytest

from scorecard.periods import (
    PeriodError,
    last_n,
    parse_period,
    period_containing,
    period_window,
    periods_between,
)


@pytest.mark.parametrize(
    ("pid", "calendar", "first", "last"),
    [
        ("2025Q1", "calendar", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025Q1", "nd09", date(2024, 12, 15), date(2025, 3, 14)),  # Q1 = 15/12 .. 14/03
        ("2025Q3", "nd09", date(2025, 6, 15), date(2025, 9, 14)),
        ("2024-02", "calendar", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2024-02", "nd09", date(2024, 1, 15), date(2024, 2, 14)),
        ("2019-07", "nd09", date(2019, 6, 15), date(2019, 7, 14)),
        ("2024", "calendar", date(2024, 1, 1), date(2024, 12, 31)),
        ("2024", "nd09", date(2023, 12, 15), date(2024, 12, 14)),  # the year = 15/12 .. 14/12
    ],
)
def test_windows(pid: str, calendar: str, first: date, last: date) -> None:
    assert period_window(pid, calendar) == (first, last)


def test_parse_and_round_trip() -> None:
    assert parse_period("2024q2").id == "2024Q2"
    assert parse_period("2024-7").id == "2024-07"
    assert parse_period("2024").kind == "year"
    for bad in ("2024Q5", "2024-13", "24Q1", "Q1 2024", ""):
        with pytest.raises(PeriodError):
            parse_period(bad)
    with pytest.raises(PeriodError):
        period_window("2024Q1", "lunar")


def test_sequences() -> None:
    assert [p.id for p in periods_between("2024Q3", "2025Q2")] == [
        "2024Q3", "2024Q4", "2025Q1", "2025Q2"]
    assert [p.id for p in last_n("2025-01", 3)] == ["2024-11", "2024-12", "2025-01"]
    assert parse_period("2025Q1").label_vi() == "Quý I/2025"
    assert parse_period("2025Q1").shift_years(-1).id == "2024Q1"


def test_period_containing_nd09_edge() -> None:
    # 14/03 closes Q1 in the NĐ 09 window; 15/03 opens Q2
    assert period_containing(date(2025, 3, 14), "quarter", "nd09").id == "2025Q1"
    assert period_containing(date(2025, 3, 15), "quarter", "nd09").id == "2025Q2"
    assert period_containing(date(2024, 12, 15), "year", "nd09").id == "2025"
    assert period_containing(date(2025, 3, 31), "quarter", "calendar").id == "2025Q1"


def test_window_of_names_whole_periods_and_keeps_other_spans():
    from scorecard.periods import Window, window_of

    # the nd09 year 2025 is 15/12/2024–14/12/2025; its first quarter ends 14/03/2025
    assert window_of(date(2024, 12, 15), date(2025, 12, 14), "nd09") == parse_period("2025")
    assert window_of(date(2024, 12, 15), date(2025, 3, 14), "nd09") == parse_period("2025Q1")
    assert window_of(date(2025, 1, 1), date(2025, 3, 31), "calendar") == parse_period("2025Q1")
    cut = window_of(date(2025, 6, 15), date(2025, 6, 30), "nd09")
    assert cut == Window(date(2025, 6, 15), date(2025, 6, 30))
    assert cut.id == "2025-06-15..2025-06-30"
    assert cut.window("calendar") == cut.window("nd09") == (date(2025, 6, 15), date(2025, 6, 30))
    assert Window(date(2024, 2, 29), date(2024, 3, 31)).shift_years(-1) == Window(
        date(2023, 2, 28), date(2023, 3, 31))
    with pytest.raises(PeriodError, match="empty window"):
        window_of(date(2025, 2, 1), date(2025, 1, 1), "calendar")
