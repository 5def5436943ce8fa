"""Per-file limits: size, processing time and memory, each with a reason a maintainer can act on."""

from __future__ import annotations

import resource
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import UnreadableFile

DEFAULT_MAX_MB = 50
DEFAULT_MAX_SECONDS = 120
DEFAULT_MAX_MEMORY_MB = 4096
"""Memory of one parse process (RLIMIT_DATA: its heap and private writable mappings, not
the address space merely reserved, which grows with the machine's threads). OCR of a 200 dpi
page peaks near 0.8 GB resident; a text PDF below 100 MB. A hostile file asking for more
fails in its own process instead of waking the kernel's OOM killer, which may pick any
process."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_MB * 1024 * 1024
    """Larger files are rejected before they are opened."""
    max_seconds: float = DEFAULT_MAX_SECONDS
    """Reading and recognising one file may take at most this long (0: no limit)."""
    max_memory_bytes: int = DEFAULT_MAX_MEMORY_MB * 1024 * 1024
    """Memory of a parse worker process (0: no limit); the build's own process is
    never capped (with one job, files are parsed there, uncapped)."""


_RAISE_IT = ("set max_file_mb to raise it", "set max_seconds_per_file to raise it",
             "set max_memory_mb to raise it")


def is_limit_reason(reason: str) -> bool:
    """A rejection by a limit, not by the file: it depends on the settings (and, for time,
    on the machine's load), so the parse cache must not keep it."""
    return any(r in reason for r in _RAISE_IT)


def check_size(path: Path, size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise UnreadableFile(
            path, f"file too large ({_human(size)}; the limit is {_human(limits.max_bytes)}, set max_file_mb to raise it)"
        )


def cap_memory(limits: Limits) -> None:
    """Cap this process's data memory (a parse worker's, at its start)."""
    if limits.max_memory_bytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    soft = limits.max_memory_bytes if hard == resource.RLIM_INFINITY else min(hard, limits.max_memory_bytes)
    resource.setrlimit(resource.RLIMIT_DATA, (soft, hard))


def too_much_memory(path: Path, limits: Limits) -> UnreadableFile:
    return UnreadableFile(path, f"reading this file needed more memory than the limit of "
                                f"{_human(limits.max_memory_bytes)} (set max_memory_mb to raise it)")


def _human(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.1f} KB"


class _Timeout(BaseException):
    """Raised inside the parse by the alarm; a BaseException so no reader swallows it."""


@contextmanager
def time_limit(path: Path, limits: Limits) -> Iterator[None]:
    """Abort the enclosed work after ``limits.max_seconds`` (main thread, POSIX only)."""
    seconds = limits.max_seconds
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    fired = False

    def _alarm(signum, frame):  # type: ignore[no-untyped-def]
        nonlocal fired
        fired = True
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, _alarm)
    # The alarm repeats every 50 ms once due: an exception raised where Python ignores it
    # (a garbage-collector callback, a __del__) would otherwise let the work run on unbounded.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    too_slow = UnreadableFile(
        path, f"processing took longer than {seconds:g} s and was stopped (set max_seconds_per_file to raise it)")
    try:
        yield
    except BaseException:
        if fired:  # _Timeout, or what a library made of it (ctypes: ArgumentError)
            raise too_slow from None
        raise
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    if fired:  # the alarm's exception was swallowed, but the limit was passed all the same
        raise too_slow
