"""Where a report was published, and when: its source URL and publication date.

Three places say it, the first that does wins:

1. a small YAML beside the report file, named after it plus ``.yml``
   (``reports/hongze-2024.pdf`` -> ``reports/hongze-2024.pdf.yml``)::

       url: https://www.hongze.gov.cn/xxgk/2025/0120/123.html
       published: 2025-01-20

2. ``agencies.yml``, per year of an agency (``sources: {2024: {url: ..., published: ...}}``);
3. the report itself (:mod:`gongkai.recognise.dates`, ``Report.provenance``): the page's
   canonical URL; its date from the page's metadata (``<meta name="PubDate">``), else a
   labelled date near the title (``发布时间：2025-01-20``), else the signature date at the
   end of the report — the date it was signed, said as such (``how: signature``).

Only http(s) URLs are kept (a ``javascript:`` URL would run on the site); a date must be a
real calendar date (YYYY-MM-DD).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError
from .model import Report

SIDECAR_SUFFIX = ".yml"
_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)

HOW_LABELS = {
    "sidecar": "维护者提供",
    "agencies.yml": "维护者提供",
    "canonical": "网页标注",
    "metadata": "网页标注的发布日期",
    "page-text": "网页所载发布时间",
    "signature": "取自报告末尾的落款，不是网页发布日期",
}
"""How a provenance was found -> the words the page says it with."""


@dataclass(frozen=True, slots=True)
class Provenance:
    url: str | None = None
    published: str | None = None
    """YYYY-MM-DD."""
    how: str = ""
    """Where the URL came from: sidecar | agencies.yml | canonical."""
    published_how: str = ""
    """Where the date came from: sidecar | agencies.yml | metadata | page-text | signature."""

    def to_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "url_from": self.how or None,
                "published": self.published, "published_from": self.published_how or None}

    def __bool__(self) -> bool:
        return bool(self.url or self.published)


def is_sidecar(path: Path) -> bool:
    """``x.pdf.yml`` beside ``x.pdf``: a report's provenance, not an input."""
    return path.name.endswith(SIDECAR_SUFFIX) and path.with_name(path.name[: -len(SIDECAR_SUFFIX)]).is_file()


def parse_fields(where: Path, data: Any, how: str, context: str = "") -> Provenance:
    """``url`` and ``published`` of a mapping, checked; a wrong one is a one-line error."""
    prefix = f"{context}: " if context else ""
    if not isinstance(data, dict):
        raise ConfigError(where, f"{prefix}must be a mapping with 'url' and/or 'published'")
    unknown = set(data) - {"url", "published"}
    if unknown:
        raise ConfigError(where, f"{prefix}unknown keys {', '.join(sorted(map(str, unknown)))}; use url, published")
    url, published = data.get("url"), data.get("published")
    if url is not None and (not isinstance(url, str) or not _URL.match(url.strip())):
        raise ConfigError(where, f"{prefix}url {url!r} must be an http:// or https:// address")
    if isinstance(published, dt.datetime):
        published = published.date()
    if isinstance(published, dt.date):
        published = published.isoformat()
    elif published is not None:
        try:
            published = dt.date.fromisoformat(str(published).strip()).isoformat()
        except ValueError:
            raise ConfigError(where, f"{prefix}published {published!r} must be a date, YYYY-MM-DD") from None
    return Provenance(url.strip() if isinstance(url, str) else None, published, how, how)


def read_sidecar(report_file: Path) -> Provenance | None:
    side = report_file.with_name(report_file.name + SIDECAR_SUFFIX)
    if not side.is_file():
        return None
    try:
        data = yaml.safe_load(side.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as e:  # ValueError: 2024-02-30
        raise ConfigError(side, f"cannot read: {str(e).splitlines()[0]}") from None
    return parse_fields(side, data or {}, "sidecar")


def from_report(report: Report) -> Provenance | None:
    """The parse half's reading (``Report.provenance``): its ``how`` says where the date
    was read; its URL is always the page's own (said as ``canonical``)."""
    p = report.provenance
    if p is None:
        return None
    url = p.url if p.url and _URL.match(p.url) else None
    return Provenance(url, p.published or None, "canonical" if url else "", p.how if p.published else "") or None


def resolve(report: Report, report_file: Path, configured: Provenance | None) -> Provenance:
    """The sidecar's, else agencies.yml's, else the report's own; fields fill from the next
    place where the first leaves one blank."""
    found = [p for p in (read_sidecar(report_file), configured, from_report(report)) if p]
    url = next(((p.url, p.how) for p in found if p.url), (None, ""))
    published = next(((p.published, p.published_how) for p in found if p.published), (None, ""))
    return Provenance(url[0], published[0], url[1], published[1])


def label(how: str) -> str:
    return HOW_LABELS.get(how, "")
