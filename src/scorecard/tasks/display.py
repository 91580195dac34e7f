"""The task listing as readers see it: Vietnamese headers, words and dd/mm/yyyy dates. Pure."""

from __future__ import annotations

import pandas as pd

from scorecard.report.format import LEVEL_VI, fmt_date, fmt_int, is_missing
from scorecard.tasks.deadlines import KIND_VI
from scorecard.tasks.judging import STATUS_VI

#: Listing column -> Vietnamese header (the columns shown, in order).
VI_HEADERS: dict[str, str] = {
    "task_id": "Nhiệm vụ",
    "text": "Nội dung",
    "unit_id": "Mã đơn vị",
    "unit_name": "Đơn vị chủ trì",
    "level": "Cấp",
    "deadline": "Thời hạn (theo kế hoạch)",
    "occurrence": "Kỳ",
    "due": "Hạn",
    "status": "Trạng thái",
    "done_on": "Ngày hoàn thành",
    "days_late": "Số ngày trễ",
    "days_overdue": "Số ngày quá hạn",
    "last_activity": "Hoạt động gần nhất",
    "document": "Văn bản",
    "note": "Ghi chú",
}

#: The shorter set of columns printed as a terminal table.
TABLE_COLUMNS = ["task_id", "unit_id", "occurrence", "due", "status", "done_on", "days_late",
                 "days_overdue", "last_activity"]


def status_word(status: str) -> str:
    """The Vietnamese word of a task status."""
    return STATUS_VI.get(status, status)


def _text(x: object) -> str:
    return "" if is_missing(x) else str(x)


def display_frame(listing: pd.DataFrame, columns: list[str] | None = None) -> pd.DataFrame:
    """``listing`` (``scorecard.tasks.progress.LISTING_COLUMNS``) as strings for readers: dates
    dd/mm/yyyy, statuses and levels in Vietnamese, Vietnamese headers."""
    cols = columns or list(VI_HEADERS)
    out = pd.DataFrame(index=listing.index)
    for c in cols:
        s = listing[c]
        if c in ("due", "done_on", "last_activity"):
            out[c] = [fmt_date(x) if not is_missing(x) else "" for x in s]
        elif c in ("days_late", "days_overdue"):
            out[c] = [fmt_int(x) if not is_missing(x) else "" for x in s]
        elif c == "status":
            out[c] = [status_word(x) for x in s]
        elif c == "level":
            out[c] = [LEVEL_VI.get(x, _text(x)) for x in s]
        elif c == "deadline_kind":
            out[c] = [KIND_VI.get(x, _text(x)) for x in s]
        else:
            out[c] = [_text(x) for x in s]
    return out.rename(columns=VI_HEADERS).reset_index(drop=True)
