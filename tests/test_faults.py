"""Killed and racing builds (issue 16, items 5 and 6), with real processes.

A build is ``gongkai build --progress`` in its own process group; the tests read its
``stage: <name>`` lines and ``kill -9`` the whole group as a stage starts, then check that
the previous site is there byte for byte, that no process of the group is left, and that
the next build succeeds and leaves no work folder behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import FIXTURES

CONTENT = FIXTURES / "site" / "content"
GONGKAI = [sys.executable, "-c", "from gongkai.cli import main; main()"]
STAGES = ("parse", "gather", "render", "pages", "data", "search", "swap")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _start(cwd: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*GONGKAI, "build", "--content", "c", "--out", "out", "--progress", *extra],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def _build(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GONGKAI, "build", "--content", "c", "--out", "out"], cwd=cwd,
                          capture_output=True, text=True, check=False)


def _members(pgid: int) -> list[int]:
    """The processes of a process group (Linux /proc)."""
    found = []
    for d in Path("/proc").iterdir():
        try:
            if d.name.isdigit() and int((d / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid:
                found.append(int(d.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


def _kill_at(proc: subprocess.Popen[str], stage: str) -> tuple[list[str], int]:
    """Read the build's progress until ``stage: <stage>``, then kill its process group;
    in the parse, once its worker processes are there. Returns the stages seen and the
    number of processes killed."""
    seen = []
    killed = 0
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("stage: "):
            seen.append(line.split()[1])
            if seen[-1] == stage:
                for _ in range(2000):
                    killed = len(_members(proc.pid))
                    if stage != "parse" or killed > 1:
                        break
                    time.sleep(0.005)
                os.killpg(proc.pid, signal.SIGKILL)
                break
    proc.wait()
    return seen, killed


def _group_gone(pgid: int) -> bool:
    for _ in range(100):  # the killed children are reaped by init a moment later
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    shutil.copytree(CONTENT, tmp_path / "c")
    first = _build(tmp_path)
    assert first.returncode == 0, first.stderr
    # The next builds see other content, so a half-swapped site would differ from this one;
    # two new files, so the parse runs in worker processes (the group has children to kill).
    text = (CONTENT / "reports" / "2023" / "jiaoyuju.txt").read_text(encoding="utf-8")
    for year in (2024, 2025):
        (tmp_path / "c" / "reports" / "2024" / f"新增{year}.txt").write_text(text.replace("2023", str(year)),
                                                                          encoding="utf-8")
    return tmp_path


@pytest.mark.slow
def test_kill_9_at_every_stage_keeps_the_previous_site(project: Path) -> None:
    before = _snapshot(project / "out")
    for stage in STAGES:
        proc = _start(project, "--jobs", "2")
        seen, killed = _kill_at(proc, stage)
        assert seen[-1] == stage, f"the build never reached {stage} (saw {seen})"
        if stage == "parse":
            assert killed >= 2, "killed in the parse: the build and its worker processes"
        assert proc.returncode == -signal.SIGKILL
        assert _group_gone(proc.pid), f"processes of the build killed at {stage} are still running"
        after = _snapshot(project / "out")
        if after != before:  # killed after the swap: then it must be the whole new site
            assert stage == "swap", f"killed at {stage}: the site changed"
            assert after == _snapshot(_rebuilt_elsewhere(project)), "killed at swap: a mixture of two sites"
            before = after
    done = _build(project)
    assert done.returncode == 0, done.stderr
    assert not list(project.glob(".out-build-*")), "work folders of killed builds are left behind"
    assert (project / "out" / "data" / "inputs.json").read_bytes() != b""


def _rebuilt_elsewhere(project: Path) -> Path:
    """The complete new site, built from the same content in a folder of its own."""
    other = project / "other"
    if not other.exists():
        other.mkdir()
        shutil.copytree(project / "c", other / "c")
        assert _build(other).returncode == 0
    return other / "out"


def test_build_killed_between_the_two_renames_is_repaired_by_the_next(tmp_path: Path) -> None:
    """Where the kernel cannot exchange two folders the swap is two renames; a build killed
    between them leaves no output folder, and its previous site in the work folder."""
    from gongkai.publish import remove_stray_staging

    out = tmp_path / "out"
    (out / "data").mkdir(parents=True)
    (out / "data" / "inputs.json").write_text("[1]", encoding="utf-8")
    before = _snapshot(out)
    work = tmp_path / ".out-build-x1"
    (work / "site").mkdir(parents=True)
    (work / "site" / "half").write_text("new", encoding="utf-8")
    out.rename(work / "previous")  # the state between the renames
    remove_stray_staging(out)
    assert _snapshot(out) == before
    assert not work.exists()


@pytest.mark.slow
def test_two_builds_at_once_one_refuses_and_the_site_is_whole(project: Path) -> None:
    a = _start(project)
    assert a.stderr is not None
    for line in a.stderr:  # a holds the lock once it is parsing
        if line.startswith("stage: parse"):
            break
    os.killpg(a.pid, signal.SIGSTOP)  # held there, so b surely starts while a builds
    try:
        b = _start(project)
        _, b_err = b.communicate(timeout=120)
    finally:
        os.killpg(a.pid, signal.SIGCONT)
    _, a_rest = a.communicate(timeout=120)
    assert a.returncode == 0, a_rest
    assert b.returncode == 1, b_err
    assert f"another gongkai build (process {a.pid}) is writing this folder; wait for it" in b_err
    assert _snapshot(project / "out") == _snapshot(_rebuilt_elsewhere(project))
    assert not list(project.glob(".out-build-*"))


# ---------------------------------------------------------------- the parse cache


def _cached(tmp_path: Path) -> tuple[list[tuple[Path, str]], Path, object]:
    from gongkai.batch import parse_all
    from gongkai.cache import ParseCache

    src = tmp_path / "reports" / "r.txt"
    src.parent.mkdir(parents=True)
    shutil.copy(CONTENT / "reports" / "2023" / "jiaoyuju.txt", src)
    files = [(src, "reports/r.txt")]
    cache = ParseCache(tmp_path / "cache")
    first = parse_all(files, jobs=1, cache=cache)
    entry = next((tmp_path / "cache").rglob("*.json"))
    return files, entry, first[0].report


def _damage_truncate(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _damage_empty(raw: bytes) -> bytes:
    return b""


def _damage_wrong_shape(raw: bytes) -> bytes:
    import hashlib

    body = b'{"reports": {"agency": 1}}'  # a matching digest line, but not an entry
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _damage_number(raw: bytes) -> bytes:
    import re

    m = re.search(rb'"total": ?(\d+)', raw)  # compact (orjson) or spaced
    assert m is not None
    return raw[: m.start(1)] + str(int(m.group(1)) + 7).encode() + raw[m.end(1):]


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_empty, _damage_wrong_shape, _damage_number])
def test_damaged_cache_entry_is_parsed_again_never_trusted(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    from gongkai.batch import parse_all
    from gongkai.cache import ParseCache

    files, entry, report = _cached(tmp_path)
    entry.write_bytes(damage(entry.read_bytes()))
    parsed: list[str] = []
    again = parse_all(files, jobs=1, cache=ParseCache(tmp_path / "cache"), on_parse=parsed.append)
    assert parsed == ["reports/r.txt"] and not again[0].cached
    assert again[0].report is not None and again[0].report.to_dict() == report.to_dict()  # type: ignore[attr-defined]
    # ... and the entry is whole again: the next run reads it from the cache.
    third = parse_all(files, jobs=1, cache=ParseCache(tmp_path / "cache"))
    assert third[0].cached and third[0].report.to_dict() == report.to_dict()  # type: ignore[union-attr,attr-defined]


def test_cache_writer_killed_before_its_rename_leaves_the_entry_whole(tmp_path: Path) -> None:
    """A worker killed mid-write leaves only its temporary file: the entry under its name
    is the old one or none, and the next run parses and stores it."""
    from gongkai.batch import parse_all
    from gongkai.cache import ParseCache

    files, entry, report = _cached(tmp_path)
    whole = entry.read_bytes()
    code = ("import os, sys, gongkai.cache as c\n"
            "real = os.replace\n"
            "def die(*a):\n    os.kill(os.getpid(), 9)\n"
            "c.os.replace = die\n"
            f"c.ParseCache({str(tmp_path / 'cache')!r}).put({entry.stem!r}, {{'error': {{'kind': 'x', 'reason': 'y'}}}})\n")
    proc = subprocess.run([sys.executable, "-c", code], check=False)
    assert proc.returncode == -signal.SIGKILL
    assert entry.read_bytes() == whole
    assert list(entry.parent.glob("*.tmp")), "the killed writer's temporary file"
    again = parse_all(files, jobs=1, cache=ParseCache(tmp_path / "cache"))
    assert again[0].cached and again[0].report.to_dict() == report.to_dict()  # type: ignore[union-attr,attr-defined]
