"""Build settings: one value, passed down to every stage (Pelican's habit)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .limits import DEFAULT_MAX_MB, DEFAULT_MAX_SECONDS

DEFAULT_SITE_NAME = "政府信息公开工作年度报告"


@dataclass(frozen=True, slots=True)
class Settings:
    content_dir: Path = Path("content")
    """Holds ``reports/`` (any nesting) and the optional ``agencies.yml``."""
    out_dir: Path = Path("site")
    """Where the built site goes; replaced only when a build succeeds."""
    site_name: str = DEFAULT_SITE_NAME
    site_url: str | None = None
    """Public address, e.g. https://example.github.io/gongkai/; used for the sitemap and 404 page."""
    strict: bool = False
    """Fail the build (after writing nothing) on MkDocs warnings."""
    overrides_dir: Path | None = Path("overrides")
    """A project's own theme overrides, laid over gongkai's when the folder exists."""
    cache_dir: Path | None = Path(".gongkai-cache")
    """Parse results by content hash: a rebuild parses only new or changed files."""
    jobs: int | None = None
    """Parallel parse processes (default: the core count)."""
    max_file_mb: int = DEFAULT_MAX_MB
    """Larger input files are rejected unread, with a reason."""
    max_seconds: float = DEFAULT_MAX_SECONDS
    """Parsing one file may take at most this long."""

    @property
    def reports_dir(self) -> Path:
        return self.content_dir / "reports"

    @property
    def agencies_file(self) -> Path:
        return self.content_dir / "agencies.yml"


def load_settings(**overrides: Any) -> Settings:
    """Defaults with the given overrides; a ``None`` override keeps the default (MkDocs' CLI habit).

    Example::

        settings = load_settings(content_dir=Path("content"), out_dir=None)
    """
    known = {f.name for f in fields(Settings)}
    unknown = set(overrides) - known
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    settings = replace(Settings(), **{k: v for k, v in overrides.items() if v is not None})
    if not settings.reports_dir.is_dir():
        raise ConfigError(settings.content_dir, "no reports/ folder here; put the report files in "
                          f"{settings.reports_dir} or pass --content DIR")
    if settings.site_url is not None and not settings.site_url.startswith(("http://", "https://")):
        raise ConfigError(None, f"site URL {settings.site_url!r} must start with http:// or https://")
    return settings
