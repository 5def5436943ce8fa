"""Readers: one per file kind, each turning a file into a :class:`Document`.

A reader is a function ``read(data: bytes, path: Path) -> Document`` that raises
:class:`~gongkai.errors.GongkaiError` subclasses for files it cannot read. The
registry maps file extensions to readers; :func:`read_document` picks one, after
checking that the bytes really are of that kind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import UnreadableFile, UnsupportedFile
from .document import Block, CellMark, Document, Paragraph, Table

Reader = Callable[[bytes, Path], Document]

EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".doc": "docx",
    ".html": "html",
    ".htm": "html",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
}
"""Extension -> schema ``source.kind``."""


def _reader(kind: str, suffix: str = "") -> Reader:
    # Imported lazily: PDFium and python-docx take time to load and not every
    # build needs both.
    if suffix == ".doc":
        from .doc import read
    elif kind == "pdf":
        from .pdf import read
    elif kind == "docx":
        from .docx import read
    elif kind == "html":
        from .html import read
    else:
        from .text import read
    return read


def kind_of(path: Path) -> str:
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None:
        raise UnsupportedFile(path, f"unsupported file type {path.suffix or '(no extension)'!r}; "
                              f"gongkai reads {', '.join(sorted(set(EXTENSIONS)))}")
    return kind


def read_bytes(data: bytes, path: Path) -> Document:
    """Read a document from bytes, dispatching on the path's extension."""
    kind = kind_of(path)
    if not data.strip():
        raise UnreadableFile(path, "empty file")
    return _reader(kind, path.suffix.lower())(data, path)


def read_document(path: Path) -> Document:
    """Read a file into a :class:`Document`.

    Example::

        doc = read_document(Path("content/reports/2023/某局.pdf"))
    """
    kind_of(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableFile(path, f"cannot open file: {e.strerror or e}") from None
    return read_bytes(data, path)


__all__ = ["Block", "CellMark", "Document", "Paragraph", "Table", "read_document", "read_bytes", "kind_of", "EXTENSIONS"]
