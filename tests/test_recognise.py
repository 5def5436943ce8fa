"""Recognition across text shapes, layouts and traps (spec/report-format.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.errors import LayoutNotRecognised, NotAReport
from gongkai.parse import parse_bytes, parse_file

from conftest import FIXTURES, assert_matches_gold, load_gold

REPORTS = FIXTURES / "reports"
SEED000 = (FIXTURES / "seeds" / "000_9df66e4b50998407.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fixture", "gold"),
    [
        ("hongze-2024-pipes.md", "hongze-2024"),
        ("hongze-2023-layout.txt", "hongze-2023"),
        ("seed000-gb18030.txt", "000_9df66e4b50998407"),
        ("seed001-utf8-bom.txt", "001_d4f942acfa28bc64"),
        ("seed002-big5.txt", "002_5ead8cc1c8ee6d6d"),
    ],
)
def test_text_shapes_and_encodings_match_gold(fixture: str, gold: str, schema_validator) -> None:
    report = parse_file(REPORTS / fixture).to_dict()
    assert_matches_gold(report, load_gold(gold))
    schema_validator.validate(report)


def test_2019_layout_every_value(schema_validator) -> None:
    report = parse_file(REPORTS / "b2019_cell_per_line.txt")
    d = report.to_dict()
    schema_validator.validate(d)
    expected = json.loads((FIXTURES / "expected" / "b2019_cell_per_line.json").read_text(encoding="utf-8"))
    for key in ("agency", "year", "format", "active_disclosure", "requests", "review_litigation"):
        assert d[key] == expected[key], key
    # a negative 本年增/减, a full-width minus, and a procurement amount printed in 元
    assert d["active_disclosure"]["licensing"]["change"] == -3
    assert d["active_disclosure"]["enforcement"]["change"] == -1
    assert d["active_disclosure"]["procurement"]["amount"] == pytest.approx(7539.443252)
    assert d["requests"]["other"] == {"natural_person": 1, "commercial_enterprise": 0, "research_institution": 0,
                                     "social_welfare_organization": 0, "legal_service_organization": 1,
                                     "other_organization": 0, "total": 2}
    assert report.failed_checks == [] and report.warnings == ()


def _replace_cell(text: str, label: str, index: int, new: str) -> str:
    """Replace the ``index``-th value cell after ``label`` in cell-per-line text."""
    start = text.index(label)
    pos = start
    for _ in range(index + 1):
        pos = text.index("\n\t", pos + 1)
    end = text.index("\n", pos + 1)
    return text[: pos + 2] + new + text[end:]


def test_blank_cell_is_null_and_unreadable_cell_warns() -> None:
    text = _replace_cell(SEED000, "二、上年结转政府信息公开申请数量", 2, "")
    text = _replace_cell(text, "（一）予以公开", 0, "1O")
    report = parse_bytes(text.encode(), Path("blank.txt"))
    assert report.requests["carried_over"]["research_institution"] is None
    assert report.requests["carried_over"]["commercial_enterprise"] == 0
    assert report.requests["granted"]["natural_person"] is None
    assert any("unreadable cell '1O'" in w and "予以公开" in w for w in report.warnings)
    assert not any("上年结转" in w for w in report.warnings)  # a blank is no warning
    # the row with a blank is not checked by the rule that needs it; nothing is guessed
    assert not [c for c in report.checks if c.rule == "requests.row_total" and c.where == "carried_over"]


def test_placeholder_dashes_are_blank_and_thousands_are_joined() -> None:
    text = _replace_cell(SEED000, "行政许可", 0, "3 771")
    text = _replace_cell(text, "行政处罚", 0, "—")
    text = _replace_cell(text, "行政强制", 0, "1,204")
    report = parse_bytes(text.encode(), Path("x.txt"))
    a = report.active_disclosure
    assert (a["licensing"], a["penalty"], a["enforcement"]) == (3771, None, 1204)
    assert report.warnings == ()


def test_label_typo_still_matches_by_similarity_and_order() -> None:
    text = SEED000.replace("2.其他法律行政法规禁止公开", "2.其他法律行政止公开")
    text = _replace_cell(text, "2.其他法律行政止公开", 0, "7")
    report = parse_bytes(text.encode(), Path("typo.txt"))
    assert report.requests["denied_prohibited_by_law"]["natural_person"] == 7
    assert report.requests["denied_state_secret"]["natural_person"] == 0


def test_failed_check_keeps_printed_value() -> None:
    text = _replace_cell(SEED000, "（七）总计", 6, "5")
    report = parse_bytes(text.encode(), Path("bad.txt"))
    assert report.requests["total"]["total"] == 5
    failed = {(c.rule, c.where, c.expected, c.found) for c in report.failed_checks}
    assert ("requests.row_total", "total", 0, 5) in failed
    assert ("requests.outcome_total", "total", 0, 5) in failed
    assert ("requests.balance", "total", 0, 5) in failed


def test_not_a_report() -> None:
    with pytest.raises(NotAReport, match="not an annual government-information-disclosure report"):
        parse_bytes("关于开展安全生产检查的通知\n各单位：请于下周完成检查。".encode(), Path("notice.txt"))


def test_report_without_tables_names_them() -> None:
    prose = SEED000[: SEED000.index("二、主动公开政府信息情况")]
    with pytest.raises(LayoutNotRecognised, match=r"tables not found: 二 \(table A\), 三 \(table B\), 四 \(table C\)"):
        parse_bytes(prose.encode(), Path("prose.txt"))


def test_report_missing_table_c_names_it() -> None:
    cut = SEED000[: SEED000.index("四、政府信息公开行政复议")] + SEED000[SEED000.index("五、存在的主要问题"):]
    with pytest.raises(LayoutNotRecognised, match=r"tables not found: 四 \(table C\); table A \(主动公开\) found \(\d+ rows\); table B \(申请\) found \(\d+ rows\); no table C: no 行政复议…行政诉讼 header and no part 四 heading"):
        parse_bytes(cut.encode(), Path("noc.txt"))


def test_agency_fuller_name_from_compiler_sentence_only() -> None:
    # hongze-2023 prints "洪泽区人民政府" in its title; the introduction says the report
    # was compiled by 淮安市洪泽区人民政府办公室. Seed 004's contact line names
    # 包头市石拐区政务服务局 and must not extend its title's name.
    assert parse_file(FIXTURES / "seeds" / "004_0b8901f0c9a4b364.txt").agency == "石拐区政务服务局"


def test_2019_layout_html_every_value(schema_validator) -> None:
    report = parse_file(FIXTURES / "html2019" / "report-2019-layout-2020.html")
    d = report.to_dict()
    schema_validator.validate(d)
    expected = json.loads((FIXTURES / "expected" / "report-2019-layout-2020.json").read_text(encoding="utf-8"))
    for key in ("agency", "year", "format", "active_disclosure", "requests", "review_litigation"):
        assert d[key] == expected[key], key
    a = d["active_disclosure"]
    # the layout is decided by the table (a 2020 report in the 2019 layout)
    assert (d["year"], d["format"]) == (2020, "2019")
    assert a["licensing"] == {"previous_items": 31, "change": -2, "decisions": 3408}
    assert a["penalty"]["change"] == 5
    assert a["procurement"] == {"items": 15, "amount": 128.05}  # 1280500元 -> 万元
    assert d["requests"]["other"]["total"] == 1
    assert all(d["requests"][k] is None for k in ("other_no_correction", "other_unpaid_fee", "other_other"))
    assert report.failed_checks == [] and report.warnings == () and report.flags == ()


def _all_values(table) -> list:
    out = []
    for v in table.values():
        if isinstance(v, dict):
            out.extend(v.values())
        else:
            out.append(v)
    return out


def test_blank_official_template_gives_no_invented_numbers() -> None:
    from gongkai.read import read_document
    from gongkai.read.document import Document, Paragraph
    from gongkai.recognise import recognise

    path = FIXTURES / "docx" / "template-2021-blank.docx"
    # As distributed the template has no agency or year: it is not a report.
    with pytest.raises(NotAReport, match="no report title naming the agency"):
        parse_file(path)
    # Filled in with a title only, its tables hold no number at all.
    doc = read_document(path)
    titled = Document((Paragraph("某某镇人民政府2023年政府信息公开工作年度报告"),) + doc.blocks, doc.kind)
    found = recognise(titled, path)
    assert found.format == "2021"
    values = _all_values(found.active_disclosure) + _all_values(found.review_litigation)
    values += [v for row in found.requests.values() if row for v in row.values()]
    assert len(values) == 10 + 15 + 25 * 7  # table A, C, and the 25 printed rows of B
    assert all(v is None for v in values)
    # every printed row of table B was found (as blank rows), none invented
    assert [k for k, v in found.requests.items() if v is None] == ["other"]


@pytest.mark.parametrize("name", ["docx/report-2021-merged", "html/report-2021-gbk"])
def test_docx_and_html_fixtures_every_value(name: str, schema_validator) -> None:
    ext = ".docx" if name.startswith("docx") else ".html"
    report = parse_file(FIXTURES / f"{name}{ext}")
    d = report.to_dict()
    schema_validator.validate(d)
    expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    assert_matches_gold(d, expected)
    assert report.failed_checks == []
