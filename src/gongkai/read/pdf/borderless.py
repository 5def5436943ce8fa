"""Tables printed without rulings, rebuilt from the text's geometry.

(filled in below)
"""

from __future__ import annotations

from .lines import Line, TextBlock, seg_join
from .rulings import TableBlock


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


def page_items(tables: list[TableBlock], lines: list[Line], tb: TextBlock) -> list[TableBlock | Line]:
    """The page's tables and text lines in reading order (top to bottom).

    Consecutive lines with column gaps (two or more runs of text separated by at least
    ``COLUMN_GAP`` em) and no ruled table between them become a text-only table.
    """
    items: list[tuple[float, int, TableBlock | Line]] = [(t.top, 0, t) for t in tables]
    run: list[Line] = []

    def end_run() -> None:
        if len(run) >= 2:
            items.append((run[0].top, 0, text_table(list(run))))
        else:
            items.extend((ln.top, 1, ln) for ln in run)
        run.clear()

    for ln in lines:
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
