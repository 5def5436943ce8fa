"""Batch parsing: the cache at work, parallel workers, limits (no timing asserted)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import time
from pathlib import Path

import pytest

import gongkai.parse
from gongkai import batch
from gongkai.batch import WORKER_DIED_REASON, parse_all
from gongkai.cache import ParseCache, parser_version
from gongkai.limits import Limits

from conftest import FIXTURES


def _content(tmp_path: Path, n: int = 3) -> list[tuple[Path, str]]:
    reports = tmp_path / "content" / "reports"
    reports.mkdir(parents=True)
    for seed in sorted((FIXTURES / "seeds").glob("*.txt"))[:n]:
        shutil.copy(seed, reports / seed.name)
    (reports / "empty.pdf").write_bytes(b"")
    return _listing(tmp_path)


def _listing(tmp_path: Path) -> list[tuple[Path, str]]:
    root = tmp_path / "content"
    return [(p, p.relative_to(root).as_posix()) for p in sorted((root / "reports").rglob("*")) if p.is_file()]


def test_cache_second_build_parses_nothing_adding_one_parses_one(tmp_path: Path) -> None:
    files = _content(tmp_path)
    cache = ParseCache(tmp_path / "cache")
    parsed: list[str] = []
    first = parse_all(files, jobs=1, cache=cache, on_parse=parsed.append)
    assert sorted(parsed) == sorted(name for _, name in files)
    assert [r.error_kind for r in first if r.report is None] == ["UnreadableFile"]

    parsed.clear()
    second = parse_all(files, jobs=1, cache=cache, on_parse=parsed.append)
    assert parsed == []
    assert [r.report.to_dict() if r.report else r.error for r in second] == \
           [r.report.to_dict() if r.report else r.error for r in first]
    assert all(r.cached for r in second)

    shutil.copy(FIXTURES / "seeds" / "004_0b8901f0c9a4b364.txt", tmp_path / "content" / "reports" / "new.txt")
    parsed.clear()
    parse_all(_listing(tmp_path), jobs=1, cache=cache, on_parse=parsed.append)
    assert parsed == ["reports/new.txt"]


def test_parser_version_change_reparses_all(tmp_path: Path) -> None:
    files = _content(tmp_path)
    parse_all(files, jobs=1, cache=ParseCache(tmp_path / "cache", version="old"))
    parsed: list[str] = []
    newer = ParseCache(tmp_path / "cache", version="new")
    parse_all(files, jobs=1, cache=newer, on_parse=parsed.append)
    assert len(parsed) == len(files)
    newer.prune()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["new"]


def test_parser_version_follows_source() -> None:
    v = parser_version()
    assert v.startswith("0.1.0-") and len(v.split("-")[1]) == 12



def test_a_cache_entry_reads_back_exactly_whatever_it_holds(tmp_path: Path) -> None:
    # Entries are encoded by orjson, or by json for what orjson refuses (an integer beyond
    # 64 bits, as a misread run of digits could give), and read by json.loads either way.
    cache = ParseCache(tmp_path / "cache")
    entries = {
        "a" * 64: {"report": {"requests": {"new": {"total": 137, "natural": None}}, "amount": 12.5,
                              "small": 1.5e-7, "text": '报告\n"引号" \\ \u2028\x1f'}},
        "b" * 64: {"report": {"requests": {"new": {"total": 2 ** 70}}}},
        "c" * 64: {"error": {"kind": "NotAReport", "reason": "no title"}},
    }
    for sha, entry in entries.items():
        cache.put(sha, entry)
    for sha, entry in entries.items():
        assert ParseCache(tmp_path / "cache").get(sha) == entry
    assert type(cache.get("b" * 64)["report"]["requests"]["new"]["total"]) is int


def test_compact_json_is_what_json_dumps_gives() -> None:
    # jsonenc (orjson) writes what json.dumps(ensure_ascii=False, separators=(",", ":"))
    # wrote before it, but for the form of a float's exponent; an integer orjson refuses
    # goes to json, exact.
    import json

    from gongkai.jsonenc import dumps_bytes, dumps_line

    data = {"机关": "某县教育局", "n": [0, 137, None, True, 12.5, 0.1], "s": '"引号" \\ \n \t \x1f \u2028 <&>',
            "nested": {"a": [], "b": {}}}
    for d in (data, {**data, "big": 2 ** 70}):  # orjson's, then json's
        assert dumps_line(d) == json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert json.loads(dumps_line({"x": 1.5e-7})) == {"x": 1.5e-7}
    # A lone surrogate: escaped when asked (Pagefind's messages), else refused as before.
    assert json.loads(dumps_bytes({"s": "页\ud800"}, escape_refused=True)) == {"s": "页\ud800"}
    with pytest.raises(UnicodeEncodeError):
        dumps_bytes({"s": "页\ud800"})

def test_same_content_at_two_paths_keeps_each_path(tmp_path: Path) -> None:
    files = _content(tmp_path, n=1)
    src = files[0][0]
    shutil.copy(src, src.with_name("copy.txt"))
    cache = ParseCache(tmp_path / "cache")
    results = parse_all(_listing(tmp_path), jobs=1, cache=cache)
    names = [r.report.source.file for r in results if r.report]
    assert names == ["reports/000_9df66e4b50998407.txt", "reports/copy.txt"]


def test_parallel_equals_serial(tmp_path: Path) -> None:
    files = _content(tmp_path, n=5)
    serial = parse_all(files, jobs=1)
    parallel = parse_all(files, jobs=2)
    assert [(r.file, r.report.to_dict() if r.report else r.error) for r in serial] == \
           [(r.file, r.report.to_dict() if r.report else r.error) for r in parallel]


def test_a_started_parse_goes_on_while_the_caller_works_and_stops_when_cancelled(tmp_path: Path) -> None:
    # gongkai build starts the parse before it loads MkDocs (batch.start_parse_all): the
    # workers are fed from a thread while the caller is busy, and the results are those
    # of a parse in one piece; a build that fails meanwhile cancels it, leaving no process.
    import threading

    files = _content(tmp_path, n=6)
    pending = batch.start_parse_all(files, jobs=2)
    assert [t.name for t in threading.enumerate() if t.name == "gongkai-parse"] == ["gongkai-parse"]
    busy = sum(i * i for i in range(200_000))  # the caller's own work meanwhile
    started = pending.result()
    assert busy and not [t for t in threading.enumerate() if t.name == "gongkai-parse"]
    assert [(r.file, r.report.to_dict() if r.report else r.error) for r in started] == \
           [(r.file, r.report.to_dict() if r.report else r.error) for r in parse_all(files, jobs=1)]

@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the patched parser reaches the workers only by fork")
def test_a_cancelled_parse_stops_the_files_in_flight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A build that fails while the parse runs (a wrong mkdocs.yml) cancels it: no file is
    # sent any more and the ones in flight are stopped, not waited for.
    import threading

    files = _content(tmp_path, n=6)
    marks = tmp_path / "marks"
    marks.mkdir()

    def slow(path_str: str, name: str, limits: Limits):  # type: ignore[no-untyped-def]
        (marks / f"{os.getpid()}-started").touch()
        time.sleep(60)
        (marks / f"{os.getpid()}-finished").touch()

    monkeypatch.setattr(batch, "_parse_uncached", slow)
    pending = batch.start_parse_all(files, jobs=2)
    while not list(marks.glob("*-started")):
        time.sleep(0.01)
    pending.cancel()
    assert multiprocessing.active_children() == []  # so no file can finish any more
    assert not [t for t in threading.enumerate() if t.name == "gongkai-parse"]
    assert list(marks.glob("*-finished")) == []


def test_size_limit_rejects_with_reason(tmp_path: Path) -> None:
    files = _content(tmp_path, n=1)
    [result, _] = parse_all(files, jobs=1, limits=Limits(max_bytes=1000))
    assert result.report is None and result.error_kind == "UnreadableFile"
    assert result.error.startswith("file too large (") and "limit is 0 MB" not in result.error


def test_time_limit_rejects_with_reason(tmp_path: Path) -> None:
    files = [(FIXTURES / "pdf" / "hongze-2023.pdf", "reports/slow.pdf")]
    [result] = parse_all(files, jobs=1, limits=Limits(max_seconds=0.001))
    assert result.report is None
    assert result.error == "processing took longer than 0.001 s and was stopped (set max_seconds_per_file to raise it)"


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the patched parser reaches the workers only by fork")
def test_a_file_that_kills_its_worker_is_named_and_the_others_parse(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A crash in a native library or the OOM killer ends the worker process without a
    # Python exception; ProcessPoolExecutor then fails every pending file. Here one file's
    # parse SIGKILLs its own process; it must be the only file without a report.
    files = _content(tmp_path, n=6)
    killer = files[2][1]
    assert [2, 3] == [i for i in next(t for t in batch._tasks(range(len(files)), files) if 2 in t) if i in (2, 3)]
    real = batch._parse_uncached

    def parse_or_die(path_str: str, name: str, limits: Limits):  # type: ignore[no-untyped-def]
        if name == killer:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(path_str, name, limits)

    monkeypatch.setattr(batch, "_parse_uncached", parse_or_die)
    cache = ParseCache(tmp_path / "cache")
    results = parse_all(files, jobs=2, cache=cache)
    expected = parse_all([f for f in files if f[1] != killer], jobs=1)
    assert [r.file for r in results] == [name for _, name in files]
    [dead] = [r for r in results if r.file == killer]
    assert dead.report is None and dead.error == WORKER_DIED_REASON and dead.error_kind == "InternalError"
    assert dead.sha256 and dead.size == files[2][0].stat().st_size
    assert [(r.file, r.report.to_dict() if r.report else r.error) for r in results if r.file != killer] == \
           [(r.file, r.report.to_dict() if r.report else r.error) for r in expected]
    # Not cached: the next build tries the file again.
    assert cache.get(dead.sha256) is None


def test_the_parse_processes_collect_garbage_though_the_build_paused_its_collector(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # build_site pauses the collector while the parse's processes are forked; they must
    # not inherit the pause (a PDF's parse leaves cycles behind, file after file).
    import gc

    def parse_and_say(path_str: str, name: str, limits: Limits):  # type: ignore[no-untyped-def]
        return None, {"kind": "UnreadableFile", "reason": f"collector on: {gc.isenabled()}"}, "", 0

    monkeypatch.setattr(batch, "_parse_uncached", parse_and_say)
    gc.disable()
    try:
        results = parse_all(_content(tmp_path, n=4), jobs=2)
    finally:
        gc.enable()
    assert [r.error for r in results] == ["collector on: True"] * 5


def test_small_files_go_to_the_workers_a_few_at_a_time_and_a_large_one_alone(tmp_path: Path) -> None:
    sizes = [10_000] * 11 + [batch.TASK_BYTES + 1, 30_000, 30_000, 30_000, 500]
    files = []
    for i, n in enumerate(sizes):
        (tmp_path / f"{i}.txt").write_bytes(b"x" * n)
        files.append((tmp_path / f"{i}.txt", f"reports/{i}.txt"))
    files.append((tmp_path / "gone.txt", "reports/gone.txt"))  # its worker says why
    tasks = batch._tasks(range(len(files)), files)
    assert tasks == [list(range(0, 6)), list(range(6, 11)), [11], [12, 13], [14, 15, 16]]
    assert len(batch._tasks(range(12), [(tmp_path / "15.txt", "x")] * 12)) == 2  # at most TASK_FILES


def test_worker_death_is_said_in_chinese() -> None:
    from gongkai.wording import rejection
    assert rejection("InternalError", WORKER_DIED_REASON).startswith("读取此文件时解析进程意外终止")


def _address_space() -> int:
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmData:"))) * 1024


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork" or not Path("/proc/self/status").exists(),
                    reason="the patched parser reaches the workers only by fork; VmSize from /proc")
def test_a_file_needing_more_memory_than_the_cap_is_rejected_alone(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    files = _content(tmp_path, n=3)
    hungry = files[1][1]
    # The workers are forked from this process: the cap is its data size plus 512 MB.
    limits = Limits(max_memory_bytes=_address_space() + 512 * 1024 * 1024)
    real = gongkai.parse.parse_bytes

    def parse_hungrily(data: bytes, path: Path, name: str):  # type: ignore[no-untyped-def]
        if name == hungry:
            bytearray(limits.max_memory_bytes)  # more than is left under the cap
        return real(data, path, name)

    monkeypatch.setattr(gongkai.parse, "parse_bytes", parse_hungrily)
    cache = ParseCache(tmp_path / "cache")
    results = parse_all(files, jobs=2, cache=cache, limits=limits)
    by_name = {r.file: r for r in results}
    assert by_name[hungry].report is None and by_name[hungry].error_kind == "UnreadableFile"
    assert by_name[hungry].error.startswith("reading this file needed more memory than the limit of ")
    assert by_name[hungry].error.endswith("(set max_memory_mb to raise it)")
    assert cache.get(by_name[hungry].sha256) is None  # a limit's rejection is not kept
    assert all(r.report is not None for name, r in by_name.items() if name not in (hungry, "reports/empty.pdf"))
    # The build's own process is never capped.
    import resource
    assert resource.getrlimit(resource.RLIMIT_DATA)[0] == resource.RLIM_INFINITY


def test_a_file_swapped_for_a_link_after_listing_is_not_followed(tmp_path: Path) -> None:
    # site.discover_inputs refuses links; a file replaced by one between the listing and
    # the worker's read must not be followed either (O_NOFOLLOW), nor a FIFO opened.
    files = _content(tmp_path, n=1)
    secret = tmp_path / "secret.txt"
    shutil.copy(files[0][0], secret)
    link = files[0][0]
    link.unlink()
    link.symlink_to(secret)
    fifo = link.with_name("fifo.txt")
    os.mkfifo(fifo)
    cache = ParseCache(tmp_path / "cache")
    [linked, _, piped] = parse_all([*files, (fifo, "reports/fifo.txt")], jobs=1, cache=cache)
    assert linked.report is None and linked.error == batch.SYMLINK_REASON
    assert piped.report is None and piped.error.startswith("not a regular file")


def test_a_timeout_a_library_turned_into_its_own_error_is_still_the_limit() -> None:
    # ctypes turns an exception raised while it converts a call's arguments (pypdfium2)
    # into ArgumentError: the file was then "internal error" instead of "took longer".
    from gongkai.errors import UnreadableFile
    from gongkai.limits import time_limit

    with pytest.raises(UnreadableFile, match=r"processing took longer than 0.01 s"):
        with time_limit(Path("slow.pdf"), Limits(max_seconds=0.01)):
            try:
                while True:
                    pass
            except BaseException as e:
                raise ValueError("argument 1") from e
