"""The one way the product writes a workbook: cells, fonts, print setup and the file.

**Cells.** openpyxl stores any string that starts with ``=`` as a formula, so a unit named
``=HYPERLINK("http://…","Bấm")`` would become a live formula in a form sent up the hierarchy.
Every workbook the product writes (summary.xlsx, Biểu 06, the late list, the task and 766
workbooks) sets its cells through :func:`put` / :func:`append_row`, which store every string as
a string cell (data type ``s``), never as a formula, and :func:`save_workbook` writes the file
atomically. A string that starts like a formula (:data:`FORMULA_PREFIXES`) also gets Excel's
"quote prefix" style, the mark Excel itself sets when someone types ``'=…``, so the cell stays
text even when a reader edits it and presses Enter. Numbers (negative ones too) stay numbers;
read back with openpyxl, every such cell holds exactly the string written.

**Paper.** Every workbook starts from :func:`new_workbook` (its default font is the house font,
:func:`house_font_name`: DejaVu Sans, which LibreOffice ships with (package fonts-dejavu-core)
and which has every Vietnamese letter; ``SCORECARD_WORKBOOK_FONT`` names another, e.g. "Times
New Roman" where every reader has it) and every sheet a reader may print gets
:func:`setup_page`: A4, landscape where wide, fitted to one page wide, header rows repeated on
every page, panes frozen below them, the title in the page header, page numbers in the footer.
:func:`save_workbook` then gives every cell the house font (keeping size, weight and colour)
and every row the height its wrapped text needs (:func:`fit_row_heights`), so no cell prints
over the next row and no reader's spreadsheet falls back to another font. Statuses have one
fill each (:func:`style_status`, the colours of ``report.format.STATUS_COLOURS``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from scorecard.forms.textwidth import (
    CELL_PADDING,
    LINE_PITCH,
    column_points,
    height_for_lines,
    text_width,
    wrapped_lines,
)
from scorecard.formulas import FORMULA_PREFIXES, looks_like_formula
from scorecard.outputs import atomic_target
from scorecard.report.format import STATUS_COLOURS

__all__ = ["BASE_SIZE", "FORMULA_PREFIXES", "HEADER_FILL", "append_row", "clean_text",
           "fit_row_heights", "house_font", "house_font_name", "looks_like_formula",
           "new_workbook", "put", "save_workbook", "setup_page", "style_header", "style_status"]

#: Stands in for control characters XML cannot hold (openpyxl refuses them).
REPLACEMENT_CHARACTER = "\ufffd"
#: The environment variable naming another font for every workbook.
FONT_ENV = "SCORECARD_WORKBOOK_FONT"
DEFAULT_FONT_NAME = "DejaVu Sans"
#: Default text size (points) of every workbook.
BASE_SIZE = 10
#: Excel's largest row height (points).
MAX_ROW_HEIGHT = 409.0
#: Height of a row the writer leaves alone (the sheets' default: one line of 10 pt text).
DEFAULT_ROW_HEIGHT = 16.0
#: Width of a column without a width of its own (Excel's default, in width units).
DEFAULT_COLUMN_WIDTH = 8.43
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_TEXT = "FFFFFF"


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


# ------------------------------------------------------------------ fonts and fills
def house_font_name() -> str:
    """The font of every workbook: ``SCORECARD_WORKBOOK_FONT``, else DejaVu Sans."""
    return (os.environ.get(FONT_ENV) or "").strip() or DEFAULT_FONT_NAME


def house_font(size: float = BASE_SIZE, *, bold: bool = False, italic: bool = False,
               color: str | None = None) -> Font:
    """A font of the house family (``color`` as hex RGB without ``#``)."""
    return Font(name=house_font_name(), size=size, bold=bold, italic=italic, color=color,
                family=2)


def new_workbook() -> Workbook:
    """An empty workbook whose default font (the "Normal" style: empty cells, column widths) is
    the house font at :data:`BASE_SIZE`."""
    wb = Workbook()
    base = house_font()
    wb._fonts = IndexedList([base])  # font 0 is what unstyled cells use
    wb._named_styles["Normal"].font = base
    return wb


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


#: One fill and one text colour per status of a judged target.
STATUS_FILLS: dict[str, PatternFill] = {
    s: PatternFill("solid", fgColor=_hex(bg)) for s, (bg, _) in STATUS_COLOURS.items()}
STATUS_TEXT: dict[str, str] = {s: _hex(fg) for s, (_, fg) in STATUS_COLOURS.items()}


def style_status(cell: Cell, status: str | None, *, size: float = BASE_SIZE) -> None:
    """Give ``cell`` the fill and text colour of ``status`` (bold for ``fail``); an unknown or
    missing status leaves the cell as it is."""
    if status not in STATUS_FILLS:
        return
    cell.fill = STATUS_FILLS[status]
    cell.font = house_font(size, bold=status == "fail", color=STATUS_TEXT[status])


def style_header(ws: Worksheet, row: int, first: int = 1, last: int | None = None, *,
                 size: float = BASE_SIZE, rotate: bool = False,
                 horizontal: str = "center") -> None:
    """White bold text on dark blue, wrapped (``rotate``: read bottom to top, for narrow
    columns) for the cells ``first..last`` of ``row``."""
    last = last or ws.max_column
    for col in range(first, last + 1):
        cell = ws.cell(row=row, column=col)
        cell.fill = HEADER_FILL
        cell.font = house_font(size, bold=True, color=HEADER_TEXT)
        cell.alignment = Alignment(wrap_text=True, vertical="bottom" if rotate else "center",
                                   horizontal=horizontal, text_rotation=90 if rotate else 0)


# ------------------------------------------------------------------ print setup
def _header_text(text: str) -> str:
    """Header/footer text: ``&`` starts a code there, so a literal one is doubled."""
    return clean_text(text).replace("&", "&&")


def setup_page(ws: Worksheet, *, landscape: bool = True, title_rows: tuple[int, int] | None = None,
               freeze: str | None = None, header: str | None = None,
               footer: str | None = None) -> None:
    """Print setup of a sheet: A4, ``landscape`` (portrait for narrow sheets), fitted to one
    page wide (as many pages down as it needs), rows ``title_rows`` (first, last) repeated at
    the top of every page, panes frozen at ``freeze`` (e.g. ``"C3"``), ``header`` centred at
    the top of every page, ``footer`` bottom left and "Trang n/m" bottom right."""
    ps = ws.page_setup
    ps.orientation = "landscape" if landscape else "portrait"
    ps.paperSize = ws.PAPERSIZE_A4
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    m = ws.page_margins
    m.left = m.right = 0.4
    m.top = m.bottom = 0.6
    m.header = m.footer = 0.25
    if title_rows is not None:
        ws.print_title_rows = f"{title_rows[0]}:{title_rows[1]}"
    if freeze is not None:
        ws.freeze_panes = freeze
    size = f'&"{house_font_name()},Regular"&8 '
    if header:
        ws.oddHeader.center.text = size + _header_text(header)
    if footer:
        ws.oddFooter.left.text = size + _header_text(footer)
    ws.oddFooter.right.text = size + "Trang &P/&N"


# ------------------------------------------------------------------ fonts and heights on save
def use_house_font(ws: Worksheet) -> None:
    """Every written cell in the house font, keeping its size, weight, slant and colour."""
    name = house_font_name()
    for row in ws.iter_rows():
        for cell in row:
            if cell.font is not None and cell.font.name == name:
                continue
            if cell.value is None and not cell.has_style:
                continue
            f = copy(cell.font) if cell.font is not None else house_font()
            f.name = name
            cell.font = f


def _column_points(ws: Worksheet, col: int) -> float:
    dim = ws.column_dimensions.get(get_column_letter(col))
    width = dim.width if dim is not None and dim.width else DEFAULT_COLUMN_WIDTH
    return column_points(width)


def _cell_height(cell: Cell, width_pt: float) -> float:
    size = float(cell.font.sz or BASE_SIZE) if cell.font is not None else float(BASE_SIZE)
    bold = bool(cell.font is not None and cell.font.b)
    if not isinstance(cell.value, str):  # numbers and dates never wrap
        return height_for_lines(1, size)
    text = cell.value
    al = cell.alignment
    rotation = (al.text_rotation or 0) if al is not None else 0
    wrap = bool(al is not None and al.wrap_text)
    if rotation in (90, 180):
        # the text runs up the cell: its lines stack across the column's width
        fit = max(1, int((width_pt - 2) // (LINE_PITCH * size)))
        if not wrap:
            return min(MAX_ROW_HEIGHT, text_width(text, size, bold) + CELL_PADDING)
        h = 24.0
        while h < MAX_ROW_HEIGHT and wrapped_lines(text, h - CELL_PADDING, size, bold) > fit:
            h += 6.0
        return min(h, MAX_ROW_HEIGHT)
    if not wrap:
        return height_for_lines(text.count("\n") + 1, size)
    return height_for_lines(wrapped_lines(text, width_pt - CELL_PADDING, size, bold), size)


def fit_row_heights(ws: Worksheet, first_row: int = 1, last_row: int | None = None) -> None:
    """Give each row of ``first_row..last_row`` the height its tallest cell needs (wrapped text
    measured in the house font against its column's width, or its merged range's width); a
    larger height the writer set stays. Cells merged over several rows are left as they are."""
    last_row = last_row or ws.max_row
    spans: dict[tuple[int, int], float] = {}
    skip: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        c1, r1, c2, r2 = range_boundaries(str(rng))
        if r1 != r2:
            skip.add((r1, c1))
            continue
        spans[(r1, c1)] = sum(_column_points(ws, c) for c in range(c1, c2 + 1))
    for row in ws.iter_rows(min_row=first_row, max_row=last_row):
        need = 0.0
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in skip:
                continue
            width = spans.get((cell.row, cell.column)) or _column_points(ws, cell.column)
            need = max(need, _cell_height(cell, width))
        r = row[0].row
        current = ws.row_dimensions[r].height
        if need <= (current or DEFAULT_ROW_HEIGHT):
            continue
        if current is None or current < need:
            ws.row_dimensions[r].height = min(round(need, 1), MAX_ROW_HEIGHT)


def save_workbook(wb: Workbook, path: str | Path) -> Path:
    """Save ``wb`` to ``path`` atomically (a temporary file renamed into place), after giving
    every cell the house font and every row the height its wrapped text needs."""
    for ws in wb.worksheets:
        use_house_font(ws)
        fit_row_heights(ws)
    with atomic_target(path) as tmp:
        wb.save(tmp)
    return Path(path)
