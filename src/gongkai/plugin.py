"""gongkai as a MkDocs plugin (``plugins: - gongkai`` in mkdocs.yml), the way Material's
blog plugin generates its pages.

Events, in the order MkDocs calls them:

``on_config``
    checks what would break the site (Material's search plugin, a theme loading Google
    Fonts, a nav listing report pages, file URLs) and reports every problem, one line
    each; adds gongkai's theme overrides beneath the project's ``custom_dir`` and its
    stylesheet and script; gives a default nav when mkdocs.yml has none.
``on_files``
    reads every input (cached, parallel; ``gongkai build`` starts the parse before it
    loads MkDocs, :attr:`GongkaiPlugin.reading`) -> gathers the site model -> renders
    every page (in memory), and adds the pages as generated files; all but the index
    pages are left out of the nav.
``on_nav``
    keeps the nav for :mod:`gongkai.nav_cache`.
``on_page_markdown`` / ``on_page_content``
    a generated page has no Markdown: MkDocs converts nothing, and the page's HTML and
    table of contents are handed over in memory.
``on_env``
    Material's sidebar and tabs are rendered once per place in the site for the pages
    outside the nav, its table of contents once per shape (:mod:`gongkai.nav_cache`);
    gongkai's pages go to Pagefind before MkDocs writes them (:data:`SEARCH_ONLY`), so
    that the index is built while MkDocs writes the pages.
``on_post_page``
    hands each other page's final HTML to Pagefind (:mod:`gongkai.search_index`), and
    checks that each page handed over early is what was written.
``on_post_build``
    asks Pagefind for the index, waits for the data files and originals (written into
    the built site from a fork of the build started after gathering,
    :mod:`gongkai.forked`), then writes the index.
``on_serve``
    ``mkdocs serve`` also rebuilds when a report is added or agencies.yml changes.
"""

from __future__ import annotations

import functools
import gc
import os
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.commands.build import get_context
from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import forked, template_cache, urls
from .builder_data import write_builder_data
from .export import DataFile, fill_data_page, write_data
from .limits import DEFAULT_MAX_MB, DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_SECONDS
from .nav_cache import NavCache
from .output import Output
from .publish import progress
from .render import RenderedPage, compiled_env, render_site
from .search_index import SearchIndexer
from .settings import LEGACY_CONFIG, Settings
from .site import Reading, Site, gather_site, read_inputs, save_pinyin_ids
from .theme_cache import TRANSLATE, BlockCache, Translations

log = get_plugin_logger(__name__)

NAME = "gongkai"
ASSETS_CSS = "assets/gongkai/gongkai.css"
ASSETS_JS = "assets/gongkai/gongkai.js"
DATA_NICENESS = 10
"""The data files' fork yields the core to the build and the render's fork (os.nice)."""
DEFAULT_NAV = [
    {"首页": urls.markdown_path(urls.HOME)},
    {"机关": urls.markdown_path(urls.AGENCIES)},
    {"年度": urls.markdown_path(urls.YEARS)},
    {"数据质量": urls.markdown_path(urls.QUALITY)},
    {"开放数据": urls.markdown_path(urls.DATA)},
    {"自选报表": urls.markdown_path(urls.BUILDER)},
    {"关于": urls.markdown_path(urls.ABOUT)},
    {"搜索": urls.markdown_path(urls.SEARCH)},
]
"""The nav when mkdocs.yml has none (MkDocs would list every page, every report included)."""

SEARCH_ONLY = """{% extends "main.html" %}""" + "".join(
    f"{{% block {name} %}}{{% endblock %}}"
    for name in ("site_meta", "styles", "libs", "fonts", "analytics", "extrahead", "announce", "outdated",
                 "header", "hero", "tabs", "site_nav", "footer", "config", "scripts"))
"""A page's template with only what Pagefind reads of it (the ``<html>`` tag, the
title, the content): rendered for gongkai's pages before MkDocs writes them, so that
Pagefind indexes them, and builds the index, while MkDocs writes (its last step took a
second after the last page of 1,000 reports). What MkDocs writes is checked to hold the
same (search_index.SearchIndexer.add); if a project's templates or plugins make it
differ, every page is indexed again as written."""


class _Positive(c.Type):
    """A positive number (``true`` is not one, though Python counts it as 1)."""

    def run_validation(self, value: object) -> Any:
        value = super().run_validation(value)
        if isinstance(value, bool) or not value > 0:  # type: ignore[operator]
            raise ValidationError(f"must be a positive number, not {value!r}")
        return value


