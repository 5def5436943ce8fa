"""Roll-ups and rates: per region and year, totals of the main figures and three rates.

Pure functions over reports (and agencies); the pages read them, nothing is stored. A
blank (None) figure is not zero: a total says how many reports it covers and how many
lacked the figure, and a rate counts only reports that print both of its numbers. A
rate is shown only at or above its minimum sample (``Rate.minimum``), else 样本过少.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .bodies import BODY_KINDS, BodyKind, kind_of
from .layouts import TABLE_B, TABLE_C
from .model import Number, Report
from .registry import Agency

Cell = tuple[str, str, str]
"""(table, row, column) keys of layouts.py."""

_REQ, _RL = TABLE_B.key, TABLE_C.key
_DENIED = tuple(r.key for r in TABLE_B.rows if r.key.startswith("denied_"))


def _b(row: str, column: str = "total") -> Cell:
    return (_REQ, TABLE_B.row(row).key, column)


def _c(row: str, column: str = "total") -> Cell:
    return (_RL, TABLE_C.row(row).key, column)


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str
    cells: tuple[Cell, ...]
    """Summed; the figure is blank when any of them is blank."""


FIGURES: tuple[Figure, ...] = (
    Figure("new", "本年新收", (_b("new"),)),
    Figure("granted", "予以公开", (_b("granted"),)),
    Figure("partially_granted", "部分公开", (_b("partially_granted"),)),
    Figure("denied", "不予公开", tuple(_b(k) for k in _DENIED)),
    Figure("not_held", "本机关不掌握", (_b("unable_not_held"),)),
    Figure("handled", "办理总计", (_b("total"),)),
    Figure("review", "行政复议", (_c("review"),)),
    Figure("litigation", "行政诉讼", (_c("litigation_direct"), _c("litigation_after_review"))),
)
"""The totals a region page shows, in this order."""


@dataclass(frozen=True, slots=True)
class Rate:
    key: str
    label: str
    numerator: tuple[Cell, ...]
    denominator: tuple[Cell, ...]
    minimum: int
    """The smallest denominator the rate is shown at."""
    definition: str
    unit: str
    """What the denominator counts (件申请, 件复议)."""


RATES: tuple[Rate, ...] = (
    Rate("disclosure", "予以公开率", (_b("granted"), _b("partially_granted")), (_b("total"),), 30,
         "（予以公开 + 部分公开）÷ 办理结果总计", "件申请"),
    Rate("review_corrected", "复议纠错率", (_c("review", "corrected"),), (_c("review"),), 5,
         "行政复议“结果纠正”÷ 行政复议总计", "件复议"),
    Rate("litigation_corrected", "诉讼纠错率",
         (_c("litigation_direct", "corrected"), _c("litigation_after_review", "corrected")),
         (_c("litigation_direct"), _c("litigation_after_review")), 5,
         "行政诉讼（未经复议直接起诉与复议后起诉）“结果纠正”÷ 行政诉讼总计", "件诉讼"),
)

TOO_FEW = "样本过少"


def cell_value(report: Report, cell: Cell) -> Number | None:
    table, row, column = cell
    values = getattr(report, table).get(row)
    v = values.get(column) if isinstance(values, dict) else None
    return None if isinstance(v, bool) else v


def cells_sum(report: Report, cells: tuple[Cell, ...]) -> Number | None:
    """The sum of the cells; None when any is blank (a partial sum would read as the whole)."""
    values = [cell_value(report, c) for c in cells]
    return None if any(v is None for v in values) else sum(v for v in values if v is not None)


@dataclass(frozen=True, slots=True)
class Total:
    value: Number
    """The sum over the reports that print the figure."""
    reports: int
    """Reports that print it."""
    lacking: int
    """Reports that leave it blank (not counted as zero)."""


@dataclass(frozen=True, slots=True)
class RateValue:
    rate: Rate
    numerator: Number
    denominator: Number
    reports: int
    """Reports printing both numbers."""
    lacking: int

    @property
    def shown(self) -> bool:
        return self.denominator >= self.rate.minimum and self.denominator > 0

    @property
    def value(self) -> float | None:
        """The rate (0-1), None below the minimum sample."""
        return self.numerator / self.denominator if self.shown else None

    @property
    def text(self) -> str:
        v = self.value
        return TOO_FEW if v is None else f"{v * 100:.1f}%"


@dataclass(frozen=True, slots=True)
class Rollup:
    reports: int
    totals: dict[str, Total]
    rates: dict[str, RateValue]


def rollup(reports: Iterable[Report]) -> Rollup:
    """Totals and rates over the reports (one region's, one kind's or one agency's)."""
    rs = list(reports)
    totals = {}
    for f in FIGURES:
        values = [v for r in rs if (v := cells_sum(r, f.cells)) is not None]
        totals[f.key] = Total(sum(values), len(values), len(rs) - len(values))
    rates = {}
    for rate in RATES:
        pairs = [(n, d) for r in rs
                 if (n := cells_sum(r, rate.numerator)) is not None and (d := cells_sum(r, rate.denominator)) is not None]
        rates[rate.key] = RateValue(rate, sum(n for n, _ in pairs), sum(d for _, d in pairs),
                                    len(pairs), len(rs) - len(pairs))
    return Rollup(len(rs), totals, rates)


def by_year(agencies: Iterable[Agency]) -> dict[int, Rollup]:
    """Year -> the roll-up of the agencies' reports of that year, oldest year first."""
    years: dict[int, list[Report]] = defaultdict(list)
    for a in agencies:
        for r in a.reports:
            years[r.year].append(r)
    return {y: rollup(years[y]) for y in sorted(years)}


@dataclass(frozen=True, slots=True)
class KindGroup:
    kind: BodyKind
    rows: list[tuple[Agency, Rollup]]
    """Each body of the kind with its roll-up of the year (bodies without a report of the
    year are left out of the comparison, listed on their own pages)."""


def by_kind(agencies: Iterable[Agency], year: int) -> list[KindGroup]:
    """The bodies side by side within each kind, for one year: never across kinds."""
    groups: dict[str, list[tuple[Agency, Rollup]]] = defaultdict(list)
    for a in agencies:
        rs = [r for r in a.reports if r.year == year]
        if rs:
            groups[kind_of(a).key].append((a, rollup(rs)))
    return [KindGroup(k, groups[k.key]) for k in BODY_KINDS if groups.get(k.key)]
