"""What every recognition step shares: a printed row, the warnings and value notes
collected on the way, label similarity, and the thresholds they are judged by."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from ..model import ValueNote
from ..normalise import is_blank_cell, label_key
from ..read.document import CellMark

MATCH_THRESHOLD = 0.5
"""Least label similarity (0..1) for a printed table B row to be aligned to a layout row."""

ROW_MATCH_THRESHOLD = 0.75
"""Least similarity for a table A row, or a value-less table B row, to be taken as a layout row
(no order constraint helps there, so it must be clearly the row)."""

HEADING_SIMILARITY = 0.7
"""Least similarity of a heading's words to a part's title words."""


@dataclass
class Row:
    """A table row split into its label (the text cells) and its value cells."""

    labels: list[str]
    values: list[str]
    block: int
    marks: list[CellMark | None] = field(default_factory=list)
    """Parallel to ``values`` where the reader marked cells (OCR); empty otherwise."""
    glued: bool = False
    """The row comes from running text (a web page's text extraction): each value is a
    run of digits that may hold several cells run together."""

    @property
    def label(self) -> str:
        return "".join(self.labels)

    @property
    def key(self) -> str:
        return label_key(self.label)

    @property
    def has_number(self) -> bool:
        return any(not is_blank_cell(v) for v in self.values)

    def mark(self, index: int) -> CellMark | None:
        return self.marks[index] if 0 <= index < len(self.marks) else None


@dataclass
class Context:
    """Warnings and value notes of one report, in the order they were found."""

    warnings: list[str] = field(default_factory=list)
    notes: list[ValueNote] = field(default_factory=list)
    _seen: set[object] = field(default_factory=set, init=False, repr=False, compare=False)
    """The warnings and notes already kept: a list's ``in`` made a report with a few
    hundred OCR'd cells quadratic (a million comparisons over the fixtures)."""

    def __post_init__(self) -> None:
        self._seen.update(self.warnings, self.notes)

    def warn(self, message: str) -> None:
        if message not in self._seen:
            self._seen.add(message)
            self.warnings.append(message)

    def note(self, note: ValueNote) -> None:
        if note not in self._seen:
            self._seen.add(note)
            self.notes.append(note)


@lru_cache(maxsize=65536)
def similar(a: str, b: str) -> float:
    """Similarity 0..1 of two normalised labels. Cached: the same printed labels and
    headings recur in every report, so a corpus pays for each distinct pair once."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
