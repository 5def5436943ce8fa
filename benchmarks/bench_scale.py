"""Scale benchmark: gongkai's real build on generated corpora of 1,000 to 10,000+ reports.

    .venv/bin/python benchmarks/bench_scale.py --sizes 1000 3000 10000

For each size N it generates (or reuses) a corpus with ``benchmarks/gen_corpus.py``
(``benchmarks/out/scale/corpus-<N>-seed<S>/``, git-ignored), then, in a fresh child
process per size (so peak memory is that size's alone):

1. builds the complete site with ``gongkai.build.build_site`` — no parse cache, ``--jobs``
   worker processes (default: the core count) — and keeps its per-stage wall times
   (parse, render, mkdocs, data, search = Pagefind, total);
2. parse cost per file kind (pdf/docx/html/txt/md) is *instrumented*, not sampled:
   ``gongkai.batch._parse_one`` is wrapped (in the parent, before the pool forks) to log
   every file's wall and CPU time from inside the worker that parsed it, so the figures
   cover all N files under the real pool;
3. peak memory: the process tree (this process, the parse workers, Pagefind) is sampled
   from /proc every 0.2 s during the build (sum of RSS, and of PSS, which counts pages
   shared between forked workers once); ``getrusage`` max RSS of SELF and CHILDREN too;
4. MkDocs against its floor, in the same run: the pages are rendered again and
   ``mkdocs build`` runs, with gongkai's mkdocs.yml and plugin (theme, overrides, nav), on
   (a) the same files emptied (the floor), (b) the real pages, (c) the real report pages
   with every other page emptied (the cost of a report page alone); each build in a
   fresh process, 5 interleaved rounds (3 above 5,000 pages), the best CPU time of each
   (the machine may be shared);
5. site size on disk per report (and the share of ``pagefind/`` and ``originals/``);
6. bytes one search query downloads, cold and warm: ``scripts/pagefind_search.mjs``
   (Node) per query, and headless Chromium on the real search page with the recorder
   of ``scripts/check_pages.py`` (the search's own files: pagefind JS, WASM, metadata,
   index chunks, fragments);
7. an incremental rebuild: the parse cache is filled with exactly the entries the
   timed build's parses give (no second parse of N files), ONE new report (a generated
   PDF, the slowest kind) is added, and ``build_site`` runs again with the cache on:
   files parsed (must be 1) and wall time.

Writes ``benchmarks/results/scale.md`` (a table) and ``benchmarks/results/scale.json``
(raw figures with the machine and date). Prints figures; asserts nothing.

``--snapshot`` freezes a copy of ``src/gongkai`` for the run (other edits to the tree do
not leak into a long run); ``--tables-only`` rewrites the two result files from the
per-size results already in ``benchmarks/out/scale/``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import http.server
import importlib.metadata as md
import importlib.util
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "scale"
RESULTS = HERE / "results"
KINDS = ("pdf", "docx", "html", "txt", "md")
COMMON_QUERIES = ("行政复议", "依申请公开")
"""Words every report prints: the largest index chunks a query can load."""
GOALS = {"mkdocs_ratio": 1.5, "growth": 1.25, "search_kb": 300, "memory_gb": 7.0}


# ---------------------------------------------------------------- memory of the process tree

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = defaultdict(list)
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids[ppid].append(int(entry.name))
    return kids


def _tree(pid: int) -> list[int]:
    kids = _children_map()
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(kids.get(p, ()))
    return seen


def _mem_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KB of one process; (0, 0) when it has gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class MemorySampler:
    """Peak RSS and PSS summed over this process and all its descendants, per phase."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.phase: str | None = None
        self.peaks: dict[str, dict[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        # It only reads /proc: the build may still write its data files from a fork.
        from gongkai.forked import FORK_SAFE

        setattr(self._thread, FORK_SAFE, True)
        self._thread.start()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(self.interval):
            phase = self.phase
            if phase is None:
                continue
            rss = pss = 0
            for pid in _tree(me):
                r, p = _mem_kb(pid)
                rss, pss = rss + r, pss + p
            peak = self.peaks.setdefault(phase, {"rss_kb": 0, "pss_kb": 0, "processes": 0})
            peak["rss_kb"] = max(peak["rss_kb"], rss)
            peak["pss_kb"] = max(peak["pss_kb"], pss)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def rusage_peaks() -> dict[str, int]:
    """Max RSS (KB) of this process, and of the largest waited-for descendant."""
    return {"self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


# ---------------------------------------------------------------- instrumenting the parse

def instrument_parse(log_dir: Path) -> dict[str, Any]:
    """Wrap ``gongkai.batch._parse_one`` (time each file inside its worker) and
    ``gongkai.batch.PendingParse.result`` (keep the results: for the cache and the parse
    count).

    The wrapper takes the original's module and name, so the process pool pickles it by
    reference and the forked workers find it in their copy of ``gongkai.batch``.
    """
    from gongkai import batch

    original_one, original_result = batch._parse_one, batch.PendingParse.result
    captured: dict[str, Any] = {"results": []}

    def timed_parse_one(path_str: str, name: str, limits: Any) -> Any:
        t, c = time.perf_counter(), time.process_time()
        out = original_one(path_str, name, limits)
        wall, cpu = time.perf_counter() - t, time.process_time() - c
        kind = Path(name).suffix.lower().lstrip(".")
        ok = "ok" if out[0] is not None else (out[1] or {}).get("kind", "error")
        with open(log_dir / f"parse-{os.getpid()}.tsv", "a", encoding="utf-8") as f:
            f.write(f"{kind}\t{wall:.6f}\t{cpu:.6f}\t{ok}\t{name}\n")
        return out

    timed_parse_one.__module__, timed_parse_one.__qualname__ = original_one.__module__, original_one.__qualname__
    timed_parse_one.__name__ = original_one.__name__

    def capturing_result(self: Any) -> Any:
        results = original_result(self)
        captured["results"] = results
        return results

    batch._parse_one = timed_parse_one
    batch.PendingParse.result = capturing_result  # type: ignore[method-assign]
    captured["stages"] = instrument_stages()
    return captured


def proc_status_mb(field: str, pid: str = "self") -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def instrument_stages() -> list[tuple[str, float, float]]:
    """Wrap the stages the gongkai plugin calls to record (stage, wall, CPU) per call,
    CPU including waited-for subprocesses (Pagefind): wall times on a shared machine are
    noisy, CPU less. MkDocs' own share is the whole ``mkdocs build`` less the plugin's
    stages inside it (see :func:`stage_cpu`). Also this process's RSS after each stage."""
    import mkdocs.commands.build as mkdocs_build

    from gongkai import plugin

    calls: list[tuple[str, float, float]] = []
    rss_after: list[tuple[str, float, float]] = []

    def cpu() -> float:
        me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime

    def wrap(stage: str, fn: Any, rss_before: str | None = None) -> Any:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if rss_before:  # MkDocs has written the pages when the data files begin
                rss_after.append((rss_before, proc_status_mb("VmRSS"), proc_status_mb("VmHWM")))
            t, c = time.perf_counter(), cpu()
            try:
                return fn(*args, **kwargs)
            finally:
                calls.append((stage, time.perf_counter() - t, cpu() - c))
                rss_after.append((stage, proc_status_mb("VmRSS"), proc_status_mb("VmHWM")))
        return timed

    for stage, name in (("parse", "read_inputs"), ("gather", "gather_site"), ("render", "render_site")):
        setattr(plugin, name, wrap(stage, getattr(plugin, name)))
    # build_site starts the parse before MkDocs loads (site.start_reading): "parse" is the
    # wait for it in on_files; the workers' CPU is counted when they are reaped, at its end.
    plugin.Reading.result = wrap("parse", plugin.Reading.result)  # type: ignore[method-assign]
    # Pagefind indexes the pages while MkDocs writes them: "search" is what is left after.
    plugin.SearchIndexer.finish = wrap("search", plugin.SearchIndexer.finish)  # type: ignore[method-assign]
    # The data files are written from a fork started after gathering (gongkai.forked);
    # the build waits for it after MkDocs: "data" is that wait, and its CPU is the fork's
    # whole CPU (a waited-for child's time is counted when it is reaped).
    plugin.forked.Pending.result = wrap("data", plugin.forked.Pending.result,  # type: ignore[method-assign]
                                        rss_before="mkdocs")
    mkdocs_build.build = wrap("mkdocs_all", mkdocs_build.build)  # type: ignore[assignment]
    RSS_AFTER[:] = []
    globals()["RSS_AFTER"] = rss_after
    return calls


RSS_AFTER: list[tuple[str, float, float]] = []
"""(stage, this process's RSS after it, its peak RSS so far) in MB, per stage call."""


def stage_cpu(calls: list[tuple[str, float, float]], parse_rows: list[tuple[str, float, float, str, str]]) -> dict[str, float]:
    """CPU seconds per stage, this process's and its waited-for children's (the parse
    workers, Pagefind); "parse_files" is the CPU of the parse calls alone (from the log)."""
    out: dict[str, float] = {}
    for stage, _, c in calls:
        out[stage] = out.get(stage, 0.0) + c
    inside = sum(out.get(k, 0.0) for k in ("parse", "gather", "render", "data", "search"))
    out["mkdocs"] = out.pop("mkdocs_all", inside) - inside
    out["parse_files"] = sum(r[2] for r in parse_rows)
    calls.clear()
    return out


def take_rss_after() -> list[dict[str, Any]]:
    out = [{"stage": s, "rss_mb": r, "peak_mb": h} for s, r, h in RSS_AFTER]
    RSS_AFTER.clear()
    return out


def parse_log(log_dir: Path) -> list[tuple[str, float, float, str, str]]:
    rows = []
    for p in sorted(log_dir.glob("parse-*.tsv")):
        for line in p.read_text(encoding="utf-8").splitlines():
            kind, wall, cpu, ok, name = line.split("\t", 4)
            rows.append((kind, float(wall), float(cpu), ok, name))
    return rows


def parse_stats(rows: list[tuple[str, float, float, str, str]]) -> dict[str, Any]:
    by_kind: dict[str, list[tuple[float, float, str]]] = defaultdict(list)
    for kind, wall, cpu, ok, _ in rows:
        by_kind["htm" if kind == "htm" else kind].append((wall, cpu, ok))
    out = {}
    for kind in sorted(by_kind, key=lambda k: (KINDS.index(k) if k in KINDS else 99, k)):
        v = by_kind[kind]
        walls = sorted(w for w, _, _ in v)
        out[kind] = {
            "files": len(v),
            "ms_mean": 1000 * statistics.fmean(walls),
            "ms_median": 1000 * statistics.median(walls),
            "ms_p95": 1000 * walls[min(len(walls) - 1, int(0.95 * len(walls)))],
            "cpu_ms_mean": 1000 * statistics.fmean(c for _, c, _ in v),
            "not_parsed": sum(1 for _, _, ok in v if ok != "ok"),
        }
    return out


# ---------------------------------------------------------------- site measurements

def tree_bytes(folder: Path) -> tuple[int, int, int]:
    """(files, apparent bytes, bytes allocated on disk) under folder."""
    files = size = disk = 0
    for dirpath, _, names in os.walk(folder):
        for n in names:
            st = os.lstat(os.path.join(dirpath, n))
            files += 1
            size += st.st_size
            disk += st.st_blocks * 512
    return files, size, disk


def site_sizes(site: Path, n_reports: int) -> dict[str, Any]:
    files, size, disk = tree_bytes(site)
    out: dict[str, Any] = {"files": files, "bytes": size, "disk_bytes": disk,
                           "kb_per_report": size / 1024 / n_reports, "disk_kb_per_report": disk / 1024 / n_reports}
    for part in ("pagefind", "originals", "agencies", "data"):
        f, s, d = tree_bytes(site / part)
        out[part] = {"files": f, "bytes": s, "disk_bytes": d, "share": s / size if size else 0.0}
    report_pages = list((site / "agencies").glob("*/*/index.html"))
    out["report_pages"] = len(report_pages)
    out["html_pages"] = sum(1 for _ in site.rglob("index.html"))
    out["report_page_html_kb_mean"] = (sum(p.stat().st_size for p in report_pages) / len(report_pages) / 1024
                                       if report_pages else 0.0)
    big = sorted(((p.stat().st_size, p) for p in site.rglob("index.html")), reverse=True)[:5]
    out["largest_pages"] = [{"page": p.parent.relative_to(site).as_posix() + "/", "kb": s / 1024} for s, p in big]
    return out


def pick_queries(site: Path) -> list[str]:
    """Two words every report prints, then an agency's full name and its province, taken
    from the middle of the site's own agency list (deterministic for a corpus)."""
    agencies = json.loads((site / "data/agencies.json").read_text(encoding="utf-8"))
    a = agencies[len(agencies) // 2]
    place = a["region"][0] if a["region"] else a["name"][:3]
    return [*COMMON_QUERIES, a["name"], place]


def node_search(site: Path, queries: list[str]) -> dict[str, Any]:
    """Node harness: each query cold (own process), then all in one process (warm after the first)."""
    node = shutil.which("node")
    if node is None:
        return {"skipped": "node not installed"}
    script = ROOT / "scripts" / "pagefind_search.mjs"

    def run(qs: list[str]) -> list[dict[str, Any]]:
        p = subprocess.run([node, str(script), str(site), *qs], capture_output=True, text=True, check=True)
        return [json.loads(line) for line in p.stdout.splitlines()]

    cold = [run([q])[0] for q in queries]
    seq = run(queries)
    return {
        "cold": [{"query": r["query"], "count": r["count"], "bytes": r["bytes"], "files": len(r["files"])} for r in cold],
        "warm": [{"query": r["query"], "count": r["count"], "bytes": r["bytes"], "files": len(r["files"])}
                 for r in seq[1:]],
        "note": "pagefind_search.mjs: files fetched by Pagefind (entry, metadata, WASM, index chunks, "
                "fragments of the first 10 results); pagefind.js and search.js are imported from disk, not counted",
    }


def chromium_search(site: Path, queries: list[str]) -> dict[str, Any]:
    """Headless Chromium on the site's search page, a fresh profile: the first query cold,
    the rest in the same tab (warm HTTP cache); bytes of the search's own files."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return {"skipped": "chromium not installed"}
    spec = importlib.util.spec_from_file_location("check_pages", ROOT / "scripts" / "check_pages.py")
    cp = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(cp)  # type: ignore[union-attr]
    handler = functools.partial(cp.Recorder, directory=str(site.resolve()))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    out: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as profile:
            browser = cp.Browser(chromium, profile)
            try:
                tab = cp.Tab(browser)
                for i, q in enumerate(queries):
                    cp.Recorder.log = []
                    tab.open(f"{origin}/search/?q={quote(q)}", cp.WIDTHS["desktop"], cp.RESULTS_READY, timeout=60)
                    kinds = cp.search_bytes(cp.Recorder.log)
                    wire = cp.search_bytes(cp.Recorder.log, wire=True)
                    page_total = sum(n for _, code, n, _ in cp.Recorder.log if code == 200)
                    out.append({"query": q, "cold": i == 0, "results_shown": tab.evaluate(cp.RESULT_COUNT),
                                "status": tab.evaluate("document.querySelector('.gk-search-status').textContent"),
                                "search_bytes": sum(kinds.values()), "by_kind": kinds,
                                "wire_bytes": sum(wire.values()), "wire_by_kind": wire,
                                "all_bytes": page_total})
            finally:
                browser.close()
    finally:
        server.shutdown()
    return {"queries": out, "note": "check_pages.py recorder: 200 responses of the search's own files "
                                    "(search.js, pagefind JS, WASM, metadata, index chunks, fragments); "
                                    "wire_bytes: the same from a host that gzips text (GitHub Pages), "
                                    "i.e. the JS compressed, Pagefind's own gzip files as they are; "
                                    "all_bytes adds the page, theme CSS/JS"}


# ---------------------------------------------------------------- MkDocs against its floor

MKDOCS_CPU = """
import json, logging, pickle, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from gongkai.build import load_mkdocs_config
from gongkai.settings import Settings
pages = pickle.loads(Path(sys.argv[1]).read_bytes())
config, plugin = load_mkdocs_config(Settings(content_dir=Path(sys.argv[3])), site_dir=sys.argv[2])
plugin.prepared = pages
warnings = []
class Collect(logging.Handler):
    def emit(self, record):
        warnings.append(record.getMessage())
logging.getLogger("mkdocs").addHandler(Collect(logging.WARNING))
t = time.process_time()
build(config)
print(json.dumps({"cpu_s": time.process_time() - t, "warnings": warnings}))
"""
"""One ``mkdocs build`` in a child process, of pages rendered beforehand (the plugin's
``prepared``: no parse, no data files, no search index); prints its CPU seconds."""


def mkdocs_floor(site_obj: Any, work: Path, rounds: int | None = None) -> dict[str, Any]:
    import pickle
    from dataclasses import replace

    from gongkai.render import render_site

    pages = render_site(site_obj)
    empty = [replace(p, title="页面", html="", toc=[]) for p in pages]
    n_pages = len(pages)
    n_report = sum(1 for p in pages if p.is_report)
    rounds = rounds or (5 if n_pages < 5000 else 3)  # short builds are the noisiest
    variants = {"floor": empty, "real": pages,
                "reports": [p if p.is_report else e for p, e in zip(pages, empty)]}
    files = {}
    for name, variant in variants.items():
        files[name] = work / f"pages-{name}.pickle"
        files[name].write_bytes(pickle.dumps(variant))

    def build(name: str) -> float:
        # A fresh process per build: in one process each MkDocs build left a larger heap
        # behind, so whichever variant ran later paid more. CPU time of the build alone
        # (imports excluded): the machine is shared, and wall times moved by a third.
        p = subprocess.run([sys.executable, "-c", MKDOCS_CPU, str(files[name]), str(work / "site-mkdocs"),
                            str(site_obj.settings.content_dir)], capture_output=True, text=True, check=True)
        shutil.rmtree(work / "site-mkdocs", ignore_errors=True)
        out = json.loads(p.stdout.strip().splitlines()[-1])
        if out["warnings"]:
            print(f"  mkdocs warnings: {out['warnings'][:3]}", flush=True)
        return float(out["cpu_s"])

    best: dict[str, float] = {}
    for _ in range(rounds):  # interleaved, best of the rounds: load on the machine and
        for name in variants:  # a growing heap hit one order less
            gc.collect()
            best[name] = min(best.get(name, float("inf")), build(name))
    floor, real, reports_only = best["floor"], best["real"], best["reports"]
    for f in files.values():
        f.unlink()
    floor_ms = 1000 * floor / n_pages
    report_ms = floor_ms + 1000 * (reports_only - floor) / n_report
    return {
        "pages": n_pages, "report_pages": n_report,
        "floor_s": floor, "real_s": real, "reports_real_rest_empty_s": reports_only,
        "floor_ms_per_page": floor_ms,
        "real_ms_per_page": 1000 * real / n_pages,
        "report_page_ms": report_ms,
        "ratio_site": real / floor,
        "ratio_report_page": report_ms / floor_ms,
        "rounds": rounds,
        "note": "gongkai's mkdocs.yml and plugin, pages rendered beforehand; floor = every page emptied to "
                "a title; report_page_ms = floor per page + (report pages real, rest empty - floor) / report pages; "
                "CPU seconds of the building process, each the best of `rounds` interleaved builds",
    }


# ---------------------------------------------------------------- one size, in its own process

def extra_report(seed: int) -> Path:
    """One generated PDF report (the slowest kind to parse), the file added for the rebuild."""
    folder = OUT / f"extra-pdf-seed{seed + 7919}"
    if not (folder / "corpus.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--reports", "1", "--seed", str(seed + 7919),
                        "--mix", "pdf=100", "--jobs", "1", "--out", str(folder)], check=True,
                       stdout=subprocess.DEVNULL)
    return next(p for p in sorted((folder / "reports").rglob("*")) if p.is_file())


def link_tree(src: Path, dst: Path) -> None:
    for dirpath, _, names in os.walk(src):
        target = dst / Path(dirpath).relative_to(src)
        target.mkdir(parents=True, exist_ok=True)
        for n in names:
            try:
                os.link(os.path.join(dirpath, n), target / n)
            except OSError:
                shutil.copyfile(os.path.join(dirpath, n), target / n)


def fill_cache(cache_dir: Path, results: list[Any]) -> int:
    """The entries ``parse_all`` would have written had the timed build used the cache."""
    from gongkai.cache import ParseCache

    cache = ParseCache(cache_dir)
    n = 0
    for r in results:
        if not r.sha256:
            continue
        if r.report is not None:
            cache.put(r.sha256, {"report": r.report.to_dict()})
        elif r.error_kind != "InternalError":
            cache.put(r.sha256, {"error": {"kind": r.error_kind, "reason": r.error}})
        else:
            continue
        n += 1
    return n


def run_one(n: int, seed: int, jobs: int | None, corpus: Path, browser: bool,
            keep_site: bool = False) -> dict[str, Any]:
    import logging

    logging.getLogger("gongkai").setLevel(logging.ERROR)
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    import gongkai
    from gongkai.build import build_site
    from gongkai.settings import Settings

    work = OUT / f"work-{n}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    log_dir = work / "parse-log"
    log_dir.mkdir()
    captured = instrument_parse(log_dir)
    result: dict[str, Any] = {"reports": n, "seed": seed, "corpus": str(corpus.relative_to(ROOT)),
                              "jobs": jobs or os.cpu_count(), "gongkai_from": str(Path(gongkai.__file__).parent)}
    sampler = MemorySampler()

    # 1. the timed build: no cache
    settings = Settings(content_dir=corpus, out_dir=work / "site", cache_dir=None, jobs=jobs)
    print(f"[{n}] build (no cache, jobs={result['jobs']}) ...", flush=True)
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()
    sampler.phase = "build"
    built = build_site(settings)
    sampler.phase = None
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["loadavg"] = {"before": load0, "after": os.getloadavg()}
    result["memory"] = {"rusage_after_build": rusage_peaks(), "build_tree": dict(sampler.peaks.get("build", {}))}
    result["children_cpu_s_build"] = (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime)
    s = built.site
    result["seconds"] = built.seconds
    result["site"] = {"inputs": len(s.inputs), "reports": len(s.reports), "agencies": len(s.agencies),
                      "rejected": len(built.rejected), "with_failed_checks": len(built.with_failed_checks),
                      "mkdocs_warnings": len(built.warnings)}
    rows = parse_log(log_dir)
    result["cpu_seconds"] = stage_cpu(captured["stages"], rows)
    result["memory"]["parent_after_stage"] = take_rss_after()
    result["parse"] = {"files_logged": len(rows), "by_kind": parse_stats(rows),
                       "method": "instrumented: every file timed inside its pool worker (wall and CPU)"}
    print(f"[{n}] {built.summary()}", flush=True)
    print(f"[{n}] seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in built.seconds.items()), flush=True)

    # 2. the built site
    result["size"] = site_sizes(work / "site", n)
    queries = pick_queries(work / "site")
    print(f"[{n}] search bytes for {queries} ...", flush=True)
    result["search"] = {"queries": queries, "node": node_search(work / "site", queries)}
    if browser:
        try:
            result["search"]["chromium"] = chromium_search(work / "site", queries)
        except Exception as e:  # noqa: BLE001 - a figure missing, not a failed run
            result["search"]["chromium"] = {"skipped": f"{type(e).__name__}: {e}"}

    # 3. MkDocs against its floor, same run, same configuration
    print(f"[{n}] mkdocs floor / real / report pages ...", flush=True)
    result["mkdocs"] = mkdocs_floor(s, work)
    captured["stages"].clear()
    take_rss_after()

    # 4. one report added, cache on
    print(f"[{n}] rebuild with one report added (cache on) ...", flush=True)
    t = time.perf_counter()
    result["rebuild"] = {"cache_entries": fill_cache(work / "cache", captured["results"]),
                         "cache_fill_s": time.perf_counter() - t}
    content = work / "content-plus-one"
    link_tree(corpus / "reports", content / "reports")
    added = extra_report(seed)
    (content / "reports" / "added").mkdir()
    shutil.copyfile(added, content / "reports" / "added" / added.name)
    for p in log_dir.glob("*.tsv"):
        p.unlink()
    settings2 = Settings(content_dir=content, out_dir=work / "site", cache_dir=work / "cache",
                         jobs=jobs)
    sampler.phase = "rebuild"
    rebuilt = build_site(settings2)
    sampler.phase = None
    sampler.stop()
    result["rebuild"]["cpu_seconds"] = stage_cpu(captured["stages"], parse_log(log_dir))
    result["memory"]["rebuild_parent_after_stage"] = take_rss_after()
    parsed = [r.file for r in captured["results"] if not r.cached]
    result["rebuild"].update({
        "added": f"reports/added/{added.name}", "files": len(captured["results"]),
        "parsed": len(parsed), "parsed_files": parsed[:5], "parse_calls_logged": len(parse_log(log_dir)),
        "seconds": rebuilt.seconds, "reports": len(rebuilt.site.reports),
    })
    result["memory"]["rebuild_tree"] = dict(sampler.peaks.get("rebuild", {}))
    result["memory"]["rusage_end"] = rusage_peaks()
    print(f"[{n}] rebuild: {len(parsed)} parsed of {len(captured['results'])}, "
          f"{rebuilt.seconds['total']:.1f} s", flush=True)
    for d in ("content-plus-one", "cache", "parse-log"):
        shutil.rmtree(work / d, ignore_errors=True)
    if keep_site:
        print(f"[{n}] site kept in {work / 'site'}", flush=True)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return result


# ---------------------------------------------------------------- the driver

def ensure_corpus(n: int, seed: int) -> Path:
    folder = OUT / f"corpus-{n}-seed{seed}"
    meta = folder / "corpus.json"
    if meta.exists():
        info = json.loads(meta.read_text(encoding="utf-8"))
        if info.get("reports") == n and info.get("seed") == seed:
            print(f"corpus {folder.relative_to(ROOT)}: reused", flush=True)
            return folder
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    print(f"corpus {folder.relative_to(ROOT)}: generating {n} reports ...", flush=True)
    subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--reports", str(n), "--seed", str(seed),
                    "--out", str(tmp)], check=True)
    tmp.rename(folder)
    return folder


def _version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=30,
                              check=False).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "not installed"


def machine() -> dict[str, Any]:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal:"))
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "")

    def dist(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "not installed"

    git = _version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    # "not installed" here means no output: a clean tree.
    dirty = _version(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"]) != "not installed"
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(), "cpu": cpu, "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "os": platform.platform(), "python": platform.python_version(),
        "versions": {k: dist(k) for k in ("gongkai", "mkdocs", "mkdocs-material", "pagefind", "pagefind_bin_extended",
                                          "Markdown", "Jinja2", "pdfplumber")},
        "pagefind_binary": _version([sys.executable, "-m", "pagefind", "--version"]),
        "node": _version(["node", "--version"]),
        "chromium": _version(["chromium", "--version"]),
        "git": f"{git}{' + uncommitted changes' if dirty else ''}",
    }


def snapshot_source() -> Path:
    target = OUT / "src-snapshot"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "src" / "gongkai", target / "gongkai", ignore=shutil.ignore_patterns("__pycache__"))
    return target


def driver(args: argparse.Namespace) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    if args.snapshot:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(snapshot_source()), env.get("PYTHONPATH")]))
    for n in args.sizes:
        corpus = ensure_corpus(n, args.seed)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", str(n), "--seed", str(args.seed),
               "--corpus", str(corpus)]
        if args.jobs:
            cmd += ["--jobs", str(args.jobs)]
        if args.no_browser:
            cmd.append("--no-browser")
        if args.keep_sites:
            cmd.append("--keep-sites")
        t = time.perf_counter()
        subprocess.run(cmd, check=True, env=env)
        print(f"[{n}] done in {time.perf_counter() - t:.0f} s", flush=True)
    write_results(args.sizes, args.seed)


def load_results(sizes: list[int], seed: int) -> list[dict[str, Any]]:
    found = []
    for n in sizes:
        p = OUT / f"result-{n}-seed{seed}.json"
        if p.exists():
            found.append(json.loads(p.read_text(encoding="utf-8")))
        else:
            print(f"no result for {n} reports ({p})", file=sys.stderr)
    return sorted(found, key=lambda r: r["reports"])


# ---------------------------------------------------------------- figures and the table

def per_unit(r: dict[str, Any]) -> dict[str, float]:
    """The per-report and per-page figures whose growth with N matters."""
    n, s, mk = r["reports"], r["seconds"], r["mkdocs"]
    pages = mk["pages"]
    return {
        "parse_ms_per_report": 1000 * s["parse"] / n,
        "render_ms_per_page": 1000 * s["render"] / pages,
        "mkdocs_ms_per_page": 1000 * s["mkdocs"] / pages,
        "mkdocs_report_page_ms": mk["report_page_ms"],
        # CPU: the data files are written alongside render and MkDocs, their wall is the wait
        "data_ms_per_report": 1000 * r.get("cpu_seconds", {}).get("data", s["data"]) / n,
        "pagefind_ms_per_page": 1000 * s["search"] / pages,
        "total_ms_per_report": 1000 * s["total"] / n,
        "site_kb_per_report": r["size"]["kb_per_report"],
        "peak_mb_per_1k_reports": peak_mb(r) / (n / 1000),
        **{f"parse_cpu_ms_{k}": v["cpu_ms_mean"] for k, v in r["parse"]["by_kind"].items()},
    }


def peak_mb(r: dict[str, Any]) -> float:
    return r["memory"]["build_tree"].get("rss_kb", 0) / 1024


def search_max_kb(r: dict[str, Any]) -> tuple[float, float]:
    """(largest cold, largest warm) KB one query downloads from a host that gzips text, as
    GitHub Pages does. Cold: the largest of Node's per-query cold downloads (each query in a
    fresh process) plus the search's scripts as Chromium received them, compressed (Node
    imports them from disk); or Chromium's own cold query if larger. Warm: the largest of
    Node's and Chromium's warm queries."""
    node = r["search"].get("node", {})
    chromium = r["search"].get("chromium", {}).get("queries", [])
    scripts = max((q.get("wire_by_kind", {}).get("js", 0) for q in chromium if q["cold"]), default=0)
    cold = [(q["bytes"] + scripts) / 1024 for q in node.get("cold", [])]
    warm = [q["bytes"] / 1024 for q in node.get("warm", [])]
    for q in chromium:
        (cold if q["cold"] else warm).append(q.get("wire_bytes", q["search_bytes"]) / 1024)
    return max(cold, default=0.0), max(warm, default=0.0)


def growth(results: list[dict[str, Any]]) -> dict[str, Any]:
    if len(results) < 2:
        return {}
    lo, hi = results[0], results[-1]
    a, b = per_unit(lo), per_unit(hi)
    return {"from": lo["reports"], "to": hi["reports"],
            "per_unit": {k: (b[k] / a[k] if a.get(k) and k in b else None) for k in a}}


def goals(results: list[dict[str, Any]], g: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    if not results:
        return []
    top = results[-1]
    mk = top["mkdocs"]
    out: list[tuple[str, str, bool | None]] = []
    out.append((f"MkDocs per report page within {GOALS['mkdocs_ratio']:g}x the empty-page floor at {top['reports']:,}",
                (f"{mk['ratio_report_page']:.2f}x ({mk['report_page_ms']:.1f} vs {mk['floor_ms_per_page']:.1f} ms); "
                 f"whole site {mk['ratio_site']:.2f}x"), mk["ratio_report_page"] <= GOALS["mkdocs_ratio"]))
    if g:
        # Parse per file kind (CPU): the parse stage per report also moves with the share
        # of PDFs in a corpus, which differs a little between sizes.
        keys = ("total_ms_per_report", "parse_cpu_ms_pdf", "parse_cpu_ms_docx", "parse_cpu_ms_html",
                "parse_cpu_ms_txt", "render_ms_per_page", "mkdocs_ms_per_page", "data_ms_per_report",
                "pagefind_ms_per_page")
        out.append((f"linear growth {g['from']:,} -> {g['to']:,} (per-unit cost ratio <= {GOALS['growth']:g})",
                    "; ".join(f"{k.replace('_', ' ')} {g['per_unit'][k]:.2f}" for k in keys),
                    all((g["per_unit"][k] or 0) <= GOALS["growth"] for k in keys)))
    cold, warm = max(search_max_kb(r)[0] for r in results), max(search_max_kb(r)[1] for r in results)
    out.append((f"at most {GOALS['search_kb']} KB downloaded per search query (from a host that gzips text)",
                f"largest cold {cold:.0f} KB (scripts, WASM, metadata, index chunks, fragments), "
                f"largest warm {warm:.0f} KB", max(cold, warm) <= GOALS["search_kb"]))
    peak = peak_mb(top) / 1024
    out.append((f"peak memory well within a {GOALS['memory_gb']:g} GB CI runner (at most half of it)",
                f"{peak:.2f} GB at {top['reports']:,} reports (RSS summed over the process tree)",
                peak <= GOALS["memory_gb"] / 2))
    size_gb = top["size"]["bytes"] / 1e9
    out.append(("(not set, but binding) the site fits GitHub Pages' 1 GB limit on a published site",
                (f"{size_gb:.2f} GB at {top['reports']:,} reports ({top['size']['kb_per_report']:.0f} KB per report: "
                 f"~{1e9 / 1024 / top['size']['kb_per_report'] / 1000:.0f},000 reports fit)"), size_gb <= 1.0))
    return out


def markdown(results: list[dict[str, Any]], mach: dict[str, Any]) -> str:
    g = growth(results)
    cols = [f"{r['reports']:,}" for r in results]
    sizes = " ".join(str(r["reports"]) for r in results)
    lines = ["# Scale benchmark", "",
             (f"Generated by `.venv/bin/python benchmarks/bench_scale.py --sizes {sizes}` (see the script's "
              "docstring for the method; raw figures in `scale.json`; what they mean for a nation-wide corpus "
              "in [`docs/scaling.md`](../../docs/scaling.md)). Do not edit by hand."), "",
             (f"Machine: {mach['cores']} cores ({mach['cpu']}), {mach['ram_gb']} GB RAM, {mach['os']}; "
              f"Python {mach['python']}, MkDocs {mach['versions']['mkdocs']}, "
              f"Material {mach['versions']['mkdocs-material']}, Pagefind {mach['versions']['pagefind']} (extended), "
              f"Node {mach['node']}, {mach['chromium']}. gongkai {mach['git']}. Run {mach['date']}. "
              "The machine was shared with other jobs (see the load averages): wall times carry noise, "
              "CPU times less."), ""]
    header = "| | " + " | ".join(cols) + (" | growth |" if g else " |")
    lines += [header, "|---|" + "---:|" * (len(cols) + (1 if g else 0))]

    def row(label: str, values: list[str], grow: str = "") -> None:
        lines.append(f"| {label} | " + " | ".join(values) + (f" | {grow} |" if g else " |"))

    def gr(key: str) -> str:
        v = g.get("per_unit", {}).get(key) if g else None
        return f"{v:.2f}x" if v else ""

    row("reports / agencies / pages", [f"{r['site']['reports']:,} / {r['site']['agencies']:,} / {r['mkdocs']['pages']:,}"
                                       for r in results])
    row("not parsed (rejected)", [str(r["site"]["rejected"]) for r in results])
    for kind in KINDS:
        row(f"parse, {kind} (ms/file: wall mean · p95 · CPU mean; files)",
            [_kind_cell(r["parse"]["by_kind"].get(kind)) for r in results], gr(f"parse_cpu_ms_{kind}"))
    row("**parse stage** (wall, ms/report, all cores)", [f"{1000 * r['seconds']['parse'] / r['reports']:.1f}"
                                                         for r in results], gr("parse_ms_per_report"))
    row("**render** (jinja -> page HTML, ms/page)", [f"{per_unit(r)['render_ms_per_page']:.2f}" for r in results],
        gr("render_ms_per_page"))
    row("**mkdocs build** in the build (ms/page)", [f"{per_unit(r)['mkdocs_ms_per_page']:.2f}" for r in results],
        gr("mkdocs_ms_per_page"))
    row("mkdocs, same pages emptied = floor (ms/page)", [f"{r['mkdocs']['floor_ms_per_page']:.2f}" for r in results])
    row("mkdocs, real pages, same run (ms/page; x floor)",
        [f"{r['mkdocs']['real_ms_per_page']:.2f}; {r['mkdocs']['ratio_site']:.2f}x" for r in results])
    row("mkdocs, one report page (ms; x floor)",
        [f"{r['mkdocs']['report_page_ms']:.2f}; {r['mkdocs']['ratio_report_page']:.2f}x" for r in results],
        gr("mkdocs_report_page_ms"))
    row("data files + originals (CPU ms/report, written in a fork alongside render and MkDocs)", [f"{per_unit(r)['data_ms_per_report']:.2f}" for r in results],
        gr("data_ms_per_report"))
    row("**search index**, Pagefind (ms/page)", [f"{per_unit(r)['pagefind_ms_per_page']:.2f}" for r in results],
        gr("pagefind_ms_per_page"))
    row("**total build** (s; ms/report)", [f"{r['seconds']['total']:.0f}; {per_unit(r)['total_ms_per_report']:.0f}"
                                          for r in results], gr("total_ms_per_report"))
    row("CPU seconds: parse (workers) / render / mkdocs / data / search (incl. Pagefind)",
        [" / ".join(f"{r.get('cpu_seconds', {}).get(k, 0):.0f}" for k in ("parse", "render", "mkdocs", "data", "search"))
         for r in results])
    row("load average before → after the build (other work on the machine)",
        [f"{r['loadavg']['before'][0]:.1f} → {r['loadavg']['after'][0]:.1f}" if "loadavg" in r else "—"
         for r in results])
    row("stage shares: parse / render / mkdocs / data / search",
        [" / ".join(f"{100 * r['seconds'][k] / r['seconds']['total']:.0f}%"
                    for k in ("parse", "render", "mkdocs", "data", "search")) for r in results])
    row("**peak memory**, process tree RSS (PSS) MB",
        [f"{peak_mb(r):.0f} ({r['memory']['build_tree'].get('pss_kb', 0) / 1024:.0f})" for r in results],
        gr("peak_mb_per_1k_reports"))
    row("max RSS, getrusage self / largest child (MB)",
        [f"{r['memory']['rusage_after_build']['self_kb'] / 1024:.0f} / "
         f"{r['memory']['rusage_after_build']['children_kb'] / 1024:.0f}" for r in results])
    row("build process RSS after parse / render / mkdocs / data (MB)",
        [" / ".join(f"{next((x['rss_mb'] for x in r['memory'].get('parent_after_stage', []) if x['stage'] == k), 0):.0f}"
                    for k in ("parse", "render", "mkdocs", "data")) for r in results])
    row("**site on disk** (KB/report; total MB)",
        [f"{r['size']['kb_per_report']:.0f}; {r['size']['bytes'] / 2**20:.0f}" for r in results],
        gr("site_kb_per_report"))
    row("share: pagefind/ · originals/ · agencies/ (pages+JSON)",
        [f"{100 * r['size']['pagefind']['share']:.0f}% · {100 * r['size']['originals']['share']:.0f}% · "
         f"{100 * r['size']['agencies']['share']:.0f}%" for r in results])
    row("largest page (KB)", [f"{r['size']['largest_pages'][0]['page']} {r['size']['largest_pages'][0]['kb']:.0f}"
                              for r in results])
    row("**search query**, cold (KB, largest; Node · Chromium as stored · Chromium over the wire · goal figure)",
        [_search_cell(r, cold=True) for r in results])
    row("**search query**, warm (KB, largest; Node · Chromium as stored · Chromium over the wire · goal figure)",
        [_search_cell(r, cold=False) for r in results])
    row("**rebuild, one report added** (files parsed; s)",
        [f"{r['rebuild']['parsed']}; {r['rebuild']['seconds']['total']:.0f}" for r in results])
    row("rebuild stages: parse / render / mkdocs / data / search (s)",
        [" / ".join(f"{r['rebuild']['seconds'][k]:.0f}" for k in ("parse", "render", "mkdocs", "data", "search"))
         for r in results])
    lines += ["", "Growth = per-report (or per-page) cost at the largest size / the same at the smallest: "
                  "1.00 is linear. Search queries: " + "; ".join(
                      f"{r['reports']:,}: " + ", ".join(f"“{q}”" for q in r["search"]["queries"]) for r in results[-1:])
              + " (two words every report prints, an agency's full name, its province).", "",
              "## Goals", "", "| goal | measured | met |", "|---|---|---|"]
    for goal, measured, ok in goals(results, g):
        lines.append(f"| {goal} | {measured} | {'yes' if ok else 'NO' if ok is not None else '?'} |")
    lines.append("")
    return "\n".join(lines)


def _kind_cell(k: dict[str, Any] | None) -> str:
    return f"{k['ms_mean']:.0f} · {k['ms_p95']:.0f} · {k['cpu_ms_mean']:.0f}; {k['files']}" if k else "—"


def _search_cell(r: dict[str, Any], cold: bool) -> str:
    node = r["search"].get("node", {})
    nq = node.get("cold" if cold else "warm", [])
    n_kb = max((q["bytes"] / 1024 for q in nq), default=None)
    ch = [q for q in r["search"].get("chromium", {}).get("queries", []) if q["cold"] == cold]
    c_kb = max((q["search_bytes"] / 1024 for q in ch), default=None)
    w_kb = max((q["wire_bytes"] / 1024 for q in ch if "wire_bytes" in q), default=None)
    goal = search_max_kb(r)[0 if cold else 1]
    return " · ".join(f"{v:.0f}" if v is not None else "—" for v in (n_kb, c_kb, w_kb, goal))


def write_results(sizes: list[int], seed: int) -> None:
    results = load_results(sizes, seed)
    if not results:
        return
    mach = json.loads((OUT / "machine.json").read_text()) if (OUT / "machine.json").exists() else machine()
    RESULTS.mkdir(parents=True, exist_ok=True)
    data = {"machine": mach, "command": "benchmarks/bench_scale.py --sizes " + " ".join(map(str, sizes)),
            "goals": GOALS, "growth": growth(results), "results": results}
    (RESULTS / "scale.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = markdown(results, mach)
    (RESULTS / "scale.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {RESULTS / 'scale.md'} and {RESULTS / 'scale.json'}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000, 10000], help="corpus sizes (reports)")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (a corpus is reused per size and seed)")
    ap.add_argument("--jobs", type=int, default=None, help="parse processes (default: the core count)")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium search measurement")
    ap.add_argument("--snapshot", action="store_true", help="run a frozen copy of src/gongkai")
    ap.add_argument("--keep-sites", action="store_true",
                    help="keep each built site in benchmarks/out/scale/work-<N>/site (to look into)")
    ap.add_argument("--tables-only", action="store_true", help="rewrite results/ from the per-size results")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        r = run_one(args.one, args.seed, args.jobs, args.corpus, not args.no_browser, args.keep_sites)
        (OUT / f"result-{args.one}-seed{args.seed}.json").write_text(json.dumps(r, ensure_ascii=False, indent=1),
                                                                       encoding="utf-8")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.tables_only:
        (OUT / "machine.json").write_text(json.dumps(machine(), ensure_ascii=False, indent=1), encoding="utf-8")
        driver(args)
    else:
        write_results(args.sizes, args.seed)


if __name__ == "__main__":
    main()
