"""Open data: the JSON and CSV files, one JSON per report, and the original files.

Written straight into the built site (not through MkDocs, which would copy every
original file a second time). Key order and row order are fixed, so two builds of the
same content give byte-identical files.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from markupsafe import escape

from . import urls
from .compare import figure
from .jsonenc import dumps, dumps_line
from .settings import licence_entry
from .layouts import FORMATS, PARTS, TABLE_A, ValueType, layouts_for
from .model import scalar_dict
from .output import Output
from .render import format_number

if TYPE_CHECKING:
    from .model import Report, Value
    from .registry import Agency
    from .site import Site


# Compact: a fifth smaller than indented, and what tools read anyway.
_json = dumps_line


def write_data(site: Site, out: Output, licence: str = "CC-BY-4.0") -> list[DataFile]:
    """Every data file and original of the site, into ``out`` (the built site's root).

    Streamed report by report: at 10,000 reports the bulk files are ~450 MB before
    compression, and building them as strings first made this the build's memory peak.
    Returns the files with their sizes and row counts (for the data page and the
    data package)."""
    files: list[DataFile] = []
    n_reports = 0
    with out.open_text(urls.REPORTS_JSONL, gzipped=True) as bulk:
        for view in site.views:
            agency, r = view.agency, view.report
            path = urls.report_json(agency.id, r.year)
            data = r.to_dict()
            printed = data.pop("provenance", None)
            # The report's JSON is encoded once and is the middle of its line in the bulk
            # file too (as {"agency_id": …, **data, "year_checks": …, "provenance": …}
            # would be, with the site's provenance in the report's place when it has one).
            body = dumps(data)[1:-1]
            year_checks = f',"year_checks":{dumps([scalar_dict(c) for c in view.year_checks or ()])}'
            provenance = f',"provenance":{dumps(view.provenance.to_dict())}'
            head = dumps({"agency_id": agency.id, "url": view.url, "json": path})[:-1]
            if printed is None:
                out.write_text(path, "{" + body + "}\n")
                bulk.write(f"{head},{body}{year_checks}{provenance}}}\n")
            else:
                out.write_text(path, "{" + body + f',"provenance":{dumps(printed)}}}\n')
                bulk.write(f"{head},{body}{provenance}{year_checks}}}\n")
            n_reports += 1
    files.append(DataFile(urls.REPORTS_JSONL, "reports", "全部已解析报告（JSON Lines，gzip）", n_reports))
    out.write_text(urls.AGENCIES_JSON, _json([
        {"id": a.id, "name": a.name, "aliases": list(a.aliases), "region": list(a.region),
         "region_codes": list(a.place.codes), "region_code": a.place.code or None,
         "region_inferred": a.place.inferred if a.region else None,
         "region_note": a.place.note or None,
         "url": urls.agency(a.id), "years": a.years}
        for a in site.agencies
    ]))
    files.append(DataFile(urls.AGENCIES_JSON, "agencies", "机关及其地区", len(site.agencies)))
    inputs = []
    copied: set[str] = set()
    for i in site.inputs:
        original = site.original_url(i)
        if original and original not in copied:  # the same bytes twice are published once
            out.copy(i.file, original)
            copied.add(original)
        inputs.append({
            "path": i.path, "sha256": i.sha256, "status": i.status, "reason": i.reason,
            "url": site.report_url(i.report) if i.report else None, "original": original,
            "agency_id": site.agency_of(i.report).id if i.report else None,
            "year": i.report.year if i.report else None,
            "failed_checks": len(i.report.failed_checks) if i.report else None,
            "error_kind": i.error_kind or None,
            "duplicate_of": i.duplicate_of or None,
            "provenance": site.view_of(i.report).provenance.to_dict() if i.report else None,
            "disagreements": [
                {"table": c.table, "row": c.row, "column": c.column, "this_file": c.previous, "published": c.current}
                for c in i.disagreements
            ],
        })
    out.write_text(urls.INPUTS_JSON, _json(inputs))
    files.append(DataFile(urls.INPUTS_JSON, "inputs", "每个输入文件及其处理结果", len(inputs)))
    runs: dict[tuple[int, tuple[str, ...]], str] = {}
    files.extend(write_cells(site, out, runs))
    files.extend(write_wide(site, out, runs))
    schema = resources.files("gongkai").joinpath("schema/report.schema.json").read_text(encoding="utf-8")
    out.write_text("data/report.schema.json", schema)
    for f in files:
        f.bytes = (out.root / f.path).stat().st_size
    out.write_text(urls.DATAPACKAGE, _json(datapackage(site, files, licence)))
    return files


# ---------------------------------------------------------------- the CSVs

@dataclass(slots=True)
class DataFile:
    """One published data file: what the data page and datapackage.json say of it."""

    path: str
    name: str
    """The data package's resource name (lower case, digits, ``-``, ``_``, ``.``)."""
    title: str
    rows: int
    """Data rows (CSV, JSON Lines) or items (a JSON array); the header is not counted."""
    bytes: int = 0
    schema: dict[str, Any] | str | None = None
    """Table Schema of a CSV (inline, or the path of a shared one)."""


# Excel (and WPS) read a CSV as the system's code page unless it starts with a BOM, and
# the RFC 4180 line end is CRLF: both, so a double click opens the Chinese correctly.
BOM = "\ufeff"
LINE_END = "\r\n"
UNITS: dict[ValueType, str] = {"int": "件", "signed": "件", "amount": "万元"}
"""The unit of each value type of layouts.py (counts: items, 件 or 个 as printed)."""

CELL_FIELDS: tuple[tuple[str, str, str, str], ...] = (
    # name, type, title, description
    ("agency", "string", "机关 id", "由机关名称的拼音生成；agencies.json 的 id"),
    ("agency_name", "string", "机关名称", "以 = + - @ 开头的名称前加一个撇号 '，以免电子表格把它当作公式执行"),
    ("province", "string", "省级", "空：未能确定"),
    ("city", "string", "市级", ""),
    ("county", "string", "县级", ""),
    ("region_code", "string", "行政区划代码", "机关所在最低一级地区的国家行政区划代码"),
    ("year", "integer", "年度", "报告年度"),
    ("layout", "string", "表格版本", "2019：国办公开办函〔2019〕60号；2021：国办公开办函〔2021〕30号"),
    ("table", "string", "表格代码", "active_disclosure / requests / review_litigation"),
    ("table_label", "string", "表格", ""),
    ("row", "string", "行代码", "见 report.schema.json"),
    ("row_label", "string", "行", "报告中印刷的行名"),
    ("column", "string", "列代码", ""),
    ("column_label", "string", "列", "报告中印刷的列名"),
    ("unit", "string", "单位", "件（计数）或 万元"),
    ("value", "number", "数值", "空：报告中为空白或无法辨认（从不猜测为 0）"),
)
CELL_KEY = ["agency", "year", "table", "row", "column"]


def cells_schema() -> dict[str, Any]:
    return {
        "fields": [{"name": n, "type": t, "title": title, **({"description": d} if d else {}),
                    **({"constraints": {"required": True}} if n in CELL_KEY else {})}
                   for n, t, title, d in CELL_FIELDS],
        "primaryKey": CELL_KEY,
        "missingValues": [""],
    }


def _place(agency: Agency) -> list[str]:
    region = list(agency.region[:3])
    return region + [""] * (3 - len(region)) + [agency.place.code or ""]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A name read from a report, made inert for Excel and WPS: a cell starting like a
    formula (``=HYPERLINK(...)``) would run when the CSV is opened (OWASP's CSV injection);
    a leading apostrophe makes it text. Only text fields: figures are never negative."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _writer(f: TextIO) -> Any:
    f.write(BOM)
    return csv.writer(f, lineterminator=LINE_END)


def write_cells(site: Site, out: Output, runs: dict[tuple[int, tuple[str, ...]], str] | None = None) -> list[DataFile]:
    """The long CSV of every number, with its labels and the agency's region.

    ~200 rows per report that differ only in the figure: the fields before it are
    CSV-encoded once per report and once per layout figure (csv's own quoting), and each
    row is those two strings and the number (a writerow of 16 fields per figure was most
    of the data files' cost). ``runs`` gets each report's figures as the wide CSVs'
    runs of columns (:func:`write_wide`), made of the same text: read and formatted once."""
    total = 0
    with out.open_text(urls.CELLS_CSV, gzipped=True) as bulk:
        w = _writer(bulk)
        w.writerow([n for n, *_ in CELL_FIELDS])
        for agency in site.agencies:
            place = _place(agency)
            for r in agency.reports:
                lead = _csv_fields([agency.id, spreadsheet_safe(agency.name), *place, r.year, r.format])
                columns = _long_columns(r.format)
                texts = [format_number(_value(r, c)) for c, _ in columns]
                rows = [f"{lead}{labels}{text}{LINE_END}" for (c, labels), text in zip(columns, texts)
                        # not a row the report does not print (iter_cells' row_printed)
                        if c.single or getattr(r, c.table).get(c.row) is not None]
                bulk.write("".join(rows))
                total += len(rows)
                if runs is not None:
                    for key, start, end in _wide_runs(r.format):
                        runs[(id(r), key)] = ",".join(texts[start:end])
    out.write_text(urls.CELLS_SCHEMA, _json(cells_schema()))
    return [DataFile(urls.CELLS_CSV, "cells", "表二、三、四的每一个数字（长表，gzip）", total, schema=_SCHEMA_REF)]


def _csv_fields(fields: list[Any]) -> str:
    """Fields as the start of a CSV row, quoted as the files' csv.writer quotes them,
    ending in a comma. (The writer's line end is its own: csv quotes a field holding one
    of its characters, so a writer without one would leave a line break unquoted.)"""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=LINE_END).writerow([*fields, ""])
    return buffer.getvalue().removesuffix(LINE_END)


_SCHEMA_REF = urls.CELLS_SCHEMA.removeprefix("data/")
"""The shared schema, relative to datapackage.json."""


@functools.cache
def _long_columns(fmt: str) -> list[tuple[WideColumn, str]]:
    """Each figure of a layout with the label fields of its long-CSV row, made once per
    layout: a Cell per figure per report was most of the long file's cost."""
    return [(WideColumn(fmt, t.key, row.key, col.key, "", UNITS[col.type], row.single),
             _csv_fields([t.key, t.title, row.key, row.label, col.key, col.label, UNITS[col.type]]))
            for t in layouts_for(fmt) for row in t.rows for col in t.columns_of(row)]


@functools.cache
def _wide_runs(fmt: str) -> tuple[tuple[tuple[str, ...], int, int], ...]:
    """The wide CSVs' runs of columns of a layout (:func:`_column_groups`), each as the
    slice of :func:`_long_columns` holding the same figures in the same order (a run
    that is not one is left out: the wide CSVs then format it themselves)."""
    long = [(c.table, c.row, c.column) for c, _ in _long_columns(fmt)]
    out = []
    for key, group in _column_groups(wide_columns([fmt])):
        figures = [(c.table, c.row, c.column) for c in group]
        for start in range(len(long) - len(figures) + 1):
            if long[start:start + len(figures)] == figures:
                out.append((key, start, start + len(figures)))
                break
    return tuple(out)


WIDE_FIELDS = (("机关id", "string"), ("机关名称", "string"), ("省级", "string"), ("市级", "string"),
               ("县级", "string"), ("行政区划代码", "string"), ("年度", "integer"), ("表格版本", "string"))


@dataclass(frozen=True, slots=True)
class WideColumn:
    layout: str
    """The table A layout the figure belongs to; "" for tables B and C (the same in both)."""
    table: str
    row: str
    column: str
    header: str
    unit: str
    single: bool


PART_NUMBERS = {key: number for key, number, _ in PARTS}


def wide_columns(formats: list[str]) -> list[WideColumn]:
    """The figures of a year's reports, in layout order; table A's for each layout the
    year's reports use (the two differ in meaning, never merged into one column)."""
    cols: list[WideColumn] = []
    for i, fmt in enumerate(formats):
        for t in layouts_for(fmt):
            if t is not TABLE_A[fmt] and i > 0:
                continue  # tables B and C once
            mark = f"（{fmt}年版）" if t is TABLE_A[fmt] and len(formats) > 1 else ""
            for row in t.rows:
                for col in t.columns_of(row):
                    label = row.label if row.single else f"{row.label}｜{col.label}"
                    # The part's number (二、三、四) stands for the table: its title repeated on
                    # ~200 columns made the header most of a one-agency file.
                    cols.append(WideColumn(fmt if t is TABLE_A[fmt] else "", t.key, row.key, col.key,
                                           f"{PART_NUMBERS[t.key]}{mark}｜{label}", UNITS[col.type], row.single))
    return cols


def wide_schema(cols: list[WideColumn]) -> dict[str, Any]:
    return {
        "fields": [{"name": n, "type": t} for n, t in WIDE_FIELDS] + [
            {"name": c.header, "type": "number", "unit": c.unit,
             "description": f"{c.table}.{c.row}.{c.column}" + (f"（{c.layout} 年版表二）" if c.layout else "")}
            for c in cols],
        "primaryKey": ["机关id", "年度"],
        "missingValues": [""],
    }


def _value(r: Report, c: WideColumn) -> Value:
    """The figure of a report (not a Cell of each of ~200 figures twice per report: that
    was the wide files' main cost)."""
    return figure(getattr(r, c.table).get(c.row), c.column, c.single)


def _column_groups(cols: list[WideColumn]) -> list[tuple[tuple[str, ...], list[WideColumn]]]:
    """The columns in runs of one layout (table A of one layout; tables B and C), each
    with a key naming the run whatever its headers say."""
    groups: list[tuple[tuple[str, ...], list[WideColumn]]] = []
    for c in cols:
        if groups and groups[-1][1][0].layout == c.layout:
            groups[-1][1].append(c)
        else:
            groups.append(((), [c]))
    return [((g[0].layout, g[0].table, g[0].row, g[0].column, str(len(g))), g) for _, g in groups]


def write_wide(site: Site, out: Output, runs: dict[tuple[int, tuple[str, ...]], str] | None = None) -> list[DataFile]:
    """A CSV per year (a row per report) and per agency (a row per year): a column per
    figure, Chinese headers. Their schemas depend only on the layouts present, so there
    are at most three, written once and referenced. ``runs``: runs of figures already
    made into text (:func:`write_cells`)."""
    by_year: dict[int, list[tuple[Agency, Report]]] = defaultdict(list)
    for agency in site.agencies:
        for r in agency.reports:
            by_year[r.year].append((agency, r))
    schemas: dict[tuple[str, ...], str] = {}

    def write(path: str, name: str, title: str, rows: list[tuple[Agency, Report]]) -> DataFile:
        formats = tuple(f for f in FORMATS if any(r.format == f for _, r in rows))
        cols = wide_columns(list(formats))
        if formats not in schemas:
            schemas[formats] = f"data/wide-{'-'.join(formats)}.schema.json"
            out.write_text(schemas[formats], _json(wide_schema(cols)))
        groups = _column_groups(cols)
        with out.open_text(path) as f:
            w = _writer(f)
            w.writerow([n for n, _ in WIDE_FIELDS] + [c.header for c in cols])
            for agency, r in rows:
                lead = _csv_fields([agency.id, spreadsheet_safe(agency.name), *_place(agency), r.year, r.format])
                f.write(lead + ",".join(figures(r, key, group) for key, group in groups) + LINE_END)
        return DataFile(path, name, title, len(rows), schema=schemas[formats].removeprefix("data/"))

    # A report's figures are written twice (its year's file and its agency's): each run
    # of columns of one layout is made into text once per report.
    made = runs if runs is not None else {}

    def figures(r: Report, key: tuple[str, ...], group: list[WideColumn]) -> str:
        text = made.get((id(r), key))
        if text is None:
            if group[0].layout in ("", r.format):
                text = ",".join(format_number(_value(r, c)) for c in group)
            else:  # table A of the other layout: blank
                text = "," * (len(group) - 1)
            made[(id(r), key)] = text
        return text

    files = [write(urls.wide_csv(y), f"wide-{y}", f"{y} 年：每份报告一行、每个数字一列", by_year[y])
             for y in sorted(by_year)]
    files += [write(urls.agency_csv(a.id), f"agency-{a.id}", f"{a.name}：每个年度一行、每个数字一列",
                    [(a, r) for r in a.reports]) for a in site.agencies]
    return files


# ---------------------------------------------------------------- the data package

REPORTS_NOTE = ("年度报告原件是各机关依法公开的政府文件，其内容以原件为准；本许可只适用于本站汇编、整理的数据。")


def datapackage(site: Site, files: list[DataFile], licence: str) -> dict[str, Any]:
    """data/datapackage.json (Frictionless Data Package v1): every data file, the CSVs
    with their Table Schemas. Paths are relative to the package (the data/ folder)."""
    resources_ = []
    for f in files:
        rel = f.path.removeprefix("data/")
        res: dict[str, Any] = {"name": f.name, "path": rel, "title": f.title, "bytes": f.bytes}
        if f.schema is not None:
            res.update({"profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv",
                        "encoding": "utf-8-sig", "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                        "schema": f.schema})
            if rel.endswith(".gz"):
                res["compression"] = "gz"
        else:
            fmt = "jsonl" if rel.endswith(".jsonl.gz") else "json"
            # "file": described, its size checked, but not read as a table (nested JSON).
            res.update({"type": "file", "format": fmt, "mediatype": f"application/{fmt}", "encoding": "utf-8"})
            if rel.endswith(".gz"):
                res["compression"] = "gz"
        res["gongkai:rows"] = f.rows
        resources_.append(res)
    return {
        "profile": "data-package",
        "name": "gongkai",
        "title": site.settings.site_name,
        "description": "政府信息公开工作年度报告中的数字，由 gongkai 从各机关发布的报告原件中读出。" + REPORTS_NOTE,
        "licenses": [licence_entry(licence)],
        "resources": resources_,
    }


PLACEHOLDER = "<!-- gongkai:data-files -->"
"""Where the data page gets its table of sizes and row counts."""


def fill_data_page(page: Path, files: list[DataFile], build_date: str) -> None:
    """The data page with its files' sizes and row counts, known only once they are written
    (after MkDocs wrote the page). A page without the mark (a maintainer's own) is left be."""
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")
    if PLACEHOLDER in html:
        page.write_text(html.replace(PLACEHOLDER, summary_html(files, build_date), 1), encoding="utf-8", newline="\n")


def summary_html(files: list[DataFile], build_date: str) -> str:
    """The data page's table of files, sizes and row counts (filled in after the files are
    written, which is after MkDocs rendered the page). Not searched: Pagefind has been
    handed the page before it was filled in (search_index.py)."""
    shown = [f for f in files if not f.name.startswith("agency-")]
    agencies = [f for f in files if f.name.startswith("agency-")]
    lines = [f"<div data-pagefind-ignore><p>更新日期：{escape(build_date) if build_date else '未注明（本地构建）'}。</p>",
             '<div class="gk-scroll"><table class="gk-table gk-list"><caption class="gk-sr">数据文件的大小与行数</caption>',
             '<thead><tr><th scope="col">文件</th><th scope="col">大小</th><th scope="col">行数</th></tr></thead><tbody>']
    for f in shown:
        lines.append(f'<tr><th scope="row"><code>{escape(f.path.removeprefix("data/"))}</code></th>'
                     f"<td>{_size(f.bytes)}</td><td>{f.rows:,}</td></tr>")
    if agencies:
        lines.append(f'<tr><th scope="row"><code>agencies/*.csv</code>（{len(agencies):,} 个机关）</th>'
                     f"<td>{_size(sum(f.bytes for f in agencies))}</td><td>{sum(f.rows for f in agencies):,}</td></tr>")
    lines.append("</tbody></table></div></div>")
    return "\n".join(lines)


def _size(n: int) -> str:
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} B"
