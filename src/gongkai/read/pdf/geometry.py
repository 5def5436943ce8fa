"""Page geometry from PDFium: character boxes, drawn shapes, images.

Everything later in the PDF reader works on :class:`PageGeometry` alone, so the source
of the geometry is replaceable (the tests build the same geometry from pdfplumber and
compare the documents read from both).

Coordinates are the page as displayed: points, origin at the top left, ``top`` growing
downwards, the page's ``/Rotate`` applied. The raw PDFium API is called directly (not
pypdfium2's helper objects): a report page has thousands of characters, and the
helpers' per-call wrappers cost more than PDFium's own work.

Character boxes follow pdfminer's convention, which the layout rules were tuned on:
``bottom`` is the font's descent line (PDFium's "loose" box gives it), ``top`` is
``bottom - size`` where ``size`` is the font size scaled by the text matrix.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ...errors import UnreadableFile

RULING_MAX_WIDTH = 2.0
"""Points: a filled rect at most this thick is a ruling line (``rulings.THIN``)."""
VISIBLE_BELOW = 0.9
"""Lightness (0 black .. 1 white) under which ink counts as visible: WPS paints a white
filled rect behind every prose line, which must never be taken for a ruling."""


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass(frozen=True, slots=True)
class Shape:
    """One subpath as pdfminer classifies it: ``line`` (two points), ``rect`` (an
    axis-aligned closed box) or ``curve`` (anything else, by its end points)."""

    kind: str
    x0: float
    top: float
    x1: float
    bottom: float
    pts: tuple[tuple[float, float], ...]
    stroke: bool
    """Stroked in a visible colour."""
    fill: bool
    """Filled in a visible colour."""


@dataclass(slots=True)
class PageGeometry:
    number: int
    """1-based."""
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    images: int = 0
    """Image objects drawn on the page (a scanned page has one covering it)."""
    image_area: float = 0.0
    """Their total area in square points."""
    unmapped: int = 0
    """Characters whose font carries no Unicode map (shown as U+FFFD, never guessed)."""
    error: str | None = None
    """Why the page could not be read, if it could not."""
    glyphs_lost: bool = False
    """PDFium's text page skipped glyphs: a one-glyph text object in a font that is not
    embedded and that PDFium has no outline for has an empty box, and PDFium drops
    such objects. The reader then reads the page with pdfminer (see ``fallback``)."""


def lightness(rgb: tuple[float, ...] | None) -> float:
    """0 (black) .. 1 (white) of a grey, RGB or CMYK colour in 0..1; unknown = dark."""
    if rgb is None:
        return 0.0
    v = rgb
    if len(v) == 1:
        return v[0]
    if len(v) == 3:
        return 0.299 * v[0] + 0.587 * v[1] + 0.114 * v[2]
    if len(v) == 4:
        c, m, y, k = v
        return (1 - k) * (1 - max(c, m, y))
    return 0.0


def visible(rgb: tuple[float, ...] | None) -> bool:
    return lightness(rgb) < VISIBLE_BELOW


def classify_subpath(
    ops: str, pts: list[tuple[float, float]], stroke: bool, fill: bool
) -> Shape | None:
    """A subpath (pdfminer's operator letters ``m l c h`` and one point each, ``h``
    repeating the first point) as a :class:`Shape`; ``None`` for a lone move."""
    if len(pts) < 2:
        return None
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    box = (min(xs), min(ys), max(xs), max(ys))
    if ops in ("ml", "mlh"):
        kind = "line"
    elif ops in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), (x4, y4) = pts

        def eq(a: float, b: float) -> bool:
            return abs(a - b) < 0.01

        closed = eq(x0, x4) and eq(y0, y4)
        square = (eq(x0, x1) and eq(y1, y2) and eq(x2, x3) and eq(y3, y0)) or (
            eq(y0, y1) and eq(x1, x2) and eq(y2, y3) and eq(x3, x0)
        )
        kind = "rect" if closed and square else "curve"
    else:
        kind = "curve"
    return Shape(kind, box[0], box[1], box[2], box[3], tuple(pts), stroke, fill)


# ------------------------------------------------------------------ opening


class OpenError(Exception):
    """PDFium refused the file; ``reason`` is the one-line explanation."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _ends_early(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]


