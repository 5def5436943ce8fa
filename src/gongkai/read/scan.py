"""Pages without a text layer (scans, "图片版" PDFs): the OCR path.

The PDF reader hands every page that has images but no text to
:func:`read_scanned_pages`. Until OCR is built this refuses, as the reader always did;
the OCR issue replaces the body, keeping the signature.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableFile
from .document import Block


@dataclass(frozen=True, slots=True)
class ScannedPages:
    blocks_by_page: dict[int, tuple[Block, ...]]
    """1-based page number -> the blocks read from its image, in reading order."""
    warnings: tuple[str, ...] = field(default=())


def read_scanned_pages(data: bytes, path: Path, pages: Sequence[int]) -> ScannedPages:
    """Read the given 1-based pages of the PDF ``data`` from their images."""
    raise UnreadableFile(
        path,
        "no text layer: the PDF is a scanned image; OCR is not supported yet — "
        "put a .txt transcription beside it instead",
    )
