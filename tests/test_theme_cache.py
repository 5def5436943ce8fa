"""Material's translations and page-independent blocks, kept by gongkai (theme_cache.py).

That the pages come out as Material renders them is tested on a whole site
(test_site.py::test_the_cached_theme_parts_are_materials_own); here, that they are kept
at all, by what, and that a block which turns out to depend on more than a page's place
is rendered on every page.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2
import pytest
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

import gongkai
import gongkai.theme_cache as theme_cache
from gongkai.build import build_site, load_mkdocs_config
from gongkai.settings import Settings
from gongkai.theme_cache import BLOCKS, TRANSLATE, BlockCache, Translations

from conftest import FIXTURES, write_project

CONTENT = FIXTURES / "site" / "content"
OVERRIDES = Path(gongkai.__file__).with_name("overrides")


def _config(extra_javascript: list[str] | None = None) -> Any:
    config, _ = load_mkdocs_config(Settings())
    if extra_javascript:
        config.extra_javascript = extra_javascript
    config.theme.dirs.insert(0, str(OVERRIDES))  # as the plugin's on_config does
    return config


def test_every_translation_is_materials_own() -> None:
    import material

    config = _config()
    env = config.theme.get_env()
    env.globals[TRANSLATE] = Translations(env, OVERRIDES, config)
    materials = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(material.__file__).parent / "templates"))
    languages = Path(material.__file__).parent / "templates" / "partials" / "languages"
    keys = sorted({k for lang in ("zh.html", "en.html")
                   for k in re.findall(r'^\s*"([\w.]+)":', (languages / lang).read_text(encoding="utf-8"), re.M)})
    assert len(keys) > 50 and "search.result.placeholder" in keys
    keys.append("no.such.key")
    page = '{% import "partials/language.html" as lang with context %}' + "|".join(
        f"{{{{ lang.t({k!r}) }}}}" for k in keys)
    ours = env.from_string(page).render(config=config)
    assert ours == materials.from_string(page).render(config=config)
    assert "键入以开始搜索" in ours and ours.endswith("|no.such.key")  # Chinese, and the key where none


def _made_page(config: Any, src: str) -> Page:
    return Page(None, File(src, "", config.site_dir, config.use_directory_urls), config)


def test_a_page_is_kept_by_its_depth_and_first_folder_or_whole_folder_where_files_are_linked() -> None:
    config = _config(extra_javascript=["agencies/extra.js"])
    cache = BlockCache(config.theme.get_env(), OVERRIDES, config)
    assert cache.enabled and cache.shared == {"assets", "agencies"}

    def place(src: str, base_url: str) -> tuple[str, ...]:
        return cache.place(_made_page(config, src), base_url)

    # Pages of one depth in one first folder share a place; a link to search/ is ./ from
    # the search page and ../search/ from its neighbours, so the first folder counts.
    assert place("years/2022.md", "../..") == place("years/2023.md", "../..")
    assert place("years/2022.md", "../..") != place("regions/x.md", "../..")
    assert place("search.md", "..") != place("about.md", "..")
    # In a folder that holds a linked file, each folder is its own place (its links'
    # relative form depends on how much of the path it shares with theirs).
    assert place("agencies/a/2023.md", "../../..") != place("agencies/b/2023.md", "../../..")
    assert place("years/2022.md", "../..") != place("agencies/a/2023.md", "../../..")
    # The header links home: a home page in a folder of its own, or the configured one.
    config.extra["homepage"] = "portal/start/"
    assert BlockCache(config.theme.get_env(), OVERRIDES, config, "guide/home/").shared == \
        {"assets", "agencies", "portal", "guide"}


def test_a_partial_of_the_projects_own_turns_the_cache_off(tmp_path: Path) -> None:
    config = _config()
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "icons.html").write_text("mine", encoding="utf-8")
    config.theme.dirs.insert(0, str(tmp_path))  # a custom_dir comes before gongkai's overrides
    assert not BlockCache(config.theme.get_env(), OVERRIDES, config).enabled


KEPT = (*BLOCKS, "header", "header-end")
"""Every part kept: Material's blocks (main.html) and gongkai's header but its title."""


def _counting(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each kept part is rendered (each render is handed to keep())."""
    rendered: Counter[str] = Counter()
    install = BlockCache.install

    def counted(self: BlockCache) -> None:
        install(self)
        keep = self.env.globals[theme_cache.KEEP]

        @jinja2.pass_context
        def counting_keep(context: Any, name: str, html: Any) -> Any:
            rendered[name] += 1
            return keep(context, name, html)

        self.env.globals[theme_cache.KEEP] = counting_keep

    monkeypatch.setattr(BlockCache, "install", counted)
    return rendered


