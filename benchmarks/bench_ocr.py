"""OCR of scanned reports: pages per second and accuracy against the source's values.

Run: ``.venv/bin/python benchmarks/bench_ocr.py [--classifier] [--only NAME]``
(``make bench`` runs it after the parse benchmark).

Each render in ``tests/fixtures/scan/`` (an image-only PDF made from a real report by
``tests/fixtures/make_scan_fixtures.py``) is read by OCR, recognised, and every value
of ``tests/fixtures/gold/<source>.json`` compared: right, blank (left unread, with a
warning) or wrong (a different number: the one outcome that must never happen).

The floor, measured in the same run on the same pages: RapidOCR's own call on the
plain rendered page (no turning, no deskew, no table structure, no second readings),
so the ratio does not depend on the machine. ``--classifier`` runs the same with the
engine's per-crop text-angle classifier on, to compare.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium

from gongkai.errors import GongkaiError
from gongkai.read.ocr import engine, image
from gongkai.read.scan import ocr_settings, read_scanned_pdf
from gongkai.recognise import recognise

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TABLES = ("active_disclosure", "requests", "review_litigation")


def compare(found: Any, gold: dict[str, Any]) -> tuple[int, int, list[str]]:
    """(fields, blank, wrong descriptions) of a recognised report against its gold."""
    fields, blank, wrong = 0, 0, []
    for table in TABLES:
        got = getattr(found, table)
        for key, expected in gold[table].items():
            cells = expected.items() if isinstance(expected, dict) else [(None, expected)]
            for col, value in cells:
                fields += 1
                value_got = (got.get(key) or {}).get(col) if col else got.get(key)
                if value_got == value:
                    continue
                if value_got is None:
                    blank += 1
                else:
                    wrong.append(f"{table}.{key}{'.' + col if col else ''}: {value_got} (printed {value})")
    return fields, blank, wrong


def floor_seconds(data: bytes) -> tuple[int, float]:
    """RapidOCR alone on each plainly rendered page: (pages, seconds)."""
    pdf = pdfium.PdfDocument(data)
    start = time.perf_counter()
    for page in pdf:
        grey, _ = image.render_page(page)
        engine.read_page(grey)
    return len(pdf), time.perf_counter() - start


def classifier_flips(data: bytes) -> tuple[int, int, int, int, list[str]]:
    """The angle classifier on every text line the page reading found (pages upright):
    (lines, lines it would turn by 180 degrees, numbers, numbers turned, what turned
    lines read as then)."""
    from rapidocr.utils.process_img import get_rotate_crop_image

    from gongkai.read.ocr.layout import clean_value, is_clean_number

    ocr = engine._engine()
    threshold = ocr.cfg.Cls.cls_thresh
    pdf = pdfium.PdfDocument(data)
    lines = turned_lines = numbers = turned_numbers = 0
    read_as: list[str] = []
    for page in pdf:
        prepared = image.prepare(*image.render_page(page))
        rgb = np.ascontiguousarray(np.stack([prepared.grey] * 3, axis=-1))
        out = ocr(rgb, use_det=True, use_cls=False, use_rec=True)
        if out.boxes is None:
            continue
        crops = [get_rotate_crop_image(rgb, np.asarray(q, dtype=np.float32)) for q in out.boxes]
        _, cls = ocr.cls_and_rotate(crops)
        turned = [i for i, (label, score) in enumerate(cls.cls_res) if label == "180" and score >= threshold]
        is_number = [is_clean_number(clean_value(t)) for t in out.txts]
        lines += len(crops)
        numbers += sum(is_number)
        turned_lines += len(turned)
        turned_numbers += sum(is_number[i] for i in turned)
        if turned:
            again = engine.read_lines([np.ascontiguousarray(np.rot90(crops[i], 2)) for i in turned])
            read_as += [f"{out.txts[i]!r} -> {t!r}" for i, (t, _) in zip(turned, again)]
    return lines, turned_lines, numbers, turned_numbers, read_as


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--classifier", action="store_true", help="turn the per-crop angle classifier on")
    ap.add_argument("--only", help="only renders whose name contains this")
    args = ap.parse_args()
    engine.use_angle_classifier(args.classifier)
    renders = sorted((FIXTURES / "scan").glob("*.pdf"))
    if args.only:
        renders = [p for p in renders if args.only in p.name]
    engine.read_line(np.full((48, 96), 255, np.uint8))  # load the models before timing
    print(f"angle classifier: {'on' if args.classifier else 'off'}")
    print(f"{'render':<22} {'pages':>5} {'s/page':>7} {'floor':>7} {'ratio':>6} {'fields':>6} "
          f"{'right':>6} {'blank':>5} {'wrong':>5} {'accuracy':>8}")
    totals = [0, 0.0, 0.0, 0, 0, 0]
    for path in renders:
        data = path.read_bytes()
        gold = json.loads((FIXTURES / "gold" / f"{path.stem.rsplit('-', 1)[0]}.json").read_text(encoding="utf-8"))
        start = time.perf_counter()
        with ocr_settings(max_seconds_per_page=0):  # accuracy must not depend on the load
            doc = read_scanned_pdf(data, path)
        try:
            found = recognise(doc, path)
        except GongkaiError as e:
            found, failure = None, e.reason
        seconds = time.perf_counter() - start
        pages, floor = floor_seconds(data)
        if found is None:
            print(f"{path.stem:<22} {pages:>5} {seconds / pages:>7.2f} {floor / pages:>7.2f}  not recognised: {failure}")
            fields, blank, wrong = 0, 0, []
        else:
            fields, blank, wrong = compare(found, gold)
        if found is None:  # a report not recognised loses every field
            fields = sum(len(v) if isinstance(v, dict) else 1 for t in TABLES for v in gold[t].values())
        right = fields - blank - len(wrong) if found is not None else 0
        blank = fields - right - len(wrong)
        if found is not None:
            print(f"{path.stem:<22} {pages:>5} {seconds / pages:>7.2f} {floor / pages:>7.2f} {seconds / floor:>6.2f} "
                  f"{fields:>6} {right:>6} {blank:>5} {len(wrong):>5} {right / fields:>8.2%}")
        for w in wrong:
            print(f"    WRONG {w}")
        for w in found.warnings if found is not None else doc.warnings:
            print(f"    warning: {w}")
        if args.classifier:
            lines, turned, numbers, turned_numbers, read_as = classifier_flips(data)
            print(f"    classifier turns {turned} of {lines} text lines by 180 degrees ({turned_numbers} of "
                  f"{numbers} numbers): {', '.join(read_as[:6])}")
        for i, v in enumerate((pages, seconds, floor, fields, blank, len(wrong))):
            totals[i] += v
    pages, seconds, floor, fields, blank, n_wrong = totals
    if pages:
        right = fields - blank - n_wrong
        print(f"{'all':<22} {int(pages):>5} {seconds / pages:>7.2f} {floor / pages:>7.2f} {seconds / floor:>6.2f} "
              f"{int(fields):>6} {int(right):>6} {int(blank):>5} {int(n_wrong):>5} {right / fields:>8.2%}")
        print(f"{pages / seconds:.2f} pages/s")


if __name__ == "__main__":
    main()
