"""Publishing around MkDocs: the output folder's guard and atomic swap, a fixed build
date, the Pagefind index, and the site's size against GitHub Pages' limit.

A build happens in a work folder beside the output and is swapped in at the end, so a
failed build leaves the previous site intact.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import urls
from .errors import ConfigError, GongkaiError

if TYPE_CHECKING:
    from .settings import Settings

SITE_MARKER = urls.INPUTS_JSON
"""A file only a gongkai build writes: an existing output folder without it is not replaced."""


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


PAGES_LIMIT = 1_000_000_000
"""GitHub Pages publishes a site of at most 1 GB."""


@dataclass(frozen=True, slots=True)
class SiteSize:
    total: int
    originals: int
    """Bytes of originals/ (the input files), part of ``total``."""

    @classmethod
    def of(cls, site_dir: Path) -> SiteSize:
        sizes = {"total": 0, "originals": 0}
        for folder, _, files in os.walk(site_dir):
            n = sum(os.path.getsize(os.path.join(folder, f)) for f in files)
            sizes["total"] += n
            if Path(folder).relative_to(site_dir).parts[:1] == ("originals",):
                sizes["originals"] += n
        return cls(**sizes)

    def warning(self) -> str | None:
        """What to do when the site is too large for GitHub Pages."""
        if self.total <= PAGES_LIMIT:
            return None
        fix = (f"set publish_originals: false in mkdocs.yml (the original files are "
               f"{self.originals / 1e9:.2f} GB of it) or " if self.originals else "")
        return (f"the site is {self.total / 1e9:.2f} GB, more than GitHub Pages publishes (1 GB): "
                f"{fix}build one site per region (docs/scaling.md)")
