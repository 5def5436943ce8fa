"""The six parts of a report, found by their words.

A part heading is a paragraph whose first words are a part's title words (or an accepted
variant), whatever numbering the agency gave it: ``二、``, ``## 二、`` (Markdown, also in
``.txt`` files), ``**…**``, ``【…】``, ``第二部分``, ``2.``, or none at all when the
paragraph is only the words. The numeral alone decides nothing: reports that write
narrative parts of their own (``二、工作机制保障``) print the tables later under renumbered
headings (``一、主动公开政府信息情况``). Each part is taken at its first heading; the order
of parts is not assumed.

Web-page text extractions run the whole report into one line; :func:`split_run_on_parts`
cuts such a paragraph at its part headings first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..layouts import PARTS
from ..normalise import fold, label_key
from ..read.document import Block, Paragraph
from .context import HEADING_SIMILARITY, similar

LONG_PARAGRAPH_CHARS = 300
"""A paragraph this long holding two or more part headings is a run-together report."""

HEADING_LEAD_CHARS = 10
"""A heading may put this many characters before the part's words
(``五、政府信息公开工作存在的主要问题及改进情况``)."""

HEADING_TAIL_CHARS = 6
"""A paragraph without numbering is a heading only when it is the words and at most this
many characters more."""

# Variants of the part titles met in real reports (the layout's words come first).
PART_WORDS: dict[str, tuple[str, ...]] = {
    key: (words, *alts)
    for (key, _, words), alts in zip(PARTS, (
        ("工作总体情况",),
        (),
        (),
        ("行政复议行政诉讼情况", "因政府信息公开工作被申请行政复议提起行政诉讼情况",
         "政府信息公开行政复议行政诉讼"),
        ("存在的主要问题及改进", "存在的主要问题", "存在问题及改进", "主要问题及改进"),
        ("其他需要报告事项", "其他需要报告的事项"),
    ))
}

_LONGEST_WORDS = max(len(w) for variants in PART_WORDS.values() for w in variants)

_NUMBERING = re.compile(
    r"^[\s\u3000]*(?:#{1,6}[\s\u3000]*)?(?:\*\*|__)?[\s\u3000]*(?:【[\s\u3000]*)?"
    r"(?P<num>第[\s\u3000]*[一二三四五六七八九十\d]+[\s\u3000]*部分[\s\u3000]*[、.．:：]?"
    r"|[一二三四五六七八九十]{1,2}[\s\u3000]*[、.．,，]"
    r"|\d{1,2}[\s\u3000]*[、.．](?!\d))?"
)
_RUN_HEADING = re.compile(r"(?<![一二三四五六七八九十])[一二三四五六][、.．]")


def find_parts(blocks: Sequence[Block]) -> dict[str, tuple[int, str]]:
    """Part key -> (block index, text after the heading words on the same paragraph)."""
    found: dict[str, tuple[int, str]] = {}
    for i, b in enumerate(blocks):
        if not isinstance(b, Paragraph) or len(found) == len(PART_WORDS):
            continue
        match = heading_part(b.text)
        if match is None or match[0] in found:
            continue
        found[match[0]] = (i, match[1])
    return found


def heading_part(text: str) -> tuple[str, str] | None:
    """(part key, remainder) when ``text`` is a part heading, else None."""
    m = _NUMBERING.match(text)
    numbered = bool(m and m.group("num")) or "【" in text[:4] or text.lstrip().startswith(("#", "**"))
    rest = text[m.end():] if m else text
    rest = rest.replace("**", "").replace("【", "").replace("】", " ")
    k = label_key(rest)
    if not k or (not numbered and len(k) > _LONGEST_WORDS + HEADING_TAIL_CHARS):
        return None  # prose: a heading without numbering is only its words
    for key, variants in PART_WORDS.items():
        for words in variants:
            at = _words_at(k, words, numbered)
            if at is None:
                continue
            if not numbered and len(k) > len(words) + at + HEADING_TAIL_CHARS:
                continue
            pos = _end_of_words(rest, k[: at + len(words)])
            remainder = rest[pos:].lstrip("。.:：；; \u3000)）") if pos is not None else ""
            return key, remainder
    return None


def _words_at(k: str, words: str, numbered: bool) -> int | None:
    """Where ``words`` start in the heading key ``k``: 0 for an exact or near start, the
    offset when they follow a short lead (numbered headings only), else None."""
    if k.startswith(words):
        return 0
    if numbered and similar(words, k[: len(words) + 2]) >= HEADING_SIMILARITY:
        return 0
    if numbered:
        at = k.find(words, 0, HEADING_LEAD_CHARS + len(words))
        if 0 < at <= HEADING_LEAD_CHARS:
            return at
    return None


def _end_of_words(text: str, words: str) -> int | None:
    """Index in ``text`` just after the characters spelling ``words`` (spaces skipped)."""
    j = 0
    for i, ch in enumerate(text):
        if j == len(words):
            return i
        if label_key(ch) == "":
            continue
        if ch == words[j] or fold(ch) == words[j]:
            j += 1
        else:
            return None if j < len(words) // 2 else i
    return len(text) if j >= len(words) // 2 else None


def split_run_on_parts(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Cut every long paragraph holding two or more part headings at those headings."""
    out: list[Block] = []
    for b in blocks:
        if not isinstance(b, Paragraph) or len(b.text) < LONG_PARAGRAPH_CHARS:
            out.append(b)
            continue
        cuts = [m.start() for m in _RUN_HEADING.finditer(b.text)
                if heading_part(b.text[m.start(): m.start() + 80]) is not None]
        if len(cuts) < 2:
            out.append(b)
            continue
        bounds = [0, *cuts, len(b.text)]
        for lo, hi in zip(bounds, bounds[1:]):
            piece = b.text[lo:hi].strip()
            if piece:
                out.append(Paragraph(piece))
    return tuple(out)
