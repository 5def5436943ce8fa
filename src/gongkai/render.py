"""Render the site's pages: jinja2 templates -> the HTML body of each page, in memory.

Each page is a :class:`RenderedPage`: its URL, title, whether it is searched, its body
HTML and the tokens of its table of contents. The MkDocs plugin hands the body to
MkDocs as the page's content (no Markdown conversion: every page is headings and HTML
blocks, and Python-Markdown's raw-HTML and inline processing of a report's tables was
most of a page's cost above MkDocs' floor).

Everything taken from a report (agency, title, prose, even labels) is untrusted: the
template environment autoescapes every value, headings go through :class:`Headings`
(escaped), and page titles, which Material prints unescaped, through :func:`safe_title`.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from . import bodies, forked, kinds, rollups, template_cache, timeliness, urls
from .charts import bar_chart, chart_points, format_number, key_figure, trend_chart
from .check import PROSE_PHRASINGS, RULES
from .compare import COPIED_RATIO, REUSED_RATIO, CellChange, YearChange
from .crosscheck import RULES as YEAR_RULES
from .crosscheck import gaps
from .layouts import (PARTS, REQUEST_COLUMNS, REVIEW_COLUMNS, SPLIT_OTHER_KEYS, TABLE_A_2019,
                      TABLE_A_2021, TABLE_B, TABLE_C, RowDef)
from .model import Check, Number, Report, Value, ValueNote
from .provenance import label as provenance_label
from .registry import DUPLICATE_RULE
from .settings import licence_entry
from .wording import has_english
from .wording import rejection as say_rejection
from .wording import warning as say_warning

if TYPE_CHECKING:
    from .registry import Agency
    from .site import Input, Site

REQUEST_COLUMN_GROUP = "法人或其他组织"
"""Printed over table B's five organisation columns (layouts.py names only the five)."""

STATUS_LABELS = {"parsed": "已解析", "issues": "已解析，核对未通过", "duplicate": "重复，未发布",
                 "rejected": "未能解析"}
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
UNGROUPED = "地区未能确定"

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


_WORD_ENDS = re.compile(r"(苏木|街道|镇|乡|开发区|示范区|实验区|新区|管委会|管理委员会|委员会|办公室|人民政府|政府)(?=.{2,})")


def breakable(name: str) -> Markup:
    """An agency name, escaped, with <wbr> after each place it names and each office word
    (淮安市<wbr>洪泽区<wbr>人民政府): a title set with ``word-break: keep-all`` then
    wraps between words, never inside one."""
    from .regions import _mentions, table

    cuts: set[int] = set()
    pos = 0
    for text, _ in _mentions(name, table()):
        at = name.find(text, pos)
        if at >= 0:  # (a place split by a space in the printed name is not cut after)
            pos = at + len(text)
            cuts.add(pos)
    cuts |= {m.end() for m in _WORD_ENDS.finditer(name)}
    cuts |= {m.start() for m in re.finditer(r"人民政府|政务服务|教育局|公安局", name)}
    parts, last = [], 0
    for c in sorted(x for x in cuts if 0 < x < len(name)):
        parts.append(str(Markup.escape(name[last:c])))
        last = c
    parts.append(str(Markup.escape(name[last:])))
    return Markup("<wbr>".join(parts))


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


NOTE_KINDS: dict[str, tuple[str, str]] = {
    "ocr": ("识", "由扫描件识别，置信度见提示"),
    "arithmetic": ("算", "由表内算术关系还原（原件中数字连在一起）"),
    "remark": ("注", "原件该格另有备注，见提示"),
}
"""ValueNote.how -> (the mark beside the number, the legend's line)."""
LOW_CONFIDENCE = 0.9
"""OCR values below this confidence get the low-confidence style."""


def table_cell(marks: dict[str, list[Check]], notes: dict[str, list[ValueNote]], table: str, row: str,
               column: str, value: Value) -> Markup:
    return Markup(_cell(marks, notes, table, row, column, value))


