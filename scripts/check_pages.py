"""Open key pages of a built site in headless Chromium, at phone and desktop widths.

    gongkai build && python scripts/check_pages.py [--site site] [--out benchmarks/out/pages]

For every page and width it saves a full-page screenshot (look at them), records every
request the page makes and fails when one leaves the site, gets a 404, or when the page
throws a JavaScript error. Search pages are opened with a query; the script waits for
the results and prints the bytes downloaded for the first (cold) query and for a second
query in the same browser (warm: only index chunks and result fragments).

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), so
nothing beyond the standard library and Debian's ``chromium`` is needed
(``apt-get install -y chromium fonts-noto-cjk``; the fonts make Chinese text render).
Exit status: 0 all good, 1 a check failed, 2 Chromium or the site is missing.
"""

from __future__ import annotations

import argparse
import base64
import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

WIDTHS = {"phone": (390, 844, True), "desktop": (1280, 900, False)}
SEARCH_TERMS = ("行政复议", "巴彦淖尔市")
MAX_SHOT_HEIGHT = 6000

CHROMIUM_FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
    "--remote-debugging-pipe",
    # Chromium's own background traffic is not the page's; keep it quiet, and make any
    # request that does try to leave fail instead of reaching the internet.
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-domain-reliability",
    "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


# ---------------------------------------------------------------- a minimal DevTools client

