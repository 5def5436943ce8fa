"""Pages without a text layer (scans, "图片版" PDFs): the OCR path.

The PDF reader hands every page that has images but no text to
:func:`read_scanned_pages`. Each page is rendered (pypdfium2), turned upright and
squared, read by RapidOCR, and its ruled tables are rebuilt from the ruling lines in
the image (:mod:`gongkai.read.ocr`). Every table cell carries a
``CellMark(how="ocr", confidence=...)``; the recogniser turns the mark of each value
it takes into a value note, so the JSON and the report page say which numbers came
from OCR.

Never a guessed digit: a value cell read with less than ``min_confidence``, or a cell
with ink in it where no text was recognised, is left blank with a warning naming the
page, table, row and cell.

OCR can be turned off (``GONGKAI_OCR=0`` in the environment, or :func:`configure`
from the settings); a scan is then rejected with that reason.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UnreadableFile
from .document import Block, Document, Table

if TYPE_CHECKING:  # the OCR modules import OpenCV: loaded only when a scan is read
    from .ocr.layout import CellReading

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OcrSettings:
    enabled: bool = True
    """Read scanned pages by OCR; when off, a scan is rejected saying so."""
    min_confidence: float = 0.9
    """A value cell read with less confidence is left blank, with a warning."""
    max_seconds_per_page: float = 30.0
    """OCR of one page stops after this long (checked between its steps; 0: no limit).
    The per-file limit (``max_seconds_per_file``) bounds the whole file as for any file."""


OCR_OFF_REASON = ("no text layer: the PDF is a scanned image and OCR is turned off "
                  "(the gongkai plugin's ocr option in mkdocs.yml, or --no-ocr; "
                  "turn it on, or put a .txt transcription beside it)")
"""The rejection of a scan while OCR is off; the batch does not cache it."""


def _from_environment() -> OcrSettings:
    flag = os.environ.get("GONGKAI_OCR", "").strip().lower()
    return OcrSettings(enabled=flag not in ("0", "false", "no", "off"))


_settings = _from_environment()


def configure(settings: OcrSettings) -> None:
    """Set the OCR settings of this process (the batch calls it in each worker)."""
    global _settings
    _settings = settings


def current_settings() -> OcrSettings:
    return _settings


@contextmanager
def ocr_settings(**changes: object) -> Iterator[OcrSettings]:
    """Temporarily change the settings (tests, benchmarks)."""
    before = _settings
    configure(replace(before, **changes))  # type: ignore[arg-type]
    try:
        yield _settings
    finally:
        configure(before)


@dataclass(frozen=True, slots=True)
class ScannedPages:
    blocks_by_page: dict[int, tuple[Block, ...]]
    """1-based page number -> the blocks read from its image, in reading order."""
    warnings: tuple[str, ...] = field(default=())


def read_scanned_pdf(data: bytes, path: Path) -> Document:
    """A PDF that is all scan, every page read by OCR, as one :class:`Document`.

    Example::

        doc = read_scanned_pdf(Path("scan.pdf").read_bytes(), Path("scan.pdf"))
        doc.ocr_pages  # (1, 2, 3, 4)
    """
    import pypdfium2 as pdfium

    try:
        n_pages = len(pdfium.PdfDocument(data))
    except pdfium.PdfiumError as e:
        raise UnreadableFile(path, f"damaged PDF: its pages cannot be rendered for OCR ({e})") from None
    scanned = read_scanned_pages(data, path, range(1, n_pages + 1))
    pages = tuple(sorted(scanned.blocks_by_page))
    blocks = tuple(b for n in pages for b in scanned.blocks_by_page[n])
    return Document(blocks, "pdf", scanned.warnings, pages)


class _PageTimeout(Exception):
    pass


@dataclass
class _PageResult:
    blocks: tuple[Block, ...]
    warnings: list[str]
    text_boxes: int
    tables: int
    value_cells: int
    unsure_cells: int


def read_scanned_pages(data: bytes, path: Path, pages: Sequence[int]) -> ScannedPages:
    """Read the given 1-based pages of the PDF ``data`` from their images.

    Raises :class:`UnreadableFile` with the reason when OCR is off, or when the whole
    file is a scan and nothing usable came from it (no text, no ruled table, every
    value cell unsure).
    """
    settings = _settings
    if not settings.enabled:
        raise UnreadableFile(path, OCR_OFF_REASON)
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise UnreadableFile(path, f"damaged PDF: its pages cannot be rendered for OCR ({e})") from None
    try:
        n_pages = len(pdf)
        results: dict[int, _PageResult] = {}
        warnings: list[str] = []
        for number in sorted(set(pages)):
            if not 1 <= number <= n_pages:
                continue
            try:
                results[number] = _read_page(pdf[number - 1], number, settings)
            except _PageTimeout:
                warnings.append(f"page {number}: OCR took longer than {settings.max_seconds_per_page:g} s "
                                f"and was stopped; the page's content is missing")
                continue
            warnings.extend(results[number].warnings)
            if not results[number].text_boxes:
                warnings.append(f"page {number}: OCR found no text in the page image (blank, or too faint)")
        # The whole file is a scan when no other page has text either (a blank page
        # without an image is not sent here).
        whole_file = all(pdf[i - 1].get_textpage().count_chars() == 0
                         for i in range(1, n_pages + 1) if i not in set(pages))
    finally:
        pdf.close()
    if whole_file:
        _reject_unusable(path, results, settings)
    return ScannedPages({n: r.blocks for n, r in results.items()}, tuple(warnings))


def _reject_unusable(path: Path, results: dict[int, _PageResult], settings: OcrSettings) -> None:
    """A file that is all scan and gave nothing usable: say why, instead of 'no tables'."""
    if not results:
        raise UnreadableFile(path, f"scanned PDF: OCR of every page took longer than "
                                   f"{settings.max_seconds_per_page:g} s and was stopped")
    if sum(r.text_boxes for r in results.values()) == 0:
        raise UnreadableFile(path, "scanned PDF: OCR found no text in the page images (blank, or too faint)")
    if sum(r.tables for r in results.values()) == 0:
        raise UnreadableFile(path, "scanned PDF: no ruled table found in the page images "
                                   "(tables without ruling lines cannot be rebuilt from a scan)")
    values = sum(r.value_cells for r in results.values())
    if values and sum(r.unsure_cells for r in results.values()) == values:
        raise UnreadableFile(path, f"scanned PDF: every table cell was read with low confidence "
                                   f"(below {settings.min_confidence:g}: the scan is too blurred or faint)")


SURE = 0.99
"""A value read from the page at this confidence or above, as a clean number, is taken
as it is; anything less sure is read a second time from the cell's own crop."""


