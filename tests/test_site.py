"""A whole site built from tests/fixtures/site/content, checked on its real HTML and data.

The fixture content: one office in 2022 and 2023 under two printed names (joined by
agencies.yml), a report whose （七）总计 does not add up (and whose prose carries markup),
seed 002 (Traditional script), an empty PDF and a text file that is not a report.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from lxml import html

from gongkai.build import BuildResult, build_site
from gongkai.errors import ConfigError, GongkaiError
from gongkai.search_index import SearchIndexer, searchable
from gongkai.settings import Settings, default_config_file

from conftest import FIXTURES, SEARCH_MODULE, pagefind_search, run_node_module, site_cells, site_reports, write_project

CONTENT = FIXTURES / "site" / "content"
OFFICE = "a-la-shan-gao-xin-qu-she-hui-shi-wu-ban-gong-shi"
BUREAU = "wu-la-te-zhong-qi-jiao-yu-ju"


def settings_for(out: Path, **kw) -> Settings:
    return Settings(content_dir=CONTENT, out_dir=out, cache_dir=None, **kw)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    return build_site(settings_for(tmp_path_factory.mktemp("fixture-site") / "site", strict=True))


@pytest.fixture(scope="module")
def site(built: BuildResult) -> Path:
    return built.out_dir


def page(site: Path, url: str) -> html.HtmlElement:
    return html.fromstring((site / url / "index.html").read_bytes())


def text(el: html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ---------------------------------------------------------------- the build as a whole

def test_build_summary_and_no_mkdocs_warnings(built: BuildResult) -> None:
    assert built.warnings == []
    assert (len(built.site.reports), len(built.site.agencies), len(built.rejected)) == (4, 3, 2)
    assert [i.path for i in built.with_failed_checks] == ["reports/2023/jiaoyuju.txt"]
    assert built.summary().startswith(f"built {built.out_dir} from {CONTENT}: 4 reports, 3 agencies, "
                                      "1 with failed checks, 2 rejected in ")
    assert not list(built.out_dir.parent.glob(".site-build-*"))  # work folder removed


def test_every_page_is_chinese_and_marks_its_searchable_part(site: Path) -> None:
    for f in html_files(site):
        doc = html.fromstring(f.read_bytes())
        assert doc.get("lang") == "zh-CN", f
    report = page(site, f"agencies/{OFFICE}/2023/")
    [body] = report.xpath("//*[@data-pagefind-body]")
    # indexed: names, title, region, prose; not: numbers, checks, comparisons (on every page)
    assert body.xpath(".//h1") and not body.xpath(".//h1/ancestor-or-self::*[@data-pagefind-ignore]")
    assert body.xpath(".//div[@class='gk-prose']") and not body.xpath(
        ".//div[@class='gk-prose']/ancestor-or-self::*[@data-pagefind-ignore]")
    tables = body.xpath(".//table")
    assert len(tables) >= 4 and all(t.xpath("ancestor::*[@data-pagefind-ignore]") for t in tables)
    assert body.xpath(".//*[@data-pagefind-meta='地区']")
    agency = page(site, f"agencies/{OFFICE}/")
    assert all(t.xpath("ancestor::*[@data-pagefind-ignore]") for t in agency.xpath("//table"))
    # the index pages only repeat the names the agency and report pages carry
    for url in ("", "agencies/", "years/", "years/2023/", "quality/", "search/"):
        assert not page(site, url).xpath("//*[@data-pagefind-body]"), url
    assert page(site, "about/").xpath("//*[@data-pagefind-body]")


def test_navigation_lists_only_the_index_pages(site: Path) -> None:
    home = page(site, "")
    nav_links = {a.get("href") for a in home.xpath("//nav[contains(@class,'md-nav--primary')]//a")}
    assert {"agencies/", "years/", "quality/", "data/", "about/", "search/"} <= nav_links
    assert not [h for h in nav_links if h and h.startswith("agencies/") and h != "agencies/"]


# ---------------------------------------------------------------- pages

def test_agency_page_joins_both_printed_names(site: Path) -> None:
    doc = page(site, f"agencies/{OFFICE}/")
    assert text(doc.xpath("//h1")[0]) == "阿拉善高新区社会事务办公室"
    facts = text(doc.xpath("//ul[@class='gk-facts']")[0])
    assert "内蒙古自治区 / 阿拉善盟" in facts
    assert "阿拉善盟高新技术产业开发区社会事务办公室" in facts
    years = [a.get("href") for a in doc.xpath("//table[contains(@class,'gk-list')]//th/a")]
    assert years == ["2023/", "2022/"]
    # the latest year-over-year changes, changed numbers only
    latest = doc.xpath("//table[contains(@class,'gk-changes')]")[0]
    rows = {tr.get("data-row") for tr in latest.xpath(".//tr[@data-row]")}
    assert "requests.new.total" in rows and "requests.carried_over.total" not in rows
    assert len(doc.xpath("//svg[@class='gk-chart']")) == 5


def table_b_values(doc: html.HtmlElement) -> dict[str, list[str]]:
    table = doc.xpath("//table[contains(@class,'gk-table-b')]")[0]
    return {text(tr.xpath("./th")[0]): [text(td) for td in tr.xpath("./td")] for tr in table.xpath("./tbody/tr")}


def test_report_page_shows_every_number_of_table_b(site: Path) -> None:
    values = table_b_values(page(site, f"agencies/{OFFICE}/2023/"))
    assert len(values) == 25  # the 2021 layout with （六） split in three
    assert all(len(v) == 7 for v in values.values())
    zeros = ["0"] * 7
    expected = {  # scripts/make_site_fixtures.py, b23
        "一、本年新收政府信息公开申请数量": ["7", "1", "0", "0", "0", "0", "8"],
        "三、本年度办理结果 （一）予以公开": ["5", "1", "0", "0", "0", "0", "6"],
        "4.保护第三方合法权益": ["1", "0", "0", "0", "0", "0", "1"],
        "2.重复申请": ["1", "0", "0", "0", "0", "0", "1"],
        "（七）总计": ["7", "1", "0", "0", "0", "0", "8"],
    }
    for label, cells in values.items():
        assert cells == expected.get(label, zeros), label
    report = json.loads((site / f"agencies/{OFFICE}/2023/report.json").read_text(encoding="utf-8"))
    printed = [[str(v) for v in row.values()] for row in report["requests"].values() if row is not None]
    assert printed == list(values.values())


def test_report_page_links_original_and_json(site: Path) -> None:
    doc = page(site, f"agencies/{OFFICE}/2023/")
    links = {text(a): a.get("href") for a in doc.xpath("//ul[@class='gk-facts']//a")}
    original = site / f"agencies/{OFFICE}/2023" / links["原始文件（TXT）"]
    assert original.resolve().read_bytes() == (CONTENT / "reports/2023/社会事务办公室-2023.txt").read_bytes()
    assert original.resolve().name.startswith("2023-") and original.resolve().parent.name == OFFICE
    assert links["JSON 数据"] == "report.json"
    assert links["← 2022"] == "../2022/"
    assert "报告所印机关名称：阿拉善盟高新技术产业开发区社会事务办公室" in text(doc)


def test_diff_row_with_its_change(site: Path) -> None:
    doc = page(site, f"agencies/{OFFICE}/2023/")
    # the largest changes lead, each naming its table; every change is listed by table too
    lead = doc.xpath("//table[contains(@class,'gk-changes-lead')]//tr[@data-row]")
    assert "requests.new.total" in [tr.get("data-row") for tr in lead]
    assert all(text(tr[0])[:2] in {"表二", "表三", "表四"} for tr in lead)
    def size(tr: html.HtmlElement) -> float:
        prev, cur = (float(text(td).replace(",", "")) if text(td) != "—" else 0.0 for td in tr[1:3])
        return abs(cur - prev)
    sizes = [size(tr) for tr in lead]
    assert sizes == sorted(sizes, reverse=True)  # the largest change first
    row = doc.xpath("//details[@class='gk-changes-all']//tr[@data-row='requests.new.total']")[0]
    assert text(row[0].xpath("./span[@class='gk-col']")[0]) == "总计"
    assert text(row[0]) == "一、本年新收政府信息公开申请数量总计"
    assert [text(c) for c in row[1:3]] == ["4", "8"]
    assert text(row[3]) == "▲ +4+100%" and text(row[3].xpath("./span[@class='gk-rate']")[0]) == "+100%"
    dropped = doc.xpath("//tr[@data-row='requests.new.legal_service_organization']")[0]
    assert [text(c) for c in dropped][1:] == ["1", "0", "▼ −1-100%"]
    assert dropped.get("class") == "gk-down"
    assert not doc.xpath("//tr[@data-row='requests.carried_over.total']")  # zero in both years
    reuse = text(doc.xpath("//p[contains(@class,'gk-reuse')]")[0])
    assert "基本照搬上一年" in reuse and "本年 5 句中有 4 句与上一年一字不差" in reuse
    assert [text(li) for li in doc.xpath("//ol[@class='gk-diff-lines']/li[@class='gk-added']")] == [
        "下一步，我办将加强栏目日常维护，明确专人负责信息发布，丰富政策解读形式，提升公开质量，并加强业务培训。"]


def test_checks_across_years_on_the_report_page(site: Path) -> None:
    doc = page(site, f"agencies/{OFFICE}/2023/")
    note = text(doc.xpath("//div[contains(@class,'gk-year-checks')]")[0])
    # 7 columns of 上年结转 + 现行有效件数 of 规章 and 行政规范性文件
    assert note.startswith("✓ 跨年度核对 9 项全部相符")
    reports = site_reports(site)
    latest = next(r for r in reports if r["agency_id"] == OFFICE and r["year"] == 2023)
    assert len(latest["year_checks"]) == 9 and all(c["passed"] for c in latest["year_checks"])


def test_failed_check_is_shown_at_its_cell(site: Path) -> None:
    doc = page(site, f"agencies/{BUREAU}/2023/")
    cell = doc.xpath("//td[@id='cell-requests-total-total']")[0]
    assert "gk-fail" in cell.get("class")
    assert text(cell) == "3⚠ 应为 4"
    natural = doc.xpath("//td[@id='cell-requests-total-natural_person']")[0]
    assert text(natural) == "4⚠ 应为 3"
    listed = [a.get("href") for a in doc.xpath("//div[contains(@class,'gk-checks-failed')]//li/a")]
    assert listed == ["#cell-requests-total-total", "#cell-requests-total-natural_person",
                      "#cell-requests-total-total"]


def test_report_text_never_becomes_markup(site: Path) -> None:
    doc = page(site, f"agencies/{BUREAU}/2023/")
    article = doc.xpath("//article")[0]
    assert "<script>alert('x')</script> [点我](javascript:alert(1))" in text(article)
    assert "{{ 7*7 }} {% if %} **粗体** <img src=x onerror=alert(1)>" in text(article)
    assert not article.xpath(".//script | .//img | .//strong[.='粗体'] | .//a[starts-with(@href,'javascript')]")
    assert not doc.xpath("//*[@onerror]")
    for title in doc.xpath("//title"):
        assert "<" not in title.text_content()


def quality_rows(site: Path) -> dict[str, tuple[str, html.HtmlElement]]:
    """Every input row of /quality/ and of the year pages it links to: path -> (page URL, row)."""
    urls = ["quality/"] + [f"quality/{a.get('href')}" for a in
                           page(site, "quality/").xpath("//table[contains(@class,'gk-quality-years')]//th/a")]
    rows: dict[str, tuple[str, html.HtmlElement]] = {}
    for url in urls:
        for tr in page(site, url).xpath("//table[contains(@class,'gk-inputs')]/tbody/tr"):
            assert text(tr[0]) not in rows, text(tr[0])  # each input in exactly one place
            rows[text(tr[0])] = (url, tr)
    return rows


def test_quality_page_lists_every_input(site: Path) -> None:
    rows = quality_rows(site)
    assert {k: url for k, (url, _) in rows.items()} == {
        "reports/2022/阿拉善高新区社会事务办公室2022年报.txt": "quality/2022/", "reports/2023/jiaoyuju.txt": "quality/2023/",
        "reports/2023/scanned.pdf": "quality/", "reports/2023/社会事务办公室-2023.txt": "quality/2023/",
        "reports/2024/002_5ead8cc1c8ee6d6d.txt": "quality/2024/", "reports/misc/通知.txt": "quality/",
    }
    pdf = rows["reports/2023/scanned.pdf"][1]
    assert pdf.get("data-status") == "rejected"
    # the reason in Chinese; the parse half's English only in the collapsed 技术细节
    assert [text(td) for td in pdf[1:4]] == ["未能解析", "空文件技术细节empty file", "—"]
    assert text(pdf[2].xpath("./details[@class='gk-tech']/span")[0]) == "empty file"
    assert rows["reports/misc/通知.txt"][1].get("data-status") == "rejected"
    notice = rows["reports/misc/通知.txt"][1][2]
    assert notice.text.startswith("不是政府信息公开工作年度报告")
    assert "not an annual" in text(notice.xpath("./details")[0]) and notice.xpath("./details[not(@open)]")
    jiaoyuju = rows["reports/2023/jiaoyuju.txt"][1]
    assert jiaoyuju.get("data-status") == "issues"
    assert [text(td) for td in jiaoyuju[1:4]] == ["已解析，核对未通过", "乌拉特中旗教育局 2023 年；3 项核对未通过", "查看"]
    assert rows["reports/2023/社会事务办公室-2023.txt"][1].get("data-status") == "parsed"
    # every link of every row resolves: report pages and originals (a rejected one too)
    for key, (url, tr) in rows.items():
        for href in tr.xpath(".//a/@href"):
            target = (site / url / href.split("#")[0]).resolve()
            assert (target / "index.html" if target.is_dir() else target).is_file(), (key, href)
    href = rows["reports/misc/通知.txt"][1].xpath(".//a[.='下载']")[0].get("href")
    assert (site / "quality" / href).resolve().read_bytes() == (CONTENT / "reports/misc/通知.txt").read_bytes()
    clean = rows["reports/2024/002_5ead8cc1c8ee6d6d.txt"][1]
    assert (site / "quality/2024" / clean.xpath(".//a[.='下载']")[0].get("href")).resolve().read_bytes() == \
        (CONTENT / "reports/2024/002_5ead8cc1c8ee6d6d.txt").read_bytes()


def test_quality_overview_links_years_and_year_page_lists_problems_first(site: Path) -> None:
    overview = page(site, "quality/")
    listed = text(overview.xpath("//article")[0])
    # the overview names the rejected files only; the others are on their year's page
    assert "reports/misc/通知.txt" in listed and "reports/2023/scanned.pdf" in listed
    for clean in ("reports/2022/阿拉善高新区社会事务办公室2022年报.txt", "reports/2023/社会事务办公室-2023.txt",
                  "reports/2024/002_5ead8cc1c8ee6d6d.txt", "reports/2023/jiaoyuju.txt"):
        assert clean not in listed
    years = [[text(c) for c in tr] for tr in overview.xpath("//table[contains(@class,'gk-quality-years')]/tbody/tr")]
    assert years == [["2024 年", "1", "1", "0", "0", "0"], ["2023 年", "2", "1", "1", "0", "0"],
                     ["2022 年", "1", "1", "0", "0", "0"]]
    assert overview.xpath("//table[contains(@class,'gk-quality-years')]//th/a/@href") == ["2024/", "2023/", "2022/"]
    # a year page: the report with failed checks before the clean one
    doc = page(site, "quality/2023/")
    order = [(tr.get("data-status"), text(tr[0])) for tr in doc.xpath("//table[contains(@class,'gk-inputs')]/tbody/tr")]
    assert order == [("issues", "reports/2023/jiaoyuju.txt"), ("parsed", "reports/2023/社会事务办公室-2023.txt")]
    assert [h.get("id") for h in doc.xpath("//article//h2")] == ["issues", "clean"]
    # year pages are reached from /quality/, not from the nav
    nav = {a.get("href") for a in doc.xpath("//nav[contains(@class,'md-nav--primary')]//a")}
    assert not [h for h in nav if h and "quality/2023" in h]


def test_year_page_and_missing_agencies(site: Path) -> None:
    doc = page(site, "years/2024/")
    names = [text(a) for a in doc.xpath("//table[contains(@class,'gk-sortable')]//th/a")]
    assert names == ["阿拉善高新技术产业开发区 乌兰布和生态沙产业示范区"]
    missing = [text(a) for a in doc.xpath("//div[@class='gk-missing']//a")]
    assert missing == ["阿拉善高新区社会事务办公室", "乌拉特中旗教育局"]


def test_about_page_glossary_covers_every_row(site: Path) -> None:
    from gongkai.layouts import TABLE_A_2019, TABLE_A_2021, TABLE_B, TABLE_C

    keys = [text(c) for c in page(site, "about/").xpath("//dl/dt/code")]
    for layout in (TABLE_A_2021, TABLE_A_2019, TABLE_B, TABLE_C):
        assert all(r.key in keys for r in layout.rows), layout.key


# ---------------------------------------------------------------- data files

def test_data_files(site: Path, schema_validator) -> None:
    reports = site_reports(site)
    assert [(r["agency_id"], r["year"]) for r in reports] == [  # by id, then year
        ("a-la-shan-gao-xin-ji-shu-chan-ye-kai-fa-qu-wu-lan-bu-he-sheng-tai-sha-chan-ye", 2024),
        (OFFICE, 2022), (OFFICE, 2023), (BUREAU, 2023)]
    for r in reports:
        canonical = {k: v for k, v in r.items() if k not in ("agency_id", "url", "json", "year_checks", "provenance")}
        assert r["provenance"] == {"url": None, "url_from": None, "published": None, "published_from": None}
        schema_validator.validate(canonical)
        beside = json.loads((site / r["json"]).read_text(encoding="utf-8"))
        assert beside == canonical
        assert (site / r["url"] / "index.html").exists()

    agencies = json.loads((site / "data/agencies.json").read_text(encoding="utf-8"))
    office = next(a for a in agencies if a["id"] == OFFICE)
    assert office == {"id": OFFICE, "name": "阿拉善高新区社会事务办公室",
                      "aliases": ["阿拉善盟高新技术产业开发区社会事务办公室"],
                      "region": ["内蒙古自治区", "阿拉善盟"], "region_codes": ["150000", "152900"],
                      "region_code": "152900", "region_inferred": False, "region_note": None,  # from agencies.yml
                      "url": f"agencies/{OFFICE}/", "years": [2022, 2023]}

    inputs = json.loads((site / "data/inputs.json").read_text(encoding="utf-8"))
    assert {i["path"]: i["status"] for i in inputs} == {
        "reports/2022/阿拉善高新区社会事务办公室2022年报.txt": "parsed", "reports/2023/jiaoyuju.txt": "issues",
        "reports/2023/scanned.pdf": "rejected", "reports/2023/社会事务办公室-2023.txt": "parsed",
        "reports/2024/002_5ead8cc1c8ee6d6d.txt": "parsed", "reports/misc/通知.txt": "rejected"}
    pdf = next(i for i in inputs if i["path"].endswith(".pdf"))
    assert pdf["sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert pdf["reason"] == "empty file" and pdf["url"] is None
    assert (site / pdf["original"]).exists()
    for i in inputs:
        assert i["url"] is None or (site / i["url"] / "index.html").exists()

    rows = site_cells(site)
    new = {"agency": OFFICE, "agency_name": "阿拉善高新区社会事务办公室", "province": "内蒙古自治区", "city": "阿拉善盟",
           "county": "", "region_code": "152900", "year": "2023", "layout": "2021", "table": "requests",
           "table_label": "收到和处理政府信息公开申请情况", "row": "new", "row_label": "一、本年新收政府信息公开申请数量",
           "column": "total", "unit": "件", "value": "8"}
    assert [r for r in rows if r.items() >= new.items()] != []
    fees = {"agency": OFFICE, "year": "2023", "table": "active_disclosure", "row": "fees", "column": "value",
            "unit": "万元", "value": "1.25"}
    assert [r for r in rows if r.items() >= fees.items()] != []
    assert not [r for r in rows if r["row"] == "other" and r["year"] == "2023"]  # not printed


# ---------------------------------------------------------------- no third-party requests, no broken links

ASSET_XPATH = ("//script/@src | //link[not(@rel='canonical' or @rel='alternate')]/@href | //img/@src"
               " | //iframe/@src | //source/@src | //source/@srcset | //video/@src | //video/@poster"
               " | //audio/@src | //embed/@src | //object/@data | //image/@href | //use/@href")
"""Every attribute that makes a browser fetch something (a canonical link does not)."""


def remote_assets(site: Path) -> list[str]:
    found = []
    for f in html_files(site):
        doc = html.fromstring(f.read_bytes())
        found += [f"{f.relative_to(site)}: {u}" for u in doc.xpath(ASSET_XPATH)
                  if urlsplit(u.strip()).scheme in ("http", "https") or u.strip().startswith("//")]
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        found += [f"{css.relative_to(site)}: {m}" for m in ("url(http", "url(//", "url(\"http", "url('http")
                  if m in text]
    return found


def test_no_page_references_a_remote_asset(site: Path) -> None:
    assert remote_assets(site) == []


def test_no_remote_asset_with_a_site_url_either(tmp_path: Path) -> None:
    # The Pages workflow builds with --site-url: canonical links become absolute, assets must not.
    out = build_site(settings_for(tmp_path / "site", site_url="https://example.org/gongkai/")).out_dir
    assert remote_assets(out) == []
    assert html.fromstring((out / "index.html").read_bytes()).xpath(
        "//link[@rel='canonical']/@href") == ["https://example.org/gongkai/"]


def test_every_internal_link_resolves(site: Path) -> None:
    for f in html_files(site):
        if f.name == "404.html":
            continue  # its links are written for any depth and checked by the browser script
        doc = html.fromstring(f.read_bytes())
        for url in doc.xpath("//a/@href | " + ASSET_XPATH):
            parts = urlsplit(url)
            if parts.scheme or url.startswith(("#", "//")) or not parts.path:
                continue
            target = (f.parent / unquote(parts.path)).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.exists(), f"{f.relative_to(site)}: {url}"


# ---------------------------------------------------------------- search

search = pagefind_search


def test_chinese_search_finds_agency_region_and_terms(site: Path) -> None:
    by_name, by_alias, by_region, by_term = search(
        site, "乌拉特中旗教育局", "阿拉善盟高新技术产业开发区社会事务办公室", "巴彦淖尔市", "行政复议")
    assert {r["url"] for r in by_name["results"][:2]} == {f"/agencies/{BUREAU}/", f"/agencies/{BUREAU}/2023/"}
    assert f"/agencies/{OFFICE}/" in {r["url"] for r in by_alias["results"]}
    assert f"/agencies/{BUREAU}/" in {r["url"] for r in by_region["results"]}
    assert OFFICE not in " ".join(r["url"] for r in by_region["results"])
    # headings (part 四's title is on every report) are not searched: only the reports whose
    # own text says it
    report_pages = {r["url"] for r in by_term["results"] if r["url"].count("/") == 4}
    assert report_pages == {u for u, t in searchable_text(site).items() if "行政复议" in t and u.count("/") == 4}
    assert "/about/" in {r["url"] for r in by_term["results"]}


def searchable_text(site: Path) -> dict[str, str]:
    """URL -> the text Pagefind indexes (inside data-pagefind-body, less data-pagefind-ignore),
    white space removed."""
    found = {}
    for f in html_files(site):
        body = html.fromstring(f.read_bytes()).xpath("//*[@data-pagefind-body]")
        for ignored in body[0].xpath(".//*[@data-pagefind-ignore]") if body else []:
            ignored.drop_tree()
        if body:
            rel = f.parent.relative_to(site).as_posix()
            found["/" if rel == "." else f"/{rel}/"] = "".join(body[0].text_content().split())
    return found


@pytest.mark.parametrize("query", ["行政复议", "巴彦淖尔市", "依申请公开", "阿拉善", "年度报告"])
def test_search_finds_every_page_with_the_words(site: Path, query: str) -> None:
    # Pagefind 1.5 alone, with the browser's query segmentation, found 1 of 15 pages for
    # 行政复议 on the default content (Pagefind/pagefind#1237); search.js also runs it as typed.
    (result,) = search(site, query)
    pages = {u for u, t in searchable_text(site).items() if query in t}
    assert pages and pages <= {r["url"] for r in result["results"]}


def test_search_downloads_only_chunks_per_query(site: Path) -> None:
    first, second = search(site, "乌拉特中旗教育局", "行政复议")
    assert "pagefind/wasm.unknown.pagefind" in first["files"]
    assert all(f.startswith(("pagefind/index/", "pagefind/fragment/", "pagefind/filter/"))
               for f in second["files"])


@pytest.mark.parametrize(("typed_hits", "segmented_runs"), [(10, False), (3, True)])
def test_search_runs_the_segmented_query_only_when_the_typed_one_finds_little(
        typed_hits: int, segmented_runs: bool) -> None:
    # A common phrase as typed fills the first page: its segmented words (on every page,
    # the largest index chunks) are not downloaded. A rarer one gets both, merged.
    script = f"""
        const {{ search, ENOUGH }} = await import({json.dumps(SEARCH_MODULE.as_uri())});
        const calls = [];
        const instance = (name, ids) => ({{ search: async () => {{
            calls.push(name);
            return {{ results: ids.map((id, i) => ({{ id, score: name === "segmented" ? 2 : 1 / (i + 1) }})) }};
        }} }});
        const typed = Array.from({{ length: {typed_hits} }}, (_, i) => `t${{i}}`);
        const found = await search([instance("segmented", ["t0", "s1"]), instance("typed", typed)], "q");
        console.log(JSON.stringify({{ enough: ENOUGH, calls, ids: found.map((r) => r.id) }}));
    """
    out = run_node_module(script)
    assert out["enough"] == 10
    if segmented_runs:
        assert out["calls"] == ["typed", "segmented"]
        assert out["ids"] == ["s1", "t0", "t1", "t2"]  # merged: t0 keeps its better (segmented) score
    else:
        assert out["calls"] == ["typed"] and len(out["ids"]) == 10


# ---------------------------------------------------------------- determinism and safety

def test_two_builds_are_byte_identical(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The second build compiles every template (no per-user template cache yet,
    # template_cache.py), the third loads what the second kept: the same bytes each time.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    for name in ("compiled", "from-cache"):
        again = build_site(settings_for(tmp_path / name)).out_dir
        assert files == sorted(p.relative_to(again).as_posix() for p in again.rglob("*") if p.is_file())
        differ = [f for f in files if (site / f).read_bytes() != (again / f).read_bytes()]
        assert differ == [], name
    assert len(list((tmp_path / "xdg" / "gongkai" / "jinja").iterdir())) > 20  # gongkai's and the theme's


def test_a_rebuild_takes_the_ids_from_the_cache_without_pypinyin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Agency and region ids are pinyin (registry.pinyin_id); a build keeps them in the
    # parse cache, so a rebuild need not load pypinyin's dictionaries (~0.3 s) at all.
    import pypinyin

    from gongkai import registry

    monkeypatch.setattr(registry, "PINYIN_IDS", {})
    monkeypatch.setattr("gongkai.site.PINYIN_IDS", registry.PINYIN_IDS)
    cache = tmp_path / "cache"
    result = build_site(replace(settings_for(tmp_path / "one"), cache_dir=cache))
    first, kept = result.out_dir, registry.PINYIN_IDS.copy()
    assert {a.id for a in result.site.agencies} <= set(kept.values())
    registry.PINYIN_IDS.clear()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pypinyin called")

    monkeypatch.setattr(pypinyin, "lazy_pinyin", refuse)
    again = build_site(replace(settings_for(tmp_path / "two"), cache_dir=cache)).out_dir
    assert registry.PINYIN_IDS == kept
    files = sorted(p.relative_to(first).as_posix() for p in first.rglob("*.html"))
    assert files == sorted(p.relative_to(again).as_posix() for p in again.rglob("*.html"))
    assert [f for f in files if (first / f).read_bytes() != (again / f).read_bytes()] == []


def test_search_index_holds_what_the_pagefind_cli_finds(site: Path, tmp_path: Path) -> None:
    # The build hands Pagefind each page as MkDocs writes it (search_index.py); the CLI
    # reading the finished site must find the same pages with the same words: the same
    # page count and the same fragment files (named by their content's hash).
    copy = tmp_path / "cli"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(copy), "--quiet"], check=True,
                   capture_output=True)

    def indexed(root: Path) -> tuple[int, list[str]]:
        entry = json.loads((root / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        count = sum(lang["page_count"] for lang in entry["languages"].values())
        return count, sorted(p.name for p in (root / "pagefind" / "fragment").iterdir())

    built, cli = indexed(site), indexed(copy)
    assert built[0] > 5
    assert built == cli
    for name in built[1]:
        assert (site / "pagefind" / "fragment" / name).read_bytes() == (copy / "pagefind" / "fragment" / name).read_bytes()


def index_of(site: Path, pages: list[str], out: Path, reduce: bool) -> dict[str, bytes]:
    out.mkdir()
    indexer = SearchIndexer(out, reduce=reduce)
    for path in pages:
        indexer.add(path, (site / path).read_text(encoding="utf-8"))
    indexer.finish()
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in (out / "pagefind").rglob("*") if p.is_file()}


def test_the_cut_pages_give_the_same_index_as_the_whole_pages(site: Path, tmp_path: Path) -> None:
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.relative_to(site).parts[0] != "pagefind")
    marked = [p for p in pages if "data-pagefind-body" in (site / p).read_text(encoding="utf-8")]
    # Every searchable page of gongkai's is cut, none sent whole.
    assert len(marked) >= 8
    assert [p for p in marked if searchable((site / p).read_text(encoding="utf-8")) is not None] == marked
    whole = index_of(site, pages, tmp_path / "whole", reduce=False)
    assert len(whole) > 20
    assert index_of(site, pages, tmp_path / "cut", reduce=True) == whole


def test_pages_handed_over_early_give_the_index_of_the_pages_as_written(site: Path, tmp_path: Path) -> None:
    # The plugin hands gongkai's pages to Pagefind before MkDocs writes them and asks for
    # the index at once (plugin.SEARCH_ONLY): the same index, file for file, as handing
    # over each page as written, in the same order, then asking.
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if p.relative_to(site).parts[0] != "pagefind")
    texts = {p: (site / p).read_text(encoding="utf-8") for p in pages}
    (tmp_path / "early").mkdir()
    early = SearchIndexer(tmp_path / "early")
    handed = [p for p in pages if early.add_early(p, texts[p])]
    assert len(handed) == sum("data-pagefind-body" in t for t in texts.values()) >= 8
    early.ask_early()
    for p in pages:  # MkDocs writes them: checked, not sent again
        early.add(p, texts[p])
    for p in pages:
        (tmp_path / "early" / p).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "early" / p).write_text(texts[p], encoding="utf-8")
    early.finish()
    got = {f.relative_to(tmp_path / "early").as_posix(): f.read_bytes()
           for f in (tmp_path / "early" / "pagefind").rglob("*") if f.is_file()}
    assert got == index_of(site, handed + [p for p in pages if p not in handed], tmp_path / "late", reduce=True)


def found_in_project_site(project: Path, word: str) -> list[str]:
    """The URLs a search for ``word`` finds in the site built from ``project``, whose
    reports are searched as well."""
    out = build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=project.parent / "site",
                              cache_dir=None)).out_dir
    hits, report = search(out, word, "行政复议")
    assert report["count"] >= 1
    return [r["url"] for r in hits["results"]]


def test_a_page_written_otherwise_than_handed_over_is_indexed_as_written(tmp_path: Path) -> None:
    # A project's hook changes a page after gongkai rendered it: the early index no longer
    # holds, every page is indexed as written.
    project = write_project(tmp_path, CONTENT, hooks=["hooks.py"])
    (tmp_path / "hooks.py").write_text(
        "def on_post_page(output, page, config):\n"
        "    if page.url == 'about/':\n"
        "        output = output.replace('<div data-pagefind-body>', '<div data-pagefind-body><p>zqxhooked</p>', 1)\n"
        "    return output\n", encoding="utf-8")
    assert found_in_project_site(project, "zqxhooked") == ["/about/"]


def test_a_searchable_html_file_of_the_project_is_searched(tmp_path: Path) -> None:
    # An HTML file in docs_dir is copied as it is, after the index was asked for: it is
    # found on disk, and the index made again with it.
    project = write_project(tmp_path, CONTENT)
    (tmp_path / "pages" / "extra").mkdir()
    (tmp_path / "pages" / "extra" / "index.html").write_text(
        '<html lang="zh-CN"><head><title>附页</title></head><body><div data-pagefind-body><h1>附页</h1>'
        "<p>zqxextra</p></div></body></html>", encoding="utf-8")
    assert found_in_project_site(project, "zqxextra") == ["/extra/"]


def test_a_project_page_is_searched_with_gongkais(tmp_path: Path) -> None:
    default = yaml.safe_load(default_config_file().read_text(encoding="utf-8"))
    project = write_project(tmp_path, CONTENT, nav=default["nav"] + [{"联系我们": "contact.md"}])
    (tmp_path / "pages" / "contact.md").write_text("# 联系我们\n\n来信请写 zqxcontact。\n", encoding="utf-8")
    assert found_in_project_site(project, "zqxcontact") == ["/contact/"]


def test_an_html_original_is_published_but_never_searched(tmp_path: Path) -> None:
    # An original is an agency's page (or anything a maintainer dropped in): its own
    # data-pagefind-* attributes must not put words or titles into the site's search.
    content = tmp_path / "content"
    (content / "reports").mkdir(parents=True)
    shutil.copy(CONTENT / "reports" / "2024" / "002_5ead8cc1c8ee6d6d.txt", content / "reports")
    (content / "reports" / "page.html").write_text(
        '<html lang="zh-CN"><head><title>假的</title></head><body><div data-pagefind-body>'
        '<h1 data-pagefind-meta="title">伪造的标题</h1><p>注入词语 zqxvinjected</p></div></body></html>', encoding="utf-8")
    result = build_site(Settings(content_dir=content, out_dir=tmp_path / "site", cache_dir=None))
    assert [i.path for i in result.rejected] == ["reports/page.html"]
    # published for download as text (urls.original), not as a page of the site
    assert list((result.out_dir / "originals").rglob("*.html.txt"))
    injected, report = search(result.out_dir, "zqxvinjected", "行政复议")
    assert injected["count"] == 0 and report["count"] >= 1


def test_failed_build_keeps_the_previous_site(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    shutil.copytree(site, out)
    project = write_project(tmp_path / "project", CONTENT, theme={"custom_dir": "overrides"})
    broken = project.parent / "overrides"
    broken.mkdir()
    (broken / "main.html").write_text("{% extends 'base.html' %}{% block content %}", encoding="utf-8")
    with pytest.raises(GongkaiError, match="theme template error .*; check overrides/"):
        build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=out, cache_dir=None))
    assert (out / "index.html").read_bytes() == (site / "index.html").read_bytes()
    # No work folder left; the lock file stays (removing it would let two builds lock two files).
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", "project", "site"]


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"years of work")
    with pytest.raises(ConfigError, match="exists and is not a gongkai site"):
        build_site(settings_for(out))
    assert (out / "thesis.docx").exists()


def _gongkai_main_uncached() -> str:
    """gongkai's overrides/main.html without its kept blocks (theme_cache.py): Material's
    base.html renders them on every page."""
    import gongkai

    main = (Path(gongkai.__file__).parent / "overrides" / "main.html").read_text(encoding="utf-8")
    cut = main.index("{#- Material's own blocks")
    assert "{% block config %}" in main[cut:] and "{% block config %}" not in main[:cut]
    return main[:cut]


def _gongkai_header_uncached() -> str:
    """gongkai's overrides/partials/header.html without its kept parts (theme_cache.py)."""
    import re

    import gongkai

    header = (Path(gongkai.__file__).parent / "overrides" / "partials" / "header.html").read_text(encoding="utf-8")
    plain = re.sub(r'\{%-? from "partials/gongkai-kept.html" import kept with context -?%\}|'
                   r'\{% call kept\("[\w-]+"\) %\}|\{% endcall %\}', "", header)
    assert plain.count("{%") == header.count("{%") - 5
    return plain


