"""Rendering helpers: safe titles, number formats, Markdown that stays literal."""

from __future__ import annotations

import markdown
import pytest

from gongkai.render import format_number, format_percent, format_signed, safe_title, short_label
from gongkai.layouts import TABLE_B, TABLE_C
from gongkai.urls import original, relative


@pytest.mark.parametrize("raw, title", [
    ("乌拉特中旗教育局", "乌拉特中旗教育局"),
    ("<script>alert(1)</script>局", "script alert 1 /script 局"),
    ("某局 &amp; {{ x }} [a](b)", "某局 amp; x a b"),
    ("", "报告"),
])
def test_safe_title(raw: str, title: str) -> None:
    assert safe_title(raw) == title
    assert not set("<>&\"'{}[]") & set(safe_title(raw).replace("amp;", ""))


def test_number_formats() -> None:
    assert [format_number(v) for v in (0, 12, 106.99516, 1.0, None)] == ["0", "12", "106.99516", "1", ""]
    assert [format_signed(v) for v in (3, -2, 0, 0.25, None)] == ["+3", "-2", "0", "+0.25", "—"]
    assert [format_percent(v) for v in (1.0, -1.0, 1 / 3, 0.0, None)] == ["+100%", "-100%", "+33.3%", "+0%", "—"]


def test_short_labels_drop_enumerators() -> None:
    assert short_label(TABLE_B.row("granted")) == "予以公开"
    assert short_label(TABLE_B.row("new")) == "本年新收政府信息公开申请数量"
    assert short_label(TABLE_C.row("litigation_direct")) == "行政诉讼·未经复议直接起诉"


def test_raw_html_blocks_pass_markdown_untouched() -> None:
    # The premise of render.py: escaped report text inside a raw HTML block stays literal.
    block = '<div class="gk-prose">\n<p>[x](javascript:alert(1)) **b** &lt;i&gt; ![](y.png)</p>\n</div>'
    out = markdown.markdown(f"## 标题\n\n{block}\n", extensions=["attr_list", "toc"])
    assert block in out


def test_relative_urls_and_safe_original_names() -> None:
    assert relative("agencies/x/", "agencies/x/2023/") == "../"
    assert relative("", "agencies/x/2023/") == "../../../"
    assert relative("quality/", "quality/") == "./"
    assert original("ab" * 32, ".PDF", "x", 2023) == "originals/x/2023-abababababab.pdf"
    assert original("ab" * 32, ".p/df") == "originals/unparsed/abababababab.bin"
    assert original("ab" * 32, "") == "originals/unparsed/abababababab.bin"


def test_report_text_is_escaped_in_the_pages(tmp_path) -> None:
    # Pages are HTML handed to MkDocs in memory: report text in them is escaped, and
    # the page title (which Material prints unescaped) has every markup character taken out.
    from pathlib import Path

    from gongkai.render import render_site
    from gongkai.settings import Settings
    from gongkai.site import Input, gather_site

    from report_factory import zero_report

    nasty = "<script>alert(1)</script>[x](javascript:alert(1)){{ 7*7 }}"
    report = zero_report(f"某局{nasty}", 2023, problems=nasty)
    settings = Settings(content_dir=tmp_path, out_dir=tmp_path / "site", cache_dir=None)
    site = gather_site(settings, [Input(report.source.file, Path("x.txt"), report.source.sha256, report)])
    pages = {p.url: p for p in render_site(site)}
    [page] = [p for p in pages.values() if p.is_report]
    assert page.title.startswith("某局 script alert 1 /script x javascript")
    assert not any(m in page.title for m in "<>[]{}()")
    html = "".join(p.html for p in pages.values())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert "{{ 7*7 }}" in html  # jinja syntax in a report stays text
    assert [t["id"] for t in page.toc][:3] == ["checks", "general", "table-a"]  # parts in printed order


def _report_page_html(report, tmp_path) -> str:
    from pathlib import Path

    from gongkai.render import render_site
    from gongkai.settings import Settings
    from gongkai.site import Input, gather_site

    settings = Settings(content_dir=tmp_path, out_dir=tmp_path / "site", cache_dir=None)
    site = gather_site(settings, [Input(report.source.file, Path("x.pdf"), report.source.sha256, report)])
    [page] = [p for p in render_site(site) if p.is_report]
    return page.html


