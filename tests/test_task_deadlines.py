"""The deadline parser against hand-worked readings of every printed form (domain.md §9)."""

from __future__ import annotations

from datetime import date

import pytest

from scorecard.tasks.deadlines import DeadlineError, parse_deadline, single_due


def _due(text: str, **kw) -> tuple[str, list[tuple[str, date]]]:
    d = parse_deadline(text, **kw)
    return d.kind, [(o.id, o.due) for o in d.occurrences]


@pytest.mark.parametrize(("printed", "due"), [
    ("Trước ngày 30/01/2025", date(2025, 1, 30)),
    ("Trước 10/2/2025", date(2025, 2, 10)),
    ("trước ngày 15/8/2022", date(2022, 8, 15)),
    ("Trước ngày 25 tháng 01 năm 2024", date(2024, 1, 25)),
    ("Đến ngày 31/3/2025", date(2025, 3, 31)),
    ("Chậm nhất 05/06/2025", date(2025, 6, 5)),
    ("20/01/2024", date(2024, 1, 20)),
])
def test_a_date_is_due_on_the_named_day(printed, due):
    assert _due(printed) == ("date", [("", due)])


def test_before_the_named_day_is_a_setting():
    # "Trước ngày 30/01/2025" read strictly: the last day allowed is 29/01
    assert _due("Trước ngày 30/01/2025", named_day_is_last_day=False) == (
        "date", [("", date(2025, 1, 29))])
    assert _due("Trước 01/03/2024", named_day_is_last_day=False) == ("date", [("", date(2024, 2, 29))])
    # "đến ngày" and a bare date name the last day whatever the setting
    assert _due("Đến ngày 31/3/2025", named_day_is_last_day=False) == ("date", [("", date(2025, 3, 31))])
    assert _due("20/01/2024", named_day_is_last_day=False) == ("date", [("", date(2024, 1, 20))])


@pytest.mark.parametrize(("printed", "kind", "due"), [
    ("Tháng 02/2025", "month", date(2025, 2, 28)),
    ("Tháng 2/2024", "month", date(2024, 2, 29)),      # leap year
    ("Tháng 12/2021", "month", date(2021, 12, 31)),
    ("Quý I/2022", "quarter", date(2022, 3, 31)),
    ("Quý III/2024", "quarter", date(2024, 9, 30)),
    ("Quý IV- 2021", "quarter", date(2021, 12, 31)),
    ("quý 2/2025", "quarter", date(2025, 6, 30)),
    ("Năm 2022", "year", date(2022, 12, 31)),
    ("Trong năm 2022", "year", date(2022, 12, 31)),
    ("cuối năm 2023", "year", date(2023, 12, 31)),
    ("6 tháng đầu năm 2022", "half", date(2022, 6, 30)),
    ("6 tháng cuối năm 2022", "half", date(2022, 12, 31)),
    ("Năm 2021 – 2022", "span", date(2022, 12, 31)),
    ("Năm 2021-2023.", "span", date(2023, 12, 31)),
    ("Giai đoạn 2022 - 2025", "span", date(2025, 12, 31)),
])
def test_periods_are_due_on_their_last_day(printed, kind, due):
    assert _due(printed) == (kind, [("", due)])


def test_a_span_has_its_window():
    assert parse_deadline("Năm 2021 – 2022").window == (date(2021, 1, 1), date(2022, 12, 31))


def test_a_period_without_year_takes_the_default_year():
    assert _due("Quý IV", year=2022) == ("quarter", [("", date(2022, 12, 31))])
    with pytest.raises(DeadlineError, match="'Quý IV' names no year"):
        parse_deadline("Quý IV")


def test_listed_months_recur_each_with_its_due_date():
    assert _due("Tháng 3, 6, 9, 12/2025") == ("recurring", [
        ("2025-03", date(2025, 3, 31)), ("2025-06", date(2025, 6, 30)),
        ("2025-09", date(2025, 9, 30)), ("2025-12", date(2025, 12, 31))])


def test_listed_quarters_recur():
    assert _due("Quý II, III", year=2022) == ("recurring", [
        ("2022Q2", date(2022, 6, 30)), ("2022Q3", date(2022, 9, 30))])


