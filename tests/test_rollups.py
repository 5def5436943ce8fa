"""Roll-ups, rates, kinds of body, trend charts and timeliness (issue 15, items 1-2)."""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from gongkai import bodies, rollups, timeliness, urls
from gongkai.charts import trend_chart
from gongkai.errors import ConfigError
from gongkai.render import render_site
from gongkai.settings import Settings
from gongkai.site import Input, gather_site

from report_factory import zero_report

HUAIAN = ("淮安市洪泽区人民政府", "淮安市淮阴区人民政府", "淮安市清江浦区人民政府", "淮安市人民政府",
          "淮安市教育局", "淮安市洪泽区岔河镇人民政府", "淮安市洪泽区教育局")
YEARS = (2021, 2022, 2023)


def _site(tmp_path: Path, reports, agencies_yml: str | None = None):
    if agencies_yml is not None:
        (tmp_path / "agencies.yml").write_text(agencies_yml, encoding="utf-8")
    settings = Settings(content_dir=tmp_path, out_dir=tmp_path / "site", cache_dir=None)
    inputs = [Input(r.source.file, tmp_path / r.source.file, r.source.sha256, r) for r in reports]
    return gather_site(settings, inputs)


def _corpus(seed: int = 15):
    """Seven bodies of 淮安市 over three years with random figures, some left blank."""
    rnd = random.Random(seed)
    out = []
    for i, name in enumerate(HUAIAN):
        for y in YEARS:
            new, granted, part = rnd.randint(0, 90), rnd.randint(0, 40), rnd.randint(0, 20)
            total = granted + part + rnd.randint(0, 30)
            reviews, corrected = rnd.randint(0, 9), rnd.randint(0, 3)
            req = {"new": {"total": new}, "granted": {"total": granted}, "partially_granted": {"total": part},
                   "unable_not_held": {"total": rnd.randint(0, 5)}, "denied_state_secret": {"total": rnd.randint(0, 2)},
                   "total": {"total": total}}
            if (i + y) % 5 == 0:  # a blank is not a zero
                req["new"] = {"total": None}
                req["granted"] = {"total": None}
            review = {"review": {"total": reviews, "corrected": min(corrected, reviews)},
                      "litigation_direct": {"total": rnd.randint(0, 4), "corrected": rnd.randint(0, 1)},
                      "litigation_after_review": {"total": rnd.randint(0, 3), "corrected": 0}}
            out.append(zero_report(name, y, file=f"reports/{y}/{i}.txt", requests=req, review=review))
    return out


def _cell(report, table, row, col):
    v = getattr(report, table)[row][col]
    return v


def test_rollups_equal_the_sum_of_their_agencies(tmp_path):
    site = _site(tmp_path, _corpus())
    agencies = [a for a in site.agencies if a.region[:2] == ("江苏省", "淮安市")]
    assert len(agencies) == len(HUAIAN)
    series = rollups.by_year(agencies)
    assert list(series) == list(YEARS)
    for y, ru in series.items():
        reports = [r for a in agencies for r in a.reports if r.year == y]
        assert ru.reports == len(reports) == len(HUAIAN)
        for key, row in (("new", "new"), ("granted", "granted"), ("handled", "total"), ("not_held", "unable_not_held")):
            printed = [_cell(r, "requests", row, "total") for r in reports]
            t = ru.totals[key]
            assert t.value == sum(v for v in printed if v is not None)
            assert (t.reports, t.lacking) == (sum(v is not None for v in printed), sum(v is None for v in printed))
        suits = sum(_cell(r, "review_litigation", k, "total") for r in reports
                    for k in ("litigation_direct", "litigation_after_review"))
        assert ru.totals["litigation"].value == suits
        # the rate counts only reports printing both its numbers
        both = [r for r in reports if _cell(r, "requests", "granted", "total") is not None]
        num = sum(_cell(r, "requests", "granted", "total") + _cell(r, "requests", "partially_granted", "total")
                  for r in both)
        den = sum(_cell(r, "requests", "total", "total") for r in both)
        rate = ru.rates["disclosure"]
        assert (rate.numerator, rate.denominator, rate.reports) == (num, den, len(both))
        assert rate.value == (num / den if den >= 30 else None)
    # one year lacks figures of some reports: said so, not hidden
    assert any(ru.totals["new"].lacking for ru in series.values())


