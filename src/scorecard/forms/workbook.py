"""The one way the product writes a cell: text stays text, numbers stay numbers.

openpyxl stores any string that starts with ``=`` as a formula, so a unit named
``=HYPERLINK("http://…","Bấm")`` would become a live formula in a form sent up the hierarchy.
Every workbook the product writes (summary.xlsx, Biểu 06, later sheets) sets its cells through
:func:`put` / :func:`append_row`, which store every string as a string cell (data type ``s``),
never as a formula, and :func:`save_workbook` writes the file atomically. A string that starts
like a formula (:data:`FORMULA_PREFIXES`) also gets Excel's "quote prefix" style, the mark Excel
itself sets when someone types ``'=…``, so the cell stays text even when a reader edits it and
presses Enter. Numbers (negative ones too) stay numbers; read back with openpyxl, every such cell
holds exactly the string written.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from scorecard.formulas import FORMULA_PREFIXES, looks_like_formula
from scorecard.outputs import atomic_target

__all__ = ["FORMULA_PREFIXES", "append_row", "clean_text", "looks_like_formula", "put",
           "save_workbook"]

#: Stands in for control characters XML cannot hold (openpyxl refuses them).
REPLACEMENT_CHARACTER = "\ufffd"


def clean_text(text: str) -> str:
    """``text`` with the control characters an .xlsx cannot hold replaced by U+FFFD (for cells,
    document properties and sheet titles alike)."""
    return ILLEGAL_CHARACTERS_RE.sub(REPLACEMENT_CHARACTER, text)


def put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Set one cell; a string is always stored as text, never as a formula.

    Control characters an .xlsx cannot hold (all below U+0020 but tab, LF and CR) become
    U+FFFD instead of failing the whole workbook.
    """
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = clean_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def append_row(ws: Worksheet, values: Iterable[Any]) -> int:
    """Append a row where ``ws.append`` would (an empty list gives a blank row), every cell
    through :func:`put`; returns its row number."""
    values = list(values)
    ws.append([None] * len(values))  # openpyxl picks the row; the values go in through put
    row = ws._current_row  # the row ws.append just used (openpyxl keeps no public name for it)
    for col, value in enumerate(values, start=1):
        put(ws, row, col, value)
    return row


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path`` atomically (a temporary file renamed into place)."""
    with atomic_target(path) as tmp:
        wb.save(tmp)
    return Path(path)
