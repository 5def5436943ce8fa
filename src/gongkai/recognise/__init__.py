"""Recognise a report in a :class:`Document`: title, agency, year, parts, tables A/B/C.

One module per job:

- :mod:`.title` — title, agency and year in the forms agencies print them;
- :mod:`.parts` — the six parts, found by their words (and run-together text cut at them);
- :mod:`.tables` — rows assigned to tables A/B/C, aligned to the layout, read;
- :mod:`.flat` and :mod:`.glued` — tables printed as running text, digits run together
  split only where the table's arithmetic proves it;
- :mod:`.prose` — the prose parts.

The recogniser anchors on labels it recognises and on the fixed order of rows, never on
"the Nth number in the text". Values are read as printed; a blank cell is ``None``; an
unreadable cell is ``None`` plus a warning. Nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import LayoutNotRecognised, NotAReport, PreLayoutReport
from ..layouts import TABLE_A
from ..model import ValueNote
from ..normalise import fold, fold_radicals, looks_traditional, squash, to_simplified
from ..read.document import Block, Document, Paragraph, Table
from .context import MATCH_THRESHOLD, Context, Row
from .flat import flat_rows, one_value_lines
from .parts import find_parts, split_run_on_parts
from .dates import Published, published
from .prose import read_prose
from .tables import TABLE_NAMES, detect_format, parse_table_a, parse_table_b, parse_table_c, table_rows
from .title import find_title

__all__ = ["MATCH_THRESHOLD", "Recognised", "recognise"]

SUPPORTED_FORMATS = ("2019", "2021")
"""Layouts parsed into data (both layouts of the spec)."""

FIRST_LAYOUT_YEAR = 2019
"""Reports for earlier years follow no national table layout (国办公开办函〔2019〕60号 is the first)."""


@dataclass(frozen=True, slots=True)
class Recognised:
    """What recognition found, before checks are added (see :func:`gongkai.parse`)."""

    title: str
    agency: str
    year: int
    format: str
    sections: dict[str, str]
    active_disclosure: dict[str, Any]
    requests: dict[str, Any]
    review_litigation: dict[str, Any]
    warnings: tuple[str, ...]
    value_notes: tuple[ValueNote, ...] = ()
    published: Published | None = None
    """Where and when the report says it was published (:mod:`.dates`)."""


def recognise(doc: Document, path: Path | str) -> Recognised:
    """Recognise a report; raise :class:`NotAReport` or :class:`LayoutNotRecognised`
    (:class:`PreLayoutReport` for a report of 2008–2018)."""
    ctx = Context(list(doc.warnings))
    blocks = split_run_on_parts(_normalised(doc.blocks))
    text = Document(blocks, doc.kind).text()
    if not _looks_like_report(text):
        raise NotAReport(path, "not an annual government-information-disclosure report "
                               "(no '政府信息公开…年度报告' title and none of its tables)")

    headings = find_parts(blocks)
    first_part = min((i for i, _ in headings.values()), default=len(blocks))
    first_table = next((i for i, b in enumerate(blocks) if isinstance(b, Table)), len(blocks))
    intro = [b.text for b in blocks[: min(first_part, first_table)] if isinstance(b, Paragraph)]
    title, agency, year = find_title(intro, ctx, path)
    rows = table_rows(blocks, headings)
    if not all(rows.values()):
        flat = flat_rows(blocks, headings)
        for key in rows:
            if not rows[key] and flat[key]:
                rows[key] = flat[key]
    if rows["A"] and not rows["A"][0].glued:
        # one-value rows printed as a line of text ("行政许可 97") beside a table A grid
        rows["A"] = rows["A"] + one_value_lines(blocks, headings)

    fmt = detect_format(rows["A"])
    missing = [key for key in ("A", "B", "C") if not rows[key]]
    if missing and year < FIRST_LAYOUT_YEAR:
        raise PreLayoutReport(path, agency, year, title)
    if len(missing) == 3:
        raise LayoutNotRecognised(path, "report tables not found: " + _found_and_missing(rows, headings, blocks))
    if fmt not in SUPPORTED_FORMATS:  # pragma: no cover - detect_format gives one of them
        raise LayoutNotRecognised(path, f"{fmt} layout not supported yet (tables of 国办公开办函〔2019〕60号)")
    if missing:
        raise LayoutNotRecognised(path, "report tables not found: " + _found_and_missing(rows, headings, blocks))

    table_a = parse_table_a(rows["A"], TABLE_A[fmt], ctx)
    table_b = parse_table_b(rows["B"], ctx)
    table_c = parse_table_c(rows["C"], ctx)
    prose, signed = read_prose(blocks, headings, agency)
    # The page chrome before part 一 (dropped from the prose) says when the page was published.
    chrome = [b.text for b in blocks[:first_part] if isinstance(b, Paragraph)]
    date_warnings: list[str] = []
    when = published(doc.page_url, doc.page_dates, chrome, signed, year, date_warnings)
    for w in date_warnings:
        ctx.warn(w)
    return Recognised(
        title=title,
        agency=agency,
        year=year,
        format=fmt,
        sections=prose,
        active_disclosure=table_a,
        requests=table_b,
        review_litigation=table_c,
        warnings=tuple(ctx.warnings),
        value_notes=tuple(ctx.notes),
        published=when,
    )


# ---------------------------------------------------------------- document-level

def _normalised(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Radical code points folded (PDFs saved from web pages), and a Traditional-Chinese
    document converted to Simplified (OpenCC t2s)."""
    everything = "".join(b.text if isinstance(b, Paragraph) else "".join("".join(r) for r in b.rows) for b in blocks)
    if fold_radicals(everything) is not everything:
        blocks = tuple(_map_text(b, fold_radicals) for b in blocks)
    else:
        blocks = tuple(blocks)
    sample = "".join(b.text for b in blocks[:40] if isinstance(b, Paragraph))
    sample += "".join("".join(r) for b in blocks if isinstance(b, Table) for r in b.rows[:5])
    if not looks_traditional(sample):
        return blocks
    return tuple(_map_text(b, to_simplified) for b in blocks)


