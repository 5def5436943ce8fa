"""MkDocs hooks of a gongkai site (``hooks:`` in the generated mkdocs.yml).

The pages' HTML blocks (tables, prose, lists: everything taken from a report) are kept
out of the Markdown that MkDocs converts: render.py leaves a placeholder in their place
and writes the blocks to ``<fragments>/<page>.md.json``. Python-Markdown and MkDocs each
run a pure-Python HTML parser over every raw HTML block, which made a report page with
its tables cost several times MkDocs' empty-page floor; put back after conversion, the
blocks cost a string replacement. (Loaded by MkDocs from this file's path: standard
library imports only.)
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SLOT = re.compile(r'<div class="gk-slot" data-slot="(\d+)"></div>')


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    folder = config.extra.get("gongkai_fragments")
    if not folder:
        return html
    path = Path(folder) / f"{page.file.src_uri}.json"
    if not path.exists():
        return html
    fragments = json.loads(path.read_text(encoding="utf-8"))
    return SLOT.sub(lambda m: fragments[int(m.group(1))], html)
