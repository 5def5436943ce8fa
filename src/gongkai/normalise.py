"""Text normalisation shared by every stage: script, width, white space, numbers."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import opencc

_CJK = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def looks_traditional(text: str, sample: int = 4000) -> bool:
    """True when a noticeable share of the CJK characters change under t2s.

    Simplified text changes in a handful of characters at most (variant forms), a
    Traditional conversion like seed 002 in a fifth of them.
    """
    chunk = text[:sample]
    converted = to_simplified(chunk)
    if converted == chunk:  # most reports: the conversion (C) is cheaper than counting
        return False
    cjk = len(_CJK.findall(chunk))
    if cjk < 20:
        return False
    changed = sum(map(str.__ne__, chunk, converted))
    return changed / cjk > 0.04


FOLD_CACHED_CHARS = 200
"""Longer texts (paragraphs, whole documents) are folded each time, never kept."""


def fold(text: str) -> str:
    """Full-width -> half-width and compatibility forms (NFKC), so （一） == (一).
    Labels and cells are cached: the same ones are folded again and again (60,000 calls
    for 1,000 reports); a whole document is not, or each parse process would keep every
    document it read."""
    return _fold_short(text) if len(text) <= FOLD_CACHED_CHARS else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=65536)
def _fold_short(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_SPACE = re.compile(r"\s+")
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d+[.、．]|\(\d+\))"
)
_PUNCT = re.compile(r"[\s\"'“”‘’「」『』、，,。.．:：;；()（）\[\]【】《》<>〈〉·/\\*#-]")


def squash(text: str) -> str:
    """Remove all white space (labels broken across lines compare equal)."""
    return _SPACE.sub("", text)


@lru_cache(maxsize=16384)
def label_key(text: str) -> str:
    """A label reduced for matching: folded, no white space, enumerators and punctuation gone.

    ``"（三）不予\\n公开 1.属于国家秘\\n密"`` -> ``"不予公开属于国家秘密"``.
    """
    t = squash(fold(text))
    # Enumerators may appear anywhere when label cells are joined ("不予公开1.属于…").
    t = re.sub(r"\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、．](?!\d)", "", t)
    return _PUNCT.sub("", t)


def collapse_space(text: str) -> str:
    """One space for any run of white space; CJK characters never separated by spaces.

    PDF extraction puts spaces around Latin runs ("2023 年"); Chinese text has none.
    """
    t = _SPACE.sub(" ", text).strip()
    return re.sub(r"(?<=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]) (?=[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef])", "", t)


# ---------------------------------------------------------------- numbers

PLACEHOLDERS = frozenset({"", "-", "—", "–", "──", "——", "/", "无", "－", "―", "一", "\\"})
"""Cell contents meaning "nothing printed": a dash, a slash, 无. Read as blank (null)."""

_GROUPED = re.compile(r"^\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?$", re.ASCII)
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?$", re.ASCII)
MAX_DIGITS = 15
"""A cell of more digits is not read: no count or amount of these reports comes near
10^15, and past it the data files (JSON read by JavaScript, CSV read by spreadsheets)
cannot keep the number exactly (their numbers are doubles); 80 digits are digits run
together or junk, and a float of 400 digits is infinity."""


def _odd_digit(text: str) -> bool:
    """A digit other than 0-9 and its full-width form: NFKC would read a superscript
    footnote mark (5²: 52), a circled list number (①) or another script's digit as 0-9."""
    return any(c.isdigit() and not ("0" <= c <= "9" or "０" <= c <= "９") for c in text)


class CellValue:
    """Result of reading one cell: a number, blank, or unreadable. Never changed once
    made: parse_cell hands out the same one for the same text."""

    __slots__ = ("value", "blank", "raw")

    def __init__(self, value: int | float | None, blank: bool, raw: str) -> None:
        self.value = value
        self.blank = blank
        self.raw = raw

    @property
    def unreadable(self) -> bool:
        return self.value is None and not self.blank

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"CellValue({self.value!r}, blank={self.blank}, raw={self.raw!r})"


# The cell readers below are cached: a corpus prints the same few cell texts ("0", "",
# "12") hundreds of times per report, and they were a third of recognising a table.
@lru_cache(maxsize=65536)
def is_blank_cell(text: str) -> bool:
    return squash(fold(text)) in PLACEHOLDERS or squash(text) in PLACEHOLDERS


@lru_cache(maxsize=65536)
def looks_numeric(text: str) -> bool:
    """A cell that holds a value (or is blank), as opposed to a label."""
    t = squash(fold(text))
    if t in PLACEHOLDERS or squash(text) in PLACEHOLDERS:
        return True
    t = t.removesuffix("万元").removesuffix("元").removesuffix("件").removesuffix("个")
    return bool(_PLAIN.match(t.replace(",", "")))


