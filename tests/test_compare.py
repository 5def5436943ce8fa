"""Year-over-year differences: every number, and reuse of part 五."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import site as site_module
from gongkai.compare import _changes, compare_prose, compare_reports, iter_cells, split_sentences
from gongkai.layouts import layouts_for
from gongkai.model import Source
from gongkai.settings import Settings
from gongkai.site import Input, gather_site

from report_factory import zero_report

PROBLEMS = "一是公开不够及时。二是解读形式单一。\n\n下一步将加强培训。"


def test_every_nonzero_number_with_its_change() -> None:
    prev = zero_report("某局", 2022, requests={"new": {"natural_person": 4, "total": 4}})
    cur = zero_report("某局", 2023, requests={"new": {"natural_person": 6, "total": 6},
                                             "carried_over": {"legal_service_organization": 1}})
    change = compare_reports(prev, cur)
    got = {(c.row, c.column): (c.previous, c.current, c.absolute, c.relative) for c in change.cells}
    assert got == {
        ("new", "natural_person"): (4, 6, 2, 0.5),
        ("new", "total"): (4, 6, 2, 0.5),
        ("carried_over", "legal_service_organization"): (0, 1, 1, None),  # no ratio from 0
    }
    assert change.cells[0].row_label == "一、本年新收政府信息公开申请数量"
    assert change.cells[0].column_label == "自然人"


def test_unchanged_nonzero_numbers_stay_and_zero_rows_go() -> None:
    prev = zero_report("某局", 2022, review={"review": {"upheld": 2, "total": 2}})
    cur = zero_report("某局", 2023, review={"review": {"upheld": 2, "total": 2}})
    change = compare_reports(prev, cur)
    assert [(c.table, c.row, c.column, c.absolute) for c in change.cells] == [
        ("review_litigation", "review", "upheld", 0), ("review_litigation", "review", "total", 0)]
    assert change.changed == []


def test_blank_against_number_has_no_change() -> None:
    prev = zero_report("某局", 2022, requests={"new": {"total": None}})
    cur = zero_report("某局", 2023, requests={"new": {"total": 3, "natural_person": 3}})
    c = next(c for c in compare_reports(prev, cur).cells if c.column == "total")
    assert (c.previous, c.current, c.absolute, c.relative) == (None, 3, None, None)


def test_agency_years_compare_consecutive_years_only_and_when_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reports = [replace(zero_report("某局", y, requests={"new": {"total": y - 2000}}),
                       source=Source(f"{y}.txt", f"{y:064d}", "txt")) for y in (2023, 2020, 2022)]
    made: list[tuple[int, int]] = []

    def counted(previous, current):  # type: ignore[no-untyped-def]
        made.append((previous.year, current.year))
        return compare_reports(previous, current)

    monkeypatch.setattr(site_module, "compare_reports", counted)
    site = gather_site(Settings(content_dir=tmp_path, out_dir=tmp_path / "site", cache_dir=None),
                       [Input(r.source.file, tmp_path / r.source.file, r.source.sha256, r) for r in reports])
    # Not while gathering: by the page that shows it (in either of the render's processes).
    assert made == []
    views = {v.report.year: v for v in site.views}
    assert views[2022].previous is views[2020].report and views[2022].change is None  # a gap: not compared
    assert views[2020].change is None
    change = views[2023].change
    assert change is not None and (change.previous.year, change.current.year) == (2022, 2023)
    assert [(c.row, c.column, c.previous, c.current) for c in change.cells] == [("new", "total", 22, 23)]
    assert views[2023].change is change and made == [(2022, 2023)]  # made once


def test_copied_problems_section_is_visible_as_such() -> None:
    p = compare_prose(PROBLEMS, PROBLEMS.replace("\n\n", "\n"))
    assert p.verdict == "copied" and p.ratio == 1.0
    assert p.reused_sentences == p.sentences == 3
    assert {line.op for line in p.lines} == {"same"}


def test_rewritten_problems_section_and_its_diff() -> None:
    p = compare_prose(PROBLEMS, "一是公开不够及时。二是平台建设滞后，栏目分类不清。\n下一步将加强培训。")
    assert p.reused_sentences == 2 and p.sentences == 3
    assert [(line.op, line.text) for line in p.lines] == [
        ("same", "一是公开不够及时。"),
        ("removed", "二是解读形式单一。"),
        ("added", "二是平台建设滞后，栏目分类不清。"),
        ("same", "下一步将加强培训。"),
    ]
    assert p.verdict in ("reused", "rewritten") and 0 < p.ratio < 0.9
    assert compare_prose(PROBLEMS, "").verdict == "empty"


def test_sentences_ignore_line_breaks() -> None:
    # seed 004 breaks a sentence over a page: the line end is not a sentence end
    assert split_sentences("一是 公开\n不够。二是；\n\n三") == ["一是公开不够。", "二是；", "三"]


def test_iter_cells_covers_the_layouts() -> None:
    cells = list(iter_cells(zero_report("某局", 2023)))
    tables = [c.table for c in cells]
    # 2021 table A: 3 + 3 + 1 + 1 + 1 + 1; table B: 26 rows x 7; table C: 3 x 5
    assert tables.count("active_disclosure") == 10
    assert tables.count("requests") == 26 * 7
    assert tables.count("review_litigation") == 15
    assert [c.row_printed for c in cells if c.row == "other"] == [False] * 7


# Any two reports: a table's row printed or not, each figure blank, zero or a number.
_FIGURE = st.sampled_from([None, 0, 0, 1, 3, 2.5])


@st.composite
def _tables(draw: st.DrawFn, fmt: str) -> dict[str, dict[str, Any]]:
    tables: dict[str, dict[str, Any]] = {}
    for layout in layouts_for(fmt):
        rows: dict[str, Any] = {}
        for row in layout.rows:
            if draw(st.booleans()) and draw(st.booleans()):  # a quarter of the rows not printed
                continue
            rows[row.key] = draw(_FIGURE) if row.single else {c.key: draw(_FIGURE) for c in layout.columns_of(row)}
        tables[layout.key] = rows
    return tables


@given(st.sampled_from(["2019", "2021"]), st.sampled_from(["2019", "2021"]), st.data())
@settings(max_examples=150, deadline=None)
def test_two_reports_compare_as_cell_by_cell_whatever_their_layouts(fmt_a: str, fmt_b: str, data: st.DataObject) -> None:
    # compare_reports walks the rows of two reports of one layout once (_same_layout_changes);
    # it must give what the general comparison of their cells (iter_cells) gives.
    a, b = (replace(zero_report("某局", year), format=fmt, **data.draw(_tables(fmt)))
            for year, fmt in ((2022, fmt_a), (2023, fmt_b)))
    assert compare_reports(a, b).cells == _changes(a, b)[0]


@pytest.mark.parametrize("text", ["", PROBLEMS, "一是公开不够及时。\n\n一是公开不够及时。", "没有句号的一段话"])
def test_a_part_copied_whole_is_what_difflib_finds(text: str) -> None:
    # compare_prose answers a copy without difflib: the same figures and lines as difflib's.
    got = compare_prose(text, text)
    sentences = split_sentences(text)
    ratio = difflib.SequenceMatcher(None, "".join(sentences), "".join(sentences), autojunk=False).ratio()
    assert (got.ratio, got.reused_sentences, got.sentences) == (round(ratio, 4), len(sentences), len(sentences))
    assert [(line.op, line.text) for line in got.lines] == [("same", s) for s in sentences]
    assert got.verdict == ("empty" if not sentences else "copied")
