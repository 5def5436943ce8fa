"""Was a report published on time? 《中华人民共和国政府信息公开条例》第五十条: the annual
report of a year is published by 31 January of the following year.

The publication date is ``ReportView.provenance.published`` (YYYY-MM-DD; provenance.py).
A report without one is "date unknown", never assumed on time or late. A date read from
the report's signature (``published_how == "signature"``) is when it was signed: it was
published that day or later, so a signature after the deadline proves it late (by at
least that much), while one before the deadline proves nothing (still unknown).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .registry import Agency

RULE = "《中华人民共和国政府信息公开条例》第五十条"
DUE_MONTH, DUE_DAY = 1, 31
"""Due by 31 January of the year after the report's year."""
NOT_PUBLISHED = "未发布（或尚未收录）"

Status = Literal["on_time", "late", "unknown"]


def due(year: int) -> dt.date:
    return dt.date(year + 1, DUE_MONTH, DUE_DAY)


@dataclass(frozen=True, slots=True)
class Timeliness:
    year: int
    published: dt.date | None
    signed_only: bool = False
    """``published`` is the signature's date, not the publication's (a lower bound)."""

    @property
    def status(self) -> Status:
        if self.published is None:
            return "unknown"
        if self.published <= due(self.year):
            return "unknown" if self.signed_only else "on_time"
        return "late"

    @property
    def days_late(self) -> int:
        return max((self.published - due(self.year)).days, 0) if self.published else 0

    @property
    def text(self) -> str:
        """In Chinese, for the report and agency pages."""
        if self.status == "unknown":
            return "发布日期未知（落款日期在期限内）" if self.published else "发布日期未知"
        if self.status == "on_time":
            return "按时发布"
        if self.signed_only:
            return f"逾期发布（落款日期已晚于期限 {self.days_late} 天）"
        return f"逾期 {self.days_late} 天发布"


def of(year: int, published: str | None, how: str = "") -> Timeliness:
    """From provenance's date text and where it came from; an unreadable date is unknown."""
    try:
        date = dt.date.fromisoformat(published) if published else None
    except ValueError:
        date = None
    return Timeliness(year, date, signed_only=how == "signature")


@dataclass(frozen=True, slots=True)
class Share:
    on_time: int
    late: int
    unknown: int
    missing: int = 0
    """Agencies listed in agencies.yml with no report of the year."""

    @property
    def known(self) -> int:
        return self.on_time + self.late

    @property
    def share(self) -> float | None:
        """Share on time among reports with a known date; None when no date is known."""
        return self.on_time / self.known if self.known else None

    @property
    def text(self) -> str:
        s = self.share
        return "—" if s is None else f"{s * 100:.0f}%"


def share(items: Iterable[Timeliness], missing: int = 0) -> Share:
    statuses = [t.status for t in items]
    return Share(statuses.count("on_time"), statuses.count("late"), statuses.count("unknown"), missing)


def missing_years(agency: Agency, years: Iterable[int]) -> list[int]:
    """Years of the site with no report from an agency that agencies.yml lists (an agency
    found only in reports is not expected every year)."""
    if not agency.listed:
        return []
    have = set(agency.years)
    return sorted(y for y in years if y not in have)
