"""Read a DOCX (Office Open XML word-processing file) into a :class:`Document`.

We walk the main document part's XML ourselves instead of using python-docx's object
model, because ``Paragraph.text`` and ``Document.paragraphs`` miss what real reports
contain: text in tracked insertions (``w:ins``), in content controls (``w:sdt``, at
body, row, cell and run level) and in moved text (``w:moveTo``); and they cannot
say which cells of a table are merge continuations.

What is read, in document order:

- Body paragraphs (``w:p``), also inside body-level ``w:sdt`` and ``w:customXml``.
  Text comes from ``w:t``; ``w:tab``/``w:ptab`` read as a space, ``w:br``/``w:cr``
  as ``"\\n"``. Deleted text (``w:del``, ``w:delText``, ``w:moveFrom``), field codes
  (``w:instrText``), ruby annotations (``w:rt``), hidden runs (``w:vanish``) and
  drawings/text boxes are left out. A paragraph whose mark was deleted in tracked
  changes is joined to the next one, as Word shows it. Empty paragraphs are dropped.
- Tables (``w:tbl``): one :class:`Table` each. Every ``w:tc`` of a row is one cell,
  whatever its ``w:gridSpan``; a vertical-merge continuation (``w:vMerge`` without
  ``val="restart"``) and a legacy horizontal-merge continuation (``w:hMerge``) are
  omitted; deleted rows and cells (``w:trPr/w:del``, ``w:tcPr/w:cellDel``) are
  omitted. A cell's paragraphs are joined with ``"\\n"``; a table nested in a cell
  is flattened into the cell's text, one line per nested cell.

Every line of text is stripped of surrounding white space (including the full-width
space U+3000 that templates put in "empty" cells), and empty lines inside a cell are
dropped, so an empty cell is exactly ``""``.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from ..errors import UnreadableFile, UnsupportedFile
from .document import Block, Document, Paragraph, Table

W_TRANSITIONAL = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

OLE_MAGIC = b"\xd0\xcf\x11\xe0"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MAIN_PART = "word/document.xml"
MAX_PART_BYTES = 64 * 1024 * 1024
"""A main document part larger than this (uncompressed) is refused, not parsed: real
reports' are under 2 MB, and a zip bomb's is gigabytes (a DOCX is a ZIP)."""
MAX_SMALL_PART_BYTES = 1024 * 1024
"""The package relationships and the mimetype entry: a few hundred bytes in real files."""
_CHUNK = 1024 * 1024

_CONVERT = "convert it: soffice --headless --convert-to docx FILE"

# Elements (WordprocessingML local names) whose content is never text of the document.
_SKIP = frozenset({
    "pPr", "rPr", "tblPr", "trPr", "tcPr", "sectPr", "sdtPr", "sdtEndPr",
    "del", "moveFrom", "delText", "delInstrText", "instrText", "fldData",
    "object", "rt", "txbxContent",  # (w:drawing and w:pict are counted, then skipped)
    "footnoteReference", "endnoteReference", "commentReference", "annotationRef",
    "tblGrid", "tblPrEx",
})
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def read(data: bytes, path: Path) -> Document:
    """Read DOCX bytes; ``path`` is only used in error messages."""
    root = _main_document(data, path)
    w = etree.QName(root).namespace
    if w not in (W_TRANSITIONAL, W_STRICT) or etree.QName(root).localname != "document":
        raise UnsupportedFile(path, "not a DOCX: the main part is not a WordprocessingML document "
                                    f"(root element {etree.QName(root).localname!r})")
    body = root.find(f"{{{w}}}body")
    reader = _Reader(w)
    if body is not None:
        reader.blocks_of(body)
        reader.flush()
    return Document(blocks=tuple(reader.blocks), kind="docx", warnings=tuple(reader.warnings()))


# ---------------------------------------------------------------- opening the package


def _main_document(data: bytes, path: Path) -> etree._Element:
    if not data.startswith(ZIP_MAGICS):
        if data.startswith(OLE_MAGIC):
            if _is_encrypted_ooxml(data):
                raise UnreadableFile(path, "password-protected DOCX; remove the password in Word "
                                           "(File > Info > Protect Document) and save it again")
            raise UnsupportedFile(path, f"legacy Word .doc file saved with a .docx name; {_CONVERT}")
        raise UnsupportedFile(path, f"not a DOCX: {_describe_start(data)}")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as e:
        # Starts like a ZIP but its table of contents (at the end) is missing or broken:
        # almost always a download that was cut off. (NotImplementedError: a damaged
        # entry claims a ZIP version zipfile does not know.)
        raise UnreadableFile(path, "damaged or truncated DOCX (the ZIP's table of contents is missing "
                                   f"or broken: {_one_line(e)}); download the file again") from None
    with zf:
        names = set(zf.namelist())
        part = _main_part_name(zf, names, path)
        if part is None:
            raise UnsupportedFile(path, f"not a DOCX: the ZIP has no {MAIN_PART}{_zip_kind_hint(zf, names)}")
        xml = _read_part(zf, part, MAX_PART_BYTES, path)
    return _parse_xml(xml, part, path)


class _TooLarge(Exception):
    pass


def _read_part(zf: zipfile.ZipFile, name: str, cap: int, path: Path) -> bytes:
    """A ZIP member's bytes, refused past ``cap``: first by its declared size, before a byte
    is inflated; then while inflating, a megabyte at a time (``ZipFile.read`` would inflate
    the whole member in one call, whatever its header declares)."""
    info = zf.getinfo(name)
    if info.file_size > cap:
        raise UnreadableFile(path, f"DOCX part {name} is too large to read ({_size(info.file_size)} "
                                   f"uncompressed, the limit is {_size(cap)}; a zip bomb?)")
    out = bytearray()
    try:
        with zf.open(info) as member:
            while chunk := member.read(_CHUNK):
                out += chunk
                if len(out) > cap:  # zipfile stops at the declared size; this is the backstop
                    raise _TooLarge()
    except _TooLarge:
        raise UnreadableFile(path, f"DOCX part {name} inflates past {_size(cap)}; a zip bomb?") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as e:
        # RuntimeError: an encrypted ZIP member; NotImplementedError: unknown compression.
        # A member whose header understates its size fails its CRC here.
        raise UnreadableFile(path, f"damaged or truncated DOCX (ZIP member {name}: {_one_line(e)})") from None
    return bytes(out)


def _size(n: int) -> str:
    return f"{n / 1048576:.0f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def _parse_xml(xml: bytes, part: str, path: Path) -> etree._Element:
    try:
        root = etree.fromstring(xml, _parser())
    except etree.XMLSyntaxError as e:
        if "amplification" in str(e) or "entity reference loop" in str(e):
            raise UnreadableFile(path, f"refused: the XML of {part} expands entities without bound "
                                       "(an entity-expansion attack)") from None
        raise UnreadableFile(path, f"damaged or truncated DOCX (XML of {part}: {_one_line(e)})") from None
    if root.getroottree().docinfo.doctype:
        # Word never writes a DOCTYPE; one is there only to declare entities (external
        # ones read local files or URLs). They are not resolved; the file is refused.
        raise UnreadableFile(path, f"refused: the XML of {part} declares a DOCTYPE (entities), "
                                   "which Word never writes")
    return root


def _parser() -> etree.XMLParser:
    # Untrusted files: no entity is resolved, no DTD loaded, nothing fetched; huge_tree off
    # keeps libxml2's limits (depth 256, text nodes of 10 MB) and its entity-amplification
    # check. Real reports are far inside them.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False, remove_comments=True, remove_pis=True)


def _main_part_name(zf: zipfile.ZipFile, names: set[str], path: Path) -> str | None:
    """The main document part named by the package relationships, else word/document.xml."""
    if "_rels/.rels" in names:
        try:
            rels = _parse_xml(_read_part(zf, "_rels/.rels", MAX_SMALL_PART_BYTES, path), "_rels/.rels", path)
        except UnreadableFile as e:
            if "refused" in e.reason or "zip bomb" in e.reason:
                raise
            rels = None  # a broken .rels falls back to the usual name
        if rels is not None:
            for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
                if (rel.get("Type") or "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
                    target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                    if target in names:
                        return target
    return MAIN_PART if MAIN_PART in names else None


def _zip_kind_hint(zf: zipfile.ZipFile, names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return " (it is an Excel workbook)"
    if "ppt/presentation.xml" in names:
        return " (it is a PowerPoint presentation)"
    if "mimetype" in names:
        try:
            mime = _read_part(zf, "mimetype", MAX_SMALL_PART_BYTES, Path())[:100].decode("ascii", "replace").strip()
        except Exception:  # noqa: BLE001
            mime = ""
        if mime == "application/vnd.oasis.opendocument.text":
            return f" (it is an OpenDocument text .odt; {_CONVERT})"
        if mime:
            return f" (it is a {mime} file)"
    return ""


def _is_encrypted_ooxml(data: bytes) -> bool:
    # A password-protected DOCX is an OLE compound file holding an "EncryptedPackage" stream.
    return "EncryptedPackage".encode("utf-16-le") in data


def _one_line(e: BaseException) -> str:
    return re.sub(r"\s+", " ", str(e) or type(e).__name__).strip()[:200]


def _describe_start(data: bytes) -> str:
    """Say in a few words what the bytes look like, for a 'not a DOCX' message."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "it is a PDF file (starts with %PDF)"
    if head.startswith(b"{\\rtf"):
        return f"it is an RTF file (starts with {{\\rtf); {_CONVERT}"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"mime-version:") or b"multipart/related" in text[:1024]:
        return f"it is a web archive (MHTML, Word's 'single file web page'); {_CONVERT}"
    if text.startswith(b"<?xml") and (b"w:worddocument" in text or b"word.document" in text
                                      or b"pkg:package" in text):
        return f"it is a Word XML document (Word 2003 XML / flat XML), not a ZIP; {_CONVERT}"
    if re.match(rb"<(!doctype\s+html|html|head|body|meta|div|p|table)\b", text):
        return "it is an HTML page (rename it to .html)"
    if head.startswith(b"\x1f\x8b"):
        return "it is a gzip archive"
    if head.startswith((b"Rar!", b"7z\xbc\xaf")):
        return "it is a RAR/7z archive"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "it is an image"
    if b"\x00" not in head[:512]:
        for enc in ("utf-8", "gb18030"):
            try:
                sample = head[:512].decode(enc)
            except UnicodeDecodeError:
                continue
            snippet = re.sub(r"\s+", " ", sample).strip()[:30]
            return f"it starts like plain text ({snippet!r}), not a ZIP archive"
    return f"it starts with the bytes {head[:8].hex(' ')}, not a ZIP archive"


