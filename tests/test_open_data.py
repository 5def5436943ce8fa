"""The open data of a built site read as a researcher would: datapackage.json validated
with frictionless, every CSV read back with the csv module and the types its schema
states, and every published number of every report found in the long and the wide CSVs
beside its Chinese labels (taken from layouts.py through iter_cells, never retyped here).
"""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from frictionless import Package
from lxml import html

from gongkai import urls
from gongkai.build import BuildResult, build_site
from gongkai.compare import iter_cells
from gongkai.jsonenc import dumps_line
from gongkai.layouts import layouts_for
from gongkai.render import format_number
from gongkai.settings import Settings

from conftest import FIXTURES

CONTENT = FIXTURES / "site" / "content"
EPOCH = "1764547200"  # 2025-12-01


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        return build_site(Settings(content_dir=CONTENT, out_dir=tmp_path_factory.mktemp("open-data") / "site",
                                   cache_dir=None))
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old


@pytest.fixture(scope="module")
def data(built: BuildResult) -> Path:
    return built.out_dir / "data"


@pytest.fixture(scope="module")
def package(data: Path) -> dict[str, Any]:
    return json.loads((data / "datapackage.json").read_text(encoding="utf-8"))


def schema_of(data: Path, resource: dict[str, Any]) -> dict[str, Any]:
    s = resource["schema"]
    return json.loads((data / s).read_text(encoding="utf-8")) if isinstance(s, str) else s


def read_csv(path: Path) -> tuple[bytes, list[list[str]]]:
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def typed(value: str, field: dict[str, Any]) -> Any:
    if value == "":
        return None
    return {"integer": int, "number": float, "string": str}[field["type"]](value)


# ---------------------------------------------------------------- the package

def test_package_validates_with_frictionless(data: Path, package: dict[str, Any]) -> None:
    report = Package(str(data / "datapackage.json")).validate()
    assert report.valid, report.flatten(["taskName", "type", "message"])[:5]
    rows = {t.name: t.stats.get("rows") for t in report.tasks}
    for r in package["resources"]:
        if "schema" in r:  # a table: frictionless counted the rows the package states
            assert rows[r["name"]] == r["gongkai:rows"], r["name"]


