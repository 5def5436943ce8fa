"""Publishing around MkDocs: the output folder's guard and atomic swap, a fixed build
date, the Pagefind index, and the site's size against GitHub Pages' limit.

A build happens in a work folder beside the output and is swapped in at the end, so a
failed build leaves the previous site intact.
"""

from __future__ import annotations

import glob
import logging
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

progress = logging.getLogger("gongkai.progress")
"""``stage: <name>`` as each stage of a build starts (parse, gather, render, pages, data,
search, swap); ``gongkai build --progress`` prints them."""

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


STAGING_PREFIX = "-build-"
"""Work folders are ``.<out name>-build-<random>`` beside the output folder."""


@contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one refuses at once, naming the
    first. The lock is ``flock`` on ``.<out name>.lock`` beside the folder, which the
    kernel releases when its holder dies (``kill -9`` included): a lock never goes stale."""
    import fcntl

    out.parent.mkdir(parents=True, exist_ok=True)
    lock = out.parent / f".{out.name}.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            raise GongkaiError(out, f"another gongkai build (process {holder}) is writing this folder; "
                               "wait for it to finish, or build into another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_stray_staging(out: Path) -> None:
    """Clean up after builds killed mid-way (call it holding :func:`build_lock`).

    A killed build leaves its work folder beside ``out``. If it died between the two
    renames of the fallback swap, ``out`` is missing and its previous site is in the work
    folder's ``previous/``: that is put back first, so the previous site is exactly as it was."""
    strays = sorted(out.parent.glob(f".{glob.escape(out.name)}{STAGING_PREFIX}*"))
    for work in strays:
        previous = work / "previous"
        if not out.exists() and previous.is_dir():
            previous.rename(out)
        shutil.rmtree(work, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``): there is no
    instant at which the output folder is missing. False where the call is not there."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    if rc != 0:
        err = ctypes.get_errno()
        if err in (38, 22, 95):  # ENOSYS, EINVAL, EOPNOTSUPP: no exchange here, rename instead
            return False
        raise OSError(err, os.strerror(err), str(a))
    return True


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A work folder beside ``out``; its ``site/`` replaces ``out`` only on success.

    The swap is atomic where the kernel can exchange two folders; elsewhere it is two
    renames, and a build killed between them is repaired by the next one
    (:func:`remove_stray_staging`)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_stray_staging(out)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}{STAGING_PREFIX}", dir=out.parent))
    try:
        yield work
        new, previous = work / "site", work / "previous"
        # The new site's files on disk before the swap names them: after a power cut the
        # output folder holds whole files, not empty ones (one sync, not one per file).
        os.sync()
        progress.info("stage: swap")
        if not out.exists():
            new.rename(out)
            return
        if _exchange(new, out):
            return  # the previous site is now work/site, removed below
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
        # One scandir walk, a stat per file and none per folder: the last thing a build
        # does, alone on one core (~6,000 files at 1,000 reports: 0.09 s by os.walk and
        # getsize, 0.035 s so).
        total = originals = 0
        root = os.fspath(site_dir)
        folders = [(root, False)]
        while folders:
            folder, in_originals = folders.pop()
            with os.scandir(folder) as entries:
                for e in entries:
                    if e.is_dir(follow_symlinks=False):
                        folders.append((e.path, in_originals or (folder == root and e.name == "originals")))
                    else:
                        n = e.stat(follow_symlinks=False).st_size
                        total += n
                        originals += n if in_originals else 0
        return cls(total, originals)

    def warning(self) -> str | None:
        """What to do when the site is too large for GitHub Pages."""
        if self.total <= PAGES_LIMIT:
            return None
        fix = (f"set publish_originals: false in mkdocs.yml (the original files are "
               f"{self.originals / 1e9:.2f} GB of it) or " if self.originals else "")
        return (f"the site is {self.total / 1e9:.2f} GB, more than GitHub Pages publishes (1 GB): "
                f"{fix}build one site per region (docs/scaling.md)")
