"""The report builder (/builder/) in headless Chromium, on the site fixture's real reports:
a choice of region, years and figures gives the rows the reports print; the numeric filter
drops rows; the CSV offered for download is exactly that table; the URL reloads the same
table; nothing leaves the site and only the chosen years' files are fetched; no other page
references the builder's data. Screenshots at 390 and 1280 px (kept in the test's temp
folder; look at them with a viewer)."""

from __future__ import annotations

import csv
import functools
import http.server
import importlib.util
import io
import json
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from gongkai.build import BuildResult, build_site
from gongkai.settings import Settings

from conftest import FIXTURES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
CONTENT = FIXTURES / "site" / "content"


def _check_pages() -> Any:
    spec = importlib.util.spec_from_file_location("check_pages", ROOT / "scripts" / "check_pages.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_pages"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_site(Settings(content_dir=CONTENT, out_dir=tmp_path_factory.mktemp("builder") / "site", cache_dir=None))


def test_no_other_page_references_the_builder_data(built: BuildResult) -> None:
    site = built.out_dir
    pages = [p for p in site.rglob("*.html")]
    assert (site / "builder" / "index.html") in pages
    for p in pages:
        html = p.read_text(encoding="utf-8")
        mine = p == site / "builder" / "index.html"
        assert ("builder/data/" in html or "data/index.json" in html) == mine, p
        assert ("builder.js" in html) == mine, p
    for p in site.rglob("*.js"):  # nor any script every page loads
        if p.name != "builder.js":
            assert "builder/data" not in p.read_text(encoding="utf-8", errors="replace"), p


@pytest.fixture(scope="module")
def browser(built: BuildResult) -> Iterator[tuple[Any, Any, str, list[str]]]:
    if shutil.which("chromium") is None:
        pytest.skip("chromium is not installed")
    cp = _check_pages()
    requested: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            requested.append(unquote(urlsplit(self.path).path))

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(Handler, directory=str(built.out_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as profile:
        b = cp.Browser(shutil.which("chromium"), profile)
        try:
            yield cp, b, f"http://127.0.0.1:{server.server_address[1]}", requested
        finally:
            b.close()
            server.shutdown()


READY = "document.querySelector('#gk-builder[data-busy=\"0\"]') !== null"


def wait_ready(tab: Any) -> None:
    for _ in range(100):
        if tab.evaluate(f"Boolean({READY})"):
            return
        time.sleep(0.1)
    raise AssertionError("the builder did not finish")


def table(tab: Any) -> list[list[str]]:
    return tab.evaluate("""Array.from(document.querySelectorAll('.gk-builder-table tr')).map(
        tr => Array.from(tr.children).map(c => c.textContent))""") or []


def csv_rows(tab: Any) -> list[list[str]]:
    text = tab.evaluate("fetch(document.querySelector('.gk-builder-csv').href).then(r => r.arrayBuffer())"
                        ".then(b => Array.from(new Uint8Array(b)))")
    raw = bytes(text).decode("utf-8")
    assert raw.startswith("\ufeff") and raw.endswith("\r\n")
    assert "\n" not in raw.replace("\r\n", "")
    return list(csv.reader(io.StringIO(raw[1:], newline="")))


def expected_rows(built: BuildResult, region: str, years: list[int], figs: list[tuple[str, str, str]]) -> list[list[Any]]:
    """From the parsed reports: every agency of the region (any level) and year, in id order."""
    rows = []
    for a in built.site.agencies:
        if region not in a.region:
            continue
        for r in a.reports:
            if r.year in years:
                rows.append([a.name, r.year] + [getattr(r, t)[row][col] if isinstance(getattr(r, t)[row], dict)
                                                 else getattr(r, t)[row] for t, row, col in figs])
    return rows


def test_builder_table_filter_csv_and_url(browser: Any, built: BuildResult, tmp_path: Path) -> None:
    cp, b, origin, requested = browser
    index = json.loads((built.out_dir / "builder/data/index.json").read_text(encoding="utf-8"))
    # the region with the most agencies, below province level
    counts: dict[str, int] = {}
    for a in built.site.agencies:
        for name in a.region[1:2]:
            counts[name] = counts.get(name, 0) + 1
    region_name = max(sorted(counts), key=lambda n: counts[n])
    key = next(r[0] for r in index["regions"] if r[1] == region_name and r[2] == 2)
    years = index["years"][-2:]
    figs = [("requests", "new", "total"), ("requests", "granted", "total"), ("review_litigation", "review", "total")]
    fids = [".".join(f) for f in figs]
    want = expected_rows(built, region_name, years, figs)
    assert len(want) >= 2, want
    requested.clear()
    tab = cp.Tab(b)
    url = f"{origin}/builder/#mode=region&sel={key}&y={','.join(map(str, years))}&f={','.join(fids)}&agg=rows"
    events = tab.open(url, cp.WIDTHS["desktop"], READY)
    assert cp.problems_in(events, origin) == []
    got = table(tab)
    head, body = got[0], got[1:]
    assert head[:3] == ["机关", "地区", "年度"]
    assert head[3:] == [f[2] for f in index["figures"] if f[0] in fids]
    by = {(r[0], int(r[2])): [c.replace(",", "") for c in r[3:]] for r in body}
    assert len(body) == len(want)
    for name, year, *values in want:
        assert by[(name, year)] == ["" if v is None else str(v) for v in values], (name, year)
    # only the index and the chosen years were fetched
    data = sorted(p for p in requested if "/data/" in p or p.endswith(".json"))
    assert data == sorted(["/builder/data/index.json"] + [f"/builder/data/{y}.json" for y in years])
    # the CSV is the table
    rows = csv_rows(tab)
    assert rows[0] == head and [[c.replace(",", "") for c in r] for r in body] == \
        [r[:3] + r[3:] for r in rows[1:]]
    for shot, size in (("builder-desktop.png", cp.WIDTHS["desktop"]), ("builder-phone.png", cp.WIDTHS["phone"])):
        tab.send("Emulation.setDeviceMetricsOverride", width=size[0], height=size[1], deviceScaleFactor=1, mobile=size[2])
        tab.screenshot(tmp_path / shot, size)
    # the filter drops the rows below it, and goes into the URL
    values = sorted(v[2 + 0] for v in [[n, y, *vals] for n, y, *vals in want] if v[2] is not None)
    threshold = values[len(values) // 2]
    tab.evaluate(f"""(() => {{ const f = document.querySelector('form.gk-builder-form');
        f.elements.ff.value = 'requests.new.total'; f.elements.ff.dispatchEvent(new Event('change', {{bubbles: true}}));
        f.elements.fv.value = '{threshold}'; f.elements.fv.dispatchEvent(new Event('input', {{bubbles: true}})); }})()""")
    wait_ready(tab)
    kept = table(tab)[1:]
    assert len(kept) == sum(1 for v in want if v[2] is not None and v[2] >= threshold) < len(body)
    assert all(int(r[3].replace(",", "")) >= threshold for r in kept)
    assert [[c.replace(",", "") for c in r] for r in kept] == csv_rows(tab)[1:]
    link = tab.evaluate("location.href")
    assert "ff=requests.new.total" in link and f"fv={threshold}" in link
    tab.close()
    # the URL alone gives the same table in a fresh tab
    again = cp.Tab(b)
    again.open(link, cp.WIDTHS["phone"], READY)
    assert table(again)[1:] == kept
    again.screenshot(tmp_path / "builder-filtered-phone.png", cp.WIDTHS["phone"])
    # sum per region: the sum of the rows above, blanks left out
    again.close()
    summed = cp.Tab(b)
    summed.open(link.replace("agg=rows", "agg=sum").split("&ff=")[0], cp.WIDTHS["desktop"], READY)
    srows = table(summed)[1:]
    assert [r[1] for r in srows] == [str(y) for y in years]
    for r in srows:
        mine = [v for v in want if v[1] == int(r[1])]
        assert int(r[2]) == len(mine)
        for i in range(len(figs)):
            printed = [v[2 + i] for v in mine if v[2 + i] is not None]
            assert r[3 + i].replace(",", "") == (str(sum(printed)) if printed else "")
    # agencies: the type-to-filter list shows the agencies whose name (or region) has the text
    summed.evaluate("""(() => { const r = document.querySelector('input[name=mode][value=agency]'); r.checked = true;
        r.dispatchEvent(new Event('change', {bubbles: true}));
        const q = document.querySelector('.gk-builder-filter'); q.value = '阿拉善';
        q.dispatchEvent(new Event('input', {bubbles: true})); })()""")
    listed = summed.evaluate("Array.from(document.querySelectorAll('.gk-builder-choice')).map(l => l.textContent.trim())")
    assert listed == [a.name for a in built.site.agencies if "阿拉善" in a.name + "".join(a.region)]
    assert 0 < len(listed) < len(built.site.agencies)
    summed.close()
    print(f"screenshots in {tmp_path}")
