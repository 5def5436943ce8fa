"""The site model: every input, every agency and, per report, everything its page shows.

Built once after the parse (:func:`gather_site`) and read by the pages (render) and the
data files (export); nothing here imports a later stage, so the site half has no import
circle: read (batch) -> gather (site) -> render -> publish (plugin, build).
"""

from __future__ import annotations

import logging
import os
import stat
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Literal

from . import acknowledge, urls
from .acknowledge import Acknowledgement
from .batch import SYMLINK_REASON, ParseResult, PendingParse, Progress, start_parse_all
from .read.scan import OcrSettings
from .cache import ParseCache
from .compare import CellChange, YearChange, compare_reports
from .crosscheck import YearCheck, check_series
from .limits import Limits
from .model import Report
from .parse import source_name
from .provenance import Provenance, is_sidecar
from .provenance import resolve as resolve_provenance
from .registry import PINYIN_IDS, Agency, Registry, group_reports, load_agencies_file, pinyin_ids_key
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


@dataclass(frozen=True, slots=True)
class ReportView:
    """One published report with everything its page shows, looked up once."""

    report: Report
    agency: Agency
    input: Input
    previous: Report | None
    """The agency's report of an earlier year (the one before in its series), if any."""
    next: Report | None
    year_checks: tuple[YearCheck, ...] | None
    """Checks across years against the report of the year before; None when there is no
    report of the year before (empty: there is one, but too few numbers to check)."""
    duplicates: tuple[Input, ...]
    """Other files of the same agency and year, not published."""
    provenance: Provenance = Provenance()
    """Where and when the report was published (provenance.py): a YAML beside the file,
    agencies.yml, or the report's own canonical link, 发布日期 or signature date."""
    _change: list[YearChange | None] = field(default_factory=list, repr=False, compare=False)

    @property
    def change(self) -> YearChange | None:
        """Compared with the agency's report of the year before (None when there is none).
        Made when first asked for, by the pages that show it, so in whichever of the
        render's two processes renders them: made for every report while gathering, it
        was most of the gathering (0.5 s at 1,000 reports), alone on the critical path."""
        if not self._change:
            before = self.previous
            self._change.append(compare_reports(before, self.report)
                                if before is not None and before.year == self.report.year - 1 else None)
        return self._change[0]

    @property
    def url(self) -> str:
        return urls.report(self.agency.id, self.report.year)


@dataclass
class Site:
    """Everything the pages and data files are made from, gathered before the first write."""

    settings: Settings
    inputs: tuple[Input, ...]
    registry: Registry
    views: tuple[ReportView, ...] = ()
    """Every published report's view, by agency id then year."""
    acknowledgements: tuple[Acknowledgement, ...] = ()
    """content/acknowledged.yml: failures a maintainer found to be the source's own."""

    def __post_init__(self) -> None:
        self._input_by_file = {i.path: i for i in self.inputs}
        self._view_by_file = {v.report.source.file: v for v in self.views}
        self._acks: dict[str, list[Acknowledgement]] = defaultdict(list)
        for a in self.acknowledgements:
            self._acks[a.file].append(a)

    def acknowledged(self, path: str, rule: str | None = None) -> Acknowledgement | None:
        """The entry acknowledging a file's failed check of ``rule`` (None: its rejection)."""
        return next((a for a in self._acks.get(path, ()) if a.covers(rule)), None)

    def problems(self) -> list[str]:
        """What ``--strict`` fails on, one line each: every rejected file and failed check
        not acknowledged, and every acknowledgement with nothing left to acknowledge."""
        out = []
        used: set[Acknowledgement] = set()
        for i in self.inputs:
            if i.status == "rejected":
                ack = self.acknowledged(i.path)
                if ack is None:
                    out.append(f"{i.path}: {i.reason}")
                else:
                    used.add(ack)
            elif i.report is not None:
                for c in i.report.failed_checks:
                    ack = self.acknowledged(i.path, c.rule)
                    if ack is None:
                        out.append(f"{i.path}: {c.detail}")
                    else:
                        used.add(ack)
        for a in self.acknowledgements:
            if a not in used:
                what = f"rule {a.rule}" if a.rule else "a failure"
                out.append(f"{acknowledge.FILE_NAME}: {a.file}: no {what} to acknowledge (fixed or renamed? "
                           "remove the entry)")
        return out

    @property
    def agencies(self) -> tuple[Agency, ...]:
        return self.registry.agencies

    @cached_property
    def reports(self) -> list[Report]:
        """Every published report, by agency id then year."""
        return [v.report for v in self.views]

    def view_of(self, report: Report) -> ReportView:
        return self._view_by_file[report.source.file]

    def views_of(self, agency: Agency) -> list[ReportView]:
        return [self.view_of(r) for r in agency.reports]

    def agency_of(self, report: Report) -> Agency:
        return self.registry.agency_of(report)

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


