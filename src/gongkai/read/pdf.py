"""PDF reader: text PDFs (Word/WPS exports) into paragraphs and ruled tables.

How a page is read:

1. Characters are de-duplicated (WPS "fake bold" draws every glyph twice).
2. Tables come from the page's *visible* ruling lines only: stroked lines and rects,
   and thin filled rects, in a dark colour. WPS paints a white filled rect behind every
   prose line; pdfplumber's default table finder takes those for a one-column table,
   so they are never used. Where a table is cut by a page break its outer frame is
   open (the merged label cells have no top or bottom border); the frame is closed so
   those cells are found. The edges go to pdfplumber as explicit lines.
3. Cell text is built from the characters in each cell, one ``"\\n"`` per printed line.
   Cells covered by a merge (pdfplumber's ``None``) are omitted, empty cells are ``""``.
4. The rest of the page is grouped into lines. Page numbers (``- 1 -``, ``第 1 页``) and
   running headers/footers are dropped; runs of lines with wide gaps and no rulings
   become a table built from the text's geometry; the other lines are joined into
   paragraphs (a paragraph starts at an indent, at a heading such as ``一、`` or ``（一）``,
   after a line that stops short of the right margin, at a change of font size, or
   after a vertical gap). Paragraphs continue across page breaks.

Text is put together from characters directly rather than with pdfplumber's
``extract_text``: spaces are inserted only between Latin/digit runs, never next to a
CJK character (justified Chinese lines have wide gaps between glyphs).
"""

from __future__ import annotations

import bisect
import io
import re
import statistics
import struct
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSEOF, PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from ..errors import UnreadableFile, UnsupportedFile
from .document import Block, Document, Paragraph, Table

# pdfplumber wraps most pdfminer failures in PdfminerException, but building a page
# (media box, resources) and walking a broken page tree can still leak plain
# ValueError/TypeError/KeyError... from pdfminer on a damaged file. The try-blocks that
# catch these hold nothing but pdfplumber/pdfminer calls, so a bug in this module's own
# layout code is never mistaken for a damaged file.
_PARSE_ERRORS: tuple[type[BaseException], ...] = (
    PdfminerException,
    MalformedPDFException,
    PSException,  # base of PDFSyntaxError, PDFException, PDFTypeError, ...
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    AssertionError,
    OverflowError,
    ZeroDivisionError,
    RecursionError,
    UnicodeError,
    EOFError,
    OSError,
    zlib.error,
    struct.error,
)

# ------------------------------------------------------------------ tunables

SNAP = 3.0
"""Points: rulings closer than this are one line (pdfplumber's default tolerance)."""
THIN = 2.0
"""A filled rect at most this thick is a ruling line."""
MIN_TEXT_CHARS_PER_PAGE = 10
"""Below this many characters per page (on average) the PDF has no usable text layer."""
COLUMN_GAP = 2.0
"""In em: a horizontal gap this wide inside a line separates table columns."""
MAX_RULINGS = 4000
"""A page drawing more ruling segments than this (a vector chart, a map) is not searched for tables."""
MARGIN_BAND = 0.12
"""Share of page height at the top and bottom where page numbers and running heads live."""

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


def _open_error(path: Path, exc: BaseException) -> UnreadableFile:
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
    if isinstance(cause, PDFPasswordIncorrect):
        return UnreadableFile(path, "encrypted PDF: it needs a password to open; save an unprotected copy")
    if isinstance(cause, PDFEncryptionError):
        return UnreadableFile(
            path, f"encrypted PDF: its encryption cannot be opened ({_short(cause)}); save an unprotected copy"
        )
    return UnreadableFile(path, f"damaged or truncated PDF ({_short(cause)})")


def _short(exc: BaseException | object) -> str:
    if isinstance(exc, PdfminerException) and exc.args:
        exc = exc.args[0]
    if isinstance(exc, PSEOF):
        return "the file ends too early"
    if isinstance(exc, BaseException):
        msg = " ".join(str(exc).split())
        name = type(exc).__name__
        text = f"{name}: {msg}" if msg else name
    else:
        text = " ".join(str(exc).split())
    return text if len(text) <= 120 else text[:117] + "..."


# ------------------------------------------------------------------ characters and lines


