"""Read an HTML page (a report as published on a government web site) into a :class:`Document`.

Steps:

1. Refuse what is not HTML (binary data, PDF/ZIP/Office files, text without tags).
2. Decode: the charset declared by ``<meta charset=…>`` or ``<meta http-equiv=
   "Content-Type" content="…; charset=gbk">`` (sniffed from the first 4 KB) is tried
   first, then :func:`gongkai.read.encoding.decode_text` decides.
3. Drop what is never content: ``script``, ``style``, ``noscript``, ``iframe``,
   ``template``, form controls, embedded objects, comments, and elements hidden with
   ``display:none`` or the ``hidden`` attribute.
4. Choose the report's element: the smallest element holding the title-like heading
   (short text with 年度报告, a heading preferred, links and breadcrumbs never) and
   every data table (a leaf table with two or more columns and a label of tables
   A/B/C). Without a title it is the body.
5. Inside it, drop site chrome: ``nav``, ``header``, ``footer``, ``aside``, ``form``
   and elements whose class/id names navigation, breadcrumbs, share or print
   buttons, sidebars — unless they hold the title or a data table (an ASP.NET page
   wraps everything in one ``form``; an ``article`` may put its title in a ``header``).
6. Walk in document order. Block elements (``p``, ``div``, ``h1``–``h6``, ``li``, …)
   and ``<br>``-separated lines become paragraphs (white space collapsed, a line
   break between two Chinese characters removed, ``&nbsp;`` and U+3000 stripped at
   the ends). Each leaf ``<table>`` with two or more columns becomes a :class:`Table`:
   one cell per ``td``/``th`` as written, so a cell spanned with ``rowspan``/
   ``colspan`` appears once and covered positions are absent (the same convention as
   the DOCX reader). Cell text keeps ``<br>``/``<p>`` breaks as ``"\\n"``. A table
   holding other tables, or with a single column, is page layout: its cells are read
   as blocks.
7. A page whose body prints no title (the title only in ``<meta name="ArticleTitle">``
   and the like, or in ``<title>``) gets the metadata's title as its first paragraph,
   ``标题：<title>`` — the form of archive text extractions, read by the recogniser as
   a metadata title (:mod:`gongkai.recognise.title`).
"""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
from lxml import etree

from ..errors import UnreadableFile, UnsupportedFile
from .document import Block, Document, Paragraph, Table
from .encoding import decode_text

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_XML_CHARSET = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
_TAG = re.compile(r"<\s*(!doctype\s+html|html|head|body|meta|title|div|p|table|span|br|h[1-6]|a)\b", re.IGNORECASE)

# Never content.
_DROP_ALWAYS = frozenset({
    "script", "style", "noscript", "iframe", "frame", "frameset", "template", "object", "embed",
    "applet", "svg", "math", "canvas", "audio", "video", "map", "button", "select", "textarea",
    "input", "option", "link", "meta", "title", "head", "base",
})
# Site chrome, dropped unless it holds the report's title or a data table.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "menu"})
_CHROME_NAMES = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|navigation|menu|submenu|breadcrumbs?|crumbs?|bread|position|location|"
    r"curpos|dqwz|share|bdshare|bdsharebuttonbox|fenxiang|footer|foot|copyright|banquan|sidebar|"
    r"side|aside|toolbar|tools|print|dayin|close|related|xgwz|xglj|links?|topbar|top-bar|skip)"
    r"(?:$|[\s_\-\d])",
    re.IGNORECASE,
)
# Where a title-like text is never the report's title: menus, breadcrumbs, link lists.
_NOT_TITLE_NAMES = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|navigation|menu|submenu|breadcrumbs?|crumbs?|bread|position|location|"
    r"curpos|dqwz|sidebar|side|aside|related|xgwz|xglj|links?|footer|foot|copyright|banquan)"
    r"(?:$|[\s_\-\d])",
    re.IGNORECASE,
)
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "listing", "main", "menu", "nav",
    "ol", "p", "plaintext", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", "xmp", "caption", "colgroup", "col", "option", "optgroup",
})
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TITLE_WORDS = ("年度报告", "年度報告", "工作报告", "工作報告", "工作的报告", "工作的報告")
_TITLE_NAMES = re.compile(r"title|tit\b|biaoti|headline|bt\b|_bt|bt_|caption", re.IGNORECASE)
_PART_WORDS = ("总体情况", "總體情況", "主动公开政府信息情况", "主動公開政府信息情況")
_DATA_TABLE_WORDS = (
    "第二十条", "第二十條", "信息内容", "信息內容", "本年制发", "本年製發", "处理决定", "處理決定",
    "自然人", "申请人情况", "申請人情況", "本年新收", "行政复议", "行政復議", "行政诉讼", "行政訴訟",
)
_CJK = r"\u2e80-\u2fff\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f]*\n\s*(?=[{_CJK}])")
_SPACE = re.compile(r"\s+")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def read(data: bytes, path: Path) -> Document:
    """Read HTML bytes; ``path`` is only used in error messages."""
    _refuse_non_html(data, path)
    text, _encoding = decode_text(data, path, declared=sniff_charset(data))
    if not _TAG.search(text):
        raise UnsupportedFile(path, "not an HTML page: no HTML tags found (plain text? name it .txt)")
    root = _parse(text, path)
    meta_title = metadata_title(root)
    page_url, page_dates = metadata_url(root), metadata_dates(root)
    body = root.find("body")
    if body is None:
        body = root
    _drop_never_content(body)
    warnings: list[str] = []
    title = find_title(body)
    tables = [t for t in _leaf_tables(body) if _is_data_table(t)]
    main = _main_element(body, title, tables)
    _drop_chrome(main, [e for e in [title, *tables] if e is not None])
    walker = _Walker()
    if title is None and meta_title:
        # The page prints no title of its own: the metadata's, as a leading paragraph in
        # the form archive text extractions use ("标题：…"), which the recogniser reads
        # as a metadata title.
        walker.blocks.append(Paragraph(f"{METADATA_TITLE_PREFIX}{meta_title}"))
    walker.walk(main)
    walker.flush()
    if not tables and main.find(".//img") is not None:
        warnings.append("no data tables in the page's text; its tables may be images")
    if not walker.blocks:
        warnings.append("the page has no text (frames, or content drawn by scripts?)")
    return Document(blocks=tuple(walker.blocks), kind="html", warnings=tuple(warnings),
                    page_url=page_url, page_dates=page_dates)


