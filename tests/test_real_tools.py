"""CI turns "tool missing" skips into failures (SCORECARD_REQUIRE_REAL_TOOLS, set by .ci/run)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import real_tools


def test_missing_tool_skips_locally(monkeypatch):
    monkeypatch.delenv(real_tools.REQUIRE_ENV, raising=False)
    monkeypatch.setenv("PATH", "")  # no libreoffice on an empty PATH
    with pytest.raises(pytest.skip.Exception, match="LibreOffice is not installed"):
        real_tools.require_libreoffice()


def test_missing_tool_fails_in_ci(monkeypatch):
    monkeypatch.setenv(real_tools.REQUIRE_ENV, "1")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(pytest.fail.Exception, match="LibreOffice is not installed; "
                                                    "SCORECARD_REQUIRE_REAL_TOOLS is set"):
        real_tools.require_libreoffice()
    monkeypatch.setattr(real_tools, "CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(pytest.fail.Exception, match="no chromium at /nonexistent/chromium"):
        real_tools.require_playwright()


def test_ci_script_requires_the_real_tools():
    script = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert f"export {real_tools.REQUIRE_ENV}=1" in script
    assert script.index(real_tools.REQUIRE_ENV) < script.index("make test")
