"""The real components some tests need (Chromium through Playwright, LibreOffice).

Locally a missing tool skips the test. CI sets ``SCORECARD_REQUIRE_REAL_TOOLS=1`` (``.ci/run``):
then a missing tool fails the test, so a green CI run has really driven the browser and the
office suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest

REQUIRE_ENV = "SCORECARD_REQUIRE_REAL_TOOLS"
CHROMIUM = os.environ.get("SCORECARD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def tools_required() -> bool:
    """True when a missing tool must fail the test (CI)."""
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def missing_tool(reason: str) -> NoReturn:
    """Skip (locally) or fail (with ``SCORECARD_REQUIRE_REAL_TOOLS=1``) for a missing tool."""
    if tools_required():
        pytest.fail(f"{reason}; {REQUIRE_ENV} is set, so this test must run here")
    pytest.skip(reason)


def require_libreoffice() -> str:
    """The LibreOffice executable."""
    path = shutil.which("libreoffice") or shutil.which("soffice")
    if path is None:
        missing_tool("LibreOffice is not installed")
    return path


def require_playwright() -> Any:
    """``playwright.sync_api`` and a Chromium at :data:`CHROMIUM`."""
    try:
        from playwright import sync_api
    except ImportError:
        missing_tool("playwright is not installed")
    if not Path(CHROMIUM).exists():
        missing_tool(f"no chromium at {CHROMIUM}")
    return sync_api


def run_libreoffice(args: list[str], tmp: Path) -> None:
    """Run headless LibreOffice with a private profile under ``tmp`` (e.g. ``--convert-to``)."""
    cmd = [require_libreoffice(), f"-env:UserInstallation=file://{tmp / 'lo-profile'}",
           "--headless", *args]
    subprocess.run(cmd, check=True, capture_output=True, timeout=180,
                   env={**os.environ, "HOME": str(tmp)})