def test_region_page_table_and_charts_show_the_rollups(tmp_path):
    site = _site(tmp_path, _corpus())
    pages = {p.url: p for p in render_site(site)}
    agencies = [a for a in site.agencies if a.region[:2] == ("江苏省", "淮安市")]
    series = rollups.by_year(agencies)
    page = pages[urls.region("320800")]
    doc = lxml.html.fromstring(page.html)
    cells = doc.xpath("//table[contains(@class,'gk-rollup')]//tr[@data-figure='new']/td/@data-v")
    assert [float(v) for v in cells] == [series[y].totals["new"].value for y in YEARS]
    svgs = re.findall(r'<svg class="gk-trend".*?</svg>', page.html, re.S)
    assert len(svgs) == len(rollups.RATES) + 4
    charts = {}
    for text in svgs:
        svg = lxml.etree.fromstring(text)  # well-formed XML
        assert svg.get("role") == "img" and svg.get("aria-label") and svg.find("title") is not None
        # drawn at its own width or narrower: on a 390 px phone (358 px column) text >= 12 px
        assert int(svg.get("font-size")) * min(1, 358 / int(svg.get("width"))) >= 12
        charts[svg.get("aria-label")] = {int(m.get("data-year")): float(m.get("data-value"))
                                         for m in svg.iter("rect", "circle") if m.get("data-year")}
    assert charts["本年新收（件）各年度合计"] == {y: series[y].totals["new"].value for y in YEARS}
    assert charts["行政诉讼（件）各年度合计"] == {y: series[y].totals["litigation"].value for y in YEARS}
    rate_chart = next(v for k, v in charts.items() if k.startswith("予以公开率"))
    assert rate_chart == {y: pytest.approx(series[y].rates["disclosure"].value) for y in YEARS
                          if series[y].rates["disclosure"].shown}
    # bodies compared within their kind only: the three county governments side by side
    county = doc.xpath("//table[@data-kind='county_gov']//th[@scope='row']//text()")
    assert sorted(county) == sorted(HUAIAN[:3])
    kinds = doc.xpath("//table[contains(@class,'gk-kind-table')]/@data-kind")
    assert kinds == ["township", "city_gov", "county_gov", "city_dept", "county_dept"]


def _tiny(name: str, handled: int, reviews: int, year: int = 2023, file: str | None = None):
    return zero_report(name, year, file=file or f"reports/{year}/{name}.txt",
                       requests={"new": {"total": handled}, "granted": {"total": handled}, "total": {"total": handled}},
                       review={"review": {"total": reviews, "corrected": reviews}})


@pytest.mark.parametrize(("handled", "reviews", "shown"), [(29, 4, False), (30, 5, True)])
def test_a_rate_below_its_minimum_is_never_shown(tmp_path, handled, reviews, shown):
    site = _site(tmp_path, [_tiny("淮安市洪泽区人民政府", handled, reviews)])
    pages = render_site(site)
    html = "".join(p.html for p in pages)
    doc = lxml.html.fromstring(html)
    for key in ("disclosure", "review_corrected"):
        texts = ["".join(td.itertext()) for td in doc.xpath(f"//td[@data-rate='{key}']")]
        assert texts
        for t in texts:
            assert ("%" in t.split()[0]) is shown and (rollups.TOO_FEW in t) is not shown
    # and no rate point is drawn for it
    for svg in re.findall(r'<svg class="gk-trend".*?</svg>', html, re.S):
        if lxml.etree.fromstring(svg).get("aria-label").startswith(("予以公开率", "复议纠错率")):
            assert ("<circle" in svg) is shown


def test_about_page_defines_the_rates_from_the_constants(tmp_path):
    site = _site(tmp_path, [_tiny("淮安市洪泽区人民政府", 3, 0)])
    about = next(p for p in render_site(site) if p.url == urls.ABOUT)
    for r in rollups.RATES:
        assert f"{r.label}</strong> = {r.definition}" in about.html
        assert f"不少于 {r.minimum} {r.unit}" in about.html


KINDS = {
    # real names of tests/fixtures
    "淮安市洪泽区人民政府": "县级人民政府",
    "乌拉特前旗额尔登布拉格苏木人民政府": "乡镇人民政府·街道办事处",
    "乌拉特中旗教育局": "县级政府部门",
    "石拐区政务服务局": "县级政府部门",
    "平潭综合实验区公安局": "县级政府部门",
    "阿拉善高新技术产业开发区 乌兰布和生态沙产业示范区": "其他",
    "某某市生态环境局": "其他",  # no region known: not put at a level
    # synthetic
    "某县人民政府": "其他",
    "乌拉特前旗人民政府": "县级人民政府",
    "淮安市清江浦区人民政府": "县级人民政府",
    "北京市东城区人民政府": "县级人民政府",  # a 直辖市's district: county level by its code
    "北京市人民政府": "省级人民政府",
    "淮安市洪泽区岔河镇人民政府": "乡镇人民政府·街道办事处",
    "淮安市洪泽区高良涧街道办事处": "乡镇人民政府·街道办事处",
    "淮安市教育局": "市级政府部门",
    "江苏省人民政府办公厅": "省级政府部门",  # a government's general office is a department of its level
    "江苏省人民政府": "省级人民政府",
}


