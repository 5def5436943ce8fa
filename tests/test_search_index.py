"""What the build hands Pagefind of a page (search_index.searchable): the searchable part,
less the text of ignored parts, keeping what Pagefind reads of them. (That the index is
the same as from the whole pages: tests/test_site.py.)"""

from __future__ import annotations

import pytest

from gongkai.search_index import searchable


PAGE = ('<!doctype html>\n<html lang="zh-CN" class="no-js"><head><meta charset="utf-8"><title>标题 - 站</title>'
        '<link rel="stylesheet" href="x.css"></head><body><nav>导航<div>菜单</div></nav>'
        '<div data-pagefind-body><h1 id="t">标题</h1><p>保留的文字</p>'
        '<div class="gk-scroll" data-pagefind-ignore><table><tr><td>1</td></tr></table>'
        '<div>嵌套<div>更深</div></div><span hidden data-pagefind-meta="机关">某局</span></div>'
        '<p data-pagefind-ignore>忽略的段落<span data-pagefind-filter="年度">2023</span></p>'
        '<details data-pagefind-ignore="all"><summary>全部忽略</summary><span data-pagefind-meta="x">丢弃</span></details>'
        '<pre>代码</pre><p>结尾</p></div><footer>页脚</footer></body></html>')


def test_searchable_keeps_the_body_less_the_ignored_text_but_their_metadata() -> None:
    doc = searchable(PAGE)
    assert doc == ('<!doctype html><html lang="zh-CN" class="no-js"><head><title>标题 - 站</title></head><body>'
                   '<div data-pagefind-body><h1 id="t">标题</h1><p>保留的文字</p>'
                   '<div class="gk-scroll" data-pagefind-ignore><span hidden data-pagefind-meta="机关">某局</span></div>'
                   '<p data-pagefind-ignore><span data-pagefind-filter="年度">2023</span></p>'
                   '<details data-pagefind-ignore="all"></details>'
                   '<pre>代码</pre><p>结尾</p></div></body></html>')


@pytest.mark.parametrize("page", [
    PAGE.replace("<div data-pagefind-body>", "<main data-pagefind-body>"),  # a project's own frame
    PAGE.replace("<footer>", '<footer data-pagefind-meta="y">'),  # Pagefind reads outside the body too
    PAGE.replace("</div><footer>", "<footer>"),  # the body never closes
    PAGE.replace('<p data-pagefind-ignore>忽略的段落<span data-pagefind-filter="年度">2023</span></p>',
                 "<p data-pagefind-ignore>忽略的段落"),  # an ignored element that does not close
    PAGE.replace("<p>保留的文字</p>", "<p>文中提到 data-pagefind-ignore 这个属性</p>"),  # the words, not an attribute
    PAGE.replace("<p>保留的文字</p>", '<p title="x data-pagefind-ignore">保留的文字</p>'),  # in a value
    PAGE.replace("<p>保留的文字</p>", "<p data-pagefind-ignored>保留的文字</p>"),  # another attribute
])
def test_searchable_hands_over_the_whole_page_when_unsure(page: str) -> None:
    assert searchable(page) is None


def test_the_service_is_warmed_at_its_start_and_its_threads_start_with_the_first_page(tmp_path) -> None:
    # The plugin starts Pagefind before the build forks its render and data processes:
    # no thread of the indexer may run by then. The page that sets Pagefind's word
    # splitting up at its start is on an index of its own: the index holds only the
    # build's pages.
    import json
    import threading

    from gongkai.search_index import SearchIndexer

    before = threading.active_count()
    indexer = SearchIndexer(tmp_path)
    assert threading.active_count() == before
    # A page without a searchable part of its own, as the warm-up page: both would be indexed.
    plain = '<!doctype html><html lang="zh-CN"><head><title>页</title></head><body><p>年度报告</p></body></html>'
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(plain, encoding="utf-8")
    indexer.add("a/index.html", plain)
    indexer.build()
    assert threading.active_count() == before + 2
    indexer.finish()
    assert threading.active_count() == before
    entry = json.loads((tmp_path / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == 1
    fragments = [p.read_bytes() for p in (tmp_path / "pagefind" / "fragment").iterdir()]
    assert len(fragments) == 1


def test_the_binary_is_found_as_pagefinds_own_client_finds_it(tmp_path, monkeypatch) -> None:
    """search_index.pagefind_binary spares the build pagefind.service's imports (asyncio,
    ssl); it must find the same binary, and honour PAGEFIND_BINARY_PATH as it does."""
    from pagefind.service import get_executable

    from gongkai.search_index import pagefind_binary

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert pagefind_binary() == get_executable()
    assert pagefind_binary().name == "pagefind_extended"  # the extended build: it segments Chinese
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "pf"))
    assert pagefind_binary() == get_executable() == tmp_path / "pf"
