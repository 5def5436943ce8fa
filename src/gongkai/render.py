"""Render the site's pages: jinja2 templates -> Markdown files in the generated docs folder.

Everything taken from a report (agency, title, prose, even labels) is untrusted. It is
written only inside raw HTML blocks, HTML-escaped by the template environment's
autoescape, and Python-Markdown passes raw HTML blocks through untouched, so Markdown or
jinja syntax in a report (``[x](javascript:…)``, ``{{ }}``) stays literal text. Page
titles in the front matter go through :func:`safe_title`. Tables are raw HTML too, which
also keeps the per-page build cost near MkDocs' floor (Markdown tables are parsed cell by
cell by Python-Markdown's inline processors).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from . import urls
from .check import PROSE_PHRASINGS, RULES
from .compare import COPIED_RATIO, REUSED_RATIO
from .crosscheck import RULES as YEAR_RULES
from .crosscheck import gaps
from .layouts import (PARTS, REQUEST_COLUMNS, REVIEW_COLUMNS, SPLIT_OTHER_KEYS, TABLE_A_2019,
                      TABLE_A_2021, TABLE_B, TABLE_C, RowDef)
from .model import Check, Number, Report, Value
from .output import Output
from .registry import DUPLICATE_RULE

if TYPE_CHECKING:
    from .build import Input, Site
    from .registry import Agency

REQUEST_COLUMN_GROUP = "法人或其他组织"
"""Printed over table B's five organisation columns (layouts.py names only the five)."""

STATUS_LABELS = {"parsed": "已解析", "issues": "已解析，核对未通过", "duplicate": "重复，未发布",
                 "rejected": "未能解析"}
REASON_LABELS = {
    "UnsupportedFile": "文件类型不符",
    "UnreadableFile": "文件无法读取",
    "NotAReport": "不是年度报告",
    "LayoutNotRecognised": "未找到报告表格",
    "InternalError": "程序内部错误",
}
"""A Chinese heading for each kind of rejection; the reason itself follows verbatim."""
VERDICT_LABELS = {
    "copied": "基本照搬上一年",
    "reused": "大部分沿用上一年",
    "rewritten": "较上一年有较多改写",
    "empty": "本年未填写",
}
FORMAT_LABELS = {"2021": "2021 年版（国办公开办函〔2021〕30号）", "2019": "2019 年版（国办公开办函〔2019〕60号）"}
_TABLE_TITLES = {t.key: t.title for t in (TABLE_A_2021, TABLE_B, TABLE_C)}
PART_TITLES = {key: f"{number}、{_TABLE_TITLES.get(key, title)}" for key, number, title in PARTS}
"""Part headings; the tables' printed titles (with their 、) where layouts has them."""
UNGROUPED = "未注明地区"

KEY_FIGURES: tuple[tuple[str, str, str], ...] = (
    ("requests", "new", "total"),
    ("requests", "granted", "total"),
    ("review_litigation", "review", "total"),
    ("review_litigation", "litigation_direct", "total"),
    ("review_litigation", "litigation_after_review", "total"),
)
"""The few numbers shown for every report in lists and charts: (table, row, column)."""

_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+\.)+")
_UNSAFE_TITLE = re.compile(r"[<>&\"'`{}\[\]()*_#|\\!\x00-\x1f\x7f]")


# ---------------------------------------------------------------- formatting filters

def safe_title(text: str, limit: int = 80) -> str:
    """A page title safe in YAML front matter and in Material's unescaped ``page.title``.

    Material prints ``{{ page.title }}`` raw and ``striptags`` would un-escape entities, so
    markup characters are removed rather than escaped; Chinese names never need them.
    """
    t = " ".join(_UNSAFE_TITLE.sub(" ", text).split())
    return t[:limit] or "报告"


def format_number(v: Value) -> str:
    if v is None or isinstance(v, bool):
        return ""
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


def format_signed(v: Number | None) -> str:
    if v is None:
        return "—"
    return ("+" if v > 0 else "") + format_number(v)


def format_percent(f: float | None) -> str:
    if f is None:
        return "—"
    return f"{f * 100:+.1f}".replace(".0", "") + "%"