# ---------------------------------------------------------------- metadata

METADATA_TITLE_PREFIX = "标题："
"""Prefix of the leading paragraph that carries a title found only in the page's metadata."""

_META_TITLE_NAMES = ("articletitle", "article_title", "title", "dc.title", "og:title", "contenttitle")


def metadata_title(root: etree._Element) -> str:
    """The title a CMS page gives in ``<meta name="ArticleTitle">``-style metadata, else
    its ``<title>``; "" when neither names a report (mentions 报告/報告)."""
    head = root.find("head")
    if head is None:
        return ""
    found: dict[str, str] = {}
    for meta in head.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = _collapse(meta.get("content") or "")
        if name in _META_TITLE_NAMES and content and name not in found:
            found[name] = content
    title_el = head.find("title")
    candidates = [found[n] for n in _META_TITLE_NAMES if n in found]
    if title_el is not None:
        candidates.append(_collapse(title_el.text_content()))
    return next((c for c in candidates if "报告" in c or "報告" in c), "")


# The publication date as Chinese government CMSs declare it (TRS WCM's ``PubDate`` on
# most provincial sites, Open Graph / article tags on newer ones), best first. Read from the
# ``<head>`` before anything is dropped; the recogniser checks each is a plausible date.
_META_DATE_NAMES = ("pubdate", "publishdate", "publish_date", "article:published_time", "og:published_time",
                    "dc.date.issued", "dcterms.issued", "dc.date", "firstpublishedtime", "releasedate")
_META_URL_NAMES = ("og:url", "url", "articleurl")
_HTTP = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def _head_meta(root: etree._Element) -> dict[str, str]:
    """``name``/``property`` (lowercase) -> content of the head's meta tags, the first of each."""
    head = root.find("head")
    found: dict[str, str] = {}
    for meta in (head.iter("meta") if head is not None else ()):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        content = _collapse(meta.get("content") or "")
        if name and content and name not in found:
            found[name] = content
    return found


def metadata_url(root: etree._Element) -> str:
    """The page's own http(s) address: ``<link rel="canonical">``, else ``og:url``, else a
    CMS's ``<meta name="Url">``; "" when none is an http(s) URL (a relative or
    ``javascript:`` one is no address to link to)."""
    candidates: list[str] = []
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            candidates.append((link.get("href") or "").strip())
    meta = _head_meta(root)
    candidates.extend(meta[n] for n in _META_URL_NAMES if n in meta)
    return next((c for c in candidates if _HTTP.match(c)), "")


def metadata_dates(root: etree._Element) -> tuple[tuple[str, str], ...]:
    """(where, text) of each publication date the head declares, best first."""
    meta = _head_meta(root)
    return tuple((f'<meta name="{n}">', meta[n][:60]) for n in _META_DATE_NAMES if n in meta)


