"""Reading the task tables of the five seed plans straight from their texts (test helper).

Each seed prints its table differently: Ban Dân tộc 2024 (000), Thừa Thiên Huế 2022 (003) and
Long Thành 2024 (004) as tab-separated lines (003 and 004 with page breaks that split cells over
several lines, 004 with two content columns), Bắc Giang 2025 (001) one cell per line, Bắc Ninh
2021 (002) in prose. :func:`read_task_table` returns every row the same way, in order, so a test
can hold a register against the seed: same rows, same words, nothing added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from scorecard.config import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "params" / "plans" / "sources"

_TAG = re.compile(r"<[^>]+>")
_NUMBER = re.compile(r"^(?:[IVX]+|\d+(?:\.\d+)*\.?|-)$")
_FUSED_HEADING = re.compile(r"^([IVX]+|\d+(?:\.\d+)*\.?)\s+(\S.*)$")


def norm(text: str) -> str:
    """Cell text as compared: no HTML tags or bold marks, single spaces, trimmed."""
    return re.sub(r"\s+", " ", _TAG.sub(" ", text.replace("**", ""))).strip()


@dataclass
class SeedRow:
    """One row of a seed's task table. ``heading`` rows carry only a number and a title."""

    number: str
    text: str
    heading: bool = False
    objective: str = ""
    lead: str = ""
    support: str = ""
    deadline: str = ""
    product: str = ""
    details: list[str] = field(default_factory=list)
    title: str = ""  # a section title printed in the same row as the task (001 III.6)


def seed_text(seed: str) -> str:
    (path,) = sorted(Path(SEEDS).glob(f"{seed}_*.txt"))
    return path.read_text(encoding="utf-8")


def _tab_lines(text: str, start: str) -> list[list[str]]:
    body = text[text.index(start):]
    return [[norm(c) for c in line.split("\t")] for line in body.splitlines() if "\t" in line]


def _is_heading(cells: list[str]) -> bool:
    return not any(cells[2:])


# ------------------------------------------------------------------ 000 Ban Dân tộc 2024
def _read_000(text: str) -> list[SeedRow]:
    rows = []
    for cells in _tab_lines(text, "TT\tNỘI DUNG CÔNG VIỆC")[1:]:
        num, body, lead, support, deadline, product = cells
        if _is_heading(cells):
            rows.append(SeedRow(num, body, heading=True))
        else:
            rows.append(SeedRow(num, body, lead=lead, support=support, deadline=deadline,
                                product=product))
    return rows


# ------------------------------------------------------------------ 001 Bắc Giang 2025
def _read_001(text: str) -> list[SeedRow]:
    body = text[text.index("DỰ KIẾN SẢN PHẨM\n"):].splitlines()[1:]
    groups: list[tuple[str, list[str]]] = []
    for line in (x.strip() for x in body):
        if not line:
            continue
        if line.startswith("[1]"):
            break
        if _NUMBER.match(line) and line != "-":
            groups.append((line, []))
            continue
        cells = groups[-1][1]
        # a cell printed as a list ("- Sở Nội vụ" / "- Văn phòng UBND tỉnh") spans lines
        if line.startswith("- ") and cells and cells[-1].startswith("- "):
            cells[-1] += " " + line
        else:
            cells.append(line)
    rows = []
    for num, cells in groups:
        if len(cells) == 1:
            rows.append(SeedRow(num, cells[0], heading=True))
        elif len(cells) == 5:
            t, lead, support, deadline, product = cells
            rows.append(SeedRow(num, t, lead=lead, support=support, deadline=deadline,
                                product=product))
        elif len(cells) == 6:  # a section title and its one task in the same row
            title, t, lead, support, deadline, product = cells
            rows.append(SeedRow(num, t, lead=lead, support=support, deadline=deadline,
                                product=product, title=title))
        elif len(cells) == 4:  # the deadline cell is empty (II.3.7): text, lead, support, product
            t, lead, support, product = cells
            rows.append(SeedRow(num, t, lead=lead, support=support, product=product))
        else:  # pragma: no cover - the seed has no other shape
            raise AssertionError(f"001: row {num} has {len(cells)} cells: {cells}")
    return rows


