"""Vietnamese number, percentage, date and status formatting (domain.md §8).

``fmt_int(159845) == "159.845"``, ``fmt_pct(0.98333) == "98,33%"``, ``fmt_date(d) == "dd/mm/yyyy"``.
Missing values (None, NaN, NA) format as ``"–"`` everywhere.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from scorecard.fields import FIELD_NAMES

#: Status words shown to readers.
STATUS_VI: dict[str, str] = {
    "pass": "Đạt",
    "fail": "Không đạt",
    "in_progress": "Đang thực hiện",
    "no_data": "Chưa có dữ liệu",
    "not_applicable": "Không áp dụng",
}

#: Words of a unit's render outcome (index page, summary.xlsx).
RUN_STATUS_VI: dict[str, str] = {
    "ok": "Hoàn thành",
    "failed": "Lỗi",
    "skipped": "Không đổi",
}

#: Colours of the statuses (background, text) used by HTML and Excel alike.
STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "pass": ("#d8f0dc", "#1b5e20"),
    "fail": ("#fbd9d6", "#8e1b10"),
    "in_progress": ("#fff1c9", "#7a5a00"),
    "no_data": ("#eeeeee", "#555555"),
    "not_applicable": ("#f6f6f6", "#888888"),
}

#: Words for the comparators of a target.
COMPARATOR_VI: dict[str, str] = {
    ">": "trên",
    ">=": "tối thiểu",
    "==": "bằng",
    "<=": "tối đa",
    "<": "dưới",
}

#: Levels of the unit tree.
LEVEL_VI: dict[str, str] = {
    "province": "Cấp tỉnh",
    "department": "Sở, ngành",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
}

#: 766 index bands.
BAND_VI: dict[str, str] = {
    "excellent": "Xuất sắc",
    "good": "Tốt",
    "fair": "Khá",
    "average": "Trung bình",
    "weak": "Yếu",
}

MISSING = "–"


def is_missing(x: Any) -> bool:
    """True for None, NaN and pandas' NA/NaT."""
    if x is None:
        return True
    try:
        import pandas as pd

        if x is pd.NA or x is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(x, float) and math.isnan(x)


def _group_thousands(digits: str) -> str:
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return ".".join(out)


def fmt_num(x: Any, decimals: int = 0) -> str:
    """A number with dot thousands and a decimal comma: ``fmt_num(1234.5, 1) == "1.234,5"``."""
    if is_missing(x):
        return MISSING
    value = float(x)
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    sign = "-" if value < 0 and float(text) != 0 else ""
    out = sign + _group_thousands(whole)
    return f"{out},{frac}" if frac else out


def fmt_int(x: Any) -> str:
    """A count: ``159845 -> "159.845"`` (rounded half away from zero)."""
    if is_missing(x):
        return MISSING
    value = float(x)
    rounded = math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1)
    return fmt_num(rounded, 0)


def fmt_pct(x: Any, decimals: int = 2) -> str:
    """A fraction as a percentage: ``0.98333 -> "98,33%"``, ``1 -> "100%"``.

    Trailing zero decimals are dropped (``0.95 -> "95%"``, ``0.905 -> "90,5%"``).
    """
    if is_missing(x):
        return MISSING
    text = fmt_num(float(x) * 100, decimals)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text + "%"


def fmt_points(x: Any) -> str:
    """Index points with two decimals: ``87.5 -> "87,50"``."""
    return fmt_num(x, 2)


def fmt_date(d: date | datetime | str | None) -> str:
    """``date(2025, 3, 14) -> "14/03/2025"``; ISO strings are accepted."""
    if d is None or is_missing(d):
        return MISSING
    if isinstance(d, str):
        d = datetime.fromisoformat(d)
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def fmt_datetime(d: datetime | None) -> str:
    """``datetime(2025, 7, 1, 8, 5) -> "01/07/2025 08:05"``."""
    if d is None or is_missing(d):
        return MISSING
    return f"{fmt_date(d)} {d.hour:02d}:{d.minute:02d}"


def fmt_window(first: date, last: date) -> str:
    """A period window: ``"01/04/2025 – 30/06/2025"``."""
    return f"{fmt_date(first)} – {fmt_date(last)}"


def fmt_value(x: Any, kind: str) -> str:
    """An indicator value by its kind: rates as percentages, counts as integers."""
    return fmt_pct(x) if kind == "rate" else fmt_int(x)


def fmt_cases(x: Any) -> str:
    """A count of case files: ``"159.845 hồ sơ"``."""
    return f"{fmt_int(x)} hồ sơ"


def status_vi(status: str | None) -> str:
    """The Vietnamese word of a status; unknown statuses are returned unchanged."""
    if status is None or is_missing(status):
        return STATUS_VI["no_data"]
    return STATUS_VI.get(str(status), str(status))


def status_word(status: str | None) -> str:
    """The word of a target status or of a render outcome (``ok`` → "Hoàn thành")."""
    if status is not None and not is_missing(status) and str(status) in RUN_STATUS_VI:
        return RUN_STATUS_VI[str(status)]
    return status_vi(status)


def indicator_kind(indicator: str) -> str:
    """``"rate"`` or ``"count"``: how a value of ``indicator`` is formatted (catalogue first;
    ids not in the catalogue, e.g. manual measurements, are rates when they end in ``_rate``)."""
    from scorecard.indicators import CATALOGUE

    ind = CATALOGUE.get(indicator)
    if ind is not None:
        return "count" if ind.kind == "count" else "rate"
    return "rate" if str(indicator).endswith("_rate") else "count"


def short_label(label: str, width: int = 40) -> str:
    """A target label short enough for a column header: without the leading "Tỷ lệ", capital
    first letter, cut at a word boundary with "…" beyond ``width`` characters."""
    text = str(label).strip()
    for prefix in ("Tỷ lệ ", "tỷ lệ "):
        if text.startswith(prefix) and len(text) > len(prefix):
            text = text[len(prefix):]
            break
    text = text[:1].upper() + text[1:]
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0].rstrip(" ,;—-")
    return cut + "…"


def fmt_threshold(comparator: str, threshold: Any, kind: str = "rate") -> str:
    """A target in words: ``(">", 0.95) -> "trên 95%"``, ``("==", 0, "count") -> "bằng 0"``."""
    word = COMPARATOR_VI.get(comparator, comparator)
    return f"{word} {fmt_value(threshold, kind)}"

#: Field codes (procedures.field) and their Vietnamese names.
FIELD_VI: dict[str, str] = FIELD_NAMES
