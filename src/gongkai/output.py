"""One door for every file a build writes: it refuses to write a path twice (Pelican's
``_open_w``), so two pages or data files can never silently overwrite each other."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TextIO

from zlib_ng import gzip_ng

GZIP_LEVEL = 7
"""For the bulk data files, compressed by zlib-ng (the same gzip format, read by every
gzip reader). Measured on 1,000 text reports (46.8 MB cells.csv, 21.6 MB reports.jsonl):
zlib-ng at 7 took 0.12 + 0.08 s for 2.18 + 1.39 MB; the standard library's zlib at its
6 took 0.27 + 0.16 s for 2.15 + 1.39 MB, and at 9 0.35 + 0.23 s for 2.14 + 1.35 MB."""


class OutputCollision(Exception):
    """Two things of one build want the same output path: a bug, never a user error."""


class Output:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: set[str] = set()

    def _target(self, rel: str) -> Path:
        if rel in self.written:
            raise OutputCollision(f"{self.root / rel} written twice in one build")
        if rel.startswith("/") or ".." in rel.split("/"):
            raise OutputCollision(f"{rel!r} is not a path inside {self.root}")
        self.written.add(rel)
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def write_text(self, rel: str, text: str) -> None:
        # newline="\n": byte-identical output on every platform.
        with self._target(rel).open("w", encoding="utf-8", newline="\n") as f:
            f.write(text)

    @contextmanager
    def open_text(self, rel: str, *, gzipped: bool = False) -> Iterator[TextIO]:
        """A text file written piece by piece: the bulk data files of 10,000 reports are
        hundreds of MB, too much to build as one string first."""
        with self._target(rel).open("wb") as raw:
            # No name and mtime 0 in the gzip header, so two builds give the same bytes.
            stream: IO[bytes] = raw
            if gzipped:
                stream = gzip_ng.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,  # type: ignore[assignment]
                                          compresslevel=GZIP_LEVEL)
            with io.TextIOWrapper(stream, encoding="utf-8", newline="\n") as f:
                yield f

    def write_bytes(self, rel: str, data: bytes) -> None:
        self._target(rel).write_bytes(data)

    def copy(self, source: Path, rel: str) -> None:
        shutil.copyfile(source, self._target(rel))
