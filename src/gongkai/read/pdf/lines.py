"""Characters into printed lines, lines into paragraphs; page numbers and running heads.

Text is put together from characters directly: spaces are inserted only between
Latin/digit runs, never next to a CJK character (justified Chinese lines have wide gaps
between glyphs).
"""

from __future__ import annotations

import bisect
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .geometry import Char

COLUMN_GAP = 2.0
"""In em: a horizontal gap this wide inside a line separates table columns."""
MARGIN_BAND = 0.12
"""Share of page height at the top and bottom where page numbers and running heads live."""
DEDUPE_TOLERANCE = 1.0
"""Points: the same glyph drawn again this close is WPS's "fake bold" (pdfplumber's default)."""


def is_cjk(ch: str) -> bool:
    """CJK ideographs, kana, Hangul, CJK and full-width punctuation, general punctuation."""
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK symbols/punctuation, kana, ext A, unified
        or 0xF900 <= o <= 0xFAFF
        or 0xFE30 <= o <= 0xFE4F
        or 0xFF00 <= o <= 0xFFEF
        or 0x2010 <= o <= 0x206F  # dashes, curly quotes, ellipsis: Chinese text uses them
        or 0xAC00 <= o <= 0xD7AF
        or o >= 0x20000
    )


def _split_chained(idx: list[int], key: list[float], tolerance: float) -> list[list[int]]:
    """``idx`` sorted by ``key`` and cut where consecutive keys differ by more than
    ``tolerance`` (pdfplumber's ``cluster_list``)."""
    idx.sort(key=key.__getitem__)
    out = [[idx[0]]]
    last = key[idx[0]]
    for i in idx[1:]:
        v = key[i]
        if v > last + tolerance:
            out.append([i])
        else:
            out[-1].append(i)
        last = v
    return out


def dedupe_chars(chars: list[Char], tolerance: float = DEDUPE_TOLERANCE) -> list[Char]:
    """Drop glyphs drawn twice at (almost) the same place, keeping the first drawn.

    WPS's "fake bold" draws every glyph twice a fraction of a point apart. The same
    rule as pdfplumber's ``dedupe_chars``: same text and size, top and x0 within
    ``tolerance`` (chained), the top-left-most of a cluster kept.
    """
    groups: dict[tuple[str, float], list[int]] = {}
    for i, c in enumerate(chars):
        groups.setdefault((c.text, c.size), []).append(i)
    if len(groups) == len(chars):
        return chars
    tops = [c.top for c in chars]
    x0s = [c.x0 for c in chars]
    drop: set[int] = set()
    for idx in groups.values():
        if len(idx) == 1:
            continue
        for row in _split_chained(idx, tops, tolerance):
            if len(row) == 1:
                continue
            for cluster in _split_chained(row, x0s, tolerance):
                if len(cluster) > 1:
                    best = min(cluster, key=lambda i: (tops[i], x0s[i]))
                    drop.update(i for i in cluster if i != best)
    if not drop:
        return chars
    return [c for i, c in enumerate(chars) if i not in drop]


def _vmid(c: Char) -> float:
    return (c.top + c.bottom) / 2


@dataclass
class Line:
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str
    segments: list[tuple[float, float, str]]
    """Runs of the line separated by gaps of at least COLUMN_GAP em."""
    chars: list[Char]
    """Its non-blank characters, left to right (borderless tables split them finer)."""


def group_lines(chars: list[Char]) -> list[list[Char]]:
    """Chars grouped into printed lines (top to bottom), each sorted left to right."""
    ink = [c for c in chars if not c.text.isspace()]
    if not ink:
        return []
    ink.sort(key=_vmid)
    groups: list[list[Char]] = []
    ref_mid = ref_h = 0.0
    for c in ink:
        h = c.bottom - c.top
        if h < 0.1:
            h = 0.1
        m = (c.top + c.bottom) / 2
        if groups and abs(m - ref_mid) <= 0.45 * (h if h > ref_h else ref_h):
            groups[-1].append(c)
        else:
            groups.append([c])
            ref_mid, ref_h = m, h
    # Real space glyphs are kept (they mark word breaks in Latin text) if they sit on a line.
    spaces = [c for c in chars if c.text.isspace() and c.text not in "\r\n"]
    if spaces:
        bounds = [(g[0].top - 1, g[0].bottom + 1, g) for g in groups]
        for c in spaces:
            m = _vmid(c)
            for lo, hi, g in bounds:
                if lo <= m <= hi:
                    g.append(c)
                    break
    for g in groups:
        g.sort(key=lambda c: c.x0)
    return groups


def line_size(chars: Iterable[Char]) -> float:
    sizes = [c.size for c in chars if not c.text.isspace()]
    return statistics.median(sizes) if sizes else 10.0


def join_chars(chars: list[Char], size: float) -> list[tuple[float, float, str]]:
    """Text of one line as segments split at wide gaps; spaces only between non-CJK runs."""
    segments: list[tuple[float, float, str]] = []
    parts: list[str] = []
    seg_x0 = seg_x1 = 0.0
    prev: Char | None = None
    pending_space = False
    wide = COLUMN_GAP * size
    narrow = 0.15 * size
    for c in chars:
        t = c.text
        if t.isspace():
            pending_space = True
            continue
        if prev is None:
            seg_x0 = c.x0
        else:
            gap = c.x0 - prev.x1
            if gap >= wide:
                segments.append((seg_x0, seg_x1, "".join(parts)))
                parts = []
                seg_x0 = c.x0
            elif (pending_space or gap > narrow) and parts:
                if not is_cjk(parts[-1][-1]) and not is_cjk(t[0]):
                    parts.append(" ")
        parts.append(t)
        seg_x1 = max(seg_x1, c.x1) if prev is not None else c.x1
        prev = c
        pending_space = False
    if parts:
        segments.append((seg_x0, seg_x1, "".join(parts)))
    return segments