def _cell(marks: dict[str, list[Check]], notes: dict[str, list[ValueNote]], table: str, row: str,
          column: str, value: Value) -> str:
    """One number's <td>: marked with what each failed check expects there and how a value
    not plainly printed was obtained (:class:`ValueNote`), "—" when blank.

    Python rather than a template macro: a report page has a few hundred cells, and a
    jinja macro call per cell was most of the page's render time. No class on a plain
    number: the stylesheet right-aligns the number columns (a class on each of ~550
    cells was a sixth of a report page).
    """
    key = f"{table}.{row}.{column}"
    fails = marks.get(key)
    cell_notes = notes.get(key) if notes else None
    if not fails and not cell_notes:
        if value is None:
            return '<td class="gk-blank" title="空白">—</td>'
        if type(value) is int:  # most cells: skip format_number's checks
            return f"<td>{value}</td>"
        return f"<td>{format_number(value)}</td>"
    classes: list[str] = []
    titles: list[str] = []
    after = ""
    attrs = ""
    if fails:
        classes.append("gk-fail")
        attrs = f' id="cell-{table}-{row}-{column}"'
        titles.extend(c.detail for c in fails)
        after = "".join(f'<span class="gk-expected">⚠ 应为 {format_number(e)}</span>'
                        for e in dict.fromkeys(c.expected for c in fails))
    for n in cell_notes or ():
        classes.append(f"gk-note-{n.how}")
        titles.append(note_text(n))
        if n.how == "ocr" and n.confidence is not None and n.confidence < LOW_CONFIDENCE:
            classes.append("gk-ocr-low")
        mark = NOTE_KINDS.get(n.how, ("?", ""))[0]
        after = f'<span class="gk-note-mark" aria-hidden="true">{mark}</span>' + after
    shown = format_number(value) if value is not None else "—"
    return (f'<td class="{" ".join(dict.fromkeys(classes))}"{attrs} title="{Markup.escape(" ".join(titles))}">'
            f"{shown}{after}</td>")


_SUM_ROWS = frozenset({"new", "carried_over", "total", "carried_forward"})


@functools.lru_cache(maxsize=4096)
def _escape(text: str) -> str:
    """Escaped text; labels repeat on every page, so each is escaped once."""
    return str(Markup.escape(text))


def table_a_rows(report: Report, marks: dict[str, list[Check]], notes: dict[str, list[ValueNote]]) -> Markup:
    """Table A's <tr>s: a row group per item, a row per column of it."""
    layout = TABLE_A_2021 if report.format == "2021" else TABLE_A_2019
    out = []
    for row in layout.rows:
        cols = layout.columns_of(row)
        data = report.active_disclosure.get(row.key)
        head = f'<th scope="rowgroup" rowspan="{len(cols)}">{_escape(row.label)}</th>'
        for col in cols:
            value = data if row.single and not isinstance(data, dict) else (
                data.get(col.key) if isinstance(data, dict) else None)
            out.append(f"<tr>{head}<td>{_escape(col.label)}</td>"
                       f"{_cell(marks, notes, 'active_disclosure', row.key, col.key, value)}</tr>\n")
            head = ""
    return Markup("".join(out))


def table_b_rows(report: Report, marks: dict[str, list[Check]], notes: dict[str, list[ValueNote]]) -> Markup:
    out = []
    for row in visible_request_rows(report):
        data = report.requests.get(row.key) or {}
        cls = ' class="gk-sum"' if row.key in _SUM_ROWS else ""
        cells = "".join([_cell(marks, notes, "requests", row.key, c.key, data.get(c.key)) for c in REQUEST_COLUMNS])
        out.append(f'<tr{cls}><th scope="row">{_escape(row.label)}</th>{cells}</tr>\n')
    return Markup("".join(out))


def table_c_rows(report: Report, marks: dict[str, list[Check]], notes: dict[str, list[ValueNote]]) -> Markup:
    out = []
    for row in TABLE_C.rows:
        data = report.review_litigation.get(row.key) or {}
        cells = "".join([_cell(marks, notes, "review_litigation", row.key, c.key, data.get(c.key))
                         for c in REVIEW_COLUMNS])
        out.append(f'<tr><th scope="row">{_escape(row.label)}</th>{cells}</tr>\n')
    return Markup("".join(out))


