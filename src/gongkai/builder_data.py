"""The report builder's data (/builder/): one small index and one compact file per year.

The builder page fetches the index when it opens and then only the years the reader
chose; no other page references these files, so they cost the rest of the site nothing.

``builder/data/index.json``::

    {"version": 1, "years": [2023, 2024],
     "regions": [[key, name, depth, parent key or ""], ...],   # provinces, cities, counties
     "agencies": [[id, name, region key or ""], ...],          # an agency's index: its place here
     "tables": [[key, title, layout or ""], ...],
     "figures": [[id, table index, label, unit], ...],
     "defaults": [id, ...]}

``builder/data/<year>.json``::

    {"year": 2024, "agencies": [agency index, ...],   # the year's reports, by agency
     "values": {figure id: [value or null, ...]}}     # dense, in the order of "agencies"

A figure no report of the year prints (table A of the other layout) is left out of
``values``: the page reads a missing figure as all blank. A blank is ``null``, never 0.
The figures and their labels come from layouts.py through export.wide_columns, so the
builder's columns are the wide CSVs' columns.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import urls
from .export import WideColumn, _value, wide_columns
from .jsonenc import dumps_line
from .layouts import FORMATS, PARTS, TABLE_A
from .render import format_number, region_tree

if TYPE_CHECKING:
    from .model import Report
    from .output import Output
    from .site import Site

VERSION = 1

DEFAULT_FIGURES = (
    "requests.new.total", "requests.granted.total", "requests.partially_granted.total",
    "requests.unable_not_held.total", "review_litigation.review.total",
    "review_litigation.litigation_direct.total",
)
"""What the builder shows before the reader chooses: the main figures of table B and C."""


@dataclass(frozen=True, slots=True)
class Figure:
    id: str
    """``table.row.column``; table A's carry their layout: ``active_disclosure@2021.rules.issued``."""
    table: int
    label: str
    column: WideColumn


def figure_id(c: WideColumn) -> str:
    table = f"{c.table}@{c.layout}" if c.layout else c.table
    return f"{table}.{c.row}.{c.column}"


def figures() -> tuple[list[tuple[str, str, str]], list[Figure]]:
    """The builder's tables (A of each layout, B, C) and every figure of them, in layout order."""
    titles = {key: title for key, _, title in PARTS}
    numbers = {key: number for key, number, _ in PARTS}
    tables: list[tuple[str, str, str]] = []
    index: dict[tuple[str, str], int] = {}
    out: list[Figure] = []
    # Table A of the current layout first, then the older one, then tables B and C.
    order = {("active_disclosure", f): i for i, f in enumerate(reversed(FORMATS))}
    columns = sorted(wide_columns(list(FORMATS)), key=lambda c: order.get((c.table, c.layout), len(order)))
    for c in columns:
        key = (c.table, c.layout)
        if key not in index:
            index[key] = len(tables)
            mark = f"（{c.layout}年版）" if c.layout else ""
            tables.append((c.table, f"{numbers[c.table]}、{titles[c.table]}{mark}", c.layout))
        row = TABLE_A[c.layout].row(c.row) if c.layout else _row(c)
        col = next(col for col in (TABLE_A[c.layout] if c.layout else _layout(c)).columns_of(row) if col.key == c.column)
        label = row.label if c.single else f"{row.label}｜{col.label}"
        out.append(Figure(figure_id(c), index[key], label, c))
    return tables, out


def _layout(c: WideColumn) -> Any:
    from .layouts import TABLE_B, TABLE_C

    return TABLE_B if c.table == TABLE_B.key else TABLE_C


def _row(c: WideColumn) -> Any:
    return _layout(c).row(c.row)


_json = dumps_line


def _number(v: Any) -> int | float | None:
    """A value as the JSON number the page shows: the same digits as the CSVs (amounts
    in 万元 keep their printed decimals), None for a blank."""
    if v is None:
        return None
    if type(v) is int:  # most cells: already the number the CSVs print
        return v
    text = format_number(v)
    return int(text) if text.lstrip("-").isdigit() else float(text)


def builder_index(site: Site, years: list[int]) -> dict[str, Any]:
    tables, figs = figures()
    regions: list[list[Any]] = []
    key_of: dict[tuple[str, ...], str] = {}
    for root in region_tree(site.agencies):
        for node in root.walk():  # parents before children
            key_of[node.path] = node.key
            regions.append([node.key, node.name, len(node.path), key_of.get(node.path[:-1], "")])
    return {
        "version": VERSION,
        "years": years,
        "regions": regions,
        "agencies": [[a.id, a.name, key_of.get(a.region, "") if a.region else ""] for a in site.agencies],
        "tables": [list(t) for t in tables],
        "figures": [[f.id, f.table, f.label, f.column.unit] for f in figs],
        "defaults": list(DEFAULT_FIGURES),
    }


def year_file(year: int, rows: list[tuple[int, Report]], figs: list[Figure]) -> dict[str, Any]:
    values: dict[str, list[int | float | None]] = {}
    for f in figs:
        c = f.column
        column = [_number(_value(r, c)) if c.layout in ("", r.format) else None for _, r in rows]
        if any(v is not None for v in column):
            values[f.id] = column
    return {"year": year, "agencies": [i for i, _ in rows], "values": values}


def write_builder_data(site: Site, out: Output) -> list[str]:
    """The index and one file per year into ``out``; returns the paths written."""
    by_year: dict[int, list[tuple[int, Report]]] = defaultdict(list)
    for i, agency in enumerate(site.agencies):
        for r in agency.reports:
            by_year[r.year].append((i, r))
    years = sorted(by_year)
    _, figs = figures()
    out.write_text(urls.BUILDER_INDEX, _json(builder_index(site, years)))
    written = [urls.BUILDER_INDEX]
    for y in years:
        out.write_text(urls.builder_year(y), _json(year_file(y, by_year[y], figs)))
        written.append(urls.builder_year(y))
    return written
