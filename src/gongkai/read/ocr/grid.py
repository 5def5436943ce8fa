"""Ruled tables in a page image: the ruling lines, and the cells they bound.

The chain, as pdfplumber's table finder does it for vector lines:
``binarise -> line masks -> table regions -> line positions -> fine grid -> cells``.
A separator between two neighbouring fine cells exists where the line mask covers most
of their common edge; fine cells without one between them are one (merged) cell.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .image import binarise

H_LINE_INCH = 0.4
"""A horizontal ruling is at least this long (a CJK glyph's strokes are ~0.15 in)."""
V_LINE_INCH = 0.18
"""A vertical ruling is at least this long: a table row is ~0.25 in high."""
SNAP_INCH = 0.04
"""Line positions closer than this are one line."""
COVER = 0.6
"""A separator must cover this share of the edge between two fine cells."""
MIN_TABLE_INCH = 0.8
"""A table region is at least this wide and high."""


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    """Index of the first fine row the cell covers."""
    col: int
    rowspan: int
    colspan: int
    x0: int
    y0: int
    x1: int
    y1: int


@dataclass(frozen=True, slots=True)
class Grid:
    """One ruled table: its bounding box and its cells, top to bottom, left to right."""

    x0: int
    y0: int
    x1: int
    y1: int
    cells: tuple[Cell, ...]
    rows: int
    """Number of fine rows."""

    def rows_of_cells(self) -> list[list[Cell]]:
        """Cells grouped by the fine row they start in; rows without a starting cell dropped."""
        out: list[list[Cell]] = [[] for _ in range(self.rows)]
        for c in self.cells:
            out[c.row].append(c)
        return [sorted(r, key=lambda c: c.col) for r in out if r]

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


def line_masks(bw: np.ndarray, dpi: float) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines of a binarised page (ink 255)."""
    h_len = max(int(H_LINE_INCH * dpi), 10)
    v_len = max(int(V_LINE_INCH * dpi), 10)
    # No closing of gaps first: it joins the strokes of neighbouring glyphs into long
    # runs, and a column of digits across a thin row rule into a vertical "line".
    horiz = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vert = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    # A line a pixel or two off straight after deskewing: thicken so coverage holds.
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 1)))
    return horiz, vert


def _positions(mask: np.ndarray, axis: int, snap: int, min_run: int) -> list[int]:
    """Centres of the lines in ``mask`` across ``axis`` (0: rows, i.e. horizontal lines)."""
    profile = (mask > 0).sum(axis=1 - axis)
    hits = np.nonzero(profile >= min_run)[0]
    out: list[int] = []
    group: list[int] = []
    for v in hits.tolist():
        if group and v - group[-1] > snap:
            out.append(int(round(sum(group) / len(group))))
            group = []
        group.append(v)
    if group:
        out.append(int(round(sum(group) / len(group))))
    return out


def _covered(strip: np.ndarray, axis: int) -> float:
    """Share of the strip's length (along ``axis``) where the line mask has ink."""
    if strip.size == 0:
        return 0.0
    return float((strip > 0).any(axis=1 - axis).mean())


def find_grids(grey: np.ndarray, dpi: float) -> list[Grid]:
    """Every ruled table on an upright page, top to bottom."""
    bw = binarise(grey)
    horiz, vert = line_masks(bw, dpi)
    both = cv2.dilate(cv2.bitwise_or(horiz, vert), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    grids = []
    min_size = MIN_TABLE_INCH * dpi
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i, :4])
        if w < min_size or h < min_size / 4:
            continue
        grid = _grid(horiz[y:y + h, x:x + w], vert[y:y + h, x:x + w], x, y, dpi)
        if grid is not None:
            grids.append(grid)
    return sorted(grids, key=lambda g: (g.y0, g.x0))


def _grid(horiz: np.ndarray, vert: np.ndarray, ox: int, oy: int, dpi: float) -> Grid | None:
    h, w = horiz.shape
    snap = max(int(SNAP_INCH * dpi), 3)
    ys = _positions(horiz, 0, snap, min_run=int(H_LINE_INCH * dpi))
    xs = _positions(vert, 1, snap, min_run=int(V_LINE_INCH * dpi))
    if len(ys) < 2 or len(xs) < 2:
        return None
    # The region's own edges bound it even where a table cut by a page break has no
    # closing rule there.
    if ys[0] > snap * 2:
        ys.insert(0, 0)
    if h - 1 - ys[-1] > snap * 2:
        ys.append(h - 1)
    if xs[0] > snap * 2:
        xs.insert(0, 0)
    if w - 1 - xs[-1] > snap * 2:
        xs.append(w - 1)
    nr, nc = len(ys) - 1, len(xs) - 1
    t = max(snap // 2, 2)
    # right[r][c]: a rule between fine cells (r, c) and (r, c+1); below[r][c]: between (r, c) and (r+1, c).
    right = [[_covered(vert[ys[r] + t:ys[r + 1] - t, xs[c + 1] - t:xs[c + 1] + t + 1], 0) >= COVER
              for c in range(nc - 1)] for r in range(nr)]
    below = [[_covered(horiz[ys[r + 1] - t:ys[r + 1] + t + 1, xs[c] + t:xs[c + 1] - t], 1) >= COVER
              for c in range(nc)] for r in range(nr - 1)]
    parent = list(range(nr * nc))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in range(nr):
        for c in range(nc):
            if c < nc - 1 and not right[r][c]:
                union(r * nc + c, r * nc + c + 1)
            if r < nr - 1 and not below[r][c]:
                union(r * nc + c, (r + 1) * nc + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(nr):
        for c in range(nc):
            groups.setdefault(find(r * nc + c), []).append((r, c))
    cells = []
    for members in groups.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        cells.append(Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1,
                          ox + xs[c0], oy + ys[r0], ox + xs[c1 + 1], oy + ys[r1 + 1]))
    if len(cells) < 2:
        return None  # a box drawn round text, not a table
    # A table has a frame: rules along its left and right sides for most of its height,
    # and along its top or its bottom for at least half its width (a table cut by a
    # page break has no closing rule there). Bold headings leave line-like marks, but
    # no frame.
    if min(_covered(vert[:, :2 * t + 1], 0), _covered(vert[:, -2 * t - 1:], 0)) < 0.7 or \
            max(_covered(horiz[:2 * t + 1, :], 1), _covered(horiz[-2 * t - 1:, :], 1)) < 0.5:
        return None
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(ox, oy, ox + w - 1, oy + h - 1, tuple(cells), nr)
