"""One table of file kinds for the site half, in step with the readers and the schema."""

from __future__ import annotations

import json
import typing

from gongkai import kinds
from gongkai.model import Kind
from gongkai.read import EXTENSIONS
from gongkai.registry import DUPLICATE_RULE

from conftest import SCHEMA_PATH


def test_every_kind_the_readers_give_is_in_the_table_and_no_other() -> None:
    table = {k.kind for k in kinds.KINDS}
    assert table == set(EXTENSIONS.values()) == set(typing.get_args(Kind))
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert set(schema["properties"]["source"]["properties"]["kind"]["enum"]) == table
    assert {e for k in kinds.KINDS for e in k.extensions} == set(EXTENSIONS)


def test_preference_label_and_the_rule_text_come_from_the_table() -> None:
    assert [kinds.preference(k.kind) for k in kinds.KINDS] == list(range(len(kinds.KINDS)))
    assert kinds.preference("pdf") < kinds.preference("html") < kinds.preference("txt")
    assert kinds.preference("xls") == len(kinds.KINDS)
    assert kinds.label("md") == "MD" and kinds.label("xls") == "XLS"
    assert "依次优先 PDF、DOCX、HTML、Markdown、纯文本；" in DUPLICATE_RULE