def short_label(row: RowDef) -> str:
    """A row's label without its enumerators, e.g. "（一）予以公开" -> "予以公开"."""
    parts = [_ENUMERATOR.sub("", p) for p in row.label.split()]
    return "·".join(p for p in parts[-1:] if p) if len(parts) > 1 and row in TABLE_B.rows else "·".join(parts)


def key_figure_label(table: str, row: str) -> str:
    layout = TABLE_B if table == "requests" else TABLE_C
    return short_label(layout.row(row))


def key_figure(report: Report, table: str, row: str, column: str) -> Value:
    values = getattr(report, table).get(row)
    return values.get(column) if isinstance(values, dict) else None


def chart_points(reports: Iterable[Report], figure: tuple[str, str, str]) -> list[tuple[int, Value]]:
    return [(r.year, key_figure(r, *figure)) for r in reports]


def bar_chart(points: list[tuple[int, Value]], label: str) -> Markup:
    """A small inline SVG bar chart drawn at build time (no script, no third-party library).

    Only numbers and years reach the SVG; the label is escaped.
    """
    width, height, pad = 240, 90, 16
    values = [v or 0 for _, v in points]
    top = max(values, default=0) or 1
    step = (width - 2 * pad) / max(len(points), 1)
    bars = []
    for i, (year, v) in enumerate(points):
        h = (height - 2 * pad) * (v or 0) / top
        x = pad + i * step + step * 0.15
        y = height - pad - h
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}"><title>{year}: {format_number(v)}</title></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{height - 3}" text-anchor="middle">{year}</text>'
            f'<text x="{x + step * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle">{format_number(v)}</text>'
        )
    title = Markup.escape(label)
    return Markup(f'<svg class="gk-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{title}">'
                  f'<title>{title}</title>{"".join(bars)}</svg>')


# ---------------------------------------------------------------- view helpers

def visible_request_rows(report: Report) -> list[RowDef]:
    """Table B rows in canonical order; of the two forms of （六）其他处理 only the printed one."""
    printed_split = any(report.requests.get(k) is not None for k in SPLIT_OTHER_KEYS)
    rows = []
    for row in TABLE_B.rows:
        if report.requests.get(row.key) is None:
            if row.key in SPLIT_OTHER_KEYS and not printed_split:
                continue
            if row.key == "other" and (printed_split or report.format == "2021"):
                continue
        rows.append(row)
    return rows


def table_cell(marks: dict[str, list[Check]], table: str, row: str, column: str, value: Value) -> Markup:
    """One number's <td>: marked with what each failed check expects there, "—" when blank.

    Python rather than a template macro: a report page has a few hundred cells, and a
    jinja macro call per cell was most of the page's render time. No class on a plain
    number: the stylesheet right-aligns the number columns (a class on each of ~550
    cells was a sixth of a report page).
    """
    fails = marks.get(f"{table}.{row}.{column}")
    if fails:
        detail = Markup.escape(" ".join(c.detail for c in fails))
        expected = "".join(f'<span class="gk-expected">⚠ 应为 {format_number(e)}</span>'
                           for e in dict.fromkeys(c.expected for c in fails))
        return Markup(f'<td class="gk-fail" id="cell-{table}-{row}-{column}" title="{detail}">'
                      f"{format_number(value)}{expected}</td>")
    if value is None:
        return Markup('<td class="gk-blank" title="空白">—</td>')
    return Markup(f"<td>{format_number(value)}</td>")


def check_marks(report: Report) -> dict[str, list[Check]]:
    """Failed checks by "table.row.column" of the cell they are shown at."""
    marks: dict[str, list[Check]] = defaultdict(list)
    for c in report.failed_checks:
        marks[f"{c.table}.{c.cell[0]}.{c.cell[1]}"].append(c)
    return dict(marks)


def region_name(agency: Agency) -> str:
    return " / ".join(agency.region) if agency.region else UNGROUPED


