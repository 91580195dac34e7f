"""The xlsx case file: one district's cases with Vietnamese headers, Excel date cells and fake
personal data, saved with fixed properties and zip entry dates (same seed, same bytes)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from scorecard.demo.cases import APPLICANT_ID
from scorecard.demo.constants import (
    BOOL_COLUMNS,
    CASE_COLUMNS,
    FILE_DATE,
    PII_HEADERS,
    TS_COLUMNS,
    VI_BOOL,
    VI_CHANNEL,
    VI_HEADERS,
    VI_RATING,
    VI_STATUS,
)

if TYPE_CHECKING:
    from openpyxl import Workbook


# fake personal data for the xlsx export
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
             "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Hoài", "Kim")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương",
          "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phương", "Quân", "Sơn", "Tâm",
          "Thảo", "Trang", "Tuấn", "Vân", "Yến")


def _ascii(text: str) -> str:
    """Vietnamese text without diacritics (for fake e-mail addresses)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _fake_person(rng: np.random.Generator, place: str) -> list[str]:
    s, m, g = (x[rng.integers(len(x))] for x in (_SURNAMES, _MIDDLE, _GIVEN))
    name = f"{s} {m} {g}"
    mail = _ascii(f"{g}.{s}{rng.integers(10, 99)}".lower()) + "@example.com"
    return [name, f"0{rng.integers(10**10, 10**11 - 1)}", f"09{rng.integers(10**7, 10**8 - 1)}",
            f"Số {rng.integers(1, 300)}, Tổ {rng.integers(1, 20)}, {place}", mail]


def _write_cases_xlsx(path: Path, parts: list[pa.Table],
                      planted: tuple[list[tuple[dict, dict]], np.ndarray] | None,
                      rng: np.random.Generator, unit_names: dict[str, str]) -> None:
    """One district's cases with Vietnamese headers, Excel date cells and fake personal data."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Danh sách hồ sơ")
    headers = [VI_HEADERS["case_id"], *PII_HEADERS] + [VI_HEADERS[c] for c in CASE_COLUMNS[1:]]
    ws.append(headers)
    vi = {"status": VI_STATUS, "channel": VI_CHANNEL, "rating": VI_RATING}

    def cells(row: dict) -> list:
        person = _fake_person(rng, unit_names.get(row["unit_id"], ""))
        if row.get(APPLICANT_ID):  # the ID the case's applicant_key was computed from
            person[1] = row[APPLICANT_ID]
        out: list = [row["case_id"], *person]
        for c in CASE_COLUMNS[1:]:
            v = row[c]
            if c in TS_COLUMNS and v is not None:
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "dd/mm/yyyy hh:mm"
                v = cell
            elif c in BOOL_COLUMNS:
                v = VI_BOOL[bool(v)]
            elif c in vi and v is not None:
                v = vi[c].get(v, v)
            out.append(v)
        return out

    first = True
    for part in parts:
        rows = part.to_pylist()
        if first and planted:
            extra, positions = planted
            for j in np.argsort(-positions, kind="stable"):
                rows.insert(int(positions[j]), extra[j][0])
        first = False
        for row in rows:
            ws.append(cells(row))
    wb.properties.creator = "scorecard demo-data"
    wb.properties.title = "Danh sách hồ sơ TTHC (DỮ LIỆU MẪU)"
    buf = io.BytesIO()
    wb.save(buf)
    _stable_zip(buf.getvalue(), path, wb)


def _stable_zip(data: bytes, path: Path, wb: Workbook) -> None:
    """Rewrite an xlsx with fixed core properties and fixed zip entry dates (same bytes)."""
    from openpyxl.xml.functions import tostring

    wb.properties.created = FILE_DATE
    wb.properties.modified = FILE_DATE
    core = tostring(wb.properties.to_tree())
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=FILE_DATE.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, content)
