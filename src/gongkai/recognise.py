"""Recognise a report in a :class:`Document`: title, agency, year, parts, tables A/B/C.

The recogniser anchors on labels it recognises and on the fixed order of rows, never on
"the Nth number in the text": table rows are aligned to the layout's rows by label
similarity under an order constraint, so a missing, blank or garbled row never shifts
the others. Values are read as printed; a blank cell is ``None``; an unreadable cell is
``None`` plus a warning. Nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import LayoutNotRecognised, NotAReport
from .layouts import (
    FORMAT_MARKERS,
    PARTS,
    SPLIT_OTHER_KEYS,
    TABLE_A,
    TABLE_B,
    TABLE_C,
    ColumnDef,
    RowDef,
    TableLayout,
)
from .normalise import (
    collapse_space,
    fold,
    is_blank_cell,
    label_key,
    looks_numeric,
    looks_traditional,
    parse_cell,
    split_number_run,
    squash,
    to_simplified,
)
from .read.document import Block, Document, Paragraph, Table

MATCH_THRESHOLD = 0.5
"""Least label similarity (0..1) for a printed row to be taken as a layout row."""

SUPPORTED_FORMATS = ("2019", "2021")
"""Layouts parsed into data (both layouts of the spec)."""

_TITLE_RE = re.compile(
    r"^(?P<agency>.*?)(?:关于)?(?P<year>(?:19|20)\d{2})\s*年度?\s*(?:的)?\s*"
    r"(?:政府信息(?:公开|公开工作)|政务公开|信息公开)(?:工作)?(?:年度)?报告"
)
_YEAR_PERIOD_RE = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:起)?\s*[至到-]\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日")
_COMPILER_RE = re.compile(r"本(?:年度)?报告由(?P<name>[^，,。《（(]{2,60}?)(?:办公室)?(?:根据|依据|按照|编制|制作)")
_SIGNATURE_DATE = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_HEADING_RE = re.compile(r"^[\s\u3000]*([一二三四五六])\s*[、.．,，]\s*(.*)$", re.S)

# Words of the group cells in table B ("（三）不予公开"), removed before a row label
# is compared with a layout row's own words.
_B_GROUPS = ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理")


@dataclass
class _Row:
    """A table row split into its label (the text cells) and its value cells."""

    labels: list[str]
    values: list[str]
    block: int

    @property
    def label(self) -> str:
        return "".join(self.labels)

    @property
    def key(self) -> str:
        return label_key(self.label)

    @property
    def has_number(self) -> bool:
        return any(not is_blank_cell(v) for v in self.values)


@dataclass
class _Context:
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)


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


# ---------------------------------------------------------------- entry point

def recognise(doc: Document, path: Path | str) -> Recognised:
    """Recognise a report; raise :class:`NotAReport` or :class:`LayoutNotRecognised`."""
    ctx = _Context(list(doc.warnings))
    blocks = _simplified(doc.blocks)
    text = Document(blocks, doc.kind).text()
    if not _looks_like_report(text):
        raise NotAReport(path, "not an annual government-information-disclosure report "
                               "(no '政府信息公开…年度报告' title and none of its tables)")

    headings = _find_headings(blocks)
    title, agency, year = _title_agency_year(blocks, headings, ctx, path)
    rows = _table_rows(blocks, headings)

    fmt = _detect_format(rows["A"])
    missing = [name for name, key in (("二 (table A)", "A"), ("三 (table B)", "B"), ("四 (table C)", "C"))
               if not rows[key]]
    if len(missing) == 3:
        raise LayoutNotRecognised(path, "report tables not found: " + ", ".join(missing))
    if fmt not in SUPPORTED_FORMATS:
        raise LayoutNotRecognised(path, f"{fmt} layout not supported yet (tables of 国办公开办函〔2019〕60号)")
    if missing:
        raise LayoutNotRecognised(path, "report tables not found: " + ", ".join(missing))

    table_a = _parse_table_a(rows["A"], TABLE_A[fmt], ctx)
    table_b = _parse_table_b(rows["B"], ctx)
    table_c = _parse_table_c(rows["C"], ctx)
    sections = _sections(blocks, headings, agency)
    return Recognised(
        title=title,
        agency=agency,
        year=year,
        format=fmt,
        sections=sections,
        active_disclosure=table_a,
        requests=table_b,
        review_litigation=table_c,
        warnings=tuple(ctx.warnings),
    )


# ---------------------------------------------------------------- document-level

def _simplified(blocks: Sequence[Block]) -> tuple[Block, ...]:
    """Convert a Traditional-Chinese document to Simplified (OpenCC t2s)."""
    sample = "".join(b.text for b in blocks[:40] if isinstance(b, Paragraph))
    sample += "".join("".join(r) for b in blocks if isinstance(b, Table) for r in b.rows[:5])
    if not looks_traditional(sample):
        return tuple(blocks)
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            out.append(Paragraph(to_simplified(b.text)))
        else:
            out.append(Table(tuple(tuple(to_simplified(c) for c in r) for r in b.rows)))
    return tuple(out)


def _looks_like_report(text: str) -> bool:
    t = squash(fold(text))
    if "政府信息公开" not in t and "政务公开" not in t:
        return False
    markers = ("年度报告", "本年新收政府信息公开申请数量", "主动公开政府信息情况", "收到和处理政府信息公开申请情况")
    return any(m in t for m in markers)


def _find_headings(blocks: Sequence[Block]) -> dict[str, tuple[int, str]]:
    """Part key -> (block index, text after the heading on the same paragraph)."""
    found: dict[str, tuple[int, str]] = {}
    numerals = {num: (key, words) for key, num, words in PARTS}
    order = [key for key, _, _ in PARTS]
    last = -1
    for i, b in enumerate(blocks):
        if not isinstance(b, Paragraph):
            continue
        m = _HEADING_RE.match(fold(b.text).replace("\u3000", " "))
        if not m:
            continue
        key, words = numerals[m.group(1)]
        rest = m.group(2)
        k = label_key(rest)
        if k.startswith(words) or _similar(words, k[: len(words) + 2]) >= 0.7:
            if key in found or order.index(key) <= last:
                continue
            remainder = ""
            # "一、总体情况。2023年…": keep the text that follows the heading words.
            pos = _end_of_words(rest, words)
            if pos is not None:
                remainder = rest[pos:].lstrip("。.:：；; \u3000")
            found[key] = (i, remainder)
            last = order.index(key)
    return found


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


def _similar(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _title_agency_year(
    blocks: Sequence[Block], headings: dict[str, tuple[int, str]], ctx: _Context, path: Path | str
) -> tuple[str, str, int]:
    first_part = min((i for i, _ in headings.values()), default=len(blocks))
    intro = [b.text for b in blocks[:first_part] if isinstance(b, Paragraph)]
    title = ""
    agency = ""
    year: int | None = None
    # The title may be broken over several short paragraphs ("…2023年政府信息公开" / "工作年度报告").
    for start in range(min(len(intro), 6)):
        joined = ""
        for j in range(start, min(start + 4, len(intro))):
            joined += collapse_space(intro[j])
            if len(joined) > 160:
                break
            m = _TITLE_RE.match(squash(fold(joined)).replace("(", "（").replace(")", "）"))
            if m:
                title = _title_text(intro[start: j + 1])
                agency = _agency_text(title, m)
                year = int(m.group("year"))
                break
        if title:
            break
    intro_text = "".join(intro)
    if agency:
        agency = _fuller_agency(agency, intro_text)
    else:
        m = _COMPILER_RE.search(squash(intro_text))
        if m:
            agency = m.group("name")
            ctx.warn("no title naming the agency; agency taken from the introduction")
    period = _YEAR_PERIOD_RE.search(squash(fold(intro_text)))
    if year is None and period:
        year = int(period.group(1))
        ctx.warn("no title with the year; year taken from the statistics period")
    elif year is not None and period and int(period.group(1)) != year:
        ctx.warn(f"the title says {year} but the statistics period is {period.group(1)}; using the title's year")
    if not agency:
        raise NotAReport(path, "no report title naming the agency ('<机关>XXXX年政府信息公开工作年度报告')")
    if year is None:
        raise NotAReport(path, "no statistics year in the title or the introduction")
    return title, agency, year


def _title_text(parts: Sequence[str]) -> str:
    out = ""
    for p in parts:
        p = _keep_word_spaces(p)
        # Join broken title lines; keep one space only where Latin meets Latin.
        if out and re.match(r"[0-9A-Za-z]", p[:1]) and re.match(r"[0-9A-Za-z]", out[-1:]):
            out += " "
        out += p
    return re.sub(r"(\d)\s+年", r"\1年", out)


def _agency_text(title: str, m: re.Match[str]) -> str:
    # Recover the agency as printed from the title text: a space between two names
    # ("…开发区 乌兰布和…示范区") is kept, letter-spacing ("洪 泽 区") is not.
    year = m.group("year")
    idx = title.find(year)
    agency = title[:idx] if idx > 0 else m.group("agency")
    agency = re.sub(r"(关于|的)$", "", agency.strip()).strip(" 　:：")
    return _keep_word_spaces(agency)


def _keep_word_spaces(text: str) -> str:
    t = re.sub(r"[\s\u3000]+", " ", text).strip()
    if t.count(" ") * 3 > len(t.replace(" ", "")):
        return squash(t)
    return t


def _fuller_agency(agency: str, intro: str) -> str:
    """The title may drop the higher-level place name ("洪泽区人民政府"); when the
    introduction names the compiler as the same office with it ("本报告由淮安市洪泽区
    人民政府办公室根据…"), use that fuller name. Contact lines are not used: an office
    named there is often a different body."""
    m = _COMPILER_RE.search(squash(fold(intro)))
    if not m:
        return agency
    name = m.group("name")
    short = squash(agency)
    if name.endswith(short) and len(name) > len(short):
        return name[: len(name) - len(short)] + agency
    return agency


# ---------------------------------------------------------------- table rows

def _table_rows(blocks: Sequence[Block], headings: dict[str, tuple[int, str]]) -> dict[str, list[_Row]]:
    """Assign every table row to table A, B or C by the part it stands in.

    Part headings decide where present; header rows (第二十条, 勾稽关系, 行政复议 …)
    decide where a heading is missing or the tables carry no headings at all.
    """
    at_heading = {i: key for key, (i, _) in headings.items()}
    region_of_part = {"active_disclosure": "A", "requests": "B", "review_litigation": "C"}
    rows: dict[str, list[_Row]] = {"A": [], "B": [], "C": []}
    region: str | None = None
    for i, b in enumerate(blocks):
        if i in at_heading:
            region = region_of_part.get(at_heading[i])
        if not isinstance(b, Table):
            continue
        for cells in b.rows:
            marker = _row_marker(cells, region)
            if marker:
                region = marker
            if region is None:
                continue
            row = _split_row(cells, i)
            if row is not None:
                rows[region].append(row)
    return rows


def _row_marker(cells: Sequence[str], region: str | None) -> str | None:
    k = label_key("".join(cells))
    if "第二十条" in k and region in (None, "A"):
        return "A"
    if ("勾稽关系" in k or "申请人情况" in k or "本年新收政府信息公开申请" in k) and region in (None, "A", "B"):
        return "B"
    if ("行政复议" in k or "行政法复议" in k) and ("行政诉讼" in k or region == "B"):
        return "C"
    return None


def _split_row(cells: Sequence[str], block: int) -> _Row | None:
    expanded: list[str] = []
    for c in cells:
        parts = split_number_run(c)
        expanded.extend(parts if parts else [c])
    if not any(c.strip() for c in expanded):
        return _Row([], list(expanded), block) if expanded else None
    last_label = -1
    for j, c in enumerate(expanded):
        if _is_label_cell(c):
            last_label = j
    labels = [c for c in expanded[: last_label + 1] if c.strip()]
    return _Row(labels, expanded[last_label + 1:], block)


_LABEL_CHARS = re.compile(r"[\u4e00-\u9fff]")


def _is_label_cell(cell: str) -> bool:
    """A cell of label text, as opposed to a value cell (a number, blank, or garbage).

    A short cell without Chinese text ("1O", "?") is an unreadable *value*: taking it
    for a label would shift every value of its row.
    """
    if looks_numeric(cell):
        return False
    t = squash(fold(cell))
    return bool(_LABEL_CHARS.search(t)) and t != "无" or len(t) > 6


def _window(values: Sequence[str], n: int, prefer: str) -> list[str]:
    """Choose the ``n`` value cells of a row: the run of ``n`` cells holding most values.

    Rows carry padding (``a | 0 | 0 | |``) or cells of merged labels (``(七)总计 | | 0``);
    where two runs hold equally many values, the table's own alignment decides.
    """
    vals = list(values)
    if len(vals) <= n:
        return vals + [""] * (n - len(vals))
    best_start, best = 0, -1
    starts = range(len(vals) - n + 1)
    for s in (starts if prefer == "left" else reversed(starts)):
        filled = sum(1 for v in vals[s: s + n] if not is_blank_cell(v))
        if filled > best:
            best_start, best = s, filled
    return vals[best_start: best_start + n]


def _alignment(rows: Sequence[_Row], n: int) -> str:
    """'left' when surplus value cells of this table are trailing padding, else 'right'."""
    left = right = 0
    for r in rows:
        if len(r.values) <= n:
            continue
        lead = _leading_blanks(r.values)
        trail = _trailing_blanks(r.values)
        if trail > lead:
            left += 1
        elif lead > trail:
            right += 1
    return "right" if right > left else "left"


def _leading_blanks(values: Sequence[str]) -> int:
    n = 0
    for v in values:
        if not is_blank_cell(v):
            break
        n += 1
    return n


def _trailing_blanks(values: Sequence[str]) -> int:
    return _leading_blanks(list(reversed(values)))


def _read_values(
    cells: Sequence[str], columns: Sequence[ColumnDef], where: str, ctx: _Context
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for cell, col in zip(cells, columns):
        v = parse_cell(cell, col.type)
        if v.unreadable:
            ctx.warn(f"{where}, column {col.label}: unreadable cell {cell.strip()!r} left blank")
        out[col.key] = v.value
    return out


# ---------------------------------------------------------------- format

def _detect_format(rows_a: Sequence[_Row]) -> str:
    """Tell the 2019 from the 2021 layout by table A's own header words and rows
    (2021 when they do not say: that layout is the one in force since the 2020 reports)."""
    text = "".join(label_key("".join(r.labels + r.values)) for r in rows_a)
    scores = {fmt: sum(1 for m in marks if m in text) for fmt, marks in FORMAT_MARKERS.items()}
    # 处理决定数量 is part of 本年处理决定数量 (2021) too: only count it for 2019 when
    # no 2021 marker is there.
    if scores["2021"] and "处理决定数量" in text:
        scores["2019"] -= 1
    return "2019" if scores["2019"] > scores["2021"] else "2021"


# ---------------------------------------------------------------- table A

def _parse_table_a(rows: Sequence[_Row], layout: TableLayout, ctx: _Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    found: dict[str, _Row] = {}
    for r in rows:
        if not r.labels:
            continue
        k = r.key
        best, score = None, 0.0
        for rd in layout.rows:
            s = max(_similar(m, k) for m in rd.match)
            if s > score:
                best, score = rd, s
        if best is None or score < 0.75 or best.key in found:
            continue
        found[best.key] = r
    for rd in layout.rows:
        cols = layout.columns_of(rd)
        printed = found.get(rd.key)
        if printed is None:
            ctx.warn(f"table A (主动公开): row {rd.label} not found; its values are left blank")
            values = {c.key: None for c in cols}
        else:
            cells = _window(printed.values, len(cols), "left")
            values = _read_values(cells, cols, f"table A row {rd.label}", ctx)
        out[rd.key] = values["value"] if rd.single else values
    return out


# ---------------------------------------------------------------- table B

@lru_cache(maxsize=256)
def _full_key(label: str) -> str:
    return label_key(label)


@lru_cache(maxsize=65536)
def _b_score(rd: RowDef, k: str) -> float:
    """Similarity of a printed table B label (normalised) to a layout row.

    Cached: the same printed labels recur in every report, so a corpus pays for each
    distinct label once.
    """
    core = k
    for g in _B_GROUPS:
        if rd.key != "other":
            core = core.replace(g, "")
    full = _full_key(rd.label)
    best = max(_similar(m, core) for m in rd.match)
    return max(best, _similar(full, k))


def _best_b_score(k: str) -> float:
    return max(_b_score(rd, k) for rd in TABLE_B.rows) if k else 0.0


def _parse_table_b(rows: Sequence[_Row], ctx: _Context) -> dict[str, Any]:
    layout = TABLE_B
    cols = layout.columns
    n = len(cols)
    # Data rows hold values. A row without values right after one may continue its
    # label (wrapped onto a row of its own, e.g. across a page break): it is joined
    # when that makes the label match better. Otherwise a row of blank value cells
    # is a data row only when its own label is clearly a layout row (a blank form).
    data: list[_Row] = []
    for r in rows:
        if r.has_number:
            data.append(_Row(list(r.labels), list(r.values), r.block))
            continue
        if not r.labels:
            continue
        if data and data[-1].has_number:
            prev = data[-1]
            joined = label_key("".join(prev.labels + r.labels))
            if _best_b_score(joined) > _best_b_score(prev.key) + 0.05:
                prev.labels.extend(r.labels)
                continue
        if len(r.values) >= n and _best_b_score(r.key) >= 0.75:
            data.append(_Row(list(r.labels), list(r.values), r.block))
    keys = [rd.key for rd in layout.rows]
    assignment = _align(data, layout.rows, ctx)
    prefer = _alignment(data, n)
    out: dict[str, Any] = {k: None for k in keys}
    for idx, key in assignment.items():
        r = data[idx]
        rd = layout.row(key)
        cells = _window(r.values, n, prefer)
        if len(r.values) < n and r.has_number:
            ctx.warn(f"table B row {rd.label}: only {len(r.values)} of {n} value cells printed; "
                     f"read from the left, the rest left blank")
        if len([v for v in r.values if v.strip()]) > n:
            ctx.warn(f"table B row {rd.label}: more than {n} values printed; kept {', '.join(cells)}")
        out[key] = _read_values(cells, cols, f"table B row {rd.label}", ctx)
    for i, r in enumerate(data):
        if i not in assignment and r.has_number:
            ctx.warn(f"table B: row {collapse_space(r.label) or '(no label)'!r} "
                     f"with values {' '.join(v for v in r.values if v.strip())} not recognised; not used")
    for rd in layout.rows:
        if out[rd.key] is None and rd.key != "other" and rd.key not in SPLIT_OTHER_KEYS:
            ctx.warn(f"table B (申请): row {rd.label} not found; left blank")
    if out["other"] is None and all(out[k] is None for k in SPLIT_OTHER_KEYS):
        ctx.warn("table B (申请): row （六）其他处理 not found; left blank")
    return out


def _align(data: Sequence[_Row], layout_rows: Sequence[RowDef], ctx: _Context) -> dict[int, str]:
    """Align printed rows to layout rows, keeping both orders (a DP over similarities).

    A printed row whose label is unreadable may still be placed when its neighbours
    leave exactly one layout row for it; that placement is reported as a warning.
    """
    m, n = len(data), len(layout_rows)
    # The single （六） row and the three split rows are alternatives, not a sequence.
    row_keys = [r.key for r in data]
    scores = [[_b_score(rd, k) if k else 0.0 for rd in layout_rows] for k in row_keys]
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    move = [[0] * (n + 1) for _ in range(m + 1)]  # 0 skip row, 1 skip key, 2 match
    for i in range(m - 1, -1, -1):
        for j in range(n - 1, -1, -1):
            options = [(best[i + 1][j], 0), (best[i][j + 1], 1)]
            s = scores[i][j]
            if s >= MATCH_THRESHOLD:
                options.append((best[i + 1][j + 1] + s, 2))
            best[i][j], move[i][j] = max(options, key=lambda o: (o[0], o[1]))
    assignment: dict[int, str] = {}
    i = j = 0
    while i < m and j < n:
        mv = move[i][j]
        if mv == 2:
            assignment[i] = layout_rows[j].key
            i += 1
            j += 1
        elif mv == 1:
            j += 1
        else:
            i += 1
    # Place rows with unreadable labels by position, when the matched rows around
    # them leave exactly as many layout rows as there are such rows.
    keys = [rd.key for rd in layout_rows]
    i = 0
    while i < m:
        if i in assignment or not data[i].has_number:
            i += 1
            continue
        q = i
        while q < m and q not in assignment:
            q += 1
        run = [p for p in range(i, q) if data[p].has_number]
        prev_key = next((assignment[p] for p in range(i - 1, -1, -1) if p in assignment), None)
        next_key = assignment.get(q)
        lo = keys.index(prev_key) + 1 if prev_key else 0
        hi = keys.index(next_key) if next_key else n
        gap = keys[lo:hi]
        split = [k for k in gap if k != "other"]
        if len(run) == 1 and "other" in gap and not split:
            split = ["other"]
        if len(run) == len(split) and (prev_key or next_key):
            for p, key in zip(run, split):
                assignment[p] = key
                ctx.warn(f"table B: row label {collapse_space(data[p].label) or '(blank)'!r} not recognised; "
                         f"placed by position as {TABLE_B.row(key).label}")
        i = q
    return dict(sorted(assignment.items()))


# ---------------------------------------------------------------- table C

def _parse_table_c(rows: Sequence[_Row], ctx: _Context) -> dict[str, Any]:
    layout = TABLE_C
    cols = layout.columns
    want = len(layout.rows) * len(cols)
    cells: list[str] = []
    for r in rows:
        if r.labels:
            if cells:
                break
            continue
        if r.has_number or len(r.values) >= want - 5:
            cells.extend(r.values)
    if len([c for c in cells if c.strip()]) > want:
        ctx.warn(f"table C (复议诉讼): more than {want} values printed")
    if 0 < len(cells) < want:
        ctx.warn(f"table C (复议诉讼): only {len(cells)} of {want} cells printed; the missing ones are left blank")
    chosen = _window(cells, want, "left")
    out: dict[str, Any] = {}
    for g, group in enumerate(layout.rows):
        part = chosen[g * len(cols): (g + 1) * len(cols)]
        out[group.key] = _read_values(part, cols, f"table C {group.label}", ctx)
    if not cells:
        ctx.warn("table C (复议诉讼): no row of values found; left blank")
    return out


# ---------------------------------------------------------------- prose parts

def _sections(blocks: Sequence[Block], headings: dict[str, tuple[int, str]], agency: str) -> dict[str, str]:
    starts = sorted((i, key) for key, (i, _) in headings.items())
    out = {"general": "", "problems": "", "other": ""}
    for n, (i, key) in enumerate(starts):
        if key not in out:
            continue
        end = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        paras = [headings[key][1]] if headings[key][1] else []
        for b in blocks[i + 1: end]:
            if isinstance(b, Table):
                if key == "general":
                    break  # a table right after part 一 belongs to part 二
                continue
            paras.append(b.text.strip())
        if key == "other":
            paras = _drop_signature(paras, agency)
        out[key] = "\n\n".join(p for p in (_prose_text(p) for p in paras) if p)
    return out


def _prose_text(text: str) -> str:
    return collapse_space(text.replace("\u3000", " "))


def _drop_signature(paras: list[str], agency: str) -> list[str]:
    """Drop a closing signature (agency name and date lines) after part 六."""
    out = list(paras)
    while out and (_SIGNATURE_DATE.match(fold(out[-1])) or squash(out[-1]) in (squash(agency), "")
                   or (len(squash(out[-1])) <= 30 and squash(agency) and squash(out[-1]).endswith(squash(agency)[-4:]))):
        out.pop()
    return out