def _is_cjk(ch: str) -> bool:
    """CJK ideographs, kana, Hangul, CJK and full-width punctuation, general punctuation."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK symbols/punctuation, kana, ext A, unified
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x2010 <= o <= 0x206F  # dashes, curly quotes, ellipsis: Chinese text uses them
        or 0xAC00 <= o <= 0xD7AF
        or o >= 0x20000
    )


def _vmid(c: dict[str, Any]) -> float:
    return (c["top"] + c["bottom"]) / 2


@dataclass
class _Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    segments: list[tuple[float, float, str]]
    """Runs of the line separated by gaps of at least COLUMN_GAP em."""


def _group_lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Chars grouped into printed lines (top to bottom), each sorted left to right."""
    ink = [c for c in chars if not c["text"].isspace()]
    if not ink:
        return []
    ink.sort(key=_vmid)
    groups: list[list[dict[str, Any]]] = []
    ref_mid = ref_h = 0.0
    for c in ink:
        h = max(c["bottom"] - c["top"], 0.1)
        m = _vmid(c)
        if groups and abs(m - ref_mid) <= 0.45 * max(h, ref_h):
            groups[-1].append(c)
        else:
            groups.append([c])
            ref_mid, ref_h = m, h
    # Real space glyphs are kept (they mark word breaks in Latin text) if they sit on a line.
    spaces = [c for c in chars if c["text"].isspace() and c["text"] not in "\r\n"]
    if spaces:
        for c in spaces:
            m = _vmid(c)
            for g in groups:
                if g[0]["top"] - 1 <= m <= g[0]["bottom"] + 1:
                    g.append(c)
                    break
    for g in groups:
        g.sort(key=lambda c: c["x0"])
    return groups


def _line_size(chars: list[dict[str, Any]]) -> float:
    sizes = [c["size"] for c in chars if not c["text"].isspace()]
    return statistics.median(sizes) if sizes else 10.0


def _join_chars(chars: list[dict[str, Any]], size: float) -> list[tuple[float, float, str]]:
    """Text of one line as segments split at wide gaps; spaces only between non-CJK runs."""
    segments: list[tuple[float, float, str]] = []
    parts: list[str] = []
    seg_x0 = seg_x1 = 0.0
    prev: dict[str, Any] | None = None
    pending_space = False
    for c in chars:
        t = c["text"]
        if t.isspace():
            pending_space = True
            continue
        if prev is None:
            seg_x0 = c["x0"]
        else:
            gap = c["x0"] - prev["x1"]
            if gap >= COLUMN_GAP * size:
                segments.append((seg_x0, seg_x1, "".join(parts)))
                parts = []
                seg_x0 = c["x0"]
            elif (pending_space or gap > 0.15 * size) and parts:
                if not _is_cjk(parts[-1][-1]) and not _is_cjk(t[0]):
                    parts.append(" ")
        parts.append(t)
        seg_x1 = max(seg_x1, c["x1"]) if prev is not None else c["x1"]
        prev = c
        pending_space = False
    if parts:
        segments.append((seg_x0, seg_x1, "".join(parts)))
    return segments


def _seg_join(texts: list[str]) -> str:
    out = ""
    for t in texts:
        if out and t and not _is_cjk(out[-1]) and not _is_cjk(t[0]):
            out += " "
        out += t
    return out


def _make_lines(chars: list[dict[str, Any]], page: int) -> list[_Line]:
    lines = []
    for g in _group_lines(chars):
        ink = [c for c in g if not c["text"].isspace()]
        size = _line_size(ink)
        segs = _join_chars(g, size)
        lines.append(
            _Line(
                page=page,
                x0=min(c["x0"] for c in ink),
                x1=max(c["x1"] for c in ink),
                top=min(c["top"] for c in ink),
                bottom=max(c["bottom"] for c in ink),
                size=size,
                text=_seg_join([s[2] for s in segs]),
                segments=segs,
            )
        )
    return lines


def _cell_text(chars: list[dict[str, Any]]) -> str:
    out = []
    for g in _group_lines(chars):
        size = _line_size(g)
        out.append(_seg_join([s[2] for s in _join_chars(g, size)]))
    return "\n".join(out)


# ------------------------------------------------------------------ rulings and tables


