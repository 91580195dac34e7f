"""Working days under the Vietnamese holiday calendar, checked on dates worked out by hand."""

from __future__ import annotations

from datetime import date

import pytest

from scorecard.workdays import CalendarError, load_calendar, parse_calendar, weekdays_only


@pytest.fixture(scope="module")
def vn():
    return load_calendar()


def test_file_covers_2023_to_2026_with_sources(vn) -> None:
    assert vn.years == (2023, 2024, 2025, 2026)
    assert vn.uncovered_years(date(2022, 12, 1), date(2027, 1, 5)) == [2022, 2027]
    # 24/11 (Ngày Văn hóa Việt Nam) is announced as an intention only: listed, not applied
    assert [p.day for p in vn.pending] == [date(2026, 11, 24)]
    assert vn.is_working_day(date(2026, 11, 24))


def test_tet_2025(vn) -> None:
    # Received Friday 24/01/2025, 3 working days. Off: Sat 25, Sun 26, Tết Mon 27 - Fri 31/01,
    # Sat 01, Sun 02/02. Working: Mon 03/02 (1), Tue 04/02 (2), Wed 05/02 (3).
    assert vn.add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)
    assert vn.working_days_between(date(2025, 1, 24), date(2025, 2, 5)) == 3
    assert [d.day.day for d in vn.days_off_between(date(2025, 1, 20), date(2025, 2, 10))] \
        == [27, 28, 29, 30, 31]
    assert vn.day_off_name(date(2025, 1, 29)) == "Tết Nguyên đán Ất Tỵ (mùng 1)"


def test_tet_2024_and_2026(vn) -> None:
    # Tết Giáp Thìn: Thu 08/02 - Wed 14/02/2024. Wed 07/02 + 1 working day = Thu 15/02.
    assert vn.add_working_days(date(2024, 2, 7), 1) == date(2024, 2, 15)
    # Tết Bính Ngọ: Sat 14/02 - Sun 22/02/2026: Fri 13/02 + 1 = Mon 23/02.
    assert vn.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_30_4_and_1_5_2025_with_swapped_friday_and_makeup_saturday(vn) -> None:
    # Received Thu 24/04/2025, 5 working days: Fri 25/04 (1), Sat 26/04 make-up (2),
    # Mon 28/04 (3), Tue 29/04 (4); Wed 30/04, Thu 01/05 holidays, Fri 02/05 swapped,
    # weekend 03-04/05; Mon 05/05 (5).
    assert vn.is_working_day(date(2025, 4, 26))
    assert not vn.is_working_day(date(2025, 5, 2))
    assert vn.add_working_days(date(2025, 4, 24), 5) == date(2025, 5, 5)
    assert vn.working_days_between(date(2025, 4, 24), date(2025, 5, 5)) == 5
    assert vn.day_off_name(date(2025, 4, 30)) == "Ngày Chiến thắng"
    assert vn.day_off_name(date(2025, 5, 3)) == "Thứ Bảy"


def test_1_5_2024_with_swapped_monday(vn) -> None:
    # Received Fri 26/04/2024, 3 working days: Sat 27, Sun 28, Mon 29/04 swapped, Tue 30/04,
    # Wed 01/05 off; Thu 02/05 (1), Fri 03/05 (2), Sat 04/05 make-up (3).
    assert vn.add_working_days(date(2024, 4, 26), 3) == date(2024, 5, 4)


def test_2_9_2025_and_2026(vn) -> None:
    # 2025: Mon 01/09 and Tue 02/09 off. Fri 29/08 + 2 working days = Wed 03/09 (1), Thu 04/09 (2).
    assert vn.add_working_days(date(2025, 8, 29), 2) == date(2025, 9, 4)
    # 2026: Mon 31/08 swapped (make-up Sat 22/08), Tue 01/09 and Wed 02/09 off.
    assert vn.is_working_day(date(2026, 8, 22))
    assert vn.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_compensatory_days_off(vn) -> None:
    # 02/09/2023 is a Saturday: Monday 04/09 is the compensatory day off; Fri 01/09 the adjacent
    # holiday. Thu 31/08 + 1 working day = Tue 05/09.
    assert vn.day_off_name(date(2023, 9, 4)) == "Nghỉ bù Quốc khánh (2/9 là thứ Bảy)"
    assert vn.add_working_days(date(2023, 8, 31), 1) == date(2023, 9, 5)
    # 01/01/2023 Sunday -> Monday 02/01 off; Giỗ Tổ 26/04/2026 Sunday -> Monday 27/04 off.
    assert vn.next_working_day(date(2022, 12, 30)) == date(2023, 1, 3)
    assert vn.next_working_day(date(2026, 4, 24)) == date(2026, 4, 28)
    # marked unsure in the file, and still applied
    entry = next(e for e in vn.days_off if e.day == date(2026, 4, 27))
    assert entry.kind == "compensatory" and entry.unsure


def test_counting_conventions(vn) -> None:
    # (a, b]: the start day itself never counts; a weekend start counts from Monday
    assert vn.working_days_between(date(2025, 6, 2), date(2025, 6, 2)) == 0
    assert vn.working_days_between(date(2025, 6, 7), date(2025, 6, 9)) == 1  # Sat -> Mon
    assert vn.working_days_between(date(2025, 6, 9), date(2025, 6, 6)) == -1
    assert vn.add_working_days(date(2025, 6, 7), 0) == date(2025, 6, 9)
    assert vn.add_working_days(date(2025, 6, 9), -1) == date(2025, 6, 6)
    assert vn.previous_working_day(date(2025, 2, 3)) == date(2025, 1, 24)
    table = vn.day_table(date(2025, 4, 24), date(2025, 5, 5))
    index = {d: i for d, _, i in table}
    assert index[date(2025, 5, 5)] - index[date(2025, 4, 24)] == 5
    assert [w for _, w, _ in table][:4] == [True, True, True, False]  # Thu, Fri, Sat make-up, Sun


def test_outside_covered_years_weekends_only(vn) -> None:
    assert vn.is_working_day(date(2027, 1, 1))  # a Friday: not in the file
    plain = weekdays_only()
    assert plain.add_working_days(date(2025, 1, 24), 3) == date(2025, 1, 29)


def test_bad_files_name_the_entry() -> None:
    good = {"source": "x", "days_off": [{"date": date(2025, 1, 1), "name": "A", "kind": "holiday"}]}
    parse_calendar({"years": {2025: good}}, "f.yaml")
    with pytest.raises(CalendarError, match=r"f.yaml: years.2025.days_off\[0\].*kind"):
        parse_calendar({"years": {2025: {"source": "x", "days_off": [
            {"date": date(2025, 1, 1), "name": "A", "kind": "party"}]}}}, "f.yaml")
    with pytest.raises(CalendarError, match="'source'"):
        parse_calendar({"years": {2025: {"days_off": []}}}, "f.yaml")
    with pytest.raises(CalendarError, match="not a weekend day"):
        parse_calendar({"years": {2025: {"source": "x", "working_days": [
            {"date": date(2025, 1, 2), "name": "B", "kind": "makeup"}]}}}, "f.yaml")
    with pytest.raises(CalendarError, match="not in 2024"):
        parse_calendar({"years": {2024: good}}, "f.yaml")
    with pytest.raises(CalendarError, match="cannot read holiday calendar"):
        load_calendar("/nonexistent/vn.yaml")
