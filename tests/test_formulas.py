"""Formula-like text stays text in CSV and workbooks; numbers stay numbers."""

from __future__ import annotations

import pandas as pd
from openpyxl import Workbook, load_workbook

from scorecard.forms.workbook import append_row, put, save_workbook
from scorecard.formulas import neutralise_frame, neutralise_text

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-1+2", "@SUM(A1)", "\tx", "\rx", "=1"]


def test_neutralise_text_prefixes_a_quote_to_formulas_only():
    for text in FORMULAS:
        assert neutralise_text(text) == "'" + text
    for text in ["Xã An", "<script>", "1+1", " =1", "'=1"]:
        assert neutralise_text(text) == text
    for number in ["-12", "+3", "-0,5", "-1.25e3", ".5"]:  # a plain number runs nothing
        assert neutralise_text(number) == number
    assert neutralise_text(-5) == -5 and neutralise_text(None) is None


def test_neutralise_frame_keeps_numeric_columns():
    df = pd.DataFrame({"name": ["=1+1", "Xã", None], "value": [-1.5, 0.0, 2.25],
                       "count": [-3, 0, 7], "mixed": [-2, "-2-2", 1.5]})
    out = neutralise_frame(df)
    assert out["name"].tolist()[:2] == ["'=1+1", "Xã"] and pd.isna(out["name"].iloc[2])
    assert out["value"].tolist() == [-1.5, 0.0, 2.25] and out["value"].dtype == "float64"
    assert out["count"].tolist() == [-3, 0, 7] and out["count"].dtype == "int64"
    assert out["mixed"].tolist() == [-2, "'-2-2", 1.5]
    assert df["name"].iloc[0] == "=1+1"  # the input is left alone
    assert out.to_csv(index=False).splitlines() == [
        "name,value,count,mixed", "'=1+1,-1.5,-3,-2", "Xã,0.0,0,'-2-2", ",2.25,7,1.5"]


def test_workbook_cells_keep_text_and_numbers(tmp_path):
    wb = Workbook()
    ws = wb.active
    assert append_row(ws, ["Tên", "Số"]) == 1
    for text in FORMULAS:
        append_row(ws, [text, -7])
    assert append_row(ws, []) == len(FORMULAS) + 2  # a blank row, as ws.append([]) gives
    assert append_row(ws, ["x\x01y\x1f", 1.5]) == len(FORMULAS) + 3
    put(ws, 20, 3, "=2+2")
    path = save_workbook(wb, tmp_path / "w.xlsx")
    back = load_workbook(path).active
    rows = list(back.iter_rows(min_row=2, max_row=len(FORMULAS) + 1))
    # XML turns a carriage return into a line feed on reading: the one change (still text)
    assert [r[0].value for r in rows] == [t.replace("\r", "\n") for t in FORMULAS]
    assert all(r[0].data_type == "s" and r[0].quotePrefix for r in rows)
    assert all(r[1].value == -7 and r[1].data_type == "n" for r in rows)
    assert back.cell(len(FORMULAS) + 3, 1).value == "x\ufffdy\ufffd"  # no XML control chars
    assert back["C20"].value == "=2+2" and back["C20"].data_type == "s"
    assert [p.name for p in tmp_path.iterdir()] == ["w.xlsx"]  # written atomically