def _lightness(color: Any) -> float:
    """0 (black) .. 1 (white); unknown colour spaces and patterns count as dark."""
    if color is None:
        return 0.0
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        v = [float(x) for x in color]
    except (TypeError, ValueError):
        return 0.0
    if len(v) == 1:
        return v[0]
    if len(v) == 3:
        return 0.299 * v[0] + 0.587 * v[1] + 0.114 * v[2]
    if len(v) == 4:
        c, m, y, k = v
        return (1 - k) * (1 - max(c, m, y))
    return 0.0


def _visible(color: Any) -> bool:
    return _lightness(color) < 0.9


def _h(x0: float, x1: float, y: float) -> dict[str, Any]:
    return {"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0.0,
            "orientation": "h", "object_type": "line_edge"}


def _v(x: float, top: float, bottom: float) -> dict[str, Any]:
    return {"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
            "orientation": "v", "object_type": "line_edge"}


def _segment_edge(x0: float, top: float, x1: float, bottom: float) -> dict[str, Any] | None:
    """An axis-aligned ruling for a thin object spanning the box, or None."""
    w, h = x1 - x0, bottom - top
    if h <= THIN and w > h:
        return _h(x0, x1, (top + bottom) / 2)
    if w <= THIN and h > w:
        return _v((x0 + x1) / 2, top, bottom)
    return None