def _read_page(page: object, number: int, settings: OcrSettings) -> _PageResult:
    from .ocr import engine, grid, image, layout

    start = time.monotonic()

    def check_time() -> None:
        if settings.max_seconds_per_page and time.monotonic() - start > settings.max_seconds_per_page:
            raise _PageTimeout()

    grey, dpi = image.render_page(page)
    prepared = image.prepare(grey, dpi)
    check_time()
    boxes = engine.read_page(prepared.grey)
    check_time()
    grids = grid.find_grids(prepared.grey, dpi)
    bw = image.binarise(prepared.grey)
    outside = [b for b in boxes if not any(g.contains(b.cx, b.cy) for g in grids)]
    readings = [layout.grid_readings(g, [b for b in boxes if g.contains(b.cx, b.cy)], bw, dpi) for g in grids]
    # Second readings of the value cells the page reading is not sure of, in one batch.
    again: list[tuple[int, int, int]] = []
    crops = []
    for t, rows in enumerate(readings):
        for r, row in enumerate(rows):
            for c, (cell, reading) in enumerate(row):
                if layout.is_label(reading.text) or not (reading.text or reading.ink):
                    continue
                value = layout.clean_value(reading.text)
                if value and layout.is_clean_number(value) and (reading.confidence or 0) >= SURE \
                        and not reading.narrow:
                    continue
                crop = layout.value_crop(prepared.grey, bw, cell, dpi)
                if crop is not None:
                    again.append((t, r, c))
                    crops.append(crop)
    second = dict(zip(again, engine.read_lines(crops)))
    check_time()
    warnings: list[str] = []
    tables: list[tuple[grid.Grid, Table]] = []
    value_cells = unsure = 0
    for t, (g, rows) in enumerate(zip(grids, readings)):
        out_rows = []
        for r, row in enumerate(rows):
            value_row = any(layout.has_digit(x.text) and not layout.is_label(x.text) for _, x in row)
            out = []
            for c, (_, reading) in enumerate(row):
                if layout.is_label(reading.text):
                    out.append(reading)
                    continue
                where = f"page {number}, table {t + 1}, row {r + 1}, cell {c + 1}"
                settled, problem = _settle(reading, second.get((t, r, c)), settings.min_confidence)
                if settled.text or problem:
                    value_cells += 1
                if problem and (value_row or settled.text):
                    unsure += 1
                    warnings.append(f"{where}: {problem}; left blank")
                out.append(settled)
            out_rows.append(out)
        tables.append((g, layout.table_from_readings(out_rows)))
    blocks = layout.page_blocks(tables, layout.paragraphs(outside))
    log.debug("page %d: %d text boxes, %d tables, %d cells read twice, %.1f s (turned %d, skew %.2f)",
              number, len(boxes), len(grids), len(crops), time.monotonic() - start,
              prepared.quarter_turns, prepared.skew)
    return _PageResult(blocks, warnings, len(boxes), len(grids), value_cells, unsure)