AMOUNT_CELLS = frozenset(
    (layout.key, row.key, col.key)
    for layout in (TABLE_A_2021, TABLE_A_2019) for row in layout.rows
    for col in layout.columns_of(row) if col.type == "amount")
"""(table, row, column) of every amount in 万元."""
LEAD_CHANGES = 10
"""The largest changes listed first on a report and an agency page."""


def format_readable(v: Value, amount: bool = False) -> str:
    """A number for reading: thousands separators; an amount in 万元 to two decimals."""
    if v is None or isinstance(v, bool):
        return "—"
    if amount:
        return f"{v:,.2f}"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.2f}"
    return f"{int(v):,}"


def _converted(v: Value) -> str:
    """For an amount with more decimals than 万元 are printed with (a sum printed in 元 and
    converted), the value in 元, as the report printed it."""
    if not isinstance(v, float) or round(v * 100, 6).is_integer():
        return ""
    return f'<span class="gk-printed">即 {v * 10000:,.2f} 元</span>'


def _change_key(c: CellChange) -> tuple[float, float, str, str, str]:
    """Largest change first: by size of the change (a number newly printed or gone: its
    value), then by its ratio; then layout order, for equal sizes, by key."""
    size = abs(c.absolute) if c.absolute is not None else abs(c.current or c.previous or 0)
    ratio = abs(c.relative) if c.relative is not None else float("inf")
    return (-float(size), -ratio, c.table, c.row, c.column)


def unchanged_cells(change: YearChange) -> list[CellChange]:
    """Numbers printed (non-zero) in both years and the same."""
    return [c for c in change.cells if c.previous == c.current]


def lead_changes(cells: Iterable[CellChange], n: int = LEAD_CHANGES) -> list[CellChange]:
    return sorted((c for c in cells if c.previous != c.current), key=_change_key)[:n]


def change_rows(cells: Iterable[CellChange], with_part: bool = False) -> Markup:
    """The rows of a year-over-year table: a group row per table, a row per number
    (``with_part``: one list, each row naming its table, as the list of largest changes).

    Up and down are ▲ and ▼ in one neutral colour: red means "up" to many Chinese
    readers and "down" to others."""
    out = []
    table = None
    for c in cells:
        if c.table != table and not with_part:
            table = c.table
            out.append(f'<tr class="gk-group"><th colspan="4" scope="colgroup">{_escape(PART_TITLES[c.table])}</th></tr>\n')
        diff = c.absolute
        amount = (c.table, c.row, c.column) in AMOUNT_CELLS
        if diff is None:
            cls, shown = "gk-gone" if c.current is None else "gk-new", "—"
        elif diff > 0:
            cls, shown = "gk-up", f'<span aria-hidden="true">▲</span> +{format_readable(diff, amount)}'
        elif diff < 0:
            cls, shown = "gk-down", f'<span aria-hidden="true">▼</span> −{format_readable(-diff, amount)}'
        else:
            cls, shown = "gk-same", "0"
        part = f'<span class="gk-part">{_escape(_PART_SHORT[c.table])}</span> ' if with_part else ""
        # Four columns, so that a phone shows the change beside its label: the column's
        # label under the row's, the rate under the change.
        out.append(f'<tr class="{cls}" data-row="{_escape(c.table)}.{_escape(c.row)}.{_escape(c.column)}">'
                   f'<th scope="row">{part}{_escape(c.row_label)}<span class="gk-col">{_escape(c.column_label)}</span></th>'
                   f"<td>{format_readable(c.previous, amount)}{_converted(c.previous) if amount else ''}</td>"
                   f"<td>{format_readable(c.current, amount)}{_converted(c.current) if amount else ''}</td>"
                   f'<td>{shown}<span class="gk-rate">{format_percent(c.relative)}</span></td></tr>\n')
    if not out:
        out.append('<tr><td colspan="4">没有。</td></tr>\n')
    return Markup("".join(out))