def discover_inputs(reports_dir: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every regular file under reports_dir at any depth, sorted; hidden files and folders
    and provenance sidecars (``x.pdf.yml``) skipped. Second, what is refused unread, with the reason: a symbolic link (to a file
    or a folder, inside content/ or out of it) is never followed, so no file from outside
    the content folder reaches the site or the data; a FIFO or device would block or
    never end."""
    found: list[Path] = []
    refused: list[tuple[Path, str]] = []
    # scandir's entries know from the folder listing what each is (no stat per file:
    # 0.10 -> 0.035 s for 1,000 files, at the build's start, before the parse can begin).
    folders = [os.fspath(reports_dir)]
    while folders:
        try:
            entries = os.scandir(folders.pop())
        except OSError:  # as os.walk: a folder that cannot be listed is passed over
            continue
        with entries:
            for e in entries:
                if e.name.startswith("."):
                    continue
                p = Path(e.path)
                if e.is_symlink():  # never followed, to a file or a folder
                    # Where it points is not said: the reason is published, the target is a
                    # path on the building machine.
                    refused.append((p, SYMLINK_REASON if not e.is_dir() else
                                    "symbolic link to a folder, not followed; copy the folder itself "
                                    "into content/reports/"))
                elif e.is_dir(follow_symlinks=False):
                    folders.append(e.path)
                elif not e.is_file(follow_symlinks=False) and not _is_regular(p):
                    refused.append((p, "not a regular file (a pipe, socket or device), not read"))
                elif not is_sidecar(p):  # x.pdf.yml: x.pdf's provenance, read with it
                    found.append(p)
    key = (lambda p: p.relative_to(reports_dir).as_posix())  # noqa: E731
    return sorted(found, key=key), sorted(refused, key=lambda r: key(r[0]))


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:  # gone since the walk: the parse says so
        return True


def _one_line(text: str) -> str:
    """A file name fit for a log line: control characters (a newline in a name would
    start a line of its own) shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def read_inputs(settings: Settings) -> list[Input]:
    """Parse every input (cached, in parallel, within limits); a failure becomes a reason."""
    return start_reading(settings).result()


class Reading:
    """:func:`read_inputs` under way (:func:`start_reading`)."""

    def __init__(self, settings: Settings, files: list[tuple[Path, str]], refused: list[tuple[Path, str]],
                 cache: ParseCache | None, parse: PendingParse) -> None:
        self.settings, self.files, self.refused, self.cache, self.parse = settings, files, refused, cache, parse

    def cancel(self) -> None:
        self.parse.cancel()

    def result(self) -> list[Input]:
        return _inputs(self.settings, self.files, self.refused, self.cache, self.parse.result())


def load_pinyin_ids(settings: Settings) -> bool:
    """The agency and region ids the previous build made, from the parse cache, so that
    this one needs pypinyin only for a new name (registry.PINYIN_IDS); True if found."""
    if settings.cache_dir is None:
        return False
    known = ParseCache(settings.cache_dir).get_named(pinyin_ids_key())
    if not isinstance(known, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in known.items()):
        return False
    PINYIN_IDS.update(known)
    return bool(known)


def save_pinyin_ids(settings: Settings) -> None:
    """Keep this build's ids in the parse cache when it made a new one."""
    if settings.cache_dir is None:
        return
    cache = ParseCache(settings.cache_dir)
    if cache.get_named(pinyin_ids_key()) != PINYIN_IDS:
        cache.put_named(pinyin_ids_key(), dict(sorted(PINYIN_IDS.items())))


def start_reading(settings: Settings) -> Reading:
    """:func:`read_inputs`, started: the parse processes work while the caller goes on
    (``gongkai build`` loads MkDocs meanwhile); :meth:`Reading.result` gives the inputs."""
    found, refused = discover_inputs(settings.reports_dir)
    files = [(p, _content_path(p, settings)) for p in found]
    cache = ParseCache(settings.cache_dir) if settings.cache_dir is not None else None
    limits = Limits(max_bytes=settings.max_file_mb * 1024 * 1024, max_seconds=settings.max_seconds,
                    max_memory_bytes=settings.max_memory_mb * 1024 * 1024)
    ocr = OcrSettings(enabled=settings.ocr, min_confidence=settings.ocr_min_confidence,
                      max_seconds_per_page=settings.ocr_max_seconds_per_page)
    parse = start_parse_all(files, jobs=settings.jobs, cache=cache, limits=limits, progress=Progress(len(files)),
                            ocr=ocr)
    # Beside the parse, what gathering needs: the ids the previous build made, or else
    # pypinyin's 0.3 s of dictionaries.
    if not load_pinyin_ids(settings):
        import pypinyin  # noqa: F401
    return Reading(settings, files, refused, cache, parse)


def _inputs(settings: Settings, files: list[tuple[Path, str]], refused: list[tuple[Path, str]],
            cache: ParseCache | None, results: list[ParseResult]) -> list[Input]:
    if cache is not None:
        cache.prune()
    inputs = []
    for (path, _), r in zip(files, results):
        if r.report is None:
            log.warning("%s: %s", _one_line(r.file), r.error)
        inputs.append(Input(r.file, path, r.sha256, r.report, r.error or "", r.error_kind or ""))
    for path, reason in refused:
        name = _content_path(path, settings)
        log.warning("%s: %s", _one_line(name), reason)
        inputs.append(Input(name, path, "", None, reason, "UnsupportedFile"))
    return sorted(inputs, key=lambda i: i.path)


def _content_path(path: Path, settings: Settings) -> str:
    """The path relative to the content folder, without resolving links (source_name's
    resolve() would name a link's target, outside the folder)."""
    try:
        return path.relative_to(settings.content_dir).as_posix()
    except ValueError:
        return source_name(path, settings.content_dir)


def gather_site(settings: Settings, inputs: list[Input]) -> Site:
    """Group, de-duplicate, compare and check across years: everything the pages need,
    before anything is written."""
    registry = group_reports((i.report for i in inputs if i.report is not None),
                             load_agencies_file(settings.agencies_file), settings.agencies_file)
    left_out = {dropped.source.file: (dropped, kept) for dropped, kept in registry.duplicates}
    inputs = [_as_duplicate(i, *left_out[i.path]) if i.path in left_out else i for i in inputs]
    by_path = {i.path: i for i in inputs}
    duplicates: dict[str, list[Input]] = defaultdict(list)
    for inp in inputs:
        if inp.duplicate_of:
            duplicates[inp.duplicate_of].append(inp)
    views = []
    for a in registry.agencies:
        checks = check_series(a.reports)
        for i, r in enumerate(a.reports):
            views.append(ReportView(
                report=r, agency=a, input=by_path[r.source.file],
                previous=a.reports[i - 1] if i else None,
                next=a.reports[i + 1] if i + 1 < len(a.reports) else None,
                year_checks=tuple(checks[r.year]) if r.year in checks else None,
                duplicates=tuple(duplicates.get(r.source.file, ())),
                provenance=resolve_provenance(r, by_path[r.source.file].file, a.sources.get(r.year)),
            ))
    return Site(settings, tuple(inputs), registry, tuple(views), tuple(acknowledge.load(settings.content_dir)))


def _as_duplicate(inp: Input, dropped: Report, kept: Report) -> Input:
    """A second copy of a published report: listed, compared, not published."""
    differ = tuple(c for c in compare_reports(dropped, kept).cells if c.previous != c.current)
    agree = "numbers agree" if not differ else f"{len(differ)} numbers differ"
    return replace(inp, report=None, duplicate_of=kept.source.file, disagreements=differ,
                   reason=f"same agency and year as {kept.source.file}, which is published instead; {agree}")

