"""Build the whole site: gather everything, then write (Pelican's order).

    read_inputs      every file under content/reports/, parsed or rejected with a reason (batch)
    group_reports    agencies across years (registry)
    compare_agency   year-over-year differences (compare); check_series, checks across years
    render_site      Markdown pages (render) -> mkdocs build + data files + search index (publish)

One bad file never stops the build and never loses another: it becomes a rejected
input, listed on /quality/ with its reason.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

from . import urls
from .batch import Progress, parse_all
from .cache import ParseCache
from .compare import CellChange, YearChange, compare_agency, compare_reports
from .crosscheck import YearCheck, check_series
from .limits import Limits
from .model import Report
from .parse import source_name
from .registry import Agency, Registry, group_reports, load_agencies_file
from .settings import Settings

log = logging.getLogger(__name__)

Status = Literal["parsed", "issues", "duplicate", "rejected"]


@dataclass(frozen=True, slots=True)
class Input:
    """One file under content/reports/ and what became of it."""

    path: str
    """Relative to the content folder, POSIX separators (as in ``Report.source.file``)."""
    file: Path
    sha256: str
    report: Report | None
    """None when the file was not parsed, or is a duplicate left out."""
    reason: str = ""
    """Why the file is not published as a report (one line)."""
    error_kind: str = ""
    """For a rejected file: UnsupportedFile, UnreadableFile, NotAReport, LayoutNotRecognised."""
    duplicate_of: str = ""
    """For a second copy of a published report: the path of the published file."""
    disagreements: tuple[CellChange, ...] = ()
    """Cells where this copy prints another number than the published one
    (``previous`` = this copy, ``current`` = the published report)."""

    @property
    def status(self) -> Status:
        if self.duplicate_of:
            return "duplicate"
        if self.report is None:
            return "rejected"
        return "issues" if self.report.failed_checks else "parsed"


@dataclass
class Site:
    """Everything the pages and data files are made from, gathered before the first write."""

    settings: Settings
    inputs: tuple[Input, ...]
    registry: Registry
    changes: dict[tuple[str, int], YearChange] = field(default_factory=dict)
    """(agency id, year) -> the report compared with the agency's report of the year before."""
    year_checks: dict[tuple[str, int], list[YearCheck]] = field(default_factory=dict)
    """(agency id, year) -> the checks across years against the year before."""

    def __post_init__(self) -> None:
        self._input_by_file = {i.path: i for i in self.inputs}

    @property
    def agencies(self) -> tuple[Agency, ...]:
        return self.registry.agencies

    @cached_property
    def reports(self) -> list[Report]:
        """Every published report, by agency id then year."""
        return [r for a in self.agencies for r in a.reports]

    def agency_of(self, report: Report) -> Agency:
        return self.registry.agency_of(report)

    def input_of(self, report: Report) -> Input:
        return self._input_by_file[report.source.file]

    def input_by_path(self, path: str) -> Input:
        return self._input_by_file[path]

    def report_url(self, report: Report) -> str:
        return urls.report(self.agency_of(report).id, report.year)

    def download_name(self, inp: Input) -> str:
        """The file name a browser saves an original under (its real extension)."""
        base = (self.original_url(inp) or "").rsplit("/", 1)[-1]
        return base.removesuffix(".txt") if base.count(".") > 1 else base

    def original_url(self, inp: Input) -> str | None:
        """Where the input file is published; None when originals are not published
        (``publish_originals: false``) or the file could not even be read."""
        if not self.settings.publish_originals or not inp.sha256:
            return None
        if inp.report is not None:
            return urls.original(inp.sha256, inp.file.suffix, self.agency_of(inp.report).id, inp.report.year)
        return urls.original(inp.sha256, inp.file.suffix)


@dataclass(frozen=True, slots=True)
class BuildResult:
    site: Site
    out_dir: Path
    seconds: dict[str, float]
    """Wall time per stage: parse, render, mkdocs, data, search, total."""
    warnings: list[str] = field(default_factory=list)
    """MkDocs' warnings (a strict build fails on them instead)."""
    size: SiteSize | None = None

    @property
    def rejected(self) -> list[Input]:
        return [i for i in self.site.inputs if i.status == "rejected"]

    @property
    def with_failed_checks(self) -> list[Input]:
        return [i for i in self.site.inputs if i.status == "issues"]

    def summary(self) -> str:
        s = self.site
        size = f", {self.size.total / 1e6:,.0f} MB" if self.size else ""
        return (f"built {self.out_dir} from {s.settings.content_dir}: {len(s.reports)} reports, "
                f"{len(s.agencies)} agencies, {len(self.with_failed_checks)} with failed checks, "
                f"{len(self.rejected)} rejected in {self.seconds['total']:.1f} s{size}")