# ---------------------------------------------------------------- bytes and decoding


def sniff_charset(data: bytes) -> str | None:
    """The charset the page declares in its first 4 KB (``<meta>`` or XML declaration)."""
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_CHARSET.search(head)
    return m.group(1).decode("ascii").strip() if m else None


def _refuse_non_html(data: bytes, path: Path) -> None:
    head = data[:4096]
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    kind = None
    if head.startswith(b"%PDF"):
        kind = "it is a PDF file (starts with %PDF)"
    elif head.startswith(b"PK\x03\x04"):
        kind = "it is a ZIP archive (a DOCX? then name it .docx)"
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        kind = "it is a legacy Office file (.doc/.xls)"
    elif head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        kind = "it is an image"
    elif head.startswith(b"{\\rtf"):
        kind = "it is an RTF file"
    elif not utf16 and (b"\x00" in head or _control_ratio(head) > 0.05):
        kind = f"binary data (starts with the bytes {head[:8].hex(' ')})"
    if kind:
        raise UnsupportedFile(path, f"not an HTML page: {kind}")


def _control_ratio(head: bytes) -> float:
    if not head:
        return 0.0
    controls = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    return controls / len(head)


def _parse(text: str, path: Path) -> etree._Element:
    # lxml refuses a str that carries an XML encoding declaration (XHTML pages).
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.replace("\x00", ""), count=1)
    parser = lxml.html.HTMLParser()  # huge_tree off: libxml2's depth and size limits hold
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise UnsupportedFile(path, f"not an HTML page: {e}") from None
    for err in parser.error_log:
        if err.type_name == "ERR_RESOURCE_LIMIT":
            # libxml2 stops reading at the limit (elements nested 256 deep): what follows
            # would be silently missing, so the page is refused with the reason instead.
            raise UnreadableFile(path, f"HTML nested too deeply to read (past line {err.line} elements are "
                                       "nested more than 256 deep); a real page nests a few dozen") from None
    return root


# ---------------------------------------------------------------- cleaning


def _tag(el: etree._Element) -> str | None:
    tag = el.tag
    if not isinstance(tag, str):
        return None  # comment, processing instruction, entity
    return tag.rsplit("}", 1)[-1].lower()


def _remove(el: etree._Element) -> None:
    """Remove an element but keep its tail text."""
    if el.getparent() is not None:
        el.drop_tree()


def _drop_never_content(body: etree._Element) -> None:
    doomed = []
    for el in body.iter():
        tag = _tag(el)
        if tag is None or tag in _DROP_ALWAYS:
            doomed.append(el)
        elif el.get("hidden") is not None or _HIDDEN_STYLE.search(el.get("style") or ""):
            doomed.append(el)
    for el in doomed:
        if el is not body:
            _remove(el)


def _drop_chrome(main: etree._Element, keep: list[etree._Element]) -> None:
    protected: set[etree._Element] = set()
    for el in keep:
        protected.update(el.iterancestors())
        protected.add(el)
        protected.update(el.iter())
    doomed: list[etree._Element] = []
    for el in main.iterdescendants():
        if el in protected or _tag(el) is None:
            continue
        if _tag(el) in _CHROME_TAGS or _CHROME_NAMES.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            doomed.append(el)
    doomed_set = set(doomed)
    for el in doomed:
        if not any(a in doomed_set for a in el.iterancestors()):
            _remove(el)


# ---------------------------------------------------------------- choosing the content


def _collapse(text: str) -> str:
    text = text.translate(_ZERO_WIDTH)
    text = _CJK_BREAK.sub("", text)
    return _SPACE.sub(" ", text).strip()


def _leaf_tables(root: etree._Element) -> list[etree._Element]:
    return [t for t in root.iter("table") if t.find(".//table") is None]


def _rows(table: etree._Element) -> list[etree._Element]:
    """The table's own rows in display order (thead first, tfoot last)."""
    head: list[etree._Element] = []
    middle: list[etree._Element] = []
    foot: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            middle.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows = [r for r in child if _tag(r) == "tr"]
            (head if tag == "thead" else foot if tag == "tfoot" else middle).extend(rows)
    return head + middle + foot


def _cells(tr: etree._Element) -> list[etree._Element]:
    return [c for c in tr if _tag(c) in ("td", "th")]


def _is_grid(table: etree._Element) -> bool:
    """A leaf table with two or more columns: data, not page layout."""
    return table.find(".//table") is None and any(len(_cells(r)) >= 2 for r in _rows(table))


def _is_data_table(table: etree._Element) -> bool:
    if not _is_grid(table):
        return False
    text = table.text_content()
    return any(w in text for w in _DATA_TABLE_WORDS)


