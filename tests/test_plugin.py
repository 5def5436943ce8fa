"""gongkai as a MkDocs plugin: its options, the checks of mkdocs.yml, a project's own
pages and overrides, and ``mkdocs build`` giving the same site as ``gongkai build``."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from gongkai.build import build_site, load_mkdocs_config, load_settings
from gongkai.errors import ConfigError, GongkaiError
from gongkai.settings import Settings, default_config_file

from conftest import FIXTURES, write_project

ROOT = Path(__file__).parents[1]
CONTENT = FIXTURES / "site" / "content"
PACKAGE = ROOT / "src" / "gongkai"


def test_root_mkdocs_yml_is_the_packaged_default_plus_docs_dir_and_overrides() -> None:
    root = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    default = yaml.safe_load(default_config_file().read_text(encoding="utf-8"))
    assert root.pop("docs_dir") == "content/pages" and default.pop("docs_dir") == "pages"
    assert root["theme"].pop("custom_dir") == "overrides"
    assert root == default
    assert (ROOT / "overrides").is_dir() and (ROOT / "content" / "pages").is_dir()


def test_options_are_read_relative_to_mkdocs_yml(tmp_path: Path) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    project = write_project(tmp_path, Path("content"), {"jobs": 3, "max_seconds_per_file": 30,
                                                        "publish_originals": False, "data_licence": "CC0-1.0"},
                            site_name="某省年报库")
    s = load_settings(project, jobs=1, strict=None)
    assert s.data_licence == "CC0-1.0" and load_settings(write_project(tmp_path / "b", CONTENT)).data_licence == "CC-BY-4.0"
    assert (s.content_dir, s.cache_dir) == (tmp_path / "content", tmp_path / ".gongkai-cache")
    assert (s.site_name, s.max_seconds, s.jobs, s.publish_originals, s.strict) == ("某省年报库", 30.0, 1, False, False)


def test_every_wrong_option_is_reported_at_once_one_line_each(tmp_path: Path) -> None:
    project = write_project(tmp_path, CONTENT, {"max_file_mb": -1, "publish_originals": 0, "jobs": True})
    with pytest.raises(ConfigError) as e:
        load_settings(project)
    message = str(e.value)
    assert message.startswith(f"{project}: ")
    assert message.count("Config value 'plugins': ") == 1
    assert "Plugin 'gongkai' option 'max_file_mb': must be a positive number, not -1" in message
    assert "option 'jobs': must be a positive number, not True" in message
    assert "option 'publish_originals': Expected type: <class 'bool'> but received: <class 'int'>" in message
    assert "\n" not in message


def test_what_would_break_the_site_is_refused_all_at_once(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "gongkai.yml").write_text("jobs: 2\n", encoding="utf-8")
    project = write_project(tmp_path, content, theme={"font": {"text": "Roboto"}},
                            nav=["index.md", {"报告": "agencies/x/2023/index.md"}])
    text = project.read_text(encoding="utf-8").replace("plugins:\n", "plugins:\n- search\n")
    project.write_text(text, encoding="utf-8")
    with pytest.raises(GongkaiError) as e:
        build_site(Settings(config_file=project, content_dir=content, out_dir=tmp_path / "site", cache_dir=None))
    problems = str(e.value).removeprefix("mkdocs build failed: ").split("; ")
    assert [p.split(":", 1)[0] for p in problems[:4]] == ["plugins", "theme.font", "nav", str(content / "gongkai.yml")]
    assert "Pagefind" in problems[0] and "Google Fonts" in problems[1] and "agencies/x/2023/index.md" in problems[2]
    assert not (tmp_path / "site").exists()


def test_project_pages_nav_and_overrides_win(tmp_path: Path) -> None:
    """A maintainer adds a Markdown page and a nav entry, and overrides a theme partial:
    no Python touched. The project's override wins over gongkai's (which stay beneath)."""
    default = yaml.safe_load(default_config_file().read_text(encoding="utf-8"))
    project = write_project(tmp_path, CONTENT, theme={"custom_dir": "overrides"},
                            nav=default["nav"] + [{"联系我们": "contact.md"}])
    (tmp_path / "pages" / "contact.md").write_text("# 联系我们\n\n信箱：*gk@example.org*\n", encoding="utf-8")
    (tmp_path / "overrides" / "partials").mkdir(parents=True)
    (tmp_path / "overrides" / "partials" / "footer.html").write_text("<footer>本站页脚</footer>", encoding="utf-8")
    out = build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=tmp_path / "site",
                              cache_dir=None)).out_dir
    contact = (out / "contact" / "index.html").read_text(encoding="utf-8")
    assert "<em>gk@example.org</em>" in contact and "<footer>本站页脚</footer>" in contact
    home = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="contact/"' in home
    assert 'class="gk-header-search"' in home  # gongkai's header override is still used


def test_without_a_nav_the_plugin_gives_the_index_pages(tmp_path: Path) -> None:
    """MkDocs' own default would list every page, every report included."""
    from lxml import html

    project = write_project(tmp_path, CONTENT, nav=None)
    out = build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=tmp_path / "site",
                              cache_dir=None)).out_dir
    home = html.fromstring((out / "index.html").read_bytes())
    links = list(dict.fromkeys(a.get("href") for a in home.xpath("//nav[contains(@class,'md-nav--primary')]//a[@href]")
                               if not a.get("href").startswith("#")))
    assert links == [".", "agencies/", "years/", "quality/", "data/", "builder/", "about/", "search/"]