def group_by_region(agencies: Iterable[Agency]) -> list[tuple[str, list[Agency]]]:
    groups: dict[tuple[str, ...], list[Agency]] = defaultdict(list)
    for a in agencies:
        groups[a.region].append(a)
    # Agencies without a region come last; regions sort by their path.
    ordered = sorted(groups, key=lambda r: (not r, r))
    return [(" / ".join(r) if r else UNGROUPED, groups[r]) for r in ordered]


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    template: str
    context: dict[str, Any]


# ---------------------------------------------------------------- the environment

def template_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gongkai", "templates"),
        autoescape=True,  # every value is HTML-escaped: report text never becomes markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(num=format_number, signed=format_signed, percent=format_percent,
                       safe_title=safe_title)
    env.globals.update(
        TABLE_A={"2021": TABLE_A_2021, "2019": TABLE_A_2019}, TABLE_B=TABLE_B, TABLE_C=TABLE_C,
        REQUEST_COLUMNS=REQUEST_COLUMNS, REVIEW_COLUMNS=REVIEW_COLUMNS,
        REQUEST_COLUMN_GROUP=REQUEST_COLUMN_GROUP, RULES=RULES, YEAR_RULES=YEAR_RULES,
        PART_TITLES=PART_TITLES, STATUS_LABELS=STATUS_LABELS, REASON_LABELS=REASON_LABELS,
        DUPLICATE_RULE=DUPLICATE_RULE, PROSE_PHRASINGS=PROSE_PHRASINGS, VERDICT_LABELS=VERDICT_LABELS,
        FORMAT_LABELS=FORMAT_LABELS, COPIED_RATIO=COPIED_RATIO, REUSED_RATIO=REUSED_RATIO,
        KEY_FIGURES=KEY_FIGURES, key_figure=key_figure, key_figure_label=key_figure_label,
        visible_request_rows=visible_request_rows, check_marks=check_marks, cell=table_cell, bar_chart=bar_chart,
        chart_points=chart_points, region_name=region_name, paragraphs=paragraphs, urls=urls,
    )
    return env