def _rulings(objects: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The visible ruling lines of a page as edges."""
    edges: list[dict[str, Any]] = []
    for ln in objects.get("line", []):
        if not ln.get("stroke", True) or not _visible(ln.get("stroking_color")):
            continue
        e = _segment_edge(ln["x0"], ln["top"], ln["x1"], ln["bottom"])
        if e is not None:
            edges.append(e)
    for r in objects.get("rect", []):
        thin = min(r["width"], r["height"]) <= THIN
        stroked = r.get("stroke") and _visible(r.get("stroking_color"))
        filled = r.get("fill") and _visible(r.get("non_stroking_color"))
        if thin and (stroked or filled):
            e = _segment_edge(r["x0"], r["top"], r["x1"], r["bottom"])
            if e is not None:
                edges.append(e)
        elif stroked:
            x0, top, x1, bottom = r["x0"], r["top"], r["x1"], r["bottom"]
            edges += [_h(x0, x1, top), _h(x0, x1, bottom), _v(x0, top, bottom), _v(x1, top, bottom)]
    for cv in objects.get("curve", []):
        if not cv.get("stroke") or not _visible(cv.get("stroking_color")):
            continue
        pts = cv.get("pts") or []
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            e = _segment_edge(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
            if e is not None and max(e["width"], e["height"]) > SNAP:
                edges.append(e)
    return edges


def _touch(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (
        a["x0"] - SNAP <= b["x1"]
        and b["x0"] - SNAP <= a["x1"]
        and a["top"] - SNAP <= b["bottom"]
        and b["top"] - SNAP <= a["bottom"]
    )


_BUCKET = 50.0


def _close_frames(edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add the missing outer border of each ruled grid.

    A table cut by a page break loses the border where it was cut: the merged label
    cells on the left then have no top (or bottom) edge and pdfplumber finds no cell.
    Where two or more rulings reach the grid's outer side, a border is drawn along it.
    """
    n = len(edges)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only edges sharing a bucket of a coarse grid can touch: no n² over the page.
    buckets: dict[tuple[int, int], list[int]] = {}
    for i, e in enumerate(edges):
        for bx in range(int((e["x0"] - SNAP) // _BUCKET), int((e["x1"] + SNAP) // _BUCKET) + 1):
            for by in range(int((e["top"] - SNAP) // _BUCKET), int((e["bottom"] + SNAP) // _BUCKET) + 1):
                buckets.setdefault((bx, by), []).append(i)
    for members in buckets.values():
        for k, i in enumerate(members):
            for j in members[k + 1 :]:
                if find(i) != find(j) and _touch(edges[i], edges[j]):
                    parent[find(i)] = find(j)
    groups: dict[int, list[dict[str, Any]]] = {}
    for i, e in enumerate(edges):
        groups.setdefault(find(i), []).append(e)
    extra: list[dict[str, Any]] = []
    for grp in groups.values():
        vs = [e for e in grp if e["orientation"] == "v"]
        hs = [e for e in grp if e["orientation"] == "h"]
        if not vs or not hs:
            continue
        x0 = min(e["x0"] for e in grp)
        x1 = max(e["x1"] for e in grp)
        top = min(e["top"] for e in grp)
        bottom = max(e["bottom"] for e in grp)
        at_top = [e["x0"] for e in vs if e["top"] - top <= SNAP]
        at_bottom = [e["x0"] for e in vs if bottom - e["bottom"] <= SNAP]
        at_left = [e["top"] for e in hs if e["x0"] - x0 <= SNAP]
        at_right = [e["top"] for e in hs if x1 - e["x1"] <= SNAP]
        if len(at_top) >= 2:
            extra.append(_h(min(at_top), max(at_top), top))
        if len(at_bottom) >= 2:
            extra.append(_h(min(at_bottom), max(at_bottom), bottom))
        if len(at_left) >= 2:
            extra.append(_v(x0, min(at_left), max(at_left)))
        if len(at_right) >= 2:
            extra.append(_v(x1, min(at_right), max(at_right)))
    return edges + extra


@dataclass
class _TableBlock:
    page: int
    top: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]


def _in_box(c: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    hm = (c["x0"] + c["x1"]) / 2
    vm = _vmid(c)
    return box[0] <= hm < box[2] and box[1] <= vm < box[3]


def _ruled_tables(
    page: Any, chars: list[dict[str, Any]], page_no: int
) -> tuple[list[_TableBlock], list[dict[str, Any]]]:
    """Tables from visible rulings, and the chars left outside every table cell."""
    edges = [e for e in _rulings(page.objects) if max(e["width"], e["height"]) >= SNAP]
    vs = [e for e in edges if e["orientation"] == "v"]
    hs = [e for e in edges if e["orientation"] == "h"]
    if len(vs) < 2 or len(hs) < 2 or len(edges) > MAX_RULINGS:
        return [], chars
    edges = _close_frames(edges)
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": [e for e in edges if e["orientation"] == "v"],
        "explicit_horizontal_lines": [e for e in edges if e["orientation"] == "h"],
    }
    blocks: list[_TableBlock] = []
    used: set[int] = set()
    for table in page.find_tables(settings):
        plumber_rows = table.rows
        if max((sum(c is not None for c in r.cells) for r in plumber_rows), default=0) < 2:
            continue  # a framed box, not a table: its text stays prose
        _, top, _, bottom = table.bbox
        table_chars = [c for c in chars if _in_box(c, table.bbox)]
        rows: list[tuple[str, ...]] = []
        for row in plumber_rows:
            row_chars = [c for c in table_chars if _in_box(c, row.bbox)]
            cells: list[str] = []
            for box in row.cells:
                if box is None:
                    continue  # covered by a merged cell
                inside = [c for c in row_chars if _in_box(c, box)]
                used.update(id(c) for c in inside)
                cells.append(_cell_text(inside))
            if cells:
                rows.append(tuple(cells))
        blocks.append(_TableBlock(page_no, top, bottom, tuple(rows)))
    rest = [c for c in chars if id(c) not in used]
    return blocks, rest


def _text_table(lines: list[_Line]) -> _TableBlock:
    """A table printed without rulings: columns from the union of the lines' text runs."""
    spans = sorted((s[0], s[1]) for ln in lines for s in ln.segments)
    cols: list[list[float]] = []
    for a, b in spans:
        if cols and a <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], b)
        else:
            cols.append([a, b])
    rows = []
    for ln in lines:
        cells: list[list[str]] = [[] for _ in cols]
        for a, b, t in ln.segments:
            mid = (a + b) / 2
            k = next((i for i, (c0, c1) in enumerate(cols) if c0 - 1 <= mid <= c1 + 1), len(cols) - 1)
            cells[k].append(t)
        rows.append(tuple(_seg_join(c) for c in cells))
    return _TableBlock(lines[0].page, lines[0].top, lines[-1].bottom, tuple(rows))


# ------------------------------------------------------------------ page furniture

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—－~·•_\s]*\d{1,4}[-–—－~·•_\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$"
)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_furniture(pages: list[tuple[float, list[_Line]]]) -> list[list[_Line]]:
    """Remove page numbers and running headers/footers (per page: (height, lines))."""
    def edge_lines(height: float, lines: list[_Line]) -> list[_Line]:
        if not lines:
            return []
        cand = lines[:2] + lines[-2:]
        return [ln for ln in cand if ln.bottom < height * MARGIN_BAND or ln.top > height * (1 - MARGIN_BAND)]

    counts: Counter[str] = Counter()
    for height, lines in pages:
        counts.update({_furniture_key(ln.text) for ln in edge_lines(height, lines)})
    n = len(pages)
    repeated = {k for k, v in counts.items() if n >= 2 and v >= max(2, (n + 1) // 2)}
    out = []
    for height, lines in pages:
        drop = {
            id(ln)
            for ln in edge_lines(height, lines)
            if _PAGE_NUMBER.match(ln.text.strip()) or _furniture_key(ln.text) in repeated
        }
        out.append([ln for ln in lines if id(ln) not in drop])
    return out


# ------------------------------------------------------------------ paragraphs

_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]"
    r"|第[一二三四五六七八九十\d]+[章节部分条]"
    r"|\d{1,2}\s*[、．.]\s*(?!\d))"
)


@dataclass
class _Layout:
    """The text block of a group of same-sized pages: margins and usual line gap."""

    left: float
    right: float
    gap: float


def _edge_cluster(values: list[float], from_right: bool) -> float:
    """The outermost x shared by a fair number of lines (the text's margin).

    With no such x (a page of a few lines) the outermost x of all.
    """
    if not values:
        return 0.0
    need = max(2, len(values) // 10)
    vals = sorted(values)
    if from_right:
        for i in range(len(vals) - 1, -1, -1):
            if i + 1 - bisect.bisect_left(vals, vals[i] - 3.0) >= need:
                return vals[i]
        return vals[-1]
    for i, v in enumerate(vals):
        if bisect.bisect_right(vals, v + 3.0) - i >= need:
            return v
    return vals[0]


def _layout(lines: list[_Line]) -> _Layout:
    if not lines:
        return _Layout(0.0, 0.0, 0.0)
    left = _edge_cluster([ln.x0 for ln in lines], from_right=False)
    right = _edge_cluster([ln.x1 for ln in lines], from_right=True)
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:])
        if a.page == b.page and b.top > a.bottom
    ]
    gap = statistics.median(gaps) if gaps else 0.0
    return _Layout(left, right, gap)


