"""Tables printed without ruling lines: Word/LibreOffice's borderless default and
three-line tables, rebuilt from the text's geometry.

The fixtures are the official 2021 template filled with 洪泽区人民政府's real 2023 and
2024 reports and exported by LibreOffice (``tests/fixtures/make_pdf_fixtures.py``);
``<name>.json`` holds the values printed in them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import assert_matches_gold

from gongkai.parse import parse_bytes
from gongkai.read.document import Document, Table
from gongkai.read.pdf import read
from gongkai.read.pdf.geometry import read_pages
from gongkai.read.pdf.rulings import shapes_to_edges

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
NAMES = ["borderless-2023", "three-line-2024"]


def _doc(name: str) -> Document:
    path = FIXTURES / f"{name}.pdf"
    return read(path.read_bytes(), path)


def _rows(doc: Document) -> list[tuple[str, ...]]:
    return [r for t in doc.tables for r in t.rows]


def _row(doc: Document, label: str) -> tuple[str, ...]:
    """The one row having a cell that is ``label`` once line breaks are removed."""
    found = [r for r in _rows(doc) if any(c.replace("\n", "") == label for c in r)]
    assert len(found) == 1, (label, found)
    return found[0]


@pytest.mark.parametrize("name", NAMES)
def test_every_value_read(name: str) -> None:
    path = FIXTURES / f"{name}.pdf"
    report = parse_bytes(path.read_bytes(), path).to_dict()
    assert report["warnings"] == []
    assert_matches_gold(report, json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))


def test_the_fixtures_have_no_grid_to_find() -> None:
    for name in NAMES:
        path = FIXTURES / f"{name}.pdf"
        edges = [e for g in read_pages(path.read_bytes(), path) for e in shapes_to_edges(g.shapes)]
        assert not [e for e in edges if e.orientation == "v"], name  # no column rules at all
        if name.startswith("three-line"):
            assert len([e for e in edges if e.orientation == "h"]) > 6  # its three rules per table
        else:
            assert not edges


def test_wrapped_labels_are_joined_within_their_column() -> None:
    doc = _doc("borderless-2023")
    assert doc.warnings == ()
    # Table B's label column is narrow: labels wrap over two to four lines, and the
    # first value follows the label's last glyph by less than a third of an em.
    z = ("0",) * 7
    assert _row(doc, "2.其他法律行政法规禁止公开")[-7:] == z
    assert _row(doc, "3.危及“三安全一稳定”")[-7:] == z
    assert _row(doc, "5.要求行政机关确认或重新出具已获取信息")[-7:] == z
    assert _row(doc, "1.本机关不掌握相关政府信息")[-7:] == ("10", "0", "0", "0", "0", "0", "10")
    # The group label of a merged cell goes with one of its rows, whole.
    assert _row(doc, "（三）不予公开")[-7:] == z
    assert _row(doc, "三、本年度办理结果")[-7:] == ("4", "0", "0", "0", "0", "0", "4")


def test_a_top_aligned_total_joins_its_centred_row() -> None:
    # The template aligns the 总计 column to the top of the cell and the others to its
    # middle: in a four-line row the total stands a line and a half above the rest.
    doc = _doc("borderless-2023")
    label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    assert _row(doc, label)[-7:] == ("0",) * 7
    label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    assert _row(doc, label)[-7:] == ("0",) * 7


@pytest.mark.parametrize("name", NAMES)
def test_table_b_continues_on_the_next_page(name: str) -> None:
    doc = _doc(name)
    pages_b = [t for t in doc.tables if any("申请" in c for r in t.rows for c in r)]
    assert len(pages_b) >= 2
    assert pages_b[0].rows[-1][0] != pages_b[1].rows[0][0]
    assert any(r[0] == "（七）总计" for t in pages_b for r in t.rows)


@pytest.mark.parametrize("name", NAMES)
def test_table_c_header_and_values(name: str) -> None:
    doc = _doc(name)
    t = next(t for t in doc.tables if t.rows and t.rows[0][:1] == ("行政复议",))
    assert t.rows[0] == ("行政复议", "行政诉讼")
    values = t.rows[-1]
    assert len(values) == 15 and all(re.fullmatch(r"\d+", v) for v in values)


@pytest.mark.parametrize("name", NAMES)
def test_prose_is_not_cut_into_lines(name: str) -> None:
    # The tables stick out to the left of the text block: the margins are the prose's.
    doc = _doc(name)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].startswith("淮安市洪泽区人民政府20")
    assert texts[1].startswith("本报告由淮安市洪泽区人民政府办公室") and texts[1].endswith("）。")
    assert all(not isinstance(b, Table) or b.rows for b in doc.blocks)
    assert "第二十条第（五）项" not in texts  # the caption of table A's second part is in it
