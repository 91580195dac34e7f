"""Executed notebook -> one self-contained HTML page for leadership (code hidden).

nbconvert renders only the cells' outputs (code and prompts hidden; the outputs are HTML built by
the autoescaping templates of ``report/templates/`` through :mod:`scorecard.report.tables` and
:mod:`scorecard.report.charts`); the page around them is ``templates/report_page.html.j2``,
rendered through :func:`scorecard.report.templating.render_page` (title escaped, links checked).
The page loads plotly.js once from the report folder's shared assets
(``../assets/plotly.min.js``, relative, so it works opened from disk with no network), carries
the report CSS inline and no CDN link of any kind (no require.js, MathJax or jQuery).
"""

from __future__ import annotations

from typing import Any

import jinja2

from scorecard.report.site import PLOTLY_ASSET
from scorecard.report.templating import render_page, trusted_html

#: nbconvert's part: the cells only (no page header or footer; report_page.html.j2 adds them).
_CELLS_ONLY = r"""{%- extends 'classic/base.html.j2' -%}
{%- block header -%}{%- endblock header -%}
{%- block body_header -%}{%- endblock body_header -%}
{%- block body_footer -%}{%- endblock body_footer -%}
{%- block footer -%}{%- endblock footer -%}
"""


def make_exporter() -> Any:
    """An nbconvert ``HTMLExporter`` that hides code and prompts (build once, reuse)."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        """HTMLExporter without its final BeautifulSoup pass (alt texts for images and
        tabindex for JupyterLab's cell wrappers: the pages have neither). It re-parses the whole
        page and costs more than the rest of the export."""

        def from_notebook_node(self, nb, resources=None, **kw):  # type: ignore[no-untyped-def]
            self.register_filter("highlight_code", Highlight2HTML(parent=self))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    exporter = ReportExporter(
        extra_loaders=[jinja2.DictLoader({"scorecard_cells.html.j2": _CELLS_ONLY})],
        template_file="scorecard_cells.html.j2",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,  # markdown headings: plain text, no "¶" (nor its entities)
    )
    # Only the preprocessors that are switched on: nbconvert re-validates the whole notebook
    # after each one, disabled or not. The pygments CSS of code cells is not needed either:
    # there is no code on the page.
    exporter._preprocessors = [p for p in exporter._preprocessors
                               if getattr(p, "enabled", True)
                               and type(p).__name__ != "CSSHTMLHeaderPreprocessor"]
    return exporter


def export_html(nb: Any, *, exporter: Any = None, title: str = "Báo cáo",
                assets_href: str = "../assets", index_href: str = "index.html") -> str:
    """Render an executed notebook to HTML (code hidden, Vietnamese page, local plotly.js)."""
    exporter = exporter or make_exporter()
    cells, _ = exporter.from_notebook_node(nb)
    return render_page("report_page.html.j2", title=title, body=trusted_html(cells),
                       plotly_src=f"{assets_href}/{PLOTLY_ASSET}", index_href=index_href)
