"""Readers: formats, Vietnamese headers and values, dates, personal data."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from scorecard import readers


def _one_chunk(path: Path, kind: str | None = None) -> tuple[readers.FileLayout, readers.Chunk]:
    lay, chunks = readers.read_chunks(path, kind)
    (chunk,) = list(chunks)
    return lay, chunk


def test_vietnamese_headers_values_and_pii(tmp_path: Path) -> None:
    p = tmp_path / "export.csv"
    p.write_text(
        "Mã hồ sơ,MÃ ĐƠN VỊ,ma thu tuc,Ngày  tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái,"
        "Kênh tiếp nhận,Số hóa,Họ và tên,Số CCCD,Điện thoại,Địa chỉ,Email,Ghi chú\n"
        "H1,X1,1.001,03/02/2025 08:30,10/02/2025,07/02/2025 16:00,Đã giải quyết,Trực tuyến,Có,"
        "Nguyễn Văn A,001,0901,Hà Nội,a@b.vn,xyz\n",
        encoding="utf-8",
    )
    lay, chunk = _one_chunk(p)
    assert lay.kind == "cases"  # from the headers: the name says nothing
    assert lay.dropped_pii == ["Họ và tên", "Số CCCD", "Điện thoại", "Địa chỉ", "Email"]
    assert lay.ignored == ["Ghi chú"]
    row = chunk.frame.iloc[0]
    assert row["case_id"] == "H1" and row["unit_id"] == "X1"
    assert row["received_at"] == pd.Timestamp("2025-02-03 08:30")
    assert row["due_at"] == pd.Timestamp("2025-02-10 00:00")
    assert row["status"] == "resolved" and row["channel"] == "online"
    assert bool(row["digitized"]) is True
    assert pd.isna(row["e_result"])  # column absent -> unknown, not False
    assert row["supplement_requests"] == 0  # absent count of requests -> 0
    assert row["_row"] == 2
    for pii in ("Nguyễn Văn A", "0901", "a@b.vn"):
        assert not chunk.frame.astype(str).apply(lambda c, v=pii: c.str.contains(v)).any().any()


def test_utc_timestamp_falls_on_next_local_day(tmp_path: Path) -> None:
    # 2025-03-31T18:30Z is 01:30 on 1 April in Asia/Ho_Chi_Minh (UTC+7)
    p = tmp_path / "feedback.csv"
    p.write_text("feedback_id,unit_id,received_at,due_at,resolved_at,satisfied\n"
                 "F1,X1,2025-03-31T18:30:00Z,2025-04-05T00:00:00+07:00,,\n", encoding="utf-8")
    _, chunk = _one_chunk(p)
    assert chunk.frame.loc[0, "received_at"] == pd.Timestamp("2025-04-01 01:30")
    assert chunk.frame.loc[0, "due_at"] == pd.Timestamp("2025-04-05 00:00")
    assert pd.isna(chunk.frame.loc[0, "satisfied"])


def test_parse_issues_name_row_column_value(tmp_path: Path) -> None:
    p = tmp_path / "cases.csv"
    p.write_text(
        "case_id,unit_id,procedure_id,received_at,due_at,resolved_at,status,channel,digitized\n"
        "A,X1,1.001,2025-02-03,2025-02-10,,pending,online,true\n"
        "B,X1,1.001,31/02/2025,2025-02-10,,đang xử lý,fax,maybe\n",
        encoding="utf-8",
    )
    _, chunk = _one_chunk(p)
    got = {(i.row, i.column, i.value) for i in chunk.issues}
    assert got == {(3, "received_at", "31/02/2025"), (3, "channel", "fax"),
                   (3, "digitized", "maybe")}
    assert chunk.frame.loc[1, "status"] == "pending"  # Vietnamese word accepted


def test_excel_date_cells_and_row_numbers(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["Mã hồ sơ", "Mã đơn vị", "Mã thủ tục", "Ngày tiếp nhận", "Ngày hẹn trả",
               "Ngày có kết quả", "Trạng thái", "Kênh tiếp nhận", "Phiếu xin lỗi", "Số CCCD"])
    ws.append(["E1", "X1", 1.001, datetime(2025, 2, 3, 8, 0), datetime(2025, 2, 10),
               None, "Đang giải quyết", "Bưu chính", "Không", "0123"])
    ws.append([None] * 10)  # blank spacer row: skipped, numbering keeps sheet rows
    ws.append(["E2", "X1", "1.002", "03/02/2025", "10/02/2025", "12/02/2025",
               "Đã giải quyết", "Trực tiếp", 1, "0456"])
    p = tmp_path / "cases_x1.xlsx"
    wb.save(p)
    lay, chunk = _one_chunk(p)
    f = chunk.frame
    assert lay.dropped_pii == ["Số CCCD"]
    assert list(f["_row"]) == [2, 4]
    assert list(f["procedure_id"]) == ["1.001", "1.002"]
    assert f.loc[0, "received_at"] == pd.Timestamp("2025-02-03 08:00")
    assert f.loc[1, "resolved_at"] == pd.Timestamp("2025-02-12")
    assert list(f["channel"]) == ["postal", "direct"]
    assert list(f["apology_issued"]) == [False, True]


def test_parquet_with_zone_aware_timestamps(tmp_path: Path) -> None:
    frame = pd.DataFrame({
        "feedback_id": ["F1"], "unit_id": ["X1"],
        "received_at": pd.to_datetime(["2025-03-31 18:30"]).tz_localize("UTC"),
        "due_at": pd.to_datetime(["2025-04-05 08:00"]),
        "resolved_at": pd.to_datetime([None]), "satisfied": [True],
    })
    p = tmp_path / "pakn.parquet"
    frame.to_parquet(p)
    lay, chunk = _one_chunk(p)
    assert lay.kind == "feedback"
    assert chunk.frame.loc[0, "received_at"] == pd.Timestamp("2025-04-01 01:30")
    assert chunk.frame.loc[0, "_row"] == 1


def test_unreadable_files_name_the_file(tmp_path: Path) -> None:
    p = tmp_path / "cases.csv"
    p.write_bytes("case_id,unit_id\nA,B\n".encode("utf-16"))
    with pytest.raises(readers.ReadError, match="cases.csv"):
        readers.read_chunks(p)
    q = tmp_path / "units.csv"
    q.write_text("code,label\n1,2\n", encoding="utf-8")
    with pytest.raises(readers.ReadError, match=r"units.csv: not a units file: missing column\(s\) unit_id"):
        readers.read_chunks(q)
    r = tmp_path / "notes.ods"
    r.write_text("x")
    with pytest.raises(readers.ReadError, match="unsupported format"):
        readers.read_chunks(r)


def test_header_matching_ignores_case_accents_spacing() -> None:
    assert readers.norm("  Ngày Hẹn  Trả ") == readers.norm("ngay hen tra") == "ngayhentra"
    assert readers.kind_from_headers(["Mã đơn vị", "Tên", "Cấp"]) == "units"
    assert readers.kind_from_name(Path("unit_procedures_2025.csv")) == "unit_procedures"