_PART_SHORT = {"active_disclosure": "表二", "requests": "表三", "review_litigation": "表四"}


def note_text(n: ValueNote) -> str:
    """What a cell's tooltip says about how its value was obtained (plain text). A note in
    the parse half's English is left out (the report's own remarks are Chinese and kept)."""
    if n.note and has_english(n.note):
        n = replace(n, note="")
    if n.how == "ocr":
        conf = f"，置信度 {n.confidence * 100:.0f}%" if n.confidence is not None else ""
        low = "（较低，请核对原件）" if n.confidence is not None and n.confidence < LOW_CONFIDENCE else ""
        return f"由扫描件识别{conf}{low}" + (f"：{n.note}" if n.note else "")
    if n.how == "arithmetic":
        return "由表内算术关系还原" + (f"：{n.note}" if n.note else "")
    if n.how == "remark":
        return f"备注：{n.note}" if n.note else "原件该格另有备注"
    return n.note or n.how


def value_notes(report: Report) -> dict[str, list[ValueNote]]:
    """The report's value notes by "table.row.column" of their cell."""
    notes: dict[str, list[ValueNote]] = defaultdict(list)
    for n in report.value_notes:
        notes[f"{n.table}.{n.row}.{n.column}"].append(n)
    return dict(notes)


def note_kinds(notes: dict[str, list[ValueNote]]) -> set[str]:
    return {n.how for ns in notes.values() for n in ns}


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


@dataclass
class RegionNode:
    """One region of the agency index: province, city or county, with every agency in it."""

    path: tuple[str, ...]
    key: str
    """Its URL key (urls.region): the division code, else the pinyin of the path."""
    agencies: list[Agency] = field(default_factory=list)
    """Agencies whose region is exactly this one."""
    children: list[RegionNode] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path[-1]

    @property
    def url(self) -> str:
        return urls.region(self.key)

    @property
    def count(self) -> int:
        return len(self.agencies) + sum(c.count for c in self.children)

    def all_agencies(self) -> list[Agency]:
        return [*self.agencies, *(a for c in self.children for a in c.all_agencies())]

    def walk(self) -> Iterable[RegionNode]:
        yield self
        for c in self.children:
            yield from c.walk()


def region_tree(agencies: Iterable[Agency]) -> list[RegionNode]:
    """Provinces -> cities -> counties holding the agencies, by division code (regions from
    agencies.yml that the table does not have: after, by name)."""
    from .registry import pinyin_id

    nodes: dict[tuple[str, ...], RegionNode] = {}
    order: dict[tuple[str, ...], tuple[str, str]] = {}
    for a in agencies:
        for depth in range(1, len(a.region) + 1):
            path = a.region[:depth]
            if path not in nodes:
                code = a.place.codes[depth - 1] if depth <= len(a.place.codes) else ""
                nodes[path] = RegionNode(path, code or pinyin_id("-".join(path)))
                order[path] = (code or "~", "/".join(path))
        if a.region:
            nodes[a.region].agencies.append(a)
    roots: list[RegionNode] = []
    for path in sorted(nodes, key=lambda p: order[p]):
        (nodes[path[:-1]].children if len(path) > 1 else roots).append(nodes[path])
    return roots


def region_crumbs(agency: Agency) -> list[tuple[str, str]]:
    """(name, region URL) of each level of an agency's region, outermost first."""
    tree = {n.path: n for root in region_tree([agency]) for n in root.walk()}
    return [(p[-1], tree[p].url) for p in (agency.region[:d] for d in range(1, len(agency.region) + 1))]


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    template: str
    title: str
    """Shown as the page's title (made safe by :func:`safe_title`)."""
    context: dict[str, Any]
    indexed: bool = True
    """False: Pagefind leaves the page out (index pages only repeat names)."""
    description: str = ""
    """The page's meta description (WeChat and Baidu previews); "": the site's."""


