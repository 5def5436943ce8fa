"""scripts/check_pages.py on a fixture site: key pages in headless Chromium at phone and
desktop widths, no request leaving the site, no 404, no JavaScript error, search working.
Skipped where Debian's chromium is not installed (.ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.build import build_site
from gongkai.settings import Settings

from conftest import FIXTURES

pytestmark = pytest.mark.slow  # a headless browser: `make test` runs it, `make test-fast` does not

ROOT = Path(__file__).parents[1]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_key_pages_in_a_browser(tmp_path: Path) -> None:
    site = build_site(Settings(content_dir=FIXTURES / "site" / "content", out_dir=tmp_path / "site",
                               cache_dir=None)).out_dir
    shots = tmp_path / "shots"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_pages.py"), "--site", str(site),
                           "--out", str(shots)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = {p.name for p in shots.glob("*.png")}
    assert {"report-failed-checks-phone.png", "report-failed-checks-desktop.png", "home-phone.png",
            "search-agency-desktop.png", "search-term-desktop.png"} <= names
    assert "search '行政复议' (cold):" in proc.stdout
