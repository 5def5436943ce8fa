"""The build command: exit codes and the lines a user sees."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai import cli

from conftest import FIXTURES, write_project

CONTENT = FIXTURES / "site" / "content"


@pytest.fixture()
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # no project overrides/, output under tmp_path
    return tmp_path


def test_build_prints_one_summary_line(in_tmp: Path) -> None:
    result = CliRunner().invoke(cli.cli, ["build", "--content", str(CONTENT), "--out", "out"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(rf"built out from {re.escape(str(CONTENT))}: 4 reports, 3 agencies, "
                        r"1 with failed checks, 2 rejected in \d+\.\d s, \d+ MB\n", result.stdout)
    assert "warning: " in result.stderr and "scanned.pdf: empty file" in result.stderr
    assert (in_tmp / "out" / "index.html").exists()


def test_the_program_ends_with_its_whole_output_and_exit_code(in_tmp: Path) -> None:
    # main() ends the process without Python's teardown (cli._leave): what it printed must
    # still reach a pipe whole, with the exit code the command gave.
    program = [sys.executable, "-c", "from gongkai.cli import main; main()"]
    built = subprocess.run([*program, "build", "--content", str(CONTENT), "--out", "out", "--strict"],
                           capture_output=True, text=True)
    assert built.returncode == 1
    assert built.stdout.startswith(f"built out from {CONTENT}: 4 reports") and built.stdout.endswith(" MB\n")
    assert "Error: --strict: 5 problem(s) in the content:\n" in built.stderr
    assert "  reports/2023/jiaoyuju.txt: （七）总计：总计 印为 3，六类申请人之和为 4\n" in built.stderr
    assert built.stderr.endswith(" and none of its tables)\n")
    report = str(CONTENT / "reports" / "2023" / "jiaoyuju.txt")
    parsed = subprocess.run([*program, "parse", report], capture_output=True, text=True)
    assert parsed.returncode == 0, parsed.stderr
    assert parsed.stdout == CliRunner().invoke(cli.cli, ["parse", report]).stdout
    assert len(parsed.stdout) > 1000
    usage = subprocess.run([*program, "nosuch"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such command 'nosuch'" in usage.stderr


def test_strict_build_lists_rejected_files_and_failed_checks(in_tmp: Path) -> None:
    result = CliRunner().invoke(cli.cli, ["build", "--content", str(CONTENT), "--out", "out", "--strict"])
    assert result.exit_code == 1
    assert "Error: --strict: 5 problem(s) in the content:\n" in result.stderr
    assert "  reports/2023/scanned.pdf: empty file\n" in result.stderr
    assert "  reports/2023/jiaoyuju.txt: （七）总计：总计 印为 3，六类申请人之和为 4\n" in result.stderr


def test_build_without_originals(in_tmp: Path) -> None:
    """publish_originals: false (for corpora whose PDFs would not fit GitHub Pages), as the
    plugin's option in the project's mkdocs.yml, found in the working folder."""
    import json

    write_project(in_tmp, CONTENT, {"publish_originals": False})
    result = CliRunner().invoke(cli.cli, ["build", "--out", "out"])
    assert result.exit_code == 0, result.output
    assert not (in_tmp / "out" / "originals").exists()
    inputs = json.loads((in_tmp / "out" / "data" / "inputs.json").read_text(encoding="utf-8"))
    assert inputs and all(i["original"] is None for i in inputs)
    pages = [p.read_text(encoding="utf-8") for p in (in_tmp / "out").rglob("index.html")]
    assert not any("originals/" in p for p in pages)
    published = next(i for i in inputs if i["url"])
    report_page = (in_tmp / "out" / published["url"] / "index.html").read_text(encoding="utf-8")
    assert f'title="SHA-256 {published["sha256"]}">原始文件未随本站发布' in report_page


def test_site_too_large_for_github_pages_says_what_to_do() -> None:
    from gongkai.publish import SiteSize

    assert SiteSize(total=999_000_000, originals=700_000_000).warning() is None
    assert SiteSize(total=2_400_000_000, originals=1_900_000_000).warning() == (
        "the site is 2.40 GB, more than GitHub Pages publishes (1 GB): set publish_originals: false in "
        "mkdocs.yml (the original files are 1.90 GB of it) or build one site per region (docs/scaling.md)")


def test_site_size_counts_every_file_and_the_originals_apart(tmp_path: Path) -> None:
    from gongkai.publish import SiteSize

    for rel, n in (("index.html", 10), ("originals/a/b.pdf", 300), ("originals/c.txt", 5),
                   ("data/originals/not-them.csv", 7), ("a/b/c/index.html", 20)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x" * n)
    assert SiteSize.of(tmp_path) == SiteSize(total=342, originals=305)


def test_missing_content_folder_is_one_line(in_tmp: Path) -> None:
    result = CliRunner().invoke(cli.cli, ["build", "--content", "nowhere"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: nowhere: no reports/ folder here; put the report files in "
                             "nowhere/reports or pass --content DIR\n")


def test_output_folder_that_is_not_a_site_is_left_alone(in_tmp: Path) -> None:
    (in_tmp / "docs").mkdir()
    (in_tmp / "docs" / "notes.md").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(cli.cli, ["build", "--content", str(CONTENT), "--out", "docs"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: docs: exists and is not a gongkai site; empty it or choose "
                             "another --out\n")
    assert (in_tmp / "docs" / "notes.md").read_text(encoding="utf-8") == "mine"


def test_serve_watches_the_content_folder(tmp_path: Path) -> None:
    """mkdocs serve watches docs_dir, mkdocs.yml and the theme; the plugin adds the
    content folder (reports and agencies.yml)."""
    from gongkai.build import load_mkdocs_config
    from gongkai.settings import Settings

    project = write_project(tmp_path, CONTENT)
    config, plugin = load_mkdocs_config(Settings(config_file=project))
    plugin.on_config(config)
    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    server = Server()
    assert plugin.on_serve(server, config, builder=None) is server
    assert watched == [str(CONTENT.resolve())]