@dataclass(frozen=True, slots=True)
class RenderedPage:
    url: str
    title: str
    indexed: bool
    html: str
    toc: list[dict[str, Any]]
    """Python-Markdown's nested ``toc_tokens`` of the page's headings (MkDocs' ``get_toc``)."""
    description: str = ""

    @property
    def src_uri(self) -> str:
        return urls.markdown_path(self.url)

    @property
    def is_report(self) -> bool:
        return urls.is_report(self.url)


@dataclass
class Headings:
    """``h(level, id, text)`` in the templates: an escaped heading, remembered for the
    page's table of contents (the tokens Python-Markdown's toc extension would make)."""

    tokens: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, level: int, anchor: str, text: str) -> Markup:
        name = str(Markup.escape(text))
        self.tokens.append({"level": level, "id": anchor, "name": name, "html": name, "data-toc-label": ""})
        # Headings are the templates' own words, on every page of a kind: not searched.
        return Markup(f'<h{level} id="{Markup.escape(anchor)}" data-pagefind-ignore>{name}</h{level}>')

    def toc(self) -> list[dict[str, Any]]:
        from markdown.extensions.toc import nest_toc_tokens

        return nest_toc_tokens([dict(t) for t in self.tokens])


# ---------------------------------------------------------------- the environment

def template_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("gongkai", "templates"),
        autoescape=True,  # every value is HTML-escaped: report text never becomes markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates do not change during a build: no stat per page
    )
    env.filters.update(num=format_number, signed=format_signed, percent=format_percent, breakable=breakable,
                       safe_title=safe_title)
    env.globals.update(
        TABLE_A={"2021": TABLE_A_2021, "2019": TABLE_A_2019}, TABLE_B=TABLE_B, TABLE_C=TABLE_C,
        REQUEST_COLUMNS=REQUEST_COLUMNS, REVIEW_COLUMNS=REVIEW_COLUMNS,
        REQUEST_COLUMN_GROUP=REQUEST_COLUMN_GROUP, RULES=RULES, YEAR_RULES=YEAR_RULES,
        PART_TITLES=PART_TITLES, STATUS_LABELS=STATUS_LABELS,
        DUPLICATE_RULE=DUPLICATE_RULE, PROSE_PHRASINGS=PROSE_PHRASINGS, VERDICT_LABELS=VERDICT_LABELS,
        FORMAT_LABELS=FORMAT_LABELS, COPIED_RATIO=COPIED_RATIO, REUSED_RATIO=REUSED_RATIO,
        KEY_FIGURES=KEY_FIGURES, NOTE_KINDS=NOTE_KINDS, LOW_CONFIDENCE=LOW_CONFIDENCE,
        key_figure=key_figure, key_figure_label=key_figure_label, kind_label=kinds.label,
        visible_request_rows=visible_request_rows, check_marks=check_marks, value_notes=value_notes,
        note_kinds=note_kinds, table_a_rows=table_a_rows, table_b_rows=table_b_rows,
        table_c_rows=table_c_rows, change_rows=change_rows, lead_changes=lead_changes,
        unchanged_cells=unchanged_cells, bar_chart=bar_chart,
        chart_points=chart_points, FIGURES=rollups.FIGURES, RATES=rollups.RATES, TOO_FEW=rollups.TOO_FEW,
        timeliness=timeliness.of, DUE_RULE=timeliness.RULE, NOT_PUBLISHED=timeliness.NOT_PUBLISHED,
        BODY_KINDS=bodies.BODY_KINDS, kind_of=bodies.kind_of, licence_entry=licence_entry, region_name=region_name, region_crumbs=region_crumbs,
        paragraphs=paragraphs, boilerplate=boilerplate, urls=urls, say_warning=say_warning,
        say_rejection=say_rejection, provenance_label=provenance_label,
    )
    return template_cache.install(env)


STANDARD_SUBHEADINGS = ("主动公开情况", "依申请公开情况", "政府信息管理情况", "平台建设情况",
                        "政府信息公开平台建设情况", "监督保障情况")
