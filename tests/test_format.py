"""Vietnamese formatting (domain.md §8), hand-worked values."""

from datetime import date, datetime

import pandas as pd
import pytest

from scorecard.report.format import (
    STATUS_VI,
    fmt_cases,
    fmt_date,
    fmt_datetime,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_threshold,
    fmt_window,
    status_vi,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(159845, "159.845"), (0, "0"), (999, "999"), (1000, "1.000"), (1234567, "1.234.567"),
     (-4200, "-4.200"), (12.5, "13"), (2.4, "2"), (None, "–"), (float("nan"), "–"), (pd.NA, "–")],
)
def test_fmt_int(value, expected):
    assert fmt_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.98333, "98,33%"), (1, "100%"), (1.0, "100%"), (0.95, "95%"), (0.905, "90,5%"),
     (0, "0%"), (0.000049, "0%"), (0.12345, "12,35%"), (12.3456, "1.234,56%"), (None, "–")],
)
def test_fmt_pct(value, expected):
    assert fmt_pct(value) == expected


def test_fmt_num_decimals_and_sign():
    assert fmt_num(1234.5, 1) == "1.234,5"
    assert fmt_num(-0.001, 2) == "0,00"  # no "-0,00"
    assert fmt_num(87.456, 2) == "87,46"


def test_fmt_date_and_window():
    assert fmt_date(date(2025, 3, 4)) == "04/03/2025"
    assert fmt_date(datetime(2024, 12, 15, 23, 59)) == "15/12/2024"
    assert fmt_date("2025-06-30") == "30/06/2025"
    assert fmt_date(None) == "–"
    assert fmt_datetime(datetime(2025, 7, 1, 8, 5)) == "01/07/2025 08:05"
    assert fmt_window(date(2024, 12, 15), date(2025, 3, 14)) == "15/12/2024 – 14/03/2025"


def test_status_words():
    assert STATUS_VI == {"pass": "Đạt", "fail": "Không đạt", "no_data": "Chưa có dữ liệu",
                         "not_applicable": "Không áp dụng"}
    assert status_vi("fail") == "Không đạt"
    assert status_vi(None) == "Chưa có dữ liệu"
    assert status_vi("weird") == "weird"


def test_threshold_and_cases():
    assert fmt_threshold(">", 0.95) == "trên 95%"
    assert fmt_threshold(">=", 0.8) == "tối thiểu 80%"
    assert fmt_threshold("==", 0, "count") == "bằng 0"
    assert fmt_cases(159845) == "159.845 hồ sơ"
