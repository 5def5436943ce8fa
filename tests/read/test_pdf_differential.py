"""Differential test: the PDFium reader against the pdfplumber reader it replaced.

For every PDF fixture the document read from PDFium's geometry with gongkai's cell
finder must equal the document read by the same pipeline from pdfplumber's geometry
with pdfplumber's ``find_tables`` (the old reader, ``plumber_reference.py``).

One difference is expected and checked: Chromium's PDFs map some glyphs to Kangxi
radicals / CJK radical supplement code points (``⼈`` U+2F08, ``⻚`` U+2EDA); pdfminer
passes them on, PDFium gives the ideograph the page shows (``人``, ``页``).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from gongkai.read.document import Document, Paragraph, Table
from gongkai.read.pdf import build_document, read

from plumber_reference import plumber_find_tables, plumber_geometry

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
PDFS = sorted(FIXTURES.glob("*.pdf"))
# LibreOffice's CJK font subsets: pdfminer decodes every glyph of a line as its first
# one (``淮淮淮…``), and measures them by that glyph. pdfplumber is no reference there.
MISREAD_BY_PDFMINER = {"borderless-2023.pdf", "three-line-2024.pdf"}
# Pages shown sideways or upside down (/Rotate, or content turned by the CTM): the old
# reader took them as shown, the new one turns each page to its text. They are compared
# with their upright original instead (test_pdf_rotated.py).
TURNED = {"rotated-2023.pdf", "turned-2023.pdf"}
REFERENCE = [p for p in PDFS if p.name not in MISREAD_BY_PDFMINER | TURNED]


def _is_radical(ch: str) -> bool:
    return 0x2E80 <= ord(ch) <= 0x2FDF


def _same_text(old: str, new: str) -> bool:
    old, new = unicodedata.normalize("NFKC", old), unicodedata.normalize("NFKC", new)
    if len(old) != len(new) or any(_is_radical(ch) for ch in new):
        return False
    return all(a == b or (_is_radical(a) and 0x4E00 <= ord(b) <= 0x9FFF) for a, b in zip(old, new))


def _same_block(old: Paragraph | Table, new: Paragraph | Table) -> bool:
    if isinstance(old, Paragraph) and isinstance(new, Paragraph):
        return _same_text(old.text, new.text)
    if isinstance(old, Table) and isinstance(new, Table):
        return (
            [len(r) for r in old.rows] == [len(r) for r in new.rows]
            and all(_same_text(a, b) for ra, rb in zip(old.rows, new.rows) for a, b in zip(ra, rb))
            and old.marks == new.marks
        )
    return False


def test_every_pdf_fixture_is_compared() -> None:
    names = {p.name for p in REFERENCE}
    assert {"hongze-2023.pdf", "hongze-2024.pdf", "h11-chrome.pdf", "h15-chrome.pdf"} <= names
    assert MISREAD_BY_PDFMINER | TURNED <= {p.name for p in PDFS}


@pytest.mark.parametrize("name", sorted(MISREAD_BY_PDFMINER))
def test_pdfminer_misreads_libreoffice_cjk_fonts(name: str) -> None:
    # Why those two are left out below; should pdfminer learn to read them, they join.
    data = (FIXTURES / name).read_bytes()
    plumber_text = "".join(c.text for g in plumber_geometry(data) for c in g.chars)
    pdfium_text = read(data, FIXTURES / name).text()
    assert "洪泽区人民政府" in pdfium_text
    assert "洪泽区人民政府" not in plumber_text


@pytest.mark.parametrize("name", sorted(TURNED))
def test_the_old_reader_misreads_turned_pages(name: str) -> None:
    # Why those two are left out below: read as shown, their text runs down the page.
    data = (FIXTURES / name).read_bytes()
    old = build_document(data, FIXTURES / name, plumber_geometry(data), plumber_find_tables)
    new = read(data, FIXTURES / name)
    upright = FIXTURES / "hongze-2023.pdf"
    assert [t.rows for t in new.tables] == [t.rows for t in read(upright.read_bytes(), upright).tables]
    assert [b.rows for b in old.blocks if isinstance(b, Table)] != [t.rows for t in new.tables]


@pytest.mark.parametrize("path", REFERENCE, ids=[p.name for p in REFERENCE])
def test_pdfium_reads_what_pdfplumber_read(path: Path) -> None:
    data = path.read_bytes()
    new: Document = read(data, path)
    old = build_document(data, path, plumber_geometry(data), plumber_find_tables)
    assert new.warnings == old.warnings
    assert len(new.blocks) == len(old.blocks)
    for i, (a, b) in enumerate(zip(old.blocks, new.blocks)):
        assert _same_block(a, b), (i, a, b)
    if not any(_is_radical(ch) for ch in old.text()):
        assert new == old  # exactly, where no radicals were involved
