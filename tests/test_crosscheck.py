"""Checks across years (issue: reports of 2019 and 2020, and checks across years)."""

from __future__ import annotations

import dataclasses

from gongkai.crosscheck import check_pair, check_series, gaps
from gongkai.parse import parse_file

from conftest import FIXTURES

H2023 = parse_file(FIXTURES / "pdf" / "hongze-2023.pdf")
H2024 = parse_file(FIXTURES / "pdf" / "hongze-2024.pdf")


def test_hongze_carried_over_and_in_force() -> None:
    results = check_pair(H2023, H2024)
    carried = [c for c in results if c.rule == "years.carried_over"]
    assert len(carried) == 7 and all(c.passed for c in carried)
    in_force = {c.where: (c.passed, c.expected, c.found) for c in results if c.rule == "years.in_force"}
    # rules: 0 + 0 - 0 = 0; normative documents: 5 + 3 - 0 = 8, as printed
    assert in_force == {"rules": (True, 0, 0), "normative_documents": (True, 8, 8)}


def test_mismatch_is_flagged_with_both_values() -> None:
    req = dict(H2024.requests)
    req["carried_over"] = dict(req["carried_over"], natural_person=2, total=2)
    cur = dataclasses.replace(H2024, requests=req)
    failed = [c for c in check_pair(H2023, cur) if not c.passed]
    assert [(c.where, c.expected, c.found) for c in failed] == [("natural_person", 0, 2), ("total", 0, 2)]
    assert "2024年“上年结转”为 2" in failed[0].detail


def test_non_consecutive_years_are_not_compared_and_gaps_shown() -> None:
    later = dataclasses.replace(H2024, year=2025)
    assert check_pair(H2023, later) == []
    assert check_series([H2023, later]) == {}
    assert gaps([2019, 2020, 2022, 2023]) == [2021]
    assert gaps([2023]) == []


def test_in_force_only_within_2021_layout() -> None:
    old = dataclasses.replace(H2023, format="2019")
    assert not [c for c in check_pair(old, H2024) if c.rule == "years.in_force"]
