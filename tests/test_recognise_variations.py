"""Real reports as agencies really publish them (spec: "Variation across real reports").

``fixtures/real2/`` are real web pages, pages saved as PDF and DOCX, and an archive's
damaged text extractions, each with its expected values in ``fixtures/gold/``.
``fixtures/variations/`` are real reports changed in one way real reports differ
(written by ``fixtures/make_variation_fixtures.py``; ``manifest.json`` says what each
must give).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from gongkai.errors import PreLayoutReport
from gongkai.parse import parse_file

from conftest import FIXTURES, assert_matches_gold, load_gold

REAL2 = FIXTURES / "real2"
VARIATIONS = FIXTURES / "variations"
MANIFEST = json.loads((VARIATIONS / "manifest.json").read_text(encoding="utf-8"))

# Glued-digit runs of table A that no arithmetic can split (table A has no sums): left
# blank with a warning. Every other cell of every real2 file is read exactly.
UNPROVABLE = {
    "h08.txt": {"normative_documents": "5730"},
    "h12.txt": {"normative_documents": "1024"},
    "h15.txt": {"normative_documents": "2433"},
    "h20.txt": {"normative_documents": "2159165"},
}


def _leaves(d: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(d, dict):
        out: dict[str, Any] = {}
        for k, v in d.items():
            out.update(_leaves(v, f"{prefix}.{k}" if prefix else k))
        return out
    return {prefix: d}


def _without(gold: dict[str, Any], cells: list[str]) -> dict[str, Any]:
    """The gold with the listed cells (table.row.column) set to None."""
    g = json.loads(json.dumps(gold))
    for cell in cells:
        table, row, *col = cell.split(".")
        if col:
            g[table][row][col[0]] = None
        else:
            g[table][row] = None
    return g


def _stem(name: str) -> str:
    return re.split(r"[-.]", name)[0]


@pytest.mark.parametrize("name", sorted(p.name for p in REAL2.iterdir() if p.suffix in (".txt", ".html", ".docx", ".pdf")))
def test_real2_parses_to_gold(name: str, schema_validator) -> None:
    report = parse_file(REAL2 / name).to_dict()
    schema_validator.validate(report)
    unprovable = UNPROVABLE.get(name, {})
    blank = [f"active_disclosure.{row}.{col}" for row in unprovable for col in ("issued", "repealed", "in_force")]
    assert_matches_gold(report, _without(load_gold(_stem(name)), blank))
    for run in unprovable.values():
        assert any(f"row 行政规范性文件: digits run together ({run!r})" in w and "left blank" in w
                   for w in report["warnings"]), report["warnings"]
    assert [c for c in report["checks"] if not c["passed"]] == []


@pytest.mark.parametrize("name", ["h05.txt", "h08.txt", "h11.txt", "h12.txt", "h15.txt", "h20.txt"])
def test_glued_cells_are_marked_as_recovered_by_arithmetic(name: str) -> None:
    report = parse_file(REAL2 / name)
    notes = {(n.table, n.row, n.column) for n in report.value_notes}
    assert {n.how for n in report.value_notes} == {"arithmetic"}
    # (七)总计 printed run together in every file: each of its seven cells is marked
    total_run = re.search(r"（七）总计 ?([\d ]+?)四、", (REAL2 / name).read_text(encoding="utf-8")).group(1)
    if " " not in total_run.strip():
        assert all(("requests", "total", c) in notes for c in report.requests["total"])
    # a value the report printed with spaces is read, not marked
    if name == "h20.txt":
        assert not any(n[0] == "review_litigation" for n in notes)


def test_chrome_never_becomes_title_or_agency() -> None:
    for name in ("h11.html", "h11-chrome.pdf", "h11-lo.docx", "h15.html", "h15-chrome.pdf", "h08.txt",
                 "../variations/chrome-no-class-names.html"):
        report = parse_file(REAL2 / name)
        name = Path(name).name.replace("chrome-no-class-names", "h15")
        gold = load_gold(_stem(name))
        assert report.agency == gold["agency"], name
        assert report.title == f"{gold['agency']}{gold['year']}{'年度' if name == 'h08.txt' else '年'}政府信息公开工作年度报告"
        for part in ("general", "problems", "other"):
            text = getattr(report.sections, part)
            assert text, (name, part)
            for chrome in ("当前位置", "首页", "扫一扫", "附件下载", "浏览器", "分享"):
                assert chrome not in text, (name, part, chrome)


@pytest.mark.parametrize("case", [c for c in MANIFEST if c["class"] != "prelayout"], ids=lambda c: c["file"])
def test_variation_parses(case: dict[str, Any], schema_validator) -> None:
    report = parse_file(VARIATIONS / case["file"])
    d = report.to_dict()
    schema_validator.validate(d)
    gold = _without(load_gold(case["gold"]), case.get("blank", []))
    for key, row in case.get("values", {}).items():
        table, r = key.split(".")
        gold[table][r] = dict(zip(gold[table][r], row))
    assert_matches_gold(d, gold)
    if "title" in case:
        assert report.title == case["title"]
    if "warning" in case:
        assert any(case["warning"] in w for w in report.warnings), report.warnings
    if "sections_as" in case:
        base = parse_file(FIXTURES / "seeds" / f"{case['sections_as']}.txt")
        assert report.sections == base.sections
    for text in case.get("general_contains", []):
        assert text in report.sections.general
    for table, row, column, how, note in case.get("notes", []):
        assert any((n.table, n.row, n.column, n.how, n.note) == (table, row, column, how, note)
                   for n in report.value_notes), report.value_notes


def test_two_valid_splits_stay_blank() -> None:
    report = parse_file(VARIATIONS / "glued-two-splits.txt")
    assert report.requests["granted"] == {c: None for c in report.requests["granted"]}
    assert report.requests["partially_granted"] == {c: None for c in report.requests["partially_granted"]}
    assert all(v is None for g in report.review_litigation.values() for v in g.values())
    assert any("予以公开: digits run together ('110000011') allow 2 splits" in w for w in report.warnings)
    assert any("table C (复议诉讼): digits run together ('0101213001211300000') split 2 ways" in w
               for w in report.warnings)
    # the rows the sums do prove are read and marked
    assert report.requests["total"]["total"] == 32
    assert any((n.row, n.column, n.how) == ("total", "total", "arithmetic") for n in report.value_notes)


def test_report_before_the_fixed_layout_has_its_own_reason() -> None:
    [case] = [c for c in MANIFEST if c["class"] == "prelayout"]
    with pytest.raises(PreLayoutReport) as e:
        parse_file(VARIATIONS / case["file"])
    assert (e.value.agency, e.value.year) == (case["agency"], case["year"])
    assert "2016 report of " + case["agency"] in str(e.value)
    assert "tables not found" not in str(e.value)


# ---------------------------------------------------------------- titles, one line each

AG = "平潭综合实验区自然资源与生态环境局"


@pytest.mark.parametrize(("lines", "title", "agency", "year"), [
    ([f"{AG}2024年政府信息公开工作年度报告"], f"{AG}2024年政府信息公开工作年度报告", AG, 2024),
    ([f"2019年{AG}政府信息公开工作年度报告"], f"2019年{AG}政府信息公开工作年度报告", AG, 2019),
    ([f"关于{AG}2024年度政府信息公开工作年度报告"], f"关于{AG}2024年度政府信息公开工作年度报告", AG, 2024),
    ([f"{AG}关于2024年度政府信息公开工作的报告"], f"{AG}关于2024年度政府信息公开工作的报告", AG, 2024),
    ([f"{AG}2024年政务公开工作年度报告"], f"{AG}2024年政务公开工作年度报告", AG, 2024),
    ([f"{AG}2024年政府信息公开工作年度报告（超链版）"], f"{AG}2024年政府信息公开工作年度报告（超链版）", AG, 2024),
    ([f"{AG}2024年政府信息公开工作年度报告(图解)"], f"{AG}2024年政府信息公开工作年度报告(图解)", AG, 2024),
    (["平潭综合实验区", "自然资源与生态环境局", "2024年政府信息公开", "工作年度报告"],
     f"{AG}2024年政府信息公开工作年度报告", AG, 2024),
    ([" ".join(AG) + " 2 0 2 4 年 政 府 信 息 公 开 工 作 年 度 报 告"], f"{AG}2024年政府信息公开工作年度报告", AG, 2024),
    ([f"标题: {AG}2024年政府信息公开工作年度报告"], f"{AG}2024年政府信息公开工作年度报告", AG, 2024),
    ([f"当前位置：首页 > 政务公开 > 政府信息公开年报 {AG}2024年政府信息公开工作年度报告 来源：{AG} 时间：2025-01-27"],
     f"{AG}2024年政府信息公开工作年度报告", AG, 2024),
    (["政府信息公开年报", f"{AG}2024年政府信息公开工作年度报告"], f"{AG}2024年政府信息公开工作年度报告", AG, 2024),
    ([f"根据上级要求，现将{AG}2024年政府信息公开工作年度报告公布如下。"],
     f"{AG}2024年政府信息公开工作年度报告", AG, 2024),
])
def test_title_forms(lines: list[str], title: str, agency: str, year: int) -> None:
    from gongkai.recognise.context import Context
    from gongkai.recognise.title import find_title

    ctx = Context()
    assert find_title(lines, ctx, "x.txt") == (title, agency, year)
    assert ctx.warnings == []


@pytest.mark.parametrize("sentence", [
    f"本报告由{AG}编制。",
    f"为做好信息公开工作，{AG}根据《条例》要求编制本报告。",
    f"按照上级要求，{AG}编制了2024年度政务公开工作报告。",
])
def test_agency_from_the_compiler_sentence_says_so(sentence: str) -> None:
    from gongkai.recognise.context import Context
    from gongkai.recognise.title import find_title

    ctx = Context()
    _, agency, year = find_title([sentence + "统计期限为2024年1月1日至2024年12月31日。"], ctx, "x.txt")
    assert (agency, year) == (AG, 2024)
    assert any("taken from the introduction's compiler sentence" in w for w in ctx.warnings)


def test_no_title_message_says_what_was_found() -> None:
    from gongkai.errors import NotAReport
    from gongkai.recognise.context import Context
    from gongkai.recognise.title import find_title

    with pytest.raises(NotAReport) as e:
        find_title(["政府信息公开年报", "首页", "本机关年度报告如下。"], Context(), "x.txt")
    assert e.value.reason == ("no report title naming the agency ('<机关>XXXX年政府信息公开工作年度报告'): "
                              "3 paragraphs before part 一, none a title; nearest '本机关年度报告如下。'; "
                              "no compiler sentence ('本报告由X编制', 'X编制了…报告')")
