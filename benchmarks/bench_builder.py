"""Bytes the report builder (/builder/) loads, at 1,000 and 10,000 reports.

    python benchmarks/bench_builder.py [--reports 1000 10000] [--years 5]

For each size N it synthesises N reports (the seed reports' numbers made busy, as in
bench_site.py, under agency names made of real county paths and offices, so every agency
has a region; N / years agencies, one report per year each), writes the builder's data
(builder_data.py) and, as the floor measured in the same run, the latest year's wide CSV
(export.write_wide: the same figures, a row per report). Prints raw and gzip'd bytes
(GitHub Pages sends text gzip'd, level 6 here) of: the page's own HTML (the content part
gongkai renders; Material's chrome is the same on every page), builder.js + builder.css,
the index, one year, all years; and their ratios to the floor. Asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_site import OFFICES, busy_numbers  # noqa: E402
from gongkai import urls  # noqa: E402
from gongkai.builder_data import write_builder_data  # noqa: E402
from gongkai.export import write_wide  # noqa: E402
from gongkai.model import Source  # noqa: E402
from gongkai.output import Output  # noqa: E402
from gongkai.parse import parse_file  # noqa: E402
from gongkai.regions import table  # noqa: E402
from gongkai.render import render_page, site_pages, template_env  # noqa: E402
from gongkai.settings import Settings  # noqa: E402
from gongkai.site import Input, gather_site  # noqa: E402

ASSETS = ROOT / "src" / "gongkai" / "overrides" / "assets" / "gongkai"


def synthetic_site(n: int, n_years: int, work: Path):  # type: ignore[no-untyped-def]
    seeds = [parse_file(p, ROOT / "content") for p in sorted((ROOT / "content" / "reports").rglob("*.txt"))]
    counties = [d for d in table().divisions if d.level == 3]
    names = ["".join(c.path) + o for o in OFFICES for c in counties]
    inputs = []
    for i in range(n):
        agency, year = names[i // n_years], 2024 - i % n_years
        seed = seeds[i % len(seeds)]
        name = f"reports/{year}/{i:05d}.txt"
        report = busy_numbers(replace(seed, agency=agency, year=year,
                                      source=Source(file=name, sha256=f"{i:064x}", kind="txt")), random.Random(i))
        inputs.append(Input(name, ROOT / "content" / seed.source.file, f"{i:064x}", report))
    return gather_site(Settings(content_dir=work / "content", out_dir=work / "site"), inputs)


def sizes(paths: list[Path]) -> tuple[int, int]:
    return sum(p.stat().st_size for p in paths), sum(len(gzip.compress(p.read_bytes(), 6)) for p in paths)


def kb(n: int) -> str:
    return f"{n / 1024:9.1f} KB"


def bench(n: int, n_years: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t = time.perf_counter()
        site = synthetic_site(n, n_years, work)
        t_gather = time.perf_counter() - t
        out = Output(work / "site")
        t = time.perf_counter()
        written = write_builder_data(site, out)
        t_write = time.perf_counter() - t
        write_wide(site, out)
        page = next(p for p in site_pages(site) if p.url == urls.BUILDER)
        html = work / "builder.html"
        html.write_text(render_page(template_env(), page).html, encoding="utf-8")
        root = work / "site"
        years = sorted(int(p.rsplit("/", 1)[1].split(".")[0]) for p in written[1:])
        latest = years[-1]
        rows = {
            "page HTML (content)": [html],
            "builder.js + builder.css": [ASSETS / "builder.js", ASSETS / "builder.css"],
            "index.json": [root / urls.BUILDER_INDEX],
            f"one year ({latest}.json)": [root / urls.builder_year(latest)],
            f"all {len(years)} years": [root / urls.builder_year(y) for y in years],
        }
        floor_raw, floor_gz = sizes([root / urls.wide_csv(latest)])
        print(f"\n== {n} reports, {len(site.agencies)} agencies, {len(years)} years "
              f"(gather {t_gather:.1f} s, builder data written in {t_write:.2f} s)")
        print(f"floor: wide/{latest}.csv {kb(floor_raw)} raw, {kb(floor_gz)} gzip")
        got = {}
        for label, paths in rows.items():
            got[label] = sizes(paths)
            r, g = got[label]
            print(f"{label:28} {kb(r)} raw  {kb(g)} gzip  ({g / floor_gz:5.2f}x the floor gzip'd)")
        first = [got[k] for k in list(rows)[:4]]
        everything = first[:3] + [got[list(rows)[4]]]
        for label, parts in (("page opens with one year", first), ("page with every year", everything)):
            r, g = sum(p[0] for p in parts), sum(p[1] for p in parts)
            print(f"{label:28} {kb(r)} raw  {kb(g)} gzip  ({g / floor_gz:5.2f}x the floor gzip'd, "
                  f"{r / floor_raw:5.2f}x raw)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--years", type=int, default=5)
    args = ap.parse_args()
    for n in args.reports:
        bench(n, args.years)


if __name__ == "__main__":
    main()
