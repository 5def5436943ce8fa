"""Build cost per report page against MkDocs' empty-page floor, and search bytes per query.

    python benchmarks/bench_site.py [--reports 200 800] [--keep]

For each size N it synthesises N reports (the five seed reports under N/2 invented agency
names, two years each, so report pages carry year-over-year diffs), renders the site's
pages and times ``mkdocs build`` with gongkai's mkdocs.yml and plugin (pages handed over
beforehand: no parse, no data files): on the same pages emptied (the floor: what MkDocs
and Material cost per page before any content), with only the report pages real, and on
the real pages. Then Pagefind indexes the real site and ``scripts/pagefind_search.mjs``
(Node) measures the bytes a browser downloads per query.

Prints figures; asserts nothing (tests never assert on wall-clock time).
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.build import load_mkdocs_config  # noqa: E402
from gongkai.check import run_checks  # noqa: E402
from gongkai.model import Source  # noqa: E402
from gongkai.parse import parse_file  # noqa: E402
from gongkai.publish import run_pagefind  # noqa: E402
from gongkai.render import RenderedPage, render_site  # noqa: E402
from gongkai.settings import Settings  # noqa: E402
from gongkai.site import Input, gather_site  # noqa: E402

PLACES = ("东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "门头沟区", "房山区", "通州区", "顺义区",
          "昌平区", "大兴区", "怀柔区", "平谷区", "密云区", "延庆区", "和平区", "河东区", "河西区", "南开区",
          "河北区", "红桥区", "东丽区", "西青区", "津南区", "北辰区", "武清区", "宝坻区", "滨海新区", "宁河区")
OFFICES = ("教育局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局",
           "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会",
           "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "城市管理委员会",
           "政务服务管理局", "人民政府办公室", "发展和改革委员会", "科学技术局", "工业和信息化局")
QUERIES = ("海淀区教育局", "行政复议", "滨海新区", "依申请公开", "信息处理费")


def busy_numbers(report, rng: random.Random):
    """Seed reports print zeros only; real ones fill many cells (and so the diff tables)."""
    requests = {k: (None if row is None else {c: (rng.randrange(0, 40) if rng.random() < 0.4 else 0)
                                              for c in row}) for k, row in report.requests.items()}
    review = {k: {c: rng.randrange(0, 5) for c in row} for k, row in report.review_litigation.items()}
    checks = tuple(run_checks(requests, review))
    return replace(report, requests=requests, review_litigation=review, checks=checks)


def synthetic_site(n_reports: int, work: Path):
    seeds = [parse_file(p, ROOT / "content") for p in sorted((ROOT / "content" / "reports").rglob("*.txt"))]
    names = [p + o for o in OFFICES for p in PLACES]
    inputs = []
    for i in range(n_reports):
        agency, year = names[i // 2], 2022 + i % 2
        seed = seeds[i % len(seeds)]
        name = f"reports/{year}/{i:05d}.txt"
        report = busy_numbers(replace(seed, agency=agency, year=year,
                                      source=Source(file=name, sha256=f"{i:064x}", kind="txt")), random.Random(i))
        inputs.append(Input(name, ROOT / "content" / seed.source.file, f"{i:064x}", report))
    settings = Settings(content_dir=work / "content", out_dir=work / "site")
    return gather_site(settings, inputs)


def mkdocs_seconds(site, pages: list[RenderedPage], site_dir: Path) -> float:
    from mkdocs.commands.build import build

    config, plugin = load_mkdocs_config(site.settings, site_dir=str(site_dir))
    plugin.prepared = pages
    gc.collect()
    # CPU time of this process: on a shared machine wall times move by a third.
    t = time.process_time()
    build(config)
    return time.process_time() - t


def search_bytes(site_dir: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        return []
    out = subprocess.run([node, str(ROOT / "scripts" / "pagefind_search.mjs"), str(site_dir), *QUERIES],
                         capture_output=True, text=True, check=True)
    return [json.loads(line) for line in out.stdout.splitlines()]


def bench(n: int, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = keep or Path(tmp)
        (work / "content").mkdir(parents=True, exist_ok=True)
        site = synthetic_site(n, work)
        t = time.perf_counter()
        pages = render_site(site)
        t_render = time.perf_counter() - t
        empty = [replace(p, title="页面", html="", toc=[]) for p in pages]
        reports_only = [p if p.is_report else e for p, e in zip(pages, empty)]
        n_pages = len(pages)
        report_pages = sum(1 for p in pages if p.is_report)

        mkdocs_seconds(site, empty, work / "site-x")  # warm-up: imports, template compiling
        best = {"floor": float("inf"), "reports": float("inf")}
        for _ in range(3):  # interleaved, best of three: a growing heap hits one order less
            best["floor"] = min(best["floor"], mkdocs_seconds(site, empty, work / "site-x"))
            best["reports"] = min(best["reports"], mkdocs_seconds(site, reports_only, work / "site-x"))
        floor, reports = best["floor"], best["reports"]
        real = min(mkdocs_seconds(site, pages, work / "site") for _ in range(3))
        html_bytes = [p.stat().st_size for p in (work / "site" / "agencies").glob("*/*/index.html")]
        t = time.perf_counter()
        run_pagefind(work / "site")
        t_search = time.perf_counter() - t
        index_bytes = sum(p.stat().st_size for p in (work / "site" / "pagefind").rglob("*") if p.is_file())

        per = floor * 1000 / n_pages

        def report_ms(total: float) -> str:
            extra = (total - floor) * 1000 / report_pages
            return f"{per + extra:6.2f} ms/report page  (floor + {extra:.2f}; {(per + extra) / per:.2f}x)"

        print(f"\n== {n} reports: {report_pages} report pages, {n_pages} pages in all, "
              f"report page HTML {sum(html_bytes) / len(html_bytes) / 1024:.0f} KB")
        print(f"MkDocs floor, empty pages          {per:6.2f} ms/page")
        print(f"report page (HTML in memory)       {report_ms(reports)}")
        print(f"whole site, mkdocs build           {real * 1000 / n_pages:6.2f} ms/page  ({real:.2f} s)")
        print(f"render pages (jinja)               {t_render * 1000 / n_pages:6.2f} ms/page")
        print(f"Pagefind index                     {t_search * 1000 / n_pages:6.2f} ms/page  "
              f"({index_bytes / 1024:.0f} KB on disk)")
        results = search_bytes(work / "site")
        for i, r in enumerate(results):
            print(f"search {r['query']!r:10} {r['count']:5} pages, first 10 shown: {r['bytes'] / 1024:6.1f} KB "
                  f"{'(cold: entry, metadata, wasm, chunks)' if i == 0 else '(warm: index chunks + fragments)'}")
        if not results:
            print("search bytes: node not installed, skipped")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, nargs="+", default=[200, 800])
    ap.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it")
    args = ap.parse_args()
    import logging
    logging.getLogger("gongkai").setLevel(logging.ERROR)
    for n in args.reports:
        bench(n, args.keep / str(n) if args.keep else None)


if __name__ == "__main__":
    main()
