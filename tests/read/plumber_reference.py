"""The reference for the PDF reader's differential test: the same pipeline on
pdfplumber's geometry and pdfplumber's own table finder.

Until the reader moved to PDFium it read characters and shapes with pdfplumber
(pdfminer) and found ruled cells with ``page.find_tables`` on explicit edges. This
module rebuilds exactly those inputs, so ``build_document`` run on them is the old
reader, and run on PDFium's geometry with gongkai's own cell finder is the new one.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pdfplumber
from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils import filter_edges

from gongkai.read.pdf.geometry import Char, PageGeometry, Shape, visible
from gongkai.read.pdf.rulings import SNAP, Edge, FoundTable

# pdfminer complains about every font of a Chromium PDF ("Could not get FontBBox").
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _visible(color: Any) -> bool:
    """The old reader's rule: unknown colour spaces and patterns count as dark."""
    if color is None:
        return True
    if isinstance(color, (int, float)):
        color = (color,)
    try:
        v = tuple(float(x) for x in color)
    except (TypeError, ValueError):
        return True
    return visible(v) if len(v) in (1, 3, 4) else True


def plumber_geometry(data: bytes) -> list[PageGeometry]:
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
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
            out.append(geo)
            page.close()
    return out


def _edge_dict(e: Edge) -> dict[str, Any]:
    return {"x0": e.x0, "x1": e.x1, "top": e.top, "bottom": e.bottom, "width": e.x1 - e.x0,
            "height": e.bottom - e.top, "orientation": e.orientation, "object_type": "line_edge"}


def plumber_find_tables(vs: list[Edge], hs: list[Edge]) -> list[FoundTable]:
    """pdfplumber's ``TableFinder`` with explicit lines and default settings."""
    edges = merge_edges([_edge_dict(e) for e in vs + hs], SNAP, SNAP, SNAP, SNAP)
    edges = filter_edges(edges, min_length=SNAP)
    cells = intersections_to_cells(edges_to_intersections(edges, SNAP, SNAP))
    found = []
    for group in cells_to_tables(cells):
        table = PlumberTable(None, group)  # type: ignore[arg-type]
        found.append(FoundTable(table.bbox, tuple((row.bbox, tuple(row.cells)) for row in table.rows)))
    return found
