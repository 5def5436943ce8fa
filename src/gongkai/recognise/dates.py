"""When a report was published, as the report itself says it: dates in the forms printed.

Three places, the first that gives a plausible date wins (provenance level 3, see
:mod:`gongkai.provenance`):

1. ``metadata`` — what the page's CMS declares (``<meta name="PubDate">`` …), passed on
   by the HTML reader in :attr:`Document.page_dates`;
2. ``page-text`` — a labelled date line near the title, the site chrome a page (or a PDF,
   DOCX or archive text saved from it) prints: ``时间：2026-01-23 15:13``,
   ``发布日期：2025年1月20日``, ``发布时间: 2025-01-20 17:39``;
3. ``signature`` — the closing date after the signature at the end of part 六 (found by
   :mod:`.prose`): the date the report was signed, which is not its publication date.

A date must be a real calendar date (``2025年2月30日`` is none) and plausibly this
report's: not before the last day of the report's year (a report covers the whole year)
and not more than :data:`MAX_YEARS_AFTER` years after it. Any other is ignored with a
warning naming where it was read.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..normalise import fold

HOWS = ("metadata", "page-text", "signature")
"""Where a report's own date can be read, best first (the schema's ``provenance.how``)."""

MAX_YEARS_AFTER = 2
"""A report for 2024 published in 2027 is implausible: more likely a page date of a repost."""

_CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "O": 0, "Ｏ": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "[〇零○OＯ一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"

DATE_CN = (rf"(?:(?:19|20)\d{{2}}|{_CN_YEAR})\s*年\s*(?:\d{{1,2}}|{_CN_SMALL})\s*月"
           rf"\s*(?:\d{{1,2}}|{_CN_SMALL})\s*日")
"""A date as a report prints it: ``2025年1月20日``, ``2025 年 1 月 20 日``,
``二〇二五年一月二十日`` (a regular expression without groups, to embed)."""

_DATE_CN = re.compile(
    rf"(?P<y>(?:19|20)\d{{2}}|{_CN_YEAR})\s*年\s*(?P<m>\d{{1,2}}|{_CN_SMALL})\s*月"
    rf"\s*(?P<d>\d{{1,2}}|{_CN_SMALL})\s*日")
_DATE_ISO = re.compile(r"(?P<y>(?:19|20)\d{2})\s*(?P<s>[-/.])\s*(?P<m>\d{1,2})\s*(?P=s)\s*(?P<d>\d{1,2})(?!\d)")

_LABELLED = re.compile(
    r"(?:发布时间|发布日期|发布于|发文日期|成文日期|公开日期|(?<![计公理限止业])(?:时间|日期))\s*[:：]\s*"
    rf"(?P<date>(?:19|20)\d{{2}}\s*[-/.]\s*\d{{1,2}}\s*[-/.]\s*\d{{1,2}}(?!\d)|{DATE_CN})"
    r"(?!\s*(?:至|到|~|～|—|–))")
"""A labelled date of the page chrome. The label and its colon are required: a date in
the prose (``统计期限为2025年1月1日至12月31日``) is never a publication date; nor is a
统计时间/办公时间/受理日期 or the start of a range (``时间：2024年1月1日至…``)."""

_URL_LINE = re.compile(r"(?:原文链接|原文地址|原文网址|网址|链接)\s*[:：]\s*(?P<url>https?://[^\s<>\"'`]+)",
                       re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DateSeen:
    """One date as found, before it is checked."""

    text: str
    """As printed (``2026-01-23 15:13``, ``二〇二五年一月二十日``)."""
    how: str
    """metadata | page-text | signature."""
    where: str
    """Where it was read, for a warning: ``<meta name="PubDate">``, ``page text``, ``signature``."""


@dataclass(frozen=True, slots=True)
class Published:
    url: str | None
    published: str | None
    """YYYY-MM-DD."""
    how: str
    """How the date was found: metadata | page-text | signature ("" without a date)."""


def _small_number(s: str) -> int:
    """``12`` or ``十二``/``二十三``/``三十一`` -> int (0 when not a number of this form)."""
    if s.isdigit():
        return int(s)
    if "十" not in s:
        return _CN_DIGIT.get(s, 0) if len(s) == 1 else 0
    tens, _, units = s.partition("十")
    if len(tens) > 1 or len(units) > 1 or "十" in units:
        return 0
    return (_CN_DIGIT.get(tens, 0) if tens else 1) * 10 + (_CN_DIGIT.get(units, 0) if units else 0)


def parse_date(text: str) -> dt.date | None:
    """The first date in ``text`` in any printed form; None when there is none or it is
    not a calendar date (``2025年2月30日``, ``2025-13-01``)."""
    t = fold(text)
    m = _DATE_ISO.search(t) or _DATE_CN.search(t)
    if m is None:
        return None
    y = m.group("y")
    year = int(y) if y.isdigit() else int("".join(str(_CN_DIGIT[c]) for c in y))
    try:
        return dt.date(year, _small_number(m.group("m")), _small_number(m.group("d")))
    except ValueError:
        return None


def _first_labelled(intro: Sequence[str], line: re.Pattern[str], group: str) -> str | None:
    for p in intro:
        m = line.search(fold(p))
        if m:
            return m.group(group)
    return None


def page_text_date(intro: Sequence[str]) -> str | None:
    """The first labelled date line before the report's first part (its page's chrome)."""
    return _first_labelled(intro, _LABELLED, "date")


def page_text_url(intro: Sequence[str]) -> str | None:
    """A labelled original URL (``原文链接: https://…``) before the first part."""
    return _first_labelled(intro, _URL_LINE, "url")


def choose(seen: Sequence[DateSeen], year: int, warnings: list[str]) -> tuple[str, str] | None:
    """The first date of ``seen`` (in precedence order) that is real and plausible for a
    report of ``year``, as (YYYY-MM-DD, how); each one passed over is a warning."""
    for s in seen:
        d = parse_date(s.text)
        if d is None:
            warnings.append(f"publication date '{s.text}' ({s.where}) is not a calendar date; ignored")
            continue
        if year and (d < dt.date(year, 12, 31) or d.year > year + MAX_YEARS_AFTER):
            warnings.append(f"publication date '{s.text}' ({s.where}) is implausible for a report on {year}; "
                            "ignored")
            continue
        return d.isoformat(), s.how
    return None


def published(page_url: str | None, page_dates: Sequence[tuple[str, str]], intro: Sequence[str],
              signature: str | None, year: int, warnings: list[str]) -> Published | None:
    """Everything the report says of where and when it was published, or None."""
    seen = [DateSeen(text, "metadata", where) for where, text in page_dates]
    in_text = page_text_date(intro)
    if in_text:
        seen.append(DateSeen(in_text, "page-text", "page text"))
    if signature:
        seen.append(DateSeen(signature, "signature", "signature"))
    chosen = choose(seen, year, warnings)
    url = page_url if page_url and _URL.match(page_url) else page_text_url(intro)
    if chosen is None and url is None:
        return None
    return Published(url, *(chosen or (None, "")))