def open_document(data: bytes, path: Path) -> pdfium.PdfDocument:
    """``PdfDocument`` on the bytes, PDFium's refusals as :class:`UnreadableFile`."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableFile(path, "encrypted PDF: it needs a password to open; save an unprotected copy") from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise UnreadableFile(
                path, "encrypted PDF: its encryption cannot be opened (unsupported security handler); "
                "save an unprotected copy"
            ) from None
        if _ends_early(data):
            raise UnreadableFile(path, "damaged or truncated PDF (the file ends too early)") from None
        what = {pdfium_c.FPDF_ERR_FORMAT: "not a valid PDF structure", pdfium_c.FPDF_ERR_FILE: "cannot be read"}
        raise UnreadableFile(path, f"damaged or truncated PDF ({what.get(code, 'PDFium cannot open it')})") from None


# ------------------------------------------------------------------ reading a page

_GENERATED_CANDIDATES = frozenset(" \r\n\x02\ufffe")


def is_wide(ch: str) -> bool:
    """A full-width glyph (CJK, full-width forms): its advance is one em."""
    o = ord(ch)
    return 0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFE30 <= o <= 0xFFEF or o >= 0x20000


class _Transform:
    """PDF user space (y up, ``/Rotate`` not applied) -> the displayed page (y down)."""

    def __init__(self, page: object) -> None:
        # The crop box is what a viewer shows and what pdfminer measured from.
        box = pdfium_c.FS_RECTF()
        if pdfium_c.FPDF_GetPageBoundingBox(page, box):
            self.x0, self.y0, self.x1, self.y1 = box.left, box.bottom, box.right, box.top
        else:  # pragma: no cover - PDFium always has a media box
            self.x0, self.y0 = 0.0, 0.0
            self.x1 = pdfium_c.FPDF_GetPageWidthF(page)
            self.y1 = pdfium_c.FPDF_GetPageHeightF(page)
        if self.y0 > self.y1:
            self.y0, self.y1 = self.y1, self.y0
        self.turn(pdfium_c.FPDFPage_GetRotation(page) % 4)

    def turn(self, rotation: int) -> None:
        """Show the page turned clockwise by ``rotation`` quarter turns."""
        self.rotation = rotation
        w, h = self.x1 - self.x0, self.y1 - self.y0
        self.width, self.height = (h, w) if rotation in (1, 3) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.x0, self.y1 - y
        if r == 1:
            return y - self.y0, x - self.x0
        if r == 2:
            return self.x1 - x, y - self.y0
        return self.y1 - y, self.x1 - x

    def box(self, left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        """(x0, top, x1, bottom) on the displayed page."""
        ax, ay = self.point(left, bottom)
        bx, by = self.point(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


TURN_SAMPLE = 256
"""Characters sampled (evenly over the page) for the direction its text runs in."""


def _text_turn(textpage: object, n: int) -> int | None:
    """The quarter turns (clockwise) that make most of the page's text run left to
    right, whatever ``/Rotate`` says: 0 for text along user space's x axis, 1 for text
    running up it (a landscape page drawn turned by the CTM). None when no direction
    holds more than half of the sampled characters (few characters, mixed directions).

    A viewer shows a page as ``/Rotate`` says, and a page whose text then runs down or
    up is read by turning it; the reader turns it the same way (the quarter turns needed
    from user space do not depend on ``/Rotate``)."""
    mat = pdfium_c.FS_MATRIX()
    counts = [0, 0, 0, 0]
    step = max(1, n // TURN_SAMPLE)
    for i in range(0, n, step):
        if not pdfium_c.FPDFText_GetMatrix(textpage, i, mat):
            continue
        a, b = mat.a, mat.b
        if a == 0.0 and b == 0.0:
            continue
        if abs(a) >= abs(b):
            counts[0 if a > 0 else 2] += 1
        else:
            counts[1 if b > 0 else 3] += 1
    total = sum(counts)
    best = max(range(4), key=counts.__getitem__)
    return best if total >= 8 and 2 * counts[best] > total else None


def _read_chars(page: object, tf: _Transform, out: PageGeometry) -> None:
    textpage = pdfium_c.FPDFText_LoadPage(page)
    if not textpage:
        return
    try:
        n = pdfium_c.FPDFText_CountChars(textpage)
        if n <= 0:
            return
        turn = _text_turn(textpage, n)
        if turn is not None and turn != tf.rotation:
            tf.turn(turn)
            out.width, out.height = tf.width, tf.height
        buf = ctypes.create_string_buffer(2 * (n + 1))
        got = pdfium_c.FPDFText_GetText(textpage, 0, n, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        text = buf.raw[: 2 * max(got - 1, 0)].decode("utf-16-le", errors="replace")
        if len(text) != n:  # characters outside the BMP: one index, two UTF-16 units
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i) or 0xFFFD) for i in range(n))
        rect = pdfium_c.FS_RECTF()
        mat = pdfium_c.FS_MATRIX()
        loose = pdfium_c.FPDFText_GetLooseCharBox
        font_size = pdfium_c.FPDFText_GetFontSize
        matrix = pdfium_c.FPDFText_GetMatrix
        generated = pdfium_c.FPDFText_IsGenerated
        map_error = pdfium_c.FPDFText_HasUnicodeMapError
        origin = pdfium_c.FPDFText_GetCharOrigin
        ox, oy = ctypes.c_double(), ctypes.c_double()
        fallback: list[tuple[int, int, float, float]] = []
        hypot = math.hypot
        upright = tf.rotation == 0
        x_off, y_top = tf.x0, tf.y1
        chars = out.chars
        append = chars.append
        candidates = _GENERATED_CANDIDATES
        for i in range(n):
            t = text[i]
            if t in candidates and generated(textpage, i):
                continue  # PDFium's own word and line breaks: not in the file
            if not loose(textpage, i, rect):
                continue
            matrix(textpage, i, mat)
            fs = font_size(textpage, i)
            ma, mb, mc, md = mat.a, mat.b, mat.c, mat.d
            if mb == 0.0 and mc == 0.0:
                size, hscale = fs * abs(md), fs * abs(ma)
            else:
                size, hscale = fs * hypot(mc, md), fs * hypot(ma, mb)
            if map_error(textpage, i) == 1:
                out.unmapped += 1
                t = "\ufffd"
            left, right, base, top = rect.left, rect.right, rect.bottom, rect.top
            if right - left > 2 * size + 1:
                # A vertical-writing font (WPS's vertical table labels): PDFium's loose
                # box is as wide as the unscaled font; pdfminer's box is one em square
                # standing on the glyph's origin.
                origin(textpage, i, ox, oy)
                left, right, base = ox.value, ox.value + size, oy.value
            elif abs((top - base) - hscale) > 0.02 * size + 0.01:
                # The font gives no ascent/descent (Chromium's subset fonts): PDFium falls
                # back to the glyph's tight box. pdfminer then stands the box on the
                # baseline (no descent) from the origin to the next glyph's origin.
                origin(textpage, i, ox, oy)
                left, base = ox.value, oy.value
                right = max(right, left + (size if is_wide(t) else 0.0))
                fallback.append((len(chars), i, left, base))
            if upright:
                bottom = y_top - base
                append(Char(t, left - x_off, right - x_off, bottom - size, bottom, size))
            else:
                x0, _, x1, bottom = tf.box(left, base, right, base + size)
                append(Char(t, x0, x1, bottom - size, bottom, size))
        # A fallback box ends where the next glyph on the same baseline starts (its
        # advance), when that is nearer than the tight box's own right edge suggests.
        for k, (pos, i, left, base) in enumerate(fallback):
            if k + 1 >= len(fallback):
                break
            npos, ni, nleft, nbase = fallback[k + 1]
            c = chars[pos]
            if ni == i + 1 or all(text[j] in _GENERATED_CANDIDATES for j in range(i + 1, ni)):
                if abs(nbase - base) < 0.01 and 0 < nleft - left <= 2 * c.size:
                    if upright:
                        c.x1 = nleft - x_off
                    else:
                        c.x0, _, c.x1, _ = tf.box(left, base, nleft, base + c.size)
    finally:
        pdfium_c.FPDFText_ClosePage(textpage)


def _colour(getter: object, obj: object, rgba: tuple[ctypes.c_uint, ...]) -> tuple[float, ...] | None:
    if not getter(obj, *rgba):  # type: ignore[operator]
        return None  # a pattern or shading: counts as dark
    r, g, b, a = (v.value for v in rgba)
    if a == 0:
        return (1.0, 1.0, 1.0)  # fully transparent: invisible
    return (r / 255, g / 255, b / 255)


def _mul(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    """Matrix ``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _read_objects(holder: object, in_form: tuple[float, ...] | None, tf: _Transform, out: PageGeometry) -> None:
    """Paths and images of a page, or of a form XObject placed with ``in_form``."""
    if in_form is None:
        count, get = pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject
    else:
        count, get = pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject
    rgba = tuple(ctypes.c_uint() for _ in range(4))
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    fm = pdfium_c.FS_MATRIX()
    px, py = ctypes.c_float(), ctypes.c_float()
    get_type = pdfium_c.FPDFPageObj_GetType
    text_kind, path_kind = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH
    bounds = pdfium_c.FPDFPageObj_GetBounds
    bl, bb, br, bt = (ctypes.c_float() for _ in range(4))
    for k in range(count(holder)):
        obj = get(holder, k)
        kind = get_type(obj)
        if kind == text_kind:
            # Characters come from the text page, except those it skipped.
            if not out.glyphs_lost and bounds(obj, bl, bb, br, bt) and br.value - bl.value < 1e-3:
                font = pdfium_c.FPDFTextObj_GetFont(obj)
                if font and not pdfium_c.FPDFFont_GetIsEmbedded(font):
                    out.glyphs_lost = True
            continue
        if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
            pdfium_c.FPDFPageObj_GetMatrix(obj, fm)
            form_m: tuple[float, ...] = (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
            _read_objects(obj, form_m if in_form is None else _mul(form_m, in_form), tf, out)
            continue
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            box = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
            if pdfium_c.FPDFPageObj_GetBounds(obj, *box):
                left, bottom, right, top = (v.value for v in box)
                if in_form is not None:
                    pts = [_apply(in_form, x, y) for x in (left, right) for y in (bottom, top)]
                    left, right = min(c[0] for c in pts), max(c[0] for c in pts)
                    bottom, top = min(c[1] for c in pts), max(c[1] for c in pts)
                out.images += 1
                out.image_area += max(right - left, 0.0) * max(top - bottom, 0.0)
            continue
        if kind != path_kind:
            continue
        if not pdfium_c.FPDFPath_GetDrawMode(obj, fillmode, stroke):
            continue
        stroked = bool(stroke.value) and visible(_colour(pdfium_c.FPDFPageObj_GetStrokeColor, obj, rgba))
        filled = fillmode.value != 0 and visible(_colour(pdfium_c.FPDFPageObj_GetFillColor, obj, rgba))
        if not (stroked or filled):
            continue  # nothing visible: WPS's white backgrounds end here, cheaply
        if not stroked and in_form is None and pdfium_c.FPDFPath_CountSegments(obj) == 5 and bounds(obj, bl, bb, br, bt):
            # One filled box ("re"), the commonest path by far. Thicker than a ruling
            # both ways (a cell's background, Chromium's boxes) it can never be one;
            # thinner (Chromium's and Word's cell borders) it is one, and its bounds are
            # its corners: no need to walk its five segments.
            left, bottom, right, top = bl.value, bb.value, br.value, bt.value
            if min(right - left, top - bottom) > RULING_MAX_WIDTH:
                continue
            x0, y0, x1, y1 = tf.box(left, bottom, right, top)
            corners = ((x0, y1), (x1, y1), (x1, y0), (x0, y0), (x0, y1))
            out.shapes.append(Shape("rect", x0, y0, x1, y1, corners, False, True))
            continue
        pdfium_c.FPDFPageObj_GetMatrix(obj, fm)
        m: tuple[float, ...] = (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
        if in_form is not None:
            m = _mul(m, in_form)
        _read_path(obj, m, stroked, filled, tf, px, py, out)


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _read_path(
    obj: object, m: tuple[float, ...], stroked: bool, filled: bool, tf: _Transform,
    px: ctypes.c_float, py: ctypes.c_float, out: PageGeometry,
) -> None:
    """The path's subpaths as pdfminer would build them (see :func:`classify_subpath`)."""
    n = pdfium_c.FPDFPath_CountSegments(obj)
    ops: list[str] = []
    pts: list[tuple[float, float]] = []
    bezier = 0

    def flush() -> None:
        if ops and ops[0] == "m" and len(ops) > 1:
            shape = classify_subpath("".join(ops), pts, stroked, filled)
            if shape is not None:
                out.shapes.append(shape)
        ops.clear()
        pts.clear()

    for j in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, j)
        if not seg:
            continue
        typ = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, px, py)
        x, y = tf.point(*_apply(m, px.value, py.value))
        closes = bool(pdfium_c.FPDFPathSegment_GetClose(seg))
        if typ == pdfium_c.FPDF_SEGMENT_MOVETO:
            flush()
            ops.append("m")
            pts.append((x, y))
            bezier = 0
            continue
        if typ == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            # PDFium gives a curve's two control points and its end point as three
            # segments; pdfminer keeps only the end point.
            bezier += 1
            if bezier % 3:
                continue
            op = "c"
        else:
            op = "l"
        if not ops:
            ops.append("m")  # PDFium may omit the move of a subpath after a close
            pts.append((x, y))
            continue
        back_to_start = closes and op == "l" and abs(x - pts[0][0]) < 0.01 and abs(y - pts[0][1]) < 0.01
        if back_to_start:
            # PDFium stores "re" and "... h" as a line back to the start flagged as
            # closing: that is pdfminer's single "h".
            ops.append("h")
            pts.append(pts[0])
            continue
        ops.append(op)
        pts.append((x, y))
        if closes:
            ops.append("h")
            pts.append(pts[0])
    flush()


def read_page(doc: pdfium.PdfDocument, index: int) -> PageGeometry:
    """The geometry of page ``index`` (0-based); ``error`` set if PDFium cannot load it."""
    page = pdfium_c.FPDF_LoadPage(doc.raw, index)
    if not page:
        return PageGeometry(index + 1, 0.0, 0.0, error="PDFium cannot load the page")
    try:
        tf = _Transform(page)
        out = PageGeometry(index + 1, tf.width, tf.height)
        _read_chars(page, tf, out)
        _read_objects(page, None, tf, out)
        return out
    finally:
        pdfium_c.FPDF_ClosePage(page)


def read_pages(data: bytes, path: Path) -> list[PageGeometry]:
    """Every page's geometry; :class:`UnreadableFile` if PDFium cannot open the file."""
    doc = open_document(data, path)
    try:
        n = len(doc)
        if n <= 0:
            raise UnreadableFile(path, "damaged or truncated PDF (no pages found)")
        return [read_page(doc, i) for i in range(n)]
    finally:
        doc.close()
