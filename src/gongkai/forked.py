"""Run one job of the build in a forked copy of the build process, while the build goes on.

The data files (export.write_data, builder_data.write_builder_data) need only the
gathered site model, and the build process has nothing to do with them until its end:
written from a fork started after gathering, they use the second core while the pages
are rendered and MkDocs writes them. The pages are rendered in the build process and
in another fork at once (render.render_site), taking runs of them as they go
(:class:`Runs`), and the build waits for that fork's share at once.

A fork shares the build's memory copy-on-write. Python's garbage collector would write
to every object it scans (and so copy the whole heap, in both processes), so the
heap is frozen out of its sight first, and the child never collects; the freeze is
undone when the job is done, unless the caller had frozen the heap itself (the plugin
keeps a build's objects frozen until its end). Where fork is
missing (Windows, macOS' default) or unsafe (other threads running, as under ``mkdocs
serve``, whose server threads could hold locks the child would need), the job runs in
the build process when its result is asked for, as before.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from .errors import GongkaiError

T = TypeVar("T")


class Pending(Generic[T]):
    """A job started by :func:`start`; :meth:`result` waits for it (or runs it)."""

    def __init__(self, job: Callable[[], T], what: str, pid: int | None, pipe: int | None,
                 unfreeze: bool = False) -> None:
        self._job = job
        self._unfreeze = unfreeze
        self._what = what
        self._pid = pid
        self._pipe = pipe
        self.forked = pid is not None
        """Whether the job runs in a fork (else it runs when its result is asked for)."""

    def result(self) -> T:
        """The job's result (asked for once: the job is not run again)."""
        if not self.forked:
            return self._job()
        if self._pid is None or self._pipe is None:
            raise RuntimeError(f"{self._what}: its result was asked for twice, or after cancel()")
        chunks = []
        with os.fdopen(self._pipe, "rb") as f:
            self._pipe = None
            while chunk := f.read(1 << 16):
                chunks.append(chunk)
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        self._thaw()
        if not chunks:
            raise GongkaiError(None, f"{self._what} failed (its process ended with status "
                               f"{os.waitstatus_to_exitcode(status)} and no result)")
        how, value = pickle.loads(b"".join(chunks))
        if how == "ok":
            return value  # type: ignore[no-any-return]
        if how == "gongkai":  # a user's error, raised again as it was (its one line)
            raise GongkaiError(*value)
        raise RuntimeError(f"{self._what} failed in its process:\n{value}")  # a bug: its traceback

    def cancel(self) -> None:
        """Stop the job (the build failed): the fork is killed, nothing is waited for."""
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._pid = None
            self._thaw()
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None

    def _thaw(self) -> None:
        """Give back the freeze :func:`start` made; one the caller made is the caller's."""
        if self._unfreeze:
            gc.unfreeze()
            self._unfreeze = False


FORK_SAFE = "gongkai_fork_safe"
"""An attribute a thread may set true to say it takes no lock a forked child would need
(a benchmark's sampler reading /proc): it does not keep the build from forking."""


def can_fork() -> bool:
    others = [t for t in threading.enumerate()
              if t is not threading.current_thread() and not getattr(t, FORK_SAFE, False)]
    return sys.platform == "linux" and hasattr(os, "fork") and not others


def start(job: Callable[[], T], what: str, *, fork: bool | None = None, nice: int = 0) -> Pending[T]:
    """Start ``job`` in a fork (when :func:`can_fork`, or as ``fork`` says); ``what`` it
    does names it in an error. Its result, or the error it raised, comes back pickled.
    ``nice`` lowers the fork's priority (os.nice) for a job nothing waits for soon."""
    if not (can_fork() if fork is None else fork):
        return Pending(job, what, None, None)
    frozen_before = gc.get_freeze_count() > 0
    gc.collect()
    gc.freeze()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: do the job, send what came of it, leave without cleaning up
        gc.disable()
        if nice:
            os.nice(nice)
        os.close(read)
        try:
            try:
                message = pickle.dumps(("ok", job()))
            except GongkaiError as e:
                message = pickle.dumps(("gongkai", (e.path, e.reason)))
            except BaseException:  # noqa: BLE001 - every failure goes back to the build
                message = pickle.dumps(("bug", traceback.format_exc()))
            with os.fdopen(write, "wb") as f:
                f.write(message)
        finally:
            os._exit(0)
    os.close(write)
    return Pending(job, what, pid, read, unfreeze=not frozen_before)


class Runs:
    """``n`` items shared out in runs between a process and its forks as they go: each
    process claims the next run when it is free, so a process whose core is shared with
    other work takes fewer (a fixed half each left the build waiting 0.3-0.7 s for its
    fork's). The runs' numbers wait in a pipe all the processes hold, written whole
    before any fork: a read of one number (4 bytes) takes it, and no other process can
    read the same one. Make it before forking, :meth:`close` it when done."""

    MOST = 1000
    """Runs at most: their numbers fit the pipe's buffer and one atomic write (PIPE_BUF
    is 4,096 bytes on Linux)."""

    def __init__(self, n: int, least: int = 4) -> None:
        size = max(least, -(-n // self.MOST))
        self.runs = [range(start, min(n, start + size)) for start in range(0, n, size)]
        self._read, write = os.pipe()
        try:
            os.write(write, b"".join(struct.pack("=I", i) for i in range(len(self.runs))))
        finally:
            os.close(write)  # once empty, a read gives b"": no run left

    def claim(self) -> Iterator[range]:
        """The runs this process takes, one at a time, until none is left."""
        while len(number := os.read(self._read, 4)) == 4:
            yield self.runs[struct.unpack("=I", number)[0]]

    def close(self) -> None:
        os.close(self._read)
