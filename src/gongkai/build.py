"""``gongkai build``: the same site as ``mkdocs build``, plus the out-folder guard, the
atomic swap into the output folder, the summary line and ``--strict``.

The pipeline runs inside MkDocs, in the gongkai plugin (:mod:`gongkai.plugin`):

    read      every file under content/reports/, parsed or rejected with a reason   (site.read_inputs)
    gather    agencies across years, duplicates, changes, checks across years       (site.gather_site)
    render    every page's HTML, in memory                                          (render.render_site)
    publish   MkDocs writes the pages; the data files, originals and Pagefind index (export, publish)

One bad file never stops the build and never loses another: it becomes a rejected
input, listed on /quality/ with its reason.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConfigError, GongkaiError
from .publish import SiteSize, build_lock, check_out_dir, source_date_epoch, staging
from .settings import Settings, default_config_file

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .plugin import GongkaiPlugin
    from .site import Input, Site

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BuildResult:
    site: Site
    out_dir: Path
    seconds: dict[str, float]
    """Wall time per stage: parse, gather, render, mkdocs, data, search, total."""
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


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_mkdocs_config(settings: Settings, **overrides: Any) -> tuple[MkDocsConfig, GongkaiPlugin]:
    """The project's mkdocs.yml (or gongkai's default), validated by MkDocs, and its
    gongkai plugin. MkDocs logs every error of the file (one line each); they are raised
    as one ConfigError."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file = settings.config_file or default_config_file()
    if settings.config_file is None and settings.pages_dir.is_dir():
        overrides.setdefault("docs_dir", str(settings.pages_dir.resolve()))
    collect = _Collect()
    mk_log = logging.getLogger("mkdocs")
    mk_log.addHandler(collect)
    try:
        config = load_config(config_file=str(config_file), **overrides)
    except MkDocsException as e:
        detail = "; ".join(line for m in collect.messages for line in m.splitlines()) or str(e)
        raise ConfigError(config_file, detail) from None
    finally:
        mk_log.removeHandler(collect)
    plugin = config.plugins.get("gongkai")
    if plugin is None:
        raise ConfigError(config_file, "does not use the gongkai plugin; add it: plugins: [gongkai]")
    return config, plugin


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """The project's mkdocs.yml (MkDocs' settings and the gongkai plugin's options), then
    the given overrides; a ``None`` override keeps what is below it (MkDocs' CLI habit).
    Without a config file, the defaults (which are those of gongkai's own mkdocs.yml).

    Example::

        settings = load_settings(Path("mkdocs.yml"), out_dir=Path("site"), strict=None)
    """
    from dataclasses import fields

    unknown = set(overrides) - {f.name for f in fields(Settings)}
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    base = Settings()
    if config_file is not None:
        config, plugin = load_mkdocs_config(Settings(config_file=config_file))
        base = plugin.settings_for(config)
    settings = replace(base, config_file=config_file, **{k: v for k, v in overrides.items() if v is not None})
    if settings.site_url is not None and not settings.site_url.startswith(("http://", "https://")):
        raise ConfigError(None, f"site URL {settings.site_url!r} must start with http:// or https://")
    return settings


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The collector paused from before the parse cache is read until the plugin has kept
    the parse's reports and starts it again (or the build ends, failed or not). What is
    made meanwhile — the reports read from the cache, MkDocs, the theme and the plugin,
    the parse's reports — lives until the build ends, and the collector would walk it
    again and again (0.2 s while MkDocs loads, 0.07 s while the reports arrive, twice as
    long as reading 1,000 from the cache). It is moved out of the collector's way
    (gc.freeze: once MkDocs is loaded, then the plugin's), and given back when the build
    ends. The parse processes start their own collector at once."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def build_site(settings: Settings) -> BuildResult:
    """Build the site from settings.content_dir into settings.out_dir, with MkDocs and the
    gongkai plugin, in a work folder swapped in when the build succeeds.

    Example::

        result = build_site(load_settings(Path("mkdocs.yml"), out_dir=Path("site")))
        print(result.summary())
    """
    out = check_out_dir(settings)  # before the slow part: fail fast on a wrong --out
    if not settings.reports_dir.is_dir():
        raise ConfigError(settings.content_dir, "no reports/ folder here; put the report files in "
                          f"{settings.reports_dir} or pass --content DIR")
    t0 = time.perf_counter()
    collect = _Collect()
    mk_log = logging.getLogger("mkdocs")
    # The lock before the work folder: a second build into the same folder refuses at once,
    # and only the lock's holder removes the work folders of builds that were killed.
    with build_lock(out), staging(out) as work, source_date_epoch(), _collector_paused():
        # The parse first: its processes work while MkDocs and the theme are loaded.
        from .site import start_reading

        reading = start_reading(settings)
        try:
            import jinja2
            from mkdocs.commands.build import build
            from mkdocs.exceptions import MkDocsException

            config, plugin = load_mkdocs_config(
                settings, site_dir=str(work / "site"), site_name=settings.site_name, site_url=settings.site_url,
                strict=settings.strict)
            gc.freeze()
        except BaseException:
            reading.cancel()
            raise
        plugin.forced = settings
        plugin.reading = reading
        mk_log.addHandler(collect)
        t = time.perf_counter()
        try:
            build(config)
        except MkDocsException as e:
            detail = "; ".join(line.removeprefix("gongkai: ") for m in collect.messages for line in m.splitlines()
                               if not line.startswith("Aborted")) or str(e)
            raise GongkaiError(None, f"mkdocs build failed: {detail}") from None
        except jinja2.TemplateError as e:  # most likely in a project's overrides/
            raise GongkaiError(None, f"theme template error ({type(e).__name__}: {e}); "
                               "check overrides/") from None
        finally:
            mk_log.removeHandler(collect)
        seconds = dict(plugin.seconds)
        seconds["mkdocs"] = time.perf_counter() - t - sum(seconds.values())
    assert plugin.site is not None
    seconds["total"] = time.perf_counter() - t0
    return BuildResult(plugin.site, settings.out_dir, seconds, collect.messages, SiteSize.of(settings.out_dir))
