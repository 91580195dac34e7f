"""Plotly figures of the scorecard, and how a notebook shows them.

Figures are plain plotly figure dicts (``{"data": [...], "layout": {...}}``, the same traces as
``go.Indicator``/``go.Bar``/``go.Scatter``): building ``go.Figure`` objects validates every
property and costs ~8 ms a figure, more than the rest of a report's charts together. Pass a dict
to ``go.Figure(fig)`` to get the object. They use a small built-in layout (no plotly template:
the default one adds ~10 KB of JSON to every figure) and Vietnamese number formats
(``separators=",."``: decimal comma, dot thousands).

A notebook shows a figure as one output carrying two representations
(:func:`figure_bundle`): plotly's notebook MIME type ``application/vnd.plotly.v1+json``
(data, layout, config), which JupyterLab draws with the renderer the plotly package installs
(the ``jupyterlab-plotly`` extension: plotly.js bundled, no network, trusted or not), and
``text/html``, a ``<div>`` and a call to ``Plotly.newPlot`` that expects plotly.js already
loaded by the page: the exported report pages load ``../assets/plotly.min.js`` once and
nbconvert picks ``text/html`` (it ranks above any other type of the bundle), so the page stays
small and offline. Div ids are deterministic so the same data gives the same page.
:class:`Chart` is a figure with its name, the part :mod:`scorecard.report.display` emits.

plotly.js renders a subset of HTML in every text it draws (titles, axis and category labels,
legend names, hover texts, annotations: ``<a href>``, ``<b>``, ``<br>``, entities…), so every
text built from data goes through :func:`plotly_text` (``<``, ``>`` and ``&`` as entities, which
plotly shows as the characters themselves): a field or target named
``<a href="javascript:…">`` is drawn as those characters, never as a link, in the page and in
JupyterLab alike. Hover templates name a trace through ``%{fullData.name}`` rather than pasting
the name into the template, so a name holding ``%{…}`` is not read as a placeholder either.
"""

from __future__ import annotations

import html as _html
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from scorecard.report.format import (
    fmt_points,
    fmt_threshold,
    fmt_value,
    is_missing,
    short_label,
    status_vi,
)

Figure = dict[str, Any]
#: plotly's notebook MIME type (drawn by JupyterLab's plotly renderer).
PLOTLY_MIME = "application/vnd.plotly.v1+json"

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


@dataclass(frozen=True)
class Chart:
    """A figure and its name (the div id is ``sc-<name>``): one output of a notebook."""

    figure: Figure
    name: str

    def bundle(self) -> dict[str, Any]:
        """The output's MIME bundle (see :func:`figure_bundle`)."""
        return figure_bundle(self.figure, self.name)


def figure_bundle(fig: Figure, name: str) -> dict[str, Any]:
    """The MIME bundle of a figure's output: ``application/vnd.plotly.v1+json`` (data, layout,
    config: JupyterLab draws it), ``text/html`` (div id ``sc-<name>`` and the ``Plotly.newPlot``
    call: the exported page draws it with its shared plotly.js) and ``text/plain``."""
    import plotly.io as pio

    div_id = f"sc-{_slug(name)}"
    html = pio.to_html(fig, full_html=False, include_plotlyjs=False, div_id=div_id,
                       config=_CONFIG, validate=False)
    plain = {"data": fig.get("data", []), "layout": fig.get("layout", {})}
    spec = json.loads(pio.to_json(plain, validate=False))  # JSON types only (no numpy)
    spec["config"] = dict(_CONFIG)
    return {PLOTLY_MIME: spec, "text/html": html, "text/plain": f"<Figure {div_id}>"}


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