@pytest.mark.parametrize("copies", [
    # Material's own sidebar, tabs and table of contents (nav_cache.py), included on every page.
    {"partials/nav.html": None, "partials/tabs.html": None, "partials/toc.html": None},
    # Material's own translations and head and foot blocks, and gongkai's header, on
    # every page (theme_cache.py).
    {"partials/language.html": None, "main.html": _gongkai_main_uncached,
     "partials/header.html": _gongkai_header_uncached},
    # A partial those blocks include: every block is rendered on every page (theme_cache.py).
    {"partials/icons.html": None},
], ids=["nav", "blocks-and-translations", "blocks-off"])
def test_the_cached_theme_parts_are_materials_own(site: Path, tmp_path: Path, copies: dict) -> None:
    # gongkai renders Material's sidebar and tabs once per place in the site for the pages
    # outside the nav, its table of contents once per shape, its translations once per
    # build and its page-independent blocks once per place. A project whose overrides
    # hold Material's own templates instead gets those rendered on every page, as Material
    # does: the same bytes.
    import material

    project = write_project(tmp_path / "project", CONTENT, theme={"custom_dir": "overrides"})
    overrides = project.parent / "overrides"
    for name, make in copies.items():
        (overrides / name).parent.mkdir(parents=True, exist_ok=True)
        if make is None:
            shutil.copy(Path(material.__file__).parent / "templates" / name, overrides / name)
        else:
            (overrides / name).write_text(make(), encoding="utf-8")
    out = tmp_path / "site"
    build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=out, cache_dir=None, strict=True))
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html") if p.relative_to(site).parts[0] != "pagefind")
    assert len(pages) > 20
    assert sorted(p.relative_to(out) for p in out.rglob("*.html") if p.relative_to(out).parts[0] != "pagefind") == pages
    differ = [str(p) for p in pages if (site / p).read_bytes() != (out / p).read_bytes()]
    assert differ == []
