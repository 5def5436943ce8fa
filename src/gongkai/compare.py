"""Year-over-year differences of one agency: every number of tables A, B and C, and how
much of part 五 (problems and improvements) is reused from the previous report.

A report whose problems section is copied from last year is a finding in itself, so the
reuse is measured (a similarity ratio) and shown as a sentence diff.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from .layouts import COMPARABLE_2019_2021, OTHER_TOTAL_LABEL, SPLIT_OTHER_KEYS, layouts_for
from .model import Number, Report, Value

COPIED_RATIO = 0.9
"""At or above this similarity part 五 counts as copied from the previous year."""
REUSED_RATIO = 0.6
"""At or above this, mostly reused. Two unrelated reports of the genre score about 0.45."""


class Cell(NamedTuple):
    """One number of a report's tables, with its labels from :mod:`gongkai.layouts`.

    A named tuple: a report has ~250 and each comparison reads two reports' — a frozen
    dataclass's ``__init__`` (a setattr per field) was most of the comparisons' time."""

    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    value: Value
    row_printed: bool = True
    """False for a row the report does not print (e.g. the other form of （六）其他处理)."""


@lru_cache(maxsize=None)
def _rows(fmt: str) -> tuple[tuple[str, str, bool, tuple[tuple[str, str, str], ...]], ...]:
    """Every row of a layout in order: (table, row, single, its (column, row label, column label)s)."""
    return tuple((layout.key, row.key, row.single, tuple((col.key, row.label, col.label) for col in layout.columns_of(row)))
                 for layout in layouts_for(fmt) for row in layout.rows)


@lru_cache(maxsize=None)
def _places(fmt: str) -> tuple[tuple[str, str, str, str, str, bool], ...]:
    """Every cell of a layout in order: (table, row, column, row label, column label, single)."""
    return tuple((table, row, column, row_label, column_label, single)
                 for table, row, single, columns in _rows(fmt) for column, row_label, column_label in columns)


def iter_cells(report: Report) -> Iterator[Cell]:
    """Every cell of tables A, B and C in layout order; an unprinted row yields blanks.

    Single-value rows of table A (2021 行政许可 …) are scalars in the report; their one
    column is ``value``.
    """
    for table, row, column, row_label, column_label, single in _places(report.format):
        raw = getattr(report, table).get(row)
        # A single-value row cannot tell "blank" from "not printed": counted as printed.
        yield Cell(table, row, column, row_label, column_label, figure(raw, column, single), raw is not None or single)


def figure(raw: Any, column: str, single: bool) -> Value:
    """One figure of a report's table row ``raw`` (``report.<table>.get(row)``; ``single``:
    the row's one value, a scalar in the report); blank, or an unprinted row: None."""
    if isinstance(raw, dict):
        return raw.get(column)
    return raw if single else None


@dataclass(frozen=True, slots=True)
class CellChange:
    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    previous: Value
    current: Value

    @property
    def absolute(self) -> Number | None:
        if self.previous is None or self.current is None:
            return None
        d = self.current - self.previous
        return round(d, 6) if isinstance(d, float) else d

    @property
    def relative(self) -> float | None:
        """Change as a fraction of the previous value; None when that is 0 or blank."""
        if self.absolute is None or not self.previous:
            return None
        return self.absolute / self.previous


@dataclass(frozen=True, slots=True)
class DiffLine:
    op: Literal["same", "removed", "added"]
    text: str


@dataclass(frozen=True, slots=True)
class ProseChange:
    ratio: float
    """difflib similarity of the two texts (white space ignored), 0..1."""
    reused_sentences: int
    """Sentences of the current text printed word for word last year."""
    sentences: int
    """Sentences of the current text."""
    lines: tuple[DiffLine, ...]

    @property
    def verdict(self) -> Literal["copied", "reused", "rewritten", "empty"]:
        if not self.sentences:
            return "empty"
        if self.ratio >= COPIED_RATIO:
            return "copied"
        return "reused" if self.ratio >= REUSED_RATIO else "rewritten"


@dataclass(frozen=True, slots=True)
class YearChange:
    """The differences of one report from the agency's previous report."""

    previous: Report
    current: Report
    cells: tuple[CellChange, ...]
    """Every number printed non-zero in either year, in layout order."""
    problems: ProseChange
    not_comparable: tuple[str, ...] = ()
    """Table A figures of one layout with no counterpart of the same meaning in the other
    (only when the two reports use different layouts)."""

    @property
    def layout_changed(self) -> bool:
        return self.previous.format != self.current.format

    @property
    def changed(self) -> list[CellChange]:
        return [c for c in self.cells if c.previous != c.current]


def compare_reports(previous: Report, current: Report) -> YearChange:
    """Compare two reports of one agency (any two years, any layouts).

    Across the 2019 -> 2021 layout change only what means the same is compared: tables
    B and C, and table A's decision counts (:data:`~gongkai.layouts.COMPARABLE_2019_2021`);
    the rest of table A is named in ``not_comparable``. A single （六）其他处理 row is
    compared with the sum of the three split rows when the two reports differ in that.

    Example::

        change = compare_reports(report_2022, report_2023)
        [(c.row_label, c.previous, c.current) for c in change.changed]
    """
    problems = compare_prose(previous.sections.problems, current.sections.problems)
    if previous.format == current.format and _single_other(previous) == _single_other(current):
        # The common case: the same cells in both, walked once, row by row.
        return YearChange(previous, current, _same_layout_changes(previous, current), problems)
    cells, not_comparable = _changes(previous, current)
    return YearChange(previous, current, cells, problems, not_comparable)


