"""What a workbook looks like on paper: convert it to PDF with LibreOffice and read the pages
back (pypdf): page count and size, the fonts embedded, the text of each page, and where each
line of text was drawn (to find text printed over other text)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.real_tools import run_libreoffice

#: A4 in PDF points (width, height), portrait.
A4 = (595.3, 841.9)


@dataclass(frozen=True)
class Run:
    """One line of text as drawn: page, left x and baseline y (points), font size."""

    page: int
    x: float
    y: float
    size: float
    text: str
    upright: bool = True  # False for text drawn rotated (column headers read bottom to top)


@dataclass
class Printed:
    pages: int
    sizes: list[tuple[float, float]]
    fonts: set[str]
    texts: list[str]
    runs: list[Run]

    def landscape(self, page: int) -> bool:
        w, h = self.sizes[page]
        return w > h


def to_pdf(xlsx: Path, tmp: Path) -> Path:
    """``xlsx`` converted by LibreOffice headless; returns the PDF's path."""
    out = tmp / f"pdf-{xlsx.stem}"
    run_libreoffice(["--convert-to", "pdf", "--outdir", str(out), str(xlsx)], tmp)
    return out / f"{xlsx.stem}.pdf"


def read_pdf(pdf: Path) -> Printed:
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    sizes, fonts, texts, runs = [], set(), [], []
    for n, page in enumerate(reader.pages):
        sizes.append((round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)))
        for font in (page["/Resources"].get("/Font") or {}).values():
            name = str(font.get_object()["/BaseFont"])
            fonts.add(name.split("+", 1)[-1])  # the subset prefix ("BAAAAA+") dropped

        def visit(text, cm, tm, _font, size, n=n):  # type: ignore[no-untyped-def]
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = (abs(tm[3] * cm[3]) or abs(tm[1] * cm[2])) or 1.0
                upright = abs(tm[1]) < 1e-6 and abs(tm[2]) < 1e-6 and abs(cm[1]) < 1e-6
                runs.append(Run(n, round(x, 1), round(y, 1), size * scale, text.strip(),
                                upright))

        texts.append(page.extract_text(visitor_text=visit))
    return Printed(len(reader.pages), sizes, fonts, texts, runs)


def print_workbook(xlsx: Path, tmp: Path) -> Printed:
    return read_pdf(to_pdf(xlsx, tmp))


def overprinted(printed: Printed) -> list[tuple[Run, Run]]:
    """Pairs of text lines drawn at the same left edge less than a line apart on one page:
    the mark of a wrapped cell whose row is too low for its lines (the last line then prints
    over the first line of the next row)."""
    out = []
    by_column: dict[tuple[int, float], list[Run]] = {}
    for run in (r for r in printed.runs if r.upright):
        by_column.setdefault((run.page, run.x), []).append(run)
    for column in by_column.values():
        column.sort(key=lambda r: -r.y)
        for upper, lower in zip(column, column[1:], strict=False):
            if upper.y - lower.y < 0.9 * min(upper.size, lower.size):
                out.append((upper, lower))
    return out
