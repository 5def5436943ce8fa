"""Every seed and real report parses to exactly the values in the gold files."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.parse import parse_file

from conftest import FIXTURES, assert_matches_gold, load_gold

SEEDS = sorted(p.stem for p in (FIXTURES / "seeds").glob("*.txt"))
REAL = ["hongze-2023", "hongze-2024"]


def _path(name: str) -> Path:
    if name in REAL:
        return FIXTURES / "pdf" / f"{name}.pdf"
    return FIXTURES / "seeds" / f"{name}.txt"


@pytest.mark.parametrize("name", SEEDS + REAL)
def test_parse_matches_gold(name: str, schema_validator) -> None:
    report = parse_file(_path(name)).to_dict()
    assert_matches_gold(report, load_gold(name))
    schema_validator.validate(report)
    rules = {c["rule"] for c in report["checks"]}
    assert rules == {"requests.row_total", "requests.balance", "requests.outcome_total", "review_litigation.total"}


@pytest.mark.parametrize("name", SEEDS)
def test_seeds_parse_without_warnings_and_pass_checks(name: str) -> None:
    report = parse_file(_path(name))
    assert [c.detail for c in report.failed_checks] == []
    # 004 prints eight value cells in rows 一 and 二 (a split column in the source
    # PDF); that is worth a warning, anything else is not.
    assert all("more than 7 values" in w for w in report.warnings), report.warnings


def test_hongze_2023_keeps_printed_zeros_and_flags_them() -> None:
    report = parse_file(_path("hongze-2023"))
    rl = report.review_litigation
    assert rl["review"] == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0, "total": 0}
    assert rl["litigation_after_review"]["total"] == 0
    failed = {(c.rule, c.where, c.expected, c.found) for c in report.failed_checks}
    assert failed == {
        ("review_litigation.total", "review", 11, 0),
        ("review_litigation.total", "litigation_after_review", 5, 0),
    }


def test_hongze_2024_passes_every_check() -> None:
    report = parse_file(_path("hongze-2024"))
    assert report.failed_checks == []
    assert len(report.checks) == 26 + 7 + 7 + 3 - 3  # other_* rows not printed


def test_traditional_seed_is_simplified() -> None:
    report = parse_file(_path("002_5ead8cc1c8ee6d6d"))
    assert report.agency == "阿拉善高新技术产业开发区 乌兰布和生态沙产业示范区"
    assert "總" not in report.sections.general and "总体" not in report.sections.general[:0]
    assert report.title.endswith("2024年政府信息公开工作年度报告")


def test_title_broken_over_lines() -> None:
    report = parse_file(_path("003_48ff64ec84e94560"))
    assert report.title == "乌拉特中旗教育局2023年政府信息公开工作年度报告"
    # the closing signature (agency and date) is not part of part 六
    assert not report.sections.other.rstrip().endswith("日")
    assert report.sections.other.endswith("无其他报告事项。")


def test_prose_sections() -> None:
    report = parse_file(_path("000_9df66e4b50998407"))
    s = report.sections
    assert s.general.startswith("2023年，社会事务办公室以习近平新时代中国特色社会主义思想为指导")
    assert "（二）依申请公开情况。2023年，我办未收到政府信息公开申请。" in s.general.split("\n\n")
    assert s.problems.startswith("虽然我办政府信息公开工作有了较大的进步")
    assert s.other.split("\n\n") == [
        "（一）2023年，我办未发生需收取信息处理费的情况。",
        "（二）我办认真研究落实国办、自治区、盟及高新区《2023年度政务公开工作要点》，对照工作要点任务台账"
        "全面做好教育体育、文化旅游等重点领域信息公开工作，严格完成各项信息公开任务。",
    ]
