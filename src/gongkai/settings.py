"""Build settings: one value, passed down to every stage (Pelican's habit)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

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
    """Parsing one file may take at most this long (``max_seconds_per_file`` in gongkai.yml)."""
    publish_originals: bool = True
    """Copy every input file into the site for download. Real reports are PDFs of ~250 KB:
    past ~3,000 of them the originals alone exceed GitHub Pages' 1 GB; then turn this off
    (the pages keep each file's name and SHA-256, so a copy found elsewhere can be verified)."""

    @property
    def reports_dir(self) -> Path:
        return self.content_dir / "reports"

    @property
    def agencies_file(self) -> Path:
        return self.content_dir / "agencies.yml"


CONFIG_FILE = "gongkai.yml"
"""Optional settings file in the content folder; command-line options override it."""

# gongkai.yml key -> (Settings field, type)
CONFIG_KEYS: dict[str, tuple[str, type]] = {
    "site_name": ("site_name", str),
    "site_url": ("site_url", str),
    "jobs": ("jobs", int),
    "max_file_mb": ("max_file_mb", int),
    "max_seconds_per_file": ("max_seconds", float),
    "publish_originals": ("publish_originals", bool),
}


def read_config_file(path: Path) -> dict[str, Any]:
    """Settings from ``gongkai.yml``; every problem is one ConfigError naming the key."""
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise ConfigError(path, f"cannot read: {str(e).splitlines()[0]}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(path, f"must be a mapping of settings ({', '.join(CONFIG_KEYS)})")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in CONFIG_KEYS:
            raise ConfigError(path, f"unknown setting {key!r}; known: {', '.join(CONFIG_KEYS)}")
        name, kind = CONFIG_KEYS[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is bool or kind is str:
            ok, wanted = isinstance(value, kind), ("true or false" if kind is bool else "text")
        else:
            number = isinstance(value, kind) and not isinstance(value, bool)
            ok, wanted = number and value > 0, "a positive number"
        if not ok:
            raise ConfigError(path, f"setting {key!r} must be {wanted}, not {value!r}")
        out[name] = value
    return out


def load_settings(**overrides: Any) -> Settings:
    """Defaults, then ``<content>/gongkai.yml``, then the given overrides; a ``None``
    override keeps what is below it (MkDocs' CLI habit).

    Example::

        settings = load_settings(content_dir=Path("content"), out_dir=None)
    """
    known = {f.name for f in fields(Settings)}
    unknown = set(overrides) - known
    if unknown:
        raise TypeError(f"unknown settings: {', '.join(sorted(unknown))}")
    content = overrides.get("content_dir") or Settings().content_dir
    from_file = read_config_file(Path(content) / CONFIG_FILE)
    settings = replace(Settings(), **from_file)
    settings = replace(settings, **{k: v for k, v in overrides.items() if v is not None})
    if not settings.reports_dir.is_dir():
        raise ConfigError(settings.content_dir, "no reports/ folder here; put the report files in "
                          f"{settings.reports_dir} or pass --content DIR")
    if settings.site_url is not None and not settings.site_url.startswith(("http://", "https://")):
        raise ConfigError(None, f"site URL {settings.site_url!r} must start with http:// or https://")
    return settings
