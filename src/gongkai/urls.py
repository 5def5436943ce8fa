"""The site map in code: every URL the site has, relative to the site root.

URLs are written relative to each page (see :func:`relative`), so a site works at a
domain root, under a GitHub Pages project path and opened from disk alike.
"""

from __future__ import annotations

import re

HOME = ""
AGENCIES = "agencies/"
YEARS = "years/"
QUALITY = "quality/"
DATA = "data/"
ABOUT = "about/"
SEARCH = "search/"
BUILDER = "builder/"
"""The report builder: regions or agencies x years x figures -> table, chart, CSV."""

# The two bulk files are gzipped: 20x smaller (the same words on every report), which is
# what keeps 10,000 reports under GitHub Pages' 1 GB; pandas, DuckDB, R and zcat read them.
REPORTS_JSONL = "data/reports.jsonl.gz"
CELLS_CSV = "data/cells.csv.gz"
AGENCIES_JSON = "data/agencies.json"
INPUTS_JSON = "data/inputs.json"
DATAPACKAGE = "data/datapackage.json"
CELLS_SCHEMA = "data/cells.schema.json"
"""The Table Schema of cells.csv.gz and of every agency's CSV (one file, referenced)."""

_EXT = re.compile(r"^[a-z0-9]{1,8}$")


INDEX_PAGES = (HOME, AGENCIES, YEARS, QUALITY, DATA, BUILDER, ABOUT, SEARCH)
"""The pages a navigation may list. The others (agency, report, year and per-year
quality pages) are reached from these: a nav listing every report would be copied into
every page, making build time and site size grow with the square of the page count."""


def is_report(url: str) -> bool:
    """agencies/<id>/<year>/"""
    parts = url.split("/")
    return len(parts) == 4 and parts[0] == "agencies" and parts[2].isdigit() and parts[3] == ""


def agency(agency_id: str) -> str:
    return f"agencies/{agency_id}/"


def report(agency_id: str, year: int) -> str:
    return f"agencies/{agency_id}/{year}/"


def report_json(agency_id: str, year: int) -> str:
    return f"agencies/{agency_id}/{year}/report.json"


def agency_csv(agency_id: str) -> str:
    """All years of one agency, a row per year, in the columns of the yearly wide CSVs."""
    return f"data/agencies/{agency_id}.csv"


def wide_csv(y: int) -> str:
    """One year, a row per report and a column per figure (Chinese headers, for Excel)."""
    return f"data/wide/{y}.csv"


BUILDER_INDEX = "builder/data/index.json"
"""The builder's agencies, regions and figures; fetched by the builder page alone. Beside
the page, not in data/: they are the page's working files (no Table Schema), and data/
holds exactly what datapackage.json describes."""


def builder_year(y: int) -> str:
    """One year's figures for the builder (fetched only when a reader chooses the year)."""
    return f"builder/data/{y}.json"


def region(key: str) -> str:
    """A region's page: its agencies and sub-regions (``key``: the division code, or the
    pinyin of a region agencies.yml names that the division table does not have)."""
    return f"regions/{key}/"


def year(y: int) -> str:
    return f"years/{y}/"


def quality_year(y: int) -> str:
    """The inputs of one year, problems first (reached from /quality/, not from the nav)."""
    return f"quality/{y}/"


ACTIVE_EXTENSIONS = frozenset({"html", "htm", "xhtml", "shtml", "svg", "xml", "js", "mjs"})
"""Extensions a browser would render or run; originals with them are published as .txt."""


def original(sha256: str, suffix: str, agency_id: str | None = None, y: int | None = None) -> str:
    """Where an input file is published: a name made only of ids and its hash, never of
    the file's own name (which is untrusted and may not be URL-safe)."""
    ext = suffix.lower().lstrip(".")
    ext = ext if _EXT.match(ext) else "bin"
    if ext in ACTIVE_EXTENSIONS:
        # An original web page served from this site would run its scripts on the
        # site's origin (and be indexed as a page): publish its bytes as plain text.
        ext += ".txt"
    if agency_id is not None and y is not None:
        return f"originals/{agency_id}/{y}-{sha256[:12]}.{ext}"
    return f"originals/unparsed/{sha256[:12]}.{ext}"


def markdown_path(url: str) -> str:
    """The generated Markdown file for a page URL (directory URLs: x/ -> x/index.md)."""
    return f"{url}index.md"


def relative(url: str, from_page: str) -> str:
    """``url`` as seen from the page at ``from_page`` (both site-root relative).

    Pure string work: ``posixpath.relpath`` makes both paths absolute against the working
    folder first, and pages call this a dozen times each."""
    target = [p for p in url.split("/") if p]
    base = [p for p in from_page.split("/") if p]
    common = 0
    while common < min(len(target), len(base)) and target[common] == base[common]:
        common += 1
    rel = "/".join([".."] * (len(base) - common) + target[common:]) or "."
    if url.endswith("/") or not url:
        rel = "./" if rel == "." else rel + "/"
    return rel
