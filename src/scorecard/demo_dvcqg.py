"""Demo cases in the national portal's dossier format (DVCQG), for the DVCQG source (issue 16).

:class:`DvcqgWriter` turns typed demo case tables (``demo.CASE_SCHEMA``, as
:func:`scorecard.demo.case_chunks` yields them) into DVCQG records, one JSON object per case, as
JSON Lines or one JSON array. What it adds has its own random stream (``seed``, stream 8), so the
values the CSV files get never change:

- ``TrangThaiHoSo``: pending → 4 Đang xử lý (some 2 Được tiếp nhận, 6 Yêu cầu thực hiện nghĩa vụ
  tài chính; 5 Yêu cầu bổ sung giấy tờ when the last supplement request is not answered yet),
  resolved → 10 Đã trả kết quả (``NgayTra`` on or after ``NgayKetThucXuLy``) or 9 Đã xử lý xong
  (no ``NgayTra`` yet), withdrawn → 7, refused → 8; ``NgayKetThucXuLy`` = the finish time;
- ``DanhSachHoSoBoSung``: as many requests as ``supplement_requests``, the last one made at the
  case's ``supplement_requested_at`` (one source of truth for the demo's supplement dates: the
  leads' planting, :mod:`scorecard.demo_leads`), the earlier ones between reception and it, each
  requested after the previous one came back; the last answer comes before the finish (or the
  end of the data); a pending case's last request may still be waiting for the citizen;
- fees (``Gia`` > 0 exactly when ``fee_required``; some fee-free cases list a zero item), payment
  (1 or 2 when ``paid_online``, else 0), result documents (a file link exactly when
  ``e_result``), fake personal fields (dropped by the reader), the applicant's made-up ID number
  ``SoDinhDanh`` (the one the case's ``applicant_key`` was computed from under the demo key, so a
  load with the demo key gives the same pseudonym) and the ready-made pseudonym
  ``MaBiDanhNguoiNop`` (used when no key is configured), and the attributes the portal's format
  lacks (``SoHoa``, ``TaiSuDungDuLieu``, ``CoPhieuXinLoi``, ``MucDoHaiLong``,
  ``SuDungDuLieuDanCu``, ``ChiaSeKhoDuLieuCaNhan``) so the file carries everything the CSV does.

Read back with the ``dvcqg`` profile, the rows equal the CSV rows of the same cases, and the
supplement history (which only this format carries) agrees with them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa

from scorecard.fields import FIELD_NAMES

#: Random stream of this export (demo streams 1-7 are the CSV data's).
STREAM = 8
CHANNEL_CODES = {"direct": 1, "online": 2, "postal": 3}
FINISHED_CODES = {"withdrawn": 7, "refused": 8}
RATING_WORDS = {"very_satisfied": "Rất hài lòng", "satisfied": "Hài lòng",
                "dissatisfied": "Không hài lòng"}
FEE_AMOUNTS = np.array([15_000, 20_000, 25_000, 50_000, 100_000, 200_000, 500_000])
_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hoa", "Hùng", "Lan")
_FORMAT = "%Y%m%d%H%M%S"


def _stamp(value: datetime | None) -> str:
    return "" if value is None else value.strftime(_FORMAT)


class DvcqgWriter:
    """Writes demo cases as DVCQG records (``layout``: ``lines`` = JSON Lines, ``array``)."""

    def __init__(self, path: Path, units: dict[str, str], procedures: dict[str, tuple[str, str]],
                 seed: int, *, data_end: datetime, layout: Literal["lines", "array"] = "lines",
                 unit_code: bool = False) -> None:
        self.path = Path(path)
        self.units = units                # unit_id -> name (DonViXuLy)
        self.procedures = procedures      # procedure_id -> (name, field code)
        self.rng = np.random.default_rng([seed, STREAM])
        self.data_end = data_end
        self.layout = layout
        self.unit_code = unit_code
        self.rows = 0
        self._fh: io.TextIOWrapper = open(self.path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        if layout == "array":
            self._fh.write("[\n")

    def write(self, table: pa.Table, applicant_ids: Sequence[str]) -> None:
        """Append the cases of ``table`` (``demo.CASE_SCHEMA`` columns) and the applicants'
        made-up ID numbers (one per row)."""
        rows = table.to_pylist()
        n = len(rows)
        if n == 0:
            return
        kmax = max(1, max(int(r["supplement_requests"] or 0) for r in rows))
        draws = self.rng.random((n, 8))
        points = np.sort(self.rng.random((n, 2 * kmax)), axis=1)
        fee_pick = self.rng.integers(len(FEE_AMOUNTS), size=n)
        person = self.rng.integers(0, 10**9, size=(n, 5))
        back_minutes = self.rng.integers(0, 3 * 1440, size=n)
        lines = []
        for i, row in enumerate(rows):
            rec = self._record(row, draws[i], points[i], int(FEE_AMOUNTS[fee_pick[i]]),
                               person[i], int(back_minutes[i]), str(applicant_ids[i]))
            lines.append(json.dumps(rec, ensure_ascii=False))
        sep = ",\n" if self.layout == "array" else "\n"
        if self.layout == "array" and self.rows:
            self._fh.write(",\n")
        self._fh.write(sep.join(lines) + ("" if self.layout == "array" else "\n"))
        self.rows += n

    def close(self) -> int:
        """Finish the file; the number of records written."""
        if self.layout == "array":
            self._fh.write("\n]\n")
        self._fh.close()
        return self.rows

    # ------------------------------------------------------------ one record
    def _record(self, row: dict, u: np.ndarray, points: np.ndarray, fee: int,
                person: np.ndarray, back: int, applicant_id: str) -> dict:
        case_id, status = row["case_id"], row["status"]
        received, finish = row["received_at"], row["resolved_at"]
        proc_name, field = self.procedures.get(row["procedure_id"], ("", ""))
        supplements, waiting = self._supplements(row, u, points)
        if status == "pending":
            code = 5 if waiting else (2 if u[0] < 0.1 else (6 if u[0] < 0.15 else 4))
            ended, returned = "", ""
        elif status == "resolved":
            done = u[0] < 0.3  # processed, not handed back yet
            code = 9 if done else 10
            ended = _stamp(finish)
            returned = "" if done else _stamp(finish + timedelta(minutes=back))
        else:
            code, ended = FINISHED_CODES[status], _stamp(finish)
            returned = ""
        submitted = received
        if row["channel"] == "online":
            submitted = received - timedelta(minutes=int(u[1] * 600))
        rec: dict = {
            "MaHoSo": case_id, "MaTTHC": row["procedure_id"], "TenTTHC": proc_name,
            "MaLinhVuc": field, "TenLinhVuc": FIELD_NAMES.get(field, field),
            "KenhThucHien": CHANNEL_CODES[row["channel"]],
            "ChuHoSo": f"{_SURNAMES[person[0] % 10]} {_MIDDLE[person[1] % 8]} "
                       f"{_GIVEN[person[2] % 12]}",
            "SoDinhDanh": applicant_id, "SoDienThoai": f"09{person[4] % 10**8:08d}",
            "Email": f"congdan{person[4] % 10**6}@example.com",
            "DiaChi": f"Số {person[0] % 300 + 1}, {self.units.get(row['unit_id'], '')}",
            "MaDoiTuong": "CONG_DAN",
            "NgayNopHoSo": _stamp(submitted), "NgayTiepNhan": _stamp(received),
            "NgayHenTra": _stamp(row["due_at"]), "NgayKetThucXuLy": ended, "NgayTra": returned,
            "TrangThaiHoSo": code, "DonViXuLy": self.units.get(row["unit_id"], ""),
            "DuocThanhToanTrucTuyen": (1 if u[2] < 0.7 else 2) if row["paid_online"] else 0,
            "DanhSachLePhi": self._fees(row, fee, u),
            "DanhSachGiayToKetQua": self._results(row, case_id),
            "DanhSachHoSoBoSung": supplements,
            "SoHoa": int(bool(row["digitized"])), "TaiSuDungDuLieu": int(bool(row["reused_data"])),
            "CoPhieuXinLoi": int(bool(row["apology_issued"])),
            "MucDoHaiLong": RATING_WORDS.get(row["rating"] or "", ""),
            "SuDungDuLieuDanCu": _flag(row["citizen_data_used"]),
            "ChiaSeKhoDuLieuCaNhan": _flag(row["personal_storage_synced"]),
            "MaBiDanhNguoiNop": row["applicant_key"] or "",
        }
        if self.unit_code:
            rec["MaDonViXuLy"] = row["unit_id"]
        return rec

    @staticmethod
    def _fees(row: dict, fee: int, u: np.ndarray) -> list[dict]:
        if row["fee_required"]:
            return [{"TenPhiLePhi": "Lệ phí giải quyết thủ tục", "MaPhiLePhi": "LEPHI",
                     "HinhThucThu": 1, "Gia": fee, "LoaiPhiLePhi": 1}]
        if u[3] < 0.2:  # listed, but waived: no fee owed
            return [{"TenPhiLePhi": "Phí (miễn)", "MaPhiLePhi": "PHI", "HinhThucThu": 1,
                     "Gia": 0, "LoaiPhiLePhi": 2}]
        return []

    @staticmethod
    def _results(row: dict, case_id: str) -> list[dict]:
        if row["status"] != "resolved":
            return []
        link = (f"https://dichvucong.example.invalid/ketqua/{case_id}.pdf"
                if row["e_result"] else "")
        return [{"TenGiayTo": "Kết quả giải quyết thủ tục hành chính", "MaThanhPhanHoSo": "KQ",
                 "GiayToId": f"{case_id}-KQ", "DuongDanTepTinKetQua": link}]

    def _supplements(self, row: dict, u: np.ndarray, points: np.ndarray) -> tuple[list[dict], bool]:
        """The history and whether its last request still waits for the citizen. The last
        request is the case's ``supplement_requested_at``; earlier ones and every answer are
        placed by ``points`` (sorted uniform draws) between reception and it, the last answer
        between it and the finish (or the end of the data)."""
        k = int(row["supplement_requests"] or 0)
        if k == 0:
            return [], False
        start = row["received_at"]
        end = row["resolved_at"] or self.data_end
        last = row["supplement_requested_at"] or start + (end - start) / 2
        span = max(int((last - start).total_seconds() // 60), 0)
        earlier = [start + timedelta(minutes=int(p * span)) for p in points[: 2 * (k - 1)]]
        asked = [*earlier[0::2], last]
        open_ended = row["status"] == "pending" and (u[4] < 0.5 or last >= self.data_end)
        tail = max(int((end - last).total_seconds() // 60), 0)
        answers = [*earlier[1::2],
                   None if open_ended else last + timedelta(minutes=int(points[-1] * tail))]
        due = row["due_at"]
        out = []
        for j in range(k):
            back = answers[j]
            new_due = None if back is None else due + (back - asked[j])
            out.append({
                "HoSoBoSungId": f"{row['case_id']}-BS{j + 1}",
                "NoiDungBoSung": "Bổ sung giấy tờ còn thiếu",
                "NgayBoSung": _stamp(asked[j]),
                "NgayTiepNhanBoSung": _stamp(back),
                "NgayHenTraTruoc": _stamp(due), "NgayHenTraMoi": _stamp(new_due),
                "TrangThaiBoSung": 1 if back is None else 2,
            })
            if new_due is not None:
                due = new_due
        return out, open_ended


def _flag(value: object) -> int | str:
    """A yes/no attribute as 1/0; '' when unknown."""
    return "" if value is None else int(bool(value))
