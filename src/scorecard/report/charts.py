"""Plotly figures of the scorecard, and how a notebook shows them.

Figures are plain plotly figure dicts (``{"data": [...], "layout": {...}}``, the same traces as
``go.Indicator``/``go.Bar``/``go.Scatter``): building ``go.Figure`` objects validates every
property and costs ~8 ms a figure, more than the rest of a report's charts together. Pass a dict
to ``go.Figure(fig)`` to get the object. They use a small built-in layout (no plotly template:
the default one adds ~10 KB of JSON to every figure) and Vietnamese number formats
(``separators=",."``: decimal comma, dot thousands).
:func:`show` displays a figure as HTML that expects plotly.js to be already loaded by the page
(the report pages load ``../assets/plotly.min.js`` once), without an inline copy of the data,
so the exported page stays small. Div ids are deterministic so the same data gives the same page.

plotly.js renders a subset of HTML in every text it draws (titles, axis and category labels,
legend names, hover texts, annotations: ``<a href>``, ``<b>``, ``<br>``, entities…), so every
text built from data goes through :func:`plotly_text` (``<``, ``>`` and ``&`` as entities, which
plotly shows as the characters themselves): a field or target named
``<a href="javascript:…">`` is drawn as those characters, never as a link. Hover templates
name a trace through ``%{fullData.name}`` rather than pasting the name into the template, so a
name holding ``%{…}`` is not read as a placeholder either.
"""

from __future__ import annotations

import html as _html
import math
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from scorecard.report.format import (
    fmt_pct,
    fmt_points,
    fmt_threshold,
    fmt_value,
    is_missing,
    status_vi,
)

Figure = dict[str, Any]

GREEN, RED, GREY, BLUE = "#2e7d32", "#c62828", "#9e9e9e", "#1f4e79"
STATUS_BAR = {"pass": GREEN, "fail": RED, "in_progress": GREY, "no_data": GREY,
              "not_applicable": GREY}
_CONFIG = {"displaylogo": False, "responsive": True, "locale": "vi",
           "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def plotly_text(value: Any) -> str:
    """``value`` as text plotly draws literally: ``<``, ``>`` and ``&`` become entities (plotly
    renders a subset of HTML in its texts; entities show as the characters)."""
    return _html.escape("" if is_missing(value) else str(value), quote=False)


def base_layout(**kw: Any) -> dict[str, Any]:
    """The common layout: plain white, decimal comma, compact margins."""
    layout: dict[str, Any] = dict(
        separators=",.", paper_bgcolor="white", plot_bgcolor="white",
        font=dict(family="DejaVu Sans, Arial, sans-serif", size=12, color="#1d2733"),
        margin=dict(l=60, r=20, t=40, b=40), showlegend=False,
    )
    layout.update(kw)
    return layout


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "fig"


def show(fig: Figure, name: str) -> None:
    """Display ``fig`` in a notebook as HTML (plotly.js is loaded once by the page)."""
    from IPython.display import display

    display(figure_bundle(fig, name), raw=True)


def html(fig: Figure, name: str) -> str:
    """The figure as an HTML fragment (div id ``sc-<name>``), to join with other HTML in one
    output: a report renders faster with fewer outputs (each is a message to and from the
    kernel)."""
    return figure_bundle(fig, name)["text/html"]


def figure_bundle(fig: Figure, name: str) -> dict[str, Any]:
    """The mime bundle :func:`show` displays (HTML with div id ``sc-<name>``)."""
    import plotly.io as pio

    div_id = f"sc-{_slug(name)}"
    html = pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id,
                       config=_CONFIG, validate=False)
    return {"text/html": html, "text/plain": f"<Figure {div_id}>"}


def _axis_max(kind: str, *values: Any) -> float:
    vals = [float(v) for v in values if not is_missing(v)]
    if kind == "rate":
        return 1.0
    top = max(vals + [1.0])
    return float(10 ** math.ceil(math.log10(top * 1.1)))  # round up to a power of ten


