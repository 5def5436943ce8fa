"""Bad numbers in cells (issue 16, item 7): kept as printed where they are numbers, blank
with a warning naming the cell where they are not; nothing overflows the checks, the
charts or the data files."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.build import build_site
from gongkai.normalise import MAX_DIGITS, parse_cell
from gongkai.settings import Settings

from conftest import FIXTURES

KINDS = ("int", "signed", "amount")
FULL = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")

# (cell as printed, kind, value or None for "unreadable")
CASES = [
    ("１２３", "int", 123),
    ("3,771", "int", 3771),
    ("3 771", "int", 3771),
    ("１，２３４", "int", 1234),
    ("12件", "int", 12),
    ("-5", "signed", -5),
    ("-5", "int", None),
    ("2.5", "amount", 2.5),
    ("2.5", "int", None),
    ("三十", "int", None),
    ("约30", "int", None),
    ("30余", "int", None),
    ("1e5", "int", None),
    ("1E5", "amount", None),
    ("∞", "int", None),
    ("NaN", "amount", None),
    ("inf", "signed", None),
    ("0x10", "int", None),
    ("1_000", "int", None),
    ("5²", "int", None),  # NFKC would make it 52
    ("①", "int", None),
    ("٣", "int", None),
    ("9" * MAX_DIGITS, "int", int("9" * MAX_DIGITS)),
    ("1" * 80, "int", None),
    ("1" * 80, "amount", None),
    ("1" * 5000, "signed", None),  # str() of such an int raises in Python 3.11
    ("1" * 400 + ".5", "amount", None),  # float() of it is infinity
]


@pytest.mark.parametrize("text, kind, value", CASES)
def test_bad_numbers(text: str, kind: str, value: int | float | None) -> None:
    v = parse_cell(text, kind)
    assert v.value == value and not v.blank
    assert v.unreadable == (value is None)


def _safe(value: object) -> None:
    """What every later stage needs of a value: JSON without NaN or infinity, exact in a
    double, printable as text."""
    if value is None:
        return
    assert isinstance(value, (int, float)) and not isinstance(value, bool)
    assert math.isfinite(value) and abs(value) < 2**53
    json.dumps(value, allow_nan=False)
    str(value)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789０１２３４５６７８９,，.．-－+ e∞约件万元²①٣三十"), max_size=90)
       | st.text(max_size=40), st.sampled_from(KINDS))
def test_any_cell_reads_as_a_safe_number_or_nothing(text: str, kind: str) -> None:
    v = parse_cell(text, kind)
    _safe(v.value)
    assert not (v.blank and v.value is not None)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**MAX_DIGITS - 1), st.booleans(), st.booleans())
def test_printed_counts_read_back_exactly(n: int, grouped: bool, full_width: bool) -> None:
    text = f"{n:,}" if grouped else str(n)
    if full_width:
        text = text.translate(FULL)
    assert parse_cell(text, "int").value == n
    assert parse_cell(text, "signed").value == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=10**MAX_DIGITS, max_value=10**100))
def test_numbers_past_the_bound_are_blank_never_rounded(n: int) -> None:
    for kind in KINDS:
        assert parse_cell(str(n), kind).unreadable


BAD_ROW = ("三十", "约30", "-5", "1e5", "∞", "2.5", "1" * 80)


@pytest.mark.slow
def test_a_report_full_of_bad_numbers_builds_with_each_cell_named(tmp_path: Path) -> None:
    text = (FIXTURES / "site" / "content" / "reports" / "2023" / "jiaoyuju.txt").read_text(encoding="utf-8")
    row = "一、本年新收政府信息公开申请数量\t4\t0\t0\t0\t0\t0\t4"
    assert row in text
    text = text.replace(row, "一、本年新收政府信息公开申请数量\t" + "\t".join(BAD_ROW))
    text = text.replace("行政事业性收费\t0", "行政事业性收费\t" + "9" * 400 + ".5")
    reports = tmp_path / "content" / "reports"
    reports.mkdir(parents=True)
    (reports / "bad-numbers.txt").write_text(text, encoding="utf-8")
    result = build_site(Settings(content_dir=tmp_path / "content", out_dir=tmp_path / "site", cache_dir=None, jobs=1))
    report = next(r for r in result.site.reports if r.source.file == "reports/bad-numbers.txt")
    new = report.requests["new"]
    assert list(new.values()) == [None] * 7
    # 三十 and 约30 read as words, not cells, in a tab row of text: the row says so.
    assert "table B row 一、本年新收政府信息公开申请数量: only 5 of 7 value cells printed; read from the left, " \
           "the rest left blank" in report.warnings
    for cell in BAD_ROW[2:]:
        assert any(repr(cell) in w and "unreadable cell" in w for w in report.warnings), cell
    assert any(w.startswith("table A row 行政事业性收费") and "unreadable cell '999" in w for w in report.warnings)
    # The data files: strict JSON (no NaN, no Infinity) and a CSV whose numbers are all finite.
    page_json = next((tmp_path / "site" / "agencies").rglob("report.json")).read_text(encoding="utf-8")
    json.loads(page_json, parse_constant=lambda c: pytest.fail(f"{c} in report.json"))
    with gzip.open(tmp_path / "site" / "data" / "cells.csv.gz", "rt", encoding="utf-8") as f:
        rows = list(csv.DictReader(io.StringIO(f.read())))
    values = [r["value"] for r in rows if r.get("value")]
    assert values and all(math.isfinite(float(v)) and len(v) <= MAX_DIGITS + 2 for v in values)