# ---------------------------------------------------------------- walking the XML


def _clean(text: str) -> str:
    """Strip every line, drop empty lines, drop zero-width characters."""
    lines = (line.strip() for line in text.translate(_ZERO_WIDTH).split("\n"))
    return "\n".join(line for line in lines if line)


class _Reader:
    def __init__(self, w: str) -> None:
        self.w = w
        self.blocks: list[Block] = []
        self._pending = ""  # text of paragraphs whose mark was deleted (joined to the next)
        self.text_boxes = 0
        self.alt_chunks = 0

    def q(self, local: str) -> str:
        return f"{{{self.w}}}{local}"

    def local(self, el: etree._Element) -> str | None:
        """Local name of a WordprocessingML element; None for other namespaces/comments."""
        tag = el.tag
        if not isinstance(tag, str) or not tag.startswith("{"):
            return None
        ns, _, name = tag[1:].partition("}")
        return name if ns == self.w else None

    def warnings(self) -> list[str]:
        out = []
        if self.text_boxes:
            out.append(f"text inside {self.text_boxes} text box(es) or shape(s) was not read")
        if self.alt_chunks:
            out.append(f"{self.alt_chunks} embedded document chunk(s) (w:altChunk) were not read")
        return out

    # -- body level

    def blocks_of(self, container: etree._Element) -> None:
        for child in container:
            name = self.local(child)
            if name == "p":
                text, mark_deleted = self.paragraph(child)
                if mark_deleted:
                    self._pending += text
                else:
                    self.emit(self._pending + text)
                    self._pending = ""
            elif name == "tbl":
                self.flush()
                table = self.table(child)
                if table is not None:
                    self.blocks.append(table)
            elif name == "sdt":
                content = child.find(self.q("sdtContent"))
                if content is not None:
                    self.blocks_of(content)
            elif name in ("customXml", "ins", "moveTo", "smartTag"):
                self.blocks_of(child)
            elif name == "altChunk":
                self.alt_chunks += 1

    def emit(self, text: str) -> None:
        text = _clean(text)
        if text:
            self.blocks.append(Paragraph(text))

    def flush(self) -> None:
        if self._pending:
            self.emit(self._pending)
            self._pending = ""

    # -- paragraphs

    def paragraph(self, p: etree._Element) -> tuple[str, bool]:
        """Return the paragraph's text and whether its mark is a tracked deletion."""
        out: list[str] = []
        self.inline(p, out)
        mark_deleted = p.find(f"{self.q('pPr')}/{self.q('rPr')}/{self.q('del')}") is not None
        return "".join(out), mark_deleted

    def inline(self, el: etree._Element, out: list[str]) -> None:
        for child in el:
            name = self.local(child)
            if name is None:
                tag = child.tag
                if isinstance(tag, str) and tag == f"{{{MC}}}AlternateContent":
                    # Alternative renderings of one object (mostly drawings): read the
                    # first choice only, so nothing is read twice.
                    choice = child.find(f"{{{MC}}}Choice")
                    if choice is not None:
                        self.inline(choice, out)
                continue
            if name == "t":
                out.append(child.text or "")
            elif name in ("tab", "ptab"):
                out.append(" ")
            elif name in ("br", "cr"):
                out.append("\n")
            elif name == "noBreakHyphen":
                out.append("-")
            elif name in ("drawing", "pict"):
                if any((t.text or "").strip() for t in child.iter(self.q("t"))):
                    self.text_boxes += 1
            elif name in _SKIP:
                continue
            elif name == "r" and self.hidden(child):
                continue
            else:
                self.inline(child, out)

    def hidden(self, run: etree._Element) -> bool:
        vanish = run.find(f"{self.q('rPr')}/{self.q('vanish')}")
        if vanish is None:
            return False
        return (vanish.get(self.q("val")) or "true").lower() not in ("0", "false", "off")

    # -- tables

    def table(self, tbl: etree._Element) -> Table | None:
        rows: list[tuple[str, ...]] = []
        for tr in self.rows_of(tbl):
            cells = tuple(self.cell_text(tc) for tc in self.cells_of(tr))
            if cells:
                rows.append(cells)
        return Table(rows=tuple(rows)) if rows else None

    def rows_of(self, container: etree._Element):
        for child in container:
            name = self.local(child)
            if name == "tr":
                if child.find(f"{self.q('trPr')}/{self.q('del')}") is None:
                    yield child
            elif name == "sdt":
                content = child.find(self.q("sdtContent"))
                if content is not None:
                    yield from self.rows_of(content)
            elif name in ("customXml", "ins", "moveTo"):
                yield from self.rows_of(child)

    def cells_of(self, container: etree._Element):
        for child in container:
            name = self.local(child)
            if name == "tc":
                if not self.is_continuation(child):
                    yield child
            elif name == "sdt":
                content = child.find(self.q("sdtContent"))
                if content is not None:
                    yield from self.cells_of(content)
            elif name in ("customXml", "ins", "moveTo"):
                yield from self.cells_of(child)

    def is_continuation(self, tc: etree._Element) -> bool:
        pr = tc.find(self.q("tcPr"))
        if pr is None:
            return False
        if pr.find(self.q("cellDel")) is not None:
            return True
        for merge in (pr.find(self.q("vMerge")), pr.find(self.q("hMerge"))):
            if merge is not None and (merge.get(self.q("val")) or "continue") != "restart":
                return True
        return False

    def cell_text(self, tc: etree._Element) -> str:
        lines: list[str] = []
        self.cell_lines(tc, lines)
        return _clean("\n".join(lines))

    def cell_lines(self, container: etree._Element, lines: list[str]) -> None:
        pending = ""
        for child in container:
            name = self.local(child)
            if name == "p":
                text, mark_deleted = self.paragraph(child)
                if mark_deleted:
                    pending += text
                else:
                    lines.append(pending + text)
                    pending = ""
            elif name == "tbl":
                # A table nested in a cell: its cells become lines of this cell.
                for tr in self.rows_of(child):
                    for inner in self.cells_of(tr):
                        self.cell_lines(inner, lines)
            elif name == "sdt":
                content = child.find(self.q("sdtContent"))
                if content is not None:
                    self.cell_lines(content, lines)
            elif name in ("customXml", "ins", "moveTo"):
                self.cell_lines(child, lines)
        if pending:
            lines.append(pending)