def _panel_domains(n: int, columns: int, *, gap_x: float, gap_y: float
                   ) -> list[tuple[list[float], list[float]]]:
    """Paper domains (x, y) of ``n`` panels in a grid of ``columns``, left to right, top down;
    ``gap_x``/``gap_y``: the space between panels as fractions of the plot area (below each
    panel: its tick labels, above: the next panel's title)."""
    rows = max(1, math.ceil(n / columns))
    width, height = 1.0 / columns, 1.0 / rows
    out = []
    for i in range(n):
        r, c = divmod(i, columns)
        x0 = c * width + (gap_x / 2 if c else 0.0)
        x1 = (c + 1) * width - (gap_x / 2 if c < columns - 1 else 0.0)
        top = 1.0 - r * height
        y0 = top - height + (gap_y if r < rows - 1 else 0.0)
        out.append(([round(x0, 4), round(x1, 4)], [round(y0, 4), round(top, 4)]))
    return out


def trend_small_multiples(df: pd.DataFrame, *, title: str, columns: int = 3,
                          kind: str = "rate") -> Figure:
    """One small panel per ``series`` (a target), in plan order: ``value`` by ``period_label``
    as a line whose points are coloured by that period's ``status`` (green pass, red fail,
    grey otherwise), and the period's ``threshold`` as a dashed black line. Every panel has
    the same axes (0–100% for rates) and the target's short label as its title, so 17 targets
    read as 17 small charts rather than 17 lines in repeated colours."""
    fmt = "%{y:.2%}" if kind == "rate" else "%{y:,.0f}"
    groups = list(df.groupby("series", sort=False))
    n = len(groups)
    cols = max(1, min(columns, n))
    rows = max(1, math.ceil(n / cols))
    panel, between, top, bottom = 130, 62, 70, 34  # pixels: a panel, the space below it
    area = rows * panel + (rows - 1) * between
    domains = _panel_domains(n, cols, gap_x=0.07, gap_y=between / area)
    data: list[dict[str, Any]] = []
    layout = base_layout(title=dict(text=plotly_text(title), font=dict(size=14), x=0.01),
                         height=area + top + bottom,
                         margin=dict(l=50, r=16, t=top, b=bottom), annotations=[])
    for i, (name, sub) in enumerate(groups):
        ax = "" if i == 0 else str(i + 1)
        x = [plotly_text(p) for p in sub["period_label"]]
        status = list(sub["status"]) if "status" in sub.columns else [None] * len(sub)
        data.append(dict(
            type="scatter", x=x, y=[None if is_missing(v) else float(v) for v in sub["value"]],
            mode="lines+markers", name=plotly_text(name), xaxis=f"x{ax}", yaxis=f"y{ax}",
            line=dict(color=BLUE, width=2),
            marker=dict(size=8, color=[STATUS_BAR.get(str(st), GREY) for st in status]),
            hovertemplate="%{x}: " + fmt + "<extra>%{fullData.name}</extra>"))
        if "threshold" in sub.columns and sub["threshold"].notna().any():
            data.append(dict(
                type="scatter", x=x,
                y=[None if is_missing(v) else float(v) for v in sub["threshold"]],
                mode="lines", name="Yêu cầu", xaxis=f"x{ax}", yaxis=f"y{ax}",
                line=dict(color="black", width=1, dash="dash"),
                hovertemplate="%{x}: yêu cầu " + fmt + "<extra></extra>"))
        (x0, x1), (y0, y1) = domains[i]
        layout[f"xaxis{ax}"] = dict(domain=[x0, x1], anchor=f"y{ax}", type="category",
                                    tickfont=dict(size=10), showgrid=False)
        layout[f"yaxis{ax}"] = dict(domain=[y0, y1], anchor=f"x{ax}", gridcolor="#e6e9ed",
                                    tickformat=".0%" if kind == "rate" else ",.0f",
                                    tickfont=dict(size=10),
                                    **({"range": [0, 1.05]} if kind == "rate"
                                       else {"rangemode": "tozero"}))
        layout["annotations"].append(dict(
            text=plotly_text(short_label(str(name), 48)), xref="paper", yref="paper",
            x=x0, y=y1, xanchor="left", yanchor="bottom", yshift=4, showarrow=False,
            font=dict(size=11)))
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
