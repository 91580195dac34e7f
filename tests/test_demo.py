"""The synthetic demo province: determinism, structure, Biểu 06 identities, formats, bad rows.

That the loader rejects exactly the planted rows is tested end to end in test_demo_ingest.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scorecard import demo
from scorecard.demo.arrow_text import _fmt_ts
from scorecard.demo.bad_rows import _bad_id
from scorecard.demo.cases import _case_ids
from scorecard.periods import parse_period

N = 5000
VI_TO_EN = {v: k for k, v in demo.VI_HEADERS.items()}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, demo.DemoSummary]:
    out = tmp_path_factory.mktemp("demo_a")
    return out, demo.generate_demo(out, seed=11, cases=N)


def _read_vi_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _read_xlsx(path: Path) -> tuple[list[str], list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    width = len(rows[0])  # trailing empty cells are not stored: pad short rows
    return list(rows[0]), [tuple(r) + (None,) * (width - len(r)) for r in rows[1:]]


def _all_cases(out: Path) -> pd.DataFrame:
    """Every case row of the mixed layout, in English columns (dates as text where textual)."""
    p = pq.read_table(out / "cases_2024.parquet").to_pandas()
    p["file"] = "cases_2024.parquet"
    c = _read_vi_csv(out / "cases_2025.csv").rename(columns=VI_TO_EN)
    c["file"] = "cases_2025.csv"
    headers, rows = _read_xlsx(out / demo.XLSX_FILE)
    x = pd.DataFrame(rows, columns=headers).rename(columns=VI_TO_EN)
    x["file"] = demo.XLSX_FILE
    from scorecard.sources import read_source_frames

    d, _, rejects = read_source_frames(out / demo.DVCQG_FILE, units=demo.build_world(11).units)
    assert rejects.empty
    d["file"] = demo.DVCQG_FILE
    cols = [*demo.CASE_COLUMNS, "file"]
    return pd.concat([p[cols], c[cols], x[cols], d[cols]], ignore_index=True)


# ----------------------------------------------------------------------------- determinism
def test_same_seed_same_bytes(mixed, tmp_path: Path) -> None:
    out, _ = mixed
    again = demo.generate_demo(tmp_path, seed=11, cases=N)
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    assert set(again.files) | {"README.txt"} == set(names)
    for name in names:
        assert (out / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_other_seed_other_data(mixed, tmp_path: Path) -> None:
    out, _ = mixed
    demo.generate_demo(tmp_path, seed=12, cases=N)
    for name in ("units.csv", "procedures.csv", "cases_2024.parquet", "cases_2025.csv",
                 "feedback.csv", "form06.csv"):
        assert (out / name).read_bytes() != (tmp_path / name).read_bytes(), name


# ------------------------------------------------------------------------------- structure
def test_units_by_level_and_tree(mixed) -> None:
    out, _ = mixed
    units = pd.read_csv(out / "units.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert (out / "units.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert units["level"].value_counts().to_dict() == {
        "commune": 120, "department": 15, "district": 8, "province": 1}
    assert units["unit_id"].str.startswith("DEMO-").all() and units["unit_id"].is_unique
    province = units[units["level"] == "province"].iloc[0]
    assert province["parent_id"] == "" and "DỮ LIỆU MẪU" in province["name"]
    upper = units[units["level"].isin(["department", "district"])]
    assert (upper["parent_id"] == province["unit_id"]).all()
    communes = units[units["level"] == "commune"]
    districts = set(units.loc[units["level"] == "district", "unit_id"])
    assert set(communes["parent_id"]) == districts
    assert communes["parent_id"].value_counts().eq(15).all()


def test_procedure_catalogue(mixed) -> None:
    out, _ = mixed
    procs = pd.read_csv(out / "procedures.csv", dtype=str, keep_default_na=False)
    assert 150 <= len(procs) <= 250 and procs["procedure_id"].is_unique
    assert procs["procedure_id"].str.fullmatch(r"[12]\.\d{6}").all()
    assert procs["field"].str.fullmatch(r"[a-z]+(_[a-z]+)*").all()
    assert {"dat_dai", "xay_dung", "dau_tu", "ho_tich", "tu_phap"} <= set(procs["field"])
    assert set(procs["online_service"]) == {"full", "partial", "none"}
    for col in ("has_fee", "payment_integrated", "at_one_stop", "four_on_spot",
                "has_sample_dossier", "e_process_configured"):
        assert set(procs[col]) == {"true", "false"}, col
    # payment can only be integrated for a procedure with a fee
    assert not ((procs["payment_integrated"] == "true") & (procs["has_fee"] == "false")).any()


def test_cases_reference_known_units_and_own_procedures(mixed) -> None:
    out, summary = mixed
    cases = _all_cases(out)
    bad_ids = {i for _, i, _ in demo.BAD_ROWS}
    good = cases[~cases["case_id"].isin(bad_ids)]
    # every generated case is there once; the duplicated-id pair adds one valid row
    assert len(good) == N and good["case_id"].is_unique
    assert len(cases) == N + len(demo.BAD_ROWS) - 1 + 1  # 9 bad case rows + 1 valid copy
    units = pd.read_csv(out / "units.csv", encoding="utf-8-sig", dtype=str)
    up = pd.read_csv(out / "unit_procedures.csv", dtype=str)
    pairs = set(zip(up["unit_id"], up["procedure_id"], strict=True))
    assert set(good["unit_id"]) <= set(units["unit_id"])
    assert set(zip(good["unit_id"], good["procedure_id"], strict=True)) <= pairs
    # some catalogue items never receive a case; aggregate-only communes have no case rows
    assert len(pairs) > len(set(zip(good["unit_id"], good["procedure_id"], strict=True)))
    assert not set(summary.aggregate_units) & set(good["unit_id"])
    assert len(summary.aggregate_units) == 4
    # the split: the xlsx holds one district's own cases only, no other file has them
    xl = good[good["file"] == demo.XLSX_FILE]
    assert set(xl["unit_id"]) == {demo.XLSX_UNIT} and 50 < len(xl) < 0.1 * N
    assert demo.XLSX_UNIT not in set(good.loc[good["file"] != demo.XLSX_FILE, "unit_id"])
    # and the DVCQG file one department's cases (read back through the dvcqg profile)
    dv = good[good["file"] == demo.DVCQG_FILE]
    assert set(dv["unit_id"]) == {demo.DVCQG_UNIT} and 50 < len(dv) < 0.1 * N
    assert demo.DVCQG_UNIT not in set(good.loc[good["file"] != demo.DVCQG_FILE, "unit_id"])
    p = good[good["file"] == "cases_2024.parquet"]
    assert p["received_at"].max() < pd.Timestamp("2025-01-01")
    assert p["received_at"].min() < pd.Timestamp("2024-01-01")  # carried into 2024Q1
    c = good[good["file"] == "cases_2025.csv"]
    rec = pd.to_datetime(c["received_at"], format="%d/%m/%Y %H:%M")
    assert rec.min() >= pd.Timestamp("2025-01-01") and rec.max() < pd.Timestamp("2025-07-01")


def test_vietnamese_csv_values(mixed) -> None:
    out, _ = mixed
    raw = (out / "cases_2025.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    c = _read_vi_csv(out / "cases_2025.csv")
    assert list(c.columns) == [demo.VI_HEADERS[k] for k in demo.CASE_COLUMNS]
    good = c[~c["Mã hồ sơ"].str.contains("BAD")]
    assert set(good["Trạng thái"]) <= set(demo.VI_STATUS.values())
    assert set(good["Kênh tiếp nhận"]) == set(demo.VI_CHANNEL.values())
    assert set(good["Số hóa"]) <= {"Có", "Không"}
    assert set(good["Mức độ hài lòng"]) <= {*demo.VI_RATING.values(), ""}
    assert good["Ngày tiếp nhận"].str.fullmatch(r"\d\d/\d\d/2025 \d\d:\d\d").all()
    pending = good["Trạng thái"] == "Đang giải quyết"
    assert pending.any() and (good.loc[pending, "Ngày có kết quả"] == "").all()
    assert (good.loc[~pending, "Ngày có kết quả"] != "").all()


def test_xlsx_pii_columns_and_date_cells(mixed) -> None:
    out, _ = mixed
    headers, rows = _read_xlsx(out / demo.XLSX_FILE)
    assert set(demo.PII_HEADERS) <= set(headers)
    assert {demo.VI_HEADERS[k] for k in demo.CASE_COLUMNS} <= set(headers)
    i_name, i_cccd = headers.index("Họ và tên"), headers.index("Số CCCD")
    i_rec = headers.index("Ngày tiếp nhận")
    assert all(r[i_name] and len(r[i_name].split()) == 3 for r in rows)
    assert all(isinstance(r[i_cccd], str) and len(r[i_cccd]) == 12 for r in rows)
    assert all(isinstance(r[i_rec], datetime) for r in rows)
    wb = openpyxl.load_workbook(out / demo.XLSX_FILE)
    assert wb.properties.created == demo.FILE_DATE and wb.properties.modified == demo.FILE_DATE


def test_readme_marks_sample_data(mixed) -> None:
    out, _ = mixed
    text = (out / "README.txt").read_text(encoding="utf-8")
    assert "DỮ LIỆU MẪU" in text and "--seed 11" in text and f"--cases {N}" in text


# ------------------------------------------------------------------------------- Biểu 06
def test_form06_identities_and_carry_over(mixed) -> None:
    out, summary = mixed
    f = pd.read_csv(out / "form06.csv")
    assert set(f["unit_id"]) == set(summary.aggregate_units)
    assert (f["received_total"] == f["received_online"] + f["received_direct_postal"]
            + f["carried_over"]).all()
    assert (f["resolved_total"] == f["resolved_early"] + f["resolved_on_time"]
            + f["resolved_late"]).all()
    assert (f["pending_total"] == f["pending_in_time"] + f["pending_overdue"]).all()
    counts = f.drop(columns=["unit_id", "period", "period_start", "period_end"])
    assert (counts >= 0).all().all()
    for _, g in f.groupby("unit_id"):
        assert list(g["period"]) == demo.QUARTERS
        assert (g["carried_over"].iloc[1:].to_numpy() == g["pending_total"].iloc[:-1].to_numpy()).all()
    first = f[f["period"] == "2024Q1"].iloc[0]
    assert (first["period_start"], first["period_end"]) == ("2023-12-15", "2024-03-14")
    for pid, start, end in zip(f["period"], f["period_start"], f["period_end"], strict=True):
        a, b = parse_period(pid).window("nd09")
        assert (start, end) == (a.isoformat(), b.isoformat())


def test_manual_measurements(mixed) -> None:
    out, _ = mixed
    m = pd.read_csv(out / "manual.csv")
    assert {"impact_assessment_rate", "procedures_published_rate",
            "internal_procedures_reviewed_rate"} <= set(m["indicator"])
    assert m["source"].str.contains("DỮ LIỆU MẪU").all()
    # the file is build_manual's rows, the 766 ones, then the plans' manual targets
    # (scorecard.demo_manual, tests/test_demo_manual.py), each key once
    from scorecard.demo_manual import build_manual_plans

    world = demo.build_world(11)  # the fixture's seed
    first = pd.concat([demo.build_manual(world, 11), demo.build_manual_index766(world, 11)])
    plans = build_manual_plans(world.units, 11, demo.QUARTERS, demo.MANUAL_SOURCE,
                               existing=first)
    assert len(m) == len(first) + len(plans)
    head = m.iloc[:len(first)].reset_index(drop=True)
    pd.testing.assert_frame_equal(head, first.reset_index(drop=True), check_dtype=False)
    assert (head["period"] == "2025Q2").all() and head["value"].between(0, 1).all()
    assert not m.duplicated(["unit_id", "period", "indicator"]).any()


# ------------------------------------------------------------------------------- bad rows
def test_bad_rows_are_where_the_list_says(mixed) -> None:
    out, summary = mixed
    assert summary.bad_rows == demo.BAD_ROWS
    assert 5 <= len(demo.BAD_ROWS) <= 20
    assert len({what for _, _, what in demo.BAD_ROWS[:-1]}) == len(demo.BAD_ROWS) - 1
    cases = _all_cases(out)
    planted = cases[cases["case_id"].str.contains("BAD")]
    listed = {(f, i) for f, i, _ in demo.BAD_ROWS if f != "feedback.csv"}
    assert set(zip(planted["file"], planted["case_id"], strict=True)) == listed
    by_id = {i: g for i, g in planted.groupby("case_id")}
    b = lambda kind: by_id[_bad_id(kind)].iloc[-1]  # noqa: E731
    assert b("due_before_received")["due_at"] < b("due_before_received")["received_at"]
    r = b("resolved_before_received")
    assert r["status"] == "resolved" and r["resolved_at"] < r["received_at"]
    r = b("resolved_without_date")
    assert r["status"] == "resolved" and pd.isna(r["resolved_at"])
    assert b("unparseable_date")["received_at"] == "31/02/2025 08:15"
    assert b("unknown_channel")["channel"] == "Fax"
    assert b("unknown_procedure")["procedure_id"] == demo.UNKNOWN_PROCEDURE
    assert len(by_id[_bad_id("duplicate_id")]) == 2
    assert b("unknown_unit")["unit_id"] == demo.UNKNOWN_UNIT
    assert b("negative_supplements")["supplement_requests"] == -1
    fb = pd.read_csv(out / "feedback.csv", dtype=str, keep_default_na=False)
    bad_fb = fb[fb["feedback_id"] == demo.FEEDBACK_BAD_ID].iloc[0]
    assert bad_fb["resolved_at"] < bad_fb["received_at"]
    good_fb = fb[fb["feedback_id"] != demo.FEEDBACK_BAD_ID]
    assert 300 <= len(good_fb) <= 3000
    done = good_fb[good_fb["resolved_at"] != ""]
    assert (done["resolved_at"] >= done["received_at"]).all()
    assert (done["resolved_at"].str[:10] <= done["due_at"].str[:10]).mean() > 0.8


# ---------------------------------------------------------------------- pure generation
def test_case_chunks_stream_exact_count_and_rules() -> None:
    world = demo.build_world(5)
    parts = list(demo.case_chunks(world, 5, 20_000, chunk_rows=4000))
    assert len(parts) >= 4 and all(p.num_rows <= 4000 + 2000 for p in parts)
    t = pa.concat_tables(parts).to_pandas()
    assert len(t) == 20_000 and t["case_id"].is_unique
    assert t["case_id"].is_monotonic_increasing and t["received_at"].is_monotonic_increasing
    rec, due, res = t["received_at"], t["due_at"], t["resolved_at"]
    assert rec.min() >= pd.Timestamp("2023-11-15") and rec.max() < pd.Timestamp("2025-07-01")
    minutes = rec.dt.hour * 60 + rec.dt.minute
    assert minutes.between(450, 990).all()
    assert (rec.dt.day_of_week < 5).all()
    assert (due >= rec).all() and (res.dropna() >= rec[res.notna()]).all()
    assert ((t["status"] == "pending") == res.isna()).all()
    assert res.max() < pd.Timestamp("2025-07-01")
    pending = t["status"] == "pending"
    assert 0 < pending.mean() < 0.1
    resid = t["status"].isin(["withdrawn", "refused"]).mean()
    assert 0.01 < resid < 0.03
    resolved = t[t["status"] == "resolved"]
    on_due_day = resolved["resolved_at"].dt.normalize() == resolved["due_at"].dt.normalize()
    assert (resolved["resolved_at"] == resolved["due_at"]).sum() > 0
    assert (on_due_day & (resolved["resolved_at"].dt.hour == 23)).sum() > 0
    assert (t["supplement_requests"] >= 0).all() and (t["supplement_requests"] >= 2).any()
    assert t["rating"].isna().mean() > 0.4
    assert set(t["channel"]) == {"online", "direct", "postal"}
    # online only where the procedure offers an online service
    proc = world.procedures.set_index("procedure_id")["online_service"]
    assert (t.loc[t["channel"] == "online", "procedure_id"].map(proc) != "none").all()
    # a fee is only ever required for a procedure that has one; paid online implies a fee
    fee = world.procedures.set_index("procedure_id")["has_fee"]
    assert t.loc[t["fee_required"], "procedure_id"].map(fee).all()
    assert not (t["paid_online"] & ~t["fee_required"]).any()


def test_excellent_and_weak_units_differ() -> None:
    world = demo.build_world(5)
    t = pa.concat_tables(list(demo.case_chunks(world, 5, 40_000))).to_pandas()
    tier = dict(zip(world.units["unit_id"], world.tier, strict=True))
    t["tier"] = t["unit_id"].map(tier)
    res = t[t["status"] == "resolved"]
    late = res["resolved_at"].dt.normalize() > res["due_at"].dt.normalize()
    exc = t["tier"] == "excellent"
    assert exc.sum() > 500
    assert not late[res["tier"] == "excellent"].any()
    assert t.loc[exc, "digitized"].all()
    assert res.loc[res["tier"] == "excellent", "e_result"].all()
    weak_late = late[res["tier"] == "weak"].mean()
    assert weak_late > 0.1 > late[res["tier"] == "typical"].mean()
    assert t.loc[t["tier"] == "weak", "digitized"].mean() < 0.7
    # improvement over time: typical units digitize more in 2025Q2 than in 2024Q1
    typ = t[t["tier"] == "typical"]
    q1 = typ[typ["received_at"].between("2024-01-01", "2024-03-31")]
    q6 = typ[typ["received_at"].between("2025-04-01", "2025-06-30")]
    assert q6["digitized"].mean() > q1["digitized"].mean() + 0.05
    assert q6["channel"].eq("online").mean() > q1["channel"].eq("online").mean() + 0.05
    # communes get fewer cases than districts
    level = dict(zip(world.units["unit_id"], world.units["level"], strict=True))
    per_unit = t.groupby(t["unit_id"].map(level))["unit_id"].value_counts()
    assert per_unit["commune"].median() * 3 < per_unit["district"].median()


# ------------------------------------------------------------------------ small helpers
def test_timestamp_and_id_formatting() -> None:
    arr = pa.array(np.array(["2025-03-04T07:05", "NaT", "2024-12-31T23:59"],
                            dtype="datetime64[ms]"), from_pandas=True)
    assert _fmt_ts(arr, "vi").to_pylist() == ["04/03/2025 07:05", None, "31/12/2024 23:59"]
    assert _fmt_ts(arr, "iso").to_pylist() == [
        "2025-03-04 07:05:00", None, "2024-12-31 23:59:00"]
    assert _case_ids(7, 2).to_pylist() == ["DEMO-HS-0000000007", "DEMO-HS-0000000008"]


def test_single_format_layout(tmp_path: Path) -> None:
    s = demo.generate_demo(tmp_path, seed=3, cases=2000, formats="parquet,csv")
    assert s.layout == "csv,parquet"
    assert not (tmp_path / "cases_2025.csv").exists() and not (tmp_path / demo.XLSX_FILE).exists()
    c = pd.read_csv(tmp_path / "cases.csv", dtype=str, keep_default_na=False)
    p = pq.read_table(tmp_path / "cases.parquet").to_pandas()
    assert list(c.columns) == list(demo.CASE_COLUMNS) == list(p.columns)
    gc, gp = c[~c["case_id"].str.contains("BAD")], p[~p["case_id"].str.contains("BAD")]
    assert len(gc) == len(gp) == 2000
    assert gc["received_at"].str.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:00").all()
    assert (pd.to_datetime(gc["received_at"]).to_numpy() == gp["received_at"].to_numpy()).all()
    assert len(c) == 2000 + len(demo.BAD_KINDS) + 1
    assert "2025-02-31 08:15:00" in set(c["received_at"])
    assert len(p) == 2000 + len(demo.BAD_KINDS)  # no unparseable date in a typed file
    assert s.files["cases.csv"] == len(c) and s.files["cases.parquet"] == len(p)


def test_parse_formats() -> None:
    assert demo.parse_formats(None) == demo.parse_formats("mixed") == "mixed"
    assert demo.parse_formats("csv") == "csv"
    assert demo.parse_formats(" parquet , csv ") == "csv,parquet"
    with pytest.raises(ValueError):
        demo.parse_formats("xlsx")


def test_cli_demo_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scorecard.cli import main

    assert main(["demo-data", "--out", str(tmp_path), "--cases", "600", "--seed", "4"]) == 0
    assert "DỮ LIỆU MẪU" in capsys.readouterr().out
    assert (tmp_path / "cases_2024.parquet").exists() and (tmp_path / "README.txt").exists()
    assert main(["demo-data", "--out", str(tmp_path), "--formats", "xls"]) == 2
    assert "formats" in capsys.readouterr().err
    assert main(["demo-data", "--out", str(tmp_path), "--cases", "10"]) == 2
