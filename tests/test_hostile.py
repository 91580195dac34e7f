"""Hostile data never acts: no path, markup, link or formula from the store does anything.

The store (tests/hostile_fixtures.py) holds unit names such as ``<script>alert(1)</script>``,
``<img src=x onerror=alert(1)>``, ``=HYPERLINK("http://x","y")``, ``+1+1``, ``@SUM(A1)`` and unit
ids ``../../escape``, ``/tmp/abs``, ``javascript:alert(1)``, written straight into the store as an
older version (without the ingest-side id check) would have. Rendered as a user would (the CLI),
then: the pages opened in headless Chromium with a dialog handler that fails the test, the
workbooks read back with openpyxl and through LibreOffice, the CSV output parsed and opened in
LibreOffice.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scorecard.cli import main
from tests.hostile_fixtures import (
    ABS_ID,
    AT,
    ESCAPE_ID,
    FIELD,
    FORMULA_NAMES,
    HYPERLINK,
    IMG,
    JS_ID,
    LINK,
    LINK_FIELD,
    MARKUP_NAMES,
    MINUS,
    PLUS,
    SCRIPT,
    UNITS,
    UNSAFE_IDS,
    build_hostile_store,
)
from tests.real_tools import run_libreoffice

pytestmark = [pytest.mark.slow]

NAMES = {uid: name for uid, name, _, _ in UNITS}
RENDERED = [uid for uid in NAMES if uid not in UNSAFE_IDS]
OUTSIDE = [Path(f"{ABS_ID}.html"), Path(f"{ABS_ID}.ipynb")]


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Render the hostile store through the CLI; (root, db, plan, out_dir, rc, stderr, files
    created outside the reports folder)."""
    root = tmp_path_factory.mktemp("hostile")
    db, plan = build_hostile_store(root)
    before = _files(root)
    outside_before = {p: p.stat().st_mtime_ns for p in OUTSIDE if p.exists()}
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(["render", "--plan", str(plan), "--period", "2025Q2", "--db", str(db),
                   "--out", str(root / "reports"), "--workers", "1", "--no-progress",
                   "--timeout", "120"])
    created = {p for p in _files(root) - before if root / "reports" not in p.parents}
    created |= {p for p in OUTSIDE if p.exists() and outside_before.get(p)
                != p.stat().st_mtime_ns}
    return root, db, plan, root / "reports" / "2025Q2", rc, err.getvalue(), created


# ------------------------------------------------------------------ paths
def test_unsafe_ids_fail_with_reason_and_write_nothing_outside(hostile):
    root, _, _, out, rc, stderr, created = hostile
    assert created == set()  # no ../../escape.html beside the store, no /tmp/abs.html
    assert not (root / "escape.html").exists() and not (root / "escape.ipynb").exists()
    assert rc == 1  # some units failed
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    units = manifest["units"]
    assert sorted(manifest["failed"]) == sorted(UNSAFE_IDS)
    for uid in UNSAFE_IDS:
        entry = units[uid]
        assert entry["status"] == "failed"
        assert entry["error"].startswith(f"UnsafeIdError: unit id {uid!r} cannot be a file name "
                                         "(id contains a path separator")
        assert entry["notebook"] is None and entry["html"] is None
        assert f"FAILED {uid}: UnsafeIdError" in stderr
    for uid in RENDERED:  # the others render, the javascript: id too (it is a file name)
        assert units[uid]["status"] == "ok", units[uid]["error"]
        assert (out / f"{uid}.html").is_file() and (out / f"{uid}.ipynb").is_file()
        assert units[uid]["html"] == f"{uid}.html"
    assert sorted(p.name for p in out.iterdir() if p.suffix == ".html") == sorted(
        [f"{u}.html" for u in RENDERED] + ["index.html"])