class _Fraction(c.Type):
    """A number from 0 to 1 (a confidence)."""

    def __init__(self, default: float) -> None:
        super().__init__((int, float), default=default)

    def run_validation(self, value: object) -> Any:
        value = super().run_validation(value)
        if isinstance(value, bool) or not 0 <= value <= 1:  # type: ignore[operator]
            raise ValidationError(f"must be a number from 0 to 1, not {value!r}")
        return value


class GongkaiConfig(Config):
    """The plugin's options (``plugins: - gongkai: {...}`` in mkdocs.yml). Paths are
    relative to mkdocs.yml. A wrong option is reported like any MkDocs setting."""

    content = c.Type(str, default="content")
    """The content folder: ``reports/`` (any nesting) and the optional ``agencies.yml``."""
    cache = c.Type(str, default=".gongkai-cache")
    """Parse results by content hash: a rebuild parses only new or changed files."""
    jobs = c.Optional(_Positive(int))
    """Parallel parse processes (default: the core count)."""
    max_file_mb = _Positive(int, default=DEFAULT_MAX_MB)
    """Larger input files are rejected unread, with a reason."""
    max_seconds_per_file = _Positive((int, float), default=DEFAULT_MAX_SECONDS)
    """Parsing one file may take at most this long."""
    max_memory_mb = _Positive(int, default=DEFAULT_MAX_MEMORY_MB)
    """Memory one parse process may use; a file needing more is rejected, with a reason."""
    publish_originals = c.Type(bool, default=True)
    """Copy every input file into the site for download (off: only its name and SHA-256)."""
    data_licence = c.Type(str, default="CC-BY-4.0")
    """The licence of the compiled data files (an SPDX id, e.g. CC-BY-4.0, CC0-1.0)."""
    ocr = c.Type(bool, default=True)
    """Read scanned pages (no text layer) by OCR; off: a scan is rejected saying so."""
    ocr_min_confidence = _Fraction(default=0.9)
    """An OCR'd value cell read with less confidence is left blank, with a warning."""
    ocr_max_seconds_per_page = _Positive((int, float), default=30)
    """OCR of one page stops after this long (``max_seconds_per_file`` bounds the file)."""

    def _validate(self) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        # MkDocs' Config stops at the first wrong option; a maintainer should see them all.
        failed: list[tuple[str, Exception]] = []
        warnings: list[tuple[str, str]] = []
        for key, option in self._schema:
            try:
                self[key] = option.validate(self.get(key))
                warnings.extend((key, w) for w in option.warnings)
                option.reset_warnings()
            except ValidationError as e:
                failed.append((key, e))
        warnings.extend((key, f"Unrecognised configuration name: {key}") for key in set(self.keys()) - self._schema_keys)
        return failed, warnings


