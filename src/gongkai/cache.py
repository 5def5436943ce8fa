"""Parse cache: a file's result keyed by its content hash and the parser's version.

A rebuild parses only new or changed files. The version is derived from the parser's
own source code, so any change to reading, recognition or checks invalidates every
entry without anyone having to remember to bump a number.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
import json
import os
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .jsonenc import dumps_bytes

_OCR_PACKAGES = ("rapidocr", "onnxruntime", "opencv-python-headless", "pypdfium2")

# Modules whose code decides a parse result.
_PARSER_SOURCES = ("read", "recognise", "normalise.py", "layouts.py", "check.py", "parse.py", "model.py",
                   "limits.py", "schema")


@lru_cache(maxsize=1)
def parser_version() -> str:
    """``<package version>-<hash of the parser's source files>``."""
    root = Path(__file__).parent
    h = hashlib.sha256()
    for name in _PARSER_SOURCES:
        p = root / name
        files = sorted(p.rglob("*")) if p.is_dir() else [p]
        for f in files:
            if f.is_file() and f.suffix in (".py", ".json"):
                h.update(f.relative_to(root).as_posix().encode())
                h.update(f.read_bytes())
    # OCR results depend on the engine and its models too, which come with these packages.
    for package in _OCR_PACKAGES:
        try:
            h.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=none".encode())
    return f"{__version__}-{h.hexdigest()[:12]}"


class ParseCache:
    """Results stored as ``<root>/<version>/<sha256[:2]>/<sha256>.json``.

    An entry is its digest line, then ``{"report": {...}}`` (the report without its ``source.file``, which
    depends on where the file lies) or ``{"error": {"kind": ..., "reason": ...}}``.
    Entries of other parser versions are removed by :meth:`prune`.
    """

    def __init__(self, root: Path, version: str | None = None) -> None:
        self.root = Path(root)
        self.version = version or parser_version()
        self.dir = self.root / self.version

    def _path(self, sha256: str) -> Path:
        return self.dir / sha256[:2] / f"{sha256}.json"

    def get(self, sha256: str) -> dict[str, Any] | None:
        """The entry, or None when it is missing or damaged (then the file is parsed again).

        An entry is its SHA-256 on the first line, then its JSON: a truncated, damaged or
        hand-edited entry fails the digest and is never trusted, whatever JSON it holds."""
        entry = self._read(self._path(sha256))
        ok = isinstance(entry, dict) and (isinstance(entry.get("report"), dict) or isinstance(entry.get("error"), dict))
        return entry if ok else None

    def _read(self, path: Path) -> Any:
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        digest, _, body = raw.partition(b"\n")
        if digest.decode("ascii", "replace") != hashlib.sha256(body).hexdigest():
            return None
        try:
            return json.loads(body)  # not orjson's (see jsonenc)
        except ValueError:
            return None

    def put(self, sha256: str, entry: dict[str, Any]) -> None:
        self._write(self._path(sha256), entry)

    def _write(self, path: Path, entry: Any) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename: a killed writer leaves the old entry or the new one, never a
        # half-written one under the entry's name. No fsync per entry (thousands of them):
        # what a power cut may leave empty fails the digest in get() and is parsed again.
        body = dumps_bytes(entry)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get_named(self, name: str) -> Any:
        """A named entry (not a file's: :meth:`put_named`), or None when missing or damaged."""
        return self._read(self.dir / f"{name}.json")

    def put_named(self, name: str, data: Any) -> None:
        self._write(self.dir / f"{name}.json", data)

    def prune(self) -> None:
        """Remove entries written by other parser versions."""
        if not self.root.is_dir():
            return
        for child in self.root.iterdir():
            if child.is_dir() and child.name != self.version:
                shutil.rmtree(child, ignore_errors=True)
        # Temporary files of writers killed before their rename (an hour old: a build into
        # another folder may be writing with the same cache right now).
        for tmp in [*self.dir.glob("*/*.tmp"), *self.dir.glob("*.tmp")]:
            try:
                if time.time() - tmp.stat().st_mtime > 3600:
                    tmp.unlink()
            except OSError:
                pass
