"""The index page in headless Chromium, rendered through ``scorecard render`` as a user does, on
the render store with a task register, planted inspection leads, a manual 766 value and a late
list (tests/site_fixtures.py ``build_site_store``: every number below is worked out there).

Checks what the page says (the summary per target, the units' task and lead columns, the
overdue assignments, the 766 breakdown, the late-list link), how it behaves (keyboard sorting
with aria-sort, the ratio sort) and how it lays out on a phone (390 px: no page-level
horizontal scroll, the unit column stays while the table scrolls, the header stays on top).
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from scorecard.cli import main
from tests.site_fixtures import build_site_store

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("index-page")
    db, plan = build_site_store(tmp)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        rc = main(["render", "--plan", str(plan), "--period", "2025Q2", "--db", str(db),
                   "--out", str(tmp / "reports"), "--workers", "1", "--no-progress",
                   "--units", "DEMO-D", "DEMO-C1", "--timeout", "120"])
    assert rc == 0, out.getvalue()
    return tmp / "reports" / "2025Q2"


class Opened:
    """A page opened from disk, network blocked, with script errors and requests recorded."""

    def __init__(self, browser, path: Path, **viewport: int) -> None:
        self.page = browser.new_page(viewport=viewport or None)
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error"
                     else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        for pattern in ("http://**/*", "https://**/*"):
            self.page.route(pattern, self._block)
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def _block(self, route) -> None:
        self.blocked.append(route.request.url)
        route.abort()

    def cells(self, selector: str) -> list[str]:
        return [" ".join(c.split()) for c in self.page.locator(selector).all_inner_texts()]

    def close(self) -> None:
        assert self.errors == [] and self.blocked == []
        self.page.close()


def test_summary_says_what_evaluation_decided(site, browser):
    view = Opened(browser, site / "index.html")
    row = "#summary tr[data-target={}] td"
    # a pooled verdict: the province's 6 of 7 resolved on time, judged (one threshold below it)
    assert view.cells(row.format("on_time")) == [
        "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", "II.6", "trên 95%", "85,71% 6/7",
        "Không đạt", "Đạt 1/1", "Chưa có dữ liệu (1)", "Đạt 1/2"]
    # by deadline: in progress, the value to date and when and on what it will be judged
    assert view.cells(row.format("on_time_year")) == [
        "Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn", "II.7", "tối thiểu 90%", "85,71% 6/7",
        "Đang thực hiện Lũy kế 01/01/2025 – 30/06/2025, chưa đánh giá; đánh giá khi đến hạn "
        "15/12/2025 trên lũy kế 01/01/2025 – 15/12/2025.",
        "Đang thực hiện (1)", "Đang thực hiện (1)", "Đang thực hiện (2)"]
    # judged once for the commune level: 6 of 31 received online; the communes get no verdict
    assert view.cells(row.format("online_level")) == [
        "Tỷ lệ hồ sơ tiếp nhận trực tuyến", "III.1", "tối thiểu 50%", "19,35% 6/31",
        "Không đạt Cấp xã: 19,35% (6/31)", "–", "–", "Không đạt 19,35% (6/31) chung cả cấp"]
    # communes only, and the province's pooled figure holds a department: a tally, no verdict
    assert view.cells(row.format("e_result_commune")) == [
        "Tỷ lệ hồ sơ có kết quả điện tử", "III.2", "tối thiểu 90%", "–",
        "Không đánh giá số liệu gộp (gồm cả cấp không giao hoặc giao mức khác): Đạt 2/2 đơn vị "
        "cấp xã",
        "–", "–", "Đạt 2/2"]
    head = view.page.locator("#summary tr[data-target=e_result_commune] td.sc-head")
    assert head.locator(".st").count() == 0  # no status word where evaluation gave none
    # the new status is styled like the others (report.format.STATUS_COLOURS)
    colour = view.page.locator("#summary .st-in_progress").first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(255, 241, 201)"
    view.close()


def test_units_table_tasks_leads_and_rank_in_level(site, browser):
    view = Opened(browser, site / "index.html")
    page = view.page
    headers = view.cells("#units thead th")
    assert headers[-7:] == ["Số chỉ tiêu đạt", "Nhiệm vụ", "Dấu hiệu cần xem xét", "Chỉ số 766",
                            "Xếp loại", "Xếp hạng trong cấp", "Báo cáo"]

    def cell(unit: str, css: str) -> str:
        return " ".join(page.locator(f'#units tr[data-unit="{unit}"] td.{css}').inner_text()
                        .split())

    tasks = {u: cell(u, "tasks") for u in ("DEMO-P", "DEMO-S", "DEMO-D", "DEMO-C1", "DEMO-C2")}
    assert tasks == {"DEMO-P": "–", "DEMO-S": "đúng hạn 1/1, quá hạn 0",
                     "DEMO-D": "đúng hạn 0/1, quá hạn 1", "DEMO-C1": "đúng hạn 2/2, quá hạn 0",
                     "DEMO-C2": "đúng hạn 0/2, quá hạn 1"}
    # the appointment lead points at DEMO-C1 only; its link opens the report's section
    leads = {u: cell(u, "leads") for u in ("DEMO-P", "DEMO-S", "DEMO-D", "DEMO-C1", "DEMO-C2")}
    assert leads == {"DEMO-P": "–", "DEMO-S": "0", "DEMO-D": "–", "DEMO-C1": "1 dấu hiệu",
                     "DEMO-C2": "0"}
    link = page.locator('#units tr[data-unit="DEMO-C1"] td.leads a')
    assert link.get_attribute("href") == "./DEMO-C1.html#leads"
    assert "Ngày hẹn trả vượt thời hạn quy định" in page.locator(
        '#units tr[data-unit="DEMO-C1"] td.leads').get_attribute("title")
    assert "không phải kết luận vi phạm" in page.inner_text("#sec-units + p")
    # ranks are within the level: the communes are ranked among 2, the others alone
    ranks = {u: cell(u, "rank") for u in ("DEMO-P", "DEMO-S", "DEMO-D", "DEMO-C1", "DEMO-C2")}
    totals = {u: float(page.locator(f'#units tr[data-unit="{u}"] td.rank').evaluate(
        "e => e.previousElementSibling.previousElementSibling.getAttribute('data-v')"))
        for u in ("DEMO-C1", "DEMO-C2")}
    better, worse = sorted(totals, key=totals.get, reverse=True)
    assert ranks[better] == "1/2" and ranks[worse] == "2/2"
    assert ranks["DEMO-P"] == ranks["DEMO-S"] == ranks["DEMO-D"] == "1/1"
    # units never show a verdict evaluation did not give: the communes' level target is "–"
    col = headers.index("Hồ sơ tiếp nhận trực tuyến")
    for unit in ("DEMO-C1", "DEMO-C2"):
        assert page.locator(f'#units tr[data-unit="{unit}"] td').nth(col).inner_text() == "–"
    view.close()


def test_overdue_assignments_by_lead_unit(site, browser):
    view = Opened(browser, site / "index.html")
    assert view.page.inner_text("#tasks-line") == (
        "Đến hết ngày 30/06/2025: 6 lượt nhiệm vụ đến hạn, 3 hoàn thành đúng hạn, 1 hoàn thành "
        "trễ hạn, 2 quá hạn chưa hoàn thành ở 2 đơn vị chủ trì.")
    assert view.cells("#overdue tbody tr") == [
        "Huyện Một (Cấp huyện): 1 nhiệm vụ quá hạn",
        "I.2 Rà soát, đơn giản hóa TTHC Tháng 05/2025 31/05/2025 30",
        "Xã Hai (Cấp xã): 1 nhiệm vụ quá hạn",
        "I.3 kỳ 2025-05 Báo cáo tình hình giải quyết TTHC Tháng 2, 5, 8, 11/2025 31/05/2025 30"]
    view.close()


def test_index766_breakdown_of_the_province(site, browser):
    view = Opened(browser, site / "index.html")
    page = view.page
    assert page.inner_text("#sec-index766").endswith("Tỉnh Thử (gồm mọi đơn vị trực thuộc)")
    assert "1 tiêu chí lấy giá trị nhập tay, 7 tiêu chí không có dữ liệu." in page.inner_text(
        "#sec-index766 + p")
    groups = view.cells("#index766 tr.grp td:first-child")
    assert groups == ["Công khai", "Tiến độ giải quyết", "Dịch vụ công trực tuyến",
                      "Thanh toán trực tuyến", "Mức độ hài lòng", "Số hóa hồ sơ"]
    rows = {r.split(" | ")[0]: r.split(" | ")[1:] for r in page.locator(
        "#index766 tbody tr:not(.grp)").evaluate_all(
        "rs => rs.map(r => Array.from(r.cells).map(c => (c.firstChild?.textContent ?? '').trim())"
        ".join(' | '))")}
    # 32 cases received in the quarter (7 resolved, 25 pending), 31 on time at its end
    assert rows["Hồ sơ giải quyết đúng hạn (xét tại cuối kỳ)"][:2] == ["96,88%", "31/32"]
    assert rows["Tỷ lệ hồ sơ trực tuyến"][:2] == ["21,88%", "7/32"]  # 7 online of 32
    assert rows["Chứng thực bản sao điện tử"][-1] == "Nhập tay (bảng manual)"
    assert rows["Chứng thực bản sao điện tử"][2:4] == ["2,00", "2,00"]
    assert rows["Công bố TTHC đúng hạn"][-1] == "Không có dữ liệu"
    assert rows["Công bố TTHC đúng hạn"][4] == "6,00"  # all of it lost
    view.close()


def test_late_list_link_and_months_without_one(site, browser):
    view = Opened(browser, site / "index.html")
    page = view.page
    items = view.cells("#late-lists li")
    assert items[1:] == ["Tháng 05/2025: chưa lập", "Tháng 06/2025: chưa lập"]
    assert items[0].startswith("Tháng 04/2025: lập lúc ")
    assert items[0].endswith(": 1 đơn vị, 1 hồ sơ chậm, muộn")
    link = page.locator("#late-lists a")
    assert link.count() == 1 and link.get_attribute("href") == "../2025-04/late-list.html"
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/2025-04/late-list.html")
    assert "Xã Một" in page.inner_text("#late-list")
    view.close()


def _unit_order(page) -> list[str]:
    return page.locator("#units tbody tr").evaluate_all(
        "rs => rs.map(r => r.getAttribute('data-unit'))")


def test_keyboard_sorting_with_aria_sort_and_ratio(site, browser):
    view = Opened(browser, site / "index.html")
    page = view.page
    header = page.locator("#units thead th", has_text="Số chỉ tiêu đạt")
    button = header.locator("button")
    assert header.get_attribute("aria-sort") == "none"
    button.focus()
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    # passed / judged: P 1/3, C1 2/3, then S 1/1 and D 1/1 (tie: fewer passed first, then the
    # page's order), C2 2/2 — a ratio, not a count (2/3 is below 1/1)
    assert _unit_order(page) == ["DEMO-P", "DEMO-C1", "DEMO-S", "DEMO-D", "DEMO-C2"]
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") == "descending"
    assert _unit_order(page) == ["DEMO-C2", "DEMO-S", "DEMO-D", "DEMO-C1", "DEMO-P"]
    assert page.inner_text("#sort-status") == "Đã sắp xếp theo cột Số chỉ tiêu đạt, giảm dần"
    # one column at a time carries the direction
    others = page.locator("#units thead th[aria-sort]").evaluate_all(
        "hs => hs.filter(h => h.getAttribute('aria-sort') !== 'none').length")
    assert others == 1
    # the task column: on-time share, units leading nothing last in both directions
    tasks = page.locator("#units thead th", has_text="Nhiệm vụ").locator("button")
    tasks.focus()
    page.keyboard.press("Enter")  # from C2, S, D, C1, P: ties keep that order
    assert _unit_order(page) == ["DEMO-C2", "DEMO-D", "DEMO-S", "DEMO-C1", "DEMO-P"]
    page.keyboard.press("Enter")
    assert _unit_order(page) == ["DEMO-S", "DEMO-C1", "DEMO-C2", "DEMO-D", "DEMO-P"]
    view.close()


def test_phone_width_scrolls_inside_boxes_with_the_unit_column_fixed(site, browser):
    view = Opened(browser, site / "index.html", width=390, height=360)
    page = view.page
    # no page-level horizontal scroll at 390 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#units-box")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the table scrolls in its box
    box.evaluate("b => b.scrollIntoView()")
    box.evaluate("b => { b.scrollLeft = b.scrollWidth; b.scrollTop = b.scrollHeight; }")
    page.wait_for_timeout(100)
    assert box.evaluate("b => b.scrollLeft") > 200
    left = box.evaluate("b => b.getBoundingClientRect().left")
    top = box.evaluate("b => b.getBoundingClientRect().top")
    # the unit column stays at the box's left edge, on top of the scrolled cells
    last = page.locator("#units tbody tr").last.locator("td").first
    rect = last.evaluate("c => { const r = c.getBoundingClientRect(); "
                         "return [r.left, r.top, r.width, r.height]; }")
    assert abs(rect[0] - left) <= 2
    hit = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('td, th')"
                        "?.classList.contains('unit')", [rect[0] + 10, rect[1] + 10])
    assert hit
    # the header row stays at the box's top while the rows scroll under it
    assert box.evaluate("b => b.scrollTop") > 0
    th = page.locator("#units thead th").first.evaluate("c => c.getBoundingClientRect().top")
    assert abs(th - top) <= 2
    # the summary table scrolls in its own box too, its target column readable (≥ 120 px)
    width = page.locator("#summary tbody td").first.evaluate(
        "c => c.getBoundingClientRect().width")
    assert width >= 120
    view.close()