def find_title(body: etree._Element) -> etree._Element | None:
    """The report's title element: short text with 年度报告, scored by how title-like it is."""
    candidates: list[tuple[int, int, etree._Element]] = []
    first_table = next((t for t in _leaf_tables(body) if _is_data_table(t)), None)
    order = {el: i for i, el in enumerate(body.iter())}
    limit = order.get(first_table, len(order))
    for el in body.iter():
        if _tag(el) is None:
            continue
        raw = el.text_content()
        if len(raw) > 2000:  # a container, not a heading (cheap test before collapsing)
            continue
        text = _collapse(raw)
        if not any(w in text for w in _TITLE_WORDS) or len(text) > 120:
            continue
        # The deepest element holding the whole keyword.
        if any(_tag(c) is not None and any(w in c.text_content() for w in _TITLE_WORDS) for c in el):
            continue
        el = _block_of(el)
        score = _title_score(el)
        if score < 0 or order.get(el, 0) > limit:
            continue
        candidates.append((score, order.get(el, 0), el))
    if not candidates:
        return None
    # Best score; among equals the one nearest before the tables.
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def _block_of(el: etree._Element) -> etree._Element:
    while _tag(el) not in _BLOCK and el.getparent() is not None:
        el = el.getparent()
    return el


def _title_score(el: etree._Element) -> int:
    score = 0
    chain = [el, *el.iterancestors()]
    for depth, a in enumerate(chain):
        tag = _tag(a)
        if tag == "a" or tag in ("nav", "footer", "aside", "menu"):
            return -1  # a link, a menu, a footer: never the title
        if depth < 6 and _NOT_TITLE_NAMES.search(f"{a.get('class') or ''} {a.get('id') or ''}"):
            return -1  # a breadcrumb, a list of links
    if next(el.iterdescendants("a"), None) is not None:
        score -= 4  # an item of a link list, unless it is also a heading or named as a title
    tag = _tag(el)
    if tag in _HEADINGS:
        score += 6 - _HEADINGS.index(tag) // 2
    for a in chain[:3]:
        if _TITLE_NAMES.search(f"{a.get('class') or ''} {a.get('id') or ''}"):
            score += 3
            break
    if el.find(".//strong") is not None or el.find(".//b") is not None:
        score += 1
    if re.search(r"(19|20)\d\d\s*年", _collapse(el.text_content())):
        score += 1
    return score


def _common_ancestor(elements: list[etree._Element]) -> etree._Element:
    chains = [[e, *e.iterancestors()][::-1] for e in elements]
    common = chains[0][0]
    for level in zip(*chains):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    return common


def _main_element(body: etree._Element, title: etree._Element | None,
                  tables: list[etree._Element]) -> etree._Element:
    if title is None:
        return body
    main = _common_ancestor([title, *tables])
    # A title with no tables (or all in one element): widen until the report's prose is in.
    while main is not body and main.getparent() is not None and \
            not any(w in main.text_content() for w in _PART_WORDS):
        main = main.getparent()
    return main


# ---------------------------------------------------------------- walking


class _Walker:
    """Turn an element tree into paragraphs and tables, in document order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self._buf: list[str] = []

    def flush(self) -> None:
        text = _collapse("".join(self._buf))
        self._buf.clear()
        if text:
            self.blocks.append(Paragraph(text))

    def walk(self, el: etree._Element) -> None:
        tag = _tag(el)
        if tag is None:
            return
        if tag == "br":
            self.flush()
            return
        if tag == "table":
            self.flush()
            if _is_grid(el):
                caption = el.find("caption")
                if caption is not None:
                    self.blocks.extend(Paragraph(t) for t in _lines(caption))
                rows = tuple(r for r in (tuple(_cell_text(c) for c in _cells(tr)) for tr in _rows(el)) if r)
                if rows:
                    self.blocks.append(Table(rows=rows))
            else:
                self._children(el)  # layout table: recurse, cells are blocks
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        self._children(el)
        if block:
            self.flush()

    def _children(self, el: etree._Element) -> None:
        if el.text:
            self._buf.append(el.text)
        for child in el:
            self.walk(child)
            if child.tail:
                self._buf.append(child.tail)


def _lines(el: etree._Element) -> list[str]:
    walker = _Walker()
    walker._children(el)
    walker.flush()
    out: list[str] = []
    for b in walker.blocks:
        if isinstance(b, Paragraph):
            out.append(b.text)
        else:  # a table inside a cell of a grid cannot occur (grids are leaf tables)
            out.extend(" ".join(r) for r in b.rows)
    return out


def _cell_text(cell: etree._Element) -> str:
    return "\n".join(_lines(cell))

