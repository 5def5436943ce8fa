"""Table rows printed as running text instead of table cells.

Two shapes met in real files:

- a web page's text extraction runs the whole table into one line, each row's cells
  glued together (``…现行有效件数规章000行政规范性文件700第二十条…``, ``1.属于国家秘密00000002.
  其他法律…``: seven zeros, then the ``2.`` of the next row);
- a one-value row printed as a line of text with a single space (``行政许可 97``).

The text is cut into (label, run of digits) pairs. A digit directly followed by
``.``/``、`` and a label is the next row's enumerator, not a value. Labels that carry the
table's header words in front (``第二十条第（一）项信息内容本年制发件数…规章``) are cut after
the header's last column label. Each pair becomes a :class:`Row` marked ``glued``: its
cells are split later, by :mod:`.glued`, only where the arithmetic allows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..layouts import TABLE_A, TABLE_B, TABLE_C
from ..normalise import fold, squash
from ..read.document import Block, Paragraph
from .context import Row
from .tables import row_marker

# A run of numbers; a sign only after white space (2019 layout's 本年增/减 "-3"), never
# inside a glued run (the "-" of "0591-86177878" is not a sign).
_RUN = re.compile(r"(?:(?<=\s)[+-])?\d+(?:\.\d+)?(?:[ \t\u3000]+[+-]?\d+(?:\.\d+)?)*")
_ENUM_AFTER = re.compile(r"[.、](?=[^\d\s])")
_HEADER_MARKS = ("第二十条", "信息内容", "申请人情况", "勾稽关系", "结果维持")
_COLUMN_LABELS = tuple(sorted(
    {squash(c.label) for layout in (*TABLE_A.values(), TABLE_B, TABLE_C)
     for rd in layout.rows for c in layout.columns_of(rd)} | {"结果维持", "结果纠正", "其他结果", "尚未审结", "总计"},
    key=len, reverse=True))
_TABLE_PARTS = ("active_disclosure", "requests", "review_litigation")
_UNIT = re.compile(r"^[(（][^()（）]{0,12}[)）]")


def flat_rows(blocks: Sequence[Block], headings: dict[str, tuple[int, str]]) -> dict[str, list[Row]]:
    """Rows of tables A/B/C found in paragraphs after a table's header words (第二十条,
    勾稽关系/申请人情况, 行政复议…行政诉讼): a part heading alone does not make prose
    numbers table rows."""
    at_heading = {i: key for key, (i, _) in headings.items()}
    rows: dict[str, list[Row]] = {"A": [], "B": [], "C": []}
    region: str | None = None
    for i, b in enumerate(blocks):
        if i in at_heading and at_heading[i] not in _TABLE_PARTS:
            region = None  # prose parts end a table; only a table's own header words start one
        if not isinstance(b, Paragraph):
            continue
        for label, run in _pairs(fold(b.text)):
            marker = row_marker([label], region)
            if marker == "C" and region is None:
                marker = None  # an introduction naming 行政复议、行政诉讼 is not table C
            if marker:
                region = marker
            if region is None or not run:
                continue
            if region == "C" and rows["C"]:
                region = None  # table C is one run; what follows is prose
                continue
            own = _strip_header(label)
            rows[region].append(Row([own] if own else [], run.split(), i, glued=True))
    return rows


def _pairs(text: str) -> list[tuple[str, str]]:
    """(label, digits) pairs of running text; a label with no digits after it is joined
    to the next one."""
    out: list[tuple[str, str]] = []
    label = ""
    pos = 0
    for m in _RUN.finditer(text):
        label += text[pos: m.start()]
        run = m.group(0)
        pos = m.end()
        if _ENUM_AFTER.match(text, pos):
            # "…00000002.其他法律…": the last digit is the next row's enumerator
            run = run[:-1]
            pos -= 1
        run = run.strip()
        if not run:
            continue
        out.append((label.strip(), run))
        label = ""
    return out


def _strip_header(label: str) -> str:
    """The row's own label from a label run together with the header before it."""
    k = squash(label)
    if not any(m in k for m in _HEADER_MARKS):
        return label.strip()
    end = -1
    for col in _COLUMN_LABELS:
        at = k.rfind(col)
        if at >= 0:
            end = max(end, at + len(col))
    if end < 0:
        return label.strip()
    return _UNIT.sub("", k[end:]).strip()


_ONE_VALUE_LINE = re.compile(r"^\s*(?P<label>[^\d\s]{2,24})[ \t\u3000]+(?P<value>[+-]?\d[\d,]*(?:\.\d+)?)\s*$")


def one_value_lines(blocks: Sequence[Block], headings: dict[str, tuple[int, str]]) -> list[Row]:
    """Table A rows printed as a line of text with a single space (``行政许可 97``) in
    part 二 (or after a 第二十条 header): a label of a few words, then one number."""
    start = headings.get("active_disclosure", (None, ""))[0]
    end = headings.get("requests", (len(blocks), ""))[0]
    out: list[Row] = []
    seen_header = False
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            seen_header = seen_header or "第二十条" in b.text
        else:
            seen_header = seen_header or any("第二十条" in c for r in b.rows for c in r)
            continue
        if i >= end or not (seen_header or (start is not None and i > start)):
            continue
        m = _ONE_VALUE_LINE.match(fold(b.text))
        if m:
            out.append(Row([m.group("label")], [m.group("value")], i))
    return out
