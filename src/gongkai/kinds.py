"""The file kinds as the site half names them, in one table: the schema's ``source.kind``,
the label pages print, the name the duplicate rule uses, and (by their order) which copy
of a report is published when one agency's year comes in several files.

Extensions and readers stay with the readers (``read.EXTENSIONS``, ``read._reader``):
the extensions of a kind are looked up there, not retyped.
"""

from __future__ import annotations

from dataclasses import dataclass

from .read import EXTENSIONS


@dataclass(frozen=True, slots=True)
class FileKind:
    kind: str
    """``Report.source.kind``."""
    label: str
    """On the pages: 原始文件（PDF）."""
    name: str
    """In the duplicate rule's text."""

    @property
    def extensions(self) -> tuple[str, ...]:
        return tuple(ext for ext, kind in EXTENSIONS.items() if kind == self.kind)


KINDS: tuple[FileKind, ...] = (
    FileKind("pdf", "PDF", "PDF"),
    FileKind("docx", "DOCX", "DOCX"),
    FileKind("html", "HTML", "HTML"),
    FileKind("md", "MD", "Markdown"),
    FileKind("txt", "TXT", "纯文本"),
)
"""In the order a copy is preferred among equally clean ones: the agency's own document
before a web page or a text extraction of it."""

_BY_KIND = {k.kind: k for k in KINDS}


def preference(kind: str) -> int:
    """The rank of a kind among copies of one report (lower is published); unknown last."""
    return KINDS.index(_BY_KIND[kind]) if kind in _BY_KIND else len(KINDS)


def label(kind: str) -> str:
    return _BY_KIND[kind].label if kind in _BY_KIND else kind.upper()
