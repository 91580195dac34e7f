"""Executed reports opened in a real JupyterLab, as an inspector opens the audit record.

A JupyterLab server (the worktree's own ``jupyter lab``, token, localhost, its settings and
workspaces in a temporary home) serves a rendered report folder; headless Chromium (Playwright,
the system chromium) opens ``reports/<period>/<unit>.ipynb`` with every request that leaves
localhost aborted and counted. The notebook is not trusted (papermill does not sign it), as an
audit notebook never is. Then:

- every chart output (plotly's notebook MIME bundle) has its container in the page and a drawn
  plot in it (``.main-svg`` of a real size), and their number is the number of charts of the
  exported HTML page;
- the tables keep their look (blue header cells, bordered cells, figures right-aligned, status
  colours) and the KPI tiles put their figure on a line of its own ("1" above "chỉ tiêu
  đạt", not "1chỉ tiêu đạt").
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.real_tools import missing_tool
from tests.report_fixtures import build_report_store

pytestmark = [pytest.mark.slow]

PERIOD = "2025Q2"
PLOTLY_MIME = "application/vnd.plotly.v1+json"
UNITS = ("DEMO-C1", "DEMO-D")
#: The notebook on show (a restored workspace could keep other documents in hidden tabs).
NB = ".jp-NotebookPanel:not(.lm-mod-hidden)"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    from scorecard.render import render_batch

    tmp = tmp_path_factory.mktemp("lab-reports")
    db, plan = build_report_store(tmp)
    res = render_batch(plan, PERIOD, db=db, out=tmp / "reports", workers=1, progress=False,
                       units=list(UNITS), timeout=120)
    assert not res.failed, [r.error for r in res.failed]
    return res.out_dir.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as resp:
            if resp.status == 200:
                return
        time.sleep(0.5)
    pytest.fail(f"jupyter lab did not answer in {timeout:.0f} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(reports, tmp_path_factory):
    """A JupyterLab server on localhost serving the reports folder: (base URL, token)."""
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        missing_tool(f"no jupyter beside {sys.executable}")
    home = tmp_path_factory.mktemp("lab-home")
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / "config"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces")}
    log = home / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [str(jupyter), "lab", "--allow-root", "--no-browser", f"--port={port}",
             "--ServerApp.port_retries=0", "--ServerApp.ip=127.0.0.1",
             f"--ServerApp.token={token}", f"--ServerApp.root_dir={reports}",
             "--LabApp.news_url=None",
             "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=str(home),
            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/api/status?token={token}", proc, log)
        yield base, token
    finally:
        proc.send_signal(signal.SIGTERM)  # the server shuts its kernels down
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the group this test started, nothing else
            proc.wait(timeout=10)


def _chart_outputs(nb: dict) -> int:
    return sum(PLOTLY_MIME in o.get("data", {}) for c in nb["cells"] for o in c.get("outputs", []))


def _page_charts(browser, page_file: Path) -> int:
    """The charts of the exported HTML page of the same report, drawn offline."""
    page = browser.new_page()
    page.route("http://**/*", lambda route: route.abort())
    page.route("https://**/*", lambda route: route.abort())
    page.goto(page_file.as_uri())
    page.wait_for_load_state("load")
    n = page.locator(".js-plotly-plot").count()
    page.close()
    return n


def _open_in_lab(browser, lab, unit: str):
    base, token = lab
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    blocked: list[str] = []
    failures: list[str] = []
    page.on("pageerror", lambda e: failures.append(str(e)))

    def route(r) -> None:
        if r.request.url.startswith(base):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    # ?reset: a fresh workspace, the notebook alone (not the tabs of an earlier visit)
    page.goto(f"{base}/lab/tree/{PERIOD}/{unit}.ipynb?reset&token={token}")
    return page, blocked, failures


@pytest.mark.parametrize("unit", UNITS)
def test_executed_report_draws_every_chart_in_jupyterlab(reports, lab, browser, unit):
    nb = json.loads((reports / PERIOD / f"{unit}.ipynb").read_text(encoding="utf-8"))
    expected = _chart_outputs(nb)
    assert expected == _page_charts(browser, reports / PERIOD / f"{unit}.html") >= 4
    page, blocked, failures = _open_in_lab(browser, lab, unit)
    page.wait_for_function(f"n => document.querySelectorAll('{NB} .jp-Cell').length === n",
                           arg=len(nb["cells"]), timeout=120_000)
    # every chart container has a drawn plot (plotly's renderer, bundled with the package)
    page.wait_for_function(
        f"n => {{ const p = document.querySelectorAll('{NB} .jp-RenderedPlotly');"
        " return p.length === n && Array.from(p).every(e => e.querySelector('.main-svg')); }",
        arg=expected, timeout=120_000)
    containers = page.locator(f"{NB} .jp-RenderedPlotly")
    drawn = 0
    for i in range(containers.count()):
        box = containers.nth(i)
        box.scroll_into_view_if_needed()
        svg = box.locator(".main-svg").first.bounding_box()
        drawn += bool(svg and svg["width"] > 100 and svg["height"] > 50)
    assert (containers.count(), drawn) == (expected, expected)
    # none left blank as HTML waiting for a plotly.js that JupyterLab does not load
    assert page.locator(f"{NB} .jp-RenderedHTMLCommon .plotly-graph-div").count() == 0
    assert blocked == [] and failures == []
    page.close()


def test_tables_and_tiles_keep_their_look_in_jupyterlab(reports, lab, browser):
    nb = json.loads((reports / PERIOD / "DEMO-C1.ipynb").read_text(encoding="utf-8"))
    header_cells = sum("".join(o["data"]["text/html"]).count("<th ")
                       for c in nb["cells"] for o in c.get("outputs", [])
                       if "text/html" in o.get("data", {}) and PLOTLY_MIME not in o["data"])
    page, blocked, failures = _open_in_lab(browser, lab, "DEMO-C1")
    page.wait_for_function(f"n => document.querySelectorAll('{NB} .jp-Cell').length === n",
                           arg=len(nb["cells"]), timeout=120_000)
    page.wait_for_function(
        f"n => document.querySelectorAll('{NB} .jp-RenderedHTMLCommon table th').length === n",
        arg=header_cells, timeout=120_000)
    # not trusted: JupyterLab's sanitizer keeps an output's ids as data-jupyter-id
    targets = f"{NB} table[data-jupyter-id='targets']"
    look = page.evaluate("""([nb, t]) => {
        const style = e => getComputedStyle(e);
        const ths = Array.from(document.querySelectorAll(nb + ' .jp-RenderedHTMLCommon table th'));
        const num = document.querySelector(t + ' td.num');
        const fail = document.querySelector(t + ' .st-fail');
        const tile = document.querySelector(nb + ' .sc-kpi');
        return {
          ths: ths.length,
          blue: ths.filter(e => style(e).backgroundColor === 'rgb(31, 78, 121)'
                                && style(e).color === 'rgb(255, 255, 255)').length,
          border: style(document.querySelector(t + ' td')).borderTopStyle,
          numAlign: style(num).textAlign,
          fail: [style(fail).backgroundColor, style(fail).color],
          tileValue: style(tile.querySelector('b')).display,
          tileText: tile.innerText,
          tilesInRow: style(tile.parentElement).display,
        };
    }""", [NB, targets])
    assert look["ths"] == header_cells > 40 and look["blue"] == header_cells
    assert look["border"] == "solid" and look["numAlign"] == "right"
    assert look["fail"] == ["rgb(251, 217, 214)", "rgb(142, 27, 16)"]
    assert look["tileValue"] == "block" and look["tilesInRow"] == "flex"
    assert look["tileText"].split("\n") == ["1", "chỉ tiêu đạt"]
    # the headings are the template's markdown cells (textContent: JupyterLab skips drawing
    # the cells out of view, which innerText would read as empty)
    page.wait_for_function(
        f"() => document.querySelectorAll('{NB} .jp-MarkdownOutput h2').length === 10",
        timeout=60_000)
    headings = page.locator(f"{NB} .jp-MarkdownOutput h2").all_text_contents()
    assert headings[0].startswith("1. Kết quả theo chỉ tiêu của kế hoạch")
    assert headings[-1].startswith("10. Ghi chú về chất lượng dữ liệu")
    assert blocked == [] and failures == []
    page.close()