"""The sub-headings of part 一 the format prescribes (国办公开办函〔2021〕30号): on every report."""
_SUBHEADING = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]?\s*)?(?:" + "|".join(STANDARD_SUBHEADINGS) + r")[。：:]?$")
_INTRODUCTION = re.compile(r"(?:根据|依据|按照).{0,6}《中华人民共和国政府信息公开条例》.{0,60}(?:编制|撰写|制作|发布)本(?:年度)?报告"
                           r"|^本(?:年度)?报告(?:是)?(?:根据|依据|按照).{0,10}《中华人民共和国政府信息公开条例》"
                           r"|本报告(?:中)?所列数据的统计期限|本报告(?:的)?电子版可(?:以)?在")
_INTRODUCTION_MAX = 240
"""Longer paragraphs carry the report's own news as well: searched."""


def boilerplate(paragraph: str) -> bool:
    """A paragraph every report prints (a prescribed sub-heading, the standard introduction):
    shown, but not searched (it matched every query for its words)."""
    return bool(_SUBHEADING.match(paragraph)
                or len(paragraph) <= _INTRODUCTION_MAX and _INTRODUCTION.search(paragraph))


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
    tree = region_tree(agencies)
    site_figures = region_figures(site, list(agencies), years)
    pages = [
        Page(urls.HOME, "home.html.j2", site.settings.site_name, {
            **common, "latest": _latest_reports(site, 10),
            "totals": _year_totals(reports_by_year[years[0]]) if years else {}}, indexed=False),
        Page(urls.AGENCIES, "agencies.html.j2", "机关", {
            **common, "tree": tree, "unassigned": [a for a in agencies if not a.region]}, indexed=False),
        Page(urls.YEARS, "years.html.j2", "年度", {**common, "reports_by_year": reports_by_year, **site_figures},
             indexed=False),
        Page(urls.QUALITY, "quality.html.j2", "数据质量", {
            **common, "counts": _status_counts(site.inputs), "rejected": quality_rejected,
            "attention": attention(site),
            "quality_years": quality_years, "rule_failures": _rule_failures(site.reports)}, indexed=False),
        Page(urls.DATA, "data.html.j2", "开放数据", common),
        Page(urls.BUILDER, "builder.html.j2", "自选报表", common, indexed=False),
        Page(urls.ABOUT, "about.html.j2", "关于", common),
        Page(urls.SEARCH, "search.html.j2", "搜索", common, indexed=False),
    ]
    for root in tree:
        for node in root.walk():
            code = node.key if node.key.isdigit() else ""
            crumbs = [(n.name, n.url) for n in root.walk() if node.path[:len(n.path)] == n.path]
            pages.append(Page(node.url, "region.html.j2", "".join(node.path), {
                **common, "node": node, "code": code, "crumbs": crumbs,
                **region_figures(site, node.all_agencies(), years)}, indexed=False,
                description=f"{''.join(node.path)}的 {node.count} 个机关的政府信息公开工作年度报告。"))
    for a in agencies:
        views = site.views_of(a)
        latest = views[-1]
        series_checks = [(v.report.year, list(v.year_checks)) for v in views if v.year_checks is not None]
        pages.append(Page(urls.agency(a.id), "agency.html.j2", a.name, {
            **common, "agency": a, "latest": latest, "gaps": gaps(a.years), "series_checks": series_checks,
            "not_published": timeliness.missing_years(a, years),
            "on_time": [(v.report.year, timeliness.of(v.report.year, v.provenance.published, v.provenance.published_how)) for v in views]},
            description=agency_description(a)))
        for v in views:
            pages.append(Page(v.url, "report.html.j2", f"{a.name} {v.report.year}年报告", {
                **common, "view": v, "agency": a, "report": v.report, "input": v.input,
                "duplicates": v.duplicates, "year_checks": list(v.year_checks or ()),
                "previous": v.previous, "next": v.next,
            }, description=report_description(v.report, a)))
    published = {a.id: set(a.years) for a in agencies}
    for y in years:
        missing = [a for a in agencies if y not in published[a.id] and min(published[a.id]) < y]
        pages.append(Page(urls.year(y), "year.html.j2", f"{y} 年度报告", {**common, "year": y, "reports": sorted(
            reports_by_year[y], key=lambda r: site.agency_of(r).id), "missing": missing,
            **year_figures(site, y, site_figures)}, indexed=False))
    for y, groups in quality_by_year.items():
        pages.append(Page(urls.quality_year(y), "quality_year.html.j2", f"数据质量 · {y} 年度",
                          {**common, "year": y, "groups": groups}, indexed=False))
    return pages


