"""One agency from 2019 to 2022: two layouts, checks across years, comparison across the
layout change, on the built pages (issue: reports of 2019 and 2020, checks across years)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import html

from gongkai.build import BuildResult, build_site
from gongkai.parse import parse_bytes
from gongkai.settings import Settings

from conftest import site_reports
from report_text import report_text

AGENCY = "某某市生态环境局"
ZERO = [0] * 7
C0 = {"review": [0] * 5, "litigation_direct": [0] * 5, "litigation_after_review": [0] * 5}


def _b(**rows: list[int]) -> dict[str, list[int] | None]:
    keys = ["new", "carried_over", "granted", "partially_granted", "denied_state_secret", "denied_prohibited_by_law",
            "denied_security_stability", "denied_third_party_rights", "denied_internal_affairs",
            "denied_process_information", "denied_enforcement_files", "denied_administrative_query",
            "unable_not_held", "unable_needs_creation", "unable_still_unclear", "rejected_complaint",
            "rejected_duplicate", "rejected_publication", "rejected_excessive", "rejected_reconfirmation"]
    out: dict[str, list[int] | None] = {k: rows.get(k, ZERO) for k in keys}
    for k in ("other_no_correction", "other_unpaid_fee", "other_other", "other", "total", "carried_forward"):
        out[k] = rows.get(k)
    return out


def _a2019(licensing: int) -> dict:
    items = {"previous_items": 10, "change": -1, "decisions": licensing}
    return {"rules": {"created": 0, "published": 0, "total_public": 2},
            "normative_documents": {"created": 2, "published": 2, "total_public": 18},
            "licensing": items, "other_services": {"previous_items": 4, "change": 0, "decisions": 30},
            "penalty": {"previous_items": 20, "change": 2, "decisions": 45},
            "enforcement": {"previous_items": 3, "change": 0, "decisions": 5},
            "fees": {"previous_items": 1, "change": 0}, "procurement": {"items": 6, "amount": "1280500元"}}


def _a2021(licensing: int, issued: int, repealed: int, in_force: int) -> dict:
    return {"rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": issued, "repealed": repealed, "in_force": in_force},
            "licensing": licensing, "penalty": 50, "enforcement": 4, "fees": 1.5}


REPORTS = {
    # 2019 and 2020 in the 2019 layout (single （六） row)
    2019: ("2019", _a2019(1204), _b(new=[3, 1, 0, 0, 0, 0, 4], granted=[3, 0, 0, 0, 0, 0, 3], other=ZERO,
                                     total=[3, 0, 0, 0, 0, 0, 3], carried_forward=[0, 1, 0, 0, 0, 0, 1])),
    2020: ("2019", _a2019(1300), _b(new=[5, 0, 0, 0, 0, 0, 5], carried_over=[0, 1, 0, 0, 0, 0, 1],
                                     granted=[4, 1, 0, 0, 0, 0, 5], other=[1, 0, 0, 0, 0, 0, 1],
                                     total=[5, 1, 0, 0, 0, 0, 6], carried_forward=ZERO)),
    # 2021 and 2022 in the 2021 layout (three （六） rows)
    2021: ("2021", _a2021(1500, 2, 1, 20), _b(new=[3, 0, 0, 0, 0, 0, 3], granted=[2, 0, 0, 0, 0, 0, 2],
                                               other_no_correction=ZERO, other_unpaid_fee=ZERO,
                                               other_other=[1, 0, 0, 0, 0, 0, 1], total=[3, 0, 0, 0, 0, 0, 3],
                                               carried_forward=ZERO)),
    # 2022 says 2 requests were carried over, but 2021 carried none forward: a failing check.
    2022: ("2021", _a2021(1600, 3, 0, 23), _b(new=[4, 0, 0, 0, 0, 0, 4], carried_over=[2, 0, 0, 0, 0, 0, 2],
                                               granted=[6, 0, 0, 0, 0, 0, 6], other_no_correction=ZERO,
                                               other_unpaid_fee=ZERO, other_other=ZERO,
                                               total=[6, 0, 0, 0, 0, 0, 6], carried_forward=ZERO)),
}


def _text(year: int) -> str:
    fmt, a, b = REPORTS[year]
    return report_text(AGENCY, year, fmt, a, b, C0)


def test_the_texts_parse_to_their_values() -> None:
    for year, (fmt, a, b) in REPORTS.items():
        r = parse_bytes(_text(year).encode(), Path(f"{year}.txt"))
        assert (r.year, r.format, r.agency) == (year, fmt, AGENCY)
        assert r.failed_checks == [] and r.warnings == ()
        assert {k: (list(v.values()) if v else None) for k, v in r.requests.items()} == b
        if fmt == "2021":  # the 2019 texts print the amount in 元, read as 万元 (checked below)
            assert r.active_disclosure == a
    assert parse_bytes(_text(2019).encode(), Path("x.txt")).active_disclosure["procurement"]["amount"] == 128.05


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("years")
    reports = root / "content" / "reports"
    reports.mkdir(parents=True)
    for year in REPORTS:
        (reports / f"{year}.txt").write_text(_text(year), encoding="utf-8")
    result: BuildResult = build_site(Settings(content_dir=root / "content", out_dir=root / "site",
                                              cache_dir=None))
    assert len(result.site.reports) == 4
    return result.out_dir


def _page(site: Path, url: str) -> html.HtmlElement:
    return html.fromstring((site / url.strip("/") / "index.html").read_bytes())


def _agency_url(site: Path) -> str:
    [agency] = json.loads((site / "data" / "agencies.json").read_text(encoding="utf-8"))
    assert agency["years"] == [2019, 2020, 2021, 2022]
    return agency["url"]


def test_cross_year_checks_on_the_agency_page(site: Path) -> None:
    doc = _page(site, _agency_url(site))
    rows = {" ".join(tr[0].text_content().split()): tr for tr in doc.xpath("//table[contains(@class,'gk-series-checks')]/tbody/tr")}
    assert list(rows) == ["2018→2019", "2019→2020", "2020→2021", "2021→2022"][1:]
    assert rows["2019→2020"].get("class") == "gk-passed" and "✓" in rows["2019→2020"].text_content()
    assert rows["2020→2021"].get("class") == "gk-passed"
    failing = rows["2021→2022"]
    assert failing.get("class") == "gk-failed"
    assert "自然人：2022年“上年结转”为 2，2021年“结转下年度继续办理”为 0" in failing.text_content()
    assert "⚠ 2 项对不上" in failing.text_content()


def test_cross_year_checks_on_the_later_report(site: Path) -> None:
    agency = _agency_url(site)
    doc = _page(site, f"{agency}2022/")
    box = doc.xpath("//div[contains(@class,'gk-year-checks')]")[0]
    assert "跨年度核对：2 项对不上" in box.text_content()
    assert "总计：2022年“上年结转”为 2，2021年“结转下年度继续办理”为 0" in box.text_content()
    # in force: 20 + 3 - 0 = 23, as printed
    ok = _page(site, f"{agency}2021/").xpath("//div[contains(@class,'gk-year-checks')]")[0]
    assert "全部相符" in ok.text_content() and "现行有效件数前后衔接" not in ok.text_content()  # 2020 is 2019 layout
    reports = site_reports(site)
    [r2022] = [r for r in reports if r["year"] == 2022]
    assert {(c["rule"], c["where"], c["passed"]) for c in r2022["year_checks"]} >= {
        ("years.carried_over", "natural_person", False), ("years.carried_over", "total", False),
        ("years.in_force", "normative_documents", True)}


def test_comparison_across_the_layout_change(site: Path) -> None:
    doc = _page(site, f"{_agency_url(site)}2021/")
    note = doc.xpath("//div[@class='gk-layout-note']")[0].text_content()
    assert "2020 年报告用2019 年版" in note and "不作比较" in note
    items = [" ".join(li.text_content().split()) for li in doc.xpath("//ul[@class='gk-not-comparable']/li")]
    assert "2020年表二 其他对外管理服务事项·处理决定数量" in items
    assert "2020年表二 政府集中采购·采购总金额（万元）" in items
    assert "本年表二 行政规范性文件·现行有效件数" in items
    # (the tables by part: every change, and the unchanged numbers; the lead repeats some)
    rows = {tr.get("data-row"): [" ".join(c.text_content().split()) for c in tr.xpath("./th/span[@class='gk-col']|./td")]
            for tr in doc.xpath("//details//table[contains(@class,'gk-changes')]//tr[@data-row]")}
    # the decision counts mean the same in both layouts and are compared (thousands separated)
    assert rows["active_disclosure.licensing.value"][1:4] == ["1,300", "1,500", "▲ +200+15.4%"]
    # table B is compared row by row; the single （六） row against the three rows' sum
    assert rows["requests.granted.total"][1:4] == ["5", "2", "▼ −3-60%"]
    assert rows["requests.other.total"][0:4] == ["总计", "1", "1", "0+0%"]
    assert "active_disclosure.licensing.decisions" not in rows and "active_disclosure.procurement.items" not in rows
