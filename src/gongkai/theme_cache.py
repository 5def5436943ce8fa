"""Material's translations and its page-independent blocks, rendered once rather than on
every page.

Two things Material's ``base.html`` does on every page that depend on the build, not on
the page (a profile of 1,000 reports, ~1,300 pages: a fifth of MkDocs' own work):

- **Translations.** It imports ``partials/language.html`` with the page's context, and
  each of its ~30 ``lang.t(key)`` calls goes through two macros, the first of which
  builds the language's whole table of ~60 strings to look one up. gongkai's
  ``partials/language.html`` makes ``t`` :class:`Translations`: each key looked up once
  per build with Material's own template (the next ``partials/language.html`` in the
  theme's folders, with the project's ``partials/languages/*.html`` if it has any).
- **The head and foot blocks** ``styles``, ``libs``, ``analytics``, ``config`` and
  ``scripts`` (links to the theme's assets and the project's extra CSS and JavaScript,
  the analytics snippet, the ``__config`` JSON), and gongkai's header but for the
  page's title (links to the home and search pages). A page changes them only through
  the relative form of those links. gongkai's ``main.html`` and ``partials/header.html``
  ask :class:`BlockCache` for each (``partials/gongkai-kept.html``): kept by the page's
  place (:meth:`BlockCache.place`, which decides every relative link's form), rendered
  on a miss. As a safeguard against a project's hook or plugin that makes one of them
  depend on the page, the first two pages of a place are both rendered and must agree,
  or that part is rendered on every page from then on. A project whose ``custom_dir``
  holds a partial these parts include gets every part rendered on every page, as
  without gongkai (as :mod:`gongkai.nav_cache` does for the nav); so does the header's
  end with ``navigation.tabs.sticky``, where it holds the tabs.

A project's own ``main.html`` or ``partials/language.html`` replaces gongkai's, and with
it the caching: Material's templates are then used as they are.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from .nav_cache import theme_template

TRANSLATE = "gongkai_translate"
BLOCK = "gongkai_block"
KEEP = "gongkai_keep_block"
"""The names gongkai's overrides (partials/language.html, main.html) call."""

BLOCKS = ("styles", "libs", "analytics", "config", "scripts")
"""The blocks of Material's base.html that gongkai's main.html keeps."""
INCLUDED = ("partials/icons.html", "partials/integrations/analytics.html", "partials/integrations/analytics",
            "partials/logo.html", "partials/palette.html", "partials/javascripts/palette.html",
            "partials/alternate.html")
"""What the kept parts include: a project's own copy of any makes every part render."""


class Translations:
    """``lang.t``: Material's translation of a key, looked up once per build."""

    def __init__(self, env: jinja2.Environment, overrides: Path, config: MkDocsConfig) -> None:
        self.env, self.overrides, self.config = env, overrides, config
        self._module: Any = None
        self._done: dict[str, Any] = {}

    def __call__(self, key: str) -> Any:
        found = self._done.get(key)
        if found is None:
            if self._module is None:
                # Its imports of partials/languages/<language>.html and en.html depend on
                # the configuration only (base.html imports it with each page's context).
                self._module = theme_template(self.env, self.overrides, "partials/language.html") \
                    .make_module({"config": self.config})
            # As the macro gives it (a str, or Markup where a project turned autoescape on).
            found = self._done[key] = self._module.t(key)
        return found


class BlockCache:
    """The kept parts (:data:`BLOCKS`, and the header's two parts but its title: ``header``
    and ``header-end``), each rendered once per place in the site."""

    def __init__(self, env: jinja2.Environment, overrides: Path, config: MkDocsConfig, home: str = "") -> None:
        """``home``: the nav's home page's address, which the header links to."""
        self.env = env
        folders = [Path(f) for f in getattr(env.loader, "searchpath", [])]
        before = folders[:folders.index(overrides)] if overrides in folders else folders
        self.enabled = overrides in folders and not any((f / name).exists() for f in before for name in INCLUDED)
        # The first folder of every site-relative link of more than one folder the kept
        # parts write (the theme's assets, the project's extra CSS and JavaScript, its
        # logo, the header's home link): a page in such a folder is kept by its whole
        # folder (place()).
        links = ["assets/", *map(str, config.extra_css), *map(str, config.extra_javascript),
                 *map(str, config.extra.get("polyfills") or ()), str(config.extra.get("homepage") or ""), home,
                 *(str(config.theme[k]) for k in ("logo", "favicon") if config.theme.get(k))]
        self.shared = {link.split("/", 1)[0] for link in links if link and "://" not in link and not link.startswith("/")}
        self.kept: dict[tuple[str, tuple[str, ...]], Any] = {}
        self.checked: set[tuple[str, tuple[str, ...]]] = set()
        sticky = "navigation.tabs.sticky" in config.theme.get("features", ())
        self.off: set[str] = {"header-end"} if sticky else set()
        """Parts rendered on every page: the header's end holds the tabs (with the active
        one) where they are sticky, or two renders of a place differed."""
        self._last: tuple[Any, tuple[str, ...]] | None = None

    def install(self) -> None:
        @jinja2.pass_context
        def block(context: Any, name: str) -> Any:
            key = self._key(context, name)
            if key is None or key not in self.checked:
                return None  # rendered by Material, then given to keep()
            return self.kept[key]

        @jinja2.pass_context
        def keep(context: Any, name: str, html: Any) -> Any:
            key = self._key(context, name)
            if key is not None:
                if key not in self.kept:
                    self.kept[key] = html
                elif self.kept[key] == html:
                    self.checked.add(key)
                else:  # the block depends on more than the page's place: always rendered
                    self.off.add(name)
            return html

        self.env.globals[BLOCK] = block
        self.env.globals[KEEP] = keep

    def place(self, page: Page, base_url: str) -> tuple[str, ...]:
        """What the relative form of a link to any page or file depends on: the page's
        depth (its ``base_url``), its first folder (a link to search/ is ./ from the
        search page, ../search/ from its neighbours) and, in a folder holding linked
        files, its whole folder (from a/b/ to a/x.js: ../x.js, not ../../a/x.js)."""
        last = self._last
        if last is not None and last[0] is page:
            return last[1]
        url = page.url
        first = url.split("/", 1)[0] if "/" in url else ""
        place = (base_url, first, url.rsplit("/", 1)[0] if first in self.shared else "")
        self._last = (page, place)
        return place

    def _key(self, context: Any, name: str) -> tuple[str, tuple[str, ...]] | None:
        page = context.get("page")
        if not self.enabled or name in self.off or not isinstance(page, Page):
            return None
        return name, self.place(page, str(context.get("base_url")))
