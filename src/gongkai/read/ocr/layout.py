"""Text boxes and ruled grids of one page -> the page's blocks (paragraphs and tables).

A text box belongs to the cell that holds its centre. A cell's text is its boxes in
reading order, one ``"\\n"`` per printed line, as the text readers give it. Boxes
outside every table are grouped into lines, and lines into paragraphs (a paragraph
starts at an indent or after a line that stops short of the right margin).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ..document import Block, CellMark, Paragraph, Table
from .engine import TextBox
from .grid import Cell, Grid

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_END = re.compile(r"[0-9A-Za-z.,%]$")
_LATIN_START = re.compile(r"^[0-9A-Za-z.,%]")
_DIGIT = re.compile(r"\d")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*\d{1,3}[-—–\s]*$|^第\s*\d+\s*页")
_HEADING = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")


@dataclass(frozen=True, slots=True)
class CellReading:
    """What OCR made of one table cell."""

    text: str
    confidence: float | None
    """The least confident box in the cell; ``None`` for a cell with no text."""
    ink: bool
    """The cell's interior carries marks (so an empty reading is suspicious)."""
    narrow: bool = False
    """A box of the cell is taller than wide (a lone "1"): the engine turns such a crop
    on its side before reading it, so the reading needs a second look."""


def _lines(boxes: Sequence[TextBox]) -> list[list[TextBox]]:
    """Boxes grouped into printed lines (overlapping vertically), top to bottom."""
    out: list[list[TextBox]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        if out:
            last = out[-1]
            top = min(x.y0 for x in last)
            bottom = max(x.y1 for x in last)
            overlap = min(bottom, b.y1) - max(top, b.y0)
            if overlap > 0.5 * min(b.height, bottom - top):
                last.append(b)
                continue
        out.append([b])
    return [sorted(line, key=lambda b: b.x0) for line in out]


def _join(line: Sequence[TextBox]) -> str:
    """A line's boxes as text: a space only between two Latin/digit runs apart."""
    text = ""
    prev: TextBox | None = None
    for b in line:
        t = b.text.strip()
        if prev is not None and text and _LATIN_END.search(text) and _LATIN_START.search(t) \
                and b.x0 - prev.x1 > 0.3 * b.height:
            text += " "
        text += t
        prev = b
    return text


def is_label(text: str) -> bool:
    """A row or column label (Chinese words), not a value: its misreading is fuzzy-matched."""
    return len(_CJK.findall(text)) >= 2


def read_cell(boxes: Sequence[TextBox], ink: bool) -> CellReading:
    if not boxes:
        return CellReading("", None, ink)
    text = "\n".join(_join(line) for line in _lines(boxes))
    narrow = any(b.height >= 1.5 * b.width for b in boxes)
    return CellReading(text, min(b.score for b in boxes), ink, narrow)


def cell_of(grid: Grid, b: TextBox) -> Cell | None:
    """The cell holding the centre of ``b`` (else the one it overlaps most)."""
    best, area = None, 0.0
    for c in grid.cells:
        if c.x0 <= b.cx <= c.x1 and c.y0 <= b.cy <= c.y1:
            return c
        ov = max(0.0, min(c.x1, b.x1) - max(c.x0, b.x0)) * max(0.0, min(c.y1, b.y1) - max(c.y0, b.y0))
        if ov > area:
            best, area = c, ov
    return best


def has_ink(bw: np.ndarray, c: Cell, dpi: float) -> bool:
    """The cell's interior (its rules trimmed off) carries at least a dot's worth of ink."""
    inset = max(int(0.03 * dpi), 3)
    inner = bw[c.y0 + inset:c.y1 - inset, c.x0 + inset:c.x1 - inset]
    if inner.size == 0:
        return False
    # A printed "0" at 10.5 pt covers ~40 pixels at 150 dpi; noise specks a few.
    return int((inner > 0).sum()) >= (0.05 * dpi) ** 2


def grid_readings(grid: Grid, boxes: Sequence[TextBox], bw: np.ndarray, dpi: float) -> list[list[tuple[Cell, CellReading]]]:
    """Each row of the grid (as :meth:`Grid.rows_of_cells`) with each cell's reading."""
    by_cell: dict[Cell, list[TextBox]] = {}
    for b in boxes:
        c = cell_of(grid, b)
        if c is not None:
            by_cell.setdefault(c, []).append(b)
    return [[(c, read_cell(by_cell.get(c, ()), has_ink(bw, c, dpi))) for c in row] for row in grid.rows_of_cells()]


def table_from_readings(rows: Sequence[Sequence[CellReading]]) -> Table:
    return Table(
        rows=tuple(tuple(r.text for r in row) for row in rows),
        marks=tuple(tuple(CellMark("ocr", r.confidence) for r in row) for row in rows),
    )


def paragraphs(boxes: Sequence[TextBox]) -> list[tuple[float, Paragraph]]:
    """Text outside the tables as paragraphs, each with its top y (for ordering)."""
    lines = [line for line in _lines(boxes)]
    texts = [(_join(line), line) for line in lines]
    texts = [(t, line) for t, line in texts if t and not _PAGE_NUMBER.match(t)]
    if not texts:
        return []
    left = min(line[0].x0 for _, line in texts)
    right = max(line[-1].x1 for _, line in texts)
    out: list[tuple[float, Paragraph]] = []
    cur: list[str] = []
    cur_top = 0.0
    prev_short = True
    for t, line in texts:
        h = float(np.median([b.height for b in line]))
        indented = line[0].x0 - left > 1.2 * h
        if cur and (indented or prev_short or _HEADING.match(t)):
            out.append((cur_top, Paragraph("".join(cur))))
            cur = []
        if not cur:
            cur_top = min(b.y0 for b in line)
        cur.append(t)
        prev_short = right - line[-1].x1 > 2 * h
    if cur:
        out.append((cur_top, Paragraph("".join(cur))))
    return out


def page_blocks(tables: Sequence[tuple[Grid, Table]], prose: Sequence[tuple[float, Paragraph]]) -> tuple[Block, ...]:
    """Tables and paragraphs in reading order (top to bottom)."""
    items: list[tuple[float, int, Block]] = [(float(g.y0), 0, t) for g, t in tables]
    items += [(y, 1, p) for y, p in prose]
    items.sort(key=lambda it: (it[0], it[1]))
    return tuple(b for _, _, b in items)


def has_digit(text: str) -> bool:
    return bool(_DIGIT.search(text))


_CLEAN_NUMBER = re.compile(r"^[-+]?\d{1,3}(,?\d{3})*(\.\d+)?$|^[-+]?\d+(\.\d+)?$")
_STRAY_END = re.compile(r"[.,，。·、:：;；'`\s]+$")
_STRAY_START = re.compile(r"^[.,，。·、:：;；'`\s]+")


def clean_value(text: str) -> str:
    """A value cell's reading without stray marks at its ends (a speck read as a dot
    after the digits); the digits themselves are never changed."""
    t = "".join(unicodedata.normalize("NFKC", text).split())
    return _STRAY_START.sub("", _STRAY_END.sub("", t))


def is_clean_number(text: str) -> bool:
    return bool(_CLEAN_NUMBER.match(text))


def value_crop(grey: np.ndarray, bw: np.ndarray, c: Cell, dpi: float) -> np.ndarray | None:
    """The ink of a value cell, rules and specks trimmed, on a paper margin wide enough
    that the recogniser reads it as a line (a narrow "1" is not turned on its side)."""
    inset = max(int(0.03 * dpi), 3)
    y0, y1, x0, x1 = c.y0 + inset, c.y1 - inset, c.x0 + inset, c.x1 - inset
    if y1 <= y0 or x1 <= x0:
        return None
    ink = bw[y0:y1, x0:x1]
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    min_area = (0.02 * dpi) ** 2  # dust; a printed decimal point is larger
    keep = [i for i in range(1, n) if stats[i, cv2.CC_STAT_AREA] >= min_area]
    if not keep:
        return None
    ix0 = min(stats[i, 0] for i in keep)
    iy0 = min(stats[i, 1] for i in keep)
    ix1 = max(stats[i, 0] + stats[i, 2] for i in keep)
    iy1 = max(stats[i, 1] + stats[i, 3] for i in keep)
    crop = grey[y0 + iy0:y0 + iy1, x0 + ix0:x0 + ix1]
    h, w = crop.shape
    pad_y = max(h // 3, 4)
    pad_x = max((2 * (h + 2 * pad_y) - w) // 2, pad_y)
    paper = int(np.percentile(grey[y0:y1, x0:x1], 90))
    return cv2.copyMakeBorder(crop, pad_y, pad_y, pad_x, pad_x, cv2.BORDER_CONSTANT, value=paper)
