"""Tables A, B and C: printed rows assigned to a table, aligned to the layout, read.

Rows are aligned to the layout's rows by label similarity under the fixed row order,
never by "the Nth number in the text", so a missing, blank or garbled row never shifts
the others. Values are read as printed; a blank cell is ``None``; an unreadable cell is
``None`` plus a warning. A value taken from an OCR'd cell, split from glued digits by
arithmetic, or printed with a remark gets a :class:`~gongkai.model.ValueNote`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..layouts import FORMAT_MARKERS, SPLIT_OTHER_KEYS, TABLE_B, TABLE_C, ColumnDef, RowDef, TableLayout
from ..model import ValueNote
from ..normalise import collapse_space, fold, is_blank_cell, label_key, looks_numeric, parse_cell, split_number_run, split_remark, squash
from ..read.document import Block, CellMark, Table
from . import glued
from .context import MATCH_THRESHOLD, ROW_MATCH_THRESHOLD, Context, Row, similar

# Words of the group cells in table B ("（三）不予公开"), removed before a row label
# is compared with a layout row's own words.
_B_GROUPS = ("本年度办理结果", "不予公开", "无法提供", "不予处理", "其他处理")

TABLE_NAMES = {"A": "table A (主动公开)", "B": "table B (申请)", "C": "table C (复议诉讼)"}


# ---------------------------------------------------------------- rows of each table

def table_rows(blocks: Sequence[Block], headings: dict[str, tuple[int, str]]) -> dict[str, list[Row]]:
    """Assign every table row to table A, B or C by the part it stands in.

    Part headings decide where present; header rows (第二十条, 勾稽关系, 行政复议 …)
    decide where a heading is missing or the tables carry no headings at all.
    """
    at_heading = {i: key for key, (i, _) in headings.items()}
    region_of_part = {"active_disclosure": "A", "requests": "B", "review_litigation": "C"}
    rows: dict[str, list[Row]] = {"A": [], "B": [], "C": []}
    region: str | None = None
    for i, b in enumerate(blocks):
        if i in at_heading:
            region = region_of_part.get(at_heading[i])
        if not isinstance(b, Table):
            continue
        for r, cells in enumerate(b.rows):
            marker = row_marker(cells, region)
            if marker:
                region = marker
            if region is None:
                continue
            marks = b.marks[r] if b.marks is not None and r < len(b.marks) else None
            row = split_row(cells, i, marks)
            if row is not None:
                rows[region].append(row)
    return rows


def row_marker(cells: Sequence[str], region: str | None) -> str | None:
    k = label_key("".join(cells))
    if "第二十条" in k and region in (None, "A"):
        return "A"
    if ("勾稽关系" in k or "申请人情况" in k or "本年新收政府信息公开申请" in k) and region in (None, "A", "B"):
        return "B"
    if ("行政复议" in k or "行政法复议" in k) and ("行政诉讼" in k or region == "B"):
        return "C"
    return None


def split_row(cells: Sequence[str], block: int, marks: Sequence[CellMark | None] | None = None) -> Row | None:
    expanded: list[str] = []
    expanded_marks: list[CellMark | None] = []
    for j, c in enumerate(cells):
        parts = split_number_run(c)
        mark = marks[j] if marks is not None and j < len(marks) else None
        for p in parts if parts else [c]:
            expanded.append(p)
            expanded_marks.append(mark)
    if not any(c.strip() for c in expanded):
        return Row([], list(expanded), block, expanded_marks) if expanded else None
    last_label = -1
    for j, c in enumerate(expanded):
        if _is_label_cell(c):
            last_label = j
    labels = [c for c in expanded[: last_label + 1] if c.strip()]
    return Row(labels, expanded[last_label + 1:], block, expanded_marks[last_label + 1:])


_LABEL_CHARS = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=65536)
def _is_label_cell(cell: str) -> bool:
    """A cell of label text, as opposed to a value cell (a number, blank, or garbage).

    A short cell without Chinese text ("1O", "?") is an unreadable *value*: taking it
    for a label would shift every value of its row. A number with a remark
    ("22（其中修订16件）") is a value.
    """
    if looks_numeric(cell) or (("(" in cell or "（" in cell) and split_remark(fold(cell)) is not None):
        return False
    t = squash(fold(cell))
    return bool(_LABEL_CHARS.search(t)) and t != "无" or len(t) > 6


def window_start(values: Sequence[str], n: int, prefer: str) -> int:
    """Where the ``n`` value cells of a row start: the run of ``n`` cells holding most values.

    Rows carry padding (``a | 0 | 0 | |``) or cells of merged labels (``(七)总计 | | 0``);
    where two runs hold equally many values, the table's own alignment decides.
    """
    if len(values) <= n:
        return 0
    best_start, best = 0, -1
    starts = range(len(values) - n + 1)
    for s in (starts if prefer == "left" else reversed(starts)):
        filled = sum(1 for v in values[s: s + n] if not is_blank_cell(v))
        if filled > best:
            best_start, best = s, filled
    return best_start


def _window(row: Row, n: int, prefer: str) -> tuple[list[str], list[CellMark | None]]:
    s = window_start(row.values, n, prefer)
    cells = list(row.values[s: s + n])
    marks = [row.mark(s + j) for j in range(len(cells))]
    pad = n - len(cells)
    return cells + [""] * pad, marks + [None] * pad


def _alignment(rows: Sequence[Row], n: int) -> str:
    """'left' when surplus value cells of this table are trailing padding, else 'right'."""
    left = right = 0
    for r in rows:
        if len(r.values) <= n:
            continue
        lead = _leading_blanks(r.values)
        trail = _leading_blanks(list(reversed(r.values)))
        if trail > lead:
            left += 1
        elif lead > trail:
            right += 1
    return "right" if right > left else "left"


def _leading_padding(rows: Sequence[Row], n: int) -> int:
    """The blank cells every full row of the table starts with (0 when they differ)."""
    pads = {len(r.values) - n for r in rows if len(r.values) > n and r.has_number}
    if len(pads) != 1:
        return 0
    pad = pads.pop()
    full = [r for r in rows if len(r.values) == n + pad]
    return pad if full and all(_leading_blanks(r.values) >= pad for r in full) else 0


def _leading_blanks(values: Sequence[str]) -> int:
    n = 0
    for v in values:
        if not is_blank_cell(v):
            break
        n += 1
    return n


def read_values(
    cells: Sequence[str], columns: Sequence[ColumnDef], where: str, ctx: Context,
    table: str, row: str, marks: Sequence[CellMark | None] = (),
) -> dict[str, Any]:
    """Read a row's cells into its columns; note OCR'd cells and remarks."""
    out: dict[str, Any] = {}
    for j, (cell, col) in enumerate(zip(cells, columns)):
        v = parse_cell(cell, col.type)
        remark = None
        if v.unreadable:
            found = split_remark(fold(cell))
            if found is not None:
                number, remark = found
                v = parse_cell(number, col.type)
        if v.unreadable:
            ctx.warn(f"{where}, column {col.label}: unreadable cell {cell.strip()!r} left blank")
        out[col.key] = v.value
        if v.value is None:
            continue
        if remark is not None:
            ctx.note(ValueNote(table, row, col.key, "remark", note=remark))
        mark = marks[j] if j < len(marks) else None
        if mark is not None:
            ctx.note(ValueNote(table, row, col.key, mark.how, confidence=mark.confidence))
    return out


def _glued_values(
    row: Row, columns: Sequence[ColumnDef], split: glued.Split, where: str, ctx: Context, table: str, key: str,
    why: str = "the only split the table's arithmetic allows",
) -> dict[str, Any]:
    """Values of a row split from glued digits; a note on every cell taken from a split chunk."""
    chunks = glued.chunks_of(row.values) or []
    run = " ".join(chunks)
    owner: list[int] = []  # chunk index of each cell
    pos = 0
    for ci, chunk in enumerate(chunks):
        used = 0
        while used < len(chunk) and pos < len(split):
            used += len(str(split[pos]))
            owner.append(ci)
            pos += 1
    counts = [owner.count(ci) for ci in range(len(chunks))]
    out: dict[str, Any] = {}
    for j, col in enumerate(columns):
        out[col.key] = split[j]
        if counts[owner[j]] > 1:
            ctx.note(ValueNote(table, key, col.key, "arithmetic",
                               note=f"printed run together as {run!r}; {why}"))
    return out


# ---------------------------------------------------------------- format

def detect_format(rows_a: Sequence[Row]) -> str:
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

def _a_score(rd: RowDef, r: Row) -> float:
    k = r.key
    score = max(similar(m, k) for m in rd.match)
    if r.glued:
        # a label run together with the header before it ("…现行有效件数规章"): its tail
        score = max([score] + [1.0 for m in rd.match if k.endswith(m)])
    return score


def parse_table_a(rows: Sequence[Row], layout: TableLayout, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    found: dict[str, Row] = {}
    for r in rows:
        if not r.labels:
            continue
        best, score = None, 0.0
        for rd in layout.rows:
            s = _a_score(rd, r)
            if s > score:
                best, score = rd, s
        if best is None or score < ROW_MATCH_THRESHOLD or best.key in found:
            continue
        found[best.key] = r
    for rd in layout.rows:
        cols = layout.columns_of(rd)
        printed = found.get(rd.key)
        where = f"table A row {rd.label}"
        if printed is None:
            ctx.warn(f"table A (主动公开): row {rd.label} not found; its values are left blank")
            values: dict[str, Any] = {c.key: None for c in cols}
        elif printed.glued and (chunks := glued.chunks_of(printed.values)) is not None and len(chunks) != len(cols):
            values = _glued_a(printed, cols, chunks, where, ctx, layout.key, rd.key)
        else:
            cells, marks = _window(printed, len(cols), "left")
            if len(printed.values) < len(cols) and printed.has_number and len(cols) > 1:
                ctx.warn(f"{where}: only {len(printed.values)} of {len(cols)} value cells printed; "
                         f"read from the left, the rest left blank")
            values = read_values(cells, cols, where, ctx, layout.key, rd.key, marks)
        out[rd.key] = values["value"] if rd.single else values
    return out


def _glued_a(row: Row, cols: Sequence[ColumnDef], chunks: list[str], where: str, ctx: Context,
             table: str, key: str) -> dict[str, Any]:
    """Table A has no arithmetic: only a run with a single possible split is read."""
    found = glued.splits(chunks, [len(cols)])
    if found and len(found) == 1:
        return _glued_values(row, cols, found[0], where, ctx, table, key,
                             why=f"the only split into {len(cols)} cells")
    many = "more than one" if found is None else str(len(found))
    ctx.warn(f"{where}: digits run together ({' '.join(chunks)!r}) split {many} ways into "
             f"{len(cols)} cells and table A has no sum to decide; left blank")
    return {c.key: None for c in cols}


# ---------------------------------------------------------------- table B

@lru_cache(maxsize=256)
def _full_key(label: str) -> str:
    return label_key(label)


def _b_score(rd: RowDef, k: str) -> float:
    """Similarity of a printed table B label (normalised) to a layout row."""
    core = k
    for g in _B_GROUPS:
        if rd.key != "other":
            core = core.replace(g, "")
    full = _full_key(rd.label)
    best = max(similar(m, core) for m in rd.match)
    return max(best, similar(full, k))


@lru_cache(maxsize=65536)
def _b_scores(k: str) -> tuple[float, ...]:
    """A printed label's similarity to each row of table B, in layout order (0 for no
    label). Cached by the label alone: the same printed labels recur in every report, so
    a corpus pays for each distinct one once (a cache keyed by the row as well hashed the
    row's definition, tuples of columns, on every look-up)."""
    return tuple(_b_score(rd, k) if k else 0.0 for rd in TABLE_B.rows)


def _best_b_score(k: str) -> float:
    return max(_b_scores(k)) if k else 0.0


def parse_table_b(rows: Sequence[Row], ctx: Context) -> dict[str, Any]:
    layout = TABLE_B
    cols = layout.columns
    n = len(cols)
    # Data rows hold values. A row without values right after one may continue its
    # label (wrapped onto a row of its own, e.g. across a page break): it is joined
    # when that makes the label match better. Otherwise a row of blank value cells
    # is a data row only when its own label is clearly a layout row (a blank form).
    data: list[Row] = []
    for r in rows:
        if r.has_number:
            data.append(Row(list(r.labels), list(r.values), r.block, list(r.marks), r.glued))
            continue
        if not r.labels:
            continue
        if data and data[-1].has_number:
            prev = data[-1]
            joined = label_key("".join(prev.labels + r.labels))
            if _best_b_score(joined) > _best_b_score(prev.key) + 0.05:
                prev.labels.extend(r.labels)
                continue
        if len(r.values) >= n and _best_b_score(r.key) >= ROW_MATCH_THRESHOLD:
            data.append(Row(list(r.labels), list(r.values), r.block, list(r.marks), r.glued))
    keys = [rd.key for rd in layout.rows]
    assignment = _align(data, ctx)
    prefer = _alignment(data, n)
    present = _b_columns_in_header(rows, n, prefer)
    pad = _leading_padding(data, n) if prefer == "right" else 0
    out: dict[str, Any] = {k: None for k in keys}
    glued_rows: dict[str, Row] = {}
    for idx, key in assignment.items():
        r = data[idx]
        rd = layout.row(key)
        if r.glued and (chunks := glued.chunks_of(r.values)) is not None and len(chunks) != n:
            glued_rows[key] = r
            continue
        if present is not None and (fit := _fit(r, len(present), prefer)) is not None:
            out[key] = _read_by_header(fit, present, cols, f"table B row {rd.label}", ctx, key)
            continue
        if len(r.values) < n + pad and pad and all(is_blank_cell(v) for v in r.values[:pad]):
            # a short row of a table whose rows all start with padding cells (the merged
            # label column): the padding is not a value
            r = Row(r.labels, r.values[pad:], r.block, r.marks[pad:], r.glued)
        cells, marks = _window(r, n, prefer)
        if len(r.values) < n and r.has_number:
            ctx.warn(f"table B row {rd.label}: only {len(r.values)} of {n} value cells printed; "
                     f"read from the left, the rest left blank")
        if len([v for v in r.values if v.strip()]) > n:
            ctx.warn(f"table B row {rd.label}: more than {n} values printed; kept {', '.join(cells)}")
        out[key] = read_values(cells, cols, f"table B row {rd.label}", ctx, layout.key, key, marks)
    if present is not None:
        missing = [c.label for c in cols if c.key not in present]
        ctx.warn(f"table B (申请): the header prints no column {'、'.join(missing)}; "
                 "values placed by the header's columns, that column left blank")
    if glued_rows:
        _split_glued_b(glued_rows, out, ctx)
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


def _fit(r: Row, k: int, prefer: str) -> Row | None:
    """The row's ``k`` value cells when it has ``k`` and only blank padding besides."""
    if len(r.values) < k:
        return None
    s = window_start(r.values, k, prefer)
    if any(not is_blank_cell(v) for v in [*r.values[:s], *r.values[s + k:]]):
        return None
    return Row(r.labels, r.values[s: s + k], r.block, r.marks[s: s + k], r.glued)


def _b_columns_in_header(rows: Sequence[Row], n: int, prefer: str) -> list[str] | None:
    """The applicant columns table B's header prints, in the layout's order, when the
    header leaves one or more out and the data rows carry just that many values — else None.

    The header's cells name the columns (自然人, 商业企业 … 其他, 总计); a row shorter than
    the layout is then placed by the header, not read from the left.
    """
    by_label = {label_key(c.label): c.key for c in TABLE_B.columns}
    named: set[str] = set()
    for r in rows:
        if r.has_number:
            break
        for cell in [*r.labels, *r.values]:
            key = by_label.get(label_key(cell))
            if key:
                named.add(key)
    present = [c.key for c in TABLE_B.columns if c.key in named]
    if len(present) < 3 or len(present) == n:
        return None
    data = [r for r in rows if r.has_number]
    fitting = sum(1 for r in data if _fit(r, len(present), prefer) is not None)
    return present if data and fitting * 2 >= len(data) else None


def _read_by_header(row: Row, present: list[str], cols: Sequence[ColumnDef], where: str, ctx: Context,
                    key: str) -> dict[str, Any]:
    by_key = {c.key: c for c in cols}
    read = read_values(row.values, [by_key[k] for k in present], where, ctx, TABLE_B.key, key, row.marks)
    return {c.key: read.get(c.key) for c in cols}


def _split_glued_b(glued_rows: dict[str, Row], out: dict[str, Any], ctx: Context) -> None:
    """Split table B's glued rows by the row rule, then the column rules (see glued.py)."""
    cols = TABLE_B.columns
    n = len(cols)
    fixed: dict[str, glued.Split] = {}
    for key, values in out.items():
        if values is not None and all(values.get(c.key) is not None for c in cols):
            fixed[key] = tuple(values[c.key] for c in cols)
    candidates: dict[str, list[glued.Split]] = {}
    for key, r in glued_rows.items():
        chunks = glued.chunks_of(r.values) or []
        found = glued.splits(chunks, [n], glued.sums_to_last)
        label = TABLE_B.row(key).label
        run = " ".join(chunks)
        if found is None:
            ctx.warn(f"table B row {label}: digits run together ({run!r}) split too many ways; left blank")
        elif not found:
            ctx.warn(f"table B row {label}: digits run together ({run!r}) have no split into {n} cells "
                     "whose 总计 is the sum of the others; left blank")
        else:
            candidates[key] = found
    solved = glued.solve_requests(candidates, fixed)
    for key, r in glued_rows.items():
        label = TABLE_B.row(key).label
        if key in solved:
            out[key] = _glued_values(r, cols, solved[key], f"table B row {label}", ctx, TABLE_B.key, key)
        else:
            out[key] = {c.key: None for c in cols}
            if key in candidates:
                ctx.warn(f"table B row {label}: digits run together ({' '.join(glued.chunks_of(r.values) or [])!r}) "
                         f"allow {len(candidates[key])} splits that the row and column sums do not "
                         "tell apart; left blank")


def _align(data: Sequence[Row], ctx: Context) -> dict[int, str]:
    """Align printed rows to the rows of table B, keeping both orders (a DP over
    similarities).

    A printed row whose label is unreadable may still be placed when its neighbours
    leave exactly one layout row for it; that placement is reported as a warning.
    """
    layout_rows = TABLE_B.rows
    m, n = len(data), len(layout_rows)
    scores = [_b_scores(_b_key(r)) for r in data]
    best = [[0.0] * (n + 1) for _ in range(m + 1)]
    move = [[0] * (n + 1) for _ in range(m + 1)]  # 0 skip row, 1 skip key, 2 match
    for i in range(m - 1, -1, -1):
        here, below, row_scores, moves = best[i], best[i + 1], scores[i], move[i]
        for j in range(n - 1, -1, -1):
            # the best of the three; on a tie the later move (match over skip key over skip row)
            value, mv = below[j], 0
            if here[j + 1] >= value:
                value, mv = here[j + 1], 1
            s = row_scores[j]
            if s >= MATCH_THRESHOLD and below[j + 1] + s >= value:
                value, mv = below[j + 1] + s, 2
            here[j], moves[j] = value, mv
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


def _b_key(r: Row) -> str:
    """The label key a table B row is aligned by; a glued row's label may carry the
    table's header words in front ("…法律服务机构其他一、本年新收…"): they are cut off."""
    k = r.key
    if r.glued and ("申请人情况" in k or "勾稽关系" in k):
        at = k.rfind("其他")
        if at >= 0:
            k = k[at + 2:]
    return k


# ---------------------------------------------------------------- table C

_C_GROUP_WORDS = (
    ("litigation_direct", ("未经复议直接起诉", "直接起诉")),
    ("litigation_after_review", ("复议后起诉",)),
    ("review", ("行政复议", "行政法复议")),
)


def _c_group(k: str) -> str | None:
    """The one group of table C a header row names, or None (none, or several)."""
    named = []
    rest = k
    for key, words in _C_GROUP_WORDS:
        if any(w in rest for w in words):
            named.append(key)
            for w in words:
                rest = rest.replace(w, "")
    return named[0] if len(named) == 1 else None


def parse_table_c(rows: Sequence[Row], ctx: Context) -> dict[str, Any]:
    layout = TABLE_C
    cols = layout.columns
    per_group = _table_c_by_group(rows)
    if per_group is not None:
        return _read_c_groups(per_group, ctx)
    want = len(layout.rows) * len(cols)
    cells: list[str] = []
    marks: list[CellMark | None] = []
    source: Row | None = None
    for r in rows:
        if r.labels and not r.glued:
            if cells:
                break
            continue
        if r.has_number or len(r.values) >= want - 5:
            if r.glued and source is None and not cells:
                source = r
            cells.extend(r.values)
            marks.extend(r.mark(j) for j in range(len(r.values)))
            if r.glued:
                break
    if source is not None and (chunks := glued.chunks_of(source.values)) is not None and len(chunks) != want:
        return _glued_c(source, chunks, ctx)
    if len([c for c in cells if c.strip()]) > want:
        ctx.warn(f"table C (复议诉讼): more than {want} values printed")
    if 0 < len(cells) < want:
        ctx.warn(f"table C (复议诉讼): only {len(cells)} of {want} cells printed; the missing ones are left blank")
    s = window_start(cells, want, "left")
    chosen = cells[s: s + want] + [""] * max(0, want - len(cells))
    chosen_marks = marks[s: s + want] + [None] * max(0, want - len(marks))
    out: dict[str, Any] = {}
    for g, group in enumerate(layout.rows):
        lo, hi = g * len(cols), (g + 1) * len(cols)
        out[group.key] = read_values(chosen[lo:hi], cols, f"table C {group.label}", ctx,
                                     layout.key, group.key, chosen_marks[lo:hi])
    if not cells:
        ctx.warn("table C (复议诉讼): no row of values found; left blank")
    return out


def _table_c_by_group(rows: Sequence[Row]) -> dict[str, Row] | None:
    """Table C printed as three small tables, each under a header naming its group
    (行政复议 / 行政诉讼（未经复议直接起诉） / 行政诉讼（复议后起诉）): group -> its value row.
    None when the rows do not name at least two groups one at a time."""
    found: dict[str, Row] = {}
    current: str | None = None
    for r in rows:
        if r.labels:
            g = _c_group(r.key)
            if g is not None:
                current = g
        if r.has_number and current is not None and current not in found:
            found[current] = r
    return found if len(found) >= 2 else None


def _read_c_groups(per_group: dict[str, Row], ctx: Context) -> dict[str, Any]:
    cols = TABLE_C.columns
    out: dict[str, Any] = {}
    for group in TABLE_C.rows:
        r = per_group.get(group.key)
        where = f"table C {group.label}"
        if r is None:
            ctx.warn(f"table C (复议诉讼): group {group.label} not found; left blank")
            out[group.key] = {c.key: None for c in cols}
            continue
        cells, marks = _window(r, len(cols), "left")
        if len(r.values) < len(cols):
            ctx.warn(f"{where}: only {len(r.values)} of {len(cols)} cells printed; the missing ones are left blank")
        out[group.key] = read_values(cells, cols, where, ctx, TABLE_C.key, group.key, marks)
    return out


def _glued_c(row: Row, chunks: list[str], ctx: Context) -> dict[str, Any]:
    cols = TABLE_C.columns
    sizes = [len(cols)] * len(TABLE_C.rows)
    found = glued.splits(chunks, sizes, glued.sums_to_last)
    out: dict[str, Any] = {}
    if found and len(found) == 1:
        split = found[0]
        for g, group in enumerate(TABLE_C.rows):
            part = split[g * len(cols): (g + 1) * len(cols)]
            out[group.key] = {c.key: v for c, v in zip(cols, part)}
        _note_glued_c(row, chunks, split, ctx)
        return out
    run = " ".join(chunks)
    how = "more than one way" if found is None or found else "no way"
    count = f"{len(found)} ways" if found else how
    ctx.warn(f"table C (复议诉讼): digits run together ({run!r}) split {count} into 15 cells whose "
             "group totals add up; left blank")
    return {group.key: {c.key: None for c in cols} for group in TABLE_C.rows}


def _note_glued_c(row: Row, chunks: list[str], split: glued.Split, ctx: Context) -> None:
    cols = TABLE_C.columns
    run = " ".join(chunks)
    pos = 0
    for chunk in chunks:
        used = 0
        start = pos
        while used < len(chunk):
            used += len(str(split[pos]))
            pos += 1
        if pos - start > 1:
            for p in range(start, pos):
                group = TABLE_C.rows[p // len(cols)]
                ctx.note(ValueNote(TABLE_C.key, group.key, cols[p % len(cols)].key, "arithmetic",
                                   note=f"printed run together as {run!r}; the only split the group totals allow"))
