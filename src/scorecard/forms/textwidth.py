"""How wide a text prints in the workbooks' font, and how many lines it wraps to (pure).

Row heights of wrapped cells are set by the writer, not left to the reader's spreadsheet:
LibreOffice keeps a stored height and clips or overprints the lines that do not fit, so a
height too small prints a long unit name over the next row. The advance widths below are
DejaVu Sans's and DejaVu Sans Bold's (em fractions × 1000, read from the fonts' ``hmtx`` tables for
U+0020–U+007E); a Vietnamese letter is as wide as its base letter (the fonts' precomposed
letters keep the base advance, except the few listed apart), and any other character counts as
1 em, so a text is never measured narrower than it prints. Wrapping follows spreadsheet rules:
break at spaces, a word longer than the line is cut.
"""

from __future__ import annotations

import math
import unicodedata

_ASCII_REGULAR = (
    "318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,"
    "636,636,636,636,337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,"
    "557,863,748,787,603,787,695,635,611,732,684,989,685,611,685,390,337,390,838,500,500,613,"
    "635,550,635,615,352,635,634,278,278,579,278,974,634,612,635,635,411,521,392,634,592,818,"
    "592,592,525,636,337,636,838")
_ASCII_BOLD = (
    "348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,"
    "696,696,696,696,400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,"
    "637,995,837,850,733,850,770,720,682,812,774,1103,771,724,725,457,365,457,838,500,500,675,"
    "716,593,716,678,435,716,712,343,343,665,343,1042,712,687,716,716,493,595,478,712,652,924,"
    "645,652,582,712,365,712,838")
_WIDTHS = {
    False: {chr(32 + i): int(w) / 1000 for i, w in enumerate(_ASCII_REGULAR.split(","))},
    True: {chr(32 + i): int(w) / 1000 for i, w in enumerate(_ASCII_BOLD.split(","))},
}
_WIDTHS[False].update({"ơ": .612, "ư": .634, "Ơ": .913, "Ư": .858, "đ": .635, "Đ": .775,
                       "–": .5, "—": 1.0, "…": 1.0, "−": .838})
_WIDTHS[True].update({"ơ": .687, "ư": .712, "Ơ": .874, "Ư": .835, "đ": .716, "Đ": .838,
                      "–": .5, "—": 1.0, "…": 1.0, "−": .838})

#: Line pitch of the font (ascent + descent, em): DejaVu Sans 0.928 + 0.236.
LINE_PITCH = 1.17
#: Points of one column-width unit when the workbook's default font is DejaVu Sans 10 pt
#: (the width of its digit zero; measured in LibreOffice's PDF output: width 10 = 63.5 pt).
POINTS_PER_WIDTH_UNIT = 6.35
#: Points a cell keeps free around its text (left + right).
CELL_PADDING = 6.0


def char_width(ch: str, bold: bool = False) -> float:
    """Advance width of one character in em."""
    table = _WIDTHS[bold]
    if ch in table:
        return table[ch]
    base = unicodedata.normalize("NFD", ch)[:1]
    return table.get(base, 1.0)


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` on one line, in points, at ``size`` points."""
    return sum(char_width(ch, bold) for ch in text) * size


def wrapped_lines(text: str, width_pt: float, size: float, bold: bool = False) -> int:
    """Lines ``text`` takes in a wrapping cell whose text area is ``width_pt`` points wide
    (line feeds start new lines; words wider than a line are cut)."""
    if width_pt <= 0:
        return max(1, len(str(text).split("\n")))
    total = 0
    space = char_width(" ", bold) * size
    for paragraph in str(text).split("\n"):
        lines, used = 1, 0.0
        for word in paragraph.split(" "):
            w = text_width(word, size, bold)
            if used == 0.0:
                if w > width_pt:  # a word longer than the line is cut over several lines
                    lines += math.ceil(w / width_pt) - 1
                    used = w - (math.ceil(w / width_pt) - 1) * width_pt
                else:
                    used = w
            elif used + space + w <= width_pt:
                used += space + w
            else:
                lines += 1
                if w > width_pt:
                    lines += math.ceil(w / width_pt) - 1
                    used = w - (math.ceil(w / width_pt) - 1) * width_pt
                else:
                    used = w
        total += lines
    return total


def column_points(width_units: float) -> float:
    """Points of a column ``width_units`` wide (openpyxl ``column_dimensions[..].width``)."""
    return width_units * POINTS_PER_WIDTH_UNIT


def height_for_lines(lines: int, size: float) -> float:
    """Row height in points that shows ``lines`` lines of ``size``-point text."""
    return round(lines * LINE_PITCH * size + 4.0, 1)
