"""gongkai.forked: a job of the build in a fork of the build process (the data files)."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pytest

from gongkai import forked
from gongkai.errors import ConfigError, GongkaiError

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the build forks only on Linux")


def test_the_job_runs_in_another_process_and_its_result_comes_back(tmp_path: Path) -> None:
    def job() -> dict[str, int]:
        (tmp_path / "written").write_text(str(os.getpid()), encoding="utf-8")
        return {"rows": 3}

    pending = forked.start(job, "writing", fork=True)
    assert pending.forked
    assert pending.result() == {"rows": 3}
    assert int((tmp_path / "written").read_text(encoding="utf-8")) != os.getpid()


def test_the_fork_gives_back_its_own_freeze_of_the_collector_not_the_callers() -> None:
    import gc

    gc.unfreeze()  # whatever an earlier test in this process left frozen
    pending = forked.start(lambda: 1, "writing", fork=True)
    assert gc.get_freeze_count() > 0  # for copy-on-write while the fork runs
    assert pending.result() == 1 and gc.get_freeze_count() == 0
    gc.freeze()  # the caller's (the plugin keeps a build's objects frozen until its end)
    try:
        frozen = gc.get_freeze_count()
        forked.start(lambda: 2, "writing", fork=True).result()
        assert gc.get_freeze_count() >= frozen
        cancelled = forked.start(lambda: 3, "writing", fork=True)
        cancelled.cancel()
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()


def test_a_fork_may_run_at_a_lower_priority() -> None:
    assert forked.start(lambda: os.nice(0), "writing", fork=True, nice=5).result() == os.nice(0) + 5
    assert forked.start(lambda: os.nice(0), "writing", fork=True).result() == os.nice(0)


def test_without_a_fork_the_job_runs_when_its_result_is_asked_for(tmp_path: Path) -> None:
    ran: list[int] = []
    pending = forked.start(lambda: ran.append(os.getpid()) or 7, "writing", fork=False)
    assert not pending.forked and ran == []
    assert pending.result() == 7 and ran == [os.getpid()]


def test_a_users_error_in_the_job_is_raised_again_with_its_line() -> None:
    def job() -> None:
        raise ConfigError(Path("content/agencies.yml"), "line 3: not a mapping")

    with pytest.raises(GongkaiError, match=r"^content/agencies.yml: line 3: not a mapping$"):
        forked.start(job, "writing", fork=True).result()


def test_a_bug_in_the_job_comes_back_with_its_traceback() -> None:
    def job() -> None:
        {}["missing"]

    with pytest.raises(RuntimeError, match=r"(?s)writing the data files failed in its process:.*KeyError: 'missing'"):
        forked.start(job, "writing the data files", fork=True).result()


def test_a_process_that_dies_is_a_one_line_error_not_a_hang() -> None:
    def job() -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(GongkaiError, match=r"^writing the data files failed \(its process ended with status -9 and no result\)$"):
        forked.start(job, "writing the data files", fork=True).result()


def test_a_cancelled_job_is_stopped(tmp_path: Path) -> None:
    import time

    def job() -> None:
        time.sleep(30)
        (tmp_path / "late").write_text("x", encoding="utf-8")

    pending = forked.start(job, "writing", fork=True)
    started = time.monotonic()
    pending.cancel()
    assert time.monotonic() - started < 5 and not (tmp_path / "late").exists()


def test_no_fork_while_other_threads_run() -> None:
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        assert not forked.start(lambda: 1, "writing").forked
        setattr(thread, forked.FORK_SAFE, True)  # one that says it takes no lock the child needs
        assert forked.can_fork()
    finally:
        stop.set()
        thread.join()


def test_a_build_writes_its_data_files_from_a_fork(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from gongkai.build import build_site
    from gongkai.settings import Settings

    from conftest import FIXTURES, site_reports

    started: list[forked.Pending[object]] = []
    real_start = forked.start

    def spy(*args: object, **kwargs: object) -> forked.Pending[object]:
        started.append(real_start(*args, **kwargs))  # type: ignore[arg-type]
        return started[-1]

    monkeypatch.setattr(forked, "start", spy)
    (tmp_path / "content" / "reports").mkdir(parents=True)
    shutil.copy(FIXTURES / "site" / "content" / "reports" / "2024" / "002_5ead8cc1c8ee6d6d.txt",
                tmp_path / "content" / "reports")
    result = build_site(Settings(content_dir=tmp_path / "content", out_dir=tmp_path / "site", cache_dir=None))
    assert [p.forked for p in started] == [True]
    assert [r["year"] for r in site_reports(result.out_dir)] == [2024]
    assert "cells.csv.gz" in (result.out_dir / "data" / "index.html").read_text(encoding="utf-8")


def test_runs_are_each_taken_once_and_the_slower_process_takes_fewer(tmp_path: Path) -> None:
    import time

    runs = forked.Runs(200, least=1)
    started = tmp_path / "started"

    def slow() -> list[int]:
        taken = []
        for run in runs.claim():
            started.touch()
            time.sleep(0.01)  # its core busy with other work
            taken += run
        return taken

    try:
        theirs = forked.start(slow, "taking runs", fork=True)
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:  # however late the fork starts
            time.sleep(0.001)
        mine = []
        for run in runs.claim():
            time.sleep(0.001)
            mine += run
        taken = theirs.result()
    finally:
        runs.close()
    assert sorted(mine + taken) == list(range(200))
    assert taken and len(mine) > len(taken)  # both took some; the quicker most
    many = forked.Runs(5_000)  # at most Runs.MOST runs, for the pipe's one atomic write
    many.close()
    assert len(many.runs) == 1000 and {len(r) for r in many.runs} == {5}
