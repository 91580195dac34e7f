"""Open the index page and one report in headless Chromium from disk with the network blocked.

Uses the system chromium (/usr/bin/chromium, installed by .ci/run through apt) through
playwright's Python API; every http(s) request is aborted and counted, so a CDN reference would
both fail to load and fail the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.real_tools import CHROMIUM, CHROMIUM_ARGS, require_playwright
from tests.render_fixtures import build_store

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from scorecard.render import render_batch

    tmp = tmp_path_factory.mktemp("browser")
    db, plan = build_store(tmp)
    res = render_batch(plan, "2025Q2", db=db, out=tmp / "reports", workers=1, progress=False,
                       units=["DEMO-D", "DEMO-C1"], timeout=120)
    assert not res.failed, [r.error for r in res.failed]
    return res.out_dir


@pytest.fixture(scope="module")
def browser():
    sync_api = require_playwright()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _open(browser, url: str):
    page = browser.new_page()
    errors: list[str] = []
    blocked: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))

    def block(route):
        blocked.append(route.request.url)
        route.abort()

    page.route("http://**/*", block)
    page.route("https://**/*", block)
    page.goto(url)
    page.wait_for_load_state("load")
    return page, errors, blocked


def test_report_draws_plots_offline(site, browser):
    page, errors, blocked = _open(browser, (site / "DEMO-C1.html").as_uri())
    page.wait_for_selector(".main-svg", timeout=15000)
    assert page.locator("#sc-target-on_time .main-svg").count() >= 1
    text = page.inner_text("body")
    assert "Không đạt" in text and "Đạt" in text and "75% (3/4)" in text
    assert "DỮ LIỆU MẪU" in text
    assert page.evaluate("typeof Plotly") == "object"
    assert errors == [] and blocked == []
    page.close()


def test_index_links_and_sorting(site, browser):
    page, errors, blocked = _open(browser, (site / "index.html").as_uri())
    rows = page.locator("#units tbody tr")
    # every unit of the plan is listed (2 rendered in this batch), the province with its headline
    assert rows.count() == 5
    assert "Không đạt" in page.inner_text("#units")
    # the compact summary: one row per target, Vietnamese labels, the province's figure
    # (6 of 7 on time = 85,71%), then passing units per level (render_fixtures.py)
    summary = page.locator("#summary tbody tr")
    assert summary.count() == 2
    cells = [c.strip() for c in page.locator(
        "#summary tr[data-target=on_time] td").all_inner_texts()]
    assert cells == ["Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", "II.6", "trên 95%",
                     "85,71%", "Không đạt", "Đạt 1/1", "Chưa có dữ liệu (1)", "Đạt 1/2"]
    header = page.locator("#summary th").all_inner_texts()
    assert header[3:] == ["Toàn tỉnh", "Kết quả", "Sở, ngành", "Cấp huyện", "Cấp xã"]
    assert page.locator("#summary td.num").evaluate_all(
        "els => els.every(e => getComputedStyle(e).textAlign === 'right')")
    # sort by the unit column, descending, then ascending
    page.click("#units th >> nth=0")
    page.click("#units th >> nth=0")
    first = page.locator("#units tbody tr").first.get_attribute("data-unit")
    assert first == "DEMO-C1"
    page.click("a[href='./DEMO-C1.html']")
    page.wait_for_selector(".main-svg", timeout=15000)
    assert page.url.endswith("DEMO-C1.html")
    page.click("text=Danh sách đơn vị")
    assert page.url.endswith("index.html")
    assert errors == [] and blocked == []
    page.close()


def test_parent_report_headline_then_own(site, browser):
    page, errors, blocked = _open(browser, (site / "DEMO-D.html").as_uri())
    page.wait_for_selector(".main-svg", timeout=15000)
    text = page.inner_text("body")
    whole = text.index("1.1. Toàn đơn vị (gồm các đơn vị trực thuộc)")
    own = text.index("1.2. Riêng đơn vị")
    assert whole < own
    # headline: 5 of 6 on time in the district's tree; its own office resolved nothing
    assert "83,33% (5/6)" in text[whole:own] and "Chưa có dữ liệu" in text[own:]
    assert "(0/0)" not in text
    assert "Số chỉ tiêu tính trên số liệu riêng đơn vị" in text
    assert page.locator("#sc-target-on_time .main-svg").count() >= 1  # headline chart
    assert errors == [] and blocked == []
    page.close()
