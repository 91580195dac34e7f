"""How a report notebook emits its parts: HTML fragments and charts as notebook outputs.

A section is a list of parts (:mod:`scorecard.report.unit_sections`): HTML fragments (strings
from :mod:`scorecard.report.tables`) and :class:`~scorecard.report.charts.Chart` objects.
:func:`show` displays them in order: consecutive fragments join into one ``text/html`` output
(fewer outputs render faster: each is a message to and from the kernel), and every chart is an
output of its own with plotly's notebook MIME bundle, so JupyterLab draws it and the exported
page draws its ``text/html`` (:func:`scorecard.report.charts.figure_bundle`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scorecard.report.charts import Chart

#: A part of a section: an HTML fragment, a chart, nothing (skipped) or a list of parts.
Part = str | Chart | None | Iterable[Any]


def _flat(parts: Iterable[Any]) -> Iterable[str | Chart]:
    for p in parts:
        if p is None or (isinstance(p, str) and not p):
            continue
        if isinstance(p, str | Chart):
            yield p
        else:
            yield from _flat(p)


def outputs(*parts: Part) -> list[dict[str, Any]]:
    """The MIME bundles :func:`show` displays, in order (pure)."""
    out: list[dict[str, Any]] = []
    html: list[str] = []
    for p in _flat(parts):
        if isinstance(p, Chart):
            if html:
                out.append({"text/html": "".join(html)})
                html = []
            out.append(p.bundle())
        else:
            html.append(p)
    if html:
        out.append({"text/html": "".join(html)})
    return out


def show(*parts: Part) -> None:
    """Display the parts of a section as notebook outputs (see the module docstring)."""
    from IPython.display import display

    for bundle in outputs(*parts):
        display(bundle, raw=True)
