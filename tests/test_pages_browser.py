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


def real_content(folder: Path) -> Path:
    """The real reports of the fixtures (the seeds, the 洪泽 PDFs, the site fixture's files)
    and no agencies.yml: regions come from the names alone, as for a new maintainer."""
    reports = folder / "content" / "reports"
    shutil.copytree(FIXTURES / "site" / "content" / "reports", reports)
    for p in [*sorted((FIXTURES / "seeds").glob("*.txt")), *sorted((FIXTURES / "pdf").glob("*.pdf"))]:
        shutil.copy(p, reports / p.name)
    return folder / "content"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_key_pages_in_a_browser(tmp_path: Path) -> None:
    content = real_content(tmp_path)
    assert not (content / "agencies.yml").exists()
    built = build_site(Settings(content_dir=content, out_dir=tmp_path / "site", cache_dir=None))
    site = built.out_dir
    # every agency of the real reports resolved to its region, the placeholder names aside
    unresolved = sorted(a.name for a in built.site.agencies if not a.region)
    assert unresolved == [], unresolved
    shots = tmp_path / "shots"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_pages.py"), "--site", str(site),
                           "--out", str(shots)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = {p.name for p in shots.glob("*.png")}
    assert {f"{page}-{width}.png" for page in ("report-failed-checks", "home", "agencies", "region", "search-agency",
                                               "search-place", "search-none", "not-found")
            for width in ("phone", "desktop")} | {"search-term-desktop.png"} <= names
    assert "search '行政复议' (cold):" in proc.stdout
