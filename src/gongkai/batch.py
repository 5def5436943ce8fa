"""Parse many files: cached, in parallel processes, within limits, with progress.

Every input ends in exactly one :class:`ParseResult` — a report or a one-line reason —
so one bad file never stops the batch or changes another file's result: not even a file
that kills its worker process (a native library's crash, the kernel's OOM killer), which
would otherwise break the whole process pool.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Sequence
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from .cache import ParseCache
from .errors import GongkaiError, UnreadableFile
from .limits import Limits, cap_memory, check_size, is_limit_reason, time_limit, too_much_memory
from .model import Report
from .read import scan
from .read.scan import OCR_OFF_REASON, OcrSettings


@dataclass(frozen=True, slots=True)
class ParseResult:
    file: str
    """Path relative to the content folder (POSIX)."""
    sha256: str
    size: int
    report: Report | None
    error: str | None = None
    """Why the file was rejected, one line, without the file name."""
    error_kind: str | None = None
    """The error class: UnsupportedFile, UnreadableFile, NotAReport, LayoutNotRecognised."""
    cached: bool = False


_Outcome = tuple[dict[str, Any] | None, dict[str, str] | None, str, int]
"""What a worker sends back: (report dict, error dict, sha256, size)."""

_WORKER_CACHE: ParseCache | None = None
"""The cache a worker writes its results to (set by :func:`_init_worker`): each worker
encodes and writes its own entries, in parallel, instead of the parent one by one."""


def _init_worker(cache: ParseCache | None, ocr: OcrSettings | None = None, limits: Limits | None = None) -> None:
    global _WORKER_CACHE
    _WORKER_CACHE = cache
    if limits is not None:  # only ever so in a worker process, never in the build's own
        cap_memory(limits)
        gc.enable()  # forked from a build that paused its collector (build_site)
    if ocr is not None:
        scan.configure(ocr)  # a worker process does not share the parent's module state


def _cacheable(error: dict[str, str] | None) -> bool:
    # Internal errors are not cached: a fixed parser should try the file again; nor is
    # "OCR is off" (the same file is read once OCR is on), nor a limit's rejection (a
    # larger limit, or a quieter machine, reads the same file).
    reason = (error or {}).get("reason", "")
    return ((error or {}).get("kind") != "InternalError" and reason != OCR_OFF_REASON
            and not is_limit_reason(reason))


def _parse_one(path_str: str, name: str, limits: Limits) -> _Outcome:
    """Worker: parse one file; return (report dict, error dict, sha256, size). Never raises.

    With a worker cache set, the result is also stored there.
    """
    report, error, sha, size = _parse_uncached(path_str, name, limits)
    if _WORKER_CACHE is not None and sha and (report is not None or _cacheable(error)):
        _WORKER_CACHE.put(sha, {"report": report} if report is not None else {"error": error})
    return report, error, sha, size


def _parse_some(items: Sequence[tuple[str, str]], limits: Limits) -> list[_Outcome]:
    """Worker: :func:`_parse_one` for each ``(path, name)`` of one task (:func:`_tasks`)."""
    return [_parse_one(path, name, limits) for path, name in items]


TASK_FILES = 8
TASK_BYTES = 64 * 1024
"""Small files go to a parse process a few at a time, up to this many and this many bytes
a task: each task costs the build process ~0.7 ms (pickling, pipes, waking threads),
a fifth of parsing a text report, and the parse processes share their cores with it.
A file as large (most PDFs, whose parse takes 50-600 ms) goes alone, so the tasks in
flight when the pool breaks, and the last ones of a batch, stay few and short."""


def _tasks(todo: Sequence[int], files: Sequence[tuple[Path, str]]) -> list[list[int]]:
    """``todo`` in runs of consecutive files of at most TASK_FILES files and TASK_BYTES bytes
    (a larger file alone)."""
    tasks: list[list[int]] = []
    size = 0
    for i in todo:
        try:
            n = os.lstat(files[i][0]).st_size
        except OSError:
            n = 0  # the worker's read says why
        if not tasks or len(tasks[-1]) >= TASK_FILES or size + n > TASK_BYTES:
            tasks.append([])
            size = 0
        tasks[-1].append(i)
        size += n
    return tasks


def _parse_uncached(path_str: str, name: str, limits: Limits) -> _Outcome:
    from .parse import parse_bytes  # imported in the worker

    path = Path(path_str)
    shown = Path(name)
    sha, size = "", 0
    try:
        data, size = _read_regular(path, shown, limits)
        sha = hashlib.sha256(data).hexdigest()
        with time_limit(shown, limits):
            report = parse_bytes(data, shown, name)
        return report.to_dict(), None, sha, size
    except GongkaiError as e:
        return None, {"kind": type(e).__name__, "reason": e.reason}, sha, size
    except OSError as e:
        return None, {"kind": "UnreadableFile", "reason": f"cannot open file: {e.strerror or e}"}, sha, size
    except MemoryError:
        return None, {"kind": "UnreadableFile", "reason": too_much_memory(shown, limits).reason}, sha, size
    except Exception as e:  # noqa: BLE001 - a parser bug must not lose the other files
        return None, {"kind": "InternalError",
                      "reason": f"internal error while parsing ({type(e).__name__}: {e}); please report it"}, sha, size


WORKER_DIED_REASON = ("the parse process died while reading this file (out of memory, or a crash "
                      "in a native library); the other files were not affected")

class _Feeder:
    """One pool of :func:`_in_pool`: its workers are forked in the calling thread, then a
    thread of its own keeps at most two tasks (:func:`_tasks`) per worker in flight. When
    the pool breaks, the thread stops: the files in flight are ``suspects``, the ones not
    sent ``left`` (both for :func:`_in_pool`, in the calling thread, where a new pool forks)."""

    def __init__(self, todo: Sequence[int], files: Sequence[tuple[Path, str]], limits: Limits, jobs: int,
                 initargs: tuple[Any, ...], finish: Callable[[int, _Outcome], None]) -> None:
        self.queue = deque(_tasks(todo, files))
        self.files, self.limits, self.finish = files, limits, finish
        self.window = 2 * jobs
        self.suspects: list[int] = []
        self.left: list[int] = []
        self.cancelled = False
        self.error: BaseException | None = None
        self.pool = ProcessPoolExecutor(max_workers=min(jobs, len(self.queue)), initializer=_init_worker,
                                        initargs=initargs)
        self.inflight: dict[Future[list[_Outcome]], list[int]] = {}
        self._top_up()  # the workers fork here, in the calling thread
        self.thread = threading.Thread(target=self._run, name="gongkai-parse", daemon=True)
        self.thread.start()

    def _top_up(self) -> None:
        while self.queue and len(self.inflight) < self.window and not self.cancelled:
            task = self.queue.popleft()
            items = [(str(self.files[i][0]), self.files[i][1]) for i in task]
            self.inflight[self.pool.submit(_parse_some, items, self.limits)] = task

    def _run(self) -> None:
        broken = False
        try:
            while self.inflight and not broken:
                done, _ = wait(self.inflight, return_when=FIRST_COMPLETED)
                for f in done:
                    task = self.inflight.pop(f)
                    if f.cancelled():
                        continue
                    try:
                        outcomes = f.result()
                    except BrokenProcessPool:
                        broken = True
                        self.suspects.extend(task)
                        continue
                    for i, out in zip(task, outcomes):
                        self.finish(i, out)
                if not broken:
                    self._top_up()
            for task in self.inflight.values():  # lost with the pool
                self.suspects.extend(task)
            self.left = [] if self.cancelled else [i for task in self.queue for i in task]
        except BaseException as e:  # a bug: raised again by join(), in the calling thread
            self.error = e
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def join(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error

    def cancel(self) -> None:
        """Stop: no file sent any more, the ones in flight stopped (a failed build need
        not wait for an OCR'd scan); their cache entries are written whole or not at all."""
        self.cancelled = True
        for process in list((getattr(self.pool, "_processes", None) or {}).values()):
            process.terminate()
        self.thread.join()
        self.suspects, self.left = [], []


def _in_pool(todo: Sequence[int], files: Sequence[tuple[Path, str]], limits: Limits, jobs: int,
             initargs: tuple[Any, ...], finish: Callable[[int, _Outcome], None],
             lost: Sequence[int] = ()) -> None:
    """Parse ``todo`` in worker processes; a file whose worker dies is named, not fatal.

    At most two files per worker are in flight, so when a worker dies (the pool is then
    broken for every pending future) only those few are suspects: each is tried again
    alone in a fresh process, the rest go on in a new pool. A file that kills its lone
    process is the culprit and gets a reason; the innocent ones parse as usual.
    ``lost``: files already in flight in a pool that broke (:class:`_Feeder`).
    """
    queue = list(todo)
    suspects = list(lost)
    while queue:
        pool = _Feeder(queue, files, limits, jobs, initargs, finish)
        pool.join()
        suspects += pool.suspects
        queue = pool.left
    for i in sorted(suspects):
        with ProcessPoolExecutor(max_workers=1, initializer=_init_worker, initargs=initargs) as alone:
            try:
                out = alone.submit(_parse_one, str(files[i][0]), files[i][1], limits).result()
            except BrokenProcessPool:
                out = (None, {"kind": "InternalError", "reason": WORKER_DIED_REASON}, *_identity(files[i][0]))
        finish(i, out)


def _identity(path: Path) -> tuple[str, int]:
    try:
        return _hash_file(path)
    except (OSError, GongkaiError):
        return "", 0


SYMLINK_REASON = "symbolic link, not followed; copy the file itself into content/reports/"


def _read_regular(path: Path, shown: Path, limits: Limits) -> tuple[bytes, int]:
    """The file's bytes, its size limit checked on the open file (see _open_regular)."""
    with _open_regular(path, shown) as f:
        size = os.fstat(f.fileno()).st_size
        check_size(shown, size, limits)
        return f.read(), size


class Progress:
    """``[n/N] rate, time left`` on a terminal; silent otherwise (CI logs, pipes)."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.perf_counter()
        self.done = 0
        self._last = 0.0

    def step(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self._last < 0.2 and self.done < self.total:
            return
        self._last = now
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        self.stream.write(f"\rparsing {self.done}/{self.total}  {rate:.1f} files/s  {left:.0f} s left ")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            self.stream.write("\n")
            self.stream.flush()


def _open_regular(path: Path, shown: Path) -> BinaryIO:
    """Open without following a link or blocking on a pipe: the content folder was listed
    with both refused (site.discover_inputs), but a file swapped for one since then must not
    be read either."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise UnreadableFile(shown, SYMLINK_REASON) from None
        raise
    f = os.fdopen(fd, "rb")
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        f.close()
        raise UnreadableFile(shown, "not a regular file (a pipe, device or folder); copy the file itself in")
    return f


def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with _open_regular(path, path) as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def _result(name: str, sha: str, size: int, entry: dict[str, Any], cached: bool) -> ParseResult:
    if "report" in entry:
        d = dict(entry["report"])
        d["source"] = dict(d["source"], file=name)
        return ParseResult(name, sha, size, Report.from_dict(d), cached=cached)
    err = entry["error"]
    return ParseResult(name, sha, size, None, err["reason"], err["kind"], cached=cached)


def parse_all(
    files: Sequence[tuple[Path, str]],
    *,
    jobs: int | None = None,
    cache: ParseCache | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
    on_parse: Callable[[str], None] | None = None,
    ocr: OcrSettings | None = None,
) -> list[ParseResult]:
    """Parse ``(path, name)`` pairs; results in the same order as ``files``.

    ``jobs``: worker processes (default: the core count; 1 parses in this process).
    ``on_parse`` is called with the name of each file actually parsed (not cached).
    ``ocr``: the OCR settings for scanned pages (default: the process's, see
    :mod:`gongkai.read.scan`). With OCR off, cached OCR results are not used and the
    rejections it causes are not cached, so turning it on again reads the scans.
    """
    return start_parse_all(files, jobs=jobs, cache=cache, limits=limits, progress=progress, on_parse=on_parse,
                           ocr=ocr).result()


class PendingParse:
    """A :func:`start_parse_all` under way: its worker processes parse while the caller
    goes on; :meth:`result` waits for them (or :meth:`cancel` stops them)."""

    def __init__(self, finish: Callable[[], list[ParseResult]], feeder: _Feeder | None) -> None:
        self._finish = finish
        self._feeder = feeder

    def result(self) -> list[ParseResult]:
        if self._feeder is not None:
            self._feeder.join()
        return self._finish()

    def cancel(self) -> None:
        if self._feeder is not None:
            self._feeder.cancel()


def start_parse_all(
    files: Sequence[tuple[Path, str]],
    *,
    jobs: int | None = None,
    cache: ParseCache | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
    on_parse: Callable[[str], None] | None = None,
    ocr: OcrSettings | None = None,
) -> PendingParse:
    """:func:`parse_all`, started: the cache is read and the worker processes are started
    here (in the calling thread, so that no process is forked while another thread of
    this one runs), then a thread of this process keeps them fed while the caller goes
    on (``gongkai build`` loads MkDocs meanwhile). A pool broken by a dying worker is
    mended in :meth:`PendingParse.result`, in the calling thread again."""
    jobs = jobs or os.cpu_count() or 1
    limits = limits or Limits()
    progress = progress or Progress(len(files), enabled=False)
    if ocr is None:
        ocr = scan.current_settings()
    ocr_off = not ocr.enabled
    results: list[ParseResult | None] = [None] * len(files)
    todo: list[int] = []
    for i, (path, name) in enumerate(files):
        entry = None
        sha, size = "", 0
        if cache is not None:
            try:
                sha, size = _hash_file(path)
                entry = cache.get(sha) if size <= limits.max_bytes else None
            except (OSError, GongkaiError):  # the worker's read says why
                entry = None
        if entry is not None and ocr_off and (entry.get("report") or {}).get("source", {}).get("ocr_pages"):
            entry = None
        if entry is not None:
            results[i] = _result(name, sha, size, entry, cached=True)
            progress.step()
        else:
            todo.append(i)

    def finish(i: int, out: _Outcome) -> None:
        report, error, sha, size = out
        name = files[i][1]
        entry: dict[str, Any] = {"report": report} if report is not None else {"error": error}
        # The worker has stored it in the cache already (see _parse_one).
        results[i] = _result(name, sha, size, entry, cached=False)
        if on_parse:
            on_parse(name)
        progress.step()

    def done() -> list[ParseResult]:
        progress.close()
        return [r for r in results if r is not None]

    if jobs <= 1 or len(todo) <= 1:
        previous = scan.current_settings()
        _init_worker(cache, ocr)
        try:
            for i in todo:
                finish(i, _parse_one(str(files[i][0]), files[i][1], limits))
        finally:
            _init_worker(None, previous)
        return PendingParse(done, None)
    feeder = _Feeder(todo, files, limits, jobs, (cache, ocr, limits), finish)

    def mended() -> list[ParseResult]:
        if feeder.left or feeder.suspects:  # the pool broke: the rest as _in_pool does, from this thread
            _in_pool(feeder.left, files, limits, jobs, (cache, ocr, limits), finish, lost=feeder.suspects)
        return done()

    return PendingParse(mended, feeder)