# ------------------------------------------------------------------ pages in Chromium
class Page:
    """A page with every dialog (alert, confirm, prompt) and script error recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.page = browser.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("http://**/*", lambda route: route.abort())
        self.page.route("https://**/*", lambda route: route.abort())
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def assert_inert(self) -> None:
        """No dialog, no script error, no element or attribute that came from data and acts."""
        p = self.page
        p.wait_for_timeout(300)  # an onerror handler of a broken <img> would have run by now
        assert self.dialogs == [] and self.errors == []
        assert p.locator("img, iframe, object, embed, svg a, svg image").count() == 0
        handlers = p.evaluate("""Array.from(document.querySelectorAll('*')).flatMap(
            el => Array.from(el.attributes).filter(a => a.name.startsWith('on'))
                  .map(a => el.tagName + ' ' + a.name))""")
        assert handlers == []
        protocols = p.evaluate("Array.from(document.links).map(a => a.protocol)")
        assert set(protocols) <= {"file:"}  # only relative links to files beside the page
        sources = p.evaluate("Array.from(document.scripts).map(s => s.getAttribute('src'))"
                             ".filter(s => s !== null)")
        assert set(sources) <= {"../assets/plotly.min.js"}


def test_index_page_shows_hostile_names_as_text(hostile, browser):
    _, _, _, out, *_ = hostile
    view = Page(browser, out / "index.html")
    page = view.page
    text = page.inner_text("body")
    for name in [*MARKUP_NAMES, *FORMULA_NAMES]:
        assert name in text
    for uid in NAMES:
        assert page.locator("#units tbody tr").filter(has_text=uid).count() >= 1
    assert page.locator("#units tbody tr").count() == len(UNITS)
    # the failed units are listed with the reason, and have no link
    failures = page.locator("ul.sc-fail li").all_inner_texts()
    assert sorted(f.split(":")[0] for f in failures) == sorted(UNSAFE_IDS)
    assert all("UnsafeIdError" in f for f in failures)
    for uid in UNSAFE_IDS:
        assert page.locator(f'tr[data-unit="{uid}"] a').count() == 0
    # the javascript: id is a URL-encoded relative file link
    link = page.locator(f'tr[data-unit="{JS_ID}"] a')
    assert link.get_attribute("href") == "./javascript%3Aalert%281%29.html"
    assert link.inner_text() == HYPERLINK
    # the index page's new parts show the names as text too
    overdue = page.inner_text("#overdue")
    for uid, name in NAMES.items():
        if uid != "DEMO-P":  # the province leads no task of the register
            assert name in overdue
    assert SCRIPT in page.inner_text("#sec-index766")  # the province's 766 breakdown
    for uid in NAMES:
        assert page.locator(f'#units tr[data-unit="{uid}"] td.tasks').count() == 1
    # a recorded late-list page named with markup: one relative, URL-encoded link; the
    # javascript: "path" names no file and gets none
    lists = page.locator("#late-lists a")
    assert lists.count() == 1
    assert lists.get_attribute("href") == (
        "../2025-05/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html")
    items = page.locator("#late-lists li")
    assert items.nth(0).inner_text() == "Tháng 04/2025: chưa lập"
    assert items.nth(2).inner_text().startswith("Tháng 06/2025: lập lúc 02/07/2025 08:00")
    assert items.nth(2).locator("a").count() == 0
    view.assert_inert()
    lists.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/2025-05/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html")
    view.assert_inert()
    page.go_back()
    page.wait_for_load_state("load")
    view.assert_inert()
    link.click()
    page.wait_for_load_state("load")
    assert page.title() == f"{JS_ID} — Quý II/2025"
    view.assert_inert()
    page.close()


def _hover_every_plot(page) -> int:
    """Hover the first point of every trace of every plot (hover labels render text too), on
    the trace's own subplot (the trend chart is a grid of small panels: x2y2, x3y3, …)."""
    return page.evaluate("""() => {
        let n = 0;
        document.querySelectorAll('.js-plotly-plot').forEach(div => {
            (div._fullData || []).forEach((t, i) => {
                const sub = t.xaxis && t.yaxis ? t.xaxis + t.yaxis : 'xy';
                try { Plotly.Fx.hover(div, [{curveNumber: i, pointNumber: 0}], sub); n += 1; }
                catch (e) {}
            });
        });
        return n;
    }""")


@pytest.mark.parametrize("uid", RENDERED)
def test_unit_pages_show_hostile_names_as_text(hostile, browser, uid):
    _, _, _, out, *_ = hostile
    view = Page(browser, out / f"{uid}.html")
    page = view.page
    page.wait_for_selector(".main-svg", timeout=15000)
    assert page.title() == f"{uid} — Quý II/2025"
    assert page.inner_text("h1") == f"{NAMES[uid]} — Quý II/2025"
    text = page.inner_text("body")
    assert f"{NAMES[uid]} ({uid})" in text  # the facts table
    assert FIELD in text  # the by-field table and chart
    if uid == "DEMO-D":  # the children table
        for child in (JS_ID, ESCAPE_ID, ABS_ID, "DEMO-C3"):
            assert NAMES[child] in text
    if uid == "DEMO-C3":  # its rejected row names a file holding markup
        assert f"{IMG}.csv" in text
    fields = [FIELD] if uid == "DEMO-S" else [FIELD, LINK_FIELD]
    chart = page.locator("#sc-fields")
    for field in fields:  # the category labels, drawn as text (plotly would draw a link)
        assert field in chart.inner_text()
    assert _hover_every_plot(page) >= 1
    hover = page.locator("#sc-fields .hoverlayer").text_content()
    assert any(hover.startswith(f"{field}: ") for field in fields)  # the name, as text
    view.assert_inert()
    page.close()


# ------------------------------------------------------------------ workbooks
def _formula_cells(path: Path) -> list[str]:
    wb = load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows()
            for c in row if c.data_type == "f"]


