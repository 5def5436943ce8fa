"""The arithmetic rules and the prose-against-table flags."""

from __future__ import annotations

import copy

from gongkai.check import check_prose, check_requests, check_review, run_checks
from gongkai.layouts import REQUEST_COLUMNS, TABLE_B
from gongkai.parse import parse_file

from conftest import FIXTURES, load_gold


def _requests(name: str = "hongze-2024") -> dict:
    return copy.deepcopy(load_gold(name)["requests"])


def test_consistent_table_passes_every_rule() -> None:
    req = _requests()
    checks = check_requests(req)
    assert checks and all(c.passed for c in checks)
    # 23 printed rows (single （六） row) + 7 balance + 7 outcome columns
    assert len(checks) == 23 + 7 + 7


def test_row_total_failure_names_row_expected_and_found() -> None:
    req = _requests()
    req["granted"]["total"] = 49
    failed = [c for c in check_requests(req) if not c.passed]
    row = [c for c in failed if c.rule == "requests.row_total"]
    assert [(c.where, c.expected, c.found, c.cell) for c in row] == [("granted", 50, 49, ("granted", "total"))]
    assert "予以公开" in row[0].detail and "49" in row[0].detail and "50" in row[0].detail
    # the outcome sum of the total column now misses one as well
    assert [(c.rule, c.where, c.expected, c.found) for c in failed if c.rule == "requests.outcome_total"] == [
        ("requests.outcome_total", "total", 94, 95)]


def test_balance_failure() -> None:
    req = _requests()
    req["carried_forward"]["natural_person"] = 3
    req["carried_forward"]["total"] = 3
    failed = {(c.rule, c.where) for c in check_requests(req) if not c.passed}
    assert failed == {("requests.balance", "natural_person"), ("requests.balance", "total")}


def test_blank_operand_is_not_evaluated() -> None:
    req = _requests()
    req["granted"]["natural_person"] = None
    checks = check_requests(req)
    assert not [c for c in checks if c.rule == "requests.row_total" and c.where == "granted"]
    assert not [c for c in checks if c.rule == "requests.outcome_total" and c.where == "natural_person"]
    assert all(c.passed for c in checks)


def test_missing_handling_row_skips_outcome_rule() -> None:
    req = _requests()
    req["denied_state_secret"] = None
    assert not [c for c in check_requests(req) if c.rule == "requests.outcome_total"]


def test_review_total() -> None:
    rl = load_gold("hongze-2023")["review_litigation"]
    results = {(c.where, c.passed, c.expected, c.found) for c in check_review(rl)}
    assert results == {("review", False, 11, 0), ("litigation_direct", True, 0, 0),
                       ("litigation_after_review", False, 5, 0)}


def test_checks_never_change_data() -> None:
    g = load_gold("hongze-2023")
    before = copy.deepcopy(g)
    run_checks(g["requests"], g["review_litigation"])
    assert g == before


def test_every_row_and_column_is_in_the_layout() -> None:
    keys = {r.key for r in TABLE_B.rows}
    assert keys == set(load_gold("hongze-2024")["requests"]) | {"other_no_correction", "other_unpaid_fee", "other_other"}
    assert [c.key for c in REQUEST_COLUMNS][-1] == "total"


# ---------------------------------------------------------------- prose

def test_prose_contradicting_table_is_flagged() -> None:
    report = parse_file(FIXTURES / "pdf" / "hongze-2024.pdf")
    assert [(f.rule, f.stated, f.table) for f in report.flags] == [("prose.requests_received", 17, 95)]
    assert "受理政府信息公开申请17件" in report.flags[0].quote


def test_prose_agreeing_with_table_is_not_flagged() -> None:
    assert parse_file(FIXTURES / "pdf" / "hongze-2023.pdf").flags == ()
    # "我办未收到政府信息公开申请" states 0, and table B prints 0
    assert parse_file(FIXTURES / "seeds" / "000_9df66e4b50998407.txt").flags == ()


def test_prose_other_quantities_are_not_compared() -> None:
    req = {"new": {c.key: 0 for c in REQUEST_COLUMNS}}
    req["new"]["total"] = 12
    texts = [
        "全年办结政府信息公开申请20件，均按时答复。",
        "上年结转政府信息公开申请3件。",
        "主动公开政府信息1136条。",
        "共答复依申请公开8件。",
        "受理政府信息公开申请12件，其中办结10件。",
    ]
    for text in texts:
        assert check_prose(text, req) == [], text
    flagged = check_prose("2023年，共受理政府信息公开申请 15 件。", req)
    assert [(f.stated, f.table) for f in flagged] == [(15, 12)]
    assert [(f.stated, f.table) for f in check_prose("本年度未收到政府信息公开申请。", req)] == [(0, 12)]
