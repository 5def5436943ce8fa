"""Title, agency and year of a report.

Agencies print the title in many forms (spec: "Variation across real reports"): agency
first (``X局2023年政府信息公开工作年度报告``) or year first (``2019年上海市人民政府办公厅…``),
with ``关于…的``, as ``政务公开工作年度报告``, broken over lines, spaced out, with a suffix
(``（图片版）``); web pages and PDFs saved from them put breadcrumbs and column names in
front of it. The agency is a *name*: it is bounded (length, no sentence punctuation, no
``根据/编制/要求`` clause) and cut free of chrome; without a title line the compiler
sentence of the introduction (``本报告由X编制`` and its variants) names it, with a
warning saying so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import NotAReport
from ..normalise import collapse_space, fold, squash
from .context import Context

MAX_AGENCY_CHARS = 80
"""Longest agency name accepted (characters, spaces excluded): joint offices print names of
40 and more characters; longer is a sentence or a navigation bar."""

MIN_AGENCY_CHARS = 2

TITLE_LINES = 4
"""A title may be broken over at most this many consecutive short paragraphs."""

SUFFIX_LINE_CHARS = 8
"""A line this short after a title may hold the rest of its suffix (``版）``)."""

TITLE_SHARE = 0.8
"""A title naming no agency is taken only from a line it fills to at least this share."""

TITLE_SEARCH_CHARS = 400
"""A title is looked for in the first this many characters of a paragraph (a page's text
extraction may run the title, the chrome and the whole report into one paragraph)."""

TITLE_JOIN_CHARS = 160
"""Paragraphs are joined into a title candidate only while the candidate is this short."""

_KIND = r"(?:政府信息与政务公开|政府信息公开|政务公开|信息公开)"
_REPORT = rf"{_KIND}(?:工作)?(?:的)?(?:年度)?(?:工作)?报告"
_SUFFIX = r"(?:[(（](?:图片版|超链版|图解|图解版|全文|文字版|图文版|摘要|修订版|更正版|简版|word版|pdf版)[)）])?"
_YEAR = r"(?P<year>(?:19|20)\d{2})年度?"
_AGENCY_FIRST = re.compile(rf"(?P<agency>.*?)(?:关于)?{_YEAR}(?:的)?{_REPORT}{_SUFFIX}")
# Year first: the agency must be followed by 政府信息公开 / 政务公开 (not a bare 信息公开, or
# "2023年政府信息公开…" would read 政府 as the agency).
_YEAR_FIRST = re.compile(
    rf"(?:关于)?{_YEAR}(?P<agency>.{{2,60}}?)(?:的)?(?:政府信息与政务公开|政府信息公开|政务公开)"
    rf"(?:工作)?(?:的)?(?:年度)?(?:工作)?报告{_SUFFIX}")
_METADATA = re.compile(r"^\s*(?:标题|文章标题|题名|名称|title)\s*[:：]\s*", re.IGNORECASE)
"""A metadata line (archive text extractions; HTML ``<title>``/``<meta>`` carried by
:mod:`gongkai.read.html` as a leading ``标题：`` paragraph)."""

_YEAR_PERIOD_RE = re.compile(
    r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*[至到-]\s*(?:((?:19|20)\d{2})\s*年\s*)?12\s*月\s*31\s*日")
_AGENCY_STOP = re.compile(r"[，。；！？,;!?“”\"]|根据|依据|按照|编制|要求|现将|特此|公布|发布|如下|报告")
_CHROME_CUT = re.compile(r".*[:：>›»|｜/\\]")
_CHROME_WORDS = ("当前位置", "您的位置", "所在位置", "首页", "栏目", "来源", "年报", "公开目录", "信息公开指南")
_NAME_END = re.compile(
    r"(?:局|办|委|会|院|府|室|所|部|厅|处|署|中心|站|队|区|县|旗|市|省|镇|乡|苏木|街道|办事处|管委会|公司|馆|团|社|庭|校|学|场|科|股|组)$")
_NOT_NAME_START = re.compile(r"^(?:本|我|现|特|各|该)")

# The compiler sentence, in the phrasings met: "本报告由X编制", "X根据…编制本报告",
# "X编制了…报告". Matched on folded, squashed text.
_COMPILER_RES = (
    ("本报告由X编制", re.compile(r"本(?:年度)?报告由(?P<name>[^，,。；;《（(]{2,60}?)(?:根据|依据|按照|负责|编制|制作|编写|撰写)")),
    ("X根据…编制本报告", re.compile(r"(?:^|[，,。；;])(?P<name>[^，,。；;《》（）()]{2,40}?)(?:根据|依据|按照)[^。]{0,200}?编制(?:了|完成)?本(?:年度)?报告")),
    ("X编制了…报告", re.compile(r"(?:^|[，,。；;])(?P<name>[^，,。；;《》（）()]{2,40}?)编制(?:了|完成了)[^。]{0,60}?报告")),
)


def find_title(
    intro: Sequence[str], ctx: Context, path: Path | str
) -> tuple[str, str, int]:
    """(title, agency, year) from the paragraphs before part 一.

    Raise :class:`NotAReport` saying what was found when neither a title nor the
    introduction names the agency, or no year is given.
    """
    title, agency, year = _title_from_lines(intro)
    intro_text = "".join(intro)
    flat = squash(fold(intro_text))
    if agency:
        agency = _fuller_agency(agency, flat)
    else:
        found = _compiler(flat)
        if found:
            agency, phrasing = found
            ctx.warn(f"no title line naming the agency; agency {agency!r} taken from the introduction's "
                     f"compiler sentence ({phrasing})")
    period = _YEAR_PERIOD_RE.search(flat)
    if year is None and period:
        year = int(period.group(1))
        ctx.warn(f"no title with the year; year {year} taken from the statistics period")
    elif year is not None and period and int(period.group(1)) != year:
        ctx.warn(f"the title says {year} but the statistics period is {period.group(1)}; using the title's year")
    if not agency:
        raise NotAReport(path, "no report title naming the agency ('<机关>XXXX年政府信息公开工作年度报告'): "
                               + _what_was_found(intro))
    if year is None:
        raise NotAReport(path, f"no statistics year in the title or the introduction (agency {agency!r} found; "
                               "no 'XXXX年…年度报告' title and no 'XXXX年1月1日至12月31日' period)")
    return title, agency, year


def _what_was_found(intro: Sequence[str]) -> str:
    near = [collapse_space(p) for p in intro if "报告" in p]
    if near:
        return (f"{len(intro)} paragraphs before part 一, none a title; nearest {near[0][:60]!r}; "
                "no compiler sentence ('本报告由X编制', 'X编制了…报告')")
    return (f"{len(intro)} paragraphs before part 一 and none mentions 报告; "
            "no compiler sentence ('本报告由X编制')")


# ---------------------------------------------------------------- title lines

def _title_from_lines(intro: Sequence[str]) -> tuple[str, str, int | None]:
    """The first title line (or run of up to :data:`TITLE_LINES` short lines) naming an agency.

    A title without an agency ("2023年政府信息公开工作年度报告" under a letterhead) still
    gives the year when no line names one.
    """
    fallback: tuple[str, str, int | None] = ("", "", None)
    for start in range(len(intro)):
        joined: list[str] = []
        for j in range(start, min(start + TITLE_LINES, len(intro))):
            line = intro[j][:TITLE_SEARCH_CHARS]
            if j == start:
                line = _METADATA.sub("", line)
            joined.append(line)
            text = _join_lines(joined)
            if len(squash(text)) > TITLE_JOIN_CHARS and j > start:
                break
            found = _match_title(text)
            if found is None:
                continue
            title, agency, year = found
            if j + 1 < len(intro) and len(squash(intro[j + 1])) <= SUFFIX_LINE_CHARS:
                # a suffix wrapped onto a line of its own: "…年度报告（图片" / "版）"
                longer = _match_title(_join_lines([*joined, intro[j + 1]]))
                if longer and longer[0].startswith(title) and len(longer[0]) > len(title):
                    title = longer[0]
            if agency:
                return title, agency, year
            if fallback[2] is None:
                fallback = (title, "", year)
            break
    return fallback


def _join_lines(parts: Sequence[str]) -> str:
    out = ""
    for p in parts:
        p = _keep_word_spaces(p)
        # Join broken title lines; keep one space only where Latin meets Latin.
        if out and re.match(r"[0-9A-Za-z]", p[:1]) and re.match(r"[0-9A-Za-z]", out[-1:]):
            out += " "
        out += p
    return out


def _squashed(text: str) -> tuple[str, list[int]]:
    """Folded text without white space, and for each of its characters the index in ``text``."""
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        for c in fold(ch):
            if not c.isspace():
                out.append(c)
                pos.append(i)
    return "".join(out), pos


def _match_title(text: str) -> tuple[str, str, int] | None:
    """(title, agency, year) of a title in ``text``; agency "" when the title names none."""
    s, pos = _squashed(text)
    if "报告" not in s:
        return None
    year_only: tuple[str, str, int] | None = None
    m = _AGENCY_FIRST.search(s)
    if m:
        a0, a1 = m.span("agency")
        agency, _ = _bounded_agency(text[pos[a0]: pos[a1 - 1] + 1] if a1 > a0 else "")
        end = pos[m.end() - 1] + 1
        if agency:
            start = text.rfind(agency, 0, pos[m.start("year")])
            if start >= 2 and text[start - 2: start] == "关于":
                start -= 2  # "关于X局2023年度…报告" is the title as printed
            return _clean_title(text[start if start >= 0 else pos[a0]: end]), agency, int(m.group("year"))
        if (m.end() - m.start("year")) >= TITLE_SHARE * len(s):
            # a line that is only a title without an agency (under a letterhead), not a
            # sentence mentioning "2023年度政务公开工作报告"
            year_only = (_clean_title(text[pos[m.start("year")]: end]), "", int(m.group("year")))
    m = _YEAR_FIRST.search(s)
    if m:
        a0, a1 = m.span("agency")
        agency, cut = _bounded_agency(text[pos[a0]: pos[a1 - 1] + 1])
        if agency and not cut:
            return _clean_title(text[pos[m.start()]: pos[m.end() - 1] + 1]), agency, int(m.group("year"))
    return year_only


def _clean_title(title: str) -> str:
    t = _keep_word_spaces(title)
    return re.sub(r"(\d)\s+年", r"\1年", t)


def _bounded_agency(printed: str) -> tuple[str, bool]:
    """The agency name in the text before a title's year, cut free of chrome.

    Returns (name, cut): ``cut`` when something in front of the name was dropped.
    Breadcrumbs and column names end at a separator (``>``, ``：``, ``|``) or a space;
    a name of several words ("…开发区 乌兰布和…示范区") is kept whole while each word
    looks like a name.
    """
    text = re.sub(r"^关于", "", re.sub(r"(关于|的)$", "", printed.strip())).strip(" 　:：")
    if not any(w in text for w in _CHROME_WORDS):
        # No chrome in front: the name as printed (a separator or a space inside it is
        # the agency's own), bounded only by length and sentence words.
        stop = list(_AGENCY_STOP.finditer(text))
        name = _keep_word_spaces(text[stop[-1].end():] if stop else text)
        n = len(squash(name))
        if n < MIN_AGENCY_CHARS or n > MAX_AGENCY_CHARS or _NOT_NAME_START.match(name):
            return "", True
        return name, bool(stop)
    tokens = re.split(r"[\s\u3000]+", text)
    kept: list[str] = []
    cut = False
    for tok in reversed(tokens):
        if not tok:
            continue
        m = _CHROME_CUT.match(tok)
        if m:
            tok = tok[m.end():]
            cut = True
        stop = list(_AGENCY_STOP.finditer(tok))
        if stop:
            tok = tok[stop[-1].end():]
            cut = True
        chrome = [tok.rfind(w) + len(w) for w in _CHROME_WORDS if w in tok]
        if chrome:
            # "政府信息公开年报平潭…局": a column name glued to the name
            tok = tok[max(chrome):]
            cut = True
            if tok:
                kept.append(tok)
            break
        if kept and not _NAME_END.search(tok):
            cut = True
            break
        if tok:
            kept.append(tok)
        if m or stop:
            break
    name = " ".join(reversed(kept))
    name = _keep_word_spaces(name)
    n = len(squash(name))
    if n < MIN_AGENCY_CHARS or n > MAX_AGENCY_CHARS or _NOT_NAME_START.match(name):
        return "", True
    return name, cut


def _keep_word_spaces(text: str) -> str:
    # A space between two names ("…开发区 乌兰布和…示范区") is kept, letter-spacing
    # ("洪 泽 区") is not.
    t = re.sub(r"[\s\u3000]+", " ", text).strip()
    if t.count(" ") * 3 > len(t.replace(" ", "")):
        return squash(t)
    return t


# ---------------------------------------------------------------- the compiler sentence
# The office named with its place, for a title that drops it ("本报告由淮安市洪泽区人民政府
# 办公室根据…" for the title's 洪泽区人民政府): 办公室 is the office of the agency itself.
_FULLER_RE = re.compile(r"本(?:年度)?报告由(?P<name>[^，,。；;《（(]{2,60}?)(?:办公室)?(?:根据|依据|按照|编制|制作)")


def _compiler(flat: str) -> tuple[str, str] | None:
    """(name, phrasing) of the office the introduction says compiled the report."""
    for phrasing, regex in _COMPILER_RES:
        for m in regex.finditer(flat):
            name = m.group("name")
            if _NOT_NAME_START.match(name) or _AGENCY_STOP.search(name) or not _NAME_END.search(name):
                continue
            if MIN_AGENCY_CHARS <= len(name) <= MAX_AGENCY_CHARS:
                return name, phrasing
    return None


def _fuller_agency(agency: str, flat: str) -> str:
    """The title may drop the higher-level place name ("洪泽区人民政府"); when the
    introduction names the compiler as the same office with it ("本报告由淮安市洪泽区
    人民政府办公室根据…"), use that fuller name. Contact lines are not used: an office
    named there is often a different body."""
    m = _FULLER_RE.search(flat)
    if not m:
        return agency
    name = m.group("name")
    short = squash(agency)
    if name.endswith(short) and len(name) > len(short):
        return name[: len(name) - len(short)] + agency
    return agency
