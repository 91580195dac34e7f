"""Open the index page and one report in headless Chromium from disk with the network blocked.

Uses the system chromium (/usr/bin/chromium, installed by .ci/run through apt) through
playwright's Python API; every http(s) request is aborted and counted, so a CDN reference would
both fail to load and fail the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.render_fixtures import build_store
from tests.report_fixtures import build_report_store

pytestmark = [pytest.mark.slow]


def _render(tmp: Path, build, units: list[str]) -> Path:
    from scorecard.render import render_batch

    db, plan = build(tmp)
    res = render_batch(plan, "2025Q2", db=db, out=tmp / "reports", workers=1, progress=False,
                       units=units, timeout=120)
    assert not res.failed, [r.error for r in res.failed]
    return res.out_dir


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The render store (tests/render_fixtures.py): a plan without a task register."""
    return _render(tmp_path_factory.mktemp("browser"), build_store, ["DEMO-D", "DEMO-C1"])


@pytest.fixture(scope="module")
def report_site(tmp_path_factory) -> Path:
    """The report's store (tests/report_fixtures.py: a task register, withdrawals and
    refilings, manual 766 rows), DEMO-C1's report only."""
    return _render(tmp_path_factory.mktemp("browser-report"), build_report_store, ["DEMO-C1"])


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
    cells = [" ".join(c.split()) for c in page.locator(
        "#summary tr[data-target=on_time] td").all_inner_texts()]
    assert cells == ["Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", "II.6", "trên 95%",
                     "85,71% 6/7", "Không đạt", "Đạt 1/1", "Chưa có dữ liệu (1)", "Đạt 1/2"]
    header = page.locator("#summary th").all_inner_texts()
    assert header[3:] == ["Toàn tỉnh", "Kết quả", "Sở, ngành", "Cấp huyện", "Cấp xã"]
    assert page.locator("#summary td.num").evaluate_all(
        "els => els.every(e => getComputedStyle(e).textAlign === 'right')")
    # a plan without a task register, a period without a late list: one line each, no column
    assert page.inner_text("#tasks-none").startswith(
        "Kế hoạch này không có danh mục nhiệm vụ (test-plan.tasks.yaml")
    assert "Nhiệm vụ" not in page.locator("#units thead").inner_text()
    assert page.inner_text("#late-lists-none").startswith("Chưa lập danh sách cơ quan, đơn vị "
                                                          "chậm, muộn hằng tháng nào")
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


def test_report_sections_in_the_page(report_site, browser):
    """The new sections of a commune's report as a reader sees them, every chart drawn."""
    import json

    page, errors, blocked = _open(browser, (report_site / "DEMO-C1.html").as_uri())
    nb = json.loads((report_site / "DEMO-C1.ipynb").read_text(encoding="utf-8"))
    charts = sum("application/vnd.plotly.v1+json" in o.get("data", {})
                 for c in nb["cells"] for o in c.get("outputs", []))
    page.wait_for_function(
        "n => { const p = document.querySelectorAll('.js-plotly-plot');"
        " return p.length === n && Array.from(p).every(e => e.querySelector('.main-svg')); }",
        arg=charts, timeout=20000)
    # 2 bullets (on time, apology), the trend, the fields bars, the 766 points lost
    assert charts == 5
    # the trend: one small panel per rate target judged (on time, apology), each titled
    trend = page.locator("#sc-trend")
    assert trend.locator(".cartesianlayer .subplot").count() == 2
    assert "Hồ sơ giải quyết trước hạn và đúng hạn" in trend.inner_text()
    text = page.inner_text("body")
    headings = page.locator("h2").all_inner_texts()
    assert headings == ["1. Kết quả theo chỉ tiêu của kế hoạch", "2. Diễn biến qua các quý",
                        "3. Nhiệm vụ theo kế hoạch", "4. Theo lĩnh vực",
                        "5. Hồ sơ quá hạn và phiếu xin lỗi",
                        "6. Dấu hiệu cần xem xét khi kiểm tra", "7. Phản ánh, kiến nghị (PAKN)",
                        "8. Các đơn vị trực thuộc (xếp hạng)",
                        "9. Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766)",
                        "10. Ghi chú về chất lượng dữ liệu"]
    # tasks (report_fixtures.py): T2 done late by 5 days, T3 continuous, last activity 10/05
    assert "Hoàn thành đúng hạn 0/1 (0%); hoàn thành trễ hạn 1" in text
    late = page.locator("h3:has-text('Hoàn thành trễ hạn') + table tbody tr td")
    assert late.all_inner_texts()[:6] == ["T2", "Rà soát thủ tục cấp xã", "", "31/05/2025",
                                          "05/06/2025", "5"]
    # leads: a reason to look, with the cases to open first
    leads = page.locator("#leads tbody tr").first.locator("td").all_inner_texts()
    assert leads == ["Rút hoặc từ chối rồi nộp lại", "15", "10", "20,00", "5,9",
                     "Nên xem hồ sơ"]
    assert "Hồ sơ nên mở trước: w1, w2, w3, w4, w5, w6, w7, w8, w9, w10" in text
    assert "Dấu hiệu là lý do để xem xét hồ sơ, không phải kết luận vi phạm" in text
    # 766: every group, its table; the headers carry the report's look
    assert page.locator("table[id^='index766-']").count() == 7  # the groups' summary + 6
    assert page.locator("#index766-transparency th").first.evaluate(
        "e => getComputedStyle(e).backgroundColor") == "rgb(31, 78, 121)"
    assert errors == [] and blocked == []
    page.close()
