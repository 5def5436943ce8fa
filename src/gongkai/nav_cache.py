"""Material's navigation (the sidebar and the tabs), rendered once per place in the site
rather than once per page, and its table of contents once per shape of contents.

Every report, agency and region page is outside the nav, so no item of it is active
there: its sidebar and tabs differ from one such page to another only in the relative
links, which depend on where the page sits. Material's ``partials/nav.html`` and
``partials/tabs.html`` are a third of MkDocs' work on such a page (a profile of 1,000
reports), and a site has ~1,300 pages but a few dozen places.

gongkai's overrides replace the two partials by a call to :class:`NavCache`, which
renders the theme's own partial (the next one in the theme's folders: Material's, or
a project's ``custom_dir`` one, which comes before gongkai's and then is used as it is
without any cache) with the page's context, and keeps the result by the links' relative
form. A page in the nav, or a template without a page, is rendered every time.

Material's ``partials/toc.html`` depends on the page only through its table of contents
(and on the build's language and ``toc`` title), and every report page has the same
headings: it is kept by every attribute of every item of the contents.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import template_cache

CACHED = ("partials/nav.html", "partials/tabs.html", "partials/toc.html")
TOC = "partials/toc.html"
GLOBAL = "gongkai_nav_partial"
"""The name gongkai's overrides/partials/nav.html and tabs.html call."""
_ANY_FOLDER = "\x00/"
"""A path no page shares a folder with: its relative form says how deep a page is (the
logo and other assets are linked relative to it)."""


class NavCache:
    def __init__(self, env: jinja2.Environment, overrides: Path, nav: Navigation) -> None:
        self.env = env
        self.overrides = overrides
        self.urls = [_ANY_FOLDER, *(u for u in _urls(nav.items) if u)]
        if nav.homepage is not None:
            self.urls.append(nav.homepage.url)
        self.in_nav = {id(p) for p in nav.pages}
        self.templates: dict[str, jinja2.Template] = {}
        self.rendered: dict[tuple[str, tuple[Any, ...]], Markup] = {}

    def install(self) -> None:
        @jinja2.pass_context
        def partial(context: Any, name: str) -> Markup:
            return self.partial(context, name)

        self.env.globals[GLOBAL] = partial

    def partial(self, context: Any, name: str) -> Markup:
        page = context.get("page")
        template = self._template(name)
        if name == TOC and isinstance(page, Page):
            key: tuple[str, tuple[Any, ...]] = (name, _toc_key(page.toc))
        elif not isinstance(page, Page) or id(page) in self.in_nav:
            return Markup(template.render(context.get_all()))
        else:
            key = (name, tuple(get_relative_url(u, page.url) for u in self.urls))
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = Markup(template.render(context.get_all()))
        return html

    def _template(self, name: str) -> jinja2.Template:
        template = self.templates.get(name)
        if template is None:
            template = self.templates[name] = theme_template(self.env, self.overrides, name)
        return template


def theme_template(env: jinja2.Environment, overrides: Path, name: str) -> jinja2.Template:
    """The theme's own ``name``: the first after gongkai's overrides in the theme's folders."""
    folders = [Path(f) for f in getattr(env.loader, "searchpath", [])]
    after = folders[folders.index(overrides) + 1:] if overrides in folders else []
    source = next((f / name for f in after if (f / name).is_file()), None)
    if source is None:
        raise jinja2.TemplateNotFound(name)
    return template_cache.from_string(env, source.read_text(encoding="utf-8"), source.as_posix())


def _urls(items: list[Any]) -> list[str]:
    found: list[str] = []
    for item in items:
        if isinstance(item, Section):
            found += _urls(item.children)
        elif isinstance(item, (Page, Link)):
            found.append(item.url)
    return found


def _toc_key(items: Any) -> tuple[Any, ...]:
    """Everything of a table of contents a template can read: each item's attributes
    (title, id, level and whatever a plugin set, as Material's typeset does), nested."""
    return tuple(
        (type(item).__name__, tuple(sorted((k, repr(v)) for k, v in vars(item).items() if k != "children")),
         _toc_key(getattr(item, "children", ())))
        for item in items)