PAGES_LIMIT = 1_000_000_000
"""GitHub Pages publishes a site of at most 1 GB."""


@dataclass(frozen=True, slots=True)
class SiteSize:
    total: int
    originals: int
    """Bytes of originals/ (the input files), part of ``total``."""

    @classmethod
    def of(cls, site_dir: Path) -> SiteSize:
        sizes = {"total": 0, "originals": 0}
        for folder, _, files in os.walk(site_dir):
            n = sum(os.path.getsize(os.path.join(folder, f)) for f in files)
            sizes["total"] += n
            if Path(folder).relative_to(site_dir).parts[:1] == ("originals",):
                sizes["originals"] += n
        return cls(**sizes)

    def warning(self) -> str | None:
        """What to do when the site is too large for GitHub Pages."""
        if self.total <= PAGES_LIMIT:
            return None
        fix = (f"set publish_originals: false in gongkai.yml (the original files are "
               f"{self.originals / 1e9:.2f} GB of it) or " if self.originals else "")
        return (f"the site is {self.total / 1e9:.2f} GB, more than GitHub Pages publishes (1 GB): "
                f"{fix}build one site per region (docs/scaling.md)")


def discover_inputs(reports_dir: Path) -> list[Path]:
    """Every file under reports_dir at any depth, sorted; hidden files and folders skipped."""
    found = [p for p in reports_dir.rglob("*")
             if p.is_file() and not any(part.startswith(".") for part in p.relative_to(reports_dir).parts)]
    return sorted(found, key=lambda p: p.relative_to(reports_dir).as_posix())


def read_inputs(settings: Settings) -> list[Input]:
    """Parse every input (cached, in parallel, within limits); a failure becomes a reason."""
    files = [(p, source_name(p, settings.content_dir)) for p in discover_inputs(settings.reports_dir)]
    cache = ParseCache(settings.cache_dir) if settings.cache_dir is not None else None
    limits = Limits(max_bytes=settings.max_file_mb * 1024 * 1024, max_seconds=settings.max_seconds)
    results = parse_all(files, jobs=settings.jobs, cache=cache, limits=limits, progress=Progress(len(files)))
    if cache is not None:
        cache.prune()
    inputs = []
    for (path, _), r in zip(files, results):
        if r.report is None:
            log.warning("%s: %s", r.file, r.error)
        inputs.append(Input(r.file, path, r.sha256, r.report, r.error or "", r.error_kind or ""))
    return inputs


def gather_site(settings: Settings, inputs: list[Input]) -> Site:
    """Group, de-duplicate and compare: everything the pages need, before anything is written."""
    registry = group_reports((i.report for i in inputs if i.report is not None),
                             load_agencies_file(settings.agencies_file), settings.agencies_file)
    left_out = {dropped.source.file: (dropped, kept) for dropped, kept in registry.duplicates}
    inputs = [_as_duplicate(i, *left_out[i.path]) if i.path in left_out else i for i in inputs]
    changes = {(a.id, year): change for a in registry.agencies
               for year, change in compare_agency(a.reports).items()}
    year_checks = {(a.id, year): checks for a in registry.agencies
                   for year, checks in check_series(a.reports).items()}
    return Site(settings, tuple(inputs), registry, changes, year_checks)


def _as_duplicate(inp: Input, dropped: Report, kept: Report) -> Input:
    """A second copy of a published report: listed, compared, not published."""
    differ = tuple(c for c in compare_reports(dropped, kept).cells if c.previous != c.current)
    agree = "numbers agree" if not differ else f"{len(differ)} numbers differ"
    return replace(inp, report=None, duplicate_of=kept.source.file, disagreements=differ,
                   reason=f"same agency and year as {kept.source.file}, which is published instead; {agree}")


def build_site(settings: Settings) -> BuildResult:
    """Build the site from settings.content_dir into settings.out_dir.

    Example::

        result = build_site(load_settings(content_dir=Path("content"), out_dir=Path("site")))
        print(result.summary())
    """
    from .publish import check_out_dir, publish_site  # mkdocs is slow to import

    check_out_dir(settings)  # before the slow part: fail fast on a wrong --out
    t0 = time.perf_counter()
    inputs = read_inputs(settings)
    t_parse = time.perf_counter() - t0
    site = gather_site(settings, inputs)
    seconds, warnings = publish_site(site)
    seconds = {"parse": t_parse, **seconds, "total": time.perf_counter() - t0}
    return BuildResult(site, settings.out_dir, seconds, warnings, SiteSize.of(settings.out_dir))
