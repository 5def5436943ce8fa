"""Digits run together: split a row's cells only where the table's arithmetic proves it.

Text extractions of web pages run a row's cells together (``（七）总计210000021`` for
21 0 0 0 0 0 21; table C's fifteen cells as ``315090000000000``). A run is a sequence of
*chunks* (digits between the spaces the extraction kept); a cell never spans two chunks,
every cell holds at least one digit, and a number of two or more digits never starts
with 0. Of the splits that satisfy that, the table's own rules — a row of table B sums to
its 总计, every column balances (新收 + 结转 = 总计 + 结转下年度) and adds up (总计 = the
handling rows), each group of table C sums to its 总计 — must leave exactly one;
otherwise the cells stay blank with a warning. A wrong number is worse than a blank.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from itertools import product

from ..check import column_sum_rules

MAX_SPLITS = 5000
"""More candidate splits than this for one run: it is not split at all (left blank)."""

MAX_CELL_DIGITS = 7
"""No count in these tables runs to ten million: a cell is at most this many digits."""

MAX_STEPS = 50_000
"""Most partial splits tried for one run (a long run of digits has millions): beyond, not split."""

MAX_COMBINATIONS = 20000
"""Most combinations of undecided rows tried together against one column rule."""

Split = tuple[int, ...]
_CHUNK = re.compile(r"^\d+$")


def chunks_of(values: Sequence[str]) -> list[str] | None:
    """The digit chunks of a run's value texts, or None when one is not plain digits."""
    out: list[str] = []
    for v in values:
        for c in v.split():
            if not _CHUNK.match(c):
                return None
            out.append(c)
    return out


def splits(chunks: Sequence[str], sizes: Sequence[int],
           rule: Callable[[Split], bool] | None = None) -> list[Split] | None:
    """Every split of ``chunks`` into ``sum(sizes)`` numbers whose groups (of ``sizes``)
    each satisfy ``rule``; None when there are more than :data:`MAX_SPLITS`."""
    n = sum(sizes)
    ends = set()
    acc = 0
    for s in sizes:
        acc += s
        ends.add(acc)
    group_start = {e: e - s for e, s in zip(sorted(ends), sizes)}
    digits_left = [0] * (len(chunks) + 1)
    for i in range(len(chunks) - 1, -1, -1):
        digits_left[i] = digits_left[i + 1] + len(chunks[i])
    out: list[Split] = []
    cells: list[int] = []
    steps = 0

    def walk(ci: int, off: int) -> bool:
        nonlocal steps
        steps += 1
        if len(out) > MAX_SPLITS or steps > MAX_STEPS:
            return False
        placed = len(cells)
        if ci == len(chunks):
            if placed == n:
                out.append(tuple(cells))
            return True
        remaining_cells = n - placed
        remaining_digits = digits_left[ci] - off
        # every cell needs a digit; every chunk needs a cell
        if remaining_cells > remaining_digits or remaining_cells < len(chunks) - ci:
            return True
        chunk = chunks[ci]
        for length in range(1, min(len(chunk) - off, MAX_CELL_DIGITS) + 1):
            text = chunk[off: off + length]
            if length > 1 and text[0] == "0":
                break
            cells.append(int(text))
            if len(cells) in ends and rule is not None:
                lo = group_start[len(cells)]
                if not rule(tuple(cells[lo:])):
                    cells.pop()
                    continue
            if off + length == len(chunk):
                ok = walk(ci + 1, 0)
            else:
                ok = walk(ci, off + length) if len(cells) < n else True
            cells.pop()
            if not ok:
                return False
        return True

    walk(0, 0)
    return None if len(out) > MAX_SPLITS or steps > MAX_STEPS else out


def sums_to_last(group: Split) -> bool:
    """A row or group whose last cell is the total of the others."""
    return sum(group[:-1]) == group[-1]


def solve_requests(candidates: Mapping[str, list[Split]], fixed: Mapping[str, Split]) -> dict[str, Split]:
    """Narrow the candidate splits of table B rows with the column rules.

    ``fixed`` holds rows read without doubt (printed with spaces, or one split only);
    ``candidates`` the rows with several splits. Returns every row of ``candidates`` left
    with exactly one split, after the balance and outcome-total rules have been applied to
    every column until nothing changes.
    """
    known: dict[str, Split] = dict(fixed)
    open_rows: dict[str, list[Split]] = {k: list(v) for k, v in candidates.items() if v}
    for k, v in list(open_rows.items()):
        if len(v) == 1:
            known[k] = v[0]
            del open_rows[k]
    rules = [(left, right) for _, left, right in column_sum_rules([*known, *open_rows]) if right]
    changed = True
    while changed and open_rows:
        changed = False
        for left, right in rules:
            rows = left + right
            if any(r not in known and r not in open_rows for r in rows):
                continue
            undecided = [r for r in rows if r in open_rows]
            if not undecided:
                continue
            sizes = [len(open_rows[r]) for r in undecided]
            total = 1
            for s in sizes:
                total *= s
            if total > MAX_COMBINATIONS:
                continue
            survivors: dict[str, set[Split]] = {r: set() for r in undecided}
            for combo in product(*(open_rows[r] for r in undecided)):
                values = dict(known)
                values.update(zip(undecided, combo))
                if all(sum(values[r][c] for r in left) == sum(values[r][c] for r in right)
                       for c in range(len(values[rows[0]]))):
                    for r, split in zip(undecided, combo):
                        survivors[r].add(split)
            for r in undecided:
                kept = [s for s in open_rows[r] if s in survivors[r]]
                if len(kept) < len(open_rows[r]):
                    changed = True
                open_rows[r] = kept
                if len(kept) == 1:
                    known[r] = kept[0]
                    del open_rows[r]
    return {k: v for k, v in known.items() if k in candidates}
