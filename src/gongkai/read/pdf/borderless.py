"""Tables printed without ruling lines, rebuilt from the text's geometry.

Word's and LibreOffice's default table style draws no borders, and three-line tables
(a rule above, one under the header, one below) draw no verticals: the page then holds
only text. Such a table is found and rebuilt in five steps:

1. **Pieces.** Each line in a candidate region is cut at gaps of ``PIECE_GAP`` em —
   narrower than prose ever leaves between CJK glyphs on a line of a table, wide enough
   for the cell padding between adjacent columns (a label running up to the first
   value column still leaves it).
2. **Anchors and regions.** A line with numbers in three or more separate places is a
   row of values (an *anchor*). Anchors close to each other make a region, with the
   header lines just above the first one and the wrapped label lines after the last.
3. **Value columns** are the x-ranges of the numbers on the anchors (overlapping
   numbers make one column); header words above them stay header text.
4. **Rows** come from the baselines of the values. A line holding values only in
   columns the row above lacks, with no new label starting on it, is the same row (a
   column aligned to the top of a tall cell while the others are centred).
5. **Labels.** Label pieces (left of the first value column) are sorted into the
   label columns by where they start; in each column a piece continues the one above
   when that one filled its column and this one starts no new enumerator (``（三）``,
   ``1.``, ``一、``). Each label so joined goes to the row whose values are nearest to
   its middle.

A table continuing on the next page is a new region there: the recogniser joins the
pieces. What is not such a grid keeps the older rule: consecutive lines with wide
gaps make a text table with one column per run of text.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from .geometry import Char
from .lines import Line, seg_join
from .rulings import TableBlock

PIECE_GAP = 0.3
"""In em: a gap this wide inside a table line separates two cells."""
MIN_ANCHOR_VALUES = 3
"""Numbers on one line, in separate places, that make it a row of a table."""
MIN_SINGLE_ANCHOR_VALUES = 6
"""A lone row of numbers (table C printed as one row) needs this many."""
ANCHOR_SPAN = 8.0
"""In em: rows of values further apart than this are separate tables."""
FULL_LINE = 2.0
"""In em: a label line ending this close to its column's right edge was wrapped."""

_NUMBER = re.compile(r"^[-+]?\d[\d,，]*(?:[.．]\d+)?%?$|^[—–\-－/／]$")
_ENUMERATOR = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|\d{1,2}\s*[、．.](?!\d))"
)


@dataclass
class _Piece:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


def _pieces(line: Line, cut: float | None = None) -> list[_Piece]:
    """The line cut at gaps of PIECE_GAP em, and where it crosses x = ``cut``."""
    out: list[_Piece] = []
    gap = PIECE_GAP * line.size
    run: list[Char] = []

    def flush() -> None:
        if run:
            out.append(_Piece(run[0].x0, max(c.x1 for c in run), min(c.top for c in run),
                              max(c.bottom for c in run), line.size, "".join(c.text for c in run)))
            run.clear()

    prev: Char | None = None
    for c in line.chars:
        if prev is not None and (c.x0 - prev.x1 >= gap or (cut is not None and prev.x0 < cut <= c.x0)):
            flush()
        run.append(c)
        prev = c
    flush()
    return out


class _LinePieces:
    """Each line's pieces, cut when first asked for (most lines are never asked)."""

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.cache: dict[int, list[_Piece]] = {}

    def __getitem__(self, i: int) -> list[_Piece]:
        got = self.cache.get(i)
        if got is None:
            got = self.cache[i] = _pieces(self.lines[i])
        return got


_DIGIT = re.compile(r"\d")


def _is_value(p: _Piece) -> bool:
    return bool(_NUMBER.match(p.text))


def _anchor_values(pieces: list[_Piece]) -> list[_Piece]:
    """The number pieces of a line when it is a row of values, else ``[]``."""
    nums = [p for p in pieces if _is_value(p) and any(ch.isdigit() for ch in p.text)]
    if len(nums) < MIN_ANCHOR_VALUES:
        return []
    # In separate places: at least an em apart from each other.
    apart = [nums[0]]
    for p in nums[1:]:
        if p.x0 - apart[-1].x1 >= p.size:
            apart.append(p)
    return nums if len(apart) >= MIN_ANCHOR_VALUES else []


@dataclass
class _Region:
    first: int
    last: int
    """Indexes into the page's lines (inclusive)."""
    anchors: list[int] = field(default_factory=list)