def test_package_describes_every_data_file(data: Path, package: dict[str, Any]) -> None:
    described = {r["path"] for r in package["resources"]}
    schemas = {r["schema"] for r in package["resources"] if isinstance(r.get("schema"), str)}
    published = {p.relative_to(data).as_posix() for p in data.rglob("*") if p.is_file()}
    assert published - described == {"datapackage.json", "report.schema.json", "index.html", *schemas}
    assert {"cells.csv.gz", "reports.jsonl.gz", "agencies.json", "inputs.json"} <= described
    for r in package["resources"]:
        assert r["bytes"] == (data / r["path"]).stat().st_size, r["path"]
    assert package["licenses"] == [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                                    "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert "官方" in package["description"] or "政府文件" in package["description"]


def test_a_wrong_value_fails_validation(data: Path, tmp_path: Path) -> None:
    # The validation above can fail: a letter where the schema says number.
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    wide = sorted((copy / "wide").glob("*.csv"))[0]
    text = wide.read_text(encoding="utf-8-sig").replace(",0,", ",x,", 1)
    wide.write_text("\ufeff" + text, encoding="utf-8", newline="")
    report = Package(str(copy / "datapackage.json")).validate()
    assert not report.valid
    assert {e.type for t in report.tasks for e in t.errors} >= {"type-error"}


def test_licence_is_an_option(tmp_path: Path) -> None:
    out = build_site(Settings(content_dir=CONTENT, out_dir=tmp_path / "site", cache_dir=None,
                              data_licence="ODbL-1.0")).out_dir
    package = json.loads((out / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["licenses"][0]["name"] == "ODbL-1.0"
    doc = html.fromstring((out / "data" / "index.html").read_bytes())
    link = doc.xpath("//a[@rel='license']")[0]
    assert link.get("href") == "https://opendatacommons.org/licenses/odbl/1-0/" and "ODbL-1.0" in link.text_content()


# ---------------------------------------------------------------- the CSVs

def test_csvs_round_trip_with_their_stated_types(data: Path, package: dict[str, Any]) -> None:
    tables = [r for r in package["resources"] if "schema" in r]
    assert {r["name"] for r in tables} >= {"cells", "wide-2022", "wide-2023", "wide-2024"}
    for r in tables:
        raw, rows = read_csv(data / r["path"])
        # What Excel and WPS need to read UTF-8: a BOM, and CRLF line ends (none bare).
        assert raw.startswith("\ufeff".encode()), r["path"]
        assert raw.count(b"\n") == raw.count(b"\r\n") == len(rows), r["path"]
        fields = schema_of(data, r)["fields"]
        assert rows[0] == [f["name"] for f in fields], r["path"]
        assert len(rows) - 1 == r["gongkai:rows"]
        for row in rows[1:]:
            assert len(row) == len(fields)
            values = [typed(v, f) for v, f in zip(row, fields)]
            assert all(v is not None for v, f in zip(values, fields) if f["name"] in ("agency", "year", "机关id", "年度"))


def test_every_number_is_in_both_csvs_with_its_labels(built: BuildResult, data: Path) -> None:
    _, long_rows = read_csv(data / "cells.csv.gz")
    header = long_rows[0]
    long = {(r[0], r[header.index("year")], r[header.index("table")], r[header.index("row")],
             r[header.index("column")]): dict(zip(header, r)) for r in long_rows[1:]}
    assert len(long) == len(long_rows) - 1  # the stated primary key is one
    wide: dict[int, tuple[list[str], dict[str, list[str]]]] = {}
    seen = 0
    for agency in built.site.agencies:
        _, own = read_csv(data / urls.agency_csv(agency.id).removeprefix("data/"))
        for r in agency.reports:
            if r.year not in wide:
                _, rows = read_csv(data / urls.wide_csv(r.year).removeprefix("data/"))
                wide[r.year] = rows[0], {row[0]: row for row in rows[1:]}
            w_header, w_rows = wide[r.year]
            w_row = w_rows[agency.id]
            assert w_row in own[1:] and own[0] == w_header  # the agency's file: the same row
            assert w_row[:8] == [agency.id, agency.name, *(list(agency.region) + ["", "", ""])[:3],
                                 agency.place.code or "", str(r.year), r.format]
            titles = {t.key: t.title for t in layouts_for(r.format)}
            amounts = {(t.key, row.key, col.key): col.type == "amount"
                       for t in layouts_for(r.format) for row in t.rows for col in t.columns_of(row)}
            for c in iter_cells(r):
                key = (agency.id, str(r.year), c.table, c.row, c.column)
                if not c.row_printed:
                    assert key not in long
                    continue
                row = long[key]
                assert (row["agency_name"], row["table_label"], row["row_label"], row["column_label"],
                        row["layout"], row["value"]) == (agency.name, titles[c.table], c.row_label,
                                                         c.column_label, r.format, format_number(c.value))
                assert row["unit"] == ("万元" if amounts[c.table, c.row, c.column] else "件")
                # The wide column: the one whose header carries the row and column labels.
                cols = [i for i, h in enumerate(w_header)
                        if h.split("｜")[1:] in ([c.row_label, c.column_label], [c.row_label])
                        and (c.table != "active_disclosure" or "年版" not in h or f"{r.format}年版" in h)]
                assert len(cols) == 1, (c.row_label, c.column_label)
                assert w_row[cols[0]] == format_number(c.value)
                seen += 1
    assert seen > 500


# ---------------------------------------------------------------- the pages

def test_data_page_states_date_sizes_and_rows(data: Path, package: dict[str, Any]) -> None:
    doc = html.fromstring((data / "index.html").read_bytes())
    text = doc.text_content()
    assert "更新日期：2025-12-01" in text and "CC-BY-4.0" in text and "政府文件" in text
    table = doc.xpath("//table[caption='数据文件的大小与行数']")[0]
    shown = {tr.xpath("string(th)"): [td.text_content() for td in tr.xpath("td")] for tr in table.xpath(".//tbody/tr")}
    for r in package["resources"]:
        if r["name"].startswith("agency-"):
            continue
        size, rows = shown[r["path"]]
        assert rows == f"{r['gongkai:rows']:,}"
        assert size.endswith(" KB") and abs(float(size[:-3]) - r["bytes"] / 1024) < 0.06 or size == f"{r['bytes']} B"
    assert "<!-- gongkai:data-files -->" not in (data / "index.html").read_text(encoding="utf-8")


def test_agency_page_links_its_csv(built: BuildResult) -> None:
    for agency in built.site.agencies:
        page = built.out_dir / urls.agency(agency.id) / "index.html"
        doc = html.fromstring(page.read_bytes())
        href = doc.xpath("//a[contains(@href, '.csv')]/@href")
        assert href == ["../../" + urls.agency_csv(agency.id)]
        assert (page.parent / href[0]).resolve().is_file()


def test_a_name_starting_like_a_formula_is_inert_in_every_csv(tmp_path: Path) -> None:
    # A printed name is untrusted: "=HYPERLINK(...)" would run when the CSV opens in
    # Excel or WPS. Every CSV writes it with a leading apostrophe; figures stay numbers.
    import gzip

    from gongkai.export import spreadsheet_safe, write_data
    from gongkai.output import Output
    from gongkai.registry import group_reports
    from gongkai.settings import Settings
    from gongkai.site import Site

    from report_factory import zero_report

    hostile = '=HYPERLINK("http://example.invalid","x")人民政府'
    registry = group_reports([zero_report(hostile, 2024), zero_report("-1+1某县人民政府", 2024)], [], None)
    site = Site(Settings(content_dir=tmp_path, out_dir=tmp_path / "site"), (), registry)
    write_data(site, Output(tmp_path / "site"))
    data = tmp_path / "site" / "data"
    texts = [gzip.decompress((data / "cells.csv.gz").read_bytes()).decode("utf-8-sig"),
             (data / "wide" / "2024.csv").read_text(encoding="utf-8-sig"),
             *(p.read_text(encoding="utf-8-sig") for p in sorted((data / "agencies").glob("*.csv")))]
    assert len(texts) == 4
    for text in texts:
        rows = list(csv.reader(io.StringIO(text)))
        names = {row[1] for row in rows[1:]}
        assert not any(n.startswith(("=", "+", "-", "@")) for n in names)
        # quoted where the name needs it (its comma and quotes), every row as wide as the header
        assert names <= {"'" + hostile, "'-1+1某县人民政府"} and names
        assert {len(row) for row in rows} == {len(rows[0])}
    assert any("'=HYPERLINK(" in t for t in texts) and any("'-1+1某县人民政府" in t for t in texts)
    assert spreadsheet_safe("洪泽区人民政府") == "洪泽区人民政府"



def test_each_report_json_and_its_bulk_line_are_the_report_encoded(tmp_path: Path) -> None:
    # export.write_data encodes a report once and splices it into its bulk line: both
    # must be byte for byte what encoding the whole objects gives, the report's printed
    # provenance (when it has one: the web page's own address) replaced in its place by
    # the site's.
    shutil.copytree(CONTENT, tmp_path / "content")
    shutil.copy(FIXTURES / "real2" / "h15.html", tmp_path / "content" / "reports")
    built = build_site(Settings(content_dir=tmp_path / "content", out_dir=tmp_path / "site", cache_dir=None))

    with gzip.open(built.out_dir / "data" / "reports.jsonl.gz", "rt", encoding="utf-8", newline="") as f:
        lines = f.readlines()
    views = built.site.views
    assert len(lines) == len(views)
    printed = [v.report.provenance is not None for v in views]
    assert any(printed) and not all(printed)  # both forms of the line are checked
    assert any(v.year_checks for v in views)
    for view, line in zip(views, lines):
        r, agency = view.report, view.agency
        path = urls.report_json(agency.id, r.year)
        assert (built.out_dir / path).read_text(encoding="utf-8") == dumps_line(r.to_dict())
        assert line == dumps_line({
            "agency_id": agency.id, "url": view.url, "json": path, **r.to_dict(),
            "year_checks": [dataclasses.asdict(c) for c in view.year_checks or ()],
            "provenance": view.provenance.to_dict()}), r.source.file
