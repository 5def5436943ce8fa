"""The OCR path: image-only PDFs made from the real hongze reports, read offline.

The renders in ``fixtures/scan/`` (``make_scan_fixtures.py``: grey paper, noise,
blur, a 0.8-1.9 degree skew, JPEG at quality 30-35, one page fed sideways in two of
them) are read by :func:`read_scanned_pdf` once per module, then recognised and checked
like any report. Every value must be the printed one, or blank with a warning: never a
wrong digit.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest

from gongkai.check import run_checks
from gongkai.errors import UnreadableFile
from gongkai.limits import Limits, time_limit
from gongkai.read.document import CellMark, Document, Table
from gongkai.read.ocr import grid, image
from gongkai.read.ocr.layout import CellReading
from gongkai.read.scan import (ScannedPages, _settle, current_settings, ocr_settings, read_scanned_pages,
                               read_scanned_pdf)
from gongkai.recognise import recognise

from conftest import FIXTURES, load_gold

RENDERS = sorted(p.stem for p in (FIXTURES / "scan").glob("*.pdf"))
TABLES = ("active_disclosure", "requests", "review_litigation")


def _source(render: str) -> str:
    return render.rsplit("-", 1)[0]


@pytest.fixture(scope="module")
def scanned() -> dict[str, Document]:
    """Each render read once (OCR costs about a second or more a page), without the
    per-page time limit: what is read must not depend on how busy the machine is."""
    out = {}
    with ocr_settings(max_seconds_per_page=0):
        for name in RENDERS:
            path = FIXTURES / "scan" / f"{name}.pdf"
            out[name] = read_scanned_pdf(path.read_bytes(), path)
    return out


def _compare(found, gold) -> tuple[int, list[str], list[str]]:
    """(fields, blank fields, wrong fields) of a recognised report against its gold."""
    fields, blank, wrong = 0, [], []
    for table in TABLES:
        got = getattr(found, table)
        for key, expected in gold[table].items():
            cells = expected.items() if isinstance(expected, dict) else [(None, expected)]
            for col, value in cells:
                fields += 1
                value_got = (got.get(key) or {}).get(col) if col else got.get(key)
                name = f"{table}.{key}" + (f".{col}" if col else "")
                if value_got is None and value is not None:
                    blank.append(name)
                elif value_got != value:
                    wrong.append(f"{name}: {value_got} (printed {value})")
    return fields, blank, wrong


def test_renders_are_image_only() -> None:
    assert len(RENDERS) == 4
    for name in RENDERS:
        pdf = pdfium.PdfDocument(FIXTURES / "scan" / f"{name}.pdf")
        assert all(page.get_textpage().count_chars() == 0 for page in pdf), name


@pytest.mark.parametrize("render", RENDERS)
def test_scan_values_are_printed_values_or_blank_with_warning(render: str, scanned: dict[str, Document]) -> None:
    doc = scanned[render]
    found = recognise(doc, FIXTURES / "scan" / f"{render}.pdf")
    gold = load_gold(_source(render))
    assert found.agency == gold["agency"]
    assert (found.year, found.format) == (gold["year"], gold["format"])
    fields, blank, wrong = _compare(found, gold)
    assert wrong == []
    # Every cell left blank is named in a warning (the scan's or the recogniser's).
    assert len(blank) <= sum("left blank" in w for w in found.warnings), (blank, found.warnings)
    assert fields == 186
    assert (fields - len(blank)) / fields >= 0.98, blank


@pytest.mark.parametrize("render", RENDERS)
def test_every_scanned_cell_is_marked_as_ocr(render: str, scanned: dict[str, Document]) -> None:
    doc = scanned[render]
    assert doc.ocr_pages == (1, 2, 3, 4)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) >= 5  # A and B cut by page breaks, and C
    minimum = current_settings().min_confidence
    for t in tables:
        assert t.marks is not None
        assert [len(r) for r in t.marks] == [len(r) for r in t.rows]
        for row, marks in zip(t.rows, t.marks):
            for text, mark in zip(row, marks):
                assert isinstance(mark, CellMark) and mark.how == "ocr"
                if text.strip().isdigit():
                    assert mark.confidence is not None and minimum <= mark.confidence <= 1


def test_scan_of_hongze_2023_fails_the_same_checks_as_its_text(scanned: dict[str, Document]) -> None:
    """The printed table C totals of 0 are read as printed, and the checks flag them."""
    found = recognise(scanned["hongze-2023-150dpi"], "hongze-2023-150dpi.pdf")
    failed = {(c.rule, c.where) for c in run_checks(found.requests, found.review_litigation) if not c.passed}
    assert ("review_litigation.total", "review") in failed
    assert ("review_litigation.total", "litigation_after_review") in failed


def test_sideways_page_is_turned_upright(scanned: dict[str, Document]) -> None:
    # Page 3 of the 200 dpi 2023 render lies on its side; table B's rows are read.
    doc = scanned["hongze-2023-200dpi"]
    labels = [r[0] for b in doc.blocks if isinstance(b, Table) for r in b.rows]
    assert "一、本年新收政府信息公开申请数量" in labels


# ---------------------------------------------------------------- small synthetic pages


def _image_pdf(pages: list[np.ndarray], dpi: float = 150) -> bytes:
    """An image-only PDF of grey page images (JPEG inside)."""
    from PIL import Image

    pdf = pdfium.PdfDocument.new()
    for img in pages:
        buf = io.BytesIO()
        Image.fromarray(img).save(buf, "JPEG", quality=90)
        h, w = img.shape
        page = pdf.new_page(w * 72 / dpi, h * 72 / dpi)
        obj = pdfium.PdfImage.new(pdf)
        obj.load_jpeg(io.BytesIO(buf.getvalue()), inline=True)
        obj.set_matrix(pdfium.PdfMatrix().scale(w * 72 / dpi, h * 72 / dpi))
        page.insert_obj(obj)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _scan_then_text(img: np.ndarray) -> bytes:
    """A PDF whose page 1 is the image and page 2 has a text layer."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842))
    c.drawImage(ImageReader(Image.fromarray(img)), 0, 0, 595, 842)
    c.showPage()
    c.drawString(72, 700, "A page with a text layer")
    c.showPage()
    c.save()
    return out.getvalue()