class Browser:
    """Chromium with the DevTools protocol on fds 3 (commands in) and 4 (replies out)."""

    def __init__(self, chromium: str, profile: str) -> None:
        cmd_r, self._cmd_w = os.pipe()
        self._out_r, out_w = os.pipe()

        def child_fds() -> None:
            os.dup2(cmd_r, 3)
            os.dup2(out_w, 4)

        self.proc = subprocess.Popen(
            [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            # close_fds=False: the fds 3 and 4 made in child_fds must survive into Chromium.
            close_fds=False, preexec_fn=child_fds,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(cmd_r)
        os.close(out_w)
        self._next = 0
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self._cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buf = b""
        with os.fdopen(self._out_r, "rb", buffering=0) as f:
            while chunk := f.read(65536):
                buf += chunk
                *messages, buf = buf.split(b"\0")
                with self._cv:
                    for m in messages:
                        msg = json.loads(m)
                        if "id" in msg:
                            self._replies[msg["id"]] = msg
                        else:
                            self.events.append(msg)
                    self._cv.notify_all()

    def send(self, method: str, session: str | None = None, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        with self._cv:
            if not self._cv.wait_for(lambda: self._next in self._replies, timeout):
                raise TimeoutError(method)
            reply = self._replies.pop(self._next)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_for(self, predicate: Any, timeout: float) -> bool:
        with self._cv:
            return self._cv.wait_for(predicate, timeout)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class Tab:
    def __init__(self, browser: Browser) -> None:
        self.b = browser
        self.target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = browser.send("Target.attachToTarget", targetId=self.target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Network.setCacheDisabled", cacheDisabled=False)

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        return self.b.send(method, self.session, **params)

    def close(self) -> None:
        self.b.send("Target.closeTarget", targetId=self.target)

    def mine(self, start: int) -> list[dict[str, Any]]:
        return [e for e in self.b.events[start:] if e.get("sessionId") == self.session]

    def evaluate(self, expression: str) -> Any:
        r = self.send("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        return r.get("result", {}).get("value")

    def open(self, url: str, size: tuple[int, int, bool], ready: str = "true", timeout: float = 20) -> list[dict[str, Any]]:
        """Navigate, wait for the load event, ``ready`` (a JS expression) and a quiet network."""
        w, h, mobile = size
        self.send("Emulation.setDeviceMetricsOverride", width=w, height=h, deviceScaleFactor=1, mobile=mobile)
        start = len(self.b.events)
        self.send("Page.navigate", url=url)
        self.b.wait_for(lambda: any(e["method"] == "Page.loadEventFired" for e in self.mine(start)), timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.evaluate(f"Boolean({ready})"):
            time.sleep(0.1)
        self._settle(start, deadline)
        return self.mine(start)

    def _settle(self, start: int, deadline: float, quiet: float = 0.5) -> None:
        """Until the page's session has been quiet for ``quiet`` seconds. (In-flight
        requests cannot be counted: a worker's script finishes in the worker's session.)"""
        while time.monotonic() < deadline:
            seen = len(self.mine(start))
            if not self.b.wait_for(lambda: len(self.mine(start)) > seen, quiet):
                return

    def screenshot(self, path: Path, size: tuple[int, int, bool]) -> None:
        w, _, mobile = size
        height = self.send("Page.getLayoutMetrics")["cssContentSize"]["height"]
        height = min(int(height) + 1, MAX_SHOT_HEIGHT)
        self.send("Emulation.setDeviceMetricsOverride", width=w, height=height, deviceScaleFactor=1, mobile=mobile)
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.write_bytes(base64.b64decode(data))


# ---------------------------------------------------------------- the site under test

COMPRESSED_BY_HOST = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")
"""Text a host like GitHub Pages sends gzip-compressed. Pagefind's own files are already
gzip inside (index, fragments, metadata, WASM) and go over the wire as they are."""


def wire_size(local: Path) -> int:
    """Bytes a browser receives for the file from GitHub Pages (gzip level 6 for text)."""
    if local.suffix in COMPRESSED_BY_HOST:
        return len(gzip.compress(local.read_bytes(), 6))
    return local.stat().st_size


class Recorder(http.server.SimpleHTTPRequestHandler):
    """Serves the site (uncompressed) and remembers (path, status, bytes, bytes over the
    wire from a compressing host) of every response."""

    log: list[tuple[str, int, int, int]] = []

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        path = unquote(urlsplit(self.path).path)
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            local = local / "index.html"
        ok = str(code) == "200" and local.is_file()
        Recorder.log.append((path, int(code) if str(code).isdigit() else 0, local.stat().st_size if ok else 0,
                             wire_size(local) if ok else 0))

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # As GitHub Pages does: a missing address gets the site's own 404.html.
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.log_request(code)
        self.send_response_only(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def key_pages(site: Path) -> list[tuple[str, str]]:
    """(name, URL path) of the pages worth a look, chosen from the site's own data."""
    inputs = json.loads((site / "data/inputs.json").read_text(encoding="utf-8"))
    agencies = json.loads((site / "data/agencies.json").read_text(encoding="utf-8"))
    failing = [i for i in inputs if i["failed_checks"]]
    compared = [a for a in agencies if len(a["years"]) > 1]
    pages = [("home", ""), ("agencies", "agencies/"), ("quality", "quality/"), ("about", "about/"),
             ("not-found", "no/such/page/")]
    if agencies:
        a = compared[0] if compared else agencies[0]
        pages += [("agency", a["url"]), ("report-latest", f"{a['url']}{a['years'][-1]}/"),
                  ("search-agency", f"search/?q={quote(a['name'])}")]
        placed = [x for x in agencies if x.get("region_code")]
        if placed:
            pages.append(("region", f"regions/{placed[0]['region_codes'][0]}/"))
            place = placed[0]["region"][-1]
            pages.append(("search-place", f"search/?q={quote(place)}"))
    pages.append(("search-none", f"search/?q={quote(NONSENSE)}"))
    if failing:
        pages.append(("report-failed-checks", failing[0]["url"]))
    return pages


NONSENSE = "xyz不存在"
ALLOWED_LATIN = {"PDF", "DOCX", "DOC", "HTML", "JSON", "CSV", "TXT", "MD", "Markdown", "Word", "WPS", "Excel",
                 "ZIP", "SHA", "gzip"}
"""File-format names: the only Latin words a citizen page may show."""
TECHNICAL_PAGES = ("about/", "data/")
"""Pages for maintainers and data users (rule ids, field names): Latin allowed."""

PAGE_PROBLEMS = """(() => {
  const out = [];
  const main = document.querySelector("article") || document.body;
  // Latin words in the visible text (file names and collapsed technical details left out).
  const clone = main.cloneNode(true);
  clone.querySelectorAll(".gk-path, script, style, [hidden]").forEach((e) => e.remove());
  clone.querySelectorAll("details:not([open])").forEach((d) => {
    [...d.children].forEach((c) => { if (c.tagName !== "SUMMARY") c.remove(); });
  });
  const holder = document.createElement("div");
  holder.style.position = "absolute"; holder.style.left = "-99999px";
  holder.appendChild(clone); document.body.appendChild(holder);
  const text = QUERY ? holder.innerText.split(QUERY).join(" ") : holder.innerText; // the query echoed
  const words = (text.match(/[A-Za-z][A-Za-z0-9_.-]+/g) || []).filter((w) => !ALLOWED.includes(w));
  holder.remove();
  if (words.length && !TECHNICAL) out.push("Latin words: " + [...new Set(words)].slice(0, 8).join(" "));
  // Every table fits its box, or keeps its first column in view (sticky).
  document.querySelectorAll(".gk-scroll").forEach((box) => {
    const t = box.querySelector("table");
    if (!t || box.scrollWidth <= box.clientWidth + 1 || !box.offsetParent) return;
    const first = t.querySelector("tbody tr > :first-child");
    if (!first || getComputedStyle(first).position !== "sticky")
      out.push("a table wider than the screen without a sticky first column: " + t.className);
  });
  // Chart text at least 12 px as drawn.
  document.querySelectorAll("svg.gk-chart text").forEach((el) => {
    const px = parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM().a;
    if (px < 11.95) out.push("chart text " + px.toFixed(1) + " px");
  });
  if (document.documentElement.lang !== "zh-CN") out.push("lang is " + document.documentElement.lang);
  return [...new Set(out)];
})()"""


def page_problems(tab: Tab, path: str) -> list[str]:
    script = (PAGE_PROBLEMS.replace("ALLOWED", json.dumps(sorted(ALLOWED_LATIN)))
              .replace("TECHNICAL", "true" if path.startswith(TECHNICAL_PAGES) else "false")
              .replace("QUERY", json.dumps(unquote(path.split("q=", 1)[1]) if "q=" in path else "")))
    return tab.evaluate(script) or []


RESULT_FACTS = "[...document.querySelectorAll('.gk-search-results li .gk-search-facts')].map((p) => p.textContent)"



def problems_in(events: list[dict[str, Any]], origin: str) -> list[str]:
    found = []
    for e in events:
        p = e["params"]
        if e["method"] == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if not url.startswith((origin + "/", "data:", "blob:")):
                found.append(f"request leaves the site: {url}")
        elif e["method"] == "Runtime.exceptionThrown":
            found.append(f"JavaScript error: {p['exceptionDetails'].get('exception', {}).get('description') or p['exceptionDetails']['text']}")
        elif e["method"] == "Log.entryAdded" and p["entry"]["level"] == "error":
            found.append(f"console: {p['entry']['text']} {p['entry'].get('url', '')}")
    return found


def kind_of(path: str) -> str | None:
    if path == "/assets/gongkai/search.js":
        return "js"
    if not path.startswith("/pagefind/"):
        return None
    name = path.removeprefix("/pagefind/")
    if name.startswith(("index/", "fragment/", "filter/")):
        return "index+fragments"
    return "js" if name.endswith(".js") else "wasm+meta"


def search_bytes(log: list[tuple[str, int, int, int]], wire: bool = False) -> dict[str, int]:
    """Bytes of the search's own files (200 responses; a 304 from the cache costs ~0), as
    stored, or (``wire``) as a compressing host sends them."""
    kinds: dict[str, int] = defaultdict(int)
    for path, code, n, on_wire in log:
        kind = kind_of(path)
        if kind and code == 200:
            kinds[kind] += on_wire if wire else n
    return dict(kinds)


def fmt(kinds: dict[str, int]) -> str:
    total = sum(kinds.values())
    return f"{total / 1024:.1f} KB (" + ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(kinds.items())) + ")"


RESULTS_READY = ("/^(找到|没有找到|搜索出错)/.test(document.querySelector('.gk-search-status').textContent) && "
                 "(document.querySelector('.gk-search-results li') || !/^找到/.test("
                 "document.querySelector('.gk-search-status').textContent))")
"""The search page has counted the results and shown the first ones."""
RESULT_COUNT = "document.querySelectorAll('.gk-search-results li').length"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", type=Path, default=Path("site"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/out/pages"))
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args()
    if not Path(args.chromium).exists():
        print(f"no chromium at {args.chromium}; apt-get install -y chromium fonts-noto-cjk", file=sys.stderr)
        return 2
    if not (args.site / "data/inputs.json").exists():
        print(f"{args.site} is not a built gongkai site; run `gongkai build` first", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)

    handler = functools.partial(Recorder, directory=str(args.site.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(args.chromium, profile)
        try:
            for name, path in key_pages(args.site):
                for width, size in WIDTHS.items():
                    t0 = time.monotonic()
                    tab = Tab(browser)  # a fresh tab per visit, sharing the HTTP cache
                    Recorder.log = []
                    ready = RESULTS_READY if name.startswith("search") else "true"
                    events = tab.open(f"{origin}/{path}", size, ready)
                    shot = args.out / f"{name}-{width}.png"
                    tab.screenshot(shot, size)
                    found = problems_in(events, origin) + [f"404 {p}" for p, c, *_ in Recorder.log
                                                           if c == 404 and name != "not-found"]
                    if name == "not-found":  # the page itself is the 404 response
                        found = [f for f in found if not f.startswith("console: Failed to load resource")]
                    found += page_problems(tab, path)
                    hits = tab.evaluate(RESULT_COUNT) if name.startswith("search") else 0
                    if name == "search-none":
                        if hits:
                            found.append(f"the nonsense query {NONSENSE!r} shows {hits} results")
                    elif name == "search-place":
                        place = unquote(path.split("q=", 1)[1])
                        facts = tab.evaluate(RESULT_FACTS) or []
                        if not facts or any(place not in f for f in facts):
                            found.append(f"the place query {place!r} shows results of elsewhere: {facts}")
                    elif name.startswith("search") and not hits:
                        found.append("the search shows no results")
                    tab.close()
                    n = sum(1 for e in events if e["method"] == "Network.requestWillBeSent")
                    print(f"{'ok' if not found else 'FAIL':4} {width:7} /{unquote(path):50} {n:3} requests "
                          f"{time.monotonic() - t0:4.1f} s -> {shot}")
                    failures += [f"{name} ({width}): {p}" for p in found]
            # Search cost: a cold query in a fresh profile, then warm ones in the same tab.
            with tempfile.TemporaryDirectory() as cold_profile:
                cold = Browser(args.chromium, cold_profile)
                try:
                    tab = Tab(cold)
                    for i, term in enumerate(SEARCH_TERMS):
                        Recorder.log = []
                        tab.open(f"{origin}/search/?q={quote(term)}", WIDTHS["desktop"], RESULTS_READY)
                        hits = tab.evaluate(RESULT_COUNT)
                        print(f"search {term!r} ({'cold' if i == 0 else 'warm'}): {hits} results, "
                              f"{fmt(search_bytes(Recorder.log))}; from a compressing host "
                              f"{fmt(search_bytes(Recorder.log, wire=True))}")
                        if i == 0:
                            tab.screenshot(args.out / "search-term-desktop.png", WIDTHS["desktop"])
                        if not hits:
                            failures.append(f"search {term!r}: no results")
                finally:
                    cold.close()
        finally:
            browser.close()
            server.shutdown()
    for f in failures:
        print(f"FAIL {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
