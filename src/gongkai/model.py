"""The canonical parsed report: frozen dataclasses mirroring ``spec/report.schema.json``.

Tables are kept as plain mappings keyed by the layout keys of :mod:`gongkai.layouts`
(row key -> column key -> value), exactly the JSON shape of the schema, so the layouts
stay the single definition of rows and columns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, Literal

SCHEMA_VERSION = 1

Number = int | float
Value = Number | None
RequestRow = dict[str, Value]
Kind = Literal["pdf", "docx", "html", "txt", "md"]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def scalar_dict(obj: Any) -> dict[str, Any]:
    """``dataclasses.asdict`` for a dataclass whose fields are all scalars (str, numbers,
    None): the same dict, without asdict's recursive deep copy (~30 µs a call, 23,000
    calls in writing 1,000 reports' data files)."""
    return {name: getattr(obj, name) for name in _field_names(type(obj))}


@dataclass(frozen=True, slots=True)
class Source:
    file: str
    """Path of the input file, relative to the content folder (POSIX separators)."""
    sha256: str
    kind: str
    ocr_pages: tuple[int, ...] = ()
    """Pages read by OCR from a page image (1-based); empty for a text file."""


@dataclass(frozen=True, slots=True)
class ValueNote:
    """How one published value was obtained when it was not plainly printed and read."""

    table: str
    """active_disclosure, requests or review_litigation."""
    row: str
    column: str
    how: str
    """``ocr`` (read from a page image), ``arithmetic`` (digits run together in the
    source, split where the table's own arithmetic allows exactly one split) or
    ``remark`` (the cell printed a remark beside the number; the remark is ``note``)."""
    confidence: float | None = None
    """OCR confidence in 0..1, where the engine gives one."""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Sections:
    general: str = ""
    """Part 一 总体情况, paragraphs separated by a blank line."""
    problems: str = ""
    """Part 五 存在的主要问题及改进情况."""
    other: str = ""
    """Part 六 其他需要报告的事项."""


@dataclass(frozen=True, slots=True)
class Check:
    """One evaluated arithmetic rule at one place (a row, a column or a group)."""

    rule: str
    passed: bool
    table: str
    """requests or review_litigation."""
    where: str
    """The row key (row rules), column key (column rules) or group key (table C)."""
    expected: Number
    """What the rule computes from the other cells."""
    found: Number
    """What the report prints in the checked cell."""
    cell: tuple[str, str]
    """(row key, column key) of the checked cell, for showing the result at its cell."""
    detail: str


@dataclass(frozen=True, slots=True)
class Flag:
    """Something worth a reader's attention that is not an arithmetic rule: the prose
    contradicting the table, or a figure that does not follow from last year's."""

    rule: str
    """e.g. ``prose.requests_received``, ``years.carried_over``, ``years.in_force``."""
    detail: str
    stated: Value
    """The figure as the text (or last year's report) gives it."""
    table: Value
    """The figure as this report's table prints it."""
    quote: str = ""
    """The words the figure was read from."""


@dataclass(frozen=True, slots=True)
class ReportProvenance:
    """Where and when the report says it was published (provenance level 3: the report
    itself; a maintainer's sidecar or agencies.yml overrides it, see :mod:`gongkai.provenance`)."""

    url: str | None = None
    """The page's own http(s) address (canonical link, og:url, the CMS's Url metadata,
    an archive's 原文链接 line)."""
    published: str | None = None
    """YYYY-MM-DD."""
    how: str = ""
    """Where the date was read: ``metadata`` (the page's PubDate and the like), ``page-text``
    (a labelled date near the title: 发布时间：…) or ``signature`` (the closing date after
    the signature: the date signed, not published); "" without a date."""


@dataclass(frozen=True, slots=True)
class Report:
    agency: str
    year: int
    format: str
    source: Source
    sections: Sections
    active_disclosure: dict[str, Any]
    requests: dict[str, RequestRow | None]
    review_litigation: dict[str, dict[str, Value]]
    title: str = ""
    checks: tuple[Check, ...] = ()
    warnings: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    """Prose-against-table flags (not part of the schema's required keys)."""
    value_notes: tuple[ValueNote, ...] = ()
    """Values that were not plainly read (OCR, split by arithmetic, printed with a remark)."""
    provenance: ReportProvenance | None = None
    """Where and when the report says it was published; None when it says neither."""
    schema_version: int = SCHEMA_VERSION

    @property
    def failed_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def to_dict(self) -> dict[str, Any]:
        """The report as the schema's JSON object (key order fixed for byte-stable output)."""
        return {
            "schema_version": self.schema_version,
            "title": self.title,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "source": _source_to_dict(self.source),
            "sections": scalar_dict(self.sections),
            "active_disclosure": self.active_disclosure,
            "requests": self.requests,
            "review_litigation": self.review_litigation,
            "checks": [_check_to_dict(c) for c in self.checks],
            "warnings": list(self.warnings),
            "flags": [scalar_dict(f) for f in self.flags],
            "value_notes": [scalar_dict(n) for n in self.value_notes],
            **({"provenance": _provenance_to_dict(self.provenance)} if self.provenance else {}),
        }

    def to_json(self, indent: int | None = 1) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Report":
        return cls(
            agency=d["agency"],
            year=d["year"],
            format=d["format"],
            source=_source_from_dict(d["source"]),
            sections=Sections(**d["sections"]),
            active_disclosure=d["active_disclosure"],
            requests=d["requests"],
            review_litigation=d["review_litigation"],
            title=d.get("title", ""),
            checks=tuple(_check_from_dict(c) for c in d.get("checks", ())),
            warnings=tuple(d.get("warnings", ())),
            flags=tuple(Flag(**f) for f in d.get("flags", ())),
            value_notes=tuple(ValueNote(**n) for n in d.get("value_notes", ())),
            provenance=_provenance_from_dict(d["provenance"]) if d.get("provenance") else None,
            schema_version=d.get("schema_version", SCHEMA_VERSION),
        )


def _provenance_to_dict(p: ReportProvenance) -> dict[str, Any]:
    return {"url": p.url, "published": p.published, "how": p.how or None}


def _provenance_from_dict(d: dict[str, Any]) -> ReportProvenance:
    return ReportProvenance(url=d.get("url"), published=d.get("published"), how=d.get("how") or "")


def _source_to_dict(s: Source) -> dict[str, Any]:
    return {"file": s.file, "sha256": s.sha256, "kind": s.kind, "ocr_pages": list(s.ocr_pages)}


def _source_from_dict(d: dict[str, Any]) -> Source:
    return Source(file=d["file"], sha256=d["sha256"], kind=d["kind"], ocr_pages=tuple(d.get("ocr_pages", ())))


def _check_to_dict(c: Check) -> dict[str, Any]:
    return {
        "rule": c.rule,
        "passed": c.passed,
        "detail": c.detail,
        "table": c.table,
        "where": c.where,
        "cell": list(c.cell),
        "expected": c.expected,
        "found": c.found,
    }


def _check_from_dict(d: dict[str, Any]) -> Check:
    return Check(
        rule=d["rule"],
        passed=d["passed"],
        table=d.get("table", ""),
        where=d.get("where", ""),
        expected=d.get("expected", 0),
        found=d.get("found", 0),
        cell=tuple(d.get("cell", ("", ""))),  # type: ignore[arg-type]
        detail=d.get("detail", ""),
    )
