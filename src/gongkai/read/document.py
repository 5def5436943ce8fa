"""The reader's output: a document as ordered blocks of paragraphs and tables.

Every reader (PDF, DOCX, HTML, text) produces a :class:`Document`; the recogniser
sees nothing else of the source file. Tables are plain grids of cell texts.

Conventions every reader follows, so recognition works the same for all:

- ``Table.rows`` holds rows top to bottom, each a tuple of cell texts left to right.
- A cell covered by a merge (the repeated part of a horizontal ``gridSpan``/``colspan``,
  or a vertical-merge continuation) is *omitted*, so a merged value is never read twice.
  A genuinely empty cell is ``""``.
- Text inside a cell keeps its line breaks as ``"\\n"`` (labels broken across lines).
- A table that continues across a page break may arrive as two tables; the recogniser
  joins them.
- Paragraph text is one logical paragraph (hard-wrapped lines of a PDF joined).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class CellMark:
    """How a reader got one cell's text when that is not plain text extraction."""

    how: str
    """``"ocr"``: recognised from a page image."""
    confidence: float | None = None
    """The engine's confidence in 0..1, where it gives one."""


@dataclass(frozen=True, slots=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    marks: tuple[tuple[CellMark | None, ...], ...] | None = None
    """Parallel to ``rows`` (same shape) where the reader knows how cells were read;
    ``None`` for a table read from a text layer. The recogniser turns the mark of every
    cell it takes a value from into a :class:`~gongkai.model.ValueNote`."""


Block = Paragraph | Table


@dataclass(frozen=True, slots=True)
class Document:
    blocks: tuple[Block, ...]
    kind: str
    """File kind as in the schema: pdf, docx, html, txt, md."""
    warnings: tuple[str, ...] = field(default=())
    """What the reader noticed and could not settle (e.g. an unreadable page)."""
    ocr_pages: tuple[int, ...] = field(default=())
    """1-based numbers of the pages whose text came from OCR of a page image."""
    page_url: str = ""
    """The page's own address as its HTML declares it (canonical link, ``og:url``, a CMS's
    ``<meta name="Url">``); "" for other formats."""
    page_dates: tuple[tuple[str, str], ...] = field(default=())
    """Publication dates the page's metadata declares, best first, as (where, text):
    ``('<meta name="PubDate">', '2026-01-23 15:13')``. Checked by the recogniser."""

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def text(self) -> str:
        """All text, tables flattened row by row (for keyword checks and debugging)."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.text)
            else:
                out.extend("\t".join(r) for r in b.rows)
        return "\n".join(out)
