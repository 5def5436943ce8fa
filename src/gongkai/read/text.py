"""Plain text and Markdown reader.

Text extractions of reports come in a few shapes (see ``spec/report-format.md``); each
table region is recognised by its shape and turned into a cell grid:

- *cell per line* (text saved from Word): every cell is a line starting with a tab,
  a blank line ends a row, a non-tab line after a single blank continues the cell
  (labels broken across lines: ``自 / 然 / 人``), two blank lines end the table;
- *tab rows* (PDF text): one row per line, cells separated by tabs, blank lines
  inside the table ignored;
- *pipe rows* (Markdown and converted text): ``a | b | c``; ``|---|`` rules skipped;
- *layout columns* (``pdftotext -layout``): cells separated by runs of 2+ spaces.

Everything else is one paragraph per line.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import UnsupportedFile
from .document import Block, Document, Paragraph, Table
from .encoding import decode_text

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]\s*")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_LAYOUT_SPLIT = re.compile(r"\s{2,}|\u3000+")
_PART_HEADING = re.compile(r"^[\s\u3000]*[一二三四五六][、.．]")


def read(data: bytes, path: Path) -> Document:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedFile(path, "not a text file: it contains binary data")
    text, _ = decode_text(data, path)
    kind = "md" if path.suffix.lower() in (".md", ".markdown") else "txt"
    return Document(blocks=tuple(text_to_blocks(text, markdown=kind == "md")), kind=kind)


def text_to_blocks(text: str, markdown: bool = False) -> list[Block]:
    text = _BOOKMARK.sub("", text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", ""))
    lines = text.split("\n")
    blocks: list[Block] = []
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if _is_pipe_row(line):
            i = _pipe_table(lines, i, blocks)
        elif line.startswith("\t") and "\t" not in line[1:] and not _has_tab_rows(lines, i):
            i = _cell_per_line_table(lines, i, blocks)
        elif "\t" in line.strip(" \u3000") or line.count("\t") >= 2:
            i = _tab_table(lines, i, blocks)
        elif _is_layout_row(line):
            i = _layout_table(lines, i, blocks)
        else:
            blocks.append(Paragraph(_clean_paragraph(line, markdown)))
            i += 1
    return [b for b in blocks if not (isinstance(b, Paragraph) and not b.text)]


def _clean_paragraph(line: str, markdown: bool) -> str:
    t = line.strip().strip("\u3000").strip()
    # Markdown marks appear in .txt files too (saved by conversion and OCR tools): a
    # heading's "## " and a bold line's "**" are never report text.
    t = re.sub(r"^#{1,6}\s+", "", t)
    t = re.sub(r"^\*\*(.*)\*\*$", r"\1", t)
    return t


# ---------------------------------------------------------------- cell per line

def _has_tab_rows(lines: list[str], i: int) -> bool:
    """True when the region starting at ``i`` is tab rows that happen to start with a tab."""
    for line in lines[i:i + 12]:
        if line.count("\t") >= 2:
            return True
    return False


def _cell_per_line_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    rows: list[list[str]] = []
    row: list[str] = []
    blanks = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip() and not line.startswith("\t"):
            blanks += 1
            i += 1
            if blanks >= 2:
                break
            continue
        if line.startswith("\t"):
            if blanks and row:
                rows.append(row)
                row = []
            row.append(line[1:].strip())
        else:
            if _PART_HEADING.match(line) or not row:
                break
            row[-1] = (row[-1] + "\n" + line.strip()).strip("\n") if row[-1] else line.strip()
        blanks = 0
        i += 1
    if row:
        rows.append(row)
    if rows:
        blocks.append(Table(tuple(tuple(r) for r in rows)))
    return i


# ---------------------------------------------------------------- tab rows

def _tab_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    rows: list[tuple[str, ...]] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        if "\t" not in line:
            break
        rows.append(tuple(c.strip() for c in line.split("\t")))
        i += 1
    blocks.append(Table(tuple(rows)))
    return i


# ---------------------------------------------------------------- pipe rows

def _is_pipe_row(line: str) -> bool:
    return line.count("|") >= 2


def _pipe_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    rows: list[tuple[str, ...]] = []
    n = len(lines)
    while i < n and _is_pipe_row(lines[i]):
        line = lines[i].strip()
        i += 1
        if _MD_RULE.match(line):
            continue
        cells = line.split("|")
        if line.startswith("|"):
            cells = cells[1:]
        if line.endswith("|"):
            cells = cells[:-1]
        rows.append(tuple(c.strip() for c in cells))
    blocks.append(Table(tuple(rows)))
    return i


# ---------------------------------------------------------------- layout columns

_NUMBER = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")


def _layout_cells(line: str) -> list[str]:
    return [c for c in _LAYOUT_SPLIT.split(line.strip()) if c]


def _is_layout_row(line: str) -> bool:
    cells = _layout_cells(line)
    if len(cells) < 2:
        return False
    # A row of a table: at least one cell is a number (or a dash placeholder).
    return any(_NUMBER.match(c.replace(" ", "")) or c in ("-", "—", "/") for c in cells[1:] + cells[:1])


def _layout_table(lines: list[str], i: int, blocks: list[Block]) -> int:
    rows: list[tuple[str, ...]] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if not line.strip():
            i += 1
            if i < n and not lines[i].strip():
                break  # two blank lines end the table
            continue
        cells = _layout_cells(line)
        if len(cells) < 2 and rows and _PART_HEADING.match(line):
            break
        if len(cells) < 2 and not _is_continuation(line):
            break
        rows.append(tuple(cells))
        i += 1
    blocks.append(Table(tuple(rows)))
    return i


def _is_continuation(line: str) -> bool:
    """A short indented fragment inside a layout table (a wrapped label)."""
    return line.startswith((" ", "\u3000")) and len(line.strip()) <= 12