def test_a_project_page_may_not_replace_a_generated_one(tmp_path: Path) -> None:
    project = write_project(tmp_path, CONTENT)
    (tmp_path / "pages" / "about").mkdir()
    (tmp_path / "pages" / "about" / "index.md").write_text("# 关于\n", encoding="utf-8")
    with pytest.raises(GongkaiError, match=r"about/index.md would replace gongkai's page"):
        build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=tmp_path / "site", cache_dir=None))



def test_the_build_keeps_its_objects_from_the_collector_and_lets_go_at_its_end(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The reports and the site model are moved out of the collector's way while the build
    # runs (gc.freeze) and given back at its end, failed or not: mkdocs serve builds again
    # and again in one process, and must free what the previous build held.
    import gc

    from gongkai import plugin

    frozen_while_rendering: list[int] = []
    collecting_while_rendering: list[bool] = []

    def render_site(site, *args):  # type: ignore[no-untyped-def]
        frozen_while_rendering.append(gc.get_freeze_count())
        collecting_while_rendering.append(gc.isenabled())  # paused only until the reports are kept
        return real_render_site(site, *args)

    real_render_site, real_gather_site = plugin.render_site, plugin.gather_site
    monkeypatch.setattr(plugin, "render_site", render_site)
    project = write_project(tmp_path, CONTENT)
    build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=tmp_path / "site", cache_dir=None))
    assert frozen_while_rendering and frozen_while_rendering[0] > 10_000
    assert collecting_while_rendering == [True]
    assert gc.get_freeze_count() == 0 and gc.isenabled()

    def gather_site(settings, inputs):  # type: ignore[no-untyped-def]
        real_gather_site(settings, inputs)
        raise GongkaiError(None, "gathering failed")  # after the reports were kept

    monkeypatch.setattr(plugin, "gather_site", gather_site)
    with pytest.raises(GongkaiError, match="gathering failed"):
        build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=tmp_path / "site", cache_dir=None))
    assert gc.get_freeze_count() == 0 and gc.isenabled()

def test_a_build_that_fails_to_load_mkdocs_yml_leaves_the_collector_as_it_was(tmp_path: Path) -> None:
    # The collector is paused while MkDocs loads (build_site): a broken mkdocs.yml must
    # not leave it off, nor anything frozen.
    import gc

    project = write_project(tmp_path, CONTENT)
    project.write_text(project.read_text(encoding="utf-8") + "theme: {name: no-such-theme}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="no-such-theme"):
        build_site(Settings(config_file=project, content_dir=CONTENT, out_dir=tmp_path / "site", cache_dir=None))
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_mkdocs_build_gives_the_same_site_as_gongkai_build(tmp_path: Path) -> None:
    project = write_project(tmp_path, CONTENT, {"cache": str(tmp_path / "cache")})
    ours = build_site(load_settings(project, out_dir=tmp_path / "site")).out_dir
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project), "-d",
                           str(tmp_path / "mkdocs-site")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    theirs = tmp_path / "mkdocs-site"
    files = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file())
    assert [f for f in files if (ours / f).read_bytes() != (theirs / f).read_bytes()] == []


def test_the_plugin_is_registered_under_the_mkdocs_entry_point() -> None:
    from importlib.metadata import entry_points

    from gongkai.plugin import GongkaiPlugin

    [ep] = [e for e in entry_points(group="mkdocs.plugins") if e.name == "gongkai"]
    assert ep.load() is GongkaiPlugin
    config, plugin = load_mkdocs_config(Settings())
    assert isinstance(plugin, GongkaiPlugin) and "search" not in config.plugins


def _imports(path: Path) -> set[str]:
    """gongkai modules a module imports, anywhere in it (type-only and lazy imports too)."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts
    here = package[:-1] if path.name != "__init__.py" else package
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[:len(here) - node.level + 1]
            target = ".".join(base + tuple(filter(None, (node.module or "").split("."))))
            names = [f"{target}.{a.name}" for a in node.names] if not node.module else []
            found.update([target, *names])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("gongkai"):
            found.add(node.module or "")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("gongkai"))
    return found


def test_no_import_circle_in_the_package() -> None:
    modules = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}
    graph = {m: {i for i in _imports(p) if i in modules and i != m} for m, p in modules.items()}
    state: dict[str, int] = {}
    circles = []

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                circles.append(path[path.index(n):] + [n] if n in path else [m, n])
            elif n not in state:
                visit(n, path + [n])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert circles == []


@pytest.mark.slow  # a second whole build, under another program
def test_properdocs_builds_the_same_site(tmp_path: Path) -> None:
    """ProperDocs (the MkDocs fork that loads mkdocs.plugins entry points) gives the same
    site, but for the generator's name in one <meta>: the way off MkDocs past Material's
    end of life (docs/beyond-material.md)."""
    pytest.importorskip("properdocs")
    project = write_project(tmp_path, CONTENT, {"cache": str(tmp_path / "cache")})
    ours = build_site(load_settings(project, out_dir=tmp_path / "site")).out_dir
    proc = subprocess.run([sys.executable, "-m", "properdocs", "build", "-q", "-f", str(project), "-d",
                           str(tmp_path / "properdocs-site")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    theirs = tmp_path / "properdocs-site"
    files = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("*") if p.is_file())

    def same(f: str) -> bool:
        a, b = (ours / f).read_bytes(), (theirs / f).read_bytes()
        if f.endswith(".html"):  # <meta name="generator" content="mkdocs-1.6.1, ..."> names the program
            a, b = (re.sub(rb'<meta name="generator" content="[^"]*">', b"", x) for x in (a, b))
        return a == b

    assert [f for f in files if not same(f)] == []
