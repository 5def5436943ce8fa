"""Checks across years of one agency: what this year's report must carry over from last year's.

Both are flags, not errors: 上年结转 should equal last year's 结转下年度继续办理, and for
2021-layout years 现行有效件数 should equal last year's plus this year's 制发 minus 废止
(agencies also clean up their lists, so a mismatch asks a question, it does not convict).
Only consecutive years are compared; a missing year is a gap, never bridged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .layouts import REQUEST_COLUMNS, TABLE_A_2021
from .model import Number, Report

RULES = {
    "years.carried_over": "本年“上年结转”= 上年“结转下年度继续办理”（逐列）",
    "years.in_force": "本年“现行有效件数”= 上年现行有效 + 本年制发 − 本年废止",
}


@dataclass(frozen=True, slots=True)
class YearCheck:
    rule: str
    passed: bool
    year: int
    previous_year: int
    where: str
    """Column key (carried_over) or table A row key (in_force)."""
    expected: Number
    found: Number
    detail: str


def check_pair(prev: Report, cur: Report) -> list[YearCheck]:
    """The cross-year rules between two consecutive reports of one agency."""
    if cur.year - prev.year != 1:
        return []
    out: list[YearCheck] = []
    fwd = prev.requests.get("carried_forward") or {}
    over = cur.requests.get("carried_over") or {}
    for col in REQUEST_COLUMNS:
        expected, found = fwd.get(col.key), over.get(col.key)
        if expected is None or found is None:
            continue
        ok = expected == found
        out.append(YearCheck(
            "years.carried_over", ok, cur.year, prev.year, col.key, expected, found,
            f"{col.label}：{cur.year}年“上年结转”为 {found}，{prev.year}年“结转下年度继续办理”为 {expected}"
            if not ok else f"{col.label}：上年结转 {found} = {prev.year}年结转下年度 {expected}",
        ))
    if prev.format == cur.format == "2021":
        for key in ("rules", "normative_documents"):
            p, c = prev.active_disclosure.get(key) or {}, cur.active_disclosure.get(key) or {}
            values = (p.get("in_force"), c.get("issued"), c.get("repealed"), c.get("in_force"))
            if any(v is None for v in values):
                continue
            before, issued, repealed, found = (v for v in values if v is not None)
            expected = before + issued - repealed
            ok = expected == found
            label = TABLE_A_2021.row(key).label
            out.append(YearCheck(
                "years.in_force", ok, cur.year, prev.year, key, expected, found,
                f"{label}：{prev.year}年现行有效 {before} + 本年制发 {issued} − 本年废止 {repealed} = {expected}，"
                f"但本年印为 {found}" if not ok
                else f"{label}：现行有效 {found} = {before} + {issued} − {repealed}",
            ))
    return out


def check_series(reports: Sequence[Report]) -> dict[int, list[YearCheck]]:
    """Cross-year checks for one agency's reports, keyed by the later year."""
    by_year = {r.year: r for r in reports}
    return {y: check_pair(by_year[y - 1], by_year[y]) for y in sorted(by_year) if y - 1 in by_year}


def gaps(years: Sequence[int]) -> list[int]:
    """Years missing between an agency's first and last report."""
    if not years:
        return []
    have = set(years)
    return [y for y in range(min(have), max(have) + 1) if y not in have]
