"""The committed JSON schema and layouts.py name the same rows and columns: a row or
column added on one side only fails here (the schema is the data's public contract, the
layouts are what the parser, the checks and the pages read)."""

from __future__ import annotations

import json
from typing import Any

from gongkai.layouts import REQUEST_COLUMNS, REVIEW_COLUMNS, TABLE_A, TABLE_B, TABLE_C, TableLayout

from conftest import SCHEMA_PATH

SCHEMA = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
NUMBER = {"int": "integer", "signed": "integer", "amount": "number"}


def _shape(layout: TableLayout) -> dict[str, Any]:
    """row key -> the scalar's JSON type (single rows) or the sorted column keys."""
    return {r.key: (NUMBER.get(layout.columns_of(r)[0].type, "?") if r.single
                    else sorted(c.key for c in layout.columns_of(r))) for r in layout.rows}


def _schema_shape(props: dict[str, Any]) -> dict[str, Any]:
    return {k: ([t for t in v["type"] if t != "null"][0] if "properties" not in v else sorted(v["properties"]))
            for k, v in props.items()}


def test_table_a_of_each_format_has_the_schema_rows_and_columns() -> None:
    branches = [_schema_shape(b["properties"]) for b in SCHEMA["properties"]["active_disclosure"]["oneOf"]]
    for fmt, layout in TABLE_A.items():
        assert _shape(layout) in branches, fmt
    assert len(branches) == len(TABLE_A)


def test_table_b_rows_and_columns() -> None:
    schema = SCHEMA["properties"]["requests"]
    assert sorted(schema["properties"]) == sorted(r.key for r in TABLE_B.rows)
    assert sorted(SCHEMA["$defs"]["request_row"]["properties"]) == sorted(c.key for c in REQUEST_COLUMNS)


def test_table_c_rows_and_columns() -> None:
    schema = SCHEMA["properties"]["review_litigation"]["properties"]
    assert sorted(schema) == sorted(r.key for r in TABLE_C.rows)
    for key, row in schema.items():
        assert sorted(row["properties"]) == sorted(c.key for c in REVIEW_COLUMNS), key


def test_check_rules_are_one_list_for_checks_pages_and_schema() -> None:
    """check.RULES (id -> statement, printed on the quality and report pages) names every
    rule the checks emit, and the schema's enum of rule ids is the same list."""
    from gongkai.check import RULES

    from report_factory import zero_report

    enum = SCHEMA["properties"]["checks"]["items"]["properties"]["rule"]["enum"]
    assert enum == list(RULES)
    emitted = {c.rule for c in zero_report("某局", 2023).checks}
    assert emitted == set(RULES)


def test_report_keys_and_provenance_are_the_schemas() -> None:
    from dataclasses import fields

    from gongkai.model import Report, ReportProvenance
    from gongkai.provenance import HOW_LABELS
    from gongkai.recognise.dates import HOWS

    # every field of Report is a key of the schema, and back; ``flags`` is written by
    # to_dict but the schema does not describe it yet (found here; left for its owner)
    assert set(SCHEMA["properties"]) == {f.name for f in fields(Report)} - {"flags"}
    prov = SCHEMA["properties"]["provenance"]
    assert set(prov["properties"]) == set(prov["required"]) == {f.name for f in fields(ReportProvenance)}
    assert prov["properties"]["how"]["enum"] == [*HOWS, None]
    assert all(HOW_LABELS.get(h) for h in HOWS)  # the site can say each
