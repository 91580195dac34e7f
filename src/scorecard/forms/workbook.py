"""The one way the product writes a cell: text stays text, numbers stay numbers.

openpyxl stores any string that starts with ``=`` as a formula, so a unit named
``=HYPERLINK("http://…","Bấm")`` would become a live formula in a form sent up the hierarchy.
Every workbook the product writes (summary.xlsx, Biểu 06, later sheets) sets its cells through
:func:`put` / :func:`append_row`, which store every string as a string cell (data type ``s``),
never as a formula, and :func:`save_workbook` writes the file atomically.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from scorecard.outputs import atomic_target

#: Prefixes that spreadsheet programs may read as the start of a formula (OWASP's list).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Set one cell; a string is always stored as text, never as a formula."""
    cell = ws.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def append_row(ws: Worksheet, values: Iterable[Any]) -> int:
    """Append a row after the last used one (as ``ws.append``) through :func:`put`; returns its
    row number."""
    row = ws.max_row + 1 if ws.max_row > 1 or ws.cell(1, 1).value is not None else 1
    for col, value in enumerate(values, start=1):
        put(ws, row, col, value)
    return row


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path`` atomically (a temporary file renamed into place)."""
    with atomic_target(path) as tmp:
        wb.save(tmp)
    return Path(path)