def test_each_kept_part_is_rendered_twice_per_place(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rendered = _counting(monkeypatch)
    out = tmp_path / "site"
    build_site(Settings(content_dir=CONTENT, out_dir=out, cache_dir=None))
    urls = ["" if p.parent == out else p.parent.relative_to(out).as_posix() + "/" for p in out.rglob("index.html")]
    places = Counter((u.count("/"), u.split("/", 1)[0]) for u in urls)
    assert len(urls) > 20 and len(places) >= 8
    # Twice per place (the second render checks the first; a page alone in its place
    # once), and once for the 404 page, which has no page to be kept by.
    assert rendered == {name: sum(min(n, 2) for n in places.values()) + 1 for name in KEPT}


def test_a_block_that_depends_on_the_page_is_rendered_on_every_page(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A hook that writes the page's address into the analytics configuration makes
    # Material's analytics block differ between the first two pages of every place: from
    # then on it is rendered on every page, and every page has its own.
    rendered = _counting(monkeypatch)
    project = write_project(tmp_path / "project", CONTENT, hooks=["hook.py"])
    (tmp_path / "project" / "hook.py").write_text(
        "def on_page_context(context, page, config, nav):\n"
        "    config.extra['analytics'] = {'provider': 'google', 'property': 'G-' + page.url.replace('/', '_')}\n"
        "    return context\n", encoding="utf-8")
    out = tmp_path / "site"
    build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=out, cache_dir=None))
    pages = list(out.rglob("index.html"))
    assert rendered["analytics"] == len(pages) + 1  # and the 404 page
    assert rendered["config"] < len(pages) * 0.8
    for p in pages:
        url = "" if p.parent == out else p.parent.relative_to(out).as_posix() + "/"
        assert f"G-{url.replace('/', '_')}" in p.read_text(encoding="utf-8")


def test_once_two_renders_of_a_place_differ_the_block_is_never_kept_again() -> None:
    # A later page that happens to render as the first did must not make it kept: the
    # pages after it may differ again.
    config = _config()
    env = config.theme.get_env()
    BlockCache(env, OVERRIDES, config).install()
    use = env.from_string('{{ gongkai_block("config") }}|{{ gongkai_keep_block("config", html) }}')
    pages = [_made_page(config, f"years/{y}.md") for y in (2020, 2021, 2022, 2023)]
    seen = [use.render(page=p, base_url="../..", html=html) for p, html in zip(pages, "abaa")]
    assert seen == ["None|a", "None|b", "None|a", "None|a"]
    same = env.from_string('{{ gongkai_block("scripts") }}|{{ gongkai_keep_block("scripts", "s") }}')
    assert [same.render(page=p, base_url="../..") for p in pages] == ["None|s", "None|s", "s|s", "s|s"]


def test_with_sticky_tabs_the_headers_end_is_rendered_on_every_page(tmp_path: Path) -> None:
    # Sticky tabs sit in the header, with the page's own tab active: the header's end is
    # then not kept, and the pages are those of gongkai's header rendered on every page.
    from test_site import _gongkai_header_uncached

    # Two tabs of the project's own, three of whose pages share a place: the first two
    # (tab A active, its link to other/x/) agree, the third (tab B) must not get their header.
    config = _config()
    features = [*config.theme["features"], "navigation.tabs.sticky"]
    nav = [*config.nav, {"A": ["other/x.md", "guide/a.md", "guide/a2.md"]}, {"B": "guide/b.md"}]
    sites = []
    for name, header in (("kept", None), ("plain", _gongkai_header_uncached())):
        project = write_project(tmp_path / name, CONTENT, theme={"features": features, "custom_dir": "overrides"},
                                nav=nav)
        for page in ("other/x", "guide/a", "guide/a2", "guide/b"):
            (project.parent / "pages" / page).parent.mkdir(exist_ok=True)
            (project.parent / "pages" / f"{page}.md").write_text(f"# {page}\n", encoding="utf-8")
        (project.parent / "overrides" / "partials").mkdir(parents=True)
        if header is not None:
            (project.parent / "overrides" / "partials" / "header.html").write_text(header, encoding="utf-8")
        out = tmp_path / name / "site"
        build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=out, cache_dir=None))
        sites.append(out)
    pages = sorted(p.relative_to(sites[0]) for p in sites[0].rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) > 20 and 'class="md-tabs__item md-tabs__item--active"' in (sites[0] / "index.html").read_text()
    assert Path("guide/b/index.html") in pages
    assert [str(p) for p in pages if (sites[0] / p).read_bytes() != (sites[1] / p).read_bytes()] == []
