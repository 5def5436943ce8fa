"""The content folder is not a way out (issue 16, item 4): links, odd entries and hostile
file names, on a built site made from a tree the test makes itself."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from lxml import html

from gongkai.build import BuildResult, build_site
from gongkai.settings import Settings

from conftest import FIXTURES

REPORT = (FIXTURES / "site" / "content" / "reports" / "2023" / "jiaoyuju.txt").read_text(encoding="utf-8")
AGENCY = "乌拉特中旗教育局"
SECRET = "本行来自内容文件夹之外：绝不能出现在站点里"
LONG_AGENCY = "内蒙古自治区" + "巴彦淖尔市乌拉特中旗" * 400 + "教育局"  # 4,000 characters
NAMES = {
    "markup": '<b onmouseover=alert(1)>局</b>',
    "quotes": "\"双引号\" 'single'",
    "newline": "第一行\n第二行",
    "link": "[点我](javascript:alert(1))",
    "long": "很长的名字" * 15,  # 225 bytes of UTF-8 in one name
}


def _name(key: str) -> str:
    # '/' cannot be in a file name: the markup's end tag becomes a lookalike.
    return NAMES[key].replace("/", "∕") + ".txt"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("hostile")
    outside = root / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.txt").write_text(REPORT.replace("本年度报告", SECRET + "。本年度报告"), encoding="utf-8")
    (outside / "folder" / "inner.txt").write_text(REPORT.replace("本年度报告", SECRET + "。本年度报告")
                                                  .replace("2023", "2022"), encoding="utf-8")
    reports = root / "content" / "reports"
    (reports / "2023").mkdir(parents=True)
    os.symlink(outside / "secret.txt", reports / "2023" / "link-out.txt")
    os.symlink("../../outside/folder", reports / "linked-folder")
    os.symlink(outside / "gone.txt", reports / "2023" / "dangling.txt")
    os.symlink("/etc/passwd", reports / "2023" / "passwd.txt")
    os.mkfifo(reports / "2023" / "pipe.txt")  # read_bytes() of a FIFO would wait forever
    for i, key in enumerate(NAMES):
        (reports / "2023" / _name(key)).write_text(REPORT.replace("2023", str(2024 + i)) if key != "long"
                                                   else REPORT.replace(AGENCY, "另一个局"), encoding="utf-8")
    # The recogniser looks for a title in a paragraph's first 400 characters: the name of
    # thousands comes from agencies.yml, as the display name of the printed one.
    (reports / "2023" / "long-agency.txt").write_text(REPORT.replace(AGENCY, "长名机关"), encoding="utf-8")
    (root / "content" / "agencies.yml").write_text(f"- name: {LONG_AGENCY}\n  aliases: [长名机关]\n",
                                                   encoding="utf-8")
    settings = Settings(content_dir=root / "content", out_dir=root / "site", cache_dir=None, jobs=1)
    return build_site(settings)


def _inputs(built: BuildResult) -> dict[str, dict]:
    data = json.loads((built.out_dir / "data" / "inputs.json").read_text(encoding="utf-8"))
    return {i["path"]: i for i in data}


def test_links_and_pipes_are_listed_with_a_reason_never_followed(built: BuildResult) -> None:
    inputs = _inputs(built)
    for path in ("reports/2023/link-out.txt", "reports/2023/dangling.txt", "reports/2023/passwd.txt"):
        assert inputs[path]["status"] == "rejected"
        assert inputs[path]["reason"] == "symbolic link, not followed; copy the file itself into content/reports/"
    assert inputs["reports/linked-folder"]["reason"].startswith("symbolic link to a folder, not followed")
    assert inputs["reports/2023/pipe.txt"]["reason"].startswith("not a regular file")
    for f in built.out_dir.rglob("*"):
        if f.is_file():
            data = f.read_bytes()
            assert SECRET.encode() not in data and b"root:x:0:0" not in data, f
    assert not any(inp["original"] for p, inp in inputs.items() if "link" in p or "passwd" in p)


def test_hostile_file_names_are_listed_escaped_and_break_nothing(built: BuildResult) -> None:
    inputs = _inputs(built)
    for key in NAMES:
        path = f"reports/2023/{_name(key)}"
        assert path in inputs, key  # listed with the name as it is, in the data
        assert inputs[path]["status"] in ("parsed", "issues", "duplicate"), (key, inputs[path])
    quality = (built.out_dir / "quality" / "index.html").read_text(encoding="utf-8")
    pages = [quality] + [p.read_text(encoding="utf-8") for p in (built.out_dir / "quality").glob("*/index.html")]
    every = "\n".join(pages)
    assert "<b onmouseover" not in every and 'href="javascript' not in every
    for page in pages:
        tree = html.fromstring(page)
        assert not tree.xpath("//*[@onmouseover]")
    shown = "".join(html.fromstring(p).text_content() for p in pages)
    for key in ("markup", "quotes", "link", "long"):
        assert _name(key) in shown, key
    # Every written file's name is made of ids and hashes: short, whatever the inputs' names.
    for f in built.out_dir.rglob("*"):
        rel = f.relative_to(built.out_dir).as_posix()
        assert len(rel.encode()) < 200 and all(len(part.encode()) <= 100 for part in rel.split("/")), rel


def test_an_agency_name_of_thousands_of_characters_gets_a_bounded_id(built: BuildResult) -> None:
    long_one = _inputs(built)["reports/2023/long-agency.txt"]
    assert long_one["status"] in ("parsed", "issues"), long_one
    url = long_one["url"]
    assert len(url) < 120, url
    page = html.fromstring((built.out_dir / url / "index.html").read_text(encoding="utf-8"))
    assert LONG_AGENCY in page.text_content()


def test_discovery_skips_hidden_entries_and_sidecars_and_sorts_at_any_depth(tmp_path: Path) -> None:
    from gongkai.site import discover_inputs

    for rel in ("b/2.txt", "a/z/1.pdf", "a/10.txt", "a/9.txt", ".hidden.txt", ".git/x.txt",
                "a/.~lock.docx", "a/10.txt.yml", "c.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "a", tmp_path / "b" / "a-again")
    found, refused = discover_inputs(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a/10.txt", "a/9.txt", "a/z/1.pdf", "b/2.txt",
                                                                    "c.html"]
    assert [(p.relative_to(tmp_path).as_posix(), reason.split(";")[0]) for p, reason in refused] == [
        ("b/a-again", "symbolic link to a folder, not followed")]
