"""Turned pages: ``/Rotate`` on pages whose text is drawn upright, and content drawn
turned by the CTM (shown upright by ``/Rotate 90``, or sideways without it).

The fixtures are 洪泽区人民政府's real 2023 report with its pages turned
(``tests/fixtures/make_rotated_fixtures.py``): the reader turns each page so that its
text runs left to right, and reads what it reads from the upright original.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from conftest import assert_matches_gold

from gongkai.parse import parse_bytes
from gongkai.read.document import Document, Paragraph, Table
from gongkai.read.pdf import read
from gongkai.read.pdf.geometry import PageGeometry, read_pages

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ORIGINAL = FIXTURES / "pdf" / "hongze-2023.pdf"
NAMES = ["rotated-2023", "turned-2023"]


def _blocks(doc: Document) -> list[tuple[str, ...] | str]:
    return [b.text if isinstance(b, Paragraph) else tuple(r for row in b.rows for r in row)
            for b in doc.blocks if isinstance(b, (Paragraph, Table))]


@pytest.mark.parametrize("name", NAMES)
def test_every_value_read(name: str) -> None:
    path = FIXTURES / "pdf" / f"{name}.pdf"
    report = parse_bytes(path.read_bytes(), path).to_dict()
    assert report["warnings"] == []
    assert_matches_gold(report, json.loads((FIXTURES / "gold" / "hongze-2023.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", NAMES)
def test_the_same_document_as_the_upright_original(name: str) -> None:
    path = FIXTURES / "pdf" / f"{name}.pdf"
    original = read(ORIGINAL.read_bytes(), ORIGINAL)
    turned = read(path.read_bytes(), path)
    assert turned.warnings == original.warnings
    assert _blocks(turned) == _blocks(original)


@pytest.mark.parametrize("name", NAMES)
def test_pages_are_turned_to_their_text(name: str) -> None:
    path = FIXTURES / "pdf" / f"{name}.pdf"
    pages = read_pages(path.read_bytes(), path)
    assert [(round(p.width), round(p.height)) for p in pages] == [(595, 842)] * 5
    assert [len(p.chars) for p in pages] == [len(p.chars) for p in read_pages(ORIGINAL.read_bytes(), ORIGINAL)]


def test_every_glyph_where_the_upright_page_has_it() -> None:
    # /Rotate alone: the text is upright in user space, so every glyph box is the upright
    # page's. (Text drawn turned by the CTM is measured by the same rules in the glyph's
    # user-space box, which is not turned: its boxes differ from the upright ones by up
    # to a descent, which the reader tolerates -- the test above.)
    path = FIXTURES / "pdf" / "rotated-2023.pdf"
    pages = read_pages(path.read_bytes(), path)
    # The original saved by PDFium as the fixture was (saving rewrites its fonts'
    # metrics a little): the glyph boxes to compare with.
    resaved = io.BytesIO()
    pdfium.PdfDocument(ORIGINAL).save(resaved)
    upright = read_pages(resaved.getvalue(), ORIGINAL)

    def boxes(page: PageGeometry, right: bool) -> list[tuple[float | str, ...]]:
        # PDFium orders the characters of a page shown upside down from its end, and the
        # right edge of a glyph without ascent/descent is the next glyph's origin in that
        # order: on page 5 (/Rotate 180) only the left edges and baselines are compared.
        return sorted((c.text, round(c.x0, 1), round(c.top, 1), round(c.bottom, 1))
                      + ((round(c.x1, 1),) if right else ()) for c in page.chars)

    for page, up in zip(pages, upright):
        assert boxes(page, page.number != 5) == boxes(up, page.number != 5), page.number
