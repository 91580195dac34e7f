"""HTML pages from autoescaping jinja2 templates (``report/templates/*.html.j2``).

Escaping is the default, not something each call remembers: every ``{{ value }}`` is
HTML-escaped. Links built from data go through the ``href`` filter, which URL-encodes an id as one
relative path segment (``{{ unit_id | href('.html') }}``) so an id such as ``javascript:alert(1)``
or ``../x`` can only ever name a file in the same folder; :func:`safe_url` lets through only
``http(s)`` URLs, relative paths and ``#`` fragments.
"""

from __future__ import annotations

import functools
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from markupsafe import Markup

from scorecard.report.format import (
    STATUS_COLOURS,
    fmt_date,
    fmt_int,
    fmt_pct,
    fmt_rate,
    status_vi,
    status_word,
)
from scorecard.report.styles import CSS, status_css, tile_css


def href(identifier: Any, suffix: str = "") -> str:
    """A relative link to ``<identifier><suffix>`` in the same folder, URL-encoded as one path
    segment: ``href('javascript:alert(1)', '.html') == './javascript%3Aalert%281%29.html'``."""
    return "./" + quote(f"{identifier}{suffix}", safe="")


def safe_url(url: Any) -> str:
    """``url`` when it is an http(s) URL, a relative path or a ``#`` fragment; else ``#``."""
    text = "" if url is None else str(url).strip()
    if not text or any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
        return "#"
    parts = urlsplit(text)
    if parts.scheme:
        return text if parts.scheme.lower() in ("http", "https") and parts.netloc else "#"
    if text.replace("\\", "/").startswith("//"):  # scheme-relative (browsers read \ as /)
        return "#"
    return text


@functools.cache
def environment() -> jinja2.Environment:
    """The shared environment: templates of this package, autoescape on, strict undefined."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("scorecard.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(href=href, safe_url=safe_url, vi_int=fmt_int, vi_pct=fmt_pct,
                       vi_date=fmt_date, status_vi=status_vi, status_word=status_word,
                       vi_rate=fmt_rate)
    env.globals["status_colours"] = STATUS_COLOURS  # report.css.j2 draws every status from it
    # inline styles of the notebook fragments (report.styles: JupyterLab keeps no <style>)
    env.globals.update(css=CSS, status_css=status_css, tile_css=tile_css)
    return env


def trusted_html(fragment: str) -> Markup:
    """Mark ``fragment`` as HTML to insert unescaped into a template.

    Only for HTML this package rendered itself from these templates (e.g. a report's cells
    as nbconvert exported them, whose outputs are :mod:`scorecard.report.tables` and
    :mod:`scorecard.report.charts` fragments) — never for text from the data.
    """
    return Markup(fragment)


def render_page(template: str, **context: Any) -> str:
    """Render ``templates/<template>`` with ``context`` (values are escaped by default)."""
    return environment().get_template(template).render(**context)