class GongkaiPlugin(BasePlugin[GongkaiConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.forced: Settings | None = None
        """Settings given by ``gongkai build`` (mkdocs.yml and the command line, merged);
        None under ``mkdocs build``/``serve``: from this plugin's options."""
        self.prepared: list[RenderedPage] | None = None
        """Pages rendered beforehand (the benchmark): no parse, no data files, no search."""
        self.reading: Reading | None = None
        """The inputs' parse, started by ``gongkai build`` before MkDocs was loaded (with
        the same settings as :attr:`forced`); None: parsed in ``on_files``."""
        self.settings: Settings | None = None
        self.site: Site | None = None
        self.seconds: dict[str, float] = {}
        self._pages: dict[str, RenderedPage] = {}
        self._searchable: list[str] = []
        """gongkai's pages Pagefind indexes (their ``src_uri``), handed over early."""
        self._ours: set[str] = set()
        """Every page gongkai made (``src_uri``)."""
        self._set_epoch = False
        self._search: SearchIndexer | None = None
        self._nav: Navigation | None = None
        self._data: forked.Pending[list[DataFile]] | None = None
        """The data files, being written (:mod:`gongkai.forked`)."""

    # ---------------------------------------------------------------- settings

    def settings_for(self, config: MkDocsConfig) -> Settings:
        """This plugin's options and MkDocs' own settings, as gongkai's Settings."""
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        o = self.config
        return Settings(
            content_dir=_relative_to(base, o.content), out_dir=Path(config.site_dir),
            config_file=Path(config.config_file_path) if config.config_file_path else None,
            site_name=config.site_name, site_url=config.site_url, strict=bool(config.strict),
            cache_dir=_relative_to(base, o.cache), jobs=o.jobs, max_file_mb=o.max_file_mb,
            max_seconds=float(o.max_seconds_per_file),
            max_memory_mb=o.max_memory_mb, publish_originals=o.publish_originals,
            data_licence=o.data_licence,
            ocr=o.ocr, ocr_min_confidence=float(o.ocr_min_confidence),
            ocr_max_seconds_per_page=float(o.ocr_max_seconds_per_page))

    # ---------------------------------------------------------------- events

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        settings = self.forced or self.settings_for(config)
        self.settings = replace(settings, site_name=config.site_name)
        problems = site_problems(config, self.settings, check_content=self.prepared is None)
        if problems:
            for p in problems:
                log.error(p)
            raise PluginError(f"{len(problems)} problem(s) with mkdocs.yml or the content folder (listed above)")
        if config.nav is None:
            config.nav = [dict(entry) for entry in DEFAULT_NAV]
        shipped = str(Path(__file__).with_name("overrides"))
        if shipped not in config.theme.dirs:  # beneath the project's custom_dir: the project wins
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, shipped)
        if ASSETS_CSS not in config.extra_css:
            config.extra_css.append(ASSETS_CSS)
        if ASSETS_JS not in [str(j) for j in config.extra_javascript]:
            config.extra_javascript.append(ASSETS_JS)
        # A fixed build date for the sitemap: the same content gives the same bytes.
        if "SOURCE_DATE_EPOCH" not in os.environ:
            os.environ["SOURCE_DATE_EPOCH"] = "0"
            self._set_epoch = True
        config.extra["gongkai_build_date"] = build_date()
        _keep_alive()  # MkDocs, the theme, pypinyin's dictionaries
        if not config.site_description:
            config.site_description = ("各级行政机关政府信息公开工作年度报告：统一格式、逐项核对算术关系、"
                                       "比较前后两年的变化，提供原始文件和开放数据。")
        return config

    @event_priority(-50)  # after other plugins have added their files, as Material's blog does
    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        assert self.settings is not None
        if self.prepared is not None:
            pages = self.prepared
        else:
            t = time.perf_counter()
            progress.info("stage: parse")
            # While the parse processes work: the templates compiled (0.4 s of a build's
            # critical path after the parse otherwise; the render's fork inherits them).
            # Before the parse is taken over here, so that a failure still cancels it.
            env = compiled_env() if self.reading is not None else None
            # Pagefind started meanwhile too: its first page's set-up (SearchIndexer._warm_up)
            # is then not on the build's last stretch, where the index waits for every page.
            self._close_search()
            self._search = SearchIndexer(Path(config.site_dir))
            reading, self.reading = self.reading, None
            inputs = reading.result() if reading is not None else read_inputs(self.settings)
            _keep_alive()  # the reports
            if reading is not None:
                gc.enable()  # paused by build_site until the reports were kept
            self.seconds["parse"] = time.perf_counter() - t
            t = time.perf_counter()
            progress.info("stage: gather")
            self.site = gather_site(self.settings, inputs)
            _keep_alive()  # the site model
            self.seconds["gather"] = time.perf_counter() - t
            # The data files need only the site model: written meanwhile, in a fork, at a
            # lower priority: nothing waits for them before the build's end, while the
            # render's own fork (render_site) is on the build's critical path.
            self._data = forked.start(functools.partial(_write_data, self.site, Path(config.site_dir)),
                                      "writing the data files", nice=DATA_NICENESS)
            t = time.perf_counter()
            progress.info("stage: render")
            pages = render_site(self.site, env)
            _keep_alive()  # the pages
            save_pinyin_ids(self.settings)
            self.seconds["render"] = time.perf_counter() - t
        self._pages = {}
        clashes = []
        for page in pages:
            if files.get_file_from_path(page.src_uri) is not None:
                clashes.append(page.src_uri)
                continue
            in_nav = page.url in urls.INDEX_PAGES
            file = File.generated(config, page.src_uri, content="",
                                  inclusion=InclusionLevel.UNDEFINED if in_nav else InclusionLevel.NOT_IN_NAV)
            files.append(file)
            if not in_nav:  # the nav's own pages take their titles from it: MkDocs makes those
                MadePage(None, file, config)  # MkDocs takes a plugin's File.page as it is
            self._pages[page.src_uri] = page
        self._searchable = [p.src_uri for p in pages if p.indexed and p.src_uri in self._pages]
        self._ours = set(self._pages)
        if clashes:
            raise PluginError(f"{config.docs_dir}: {', '.join(clashes)} would replace gongkai's page(s) of "
                              "the same path; rename the file(s)")
        progress.info("stage: pages")  # MkDocs now converts and writes every page
        return files

    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
        self._nav = nav
        return nav

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        template_cache.install(env)  # MkDocs' own environment: the theme's templates too
        overrides = Path(__file__).with_name("overrides")
        env.globals[TRANSLATE] = Translations(env, overrides, config)
        home = self._nav.homepage.url if self._nav is not None and self._nav.homepage is not None else ""
        BlockCache(env, overrides, config, home).install()
        if self._nav is not None:
            NavCache(env, overrides, self._nav).install()
            if self._search is not None:
                self._search_early(env, config, files, self._nav)
        return env

    def _search_early(self, env: jinja2.Environment, config: MkDocsConfig, files: Files, nav: Navigation) -> None:
        """Every page gongkai made, to Pagefind now (see :data:`SEARCH_ONLY`)."""
        assert self._search is not None
        template = template_cache.from_string(env, SEARCH_ONLY, "gongkai.plugin.SEARCH_ONLY")
        docs = files.documentation_pages()
        first: tuple[jinja2.runtime.Context, str] | None = None
        """The first page's context after its whole render (the template's own variables
        and the chain of blocks) and its ``<html>`` tag."""
        for src_uri in self._searchable:
            file = files.get_file_from_path(src_uri)
            page = file.page if file is not None else None
            if page is None or page.meta.get("template", "main.html") != "main.html":
                continue
            # MkDocs' own context of the page (other plugins' on_page_context is not run:
            # what they change shows in the check of the written page).
            context = template.new_context(dict(get_context(nav, docs, config, page)))
            if first is None:
                html = with_lang("".join(template.root_render_func(context)))
                at = html.find("<html")
                first = (context, html[at:html.index(">", at) + 1] if at >= 0 else "")
            else:
                # The same template's variables and blocks for every page: only its title
                # and content are rendered again (a quarter of the whole template's time).
                context.vars.update(first[0].vars)
                context.blocks = first[0].blocks
                html = (first[1] + "<head>" + "".join(context.blocks["htmltitle"][0](context)) + "</head><body>"
                        + "".join(context.blocks["content"][0](context)) + "</body></html>")
            self._search.add_early(page.file.dest_uri, html)
        if all(f.src_uri in self._ours for f in docs):  # no page of the project's own to index
            self._search.ask_early()

    def on_page_markdown(self, markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        rendered = self._pages.get(page.file.src_uri)
        if rendered is None:  # the project's own page: MkDocs converts it as usual
            return markdown
        page.meta = {"title": rendered.title} if rendered.indexed else {"title": rendered.title, "indexed": False}
        if rendered.description:  # Material's <meta name="description"> (WeChat, Baidu previews)
            page.meta["description"] = rendered.description
        return ""

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        rendered = self._pages.pop(page.file.src_uri, None)
        if rendered is None:
            return html
        page.toc = get_toc(rendered.toc)  # type: ignore[arg-type]  # Python-Markdown's token dicts
        return rendered.html

    @event_priority(-100)  # last: Pagefind indexes the HTML as it is written
    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        output = with_lang(output)
        if self._search is not None:
            # The data page as well: what is filled in later (fill_data_page) is not indexed.
            # A page handed over early is only checked against what it is now.
            self._search.add(page.file.dest_uri, output)
        return output

    def on_post_template(self, output_content: str, template_name: str, config: MkDocsConfig) -> str:
        return with_lang(output_content) if template_name.endswith(".html") else output_content

    def on_post_build(self, config: MkDocsConfig) -> None:
        gc.unfreeze()
        if self._set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_epoch = False
        if self.site is None:  # pages given beforehand (the benchmark)
            return
        site_dir = Path(config.site_dir)
        assert self._search is not None and self._data is not None
        self._search.build()  # Pagefind builds the index while the data files are written
        t = time.perf_counter()
        progress.info("stage: data")
        data, self._data = self._data, None
        files = data.result()  # written by now, unless there was no fork
        fill_data_page(site_dir / urls.DATA / "index.html", files, str(config.extra.get("gongkai_build_date", "")))
        self.seconds["data"] = time.perf_counter() - t
        t = time.perf_counter()
        progress.info("stage: search")
        search, self._search = self._search, None
        search.finish()
        self.seconds["search"] = time.perf_counter() - t

    def on_build_error(self, error: Exception) -> None:
        gc.unfreeze()
        if self.reading is not None:
            self.reading.cancel()
            self.reading = None
        if self._data is not None:
            self._data.cancel()
            self._data = None
        if self._set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self._set_epoch = False
        self._close_search()

    def _close_search(self) -> None:
        if self._search is not None:
            self._search.abort()
            self._search = None

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        # Reports and agencies.yml are not in docs_dir: a change there rebuilds as well.
        if self.settings is not None and self.settings.content_dir.is_dir():
            server.watch(str(self.settings.content_dir.resolve()))
        return server


def _keep_alive() -> None:
    """What is alive now lives until the build ends: moved out of the collector's way
    (gc.freeze). Each full collection walked all of it again — MkDocs and the theme,
    pypinyin's dictionaries, the reports, the site model: 0.43-0.45 s of a cold build
    of 1,000 reports, 0.14-0.17 s with these. Undone when the build ends (gc.unfreeze
    in on_post_build and on_build_error), so that ``mkdocs serve`` frees a build's
    objects during the next."""
    gc.freeze()


class MadePage(Page):
    """A page gongkai renders itself (its content comes in ``on_page_content``): MkDocs'
    conversion of its empty Markdown is skipped, a Python-Markdown instance with every
    configured extension for nothing (0.2 ms a page, a quarter of a second at 1,000
    reports). Markdown another plugin gave it is converted as usual."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown:
            super().render(config, files)
            return
        # What rendering "" leaves (mkdocs.structure.pages.Page.render).
        self.content = ""
        self.toc = get_toc([])
        self._title_from_render = None
        self.present_anchor_ids = set()
        self.links_to_anchors = {}


def _write_data(site: Site, site_dir: Path) -> list[DataFile]:
    files = write_data(site, Output(site_dir), site.settings.data_licence)
    write_builder_data(site, Output(site_dir))
    return files


def build_date() -> str:
    """The footer's build date: SOURCE_DATE_EPOCH's (the workflow sets the commit time);
    "" when it is the fixed default 0, so that a local build stays byte-identical without
    printing 1970-01-01."""
    import datetime as dt

    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).date().isoformat() if epoch else ""


LANG = "zh-CN"
"""Material's Chinese says lang="zh"; the pages are Simplified Chinese of the mainland
(screen readers, browsers' translation offers and Baidu read the region)."""


def with_lang(html: str) -> str:
    return html.replace('<html lang="zh" ', f'<html lang="{LANG}" ', 1)


def site_problems(config: MkDocsConfig, settings: Settings, check_content: bool = True) -> list[str]:
    """What would break a gongkai site, one line each (all of them, not the first)."""
    problems = []
    if "search" in config.plugins or "material/search" in config.plugins:
        problems.append("plugins: remove 'search': Material's search writes one index every visitor "
                        "downloads whole, gongkai builds a chunked Pagefind index instead")
    if config.theme.name != "material":
        problems.append(f"theme.name: gongkai's pages need Material for MkDocs, not {config.theme.name!r}")
    if config.theme.get("font") is not False:
        problems.append("theme.font: set it to false: Material otherwise loads Google Fonts, a third-party "
                        "request that fails inside mainland China (gongkai.css sets a Chinese font stack)")
    if not config.use_directory_urls:
        problems.append("use_directory_urls: gongkai's links need directory URLs (true)")
    for src in _nav_paths(config.nav):
        top = src.split("/", 1)[0]
        if src.endswith(".md") and top in {"agencies", "years", "quality", "regions"} and src.count("/") >= 2:
            problems.append(f"nav: {src} is not an index page: a nav listing agency or report pages is "
                            "copied into every page (build time and size grow with the square of the pages)")
    if check_content:
        if (settings.content_dir / LEGACY_CONFIG).exists():
            problems.append(f"{settings.content_dir / LEGACY_CONFIG}: no longer read: move its settings to "
                            "mkdocs.yml, under plugins: - gongkai: (site_name and site_url are MkDocs' own)")
        if not settings.reports_dir.is_dir():
            problems.append(f"{settings.content_dir}: no reports/ folder here, put the report files in "
                            f"{settings.reports_dir} or set the plugin's content option")
    return problems


def _nav_paths(nav: Any) -> list[str]:
    """Every page path a nav (MkDocs' nested lists and mappings) names."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [p for v in nav.values() for p in _nav_paths(v)]
    if isinstance(nav, list):
        return [p for v in nav for p in _nav_paths(v)]
    return []


def _relative_to(base: Path, path: str) -> Path:
    """A path of mkdocs.yml, relative to its folder (kept relative when that is the
    working folder, so messages show the path as written)."""
    p = Path(path)
    if p.is_absolute():
        return p
    return p if base.resolve() == Path.cwd().resolve() else base / p
