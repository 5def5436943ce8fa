"""Publish: generated Markdown -> ``mkdocs build`` (Material) -> data files -> Pagefind.

Everything is built in a temporary folder next to the output and swapped in at the end,
so a failed build leaves the previous site intact.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import yaml

from . import urls
from .errors import ConfigError, GongkaiError
from .export import write_data
from .output import Output
from .render import render_site

if TYPE_CHECKING:
    from .build import Site
    from .settings import Settings

log = logging.getLogger(__name__)

NAV = [
    {"首页": urls.markdown_path(urls.HOME)},
    {"机关": urls.markdown_path(urls.AGENCIES)},
    {"年度": urls.markdown_path(urls.YEARS)},
    {"数据质量": urls.markdown_path(urls.QUALITY)},
    {"开放数据": urls.markdown_path(urls.DATA)},
    {"关于": urls.markdown_path(urls.ABOUT)},
    {"搜索": urls.markdown_path(urls.SEARCH)},
]
"""Only the index pages: a nav listing every report would be copied into every page,
making build time and site size grow with the square of the page count (DESIGN.md)."""

NOT_IN_NAV = "/agencies/*/\n/years/*/\n/quality/*/\n"
"""Agency, report, year and per-year quality pages: reached from the index pages, not
from the nav."""

SITE_MARKER = urls.INPUTS_JSON
"""A file only a gongkai build writes: an existing output folder without it is not replaced."""


def mkdocs_config(settings: Settings, docs_dir: Path, site_dir: Path, theme_dir: Path,
                  fragments_dir: Path | None = None) -> dict[str, Any]:
    """The MkDocs configuration of a gongkai site (written as mkdocs.yml beside the docs)."""
    return {
        "site_name": settings.site_name,
        "site_url": settings.site_url,
        "docs_dir": str(docs_dir),
        "site_dir": str(site_dir),
        "use_directory_urls": True,
        "strict": settings.strict,
        "theme": {
            "name": "material",
            "custom_dir": str(theme_dir),
            "language": "zh",
            # No Google Fonts: a Chinese system font stack is set in gongkai.css.
            "font": False,
            "palette": {"scheme": "default", "primary": "custom", "accent": "custom"},
            "features": ["navigation.tabs", "navigation.top", "toc.follow"],
        },
        # No search plugin: Material's writes one search_index.json every visitor downloads;
        # Pagefind's chunked index is built after MkDocs instead.
        "plugins": [],
        "markdown_extensions": ["attr_list", {"toc": {"permalink": False}}],
        "extra_css": ["assets/gongkai/gongkai.css"],
        "extra_javascript": ["assets/gongkai/gongkai.js"],
        "extra": {"generator": False, "gongkai_fragments": str(fragments_dir) if fragments_dir else None},
        "hooks": [str(Path(__file__).with_name("mkdocs_hooks.py"))],
        "nav": NAV,
        "not_in_nav": NOT_IN_NAV,
    }


def prepare_theme(target: Path, project_overrides: Path | None) -> None:
    """gongkai's theme overrides, with a project's own ``overrides/`` laid on top."""
    shipped = resources.files("gongkai").joinpath("overrides")
    with resources.as_file(shipped) as src:
        shutil.copytree(src, target, ignore=shutil.ignore_patterns("__pycache__"))
    if project_overrides is not None and project_overrides.is_dir():
        shutil.copytree(project_overrides, target, dirs_exist_ok=True)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def source_date_epoch(default: str = "0") -> Iterator[None]:
    """A fixed build date for MkDocs' sitemap, unless the caller set SOURCE_DATE_EPOCH
    (the workflow sets the commit time): the same content gives the same bytes."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = default
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def run_mkdocs(config_file: Path) -> list[str]:
    """``mkdocs build`` in-process; returns its warnings (strict mode raises on them)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    collect = _Collect()
    mk_log = logging.getLogger("mkdocs")
    mk_log.addHandler(collect)
    try:
        with source_date_epoch():
            config = load_config(config_file=str(config_file))
            build(config)
    except MkDocsException as e:
        detail = "; ".join(collect.messages) or str(e)
        raise GongkaiError(None, f"mkdocs build failed: {detail}") from None
    except jinja2.TemplateError as e:  # most likely in a project's overrides/
        raise GongkaiError(None, f"theme template error ({type(e).__name__}: {e}); check overrides/") from None
    finally:
        mk_log.removeHandler(collect)
    return collect.messages


def run_pagefind(site_dir: Path) -> None:
    """Pagefind's extended build (Chinese segmentation) from its PyPI wheel: offline.

    Pages carry ``data-pagefind-meta``, not filters: Pagefind 1.5 writes its filter index
    in hash-map order (Pagefind/pagefind#638), which would make two builds differ.
    """
    cmd = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet"]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        last = (proc.stderr.strip() or proc.stdout.strip() or "no output").splitlines()[-1]
        raise GongkaiError(None, f"pagefind failed ({last}); is pagefind[extended] installed?")


def check_out_dir(settings: Settings) -> Path:
    """Refuse an output folder whose replacement would lose something that is not a site."""
    out = settings.out_dir.resolve()
    content = settings.content_dir.resolve()
    reports = settings.reports_dir.resolve()
    if (out == content or out in content.parents or reports in out.parents
            or out == Path.cwd() or out in Path.cwd().parents):
        raise ConfigError(settings.out_dir, "the output folder would replace the content or the "
                          "working folder; choose another --out, such as site/")
    if out.is_dir() and any(out.iterdir()) and not (out / SITE_MARKER).exists():
        raise ConfigError(settings.out_dir, "exists and is not a gongkai site; empty it or "
                          "choose another --out")
    return out


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A work folder beside ``out``; its ``site/`` replaces ``out`` only on success."""
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", dir=out.parent))
    try:
        yield work
        new, previous = work / "site", work / "previous"
        if not out.exists():
            new.rename(out)
            return
        out.rename(previous)  # removed with the work folder below
        try:
            new.rename(out)
        except OSError:
            previous.rename(out)  # never lose the old site
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def publish_site(site: Site) -> tuple[dict[str, float], list[str]]:
    """Write pages, build with MkDocs, add data files and the search index; swap in.

    Returns the seconds per stage and MkDocs' warnings.
    """
    settings = site.settings
    out = check_out_dir(settings)
    seconds: dict[str, float] = {}
    with staging(out) as work:
        t = time.perf_counter()
        docs, site_dir, theme, fragments = work / "docs", work / "site", work / "overrides", work / "fragments"
        render_site(site, Output(docs), Output(fragments))
        prepare_theme(theme, settings.overrides_dir)
        config_file = work / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(mkdocs_config(settings, docs, site_dir, theme, fragments),
                                              allow_unicode=True, sort_keys=False), encoding="utf-8")
        seconds["render"] = time.perf_counter() - t
        t = time.perf_counter()
        warnings = run_mkdocs(config_file)
        seconds["mkdocs"] = time.perf_counter() - t
        t = time.perf_counter()
        write_data(site, Output(site_dir))
        seconds["data"] = time.perf_counter() - t
        t = time.perf_counter()
        run_pagefind(site_dir)
        seconds["search"] = time.perf_counter() - t
    return seconds, warnings