def test_kinds_of_body(tmp_path):
    site = _site(tmp_path, [_tiny(n, 1, 0, file=f"reports/{i}.txt") for i, n in enumerate(KINDS)])
    got = {a.name: bodies.kind_of(a).label for a in site.agencies}
    assert got == KINDS


def test_kind_override_in_agencies_yml(tmp_path):
    site = _site(tmp_path, [_tiny("淮安市教育局", 1, 0)], "- name: 淮安市教育局\n  kind: 其他\n")
    assert bodies.kind_of(site.agencies[0]).key == "other"
    with pytest.raises(ConfigError, match="kind '局' must be one of"):
        _site(tmp_path, [_tiny("淮安市教育局", 1, 0)], "- name: 淮安市教育局\n  kind: 局\n")


@pytest.mark.parametrize(("year", "published", "status", "days"), [
    (2023, "2024-01-31", "on_time", 0),
    (2023, "2024-02-01", "late", 1),
    (2023, "2024-02-29", "late", 29),  # 2024 is a leap year
    (2023, "2024-03-01", "late", 30),
    (2022, "2023-03-01", "late", 29),
    (2023, "2023-12-30", "on_time", 0),
    (2023, None, "unknown", 0),
    (2023, "2024-02-30", "unknown", 0),
])
def test_timeliness_around_the_deadline(year, published, status, days):
    t = timeliness.of(year, published)
    assert (t.status, t.days_late) == (status, days)
    assert t.text == {"on_time": "按时发布", "late": f"逾期 {days} 天发布", "unknown": "发布日期未知"}[status]
    assert timeliness.due(year) == dt.date(year + 1, 1, 31)


@pytest.mark.parametrize(("signed", "status", "text"), [
    ("2024-01-20", "unknown", "发布日期未知（落款日期在期限内）"),  # signed in time, published whenever
    ("2024-01-31", "unknown", "发布日期未知（落款日期在期限内）"),
    ("2024-02-05", "late", "逾期发布（落款日期已晚于期限 5 天）"),  # published that day or later
])
def test_a_signature_date_proves_lateness_never_timeliness(signed, status, text):
    t = timeliness.of(2023, signed, "signature")
    assert (t.status, t.text) == (status, text)
    assert timeliness.share([t]).share == (None if status == "unknown" else 0.0)


def test_timeliness_and_missing_years_on_the_pages(tmp_path):
    yml = ("- name: 淮安市洪泽区人民政府\n  sources:\n    2022: {published: 2023-02-01}\n"
           "    2023: {published: 2024-01-31}\n"
           "- name: 淮安市淮阴区人民政府\n")
    reports = [_tiny("淮安市洪泽区人民政府", 1, 0, 2022), _tiny("淮安市洪泽区人民政府", 1, 0, 2023),
               _tiny("淮安市淮阴区人民政府", 1, 0, 2022), _tiny("淮安市清江浦区人民政府", 1, 0, 2022)]
    site = _site(tmp_path, reports, yml)
    pages = {p.url: p for p in render_site(site)}
    by_name = {a.name: a for a in site.agencies}
    hz = pages[urls.agency(by_name["淮安市洪泽区人民政府"].id)].html
    assert "逾期 1 天发布" in hz and "按时发布" in hz and timeliness.NOT_PUBLISHED not in hz
    hy = pages[urls.agency(by_name["淮安市淮阴区人民政府"].id)].html
    assert f"{timeliness.NOT_PUBLISHED}：2023 年度" in hy
    # 清江浦区 is not in agencies.yml: its missing 2023 is not counted as unpublished
    qjp = pages[urls.agency(by_name["淮安市清江浦区人民政府"].id)].html
    assert timeliness.NOT_PUBLISHED not in qjp
    doc = lxml.html.fromstring(pages[urls.year(2023)].html)
    row = [c.text_content() for c in doc.xpath("//table[contains(@class,'gk-on-time')]//tbody/tr[1]/*")]
    assert row == ["2023", "1", "0", "0", "100%", "1"]
    doc = lxml.html.fromstring(pages[urls.region("320800")].html)
    rows = [[c.text_content() for c in tr] for tr in doc.xpath("//table[contains(@class,'gk-on-time')]//tbody/tr")]
    assert rows == [["2022", "0", "1", "2", "0%", "0"], ["2023", "1", "0", "0", "100%", "1"]]


def test_trend_chart_gaps_and_escaping():
    svg = lxml.etree.fromstring(str(trend_chart([(2021, 0.5), (2022, None), (2023, 0.25)], "<率>", line=True, top=1)))
    assert svg.findtext("title") == "<率>"
    assert [c.get("data-year") for c in svg.iter("circle")] == ["2021", "2023"]
    assert not list(svg.iter("polyline"))  # no line drawn across the missing year
    assert [t.text for t in svg.iter("text")][-3:] == ["2021", "2022", "2023"]