TREND_FIGURES = ("new", "handled", "review", "litigation")
"""The totals drawn as trend charts (all of rollups.FIGURES are in the table beside them)."""


def region_figures(site: Site, agencies: list[Agency], years: list[int]) -> dict[str, Any]:
    """A region's (or the whole site's) roll-ups per year, their trend charts, the bodies
    of each kind side by side in one year, and timeliness per year."""
    series = rollups.by_year(agencies)
    oldest = sorted(series)
    charts: list[tuple[str, Markup | None]] = []
    for f in rollups.FIGURES:
        if f.key in TREND_FIGURES:  # a year where no report prints the figure: no bar (not a 0)
            charts.append((f.label, trend_chart([(y, t.value if (t := series[y].totals[f.key]).reports else None)
                                                 for y in oldest], f"{f.label}（件）各年度合计")))
    for r in rollups.RATES:  # a rate no year has the sample for: said in words, no empty frame
        points = [(y, series[y].rates[r.key].value) for y in oldest]
        charts.append((r.label, trend_chart(points, f"{r.label}各年度（样本过少的年度不画点）", line=True, top=1,
                                            fmt=lambda v: f"{v * 100:.0f}%")
                       if any(v is not None for _, v in points) else None))
    on_time = {}
    missing_of = [set(timeliness.missing_years(a, years)) for a in agencies]  # once per agency, not per year
    for y in oldest:
        provenances = [site.view_of(r).provenance for a in agencies for r in a.reports if r.year == y]
        items = [timeliness.of(y, p.published, p.published_how) for p in provenances]
        missing = sum(1 for m in missing_of if y in m)
        on_time[y] = timeliness.share(items, missing)
    # Bodies are compared in one year: the one most of them reported for (the latest of equals).
    compared = max(oldest, key=lambda y: (series[y].reports, y)) if oldest else None
    return {"series": series, "charts": charts, "on_time": on_time, "kinds_year": compared,
            "kinds": rollups.by_kind(agencies, compared) if compared is not None else []}


def year_figures(site: Site, year: int, site_figures: dict[str, Any]) -> dict[str, Any]:
    """A year page: the site's trend charts (every year), this year's roll-up per kind of
    body (kind totals, never one table across kinds) and each report's timeliness."""
    by_kind: dict[str, list[Report]] = defaultdict(list)
    for a in site.agencies:
        for r in a.reports:
            if r.year == year:
                by_kind[bodies.kind_of(a).key].append(r)
    kind_rollups = [(k, rollups.rollup(by_kind[k.key])) for k in bodies.BODY_KINDS if by_kind.get(k.key)]
    return {"charts": site_figures["charts"], "series": site_figures["series"],
            "year_rollup": site_figures["series"].get(year), "kind_rollups": kind_rollups,
            "year_on_time": site_figures["on_time"].get(year)}


def report_description(r: Report, a: Agency) -> str:
    """A report page's preview: who, which year, the main numbers and the checks."""
    figures = "，".join(f"{key_figure_label(t, row)} {format_readable(v)} 件" for t, row, col in KEY_FIGURES[:2]
                       if (v := key_figure(r, t, row, col)) is not None)
    checks = f"算术核对 {len(r.failed_checks)} 项未通过" if r.failed_checks else "算术核对通过"
    where = f"（{''.join(a.region)}）" if a.region else ""
    return f"{a.name}{where} {r.year} 年政府信息公开工作年度报告：{figures}；{checks}。" if figures else \
        f"{a.name}{where} {r.year} 年政府信息公开工作年度报告；{checks}。"


def agency_description(a: Agency) -> str:
    where = f"（{''.join(a.region)}）" if a.region else ""
    return f"{a.name}{where}的政府信息公开工作年度报告：{'、'.join(map(str, a.years))} 年度，统一格式、逐项核对、年度对比。"


