"""PDF reader: text PDFs (Word/WPS/LibreOffice exports, pages printed by a browser)
into paragraphs and tables, on PDFium.

How a file is read:

1. ``geometry``: PDFium gives every page's characters (box, size), its drawn shapes
   (as pdfminer would classify them, with their visible stroke and fill) and images.
   Characters drawn twice (WPS "fake bold") are dropped.
2. ``rulings``: tables from the visible ruling lines; frames cut by a page break are
   closed again.
3. ``lines``: the rest of the page grouped into printed lines; page numbers and
   running heads dropped.
4. ``borderless``: runs of lines that are a table printed without rulings (Word's and
   LibreOffice's default table style, three-line tables) rebuilt as tables from the
   text's geometry.
5. The other lines are joined into paragraphs (a paragraph starts at an indent, at a
   heading such as ``一、`` or ``（一）``, after a line that stops short of the right
   margin, at a change of font size, or after a vertical gap), across page breaks.

Pages with images but no text go to the OCR path (:mod:`gongkai.read.scan`); what it
reads is spliced in page order. Characters whose font has no Unicode map are never
guessed: they read as U+FFFD and their page is named in a warning. Pages where PDFium
skips glyphs (one-glyph text objects in a font that is neither embedded nor known to
it) are measured by pdfminer instead (``fallback``); everything after the geometry is
the same for both.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import UnreadableFile, UnsupportedFile
from ..document import Block, Document, Paragraph, Table
from . import borderless
from .geometry import PageGeometry, read_pages
from .lines import Line, dedupe_chars, drop_furniture, join_lines, make_lines, starts_paragraph, text_block
from .rulings import TableBlock, TableFinder, find_tables, ruled_tables

MIN_TEXT_CHARS_PER_PAGE = 10
"""Below this many characters per page (on average) the PDF has no usable text layer."""

NO_TEXT_LAYER = (
    "no text layer: the PDF's pages carry next to no text and no page image to read by OCR; "
    "put a .txt transcription beside it instead"
)


# ------------------------------------------------------------------ signature check


def _describe_start(data: bytes) -> str:
    head = data[:1024]
    stripped = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    low = stripped[:512].lower()
    if low.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<body")) or b"<html" in low:
        return "an HTML page (a web page or error page saved under a .pdf name?)"
    if low.startswith(b"<?xml") or low.startswith(b"<"):
        return "XML/markup text"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive (perhaps a DOCX/XLSX/OFD file renamed to .pdf)"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "an old Office document (.doc/.xls/.wps, OLE2 format)"
    if head.startswith(b"{\\rtf"):
        return "an RTF document"
    if head.startswith(b"\x89PNG"):
        return "a PNG image"
    if head.startswith(b"\xff\xd8\xff"):
        return "a JPEG image"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "a GIF image"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "a TIFF image"
    if head.startswith(b"\x1f\x8b"):
        return "gzip-compressed data"
    if head.startswith((b"Rar!", b"7z\xbc\xaf")):
        return "a RAR/7z archive"
    for enc in ("utf-8", "gb18030"):
        try:
            text = head.decode(enc)
        except UnicodeDecodeError:
            # A multi-byte character may be cut at byte 1024.
            try:
                text = head[:-3].decode(enc)
            except UnicodeDecodeError:
                continue
        if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) / len(text) > 0.95:
            return "plain text"
    return "unknown bytes"


def _check_signature(data: bytes, path: Path) -> None:
    if b"%PDF-" not in data[:1024]:
        raise UnsupportedFile(path, f"not a PDF: the file starts with {_describe_start(data)}")


# ------------------------------------------------------------------ pages


@dataclass
class Page:
    number: int
    width: float
    height: float
    tables: list[TableBlock] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    ink: int = 0
    """Non-blank characters."""
    images: int = 0
    image_area: float = 0.0

    @property
    def scanned(self) -> bool:
        """A page image with no text layer: no text, or a few characters (a page number,
        a stamp's caption) over images covering half the page or more."""
        if not self.images:
            return False
        covered = self.image_area >= 0.5 * self.width * self.height
        return self.ink == 0 or (self.ink < MIN_TEXT_CHARS_PER_PAGE and covered)


def layout_page(geo: PageGeometry, finder: TableFinder = find_tables) -> Page:
    """One page's ruled tables and text lines (the rest of its characters)."""
    chars = dedupe_chars([c for c in geo.chars if c.text])
    page = Page(geo.number, geo.width, geo.height, images=geo.images, image_area=geo.image_area)
    page.ink = sum(1 for c in chars if not c.text.isspace())
    if page.ink:
        page.tables, rest = ruled_tables(geo.shapes, chars, geo.number, finder)
        page.lines = make_lines(rest, geo.number)
    return page


def _pages_text(pages: Sequence[int]) -> str:
    return f"page {pages[0]}" if len(pages) == 1 else "pages " + ", ".join(map(str, pages))


def build_document(
    data: bytes, path: Path, geometry: list[PageGeometry], finder: TableFinder = find_tables
) -> Document:
    """The document of a PDF from its pages' geometry (see the module docstring)."""
    warnings: list[str] = []
    pages: list[Page] = []
    for geo in geometry:
        if geo.error is not None:
            warnings.append(f"page {geo.number} could not be read ({geo.error})")
            continue
        pages.append(layout_page(geo, finder))
    if not pages:
        raise UnreadableFile(path, f"damaged or truncated PDF ({geometry[0].error if geometry else 'no pages'})")

    # Pages with images and no text layer are scans: the OCR path reads them.
    image_pages = [p.number for p in pages if p.scanned]
    total_ink = sum(p.ink for p in pages)
    # Blank pages (no character, no image) do not count in the average: a report followed
    # by thousands of empty pages still has its text layer.
    marked = sum(1 for p in pages if p.ink or p.images) or len(pages)
    scanned: dict[int, tuple[Block, ...]] = {}
    if image_pages:
        from ..scan import read_scanned_pages

        text_pages = [p for p in pages if not p.scanned]
        try:
            got = read_scanned_pages(data, path, image_pages)
        except UnreadableFile as e:
            if not text_pages or total_ink < MIN_TEXT_CHARS_PER_PAGE * marked:
                raise  # nothing (or next to nothing) but images: the scan path's reason stands
            have = "has" if len(image_pages) == 1 else "have"
            its = "its" if len(image_pages) == 1 else "their"
            warnings.append(
                f"{_pages_text(image_pages)} {have} no text layer (a scanned image?); "
                f"{its} content is missing (OCR: {e.reason})"
            )
        else:
            scanned = dict(got.blocks_by_page)
            warnings.extend(got.warnings)
    if not scanned and total_ink < MIN_TEXT_CHARS_PER_PAGE * marked:
        raise UnreadableFile(path, NO_TEXT_LAYER)

    unmapped = {g.number: g.unmapped for g in geometry if g.unmapped}
    if unmapped and sum(unmapped.values()) > total_ink / 2:
        raise UnreadableFile(
            path,
            "unusable text layer: the PDF's fonts carry no Unicode mapping, so its text cannot be "
            "extracted; put a .txt transcription beside it instead",
        )
    for number, n in sorted(unmapped.items()):
        warnings.append(
            f"page {number}: {n} characters could not be decoded (a font without a Unicode map); "
            "they are shown as '\ufffd'"
        )

    for p, lines in zip(pages, drop_furniture([(p.height, p.lines) for p in pages])):
        p.lines = lines

    items_of = {p.number: borderless.page_items(p.tables, p.lines) for p in pages}
    # Margins and line gap per page size (a landscape page has its own text block), from
    # the prose lines only: a table may stick out of the text block.
    by_size: dict[tuple[int, int], list[Line]] = {}
    for p in pages:
        prose = [it for it in items_of[p.number] if isinstance(it, Line)]
        by_size.setdefault((round(p.width), round(p.height)), []).extend(prose)
    blocks_of_size = {k: text_block(v) for k, v in by_size.items()}

    blocks: list[Block] = []
    para: list[str] = []
    prev: Line | None = None

    def flush() -> None:
        if para:
            text = para[0]
            for t in para[1:]:
                text = join_lines(text, t)
            if text.strip():
                blocks.append(Paragraph(text.strip()))
        para.clear()

    for p in pages:
        if p.number in scanned:
            flush()
            prev = None
            blocks.extend(scanned[p.number])
            continue
        tb = blocks_of_size[(round(p.width), round(p.height))]
        for item in items_of[p.number]:
            if isinstance(item, TableBlock):
                flush()
                prev = None
                if item.rows:
                    blocks.append(Table(item.rows))
                continue
            if prev is None or starts_paragraph(prev, item, tb):
                flush()
            para.append(item.text)
            prev = item
    flush()
    return Document(blocks=tuple(blocks), kind="pdf", warnings=tuple(warnings), ocr_pages=tuple(sorted(scanned)))


def read(data: bytes, path: Path) -> Document:
    """Read a text PDF into paragraphs and tables (see the module docstring)."""
    _check_signature(data, path)
    geometry = read_pages(data, path)
    lost = [g.number for g in geometry if g.glyphs_lost]
    if lost:
        # Pages where PDFium skipped glyphs of a font it cannot measure: pdfminer's
        # geometry instead (see ``fallback``).
        from .fallback import plumber_geometry

        try:
            again = {g.number: g for g in plumber_geometry(data, lost)}
        except Exception as e:  # noqa: BLE001 - pdfminer fails in its own ways on damaged files
            reason = f"{type(e).__name__}: {e}"[:120]
            extra = f"{_pages_text(lost)}: glyphs of a font not embedded in the file may be missing ({reason})"
            doc = build_document(data, path, geometry)
            return Document(doc.blocks, doc.kind, (*doc.warnings, extra), doc.ocr_pages)
        geometry = [again.get(g.number, g) for g in geometry]
    return build_document(data, path, geometry)
