"""Parse one file into a canonical :class:`~gongkai.model.Report` (read -> recognise -> check)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .check import check_prose, run_checks
from .errors import UnreadableFile
from .model import Report, ReportProvenance, Sections, Source
from .read import kind_of, read_bytes
from .recognise import recognise


def source_name(path: Path, content_root: Path | None) -> str:
    if content_root is not None:
        try:
            return path.resolve().relative_to(content_root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()


def parse_bytes(data: bytes, path: Path, name: str | None = None) -> Report:
    """Parse a report from its bytes; ``path`` gives the kind (extension) and messages."""
    kind = kind_of(path)
    doc = read_bytes(data, path)
    found = recognise(doc, path)
    checks = run_checks(found.requests, found.review_litigation)
    return Report(
        title=found.title,
        agency=found.agency,
        year=found.year,
        format=found.format,
        source=Source(
            file=name or path.as_posix(),
            sha256=hashlib.sha256(data).hexdigest(),
            kind=kind,
            ocr_pages=doc.ocr_pages,
        ),
        sections=Sections(**found.sections),
        active_disclosure=found.active_disclosure,
        requests=found.requests,
        review_litigation=found.review_litigation,
        checks=tuple(checks),
        warnings=found.warnings,
        flags=tuple(check_prose(found.sections["general"], found.requests)),
        value_notes=found.value_notes,
        provenance=ReportProvenance(found.published.url, found.published.published, found.published.how)
        if found.published else None,
    )


def parse_file(path: Path | str, content_root: Path | None = None) -> Report:
    """Parse one report file.

    Example::

        report = parse_file("content/reports/2023/某局.pdf", content_root=Path("content"))
        report.requests["new"]["total"]
    """
    path = Path(path)
    kind_of(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise UnreadableFile(path, f"cannot open file: {e.strerror or e}") from None
    return parse_bytes(data, path, source_name(path, content_root))