def _regions(lines: list[Line], pieces: _LinePieces) -> list[_Region]:
    anchors = [
        i for i, ln in enumerate(lines)
        if len(_DIGIT.findall(ln.text)) >= MIN_ANCHOR_VALUES and _anchor_values(pieces[i])
    ]
    regions: list[_Region] = []
    for i in anchors:
        if regions and lines[i].top - lines[regions[-1].anchors[-1]].bottom <= ANCHOR_SPAN * lines[i].size:
            regions[-1].anchors.append(i)
            regions[-1].last = i
        else:
            regions.append(_Region(i, i, [i]))
    out = []
    for r in regions:
        if not _is_grid(r, pieces):
            continue
        # Header lines: just above the first row, close together (a heading or prose
        # paragraph above stands further off).
        while r.first > 0:
            above, below = lines[r.first - 1], lines[r.first]
            if below.top - above.bottom > 1.5 * below.size or _anchor_values(pieces[r.first - 1]):
                break
            r.first -= 1
        out.append(r)
    # Labels wrapped below the last row: close, left of the values, no new enumerator.
    for k, r in enumerate(out):
        limit = out[k + 1].first if k + 1 < len(out) else len(lines)
        left = min(p.x0 for i in r.anchors for p in _anchor_values(pieces[i]))
        while r.last + 1 < limit:
            nxt, cur = lines[r.last + 1], lines[r.last]
            if nxt.top - cur.bottom > 0.8 * nxt.size or nxt.x1 > left or _ENUMERATOR.match(nxt.text):
                break
            wrapped = [p for p in pieces[r.last] if p.x1 <= left and p.x1 >= left - (FULL_LINE + 1) * p.size]
            if not wrapped:
                break  # the label above ended short of its column: this line is not its rest
            r.last += 1
    return out


def _is_grid(r: _Region, pieces: _LinePieces) -> bool:
    """Whether the rows of numbers of a region line up as a table's value columns.

    Prose that spaces out its numbers (``受理 21 件，办结 19 件，结转 2 件``) has rows of
    numbers too, but they do not stand in columns from one line to the next.
    """
    if len(r.anchors) == 1:
        # A lone row (table C printed as one row): many numbers, at most a label before.
        ps = pieces[r.anchors[0]]
        values = _anchor_values(ps)
        return len(values) >= MIN_SINGLE_ANCHOR_VALUES and len(ps) - len(values) <= 1
    per_line = [_anchor_values(pieces[i]) for i in r.anchors]
    cols = _columns([p for vs in per_line for p in vs])
    shared = 0
    for a, b in cols:
        lines_in = sum(1 for vs in per_line if any(p.x0 <= b and p.x1 >= a for p in vs))
        shared += lines_in >= 2
    return shared >= MIN_ANCHOR_VALUES


def _columns(values: list[_Piece]) -> list[list[float]]:
    """x-ranges of overlapping number pieces, left to right."""
    cols: list[list[float]] = []
    for p in sorted(values, key=lambda p: p.x0):
        if cols and p.x0 <= cols[-1][1] + 1:
            cols[-1][1] = max(cols[-1][1], p.x1)
        else:
            cols.append([p.x0, p.x1])
    return cols


def _column_of(p: _Piece, cols: list[list[float]]) -> int | None:
    best, overlap = None, 0.0
    for k, (a, b) in enumerate(cols):
        o = min(b, p.x1) - max(a, p.x0)
        if o > overlap or (o == overlap and best is None and a - 1 <= (p.x0 + p.x1) / 2 <= b + 1):
            best, overlap = k, o
    if best is None:
        mid = (p.x0 + p.x1) / 2
        best = min(range(len(cols)), key=lambda k: abs(mid - (cols[k][0] + cols[k][1]) / 2))
        a, b = cols[best]
        if not (a - 2 * p.size <= mid <= b + 2 * p.size):
            return None
    return best


@dataclass
class _Row:
    values: dict[int, list[_Piece]] = field(default_factory=dict)
    labels: dict[int, list[list[_Piece]]] = field(default_factory=dict)

    @property
    def mid(self) -> float:
        return statistics.median(p.mid for ps in self.values.values() for p in ps)

    @property
    def bottom(self) -> float:
        return max(p.bottom for ps in self.values.values() for p in ps)


