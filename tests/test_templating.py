"""HTML from templates: escaping is the default, links from data are relative file links."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from scorecard.report import tables
from scorecard.report.templating import href, render_page, safe_url

SCRIPT = "<script>alert(1)</script>"


def test_href_is_one_encoded_relative_segment():
    assert href("javascript:alert(1)", ".html") == "./javascript%3Aalert%281%29.html"
    assert href("../../escape", ".html") == "./..%2F..%2Fescape.html"
    assert href("/tmp/abs", ".html") == "./%2Ftmp%2Fabs.html"
    assert href("Xã An #2?", ".html") == "./X%C3%A3%20An%20%232%3F.html"
    assert href('"><img src=x>', "") == "./%22%3E%3Cimg%20src%3Dx%3E"


@pytest.mark.parametrize("url, expected", [
    ("https://dichvucong.gov.vn/p/home", "https://dichvucong.gov.vn/p/home"),
    ("http://x.vn/a?b=1#c", "http://x.vn/a?b=1#c"),
    ("../assets/plotly.min.js", "../assets/plotly.min.js"),
    ("index.html", "index.html"),
    ("#summary", "#summary"),
    ("javascript:alert(1)", "#"),
    ("JaVaScRiPt:alert(1)", "#"),
    ("  javascript:alert(1)", "#"),
    ("java\tscript:alert(1)", "#"),
    ("vbscript:msgbox(1)", "#"),
    ("data:text/html,<script>alert(1)</script>", "#"),
    ("file:///etc/passwd", "#"),
    ("//evil.example/x", "#"),
    ("\\\\evil.example\\x", "#"),
    ("/\\evil.example", "#"),
    ("http:evil", "#"),
    ("", "#"),
    (None, "#"),
])
def test_safe_url_lets_through_only_http_relative_and_fragments(url, expected):
    assert safe_url(url) == expected


def _unstyled(html: str) -> str:
    """``html`` without its inline style attributes (report.styles: constants, not data)."""
    return re.sub(r' style="[^"<>]*"', "", html)


def test_fragments_escape_every_value():
    df = pd.DataFrame({"Đơn vị": [SCRIPT], "Kết quả": ["Đạt"], "_status": ['pass" onclick="x'],
                       "Số hồ sơ": ["<b>1</b>"]})
    styled = tables.html_table(df, table_id='t" onload="x')
    html = _unstyled(styled)
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'id="t&#34; onload=&#34;x"' in html
    assert 'class="st st-pass&#34; onclick=&#34;x"' in html
    assert '<td class="num">&lt;b&gt;1&lt;/b&gt;</td>' in html
    # a status nobody declared is drawn in the no-data grey, whatever its text
    assert 'style="font-weight:600;white-space:nowrap;border-radius:3px;padding:1px 5px;' \
           'background:#eeeeee;color:#555555">Đạt</span>' in styled
    assert tables.heading(SCRIPT, 9) == "<h6>&lt;script&gt;alert(1)&lt;/script&gt;</h6>"
    assert _unstyled(tables.paragraphs(["a<b", None])) == (
        '<p class="sc-note">a&lt;b</p><p class="sc-note">–</p>')
    assert _unstyled(tables.facts_html([("<k>", float("nan"))])) == (
        '<table class="sc-facts"><tbody><tr><th>&lt;k&gt;</th><td>–</td></tr></tbody></table>')
    assert _unstyled(tables.kpis_html([("<i>x</i>", "1", "fail")])) == (
        '<div class="sc-kpis"><div class="sc-kpi st-fail"><b>1</b>&lt;i&gt;x&lt;/i&gt;</div></div>')
    assert _unstyled(tables.html_table(pd.DataFrame(), empty=SCRIPT)) == (
        '<p class="sc-note">&lt;script&gt;alert(1)&lt;/script&gt;</p>')


def test_fragments_carry_their_look_inline():
    """JupyterLab keeps style attributes (not <style>): header cells, figures right-aligned,
    status colours and KPI tiles with their figure on its own line."""
    from scorecard.report.format import STATUS_COLOURS

    df = pd.DataFrame({"Chỉ tiêu": ["a"], "Kết quả": ["Không đạt"], "_status": ["fail"],
                       "Giá trị": ["75% (3/4)"]})
    html = tables.html_table(df)
    assert '<th style="border:1px solid #d5dce4;padding:4px 7px;vertical-align:top;' \
           'background:#1f4e79;color:#ffffff;text-align:left;font-weight:600">Chỉ tiêu</th>' in html
    assert 'text-align:right;white-space:nowrap">75% (3/4)</td>' in html
    bg, fg = STATUS_COLOURS["fail"]
    assert f"background:{bg};color:{fg}\">Không đạt</span>" in html
    tiles = tables.kpis_html([("chỉ tiêu đạt", "7", "pass"), ("điểm", "80,5", "")])
    assert '<b style="display:block;font-size:20px;font-weight:700">7</b>chỉ tiêu đạt' in tiles
    assert f"background:{STATUS_COLOURS['pass'][0]}" in tiles
    assert "<style" not in html + tiles


def test_report_page_frame_escapes_title_and_checks_links():
    page = render_page("report_page.html.j2", title=SCRIPT, body="<p>x</p>",
                       plotly_src="javascript:alert(1)", index_href="index.html")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert '<script src="#"></script>' in page
    assert "&lt;p&gt;x&lt;/p&gt;" in page  # a plain string body is text, not markup