def _blank_page() -> np.ndarray:
    return np.full((1754, 1240), 235, np.uint8)


def _text_page() -> np.ndarray:
    img = _blank_page()
    for i in range(8):
        cv2.putText(img, f"Annual report line {i + 1} without any table", (120, 200 + 60 * i),
                    cv2.FONT_HERSHEY_SIMPLEX, 1.0, 20, 2)
    return img


def test_ocr_turned_off_rejects_the_scan_saying_so() -> None:
    with ocr_settings(enabled=False):
        with pytest.raises(UnreadableFile, match="OCR is turned off"):
            read_scanned_pages(b"%PDF-1.4", Path("scan.pdf"), [1])


def test_blank_scan_is_rejected_as_without_text() -> None:
    with pytest.raises(UnreadableFile, match="OCR found no text in the page images"):
        read_scanned_pdf(_image_pdf([_blank_page()]), Path("blank.pdf"))


def test_scan_without_ruled_table_says_so() -> None:
    with pytest.raises(UnreadableFile, match="no ruled table found in the page images"):
        read_scanned_pdf(_image_pdf([_text_page()]), Path("prose.pdf"))


def test_page_of_a_text_pdf_is_not_judged_as_a_whole_scan() -> None:
    # Page 1 of 2 is the scan: a page without a table is normal inside a text PDF.
    out = read_scanned_pages(_scan_then_text(_text_page()), Path("mixed.pdf"), [1])
    assert isinstance(out, ScannedPages)
    assert list(out.blocks_by_page) == [1]
    assert any("Annual report line 1" in b.text for b in out.blocks_by_page[1] if hasattr(b, "text"))


def test_page_over_its_time_limit_is_stopped_with_a_warning() -> None:
    with ocr_settings(max_seconds_per_page=1e-6):
        out = read_scanned_pages(_scan_then_text(_text_page()), Path("slow.pdf"), [1])
        assert out.blocks_by_page == {}
        assert out.warnings == ("page 1: OCR took longer than 1e-06 s and was stopped; the page's content is missing",)
        with pytest.raises(UnreadableFile, match="OCR of every page took longer than 1e-06 s"):
            read_scanned_pdf(_image_pdf([_text_page()]), Path("slow.pdf"))


def test_ocr_runs_inside_the_per_file_time_limit() -> None:
    path = FIXTURES / "scan" / "hongze-2024-150dpi.pdf"
    with pytest.raises(UnreadableFile, match="processing took longer than 0.5 s"):
        with time_limit(path, Limits(max_seconds=0.5)):
            read_scanned_pdf(path.read_bytes(), path)


def test_damaged_pdf_is_unreadable() -> None:
    with pytest.raises(UnreadableFile, match="damaged PDF"):
        read_scanned_pages(b"%PDF-1.4 garbage", Path("bad.pdf"), [1])


def test_models_ship_inside_the_engine_package() -> None:
    """Nothing is downloaded at run time: the three ONNX models are in the wheel."""
    import rapidocr

    models = {p.name for p in (Path(rapidocr.__file__).parent / "models").glob("*.onnx")}
    assert {"PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx"} <= models


# ---------------------------------------------------------------- geometry without OCR