def paragraphs(text: str) -> list[str]:
    """Prose as paragraphs (blank-line separated in the model); lines inside are joined."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def site_pages(site: Site) -> list[Page]:
    """Every page of the site with its template and context (gathered before writing)."""
    agencies = site.agencies
    years = sorted({r.year for r in site.reports}, reverse=True)
    reports_by_year: dict[int, list[Report]] = defaultdict(list)
    for r in site.reports:
        reports_by_year[r.year].append(r)
    common = {"site": site, "years": years}
    quality_rejected, quality_by_year = quality_groups(site)
    quality_years = [(y, _quality_year_counts(groups)) for y, groups in quality_by_year.items()]
    pages = [
        Page(urls.HOME, "home.md.j2", {**common, "latest": _latest_reports(site, 10),
                                         "totals": _year_totals(reports_by_year[years[0]]) if years else {}}),
        Page(urls.AGENCIES, "agencies.md.j2", {**common, "groups": group_by_region(agencies)}),
        Page(urls.YEARS, "years.md.j2", {**common, "reports_by_year": reports_by_year}),
        Page(urls.QUALITY, "quality.md.j2", {**common, "counts": _status_counts(site.inputs),
                                              "rejected": quality_rejected, "quality_years": quality_years,
                                              "rule_failures": _rule_failures(site.reports)}),
        Page(urls.DATA, "data.md.j2", common),
        Page(urls.ABOUT, "about.md.j2", common),
        Page(urls.SEARCH, "search.md.j2", common),
    ]
    # Second copies of a published report, by the published file: looked up once per report
    # page (a scan of every input per page made rendering grow with the square of the inputs).
    duplicates: dict[str, list[Input]] = defaultdict(list)
    for inp in site.inputs:
        if inp.duplicate_of:
            duplicates[inp.duplicate_of].append(inp)
    for a in agencies:
        latest_change = site.changes.get((a.id, a.latest.year))
        series_checks = [(r.year, site.year_checks[(a.id, r.year)]) for r in a.reports
                         if (a.id, r.year) in site.year_checks]
        pages.append(Page(urls.agency(a.id), "agency.md.j2", {**common, "agency": a, "change": latest_change,
                                                              "gaps": gaps(a.years), "series_checks": series_checks}))
        for i, r in enumerate(a.reports):
            pages.append(Page(urls.report(a.id, r.year), "report.md.j2", {
                **common, "agency": a, "report": r, "input": site.input_of(r),
                "duplicates": duplicates.get(r.source.file, []),
                "change": site.changes.get((a.id, r.year)),
                "year_checks": site.year_checks.get((a.id, r.year), []),
                "previous": a.reports[i - 1] if i else None,
                "next": a.reports[i + 1] if i + 1 < len(a.reports) else None,
            }))
    published = {a.id: set(a.years) for a in agencies}
    for y in years:
        missing = [a for a in agencies if y not in published[a.id] and min(published[a.id]) < y]
        pages.append(Page(urls.year(y), "year.md.j2", {**common, "year": y, "reports": sorted(
            reports_by_year[y], key=lambda r: site.agency_of(r).id), "missing": missing}))
    for y, groups in quality_by_year.items():
        pages.append(Page(urls.quality_year(y), "quality_year.md.j2", {**common, "year": y, "groups": groups}))
    return pages


def render_site(site: Site, out: Output, fragments: Output | None = None,
                env: jinja2.Environment | None = None) -> list[str]:
    """Write every page's Markdown into ``out``; returns the page URLs in order.

    With ``fragments``, the page's body goes there as JSON, put back by
    :mod:`gongkai.mkdocs_hooks` after MkDocs' conversion: as one piece of HTML with its
    table of contents when the page is only headings and HTML blocks (every gongkai page:
    the Markdown left is the front matter, which MkDocs does not convert at all), else as
    the HTML blocks alone, the Markdown keeping placeholders.
    """
    env = env or template_env()
    done = []
    for page in site_pages(site):
        text = render_page(env, page)
        path = urls.markdown_path(page.url)
        if fragments is not None:
            whole = page_body_html(text)
            if whole is not None:
                text, body = whole
                fragments.write_text(f"{path}.json", json.dumps(body, ensure_ascii=False))
            else:
                text, blocks = split_html_blocks(text)
                fragments.write_text(f"{path}.json", json.dumps(blocks, ensure_ascii=False))
        out.write_text(path, text)
        done.append(page.url)
    return done


_FRONT_MATTER = re.compile(r"---\n.*?\n---\n", re.DOTALL)
_HEADING = re.compile(r"(#{1,6})[ \t]+([^\n]+?)[ \t]+\{[ \t]*#([A-Za-z][\w-]*)[ \t]*\}[ \t]*")
_INLINE_MARKUP = re.compile(r"[*_`\[\]!<>\\]")
"""Characters Python-Markdown's inline processing would act on in a heading's text."""


def page_body_html(markdown: str) -> tuple[str, dict[str, Any]] | None:
    """A page of front matter, ``## text { #id }`` headings and raw HTML blocks as
    ``(the front matter alone, {"html": body, "toc": tokens})``; None for anything else.

    The body is what Python-Markdown makes of it (a heading becomes ``<hN id>``, an HTML
    block passes through) and the tokens are its ``toc`` extension's, so the page is the
    same; but MkDocs then has no Markdown to convert, which was most of the cost of a
    report page above MkDocs' empty-page floor (HTML block parsing, inline patterns, toc).
    """
    from markdown.extensions.toc import nest_toc_tokens

    front = _FRONT_MATTER.match(markdown)
    if front is None:
        return None
    parts: list[tuple[str, str]] = []  # (HTML, what Python-Markdown puts after it)
    tokens: list[dict[str, Any]] = []
    for block in re.split(r"\n\s*\n", markdown[front.end():].lstrip("\n")):
        if not block.strip():
            continue
        if block.startswith("<"):
            parts.append((block, "\n\n"))
            continue
        heading = _HEADING.fullmatch(block.strip())
        if heading is None or _INLINE_MARKUP.search(heading.group(2)):
            return None
        level, text, anchor = len(heading.group(1)), heading.group(2), heading.group(3)
        parts.append((f'<h{level} id="{anchor}">{text}</h{level}>', "\n"))
        tokens.append({"level": level, "id": anchor, "name": text, "html": text, "data-toc-label": ""})
    html = "".join(part + after for part, after in parts[:-1]) + (parts[-1][0] if parts else "")
    return front.group(0), {"html": html, "toc": nest_toc_tokens(tokens)}


def split_html_blocks(markdown: str) -> tuple[str, list[str]]:
    """Move each raw HTML block (a blank-line separated block starting with "<") out of
    the Markdown, leaving a placeholder :data:`gongkai.mkdocs_hooks.SLOT` matches."""
    blocks: list[str] = []
    parts = []
    for part in re.split(r"(\n\s*\n)", markdown):
        if part.startswith("<"):
            parts.append(f'<div class="gk-slot" data-slot="{len(blocks)}"></div>')
            blocks.append(part)
        else:
            parts.append(part)
    return "".join(parts), blocks


def render_page(env: jinja2.Environment, page: Page) -> str:
    u: Callable[[str], str] = lambda target: urls.relative(target, page.url)  # noqa: E731
    return env.get_template(page.template).render(page.context, page_url=page.url, u=u)


def _latest_reports(site: Site, n: int) -> list[Report]:
    return sorted(site.reports, key=lambda r: (-r.year, site.agency_of(r).id))[:n]


def _year_totals(reports: list[Report]) -> dict[tuple[str, str, str], Number]:
    totals: dict[tuple[str, str, str], Number] = {}
    for fig in KEY_FIGURES:
        values = [v for r in reports if (v := key_figure(r, *fig)) is not None]
        totals[fig] = sum(values)
    return totals


def _status_counts(inputs: Iterable[Input]) -> dict[str, int]:
    counts = {s: 0 for s in STATUS_LABELS}
    for i in inputs:
        counts[i.status] += 1
    return counts


QUALITY_GROUPS = ("issues", "duplicate", "warnings", "clean")
"""How a year's inputs are listed on its quality page, problems first."""


