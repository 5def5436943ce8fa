"""The fallback for pages PDFium reads incompletely: the same geometry from pdfminer
(through pdfplumber), as the reader had it before it moved to PDFium.

PDFium's text page skips every text object whose box is empty. A one-glyph object in
a font that is neither embedded nor known to PDFium has an empty box (PDFium has no
outline to measure), so a PDF that places each glyph on its own in such a font (WPS
does, with SimSun left out) would lose glyphs, and a lost digit is a wrong value.
pdfminer measures glyphs by the font's widths alone and reads those pages whole. It is
slow (about ten times PDFium), so it runs only for the pages that need it.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from typing import Any

from .geometry import Char, PageGeometry, Shape, visible

# pdfminer complains about every font without a FontBBox (Chromium's): not our news.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _visible(color: Any) -> bool:
    """Unknown colour spaces and patterns count as dark (as for PDFium's colours)."""
    if color is None:
        return True
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        v = tuple(float(x) for x in color)
    except (TypeError, ValueError):
        return True
    return visible(v) if len(v) in (1, 3, 4) else True


def _page(page: Any) -> PageGeometry:
    geo = PageGeometry(page.page_number, float(page.width), float(page.height))
    for c in page.chars:
        if c.get("text"):
            geo.chars.append(Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["size"]))
            geo.unmapped += c["text"].startswith("(cid:")
    objects = page.objects
    for ln in objects.get("line", []):
        stroke = bool(ln.get("stroke", True)) and _visible(ln.get("stroking_color"))
        geo.shapes.append(Shape("line", ln["x0"], ln["top"], ln["x1"], ln["bottom"], (), stroke, False))
    for r in objects.get("rect", []):
        stroke = bool(r.get("stroke")) and _visible(r.get("stroking_color"))
        fill = bool(r.get("fill")) and _visible(r.get("non_stroking_color"))
        geo.shapes.append(Shape("rect", r["x0"], r["top"], r["x1"], r["bottom"], (), stroke, fill))
    for cv in objects.get("curve", []):
        stroke = bool(cv.get("stroke")) and _visible(cv.get("stroking_color"))
        pts = tuple((float(x), float(y)) for x, y in cv.get("pts") or [])
        geo.shapes.append(Shape("curve", cv["x0"], cv["top"], cv["x1"], cv["bottom"], pts, stroke, False))
    geo.images = len(objects.get("image", []))
    return geo


def plumber_geometry(data: bytes, pages: Iterable[int] | None = None) -> list[PageGeometry]:
    """The geometry of the given 1-based pages (all when ``None``) read by pdfminer."""
    import pdfplumber  # slow to import: only when a file needs it

    want = None if pages is None else set(pages)
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            if want is None or page.page_number in want:
                out.append(_page(page))
            page.close()
    return out