def _ruled_table(skew: float = 0.0) -> np.ndarray:
    """A 3x3 ruled table whose top-left cell spans two columns, optionally tilted."""
    img = np.full((900, 1200), 235, np.uint8)
    xs, ys = [200, 500, 800, 1000], [200, 300, 400, 500]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 20, 2)
    for i, x in enumerate(xs):
        top = ys[1] if i == 1 else ys[0]  # no rule between the first two cells of row 1
        cv2.line(img, (x, top), (x, ys[-1]), 20, 2)
    if skew:
        m = cv2.getRotationMatrix2D((600, 450), skew, 1.0)
        img = cv2.warpAffine(img, m, (1200, 900), borderValue=235)
    return img


def test_grid_cells_with_a_merge() -> None:
    grids = grid.find_grids(_ruled_table(), dpi=200)
    assert len(grids) == 1
    rows = grids[0].rows_of_cells()
    assert [[(c.colspan, c.rowspan) for c in r] for r in rows] == [[(2, 1), (1, 1)], [(1, 1)] * 3, [(1, 1)] * 3]


@pytest.mark.parametrize("degrees", [-1.8, -0.7, 1.2, 2.0])
def test_skew_is_measured_from_the_rules(degrees: float) -> None:
    # cv2 turns counter-clockwise for a positive angle: the rules then tilt up-right.
    found = image.skew_from_lines(_ruled_table(degrees))
    assert found is not None and math.isclose(found, -degrees, abs_tol=0.15)
    squared = image.rotate(_ruled_table(degrees), found)
    assert len(grid.find_grids(squared, dpi=200)) == 1


def test_settle_takes_agreeing_or_sure_readings_and_blanks_the_rest() -> None:
    unsure_one = CellReading("1", 0.43, True, narrow=True)
    assert _settle(unsure_one, ("1", 0.97), 0.9)[0].text == "1"
    assert _settle(unsure_one, ("7", 0.95), 0.9)[0].text == "7"  # the sure one against an unsure one
    settled, problem = _settle(CellReading("8", 0.95, True), ("3", 0.96), 0.9)
    assert settled.text == "" and "disagree" in (problem or "")
    settled, problem = _settle(CellReading("0", 0.66, True), ("0", 0.7), 0.9)
    assert settled.text == "" and "confidence 0.70" in (problem or "")
    assert _settle(CellReading("0.", 1.0, True), None, 0.9)[0].text == "0"  # a speck after the digit
    assert _settle(CellReading("", None, True), ("", 0.0), 0.9)[1] == "marks in the cell but no text recognised"


def test_batch_passes_ocr_settings_to_the_worker_and_does_not_cache_ocr_off(tmp_path, monkeypatch) -> None:
    import gongkai.parse
    from gongkai.batch import parse_all
    from gongkai.cache import ParseCache
    from gongkai.read.scan import OCR_OFF_REASON, OcrSettings

    # Until the PDF reader sends scanned pages here, stand in for it with the OCR entry.
    monkeypatch.setattr(gongkai.parse, "parse_bytes", lambda data, path, name=None: read_scanned_pages(data, path, [1]))
    path = tmp_path / "scan.pdf"
    path.write_bytes(_image_pdf([_blank_page()]))
    cache = ParseCache(tmp_path / "cache", version="test")
    before = current_settings()
    try:
        [result] = parse_all([(path, "scan.pdf")], jobs=1, cache=cache, ocr=OcrSettings(enabled=False))
    finally:
        from gongkai.read.scan import configure

        configure(before)
    assert (result.error_kind, result.error) == ("UnreadableFile", OCR_OFF_REASON)
    assert not list((tmp_path / "cache").rglob("*.json"))


def _table_page() -> np.ndarray:
    """A ruled 4x3 table of numbers on a page, in Hershey digits."""
    img = _blank_page()
    xs, ys = [150, 450, 750, 1050], [300, 380, 460, 540, 620]
    for y in ys:
        cv2.line(img, (xs[0], y), (xs[-1], y), 20, 2)
    for x in xs:
        cv2.line(img, (x, ys[0]), (x, ys[-1]), 20, 2)
    for r in range(4):
        for c in range(3):
            cv2.putText(img, str(10 * r + c + 1), (xs[c] + 110, ys[r] + 55), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 20, 3)
    return img


def test_scan_whose_every_cell_is_unsure_says_so() -> None:
    data = _image_pdf([_table_page()])
    table = next(b for b in read_scanned_pdf(data, Path("t.pdf")).blocks if isinstance(b, Table))
    assert table.rows[0] == ("1", "2", "3")  # read when sure
    with ocr_settings(min_confidence=1.01):  # nothing is ever that sure
        with pytest.raises(UnreadableFile, match="every table cell was read with low confidence"):
            read_scanned_pdf(data, Path("t.pdf"))


@pytest.mark.parametrize("k", [1, 2, 3])
def test_page_turned_by_quarter_turns_is_turned_back(k: int) -> None:
    page = np.ascontiguousarray(np.rot90(_text_page(), k))  # k quarter turns counter-clockwise
    assert image.prepare(page, 150).quarter_turns == (4 - k) % 4
