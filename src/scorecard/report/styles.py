"""The look of a report's notebook fragments, as inline ``style`` attributes.

An executed report (``reports/<period>/<unit>.ipynb``) opened in JupyterLab shows its HTML
outputs without the page's stylesheet, and JupyterLab drops ``<style>`` elements from outputs
of a notebook that is not trusted (an audit notebook never is) while keeping ``style``
attributes whose properties it allows (colours, borders, padding, display, flex, font size,
alignment…). So the fragments of :mod:`scorecard.report.tables` carry their look inline: the
same tables, tiles and status colours in JupyterLab as in the exported page (where these
inline styles repeat the page's CSS). Declared once here; the templates use them through the
``css`` global and the ``status_css`` function of :mod:`scorecard.report.templating`.
"""

from __future__ import annotations

from scorecard.report.format import STATUS_COLOURS

_CELL = "border:1px solid #d5dce4;padding:4px 7px;vertical-align:top"

#: Inline styles of the fragment elements, by name.
CSS: dict[str, str] = {
    "table": "border-collapse:collapse;font-size:13px;margin:6px 0 12px",
    "th": f"{_CELL};background:#1f4e79;color:#ffffff;text-align:left;font-weight:600",
    "td": f"{_CELL};text-align:left",
    "td_num": f"{_CELL};text-align:right;white-space:nowrap",
    "note": "font-size:13px;color:#52606d;margin:4px 0",
    "kpis": "display:flex;flex-wrap:wrap;gap:10px;margin:8px 0",
    "kpi": "border:1px solid #d5dce4;border-radius:4px;padding:6px 12px;min-width:130px",
    "kpi_value": "display:block;font-size:20px;font-weight:700",
    "status": "font-weight:600;white-space:nowrap;border-radius:3px;padding:1px 5px",
    "demo": ("background:#b71c1c;color:#ffffff;font-weight:700;text-align:center;padding:8px;"
             "letter-spacing:0.5px;font-size:15px"),
    "prov": ("font-size:12px;color:#52606d;background:#f4f6f8;border:1px solid #dde3ea;"
             "padding:6px 10px;margin:8px 0"),
    "prov_item": "margin-right:16px;display:inline-block",
}


def status_css(status: str) -> str:
    """The inline style of a status word (its background and text colour); unknown statuses
    get the no-data grey."""
    bg, fg = STATUS_COLOURS.get(str(status), STATUS_COLOURS["no_data"])
    return f"{CSS['status']};background:{bg};color:{fg}"


def tile_css(status: str) -> str:
    """The inline style of a KPI tile, tinted by ``status`` ('' for a plain tile)."""
    if not status:
        return CSS["kpi"]
    bg, fg = STATUS_COLOURS.get(str(status), STATUS_COLOURS["no_data"])
    return f"{CSS['kpi']};background:{bg};color:{fg}"