def seg_join(texts: Iterable[str]) -> str:
    out = ""
    for t in texts:
        if out and t and not is_cjk(out[-1]) and not is_cjk(t[0]):
            out += " "
        out += t
    return out


def make_lines(chars: list[Char], page: int) -> list[Line]:
    lines = []
    for g in group_lines(chars):
        ink = [c for c in g if not c.text.isspace()]
        size = line_size(ink)
        segs = join_chars(g, size)
        lines.append(
            Line(
                page=page,
                x0=min(c.x0 for c in ink),
                x1=max(c.x1 for c in ink),
                top=min(c.top for c in ink),
                bottom=max(c.bottom for c in ink),
                size=size,
                text=seg_join(s[2] for s in segs),
                segments=segs,
                chars=ink,
            )
        )
    return lines


def cell_text(chars: list[Char]) -> str:
    """A table cell's text, one ``"\\n"`` per printed line."""
    out = []
    for g in group_lines(chars):
        size = line_size(g)
        out.append(seg_join(s[2] for s in join_chars(g, size)))
    return "\n".join(out)


# ------------------------------------------------------------------ page furniture

_PAGE_NUMBER = re.compile(
    r"^(?:[-–—－~·•_\s]*\d{1,4}[-–—－~·•_\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|共\s*\d{1,4}\s*页\s*[,，/]?\s*第\s*\d{1,4}\s*页"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?i:page)\s*\d{1,4}(?:\s*(?i:of)\s*\d{1,4})?)$"
)


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def drop_furniture(pages: list[tuple[float, list[Line]]]) -> list[list[Line]]:
    """Remove page numbers and running headers/footers (per page: (height, lines))."""
    def edge_lines(height: float, lines: list[Line]) -> list[Line]:
        if not lines:
            return []
        cand = lines[:2] + lines[-2:]
        return [ln for ln in cand if ln.bottom < height * MARGIN_BAND or ln.top > height * (1 - MARGIN_BAND)]

    counts: Counter[str] = Counter()
    for height, lines in pages:
        counts.update({_furniture_key(ln.text) for ln in edge_lines(height, lines)})
    n = len(pages)
    repeated = {k for k, v in counts.items() if n >= 2 and v >= max(2, (n + 1) // 2)}
    out = []
    for height, lines in pages:
        drop = {
            id(ln)
            for ln in edge_lines(height, lines)
            if _PAGE_NUMBER.match(ln.text.strip()) or _furniture_key(ln.text) in repeated
        }
        out.append([ln for ln in lines if id(ln) not in drop])
    return out


# ------------------------------------------------------------------ paragraphs

_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]"
    r"|[（(]\s*[一二三四五六七八九十\d]+\s*[）)]"
    r"|第[一二三四五六七八九十\d]+[章节部分条]"
    r"|\d{1,2}\s*[、．.]\s*(?!\d))"
)


@dataclass
class TextBlock:
    """The text block of a group of same-sized pages: margins and usual line gap."""

    left: float
    right: float
    gap: float


def _edge_cluster(values: list[float], from_right: bool) -> float:
    """The outermost x shared by a fair number of lines (the text's margin).

    With no such x (a page of a few lines) the outermost x of all.
    """
    if not values:
        return 0.0
    need = max(2, len(values) // 10)
    vals = sorted(values)
    if from_right:
        for i in range(len(vals) - 1, -1, -1):
            if i + 1 - bisect.bisect_left(vals, vals[i] - 3.0) >= need:
                return vals[i]
        return vals[-1]
    for i, v in enumerate(vals):
        if bisect.bisect_right(vals, v + 3.0) - i >= need:
            return v
    return vals[0]


def text_block(lines: list[Line]) -> TextBlock:
    if not lines:
        return TextBlock(0.0, 0.0, 0.0)
    left = _edge_cluster([ln.x0 for ln in lines], from_right=False)
    right = _edge_cluster([ln.x1 for ln in lines], from_right=True)
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:])
        if a.page == b.page and b.top > a.bottom
    ]
    gap = statistics.median(gaps) if gaps else 0.0
    return TextBlock(left, right, gap)


def starts_paragraph(prev: Line, cur: Line, m: TextBlock) -> bool:
    size = max(cur.size, 1.0)
    psize = max(prev.size, 1.0)
    if abs(psize - size) > 0.15 * max(psize, size):
        return True  # title vs body
    if _HEADING.match(cur.text):
        return True
    if cur.x0 > m.left + 0.8 * size:
        return True  # indented first line, or a centred line
    if prev.x1 < m.right - 1.2 * psize:
        return True  # the previous line stopped short of the margin
    if prev.page == cur.page and cur.top - prev.bottom > max(1.2 * size, m.gap + 0.6 * size):
        return True  # a blank line between
    return False


def join_lines(a: str, b: str) -> str:
    if a and b and not is_cjk(a[-1]) and not is_cjk(b[0]) and not a.endswith(("-", "/")):
        return a + " " + b
    return a + b
