"""The last section of a report: the data quality behind it (Vietnamese sentences, a table)."""

from __future__ import annotations

import pandas as pd

from scorecard.reasons import reason_vi
from scorecard.report.format import fmt_int
from scorecard.scorecard_data.unit import UnitReport


def quality_notes(rep: UnitReport) -> list[str]:
    """Sentences on the data quality behind this report (Vietnamese)."""
    q = rep.quality
    log = q["load_log"]
    notes = [
        f"Kho dữ liệu gồm {fmt_int(len(log))} lần nạp tệp: đọc {fmt_int(log['rows_read'].sum())} "
        f"dòng, nhận {fmt_int(log['rows_accepted'].sum())}, loại "
        f"{fmt_int(log['rows_rejected'].sum())} dòng không hợp lệ (toàn kho)."
    ]
    ru = q["rejects_for_unit"]
    if len(ru):
        notes.append(f"Có {fmt_int(ru['rows'].sum())} dòng bị loại ghi mã đơn vị này "
                     "(chi tiết ở bảng dưới).")
    else:
        notes.append("Không có dòng bị loại nào ghi mã đơn vị này.")
    if q["form06_only"]:
        notes.append("Số liệu của " + ", ".join(q["form06_only"]) + " lấy từ Biểu 06 (không có "
                     "dữ liệu hồ sơ chi tiết trong kỳ).")
    ov = q["form06_overlap"]
    for r in ov.to_dict("records"):
        notes.append(
            f"{r['unit_id']}: có cả Biểu 06 và dữ liệu hồ sơ cho kỳ {r['period']}; dùng dữ liệu hồ "
            f"sơ (tiếp nhận {fmt_int(r['received_cases'])} so với {fmt_int(r['received_form06'])}"
            f" trên Biểu 06; giải quyết {fmt_int(r['resolved_cases'])} so với "
            f"{fmt_int(r['resolved_form06'])}).")
    return notes


def rejects_table(rep: UnitReport, top: int = 8) -> pd.DataFrame:
    """The most frequent reasons for rejected rows: this unit's if any, else the store's."""
    ru = rep.quality["rejects_for_unit"]
    src = ru if len(ru) else rep.quality["rejects_by_reason"]
    src = src.head(top)
    return pd.DataFrame({"Tệp": list(src["file"]),
                         "Lý do": [reason_vi(r) for r in src["reason"]],
                         "Số dòng": [fmt_int(v) for v in src["rows"]]})