def _changes(previous: Report, current: Report) -> tuple[tuple[CellChange, ...], tuple[str, ...]]:
    """compare_reports' cells for any two reports, and what cannot be compared."""
    before = {(c.table, c.row, c.column): c for c in iter_cells(previous)}
    after = list(iter_cells(current))
    not_comparable: list[str] = []
    if previous.format != current.format:
        before, after, not_comparable = _across_layouts(previous, before, after)
    before, after = _align_other_rows(previous, current, before, after)
    # Zero or blank in both years: left out.
    cells: list[CellChange] = []
    seen = set()
    for c in after:
        key = (c.table, c.row, c.column)
        seen.add(key)
        p = before.get(key)
        was = p.value if p else None
        if was or c.value:
            cells.append(CellChange(c.table, c.row, c.column, c.row_label, c.column_label, was, c.value))
    # Cells only the previous report has stay visible as dropped.
    cells += [CellChange(p.table, p.row, p.column, p.row_label, p.column_label, p.value, None)
              for key, p in before.items() if p.value and key not in seen]
    return tuple(cells), tuple(not_comparable)


def _single_other(report: Report) -> bool:
    """Whether the report prints the single （六）其他处理 row (not the three split ones)."""
    return report.requests.get("other") is not None


def _same_layout_changes(previous: Report, current: Report) -> tuple[CellChange, ...]:
    """compare_reports' cells for two reports of one layout and one form of （六）: every
    cell printed non-zero in either, in layout order (what iter_cells of both would give,
    without a Cell per cell of each)."""
    cells: list[CellChange] = []
    for table, row, single, columns in _rows(current.format):
        was_row = getattr(previous, table).get(row)
        now_row = getattr(current, table).get(row)
        if was_row is None and now_row is None:
            continue
        if isinstance(was_row, dict) and isinstance(now_row, dict):  # most rows: printed in both
            for column, row_label, column_label in columns:
                was, now = was_row.get(column), now_row.get(column)
                if was or now:
                    cells.append(CellChange(table, row, column, row_label, column_label, was, now))
            continue
        for column, row_label, column_label in columns:
            was = figure(was_row, column, single)
            now = figure(now_row, column, single)
            if was or now:
                cells.append(CellChange(table, row, column, row_label, column_label, was, now))
    return tuple(cells)


def _across_layouts(
    previous: Report, before: dict[tuple[str, str, str], Cell], after: list[Cell]
) -> tuple[dict[tuple[str, str, str], Cell], list[Cell], list[str]]:
    """Keep tables B and C and table A's comparable figures; name the rest of table A."""
    mapping = COMPARABLE_2019_2021 if previous.format == "2019" else {v: k for k, v in COMPARABLE_2019_2021.items()}
    targets = set(mapping.values())
    dropped: list[str] = []
    kept_before: dict[tuple[str, str, str], Cell] = {}
    for key, c in before.items():
        if key[0] != "active_disclosure":
            kept_before[key] = c
        elif key in mapping:
            kept_before[mapping[key]] = c
        else:
            dropped.append(f"{previous.year}年表二 {c.row_label}·{c.column_label}")
    kept_after = []
    for c in after:
        if c.table != "active_disclosure" or (c.table, c.row, c.column) in targets:
            kept_after.append(c)
        else:
            dropped.append(f"本年表二 {c.row_label}·{c.column_label}")
    return kept_before, kept_after, dropped


def _align_other_rows(
    previous: Report, current: Report, before: dict[tuple[str, str, str], Cell], after: list[Cell]
) -> tuple[dict[tuple[str, str, str], Cell], list[Cell]]:
    """When one report prints the single （六） row and the other the three split rows,
    compare the single row with the sum of the three (blank when any of them is)."""
    single_before = _single_other(previous)
    single_after = _single_other(current)
    if single_before == single_after:
        return before, after

    def merged(cells: list[Cell]) -> list[Cell]:
        out: list[Cell] = []
        split: dict[str, list[Value]] = {}
        for c in cells:
            if c.table == "requests" and c.row in SPLIT_OTHER_KEYS:
                split.setdefault(c.column, []).append(c.value)
                if c.row == SPLIT_OTHER_KEYS[-1]:
                    values = split[c.column]
                    total = None if any(v is None for v in values) else sum(values)  # type: ignore[arg-type]
                    out.append(Cell("requests", "other", c.column, OTHER_TOTAL_LABEL, c.column_label, total))
                continue
            if c.table == "requests" and c.row == "other":
                continue  # the unprinted single row of a split report
            out.append(c)
        return out

    if single_before:
        after = merged(after)
    else:
        before = {(c.table, c.row, c.column): c for c in merged(list(before.values()))}
    return before, after


_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


def split_sentences(text: str) -> list[str]:
    """Sentences of Chinese prose. White space is removed first: extracted text breaks
    lines (and pages) in mid-sentence, so line ends say nothing about sentences."""
    return [s for s in _SENTENCE_END.split(re.sub(r"\s+", "", text)) if s]


def compare_prose(previous: str, current: str) -> ProseChange:
    a, b = split_sentences(previous), split_sentences(current)
    if a == b:  # copied whole (common): what difflib would find, without its matching
        return ProseChange(1.0, len(b), len(b), tuple(DiffLine("same", s) for s in b))
    # Character level for the ratio; autojunk off, or the common characters of official
    # prose (的, 公, 开) would be discarded as junk and the ratio would understate reuse.
    ratio = difflib.SequenceMatcher(None, "".join(a), "".join(b), autojunk=False).ratio()
    lines: list[DiffLine] = []
    reused = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            lines += [DiffLine("same", s) for s in b[j1:j2]]
            reused += j2 - j1
        else:
            lines += [DiffLine("removed", s) for s in a[i1:i2]]
            lines += [DiffLine("added", s) for s in b[j1:j2]]
    return ProseChange(round(ratio, 4), reused, len(b), tuple(lines))