def target_bullet(row: pd.Series | dict[str, Any], kind: str = "rate") -> Figure:
    """A bullet chart of one target: the value as a bar (green pass / red fail) and the
    threshold as a black line. ``row`` holds value, threshold, comparator, status, label."""
    value, threshold = row.get("value"), row.get("threshold")
    status = str(row.get("status"))
    colour = STATUS_BAR.get(status, GREY)
    top = _axis_max(kind, value, threshold)
    ind = dict(
        type="indicator", mode="number+gauge" if not is_missing(value) else "gauge",
        value=0.0 if is_missing(value) else float(value),
        number=dict(valueformat=".2%" if kind == "rate" else ",.0f", font=dict(size=20)),
        gauge=dict(
            shape="bullet",
            axis=dict(range=[0, top], tickformat=".0%" if kind == "rate" else ",.0f"),
            bar=dict(color=colour, thickness=0.55),
            threshold={} if is_missing(threshold) else dict(
                line=dict(color="black", width=3), thickness=0.9, value=float(threshold)),
            bgcolor="#f1f3f5",
        ),
        domain=dict(x=[0.0, 0.86], y=[0, 1]),
    )
    label = plotly_text(f"{row.get('label', '')} — {status_vi(status)}")
    target_txt = "" if is_missing(threshold) else plotly_text(
        f"chỉ tiêu: {fmt_threshold(str(row.get('comparator', '')), threshold, kind)}")
    return {"data": [ind], "layout": base_layout(
        height=110, margin=dict(l=20, r=20, t=34, b=26),
        title=dict(text=f"{label}  <span style='font-size:11px'>({target_txt})</span>",
                   font=dict(size=13), x=0.01),
    )}


def trend_chart(df: pd.DataFrame, *, title: str, threshold: float | None = None,
                kind: str = "rate") -> Figure:
    """Lines of ``value`` by ``period_label`` per ``series`` (e.g. target label)."""
    fmt = "%{y:.2%}" if kind == "rate" else "%{y:,.0f}"
    data = [dict(type="scatter", x=[plotly_text(x) for x in sub["period_label"]],
                 y=[None if is_missing(v) else float(v) for v in sub["value"]],
                 mode="lines+markers", name=plotly_text(name),
                 hovertemplate="%{x}: " + fmt + "<extra>%{fullData.name}</extra>")
            for name, sub in df.groupby("series", sort=False)]
    rows = math.ceil(len(data) / 3)  # legend entries, about three a line below the plot
    layout = base_layout(height=300 + 20 * rows,
                         title=dict(text=plotly_text(title), font=dict(size=14)),
                         showlegend=True, legend=dict(orientation="h", y=-0.12, yanchor="top"),
                         margin=dict(l=60, r=20, t=40, b=40 + 20 * rows),
                         yaxis=dict(tickformat=".0%" if kind == "rate" else ",.0f",
                                    gridcolor="#e6e9ed", rangemode="tozero"))
    if threshold is not None and not is_missing(threshold):
        layout["shapes"] = [dict(type="line", xref="paper", x0=0, x1=1, y0=float(threshold),
                                 y1=float(threshold), line=dict(color="black", dash="dash",
                                                                width=1))]
        layout["annotations"] = [dict(xref="paper", x=0, y=float(threshold), yanchor="bottom",
                                      showarrow=False, text=f"chỉ tiêu {fmt_pct(threshold)}")]
    return {"data": data, "layout": layout}


def bar_chart(labels: Sequence[str], values: Sequence[Any], *, title: str, kind: str = "rate",
              colours: Sequence[str] | None = None, threshold: float | None = None,
              height: int | None = None) -> Figure:
    """Horizontal bars (e.g. on-time rate by field, points lost per metric)."""
    vals = [None if is_missing(v) else float(v) for v in values]
    text = [fmt_points(v) if kind == "points" else fmt_value(v, kind) for v in values]
    bar = dict(type="bar", x=vals, y=[plotly_text(x) for x in labels], orientation="h",
               text=[plotly_text(t) for t in text],
               textposition="auto", marker=dict(color=list(colours) if colours else BLUE),
               hovertemplate="%{y}: %{text}<extra></extra>")
    xaxis: dict[str, Any] = dict(tickformat={"rate": ".0%", "points": ",.1f"}.get(kind, ",.0f"),
                                 gridcolor="#e6e9ed")
    if kind == "rate":
        xaxis["range"] = [0, 1.0]
    layout = base_layout(height=height or max(180, 26 * len(vals) + 80),
                         title=dict(text=plotly_text(title), font=dict(size=14)),
                         margin=dict(l=220, r=20, t=40, b=30), xaxis=xaxis,
                         yaxis=dict(autorange="reversed", automargin=True))
    if threshold is not None and not is_missing(threshold):
        layout["shapes"] = [dict(type="line", yref="paper", y0=0, y1=1, x0=float(threshold),
                                 x1=float(threshold), line=dict(color="black", dash="dash",
                                                                width=1))]
    return {"data": [bar], "layout": layout}


def points_lost_chart(metric_labels: Sequence[str], lost: Sequence[float], *,
                      title: str = "Điểm bị mất theo tiêu chí") -> Figure:
    """Where the 766 points went: points lost per metric, largest first."""
    return bar_chart(metric_labels, lost, title=title, kind="points",
                     colours=[RED] * len(lost))
