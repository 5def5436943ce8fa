"""Parse throughput per file kind, and PDF parse cost against pdfplumber's plain text.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_parse.py [--seconds N]``).

For each kind it parses the committed fixtures repeatedly for about ``--seconds`` and
prints reports/s. For PDFs it also times ``page.extract_text()`` over the same pages in
the same run, so the ratio does not depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import time
from collections import defaultdict
from pathlib import Path

import pdfplumber

from gongkai.errors import GongkaiError
from gongkai.parse import parse_bytes
from gongkai.read import EXTENSIONS

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def corpus() -> dict[str, list[tuple[Path, bytes]]]:
    """Every fixture that parses as a report, grouped by kind."""
    by_kind: dict[str, list[tuple[Path, bytes]]] = defaultdict(list)
    for path in sorted(FIXTURES.rglob("*")):
        kind = EXTENSIONS.get(path.suffix.lower())
        if not kind or not path.is_file():
            continue
        if "scan" in path.relative_to(FIXTURES).parts:
            continue  # OCR takes seconds a page: benchmarks/bench_ocr.py measures it
        data = path.read_bytes()
        try:
            parse_bytes(data, path)
        except GongkaiError:
            continue  # error fixtures are not reports
        by_kind[kind].append((path, data))
    return by_kind


def timed(fn, seconds: float) -> tuple[int, float]:
    """Run ``fn`` repeatedly for about ``seconds``; return (runs, elapsed)."""
    runs, start = 0, time.perf_counter()
    while True:
        fn()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return runs, elapsed


def plain_text(data: bytes) -> None:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    args = ap.parse_args()
    files = corpus()
    print(f"{'kind':6} {'files':>5} {'reports/s':>10} {'ms/report':>10}")
    for kind in sorted(files):
        items = files[kind]
        runs, elapsed = timed(lambda: [parse_bytes(d, p) for p, d in items], args.seconds)
        n = runs * len(items)
        print(f"{kind:6} {len(items):>5} {n / elapsed:>10.1f} {1000 * elapsed / n:>10.1f}")
    for path, data in files.get("pdf", []):
        r_parse, t_parse = timed(lambda: parse_bytes(data, path), args.seconds)
        r_text, t_text = timed(lambda: plain_text(data), args.seconds)
        per_parse, per_text = t_parse / r_parse, t_text / r_text
        print(f"pdf {path.name}: gongkai parse {1000 * per_parse:.0f} ms, pdfplumber extract_text "
              f"{1000 * per_text:.0f} ms, ratio {per_parse / per_text:.2f}x")


if __name__ == "__main__":
    main()