def test_values_read_by_ocr_split_by_arithmetic_or_with_a_remark_are_marked_at_their_cell(tmp_path) -> None:
    from dataclasses import replace

    from lxml import html as lxml_html

    from gongkai.model import ValueNote

    from report_factory import zero_report

    base = zero_report("某局", 2023, requests={"new": {"natural_person": 7, "total": 7}})
    report = replace(
        base, source=replace(base.source, kind="pdf", ocr_pages=(2, 3)),
        value_notes=(
            ValueNote("requests", "new", "natural_person", "ocr", confidence=0.97),
            ValueNote("requests", "new", "total", "ocr", confidence=0.62),
            ValueNote("review_litigation", "review", "total", "arithmetic"),
            ValueNote("requests", "granted", "total", "remark", note="含<b>转办</b>件"),
        ))
    doc = lxml_html.fromstring(_report_page_html(report, tmp_path))
    [notice] = doc.xpath("//p[@class='gk-ocr-notice']")
    assert notice.text_content().startswith("本报告由扫描件识别（第2、3页）")

    def cell(cls: str) -> list:
        return doc.xpath(f"//td[contains(concat(' ', @class, ' '), ' {cls} ')]")

    high, low = cell("gk-note-ocr")
    assert high.get("title") == "由扫描件识别，置信度 97%" and "gk-ocr-low" not in high.get("class")
    assert low.get("title") == "由扫描件识别，置信度 62%（较低，请核对原件）" and "gk-ocr-low" in low.get("class")
    assert high.text_content() == "7识" and low.text_content() == "7识"
    [arith] = cell("gk-note-arithmetic")
    assert arith.get("title") == "由表内算术关系还原" and arith.text_content() == "0算"
    [remark] = cell("gk-note-remark")
    assert remark.get("title") == "备注：含<b>转办</b>件"  # an attribute's text, escaped in the HTML
    assert not doc.xpath("//b")
    legend = " ".join(doc.xpath("//div[@class='gk-notes-legend']")[0].text_content().split())
    assert "识 由扫描件识别" in legend and "算 由表内算术关系还原" in legend and "注 原件该格另有备注" in legend


def test_a_report_read_from_text_has_no_ocr_notice_or_legend(tmp_path) -> None:
    from report_factory import zero_report

    page = _report_page_html(zero_report("某局", 2023), tmp_path)
    assert "gk-ocr-notice" not in page and "gk-notes-legend" not in page and "gk-note-mark" not in page


def _fixture_site(tmp_path):  # type: ignore[no-untyped-def]
    from gongkai.settings import Settings
    from gongkai.site import gather_site, read_inputs

    from conftest import FIXTURES

    settings = Settings(content_dir=FIXTURES / "site" / "content", out_dir=tmp_path / "site", cache_dir=None, jobs=1)
    return gather_site(settings, read_inputs(settings))


def test_pages_rendered_half_in_a_fork_are_the_pages_rendered_in_one_process(tmp_path, monkeypatch) -> None:
    from gongkai import forked, render

    site = _fixture_site(tmp_path)
    alone = render.render_site(site, fork=False)
    started: list[forked.Pending[object]] = []
    real_start = forked.start
    monkeypatch.setattr(forked, "start", lambda *a, **k: started.append(real_start(*a, **k)) or started[-1])
    halves = render.render_site(site, fork=True)
    assert [p.forked for p in started] == [True]
    assert len(alone) > 20 and any(p.is_report for p in alone[1::2])
    assert halves == alone  # every page, its HTML, title, toc and description, in the same order


def test_a_compiled_env_renders_without_reading_a_template_again(tmp_path, monkeypatch) -> None:
    # What the build compiles while its parse processes work is every template the pages use.
    from gongkai import render

    site = _fixture_site(tmp_path)
    env = render.compiled_env()
    reads: list[str] = []
    real_get_source = env.loader.get_source
    monkeypatch.setattr(env.loader, "get_source", lambda e, name: reads.append(name) or real_get_source(e, name))
    pages = render.render_site(site, env, fork=False)
    assert reads == [] and len(pages) > 20
    assert pages == render.render_site(site, fork=False)


@pytest.mark.parametrize("half", ["fork", "build"])
def test_a_page_that_fails_to_render_fails_the_render_in_either_half(tmp_path, monkeypatch, half) -> None:
    from gongkai import forked, render

    import os

    site = _fixture_site(tmp_path)
    build_process = os.getpid()
    real_render_page = render.render_page

    def render_page(env, page):  # type: ignore[no-untyped-def]
        # the first page that half takes (which pages each takes depends on their speed)
        if (os.getpid() != build_process) == (half == "fork"):
            raise ValueError(f"cannot render {page.url}")
        return real_render_page(env, page)

    started: list[forked.Pending[object]] = []
    real_start = forked.start
    monkeypatch.setattr(forked, "start", lambda *a, **k: started.append(real_start(*a, **k)) or started[-1])
    monkeypatch.setattr(render, "render_page", render_page)
    expected = (RuntimeError, r"rendering the pages failed in its process:\n(.|\n)*ValueError: cannot render") \
        if half == "fork" else (ValueError, "cannot render")
    with pytest.raises(expected[0], match=expected[1]):
        render.render_site(site, fork=True)
    assert started and started[0]._pid is None  # waited for, or killed and reaped: no process left
