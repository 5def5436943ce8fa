"""Agencies across years: normalised names, aliases from agencies.yml, stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.errors import ConfigError
from gongkai.registry import AgencyEntry, group_reports, load_agencies_file, normalise_name, pinyin_id

from report_factory import zero_report


def test_normalise_name_ignores_spaces_and_width() -> None:
    assert normalise_name("阿拉善高新技术产业开发区 乌兰布和生态沙产业示范区") == \
        "阿拉善高新技术产业开发区乌兰布和生态沙产业示范区"
    assert normalise_name("某局（２）") == normalise_name("某局(2)")


def test_pinyin_id_is_ascii_and_readable() -> None:
    assert pinyin_id("乌拉特中旗教育局") == "wu-la-te-zhong-qi-jiao-yu-ju"
    assert pinyin_id("ABC 局（2）") == "abc-ju-2"
    assert pinyin_id("《》") == "agency"


def test_pinyin_id_is_cut_at_a_syllable() -> None:
    name = "内蒙古自治区巴彦淖尔市乌拉特前旗额尔登布拉格苏木人民政府党政综合办公室"
    full, ident = pinyin_id(name, max_length=1000), pinyin_id(name, max_length=30)
    assert len(ident) <= 30
    assert (full + "-").startswith(ident + "-")  # whole syllables only


def test_alias_joins_two_printed_names_into_one_agency() -> None:
    entries = [AgencyEntry("阿拉善高新区社会事务办公室", ("阿拉善盟高新技术产业开发区社会事务办公室",), ("内蒙古自治区", "阿拉善盟"))]
    reports = [zero_report("阿拉善盟高新技术产业开发区社会事务办公室", 2023),
               zero_report("阿拉善高新区 社会事务办公室", 2022)]
    registry = group_reports(reports, entries)
    (agency,) = registry.agencies
    assert agency.id == "a-la-shan-gao-xin-qu-she-hui-shi-wu-ban-gong-shi"
    assert agency.name == "阿拉善高新区社会事务办公室"
    assert agency.years == [2022, 2023]
    assert agency.region == ("内蒙古自治区", "阿拉善盟")
    assert "阿拉善盟高新技术产业开发区社会事务办公室" in agency.aliases
    assert registry.agency_of(reports[0]) is agency


def test_without_entry_the_latest_printed_name_is_shown() -> None:
    registry = group_reports([zero_report("某局", 2022), zero_report("某 局", 2023)])
    (agency,) = registry.agencies
    assert agency.name == "某 局" and agency.aliases == ("某局",) and agency.region == ()


def test_colliding_ids_get_numbered_in_name_order() -> None:
    # 石局 and 十局 differ but share a pinyin; the order is by normalised name, not input.
    a, b = zero_report("石局", 2023), zero_report("十局", 2023)
    ids = {ag.name: ag.id for ag in group_reports([a, b]).agencies}
    assert sorted(ids.values()) == ["shi-ju", "shi-ju-2"]
    assert ids == {ag.name: ag.id for ag in group_reports([b, a]).agencies}


def test_pinned_id_wins_and_is_never_taken() -> None:
    entries = [AgencyEntry("十局", id="shi-ju")]
    registry = group_reports([zero_report("石局", 2023), zero_report("十局", 2023)], entries)
    assert {a.name: a.id for a in registry.agencies} == {"十局": "shi-ju", "石局": "shi-ju-2"}


def test_same_agency_and_year_twice_keeps_the_cleaner_report() -> None:
    clean = zero_report("某局", 2023, file="reports/b.txt")
    broken = zero_report("某局", 2023, file="reports/a.txt", requests={"new": {"total": 5}})
    assert broken.failed_checks
    registry = group_reports([broken, clean])
    assert registry.agencies[0].reports == (clean,)
    assert registry.duplicates == ((broken, clean),)


def test_agencies_file(tmp_path: Path) -> None:
    f = tmp_path / "agencies.yml"
    f.write_text("- name: 某局\n  aliases: 某某局\n  region: 甲省 / 乙市\n  id: mou-ju\n", encoding="utf-8")
    assert load_agencies_file(f) == [AgencyEntry("某局", ("某某局",), ("甲省", "乙市"), "mou-ju")]
    assert load_agencies_file(tmp_path / "missing.yml") == []


@pytest.mark.parametrize("text, message", [
    ("name: x\n", "must be a list of entries"),
    ("- aliases: [x]\n", "entry 1: needs a 'name'"),
    ("- name: x\n  regoin: y\n", "entry 1: unknown keys regoin"),
    ("- name: x\n  id: Bad_Id\n", "entry 1: id 'Bad_Id' must be lowercase"),
    ("- name: x\n- name: y\n  aliases: [x]\n", "'x' is listed under both 'x' and 'y'"),
    ("- name: [x\n", "cannot read"),
])
def test_agencies_file_errors_name_the_file_and_the_fix(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "agencies.yml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        group_reports([], load_agencies_file(f), f)
    assert str(e.value).startswith(f"{f}: ") and message in str(e.value)