def _settle(first: CellReading, second: tuple[str, float] | None,
            min_confidence: float) -> tuple[CellReading, str | None]:
    """One value cell from its page reading and its second reading (when it had one).

    Agreeing readings are taken; where they differ, the one the engine is sure of is
    taken only if the other is unsure; two sure readings that differ, or none sure,
    leave the cell blank with the reason.
    """
    from .ocr.layout import CellReading, clean_value

    assert isinstance(first, CellReading)
    a = clean_value(first.text)
    a_conf = first.confidence or 0.0
    if second is None:
        if not a:
            return CellReading("", None, first.ink), None
        if a_conf < min_confidence:
            return CellReading("", first.confidence, first.ink), \
                f"OCR read {first.text!r} with confidence {a_conf:.2f}"
        return CellReading(a, first.confidence, first.ink), None
    b, b_conf = clean_value(second[0]), second[1]
    if a == b and a:
        conf = max(a_conf, b_conf)
        if conf < min_confidence:
            return CellReading("", conf, first.ink), f"OCR read {a!r} with confidence {conf:.2f}"
        return CellReading(a, conf, first.ink), None
    sure_a = bool(a) and a_conf >= min_confidence
    sure_b = bool(b) and b_conf >= min_confidence
    if sure_a and not sure_b:
        return CellReading(a, a_conf, first.ink), None
    if sure_b and not sure_a:
        return CellReading(b, b_conf, first.ink), None
    if sure_a and sure_b:
        return CellReading("", min(a_conf, b_conf), first.ink), \
            f"two OCR readings disagree ({a!r} at {a_conf:.2f}, {b!r} at {b_conf:.2f})"
    if not a and not b:
        return CellReading("", None, first.ink), "marks in the cell but no text recognised"
    best = max((a_conf, a), (b_conf, b))
    return CellReading("", best[0], first.ink), f"OCR read {best[1]!r} with confidence {best[0]:.2f}"
