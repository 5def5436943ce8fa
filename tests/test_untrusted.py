"""Bad input and untrusted text, on a built site (issue: nothing crashes, nothing is lost,
nothing executes).

The content: every rejection fixture of tests/fixtures/bad, valid reports of every kind,
a PDF and a Markdown copy of one report that disagree in one number, and a report whose
agency name and prose carry HTML, Markdown, javascript: links and template syntax.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import html

from gongkai.build import BuildResult, build_site
from gongkai.settings import Settings

from conftest import FIXTURES, site_reports

SEED = (FIXTURES / "seeds" / "000_9df66e4b50998407.txt").read_text(encoding="utf-8")
AGENCY = "阿拉善盟高新技术产业开发区社会事务办公室"

PAYLOADS = [
    "<script>alert('agency')</script>",
    '<img src=x onerror="alert(1)">',
    "[点我](javascript:alert(2))",
    "![图](http://evil.example/x.png)",
    "<iframe src=\"http://evil.example/\"></iframe>",
    "{{ config.site_name }}",
    "{% include 'x' %}",
    '<a href="javascript:alert(3)">链接</a>',
    "&lt;b&gt;已转义&lt;/b&gt;",
]
EVIL_AGENCY = "<b>某某局</b><script>alert(1)</script>[x](javascript:alert(1)){{ 7*7 }}"


def _evil_report() -> str:
    text = SEED.replace(AGENCY + "\n2023年", EVIL_AGENCY + "\n2023年", 1)
    general = "（二）依申请公开情况。2023年，我办未收到政府信息公开申请。"
    return text.replace(general, general + "\n\n" + "\n\n".join(PAYLOADS), 1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    root = tmp_path_factory.mktemp("untrusted")
    reports = root / "content" / "reports"
    (reports / "bad").mkdir(parents=True)
    for f in sorted((FIXTURES / "bad").iterdir()):
        shutil.copy(f, reports / "bad" / f.name)
    (reports / "ok").mkdir()
    for f in ("docx/report-2021-merged.docx", "html/report-2021-gbk.html", "seeds/004_0b8901f0c9a4b364.txt",
              "html2019/report-2019-layout-2020.html"):
        shutil.copy(FIXTURES / f, reports / "ok" / Path(f).name)
    # Two copies of hongze 2024: the agency's PDF and a Markdown copy with one number off.
    (reports / "dup").mkdir()
    shutil.copy(FIXTURES / "pdf" / "hongze-2024.pdf", reports / "dup" / "hongze-2024.pdf")
    md = (FIXTURES / "reports" / "hongze-2024-pipes.md").read_text(encoding="utf-8")
    md = md.replace("| 行政许可 | 9487 |", "| 行政许可 | 9478 |")
    (reports / "dup" / "hongze-2024-copy.md").write_text(md, encoding="utf-8")
    (reports / "evil.txt").write_text(_evil_report(), encoding="utf-8")
    settings = Settings(content_dir=root / "content", out_dir=root / "site", cache_dir=None)
    return build_site(settings)


@pytest.fixture(scope="module")
def site(built: BuildResult) -> Path:
    return built.out_dir


def _page(path: Path) -> html.HtmlElement:
    return html.fromstring(path.read_bytes())


def _inputs(site: Path) -> dict[str, dict]:
    return {i["path"]: i for i in json.loads((site / "data" / "inputs.json").read_text(encoding="utf-8"))}


def test_every_input_accounted_for(site: Path) -> None:
    inputs = _inputs(site)
    bad = sorted(f"reports/bad/{f.name}" for f in (FIXTURES / "bad").iterdir())
    assert sorted(p for p in inputs if p.startswith("reports/bad/")) == bad
    assert all(inputs[p]["status"] == "rejected" and inputs[p]["reason"] and inputs[p]["error_kind"] for p in bad)
    assert {p: i["status"] for p, i in inputs.items() if not p.startswith("reports/bad/")} == {
        "reports/dup/hongze-2024-copy.md": "duplicate",
        "reports/dup/hongze-2024.pdf": "parsed",
        "reports/evil.txt": "parsed",
        "reports/ok/004_0b8901f0c9a4b364.txt": "parsed",
        "reports/ok/report-2019-layout-2020.html": "parsed",
        "reports/ok/report-2021-gbk.html": "parsed",
        "reports/ok/report-2021-merged.docx": "parsed",
    }
    # every valid report has its page, and every original (rejected ones too) is offered
    for i in inputs.values():
        if i["url"]:
            assert (site / i["url"].strip("/") / "index.html").exists()
        assert i["original"] and (site / i["original"].strip("/")).read_bytes() == \
            (built_content(site) / i["path"]).read_bytes()


def built_content(site: Path) -> Path:
    return site.parent / "content"


def test_quality_page_lists_every_file_with_its_reason(site: Path) -> None:
    # /quality/ lists the rejected files and links to one page per year, which lists the rest
    overview = site / "quality" / "index.html"
    pages = [overview] + [(overview.parent / a.get("href") / "index.html").resolve()
                          for a in _page(overview).xpath("//table[contains(@class,'gk-quality-years')]//th/a")]
    rows: dict[str, tuple[Path, html.HtmlElement]] = {}
    for path in pages:
        for tr in _page(path).xpath("//table[contains(@class,'gk-inputs')]/tbody/tr"):
            key = " ".join(tr[0].text_content().split())
            assert key not in rows, key  # each input in exactly one place
            rows[key] = (path, tr)
    inputs = _inputs(site)
    assert set(rows) == set(inputs)
    for key, (path, tr) in rows.items():
        assert tr.get("data-status") == inputs[key]["status"], key
        assert (path == overview) == (inputs[key]["status"] == "rejected"), key
        for href in tr.xpath(".//a/@href"):
            target = (path.parent / href.split("#")[0]).resolve()
            assert (target / "index.html" if target.is_dir() else target).is_file(), (key, href)
    enc = rows["reports/bad/encrypted.pdf"][1]
    assert enc.get("data-status") == "rejected"
    # said in Chinese by kind; the exact English kept in the collapsed 技术细节
    for key, chinese, english in [
            ("reports/bad/encrypted.pdf", "文件有密码保护，无法读取", "encrypted PDF: it needs a password to open"),
            ("reports/bad/notice.txt", "不是政府信息公开工作年度报告", "not an annual"),
            ("reports/bad/prose-only.txt", "没有找到报告的统计表格", "report tables not found: 二 (table A)")]:
        reason = rows[key][1].xpath(".//td[@class='gk-reason']")[0]
        assert reason.text == chinese, key
        assert english in reason.xpath("./details[@class='gk-tech']")[0].text_content(), key
    dup_page, dup = rows["reports/dup/hongze-2024-copy.md"]
    assert dup_page == site / "quality" / "2024" / "index.html"
    assert dup.get("data-status") == "duplicate"
    assert "1 处数字不一致" in dup.text_content() and "reports/dup/hongze-2024.pdf" in dup.text_content()
    # report text on the quality pages stays text
    for path in pages:
        doc = _page(path)
        assert not doc.xpath("//article//script | //article//iframe | //article//img | //*[@onerror]"), path
        assert not doc.xpath("//a[contains(@href,'javascript:')]"), path


def test_duplicate_gives_one_page_and_shows_the_disagreement(site: Path) -> None:
    inputs = _inputs(site)
    pdf, copy = inputs["reports/dup/hongze-2024.pdf"], inputs["reports/dup/hongze-2024-copy.md"]
    assert copy["url"] is None and copy["duplicate_of"] == "reports/dup/hongze-2024.pdf"
    assert copy["disagreements"] == [{"table": "active_disclosure", "row": "licensing", "column": "value",
                                      "this_file": 9478, "published": 9487}]
    doc = _page(site / pdf["url"].strip("/") / "index.html")
    [table] = doc.xpath("//div[@class='gk-sources']//table")
    assert [" ".join(td.text_content().split()) for td in table.xpath(".//tbody/tr/td")] == \
        ["二、主动公开政府信息情况", "行政许可", "本年处理决定数量", "9487", "9478"]


def test_report_payloads_show_as_text_never_as_markup(site: Path) -> None:
    url = _inputs(site)["reports/evil.txt"]["url"]
    assert ".." not in url and "<" not in url and url.isascii()
    path = site / url.strip("/") / "index.html"
    doc = _page(path)
    article = doc.xpath("//article")[0]
    visible = article.text_content()
    for payload in PAYLOADS:
        assert payload in visible, payload
    assert EVIL_AGENCY in visible
    # nothing from the report became an element or an attribute
    assert not article.xpath(".//script | .//iframe | .//img | .//b | .//a[starts-with(@href,'javascript')]")
    assert not doc.xpath("//*[@onerror] | //a[contains(@href,'javascript:')] | //*[contains(@src,'evil.example')]")
    assert "49" not in doc.xpath("//h1")[0].text_content()  # {{ 7*7 }} was not evaluated
    raw = path.read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<iframe" not in raw
    # the same in every page that names the agency, and in the page titles
    for page in site.rglob("*.html"):
        assert "originals" not in page.parts, page
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and 'onerror="alert' not in text, page
        for title in _page(page).xpath("//title"):
            assert "<" not in title.text_content()


def test_original_web_pages_are_published_as_text(site: Path) -> None:
    inputs = _inputs(site)
    for path in ("reports/ok/report-2021-gbk.html", "reports/ok/report-2019-layout-2020.html"):
        assert inputs[path]["original"].endswith(".html.txt")
    assert not list((site / "originals").rglob("*.html"))  # so not indexed as pages either
    doc = _page(site / inputs["reports/ok/report-2021-gbk.html"]["url"].strip("/") / "index.html")
    [link] = doc.xpath("//a[contains(@href,'originals/')]")
    assert link.get("download").endswith(".html")


def test_bulk_data_keeps_payloads_verbatim(site: Path) -> None:
    reports = site_reports(site)
    [evil] = [r for r in reports if r["source"]["file"] == "reports/evil.txt"]
    assert evil["agency"] == EVIL_AGENCY
    assert all(p in evil["sections"]["general"] for p in PAYLOADS)