def _starts_paragraph(prev: _Line, cur: _Line, m: _Layout) -> bool:
    size = max(cur.size, 1.0)
    psize = max(prev.size, 1.0)
    if abs(psize - size) > 0.15 * max(psize, size):
        return True  # title vs body
    if _HEADING.match(cur.text):
        return True
    if cur.x0 > m.left + 0.8 * size:
        return True  # indented first line, or a centred line
    if prev.x1 < m.right - 1.2 * psize:
        return True  # the previous line stopped short of the margin
    if prev.page == cur.page and cur.top - prev.bottom > max(1.2 * size, m.gap + 0.6 * size):
        return True  # a blank line between
    return False


def _join_lines(a: str, b: str) -> str:
    if a and b and not _is_cjk(a[-1]) and not _is_cjk(b[0]) and not a.endswith(("-", "/")):
        return a + " " + b
    return a + b


# ------------------------------------------------------------------ reading


@dataclass
class _Page:
    number: int
    width: float
    height: float
    tables: list[_TableBlock] = field(default_factory=list)
    lines: list[_Line] = field(default_factory=list)


@contextmanager
def _opened(data: bytes, path: Path) -> Iterator[Any]:
    """``pdfplumber.open`` on the bytes, always closed, open errors as UnreadableFile."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except _PARSE_ERRORS as e:
        raise _open_error(path, e) from None
    try:
        yield pdf
    finally:
        try:
            pdf.close()
        except _PARSE_ERRORS:
            # close() walks the page tree again; a broken tree has been reported already.
            pass


@dataclass
class _Loaded:
    pages: list[_Page]
    warnings: list[str]
    chars: int
    """Non-blank characters in the whole file."""
    cid_chars: int
    """Characters pdfminer could not map to Unicode ("(cid:N)")."""


def _load(data: bytes, path: Path) -> _Loaded:
    """Parse every page into tables and text lines.

    Only pdfminer/pdfplumber parsing runs inside the ``try`` blocks, so a damaged file
    becomes :class:`UnreadableFile` (or a warning for one bad page) while a bug in the
    layout code below still surfaces as itself.
    """
    out = _Loaded([], [], 0, 0)
    with _opened(data, path) as pdf:
        try:
            plumber_pages = pdf.pages
        except _PARSE_ERRORS as e:
            raise _open_error(path, e) from None
        if not plumber_pages:
            raise UnreadableFile(path, "damaged or truncated PDF (no pages found)")
        first_error: BaseException | None = None
        for page in plumber_pages:
            number = page.page_number
            try:
                deduped = page.dedupe_chars()
                chars = deduped.chars
                objects = deduped.objects
                width, height = float(page.width), float(page.height)
            except _PARSE_ERRORS as e:
                first_error = first_error or e
                out.warnings.append(f"page {number} could not be read ({_short(e)})")
                continue
            chars = [c for c in chars if c.get("text")]
            ink = sum(1 for c in chars if not c["text"].isspace())
            out.chars += ink
            out.cid_chars += sum(1 for c in chars if c["text"].startswith("(cid:"))
            pg = _Page(number, width, height)
            out.pages.append(pg)
            if not ink:
                if objects.get("image"):
                    out.warnings.append(f"page {number} has no text layer (a scanned image?); its content is missing")
            else:
                pg.tables, rest = _ruled_tables(deduped, chars, number)
                pg.lines = _make_lines(rest, number)
            page.close()
        if not out.pages and first_error is not None:
            raise UnreadableFile(path, f"damaged or truncated PDF ({_short(first_error)})")
    return out


def _page_items(page: _Page) -> list[_TableBlock | _Line]:
    """The page's tables and text lines in reading order (top to bottom).

    Consecutive lines with column gaps (two or more runs of text separated by at least
    ``COLUMN_GAP`` em) and no ruled table between them become a text-only table.
    """
    items: list[tuple[float, int, _TableBlock | _Line]] = [(t.top, 0, t) for t in page.tables]
    run: list[_Line] = []

    def end_run() -> None:
        if len(run) >= 2:
            items.append((run[0].top, 0, _text_table(list(run))))
        else:
            items.extend((ln.top, 1, ln) for ln in run)
        run.clear()

    for ln in page.lines:
        if run and any(run[-1].bottom <= t.top and t.bottom <= ln.top for t in page.tables):
            end_run()
        if len(ln.segments) >= 2:
            run.append(ln)
        else:
            end_run()
            items.append((ln.top, 1, ln))
    end_run()
    items.sort(key=lambda it: (it[0], it[1]))
    return [it[2] for it in items]


def read(data: bytes, path: Path) -> Document:
    """Read a text PDF into paragraphs and tables (see the module docstring)."""
    _check_signature(data, path)
    loaded = _load(data, path)
    pages, warnings = loaded.pages, loaded.warnings
    if loaded.chars < MIN_TEXT_CHARS_PER_PAGE * len(pages):
        raise UnreadableFile(
            path,
            "no text layer: the PDF is a scanned image; OCR is not supported yet — "
            "put a .txt transcription beside it instead",
        )
    if loaded.cid_chars > loaded.chars / 2:
        raise UnreadableFile(
            path,
            "unusable text layer: the PDF's fonts carry no Unicode mapping, so its text cannot be "
            "extracted; put a .txt transcription beside it instead",
        )
    if loaded.cid_chars:
        warnings.append(f"{loaded.cid_chars} characters could not be decoded (shown as '(cid:N)')")

    for p, lines in zip(pages, _drop_furniture([(p.height, p.lines) for p in pages])):
        p.lines = lines

    # Margins and line gap per page size (a landscape page has its own text block).
    by_size: dict[tuple[int, int], list[_Line]] = {}
    for p in pages:
        by_size.setdefault((round(p.width), round(p.height)), []).extend(p.lines)
    layouts = {k: _layout(v) for k, v in by_size.items()}

    blocks: list[Block] = []
    para: list[str] = []
    prev: _Line | None = None

    def flush() -> None:
        if para:
            text = para[0]
            for t in para[1:]:
                text = _join_lines(text, t)
            if text.strip():
                blocks.append(Paragraph(text.strip()))
        para.clear()

    for p in pages:
        layout = layouts[(round(p.width), round(p.height))]
        for item in _page_items(p):
            if isinstance(item, _TableBlock):
                flush()
                prev = None
                if item.rows:
                    blocks.append(Table(item.rows))
                continue
            if prev is None or _starts_paragraph(prev, item, layout):
                flush()
            para.append(item.text)
            prev = item
    flush()
    return Document(blocks=tuple(blocks), kind="pdf", warnings=tuple(warnings))