@lru_cache(maxsize=65536)
def parse_cell(text: str, kind: str = "int") -> CellValue:
    """Read a cell as printed. ``kind``: int (>= 0), signed, or amount (万元, decimal).

    Never guesses: a blank or placeholder cell is blank; anything else that is not a
    clean number is unreadable.
    """
    raw = text
    t = fold(text).strip()
    if squash(t) in PLACEHOLDERS or squash(text) in PLACEHOLDERS:
        return CellValue(None, True, raw)
    t = t.replace("\u2212", "-")
    divisor = 1
    if kind == "amount":
        if t.endswith("万元"):
            t = t[:-2]
        elif t.endswith("元"):
            t, divisor = t[:-1], 10000
    else:
        for unit in ("件", "个", "项"):
            t = t.removesuffix(unit)
    t = t.strip()
    if _GROUPED.match(t):  # "3 771", "3,771": thousands separators
        t = t.replace(",", "").replace(" ", "")
    if not _PLAIN.match(t) or _odd_digit(raw) or sum(c.isdigit() for c in t) > MAX_DIGITS:
        return CellValue(None, False, raw)
    try:
        d = Decimal(t)
    except InvalidOperation:  # pragma: no cover - regex guards this
        return CellValue(None, False, raw)
    if divisor != 1:
        d = d / divisor
    if kind == "amount":
        if d < 0:
            return CellValue(None, False, raw)
        return CellValue(int(d) if d == d.to_integral_value() else float(d), False, raw)
    if d != d.to_integral_value():
        return CellValue(None, False, raw)
    n = int(d)
    if kind == "int" and n < 0:
        return CellValue(None, False, raw)
    return CellValue(n, False, raw)


@lru_cache(maxsize=65536)
def split_number_run(text: str) -> tuple[str, ...] | None:
    """Split a cell holding several space-separated numbers ("21 0 0 0 0 0 21").

    Returns None when the cell is one value (including "3 771" thousands grouping).
    """
    t = fold(text).strip()
    parts = t.split()
    if len(parts) < 2 or not all(_PLAIN.match(p) for p in parts):
        return None
    if _GROUPED.match(t):
        return None
    return tuple(parts)


# ---------------------------------------------------------------- radicals

# CJK Radicals Supplement forms that text extraction of some PDFs (Chromium's "save as
# PDF" of a page set in a system font) gives instead of the ideograph. NFKC folds the
# Kangxi radicals (U+2F00–U+2FD5) but not these; only the simplified-form radicals met
# in Chinese reports are listed, each with its unified ideograph.
_RADICAL_SUPPLEMENT = str.maketrans({
    "\u2e8b": "㔾", "\u2e8c": "小", "\u2e8e": "兀", "\u2e8f": "尣", "\u2e92": "巳", "\u2e94": "彑",
    "\u2e95": "彐", "\u2e97": "心", "\u2e98": "扌", "\u2e99": "攵", "\u2e9b": "旡", "\u2e9f": "母",
    "\u2ea0": "民", "\u2ea4": "爫", "\u2ea6": "丬", "\u2ea7": "牛", "\u2eab": "罒", "\u2eac": "示",
    "\u2ead": "礻", "\u2eb2": "罒", "\u2eb7": "羊", "\u2ebb": "耂", "\u2ec4": "西", "\u2ec5": "见",
    "\u2ec8": "讠", "\u2ec9": "贝", "\u2ecb": "车", "\u2ecf": "阝", "\u2ed0": "钅", "\u2ed3": "长",
    "\u2ed4": "门", "\u2ed6": "阝", "\u2ed7": "雨", "\u2ed8": "青", "\u2eda": "页", "\u2edb": "风",
    "\u2edc": "飞", "\u2edd": "食", "\u2ee0": "饣", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼",
    "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾",
    "\u2eeb": "齐", "\u2eec": "齐", "\u2eed": "齿", "\u2eef": "龙", "\u2ef0": "龙", "\u2ef2": "龟",
    "\u2ef3": "龟",
})
_RADICALS = re.compile(r"[\u2e80-\u2fdf]")


def fold_radicals(text: str) -> str:
    """Radical code points -> the ideographs they stand for (``⼯作`` -> ``工作``).

    Applied to a whole document's text before recognition, so titles, agency names and
    prose come out in ordinary characters; text without such code points is returned
    unchanged (one regex search).
    """
    if not _RADICALS.search(text):
        return text
    text = text.translate(_RADICAL_SUPPLEMENT)
    return _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)


# ---------------------------------------------------------------- remarks

_REMARK = re.compile(r"^\s*([+-]?\d[\d,]*(?:\.\d+)?)\s*[(（]\s*([^()（）]*[\u4e00-\u9fff][^()（）]*?)\s*[)）]\s*$")


def split_remark(text: str) -> tuple[str, str] | None:
    """A cell printing a number and a remark in brackets: ``22（其中修订16件）`` ->
    ``("22", "其中修订16件")``. None for any other cell (a plain number, a label)."""
    m = _REMARK.match(text)
    if not m:
        return None
    return m.group(1), m.group(2)
