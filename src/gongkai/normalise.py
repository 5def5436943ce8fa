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
    cjk = len(_CJK.findall(chunk))
    if cjk < 20:
        return False
    converted = to_simplified(chunk)
    changed = sum(1 for a, b in zip(chunk, converted) if a != b)
    return changed / cjk > 0.04


def fold(text: str) -> str:
    """Full-width -> half-width and compatibility forms (NFKC), so （一） == (一)."""
    return unicodedata.normalize("NFKC", text)


_SPACE = re.compile(r"\s+")
_ENUM = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.]|\([一二三四五六七八九十]+\)|\d+[.、．]|\(\d+\))"
)
_PUNCT = re.compile(r"[\s\"'“”‘’「」『』、，,。.．:：;；()（）\[\]【】《》<>〈〉·/\\-]")


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

_GROUPED = re.compile(r"^\d{1,3}(?:[ ,]\d{3})+(?:\.\d+)?$")
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?$")


class CellValue:
    """Result of reading one cell: a number, blank, or unreadable."""

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


def is_blank_cell(text: str) -> bool:
    return squash(fold(text)) in PLACEHOLDERS or squash(text) in PLACEHOLDERS


def looks_numeric(text: str) -> bool:
    """A cell that holds a value (or is blank), as opposed to a label."""
    t = squash(fold(text))
    if t in PLACEHOLDERS or squash(text) in PLACEHOLDERS:
        return True
    t = t.removesuffix("万元").removesuffix("元").removesuffix("件").removesuffix("个")
    return bool(_PLAIN.match(t.replace(",", "")))


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
    if not _PLAIN.match(t):
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


def split_number_run(text: str) -> list[str] | None:
    """Split a cell holding several space-separated numbers ("21 0 0 0 0 0 21").

    Returns None when the cell is one value (including "3 771" thousands grouping).
    """
    t = fold(text).strip()
    parts = t.split()
    if len(parts) < 2 or not all(_PLAIN.match(p) for p in parts):
        return None
    if _GROUPED.match(t):
        return None
    return parts