# ------------------------------------------------------------------ 002 Bắc Ninh 2021 (prose)
_ROLE = re.compile(r"^- (Cơ quan chủ trì|Cơ quan phối hợp|Thời gian thực hiện):\s*(.*)$")


def _read_002(text: str) -> list[SeedRow]:
    body = text[text.index("II. NỘI DUNG\n"):text.index("III. TỔ CHỨC THỰC HIỆN")]
    rows: list[SeedRow] = []
    deadline_lines: list[str] | None = None
    for line in (x.strip() for x in body.splitlines()[1:]):
        if not line:
            continue
        if m := re.match(r"^(\d+)\. (.*)$", line):
            rows.append(SeedRow(m[1], m[2]))
            deadline_lines = None
        elif m := _ROLE.match(line):
            key = {"Cơ quan chủ trì": "lead", "Cơ quan phối hợp": "support",
                   "Thời gian thực hiện": "deadline"}[m[1]]
            setattr(rows[-1], key, m[2])
            deadline_lines = [] if key == "deadline" and not m[2] else None
        elif deadline_lines is not None:  # "Thời gian thực hiện:" followed by its stages
            deadline_lines.append(line)
            rows[-1].deadline = " ".join(deadline_lines)
        else:
            rows[-1].details.append(line.removeprefix("- "))
    return [SeedRow("", "NỘI DUNG", heading=True), *rows]


# ------------------------------------------------------------------ 003 Thừa Thiên Huế 2022
def _continues(cells: list[str]) -> bool:
    """A line of a cell broken by a page: a cell of it goes on in lower case."""
    return any(c and c[0].islower() for c in cells)


def _read_003(text: str) -> list[SeedRow]:
    lines = _tab_lines(text, "Số TT\tNội dung nhiệm vụ")[1:]
    merged: list[list[str]] = []
    for cells in lines:
        cells = (cells + [""] * 6)[:6]
        if merged and not cells[0] and _continues(cells):
            merged[-1] = [norm(f"{a} {b}") for a, b in zip(merged[-1], cells, strict=True)]
        else:
            merged.append(cells)
    rows = []
    for cells in merged:
        num, body, lead, support, product, deadline = cells
        if _is_heading(cells):
            m = _FUSED_HEADING.match(num)
            rows.append(SeedRow(m[1], m[2], heading=True) if m else SeedRow(num, body, heading=True))
        else:
            rows.append(SeedRow(num, body, lead=lead, support=support, deadline=deadline,
                                product=product))
    return rows


# ------------------------------------------------------------------ 004 Long Thành 2024
def _read_004(text: str) -> list[SeedRow]:
    rows = []
    for cells in _tab_lines(text, "Stt\tNội dung thực hiện"):
        if cells[0] == "Stt" or cells[1] == "Mục tiêu":
            continue  # the header repeated on every page
        cells = (cells + [""] * 7)[:7]
        if not any(cells[2:]):
            rows.append(SeedRow(cells[0], cells[1], heading=True))
            continue
        if not cells[6] and all(cells[1:6]):  # content printed across both content columns
            num, body, product, lead, support, deadline, _ = cells
            rows.append(SeedRow(num, body, lead=lead, support=support, deadline=deadline,
                                product=product))
            continue
        num, objective, task, product, lead, support, deadline = cells
        if not task:  # the objective cell holds the task
            objective, task = "", objective
        rows.append(SeedRow(num, task, objective=objective, lead=lead, support=support,
                            deadline=deadline, product=product))
    return rows


READERS = {"000": _read_000, "001": _read_001, "002": _read_002, "003": _read_003,
           "004": _read_004}


def read_task_table(seed: str) -> list[SeedRow]:
    """Every row (headings and tasks) of the seed's task table, in printed order."""
    return READERS[seed](seed_text(seed))