def _grid_table(lines: list[Line], line_pieces: _LinePieces, region: _Region) -> TableBlock:
    anchor_values = [p for i in region.anchors for p in _anchor_values(line_pieces[i])]
    cols = _columns(anchor_values)
    value_left = cols[0][0] - 1
    # A label may run up to the first value column with less than PIECE_GAP between.
    pieces = {i: _pieces(lines[i], cut=value_left - 0.5) for i in range(region.first, region.last + 1)}
    first_anchor = region.anchors[0]
    header_rows: list[tuple[str, ...]] = []
    rows: list[_Row] = []
    label_pieces: list[_Piece] = []
    for i in range(region.first, region.last + 1):
        ps = pieces[i]
        if i < first_anchor:
            header_rows.append(tuple(p.text for p in ps))
            continue
        vals: dict[int, list[_Piece]] = {}
        for p in ps:
            if p.x0 >= value_left and _is_value(p):
                k = _column_of(p, cols)
                if k is not None:
                    vals.setdefault(k, []).append(p)
                    continue
            label_pieces.append(p)
        if not vals:
            continue
        row_labels = [p for p in ps if p.x0 < value_left]
        new_label = any(_ENUMERATOR.match(p.text) for p in row_labels)
        if (
            rows
            and not (set(vals) & set(rows[-1].values))
            and not new_label
            and lines[i].top - rows[-1].bottom <= 3.0 * lines[i].size
        ):
            for k, v in vals.items():
                rows[-1].values[k] = v
        else:
            rows.append(_Row(vals))

    # Label columns: where label pieces start (left-aligned cells share an x).
    starts = sorted(p.x0 for p in label_pieces)
    col_x: list[float] = []
    for x in starts:
        if not col_x or x - col_x[-1] > 2.0:
            col_x.append(x)
    # Keep starts used by at least two pieces, and always the leftmost.
    counts = [sum(1 for x in starts if abs(x - cx) <= 2.0) for cx in col_x]
    col_x = [cx for k, (cx, n) in enumerate(zip(col_x, counts)) if n >= 2 or k == 0]

    def label_col(p: _Piece) -> int:
        k = 0
        for j, cx in enumerate(col_x):
            if p.x0 >= cx - 2.0:
                k = j
        return k

    by_col: dict[int, list[_Piece]] = {}
    for p in sorted(label_pieces, key=lambda p: (p.top, p.x0)):
        by_col.setdefault(label_col(p), []).append(p)
    for k, ps in by_col.items():
        right = col_x[k + 1] if k + 1 < len(col_x) else value_left
        groups: list[list[_Piece]] = []
        for p in ps:
            if groups:
                prev = groups[-1][-1]
                full = prev.x1 >= right - FULL_LINE * prev.size
                close = p.top - prev.bottom <= 0.8 * p.size
                if full and close and not _ENUMERATOR.match(p.text):
                    groups[-1].append(p)
                    continue
            groups.append([p])
        for g in groups:
            mid = (g[0].top + g[-1].bottom) / 2
            row = min(rows, key=lambda r: abs(r.mid - mid))
            row.labels.setdefault(k, []).append(g)

    out: list[tuple[str, ...]] = list(header_rows)
    for r in rows:
        cells: list[str] = []
        for k in sorted(r.labels):
            cells.append("\n".join("".join(p.text for p in g) for g in r.labels[k]))
        cells.extend(seg_join(p.text for p in r.values.get(k, [])) for k in range(len(cols)))
        out.append(tuple(cells))
    first, last = lines[region.first], lines[region.last]
    return TableBlock(first.page, first.top, last.bottom, tuple(out))


def text_table(lines: list[Line]) -> TableBlock:
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
        rows.append(tuple(seg_join(c) for c in cells))
    return TableBlock(lines[0].page, lines[0].top, lines[-1].bottom, tuple(rows))


def _label_and_value(line: Line) -> bool:
    """A lone line ``label   number`` (a one-value row of table A cut off by a page break)."""
    segs = line.segments
    return len(segs) == 2 and bool(_NUMBER.match(segs[1][2])) and not _NUMBER.match(segs[0][2])


def page_items(tables: list[TableBlock], lines: list[Line]) -> list[TableBlock | Line]:
    """The page's tables and text lines in reading order (top to bottom).

    Grids of numbers printed without rulings become tables (see the module docstring).
    Of the other lines, consecutive ones with column gaps (two or more runs of text
    separated by at least ``COLUMN_GAP`` em) and no ruled table between them become a
    text-only table.
    """
    items: list[tuple[float, int, TableBlock | Line]] = [(t.top, 0, t) for t in tables]
    in_grid: set[int] = set()
    if lines:
        pieces = _LinePieces(lines)
        for region in _regions(lines, pieces):
            if any(lines[region.first].top <= t.top <= lines[region.last].bottom for t in tables):
                continue  # a ruled table inside: not one grid
            grid = _grid_table(lines, pieces, region)
            items.append((grid.top, 0, grid))
            in_grid.update(range(region.first, region.last + 1))
    run: list[Line] = []

    def end_run() -> None:
        if len(run) >= 2 or (run and _label_and_value(run[0])):
            # The sub-table's caption line just above (第二十条第（五）项) is its first row.
            if items and items[-1][1] == 1:
                above = items[-1][2]
                assert isinstance(above, Line)
                if (run[0].top - above.bottom <= 1.0 * run[0].size and not _ENUMERATOR.match(above.text)
                        and above.x1 <= max(ln.x1 for ln in run) + 1):
                    items.pop()
                    run.insert(0, above)
            items.append((run[0].top, 0, text_table(list(run))))
        else:
            items.extend((ln.top, 1, ln) for ln in run)
        run.clear()

    for i, ln in enumerate(lines):
        if i in in_grid:
            end_run()
            continue
        if run and any(run[-1].bottom <= t.top and t.bottom <= ln.top for t in tables):
            end_run()
        if len(ln.segments) >= 2:
            run.append(ln)
        else:
            end_run()
            items.append((ln.top, 1, ln))
    end_run()
    items.sort(key=lambda it: (it[0], it[1]))
    return [it[2] for it in items]
