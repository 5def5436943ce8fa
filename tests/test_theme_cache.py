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


def test_a_page_is_kept_by_its_depth_or_by_its_folder_where_files_are_linked() -> None:
    config = _config(extra_javascript=["agencies/extra.js"])
    cache = BlockCache(config.theme.get_env(), OVERRIDES, config)
    assert cache.enabled and cache.shared == {"assets", "agencies"}
    a = _made_page(config, "agencies/a/2023.md")
    b = _made_page(config, "agencies/b/2023.md")
    y1 = _made_page(config, "years/2022.md")
    y2 = _made_page(config, "regions/x.md")
    # A page in a folder that holds a linked file is kept by its folder (its links'
    # relative form depends on how much of the path it shares with theirs); pages
    # elsewhere by their depth alone.
    assert cache.place(a, "../../..") != cache.place(b, "../../..")
    assert cache.place(y1, "../..") == cache.place(y2, "../..")
    assert cache.place(y1, "../..") != cache.place(a, "../../..")


def test_a_partial_of_the_projects_own_turns_the_cache_off(tmp_path: Path) -> None:
    config = _config()
    (tmp_path / "partials").mkdir()
    (tmp_path / "partials" / "icons.html").write_text("mine", encoding="utf-8")
    config.theme.dirs.insert(0, str(tmp_path))  # a custom_dir comes before gongkai's overrides
    assert not BlockCache(config.theme.get_env(), OVERRIDES, config).enabled


def _counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often Material renders each kept block (each render is handed to keep())."""
    rendered = {name: 0 for name in BLOCKS}
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


def test_each_block_is_rendered_twice_per_place(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    rendered = _counting(monkeypatch)
    out = tmp_path / "site"
    build_site(Settings(content_dir=CONTENT, out_dir=out, cache_dir=None))
    pages = list(out.rglob("index.html"))
    depths = Counter(len(p.relative_to(out).parts) for p in pages)
    assert len(pages) > 20 and len(depths) >= 3
    # Twice per depth (the second render checks the first; the home page is alone at
    # its depth), and once for the 404 page, which has no page to be kept by.
    assert rendered == {name: sum(min(n, 2) for n in depths.values()) + 1 for name in BLOCKS}


def test_a_block_that_depends_on_the_page_is_rendered_on_every_page(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # A hook that writes one of two values into the analytics configuration, by the
    # length of the page's address, makes Material's analytics block differ between pages
    # of one place: once two differ it is rendered on every page (a later page that
    # happens to match the first does not make it kept), and every page has its own value.
    rendered = _counting(monkeypatch)
    project = write_project(tmp_path / "project", CONTENT, hooks=["hook.py"])
    (tmp_path / "project" / "hook.py").write_text(
        "def on_page_context(context, page, config, nav):\n"
        "    config.extra['analytics'] = {'provider': 'google', 'property': f'G-{len(page.url) % 2}'}\n"
        "    return context\n", encoding="utf-8")
    out = tmp_path / "site"
    build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=out, cache_dir=None))
    pages = list(out.rglob("index.html"))
    assert rendered["analytics"] == len(pages) + 1  # and the 404 page
    assert rendered["config"] < len(pages) / 2
    for p in pages:
        folder = p.relative_to(out).parent.as_posix()
        url = "" if folder == "." else folder + "/"
        assert f"G-{len(url) % 2}" in p.read_text(encoding="utf-8")