def test_every_month_and_every_quarter():
    kind, occ = _due("Định kỳ hằng tháng", year=2025)
    assert kind == "recurring" and len(occ) == 12
    assert occ[0] == ("2025-01", date(2025, 1, 31)) and occ[1] == ("2025-02", date(2025, 2, 28))
    assert occ[-1] == ("2025-12", date(2025, 12, 31))
    assert _due("Hằng tháng", year=2024)[1][1] == ("2024-02", date(2024, 2, 29))
    assert _due("hằng quý", year=2025) == ("recurring", [
        ("2025Q1", date(2025, 3, 31)), ("2025Q2", date(2025, 6, 30)),
        ("2025Q3", date(2025, 9, 30)), ("2025Q4", date(2025, 12, 31))])
    kind, occ = _due("Hàng Quý/ Năm", year=2024)
    assert [i for i, _ in occ] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4", "2024"]
    assert occ[-1] == ("2024", date(2024, 12, 31))


def test_several_parts_with_a_shared_year():
    assert _due("6 tháng đầu năm và cuối năm 2022") == ("recurring", [
        ("2022H1", date(2022, 6, 30)), ("2022", date(2022, 12, 31))])
    assert _due("- Báo cáo Quý I/2022; - Báo cáo Quý II/2022; - Báo cáo Quý III/2022; "
                "- Báo cáo Năm 2022.") == ("recurring", [
        ("2022Q1", date(2022, 3, 31)), ("2022Q2", date(2022, 6, 30)),
        ("2022Q3", date(2022, 9, 30)), ("2022", date(2022, 12, 31))])
    assert _due("Quý IV- 2021; Năm 2022") == ("recurring", [
        ("2021Q4", date(2021, 12, 31)), ("2022", date(2022, 12, 31))])


@pytest.mark.parametrize(("printed", "kind", "window"), [
    ("Thường xuyên", "continuous", None),
    ("Thường xuyên trong năm 2022", "continuous", (date(2022, 1, 1), date(2022, 12, 31))),
    ("Khi có phát sinh", "on_demand", None),
    ("Theo yêu cầu", "on_demand", None),
    ("Theo yêu cầu và Kế hoạch của Văn phòng Chính phủ", "on_demand", None),
    ("Khi có yêu cầu của Sở Thông tin và Truyền thông", "on_demand", None),
    ("Khi có thay đổi, thực hiện theo Quý", "on_demand", None),
    ("Khi có hướng dẫn của Bộ ngành TW", "on_demand", None),
    ("Theo Kế hoạch", "per_schedule", None),
    ("Theo Kế hoạch riêng", "per_schedule", None),
    ("Theo hướng dẫn của các bộ ngành Trung ương và UBND tỉnh", "per_schedule", None),
    ("Thực hiện lồng ghép với công tác kiểm tra cải cách hành chính", "per_schedule", None),
    ("", "unspecified", None),
    ("  ", "unspecified", None),
])
def test_deadlines_without_a_due_date(printed, kind, window):
    d = parse_deadline(printed)
    assert (d.kind, d.occurrences, d.window, d.has_due, d.due) == (kind, (), window, False, None)


def test_unreadable_words_are_quoted_in_the_error():
    with pytest.raises(DeadlineError, match="cannot read the deadline 'Thường xuân trong năm 2022'"):
        parse_deadline("Thường xuân trong năm 2022")
    with pytest.raises(DeadlineError, match="31/2/2025 is not a date"):
        parse_deadline("Trước ngày 31/02/2025")
    with pytest.raises(DeadlineError, match="13 is not a month"):
        parse_deadline("Tháng 13/2025")
    with pytest.raises(DeadlineError, match="the same period twice"):
        parse_deadline("Quý I/2022; Quý I/2022")


def test_the_due_of_a_recurring_deadline_is_its_last_occurrence():
    d = parse_deadline("Tháng 3, 6/2025")
    assert d.recurring and d.due == date(2025, 6, 30)
    assert d.due_by_occurrence() == {"2025-03": date(2025, 3, 31), "2025-06": date(2025, 6, 30)}


def test_single_due_is_the_one_date_the_words_name():
    assert single_due("Trước 15/12/2025") == date(2025, 12, 15)
    assert single_due("Trước 15/12/2025", named_day_is_last_day=False) == date(2025, 12, 14)
    assert single_due("Quý IV- 2021") == date(2021, 12, 31)
    assert single_due("Quý IV", year=2022) == date(2022, 12, 31)
    # no date, several dates, no year, unreadable: None
    for words in ("Thường xuyên", "Khi có phát sinh", "", "Tháng 3, 6, 9, 12/2025", "Quý IV",
                  "sớm nhất có thể"):
        assert single_due(words) is None, words