def _map_text(b: Block, fn: Any) -> Block:
    if isinstance(b, Paragraph):
        t = fn(b.text)
        return b if t == b.text else Paragraph(t)
    rows = tuple(tuple(fn(c) for c in r) for r in b.rows)
    return b if rows == b.rows else Table(rows, b.marks)


_REPORT_MARKERS = ("年度报告", "工作报告", "本年新收政府信息公开申请数量", "主动公开政府信息情况", "收到和处理政府信息公开申请情况")


def _looks_like_report(text: str) -> bool:
    # The words as printed first: folding the whole text (NFKC) only when they are not
    # there (folding never changes these ideographs, so a text that has them keeps them).
    return _has_report_words(squash(text)) or _has_report_words(squash(fold(text)))


def _has_report_words(t: str) -> bool:
    if "政府信息公开" not in t and "政务公开" not in t:
        return False
    return any(m in t for m in _REPORT_MARKERS)


_PART_OF_TABLE = {"A": ("active_disclosure", "二", "第二十条"), "B": ("requests", "三", "勾稽关系/申请人情况"),
                  "C": ("review_litigation", "四", "行政复议…行政诉讼")}


def _found_and_missing(rows: dict[str, list[Row]], headings: dict[str, tuple[int, str]],
                       blocks: Sequence[Block]) -> str:
    """What was found and what not, e.g. "table B found (25 rows); no table A: no 第二十条
    header and no part 二 heading" — so a maintainer can act."""
    said: list[str] = [", ".join(f"{_PART_OF_TABLE[k][1]} (table {k})" for k in ("A", "B", "C") if not rows[k])]
    for key in ("A", "B", "C"):
        if rows[key]:
            said.append(f"{TABLE_NAMES[key]} found ({len(rows[key])} rows)")
    tables = sum(1 for b in blocks if isinstance(b, Table))
    for key in ("A", "B", "C"):
        if rows[key]:
            continue
        part, numeral, header = _PART_OF_TABLE[key]
        heading = (f"part {numeral} heading at block {headings[part][0] + 1} but no table rows after it"
                   if part in headings else f"no part {numeral} heading")
        said.append(f"no table {key}: no {header} header and {heading}")
    said.append(f"the document has {tables} tables and {len(blocks) - tables} paragraphs")
    return "; ".join(said)
