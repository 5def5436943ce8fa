"""The reference for the PDF reader's differential test: the same pipeline on
pdfplumber's geometry and pdfplumber's own table finder.

Until the reader moved to PDFium it read characters and shapes with pdfplumber
(pdfminer) and found ruled cells with ``page.find_tables`` on explicit edges. The
reader's fallback (``gongkai.read.pdf.fallback``) rebuilds exactly that geometry; with
pdfplumber's cell finder below, ``build_document`` on it is the old reader.
"""

from __future__ import annotations

from typing import Any

from pdfplumber.table import Table as PlumberTable
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges
from pdfplumber.utils import filter_edges

from gongkai.read.pdf.fallback import plumber_geometry
from gongkai.read.pdf.rulings import SNAP, Edge, FoundTable

__all__ = ["plumber_find_tables", "plumber_geometry"]


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
