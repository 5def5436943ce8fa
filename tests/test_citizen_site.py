"""The site for citizens: acknowledged errors of the sources (--strict), provenance beside a
report, search that finds only what was asked, the quality page naming the reports."""

from __future__ import annotations

import gzip
import json
import posixpath
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import html

from gongkai.build import build_site
from gongkai.cli import cli
from gongkai.errors import ConfigError
from gongkai.settings import Settings

from conftest import FIXTURES, SEARCH_MODULE, pagefind_search, run_node_module

CONTENT = FIXTURES / "site" / "content"
BUREAU = "wu-la-te-zhong-qi-jiao-yu-ju"
SIGNED = "reports/2023/社会事务办公室-2023.txt"
ACK = """\
- file: reports/2023/jiaoyuju.txt
  note: 原件表三总计印错，已与机关核实
- file: reports/2023/scanned.pdf
  note: 空文件，机关网站上的原件也是空的
- file: reports/misc/通知.txt
  note: 这是一份通知，不是年度报告
"""


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("citizen") / "content"
    shutil.copytree(CONTENT, folder)
    (folder / "acknowledged.yml").write_text(ACK, encoding="utf-8")
    (folder / "reports/2023/jiaoyuju.txt.yml").write_text(
        "url: https://www.wltzq.gov.cn/xxgk/2024/0131/1.html\npublished: 2024-01-31\n", encoding="utf-8")
    # a signature closing part 六: the report's only date, the date it was signed
    signed = folder / SIGNED
    signed.write_text(signed.read_text(encoding="utf-8").rstrip() + "\n\n阿拉善高新区社会事务办公室\n二〇二四年一月十五日\n",
                      encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def site(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(Settings(content_dir=content, out_dir=tmp_path_factory.mktemp("out") / "site",
                               cache_dir=None)).out_dir


def _page(site: Path, url: str) -> html.HtmlElement:
    return html.fromstring((site / url / "index.html").read_bytes())


def test_strict_passes_when_every_failure_is_acknowledged(content: Path, tmp_path: Path) -> None:
    ok = CliRunner().invoke(cli, ["build", "--content", str(content), "--out", str(tmp_path / "a"), "--strict"])
    assert ok.exit_code == 0, ok.output
    # without the file, the same content fails, listing each problem
    bare = tmp_path / "bare"
    shutil.copytree(content, bare)
    (bare / "acknowledged.yml").unlink()
    failed = CliRunner().invoke(cli, ["build", "--content", str(bare), "--out", str(tmp_path / "b"), "--strict"])
    assert failed.exit_code == 1 and "5 problem(s)" in failed.output  # 3 failed checks, 2 rejected files


def test_a_stale_acknowledgement_fails_strict(content: Path, tmp_path: Path) -> None:
    stale = tmp_path / "content"
    shutil.copytree(content, stale)
    (stale / "acknowledged.yml").write_text(ACK + "- file: reports/gone.pdf\n  note: 已删除\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--content", str(stale), "--out", str(tmp_path / "s"), "--strict"])
    assert result.exit_code == 1 and "acknowledged.yml: reports/gone.pdf: no a failure to acknowledge" in result.output


def test_acknowledged_failures_are_still_shown_with_the_note(site: Path) -> None:
    report = _page(site, f"agencies/{BUREAU}/2023/")
    acks = [" ".join(s.text_content().split()) for s in report.xpath("//div[contains(@class,'gk-checks')]//span[@class='gk-ack']")]
    assert len(acks) == 3 and all(a.endswith("原件表三总计印错，已与机关核实") for a in acks)
    assert report.xpath("//td[contains(@class,'gk-fail')]")  # the cells are still marked
    quality = _page(site, "quality/")
    row = quality.xpath("//table[contains(@class,'gk-attention')]//tr[th/a[contains(@href,'wu-la-te-zhong-qi')]]")[0]
    assert "核对未通过 3 项" in row.text_content() and "已确认为原件的错误" in row.text_content()
    assert "这是一份通知" in quality.xpath("//td[@class='gk-reason']")[-1].text_content() or \
        "这是一份通知" in quality.text_content()


def test_quality_page_names_every_report_needing_attention(site: Path) -> None:
    reports = [json.loads(line) for line in gzip.open(site / "data/reports.jsonl.gz", "rt", encoding="utf-8")]
    needing = {r["url"] for r in reports
               if r["warnings"] or any(not c["passed"] for c in r["checks"] + r["year_checks"])}
    rows = _page(site, "quality/").xpath("//table[contains(@class,'gk-attention')]/tbody/tr")
    linked = {posixpath.normpath(posixpath.join("quality", tr[0].xpath(".//a/@href")[0].split("#")[0])) + "/"
              for tr in rows}
    assert needing and needing <= linked  # every one named, with a link to its page
    assert all(" ".join(tr[0].text_content().split()) for tr in rows)


def test_provenance_beside_the_file_on_the_page_and_in_the_data(site: Path) -> None:
    facts = _page(site, f"agencies/{BUREAU}/2023/").xpath("//ul[@class='gk-facts']")[0]
    link = facts.xpath(".//a[.='原发布页面']")[0]
    assert link.get("href") == "https://www.wltzq.gov.cn/xxgk/2024/0131/1.html"
    assert "nofollow" in link.get("rel") and "发布日期 2024-01-31" in facts.text_content()
    assert "按时发布" in facts.xpath(".//span[@class='gk-on-time-on_time']")[0].text_content()
    inputs = {i["path"]: i for i in json.loads((site / "data/inputs.json").read_text(encoding="utf-8"))}
    assert "reports/2023/jiaoyuju.txt.yml" not in inputs  # a sidecar is not an input
    assert inputs["reports/2023/jiaoyuju.txt"]["provenance"] == {
        "url": "https://www.wltzq.gov.cn/xxgk/2024/0131/1.html", "url_from": "sidecar",
        "published": "2024-01-31", "published_from": "sidecar"}


def test_a_signature_date_is_shown_as_the_signing_date(site: Path) -> None:
    inputs = {i["path"]: i for i in json.loads((site / "data/inputs.json").read_text(encoding="utf-8"))}
    assert inputs[SIGNED]["provenance"] == {"url": None, "url_from": None,
                                            "published": "2024-01-15", "published_from": "signature"}
    page = _page(site, inputs[SIGNED]["url"])
    facts = " ".join(page.xpath("//ul[@class='gk-facts']")[0].text_content().split())
    assert "落款日期 2024-01-15（取自报告末尾的落款，不是网页发布日期）" in facts
    # Signed before the deadline says nothing about when it was published.
    assert "是否按时发布（应于 2024 年 1 月 31 日前）：发布日期未知（落款日期在期限内）" in facts
    assert "原发布页面" not in facts  # no URL: no link


@pytest.mark.parametrize(("text", "message"), [
    ("url: javascript:alert(1)\n", "must be an http:// or https:// address"),
    ('published: "2024-02-30"\n', "must be a date, YYYY-MM-DD"),
    ("published: 2024-02-30\n", "day is out of range for month"),
    ("link: https://x.cn/\n", "unknown keys link"),
])
def test_a_wrong_sidecar_is_one_line_naming_it(tmp_path: Path, text: str, message: str) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    (folder / "reports/2023/jiaoyuju.txt.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        build_site(Settings(content_dir=folder, out_dir=tmp_path / "site", cache_dir=None))
    assert message in str(e.value) and "jiaoyuju.txt.yml" in str(e.value)


def test_meta_description_and_lang(site: Path) -> None:
    doc = _page(site, f"agencies/{BUREAU}/2023/")
    assert doc.get("lang") == "zh-CN"
    [desc] = doc.xpath("//meta[@name='description']/@content")
    assert desc.startswith("乌拉特中旗教育局（内蒙古自治区巴彦淖尔市乌拉特中旗） 2023 年") and "核对 3 项未通过" in desc
    assert "找不到这个页面" in (site / "404.html").read_text(encoding="utf-8")


_search = pagefind_search


def _indexed_text(site: Path) -> str:
    texts = []
    for f in site.rglob("index.html"):
        body = html.fromstring(f.read_bytes()).xpath("//*[@data-pagefind-body]")
        if body:
            for ignored in body[0].xpath(".//*[@data-pagefind-ignore]"):
                ignored.drop_tree()
            texts.append("".join(body[0].text_content().split()))
    return "\n".join(texts)


def test_search_shows_only_pages_with_what_was_asked(site: Path) -> None:
    indexed = _indexed_text(site)
    assert "平台" in indexed and "平潭" not in indexed and "不存在" not in indexed
    nonsense, loose, place = _search(site, "xyz不存在", "平潭", "巴彦淖尔市")
    assert nonsense["results"] == [] and loose["results"] == []  # Pagefind's own candidates:
    assert loose["count"] > 0  # pages with 平台 (a loose single-character match), none shown
    assert place["results"] and all("巴彦淖尔市" in r["meta"].get("地区", "") for r in place["results"])


def test_boilerplate_is_not_indexed(site: Path) -> None:
    doc = _page(site, f"agencies/{BUREAU}/2023/")
    assert all(h.get("data-pagefind-ignore") is not None for h in doc.xpath("//h2"))
    subheadings = [p for p in doc.xpath("//div[@class='gk-prose']/p") if p.text and p.text.endswith("公开情况")]
    assert all(p.get("data-pagefind-ignore") is not None for p in subheadings)


def test_candidates_are_checked_a_page_at_a_time_and_grouped_by_agency() -> None:
    script = f"""
        const s = await import({json.dumps(SEARCH_MODULE.as_uri())});
        let loaded = 0;
        const page = (url, content, agency, year) => ({{ data: async () => {{ loaded++;
            return {{ url, content, meta: {{ title: url, 机关: agency, ...(year ? {{ 年度: year }} : {{}}) }} }}; }} }});
        // 30 candidates: every third really has the words (with white space inside)
        const found = Array.from({{ length: 30 }}, (_, i) => i % 3 === 0
            ? page(`/a${{i % 2}}/${{2020 + i}}/`, "本年 行政\\n复议 申请", `机关${{i % 2}}`, String(2020 + i))
            : page(`/x${{i}}/`, "行政许可", "别的机关", ""));
        const first = await s.confirmed(found, "行政复议 申请", 0);
        const groups = s.groupByAgency(first.items);
        console.log(JSON.stringify({{ loaded, next: first.next, n: first.items.length,
            groups: groups.map((g) => [g.name, g.pages.map((d) => d.meta.年度)]) }}));
    """
    out = run_node_module(script)
    assert out["next"] == out["loaded"] == 20  # CHECK_LIMIT candidates at most for one page
    assert out["n"] == 7  # 0, 3, ..., 18
    assert out["groups"] == [["机关0", ["2038", "2032", "2026", "2020"]], ["机关1", ["2035", "2029", "2023"]]]
