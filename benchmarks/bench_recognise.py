"""Recognition cost per report: ``recognise()`` alone, on documents read once.

Run: ``make bench`` (or ``.venv/bin/python benchmarks/bench_recognise.py [--seconds N]``).

Reading (PDF geometry, DOCX XML, HTML parsing) dominates a parse; this isolates the
recogniser (title, parts, table alignment, glued-digit splitting) so a change there is
visible. Every committed fixture that parses as a report is read once; the documents are
then recognised repeatedly for about ``--seconds``. Printed per kind and overall, with
the cost of ``Document.text()`` over the same documents as the floor measured in the same
run (a pass over every block that any recogniser has to make at least once). Times are
CPU time of this process, so other work on a shared machine counts less.
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

from gongkai.errors import GongkaiError
from gongkai.read import EXTENSIONS, read_bytes
from gongkai.read.document import Document
from gongkai.recognise import recognise

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def documents(skip: set[str]) -> dict[str, list[tuple[Path, Document]]]:
    by_kind: dict[str, list[tuple[Path, Document]]] = defaultdict(list)
    for path in sorted(FIXTURES.rglob("*")):
        kind = EXTENSIONS.get(path.suffix.lower())
        if not kind or not path.is_file() or path.relative_to(FIXTURES).parts[0] in skip:
            continue
        try:
            doc = read_bytes(path.read_bytes(), path)
            recognise(doc, path)
        except GongkaiError:
            continue  # error fixtures are not reports
        by_kind[kind].append((path, doc))
    return by_kind


def timed(fn, seconds: float) -> tuple[int, float]:
    runs, start = 0, time.process_time()
    while True:
        fn()
        runs += 1
        elapsed = time.process_time() - start
        if elapsed >= seconds:
            return runs, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=3.0, help="time per measurement")
    ap.add_argument("--skip", default="", help="fixture folders to leave out, e.g. real2,variations")
    args = ap.parse_args()
    docs = documents({s for s in args.skip.split(",") if s})
    every = [item for kind in sorted(docs) for item in docs[kind]]
    runs, elapsed = timed(lambda: [d.text() for _, d in every], args.seconds)
    floor = elapsed / (runs * len(every))
    print(f"floor (Document.text) {1000 * floor:.3f} ms/report over {len(every)} reports")
    print(f"{'kind':6} {'reports':>7} {'ms/report':>10} {'x floor':>8}")
    for kind in sorted(docs) + ["all"]:
        items = every if kind == "all" else docs[kind]
        runs, elapsed = timed(lambda items=items: [recognise(d, p) for p, d in items], args.seconds)
        per = elapsed / (runs * len(items))
        print(f"{kind:6} {len(items):>7} {1000 * per:>10.3f} {per / floor:>8.1f}")


if __name__ == "__main__":
    main()
