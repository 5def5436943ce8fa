"""Ruled tables: visible ruling lines -> cells -> tables of cell texts.

Tables come from the page's *visible* ruling lines only: stroked lines and rects, and
thin filled rects, in a dark colour (the geometry drops white WPS backgrounds). Where
a table is cut by a page break its outer frame is open (the merged label cells have no
top or bottom border); the frame is closed so those cells are found.

The cell finder is pdfplumber's explicit-lines algorithm (snap, join, intersections,
smallest cells, contiguous tables; ``pdfplumber/table.py``, MIT), written over the
grid's rows and columns instead of every pair of points, so a page of a few hundred
rulings costs milliseconds. ``tests/read/test_pdf_differential.py`` checks it against
pdfplumber's own ``find_tables`` on every PDF fixture.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .geometry import RULING_MAX_WIDTH, Char, Shape
from .lines import cell_text

SNAP = 3.0
"""Points: rulings closer than this are one line (pdfplumber's default tolerance)."""
THIN = RULING_MAX_WIDTH
"""A filled rect at most this thick is a ruling line."""
MAX_RULINGS = 4000
"""A page drawing more ruling segments than this (a vector chart, a map) is not searched for tables."""

Box = tuple[float, float, float, float]
"""x0, top, x1, bottom."""


@dataclass(frozen=True, slots=True)
class Edge:
    orientation: str
    """``h`` or ``v``."""
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def length(self) -> float:
        return self.x1 - self.x0 if self.orientation == "h" else self.bottom - self.top


def _h(x0: float, x1: float, y: float) -> Edge:
    return Edge("h", x0, y, x1, y)


def _v(x: float, top: float, bottom: float) -> Edge:
    return Edge("v", x, top, x, bottom)


def _segment_edge(x0: float, top: float, x1: float, bottom: float) -> Edge | None:
    """An axis-aligned ruling for a thin object spanning the box, or None."""
    w, h = x1 - x0, bottom - top
    if h <= THIN and w > h:
        return _h(x0, x1, (top + bottom) / 2)
    if w <= THIN and h > w:
        return _v((x0 + x1) / 2, top, bottom)
    return None


def shapes_to_edges(shapes: Sequence[Shape]) -> list[Edge]:
    """The visible ruling lines among the page's shapes."""
    edges: list[Edge] = []
    for s in shapes:
        if s.kind == "line":
            if s.stroke:
                e = _segment_edge(s.x0, s.top, s.x1, s.bottom)
                if e is not None:
                    edges.append(e)
        elif s.kind == "rect":
            thin = min(s.x1 - s.x0, s.bottom - s.top) <= THIN
            if thin and (s.stroke or s.fill):
                e = _segment_edge(s.x0, s.top, s.x1, s.bottom)
                if e is not None:
                    edges.append(e)
            elif s.stroke:
                x0, top, x1, bottom = s.x0, s.top, s.x1, s.bottom
                edges += [_h(x0, x1, top), _h(x0, x1, bottom), _v(x0, top, bottom), _v(x1, top, bottom)]
        elif s.stroke:
            for (ax, ay), (bx, by) in zip(s.pts, s.pts[1:]):
                e = _segment_edge(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                if e is not None and e.length > SNAP:
                    edges.append(e)
    return edges


def _touch(a: Edge, b: Edge) -> bool:
    return (
        a.x0 - SNAP <= b.x1
        and b.x0 - SNAP <= a.x1
        and a.top - SNAP <= b.bottom
        and b.top - SNAP <= a.bottom
    )


_BUCKET = 50.0


def close_frames(edges: list[Edge]) -> list[Edge]:
    """Add the missing outer border of each ruled grid.

    A table cut by a page break loses the border where it was cut: the merged label
    cells on the left then have no top (or bottom) edge and no cell is found. Where two
    or more rulings reach the grid's outer side, a border is drawn along it.
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
        for bx in range(int((e.x0 - SNAP) // _BUCKET), int((e.x1 + SNAP) // _BUCKET) + 1):
            for by in range(int((e.top - SNAP) // _BUCKET), int((e.bottom + SNAP) // _BUCKET) + 1):
                buckets.setdefault((bx, by), []).append(i)
    for members in buckets.values():
        for k, i in enumerate(members):
            for j in members[k + 1 :]:
                if find(i) != find(j) and _touch(edges[i], edges[j]):
                    parent[find(i)] = find(j)
    groups: dict[int, list[Edge]] = {}
    for i, e in enumerate(edges):
        groups.setdefault(find(i), []).append(e)
    extra: list[Edge] = []
    for grp in groups.values():
        vs = [e for e in grp if e.orientation == "v"]
        hs = [e for e in grp if e.orientation == "h"]
        if not vs or not hs:
            continue
        x0 = min(e.x0 for e in grp)
        x1 = max(e.x1 for e in grp)
        top = min(e.top for e in grp)
        bottom = max(e.bottom for e in grp)
        at_top = [e.x0 for e in vs if e.top - top <= SNAP]
        at_bottom = [e.x0 for e in vs if bottom - e.bottom <= SNAP]
        at_left = [e.top for e in hs if e.x0 - x0 <= SNAP]
        at_right = [e.top for e in hs if x1 - e.x1 <= SNAP]
        if len(at_top) >= 2:
            extra.append(_h(min(at_top), max(at_top), top))
        if len(at_bottom) >= 2:
            extra.append(_h(min(at_bottom), max(at_bottom), bottom))
        if len(at_left) >= 2:
            extra.append(_v(x0, min(at_left), max(at_left)))
        if len(at_right) >= 2:
            extra.append(_v(x1, min(at_right), max(at_right)))
    return edges + extra


# ------------------------------------------------------------------ the cell finder


@dataclass(frozen=True, slots=True)
class FoundTable:
    """A grid found from rulings: ``rows`` hold one box per column, ``None`` where a
    merged cell from the left or above covers it (pdfplumber's ``Table.rows``)."""

    bbox: Box
    rows: tuple[tuple[Box, tuple[Box | None, ...]], ...]
    """(row bbox, cells) top to bottom."""


TableFinder = Callable[[list[Edge], list[Edge]], list[FoundTable]]
"""(vertical edges, horizontal edges) -> tables, top to bottom."""


def _snap(edges: list[Edge], vertical: bool) -> list[Edge]:
    """Edges whose positions are within SNAP (chained) moved to their cluster's mean."""
    pos = [e.x0 if vertical else e.top for e in edges]
    order = sorted(set(pos))
    cluster_of: dict[float, int] = {}
    members: list[list[float]] = []
    last = None
    for v in order:
        if last is None or v > last + SNAP:
            members.append([])
        members[-1].append(v)
        cluster_of[v] = len(members) - 1
        last = v
    sums = [0.0] * len(members)
    counts = [0] * len(members)
    for p in pos:
        k = cluster_of[p]
        sums[k] += p
        counts[k] += 1
    out = []
    for e, p in zip(edges, pos):
        k = cluster_of[p]
        d = sums[k] / counts[k] - p
        if vertical:
            out.append(Edge("v", e.x0 + d, e.top, e.x1 + d, e.bottom))
        else:
            out.append(Edge("h", e.x0, e.top + d, e.x1, e.bottom + d))
    return out


def _join(edges: list[Edge], vertical: bool) -> list[Edge]:
    """Collinear edges overlapping or within SNAP of each other made one."""
    groups: dict[float, list[Edge]] = {}
    for e in edges:
        groups.setdefault(e.x0 if vertical else e.top, []).append(e)
    out: list[Edge] = []
    for key in sorted(groups):
        grp = sorted(groups[key], key=(lambda e: e.top) if vertical else (lambda e: e.x0))
        if vertical:
            cur = grp[0]
            for e in grp[1:]:
                if e.top <= cur.bottom + SNAP:
                    if e.bottom > cur.bottom:
                        cur = Edge("v", cur.x0, cur.top, cur.x1, e.bottom)
                else:
                    out.append(cur)
                    cur = e
            out.append(cur)
        else:
            cur = grp[0]
            for e in grp[1:]:
                if e.x0 <= cur.x1 + SNAP:
                    if e.x1 > cur.x1:
                        cur = Edge("h", cur.x0, cur.top, e.x1, cur.bottom)
                else:
                    out.append(cur)
                    cur = e
            out.append(cur)
    return out


def find_tables(vs: list[Edge], hs: list[Edge]) -> list[FoundTable]:
    """pdfplumber's explicit-lines table finder (default tolerances), on a grid index."""
    vs = [e for e in _join(_snap(vs, True), True) if e.length >= SNAP]
    hs = [e for e in _join(_snap(hs, False), False) if e.length >= SNAP]
    if not vs or not hs:
        return []
    # Intersections: point -> (ids of its vertical edges, ids of its horizontal edges).
    # Edges are identified by their box, as pdfplumber does.
    points: dict[tuple[float, float], tuple[set[Box], set[Box]]] = {}
    hs_sorted = sorted(hs, key=lambda e: e.top)
    h_tops = [e.top for e in hs_sorted]
    for v in vs:
        lo = bisect_left(h_tops, v.top - SNAP)
        hi = bisect_right(h_tops, v.bottom + SNAP)
        vbox = (v.x0, v.top, v.x1, v.bottom)
        for h in hs_sorted[lo:hi]:
            if h.x0 - SNAP <= v.x0 <= h.x1 + SNAP:
                pt = (v.x0, h.top)
                entry = points.get(pt)
                if entry is None:
                    entry = points[pt] = (set(), set())
                entry[0].add(vbox)
                entry[1].add((h.x0, h.top, h.x1, h.bottom))
    # Points by column (same x) and by row (same y), each sorted.
    by_x: dict[float, list[float]] = {}
    by_y: dict[float, list[float]] = {}
    for x, y in points:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    for lst in by_x.values():
        lst.sort()
    for lst in by_y.values():
        lst.sort()

    def v_connects(x: float, y1: float, y2: float) -> bool:
        return bool(points[(x, y1)][0] & points[(x, y2)][0])

    def h_connects(y: float, x1: float, x2: float) -> bool:
        return bool(points[(x1, y)][1] & points[(x2, y)][1])

    cells: list[Box] = []
    for pt in sorted(points):
        x, y = pt
        below = [b for b in by_x[x] if b > y]
        right = [r for r in by_y[y] if r > x]
        found = None
        for by in below:
            if not v_connects(x, y, by):
                continue
            for rx in right:
                if not h_connects(y, x, rx):
                    continue
                if (rx, by) in points and v_connects(rx, y, by) and h_connects(by, x, rx):
                    found = (x, y, rx, by)
                    break
            if found:
                break
        if found:
            cells.append(found)
    return [_table(group) for group in _cells_to_tables(cells)]


def _cells_to_tables(cells: list[Box]) -> list[list[Box]]:
    """Cells sharing corners grouped into tables (pdfplumber's ``cells_to_tables``)."""
    remaining = list(cells)
    tables: list[list[Box]] = []
    corners: set[tuple[float, float]] = set()
    current: list[Box] = []
    while remaining:
        before = len(current)
        rest = []
        for cell in remaining:
            x0, top, x1, bottom = cell
            cc = ((x0, top), (x0, bottom), (x1, top), (x1, bottom))
            if not current or any(c in corners for c in cc):
                corners.update(cc)
                current.append(cell)
            else:
                rest.append(cell)
        remaining = rest
        if len(current) == before:
            tables.append(current)
            corners = set()
            current = []
    if current:
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _table(cells: list[Box]) -> FoundTable:
    xs = sorted({c[0] for c in cells})
    rows_by_top: dict[float, dict[float, Box]] = {}
    for c in sorted(cells, key=lambda c: (c[1], c[0])):
        rows_by_top.setdefault(c[1], {})[c[0]] = c
    rows = []
    for top in sorted(rows_by_top):
        got = rows_by_top[top]
        row = tuple(got.get(x) for x in xs)
        present = [c for c in row if c is not None]
        bbox = (min(c[0] for c in present), min(c[1] for c in present),
                max(c[2] for c in present), max(c[3] for c in present))
        rows.append((bbox, row))
    bbox = (min(c[0] for c in cells), min(c[1] for c in cells), max(c[2] for c in cells), max(c[3] for c in cells))
    return FoundTable(bbox, tuple(rows))


# ------------------------------------------------------------------ tables of text


@dataclass
class TableBlock:
    page: int
    top: float
    bottom: float
    rows: tuple[tuple[str, ...], ...]


def _vmid(c: Char) -> float:
    return (c.top + c.bottom) / 2


def ruled_tables(
    shapes: Sequence[Shape], chars: list[Char], page_no: int, finder: TableFinder = find_tables
) -> tuple[list[TableBlock], list[Char]]:
    """Tables from visible rulings, and the chars left outside every table cell."""
    edges = [e for e in shapes_to_edges(shapes) if e.length >= SNAP]
    nv = sum(e.orientation == "v" for e in edges)
    nh = len(edges) - nv
    if nv < 2 or nh < 2 or len(edges) > MAX_RULINGS:
        return [], chars
    edges = close_frames(edges)
    vs = [e for e in edges if e.orientation == "v"]
    hs = [e for e in edges if e.orientation == "h"]
    blocks: list[TableBlock] = []
    used: set[int] = set()
    # Chars by vertical middle, so each cell looks only at its own band of the page.
    by_mid = sorted(chars, key=_vmid)
    mids = [_vmid(c) for c in by_mid]
    for table in finder(vs, hs):
        if max((sum(c is not None for c in cells) for _, cells in table.rows), default=0) < 2:
            continue  # a framed box, not a table: its text stays prose
        _, top, _, bottom = table.bbox
        rows: list[tuple[str, ...]] = []
        for _, boxes in table.rows:
            texts: list[str] = []
            for box in boxes:
                if box is None:
                    continue  # covered by a merged cell
                x0, y0, x1, y1 = box
                band = by_mid[bisect_left(mids, y0) : bisect_left(mids, y1)]
                inside = [c for c in band if x0 <= (c.x0 + c.x1) / 2 < x1]
                if inside:
                    used.update(id(c) for c in inside)
                    texts.append(cell_text(inside))
                else:
                    texts.append("")
            if texts:
                rows.append(tuple(texts))
        blocks.append(TableBlock(page_no, top, bottom, tuple(rows)))
    rest = [c for c in chars if id(c) not in used]
    return blocks, rest