def input_year(site: Site, inp: Input) -> int | None:
    """The year an input belongs to: its report's, or for a duplicate the published copy's;
    None for a rejected file."""
    if inp.report is not None:
        return inp.report.year
    if inp.duplicate_of:
        kept = site.input_by_path(inp.duplicate_of).report
        return kept.year if kept is not None else None
    return None


def quality_groups(site: Site) -> tuple[list[Input], dict[int, dict[str, list[Input]]]]:
    """(rejected inputs, year -> group -> inputs) for the quality pages, newest year first
    and every list by path: each input is in exactly one place."""
    rejected: list[Input] = []
    by_year: dict[int, dict[str, list[Input]]] = {}
    for inp in sorted(site.inputs, key=lambda i: i.path):
        y = input_year(site, inp)
        if y is None:
            rejected.append(inp)
            continue
        group: str = inp.status
        if group == "parsed":
            group = "warnings" if inp.report is not None and inp.report.warnings else "clean"
        by_year.setdefault(y, {g: [] for g in QUALITY_GROUPS})[group].append(inp)
    return rejected, {y: by_year[y] for y in sorted(by_year, reverse=True)}


def _quality_year_counts(groups: dict[str, list[Input]]) -> dict[str, int]:
    """A year's row on /quality/: files, checks passed / failed, with warnings, duplicates."""
    published = [i for g in ("issues", "warnings", "clean") for i in groups[g]]
    return {
        "files": sum(len(v) for v in groups.values()),
        "passed": len(groups["warnings"]) + len(groups["clean"]),
        "failed": len(groups["issues"]),
        "warnings": sum(1 for i in published if i.report is not None and i.report.warnings),
        "duplicate": len(groups["duplicate"]),
    }


def _rule_failures(reports: Iterable[Report]) -> list[tuple[str, int, int]]:
    """(rule id, failed instances, reports with a failure) per rule."""
    instances: dict[str, int] = defaultdict(int)
    reports_hit: dict[str, int] = defaultdict(int)
    for r in reports:
        rules = set()
        for c in r.failed_checks:
            instances[c.rule] += 1
            rules.add(c.rule)
        for rule in rules:
            reports_hit[rule] += 1
    return [(rule, instances[rule], reports_hit[rule]) for rule in RULES]