FORK_FROM_PAGES = 200
"""Sites of this many pages share their rendering with a fork (:func:`render_site`)."""


def compiled_env() -> jinja2.Environment:
    """:func:`template_env` with every template compiled (a build compiles them while its
    parse processes work)."""
    return _compile_all(template_env())


def _compile_all(env: jinja2.Environment) -> jinja2.Environment:
    """``env`` with every template compiled (each only once: get_template keeps them)."""
    for name in env.list_templates():
        env.get_template(name)
    return env


def render_site(site: Site, env: jinja2.Environment | None = None, *, fork: bool | None = None) -> list[RenderedPage]:
    """Every page of the site, rendered (in memory; the MkDocs plugin hands them to MkDocs).

    A fork renders pages meanwhile (:mod:`gongkai.forked`; ``fork`` forces it either
    way, by default a site of :data:`FORK_FROM_PAGES` pages where forking is safe): one
    process uses one core, and rendering was a quarter of a cold build's critical path
    (2.1 s at 1,000 reports). Both take runs of pages as they go (:class:`forked.Runs`).
    The pages are the same either way: rendering reads the site model and changes
    nothing in it."""
    env = env or template_env()
    pages = site_pages(site)
    if fork is None:
        fork = len(pages) >= FORK_FROM_PAGES and forked.can_fork()
    if not fork:
        return [render_page(env, page) for page in pages]
    _compile_all(env)  # before the fork: once, for both processes
    runs = forked.Runs(len(pages))

    def share() -> list[tuple[int, RenderedPage]]:
        return [(i, render_page(env, pages[i])) for run in runs.claim() for i in run]

    try:
        theirs = forked.start(share, "rendering the pages", fork=True)
        try:
            mine = share()
        except BaseException:
            theirs.cancel()
            raise
        out: list[RenderedPage] = [None] * len(pages)  # type: ignore[list-item]
        for i, page in mine + theirs.result():
            out[i] = page
    finally:
        runs.close()
    return out


def render_page(env: jinja2.Environment, page: Page) -> RenderedPage:
    u: Callable[[str], str] = lambda target: urls.relative(target, page.url)  # noqa: E731
    headings = Headings()
    html = env.get_template(page.template).render(page.context, page_url=page.url, u=u, h=headings)
    return RenderedPage(page.url, safe_title(page.title), page.indexed, html, headings.toc(),
                        safe_title(page.description, 160) if page.description else "")


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


@dataclass(frozen=True, slots=True)
class Attention:
    """One published report with something a reader should know, for /quality/."""

    view: Any  # site.ReportView (site imports render's module lazily; no import circle)
    problems: tuple[str, ...]
    """Chinese, one phrase each."""
    notes: tuple[str, ...]
    """Acknowledgements of the report's failures (content/acknowledged.yml)."""


def attention(site: Site) -> list[Attention]:
    """Every report with a failed check, a cross-year mismatch, a duplicate or a reading
    warning, newest year first, then by agency id."""
    out = []
    for v in site.views:
        r = v.report
        problems = []
        if r.failed_checks:
            problems.append(f"核对未通过 {len(r.failed_checks)} 项")
        crossed = [c for c in v.year_checks or () if not c.passed]
        if crossed:
            problems.append(f"与上一年衔接 {len(crossed)} 项对不上")
        if v.duplicates:
            differ = sum(len(d.disagreements) for d in v.duplicates)
            problems.append(f"另有 {len(v.duplicates)} 份文件" + (f"，{differ} 处数字不一致" if differ else "，数字一致"))
        if r.warnings:
            problems.append(f"{len(r.warnings)} 条读取提示")
        if problems:
            notes = tuple(dict.fromkeys(a.note for c in r.failed_checks
                                        if (a := site.acknowledged(v.input.path, c.rule)) is not None))
            out.append(Attention(v, tuple(problems), notes))
    out.sort(key=lambda a: (-a.view.report.year, a.view.agency.id))
    return out


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
