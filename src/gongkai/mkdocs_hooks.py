"""MkDocs hooks of a gongkai site (``hooks:`` in the generated mkdocs.yml).

The pages' HTML (tables, prose, lists: everything taken from a report) is kept out of
the Markdown that MkDocs converts: render.py writes it to ``<fragments>/<page>.md.json``
and this hook puts it back after conversion. Python-Markdown and MkDocs each run a
pure-Python HTML parser over every raw HTML block, which made a report page with its
tables cost several times MkDocs' empty-page floor; put back after conversion, the
blocks cost a string replacement.

A fragment is either the page's whole body, ``{"html": ..., "toc": [...]}`` (every
gongkai page: its Markdown is then only front matter, which MkDocs does not convert, so
the page's table of contents is set here from the tokens render.py made), or a list of
HTML blocks that replace the placeholders left in the converted Markdown. (Loaded by
MkDocs from this file's path: standard library and MkDocs imports only.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.toc import get_toc

SLOT = re.compile(r'<div class="gk-slot" data-slot="(\d+)"></div>')


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    folder = config.extra.get("gongkai_fragments")
    if not folder:
        return html
    path = Path(folder) / f"{page.file.src_uri}.json"
    if not path.exists():
        return html
    fragments = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(fragments, dict):
        page.toc = get_toc(fragments["toc"])
        return fragments["html"]
    return SLOT.sub(lambda m: fragments[int(m.group(1))], html)
