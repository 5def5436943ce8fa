"""Value notes: OCR'd cells, digits split by arithmetic, cells with a remark; and the
splitting rules themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.errors import LayoutNotRecognised
from gongkai.parse import parse_bytes
from gongkai.read import read_bytes
from gongkai.read.document import CellMark, Document, Table
from gongkai.recognise import glued, recognise

from conftest import FIXTURES, load_gold

HONGZE_MD = FIXTURES / "reports" / "hongze-2024-pipes.md"


def _hongze_with_ocr_table_b(confidence: float) -> Document:
    """hongze-2024 (pipe tables) with table B marked as read by OCR, cell by cell."""
    doc = read_bytes(HONGZE_MD.read_bytes(), HONGZE_MD)
    tables = [i for i, b in enumerate(doc.blocks) if isinstance(b, Table)]
    b_index = tables[1]
    b = doc.blocks[b_index]
    assert isinstance(b, Table)
    marks = tuple(tuple(CellMark("ocr", confidence) if c.strip().isdigit() else None for c in row) for row in b.rows)
    blocks = list(doc.blocks)
    blocks[b_index] = Table(b.rows, marks)
    return Document(tuple(blocks), doc.kind, ocr_pages=(2,))


def test_ocr_marked_cells_become_value_notes() -> None:
    found = recognise(_hongze_with_ocr_table_b(0.87), HONGZE_MD)
    gold = load_gold("hongze-2024")
    assert {k: v for k, v in found.requests.items() if v is not None} == {
        k: v for k, v in gold["requests"].items() if v is not None}
    notes = {(n.table, n.row, n.column): n for n in found.value_notes}
    # every printed value of table B is noted, with the engine's confidence; nothing else
    printed = {("requests", row, col) for row, values in gold["requests"].items() if values
               for col, v in values.items() if v is not None}
    assert set(notes) == printed
    assert {(n.how, n.confidence) for n in notes.values()} == {("ocr", 0.87)}


def test_ocr_notes_reach_the_report_json(tmp_path: Path) -> None:
    from gongkai import parse as parse_mod

    doc = _hongze_with_ocr_table_b(0.5)
    original = parse_mod.read_bytes
    parse_mod.read_bytes = lambda data, path: doc  # type: ignore[assignment]
    try:
        report = parse_bytes(HONGZE_MD.read_bytes(), HONGZE_MD)
    finally:
        parse_mod.read_bytes = original  # type: ignore[assignment]
    d = report.to_dict()
    assert d["source"]["ocr_pages"] == [2]
    assert {"table": "requests", "row": "new", "column": "total", "how": "ocr", "confidence": 0.5,
            "note": ""} in d["value_notes"]
    assert list(d)[-1] == "value_notes"


def test_remark_cell_value_and_note() -> None:
    text = HONGZE_MD.read_text(encoding="utf-8").replace("| 9 | 0 | 0 | 0 | 0 | 0 | 9 |",
                                                        "| 9（含转办3件） | 0 | 0 | 0 | 0 | 0 | 9 |", 1)
    report = parse_bytes(text.encode(), Path("remark.md"))
    assert report.requests["partially_granted"]["natural_person"] == 9
    assert [(n.row, n.column, n.how, n.note) for n in report.value_notes] == [
        ("partially_granted", "natural_person", "remark", "含转办3件")]
    assert report.warnings == ()


# ---------------------------------------------------------------- the splitter

def test_split_by_digit_count_only() -> None:
    assert glued.splits(["700"], [3]) == [(7, 0, 0)]
    assert glued.splits(["005"], [3]) == [(0, 0, 5)]  # "05" is not a number


def test_split_keeps_the_spaces_the_extraction_kept() -> None:
    # "2100000 21": the space is a cell boundary, so 2|10… cannot take the 21
    assert glued.splits(["2100000", "21"], [7], glued.sums_to_last) == [(21, 0, 0, 0, 0, 0, 21)]


def test_split_needs_the_row_total() -> None:
    assert glued.splits(["210000021"], [7], glued.sums_to_last) == [(21, 0, 0, 0, 0, 0, 21)]
    # without the rule many splits remain
    assert len(glued.splits(["210000021"], [7]) or []) > 1


def test_a_run_with_two_valid_splits_is_not_split() -> None:
    two = glued.splits(["110000011"], [7], glued.sums_to_last)
    assert two == [(1, 10, 0, 0, 0, 0, 11), (11, 0, 0, 0, 0, 0, 11)]
    # the column sums cannot tell them apart when two rows carry the same run
    total = (12, 10, 0, 0, 0, 0, 22)
    solved = glued.solve_requests({"granted": two, "partially_granted": two},
                                  {"new": total, "carried_over": (0,) * 7, "total": total,
                                   "carried_forward": (0,) * 7})
    assert solved == {}


def test_column_sums_decide_between_splits() -> None:
    from gongkai.layouts import REQUEST_OUTCOME_KEYS, SPLIT_OTHER_KEYS

    two = glued.splits(["110000011"], [7], glued.sums_to_last)
    total = (11, 0, 0, 0, 0, 0, 11)
    zeros = {k: (0,) * 7 for k in REQUEST_OUTCOME_KEYS if k not in SPLIT_OTHER_KEYS and k != "granted"}
    fixed = {"new": total, "carried_over": (0,) * 7, "total": total, "carried_forward": (0,) * 7, **zeros}
    # only the outcome rule decides (总计 = the handling rows): 11 0 … 11, not 1 10 … 11
    assert glued.solve_requests({"granted": two}, fixed) == {"granted": (11, 0, 0, 0, 0, 0, 11)}
    # with a handling row missing that rule cannot be evaluated, as in check.py: not split
    del fixed["rejected_duplicate"]
    assert glued.solve_requests({"granted": two}, fixed) == {}


def test_too_many_splits_is_not_split() -> None:
    assert glued.splits(["1" * 40], [15]) is None


# ---------------------------------------------------------------- failure messages

def test_missing_tables_message_says_what_was_found() -> None:
    text = HONGZE_MD.read_text(encoding="utf-8")
    start = text.index("## 二、主动公开")
    cut = text[:start] + text[text.index("## 三、收到和处理"):]
    with pytest.raises(LayoutNotRecognised) as e:
        parse_bytes(cut.encode(), Path("noa.md"))
    assert e.value.reason == (
        "report tables not found: 二 (table A); table B (申请) found (24 rows); table C (复议诉讼) found (2 rows); "
        "no table A: no 第二十条 header and no part 二 heading; the document has 2 tables and 10 paragraphs")


def test_a_long_run_is_given_up_quickly() -> None:
    # 40 digits into the seven cells of a row: millions of splits to try; not split
    assert glued.splits(["1234567890" * 4], [7], glued.sums_to_last) is None


def test_parser_version_covers_every_parser_source() -> None:
    # recognise.py became the recognise/ package: a source list naming a file that no
    # longer exists would leave recogniser changes out of the cache key
    from gongkai import cache

    root = Path(cache.__file__).parent
    assert all((root / name).exists() for name in cache._PARSER_SOURCES)
    assert "recognise" in cache._PARSER_SOURCES