def test_summary_xlsx_keeps_names_as_text(hostile):
    _, _, _, out, *_ = hostile
    path = out / "summary.xlsx"
    assert _formula_cells(path) == []
    ws = load_workbook(path)["Theo đơn vị"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == set(NAMES)
    for uid, name in NAMES.items():
        assert rows[uid][1] == name  # exactly the stored name, a string
    cells = {c.value: c for c in ws["B"][1:]}
    for name in FORMULA_NAMES:
        assert cells[name].data_type == "s" and cells[name].quotePrefix
    for uid in UNSAFE_IDS:
        assert rows[uid][-1] == "Lỗi"


def _form06(tmp: Path, db: Path, unit: str, by: str) -> Path:
    out = tmp / f"bieu06-{by}.xlsx"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["form06", "--period", "2025Q2", "--unit", unit, "--by", by,
                     "--calendar", "calendar", "--db", str(db), "--out", str(out)]) == 0
    return out


def test_form06_keeps_names_as_text_and_reads_back(hostile, tmp_path):
    from scorecard.forms.form06 import COUNT_COLUMNS, read_form06_workbook

    _, db, *_ = hostile
    by_unit = _form06(tmp_path, db, "DEMO-D", "unit")
    assert _formula_cells(by_unit) == []
    ws = load_workbook(by_unit)["Biểu 06"]
    # the district (named IMG) has no case of its own: no line for it, only its communes, by
    # name (the formula-like names sort by their first character: "+", "<", "=", "@")
    labels = [ws.cell(row=r, column=2).value for r in range(11, 16)]
    children = [ESCAPE_ID, "DEMO-C3", JS_ID, ABS_ID]
    assert labels == ["UBND cấp xã", *(NAMES[c] for c in children)]
    assert all(ws.cell(row=r, column=2).data_type == "s" for r in range(11, 16))
    assert ws["I1"].value == f"Đơn vị báo cáo: {IMG}"
    # read back: the same units, unchanged; each commune received 2 cases online in the
    # quarter, resolved one early (day 3, due day 6) and one late (day 10, due day 8)
    df = read_form06_workbook(by_unit)
    assert list(df["unit_id"]) == children
    counts = {r.unit_id: [int(getattr(r, c)) for c in COUNT_COLUMNS] for r in df.itertuples()}
    for c in children:
        assert counts[c] == [2, 0, 0, 1, 0, 1, 0, 0]
    by_field = _form06(tmp_path, db, "DEMO-P", "field")
    assert _formula_cells(by_field) == []
    ws = load_workbook(by_field)["Biểu 06"]
    assert {ws["B11"].value, ws["B12"].value} == {FIELD, LINK_FIELD}


def test_workbooks_stay_text_in_libreoffice(hostile, tmp_path):
    """LibreOffice opens and re-saves both workbooks: no cell became a formula, the names are
    the same text (=HYPERLINK not "y", +1+1 not 2)."""
    _, db, _, out, *_ = hostile
    form = _form06(tmp_path, db, "DEMO-D", "unit")
    saved = tmp_path / "saved"
    run_libreoffice(["--convert-to", "xlsx", "--outdir", str(saved), str(out / "summary.xlsx"),
                     str(form)], tmp_path)
    for path in (saved / "summary.xlsx", saved / form.name):
        assert _formula_cells(path) == []
        values = {c.value for ws in load_workbook(path, data_only=True).worksheets
                  for row in ws.iter_rows() for c in row}
        assert {HYPERLINK, PLUS, AT} <= values
        assert "y" not in values


# ------------------------------------------------------------------ CSV
def _csv(capsys, *args: str) -> tuple[str, list[dict[str, str]]]:
    assert main(list(args)) == 0
    text = capsys.readouterr().out
    return text, list(csv.DictReader(io.StringIO(text)))


def test_csv_output_neutralises_formulas(hostile, capsys, tmp_path):
    _, db, plan, *_ = hostile
    args = ["evaluate", "--plan", str(plan), "--period", "2025Q2", "--db", str(db),
            "--format", "csv"]
    text, rows = _csv(capsys, *args)
    names = {r["unit_id"]: r["unit_name"] for r in rows}
    assert set(names) == set(NAMES)
    assert names[JS_ID] == "'" + HYPERLINK and names[ESCAPE_ID] == "'" + PLUS
    assert names[ABS_ID] == "'" + AT and names["DEMO-S"] == "'" + MINUS
    assert names["DEMO-P"] == SCRIPT and names["DEMO-C3"] == LINK  # no formula: unchanged
    # numbers stay numbers: DEMO-C3 resolved 1 of 2 on time (0.5), threshold 0.95
    c3 = next(r for r in rows if r["unit_id"] == "DEMO-C3" and r["target_id"] == "on_time")
    assert (float(c3["value"]), float(c3["threshold"])) == (0.5, 0.95)
    raw = {r["unit_id"]: r["unit_name"] for r in _csv(capsys, *args, "--raw")[1]}
    assert raw == NAMES
    # LibreOffice opens the CSV with every name as text
    (tmp_path / "safe.csv").write_text(text, encoding="utf-8")
    run_libreoffice(["--convert-to", "xlsx", "--outdir", str(tmp_path / "x"),
                     str(tmp_path / "safe.csv")], tmp_path)
    assert _formula_cells(tmp_path / "x" / "safe.xlsx") == []

