"""Build settings: one value, passed down to every stage (Pelican's habit).

Where they come from: the project's ``mkdocs.yml`` (MkDocs' own ``site_name``,
``site_url``, ``strict`` and the gongkai plugin's options, see :mod:`gongkai.plugin`),
then the command line of ``gongkai build``. This module does not import MkDocs (slow):
``gongkai parse`` needs none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from .limits import DEFAULT_MAX_MB, DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_SECONDS

DEFAULT_SITE_NAME = "政府信息公开工作年度报告"
CONFIG_FILE = Path("mkdocs.yml")
"""The project's MkDocs configuration, in the working folder (read by ``gongkai build``
when it is there; else gongkai's default, :func:`default_config_file`)."""
LEGACY_CONFIG = "gongkai.yml"
"""Read before the plugin: its settings now live in mkdocs.yml under ``plugins: - gongkai``."""


@dataclass(frozen=True, slots=True)
class Settings:
    content_dir: Path = Path("content")
    """Holds ``reports/`` (any nesting) and the optional ``agencies.yml``."""
    out_dir: Path = Path("site")
    """Where the built site goes; replaced only when a build succeeds."""
    config_file: Path | None = None
    """The project's mkdocs.yml; None: gongkai's default (:func:`default_config_file`)."""
    site_name: str = DEFAULT_SITE_NAME
    site_url: str | None = None
    """Public address, e.g. https://example.github.io/gongkai/; used for the sitemap and 404 page."""
    strict: bool = False
    """Fail the build (after writing nothing) on MkDocs warnings."""
    cache_dir: Path | None = Path(".gongkai-cache")
    """Parse results by content hash: a rebuild parses only new or changed files."""
    jobs: int | None = None
    """Parallel parse processes (default: the core count)."""
    max_file_mb: int = DEFAULT_MAX_MB
    """Larger input files are rejected unread, with a reason."""
    max_seconds: float = DEFAULT_MAX_SECONDS
    """Parsing one file may take at most this long (``max_seconds_per_file`` in mkdocs.yml)."""
    max_memory_mb: int = DEFAULT_MAX_MEMORY_MB
    """Memory of one parse process (``max_memory_mb`` in mkdocs.yml)."""
    ocr: bool = True
    """Read scanned pages (no text layer) by OCR; off: a scan is rejected saying so."""
    ocr_min_confidence: float = 0.9
    """An OCR'd value cell read with less confidence is left blank, with a warning."""
    ocr_max_seconds_per_page: float = 30.0
    """OCR of one page stops after this long (the per-file limit bounds the whole file)."""
    data_licence: str = "CC-BY-4.0"
    """The licence of the compiled data (data/, stated in datapackage.json and on the data
    page): an SPDX id such as CC-BY-4.0 or CC0-1.0, or any text. The reports themselves are
    official documents of their agencies; this covers the compilation only."""
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

    @property
    def pages_dir(self) -> Path:
        """The maintainer's own Markdown pages (MkDocs' ``docs_dir`` of the default config)."""
        return self.content_dir / "pages"


def default_config_file() -> Path:
    """gongkai's own mkdocs.yml, used for a content folder without a project around it
    (the repository's root mkdocs.yml is the same file plus ``docs_dir`` and ``custom_dir``)."""
    return Path(str(resources.files("gongkai").joinpath("project/mkdocs.yml")))


LICENCES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("CC0 1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
    "PDDL-1.0": ("Open Data Commons Public Domain Dedication and License 1.0",
                 "https://opendatacommons.org/licenses/pddl/1-0/"),
}
"""Licences known by their SPDX id (any other text is stated as given)."""


def licence_entry(licence: str) -> dict[str, str]:
    title, path = LICENCES.get(licence, (licence, ""))
    return {"name": licence, "title": title, **({"path": path} if path else {})}
