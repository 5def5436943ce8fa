"""Open data: the JSON and CSV files, one JSON per report, and the original files.

Written straight into the built site (not through MkDocs, which would copy every
original file a second time). Key order and row order are fixed, so two builds of the
same content give byte-identical files.
"""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from importlib import resources
from typing import TYPE_CHECKING, Any, TextIO

from . import urls
from .compare import iter_cells
from .output import Output
from .render import format_number

if TYPE_CHECKING:
    from .site import Site


def _json(data: Any) -> str:
    # Compact: a fifth smaller than indented, and what tools read anyway.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_data(site: Site, out: Output) -> None:
    """Every data file and original of the site, into ``out`` (the built site's root).

    Streamed report by report: at 10,000 reports the bulk files are ~450 MB before
    compression, and building them as strings first made this the build's memory peak."""
    with out.open_text(urls.REPORTS_JSONL, gzipped=True) as bulk:
        for view in site.views:
            agency, r = view.agency, view.report
            data = r.to_dict()
            out.write_text(urls.report_json(agency.id, r.year), _json(data))
            bulk.write(_json({
                "agency_id": agency.id, "url": view.url, "json": urls.report_json(agency.id, r.year), **data,
                "year_checks": [asdict(c) for c in view.year_checks or ()],
                "provenance": view.provenance.to_dict()}))
    out.write_text(urls.AGENCIES_JSON, _json([
        {"id": a.id, "name": a.name, "aliases": list(a.aliases), "region": list(a.region),
         "region_codes": list(a.place.codes), "region_code": a.place.code or None,
         "region_inferred": a.place.inferred if a.region else None,
         "region_note": a.place.note or None,
         "url": urls.agency(a.id), "years": a.years}
        for a in site.agencies
    ]))
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
    with out.open_text(urls.CELLS_CSV, gzipped=True) as f:
        write_cells_csv(site, f)
    schema = resources.files("gongkai").joinpath("schema/report.schema.json").read_text(encoding="utf-8")
    out.write_text("data/report.schema.json", schema)


def write_cells_csv(site: Site, f: TextIO) -> None:
    """Every number of tables A, B and C in long form, with a BOM so Excel reads UTF-8."""
    f.write("\ufeff")
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["agency", "agency_name", "year", "table", "row", "column", "value"])
    for agency in site.agencies:
        for r in agency.reports:
            for c in iter_cells(r):
                if not c.row_printed:
                    continue
                w.writerow([agency.id, agency.name, r.year, c.table, c.row, c.column, format_number(c.value)])
