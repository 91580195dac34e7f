"""Charts as notebook outputs: the MIME bundle JupyterLab draws and the page's HTML, the
trend as small multiples, and how a section's parts become outputs."""

from __future__ import annotations

import json

import pandas as pd

from scorecard.report import charts
from scorecard.report.charts import PLOTLY_MIME, Chart, trend_small_multiples
from scorecard.report.display import outputs

SCRIPT = "<script>alert(1)</script>"


def _trend(n_targets: int) -> pd.DataFrame:
    rows = []
    for t in range(n_targets):
        for q, (label, value, status) in enumerate([("Quý I/2025", 0.5, "fail"),
                                                    ("Quý II/2025", 0.97, "pass")]):
            rows.append({"series": f"Tỷ lệ chỉ tiêu {t}", "period": f"2025Q{q + 1}",
                         "period_label": label, "value": value, "target_id": f"t{t}",
                         "threshold": 0.95, "comparator": ">", "status": status})
    return pd.DataFrame(rows)


def test_figure_bundle_for_jupyterlab_and_the_page():
    fig = charts.target_bullet({"value": 0.75, "threshold": 0.95, "comparator": ">",
                                "status": "fail", "label": SCRIPT})
    bundle = charts.figure_bundle(fig, "target-on_time")
    assert set(bundle) == {PLOTLY_MIME, "text/html", "text/plain"}
    spec = bundle[PLOTLY_MIME]
    assert set(spec) == {"data", "layout", "config"}
    assert spec["data"][0]["type"] == "indicator" and spec["data"][0]["value"] == 0.75
    assert spec["config"]["displaylogo"] is False
    json.dumps(spec)  # plain JSON: what the notebook file stores
    # the same texts in both, escaped: plotly draws the entities as the characters
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in spec["layout"]["title"]["text"]
    assert SCRIPT not in json.dumps(spec)
    assert 'id="sc-target-on_time"' in bundle["text/html"]
    assert "<script src" not in bundle["text/html"]  # the page loads plotly.js once


def test_trend_small_multiples_one_panel_per_target():
    fig = trend_small_multiples(_trend(7), title="Xu hướng")
    lines = [t for t in fig["data"] if t["name"] != "Yêu cầu"]
    targets = [t for t in fig["data"] if t["name"] == "Yêu cầu"]
    assert len(lines) == 7 and len(targets) == 7
    # each target on its own axes, three panels a row, 3 rows
    assert [t["xaxis"] for t in lines] == ["x", "x2", "x3", "x4", "x5", "x6", "x7"]
    lay = fig["layout"]
    doms = [(lay[f"xaxis{a}"]["domain"], lay[f"yaxis{a}"]["domain"])
            for a in ["", "2", "3", "4", "5", "6", "7"]]
    assert [d[0] for d in doms[:3]] == [d[0] for d in doms[3:6]]  # columns line up
    for (x0, x1), (y0, y1) in doms:
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
    tops = sorted({d[1][1] for d in doms}, reverse=True)
    assert len(tops) == 3 and tops[0] == 1.0
    # panels never overlap: the next row's top is below this row's bottom
    bottoms = sorted({d[1][0] for d in doms}, reverse=True)
    assert tops[1] < bottoms[0] and tops[2] < bottoms[1]
    # points coloured by the period's verdict, the threshold dashed, the same 0–100% axes
    assert lines[0]["marker"]["color"] == [charts.RED, charts.GREEN]
    assert targets[0]["y"] == [0.95, 0.95] and targets[0]["line"]["dash"] == "dash"
    assert all(lay[f"yaxis{a}"]["range"] == [0, 1.05] for a in ["", "2", "7"])
    titles = [a["text"] for a in lay["annotations"]]
    assert titles[0] == "Chỉ tiêu 0"  # short label: without "Tỷ lệ"


def test_trend_small_multiples_escape_names():
    df = _trend(1).assign(series=SCRIPT)
    fig = trend_small_multiples(df, title=SCRIPT)
    text = json.dumps(fig, ensure_ascii=False)
    assert SCRIPT not in text and "&lt;script&gt;" in text
    assert fig["data"][0]["hovertemplate"].endswith("<extra>%{fullData.name}</extra>")


def test_outputs_join_html_and_keep_charts_apart():
    chart = Chart(charts.bar_chart(["a"], [0.5], title="t"), "fields")
    out = outputs("<p>1</p>", None, "", ["<p>2</p>", [chart]], "<p>3</p>", chart)
    assert [sorted(o) for o in out] == [
        ["text/html"], [PLOTLY_MIME, "text/html", "text/plain"], ["text/html"],
        [PLOTLY_MIME, "text/html", "text/plain"]]
    assert out[0]["text/html"] == "<p>1</p><p>2</p>"
    assert out[2]["text/html"] == "<p>3</p>"
    assert outputs() == []
