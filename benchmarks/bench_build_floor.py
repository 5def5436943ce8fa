"""Whole build against MkDocs' own floor, same run: N text reports vs N near-empty pages.

The figure issue 11 asked for: gongkai's whole build (parse, gather, render, MkDocs, data,
Pagefind) of a generated corpus of N text reports, no cache, against MkDocs + Material
building a project of the same number of pages that hold only a title. Both run as
fresh processes, alternately, ``--rounds`` times; the best of each is kept. Figures are
CPU seconds of the whole process tree (parse workers and Pagefind included) and wall
seconds; the ratio of CPU time is the one that holds on a shared machine. The warm
build (every file from the parse cache the cold one left) is timed too.

Both build into an output folder that does not exist yet, as a deploy from a fresh clone
does; ``--over-existing`` times them over the site their previous build left instead,
which each then removes in its time (gongkai's ~4,800 files of a 1,000-report site:
~0.8 s on the machine of docs/scaling.md, MkDocs' 1,287 pages ~0.25 s).

Nothing is deleted between the rounds: the previous output and parse cache are moved
aside and removed after the last round. On a file system like this machine's (ext4
without a journal) the kernel will not reuse an inode freed in the last 1–6 minutes and
scans past every such one for each file it creates, so a build started right after
removing thousands of files paid ~1 ms of kernel time a file (measured: 5,000 files in
5 s, 0.2 s on tmpfs), growing with the files removed times the files written — a cost
of the removal, not of either builder. ``--delete-between`` removes them as before.
The same holds for anything removed just before a run — the previous run's set-aside
outputs (~40,000 files, removed at its end), a virtualenv, a test run's folders: on such
a file system start a run at least six minutes after them.

Run: ``.venv/bin/python benchmarks/bench_build_floor.py [--reports 1000] [--rounds 2] [--over-existing] [--delete-between]``
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import gongkai

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out" / "build-floor"


def corpus(n: int, seed: int) -> Path:
    folder = OUT / f"corpus-{n}-txt-seed{seed}"
    if (folder / "reports").is_dir():
        return folder
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run([sys.executable, str(HERE / "gen_corpus.py"), "--reports", str(n), "--seed", str(seed),
                    "--mix", "txt=100", "--out", str(tmp)], check=True)
    tmp.rename(folder)
    return folder


def set_aside(path: Path, trash: Path | None) -> None:
    """Remove ``path``, or move it into ``trash`` (removed after the last round)."""
    if trash is None:
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        trash.mkdir(exist_ok=True)
        path.rename(trash / f"{len(list(trash.iterdir()))}-{path.name}")


def timed(cmd: list[str], cwd: Path, out: Path, cold: bool = True, fresh: bool = True,
          trash: Path | None = None) -> tuple[float, float]:
    """(wall, CPU of the process tree) of one command run to its end, from no parse cache
    (``cold``) or from the one the previous build left; into an output folder that does
    not exist yet (``fresh``, as a deploy from a fresh clone builds) or over the site the
    previous build left (both builders then remove the old one in their time). The old
    cache and output are moved into ``trash`` (see the module's docstring), or removed
    when it is None."""
    if cold:
        set_aside(cwd / ".gongkai-cache", trash)
    if fresh:
        set_aside(out, trash)
    os.sync()  # the removals' writes not in the timed run
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def floor_project(folder: Path, pages: int) -> None:
    """A MkDocs + Material project of ``pages`` pages holding only a title, configured as
    gongkai's default site is (no fonts fetched, no search plugin), with a small nav."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    for i in range(1, pages):
        d = docs / "p" / f"{i // 500}"
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{i}.md").write_text(f"# 第 {i} 页\n", encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: floor\n"
        "theme:\n  name: material\n  language: zh\n  font: false\n"
        "plugins: []\n"
        "nav:\n  - 首页: index.md\n",
        encoding="utf-8",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--over-existing", action="store_true",
                    help="build over the previous build's site (default: into a folder that does not exist yet)")
    ap.add_argument("--delete-between", action="store_true",
                    help="remove the previous output and cache right before each build (default: move them "
                         "aside and remove them after the last round)")
    args = ap.parse_args()

    bin_dir = Path(sys.executable).parent
    content = corpus(args.reports, args.seed)
    work = Path(tempfile.mkdtemp(prefix="gongkai-floor-"))
    try:
        site = work / "site"
        gongkai_cmd = [str(bin_dir / "gongkai"), "build", "--content", str(content), "--out", str(site)]
        # gongkai's modules byte-compiled, as MkDocs' are: pip compiles what it installs,
        # but not an editable install's source, and where PYTHONDONTWRITEBYTECODE is set (as
        # on this machine) every build would compile gongkai afresh (0.16 s of a build).
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(gongkai.__file__).parent)], check=True)
        # One build first, to count its pages (and warm the OS file cache for both sides).
        subprocess.run(gongkai_cmd, cwd=work, check=True, stdout=subprocess.DEVNULL)
        pages = sum(1 for _ in site.rglob("index.html"))
        floor_project(work / "floor", pages)
        floor_cmd = [str(bin_dir / "mkdocs"), "build", "--quiet", "--site-dir", str(work / "floor-site")]
        best: dict[str, tuple[float, float]] = {}
        for _ in range(args.rounds):
            # the warm build right after the cold one: every file from the parse cache
            for name, cmd, cwd in (("gongkai", gongkai_cmd, work), ("warm", gongkai_cmd, work),
                                   ("floor", floor_cmd, work / "floor")):
                wall, cpu = timed(cmd, cwd, site if name != "floor" else work / "floor-site",
                                  cold=name != "warm", fresh=not args.over_existing,
                                  trash=None if args.delete_between else work / "trash")
                prev = best.get(name)
                best[name] = (min(wall, prev[0]) if prev else wall, min(cpu, prev[1]) if prev else cpu)
        g, w, f = best["gongkai"], best["warm"], best["floor"]
        result = {
            "reports": args.reports, "pages": pages, "rounds": args.rounds, "cores": os.cpu_count(),
            "over_existing": args.over_existing, "delete_between": args.delete_between,
            "loadavg_end": os.getloadavg(),
            "gongkai_wall_s": g[0], "gongkai_cpu_s": g[1], "floor_wall_s": f[0], "floor_cpu_s": f[1],
            "ratio_cpu": g[1] / f[1], "ratio_wall": g[0] / f[0],
            "warm_wall_s": w[0], "warm_cpu_s": w[1], "warm_ratio_wall": w[0] / f[0], "warm_ratio_cpu": w[1] / f[1],
        }
        print(f"{args.reports} text reports -> {pages} pages; best of {args.rounds} (fresh processes, "
              f"{'over the previous site' if args.over_existing else 'into a new output folder'}, "
              f"{'removed right before each build' if args.delete_between else 'old outputs set aside'})")
        print(f"{'':24}{'wall s':>9}{'CPU s':>9}")
        print(f"{'gongkai build, cold':24}{g[0]:>9.1f}{g[1]:>9.1f}")
        print(f"{'gongkai build, warm':24}{w[0]:>9.1f}{w[1]:>9.1f}")
        print(f"{'mkdocs, empty pages':24}{f[0]:>9.1f}{f[1]:>9.1f}")
        print(f"{'cold (x floor)':24}{g[0] / f[0]:>9.2f}{g[1] / f[1]:>9.2f}")
        print(f"{'warm (x floor)':24}{w[0] / f[0]:>9.2f}{w[1] / f[1]:>9.2f}")
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / f"result-{args.reports}.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
