"""Shared test helpers: fixture paths and the gold comparison."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA_PATH = Path(__file__).parents[1] / "src" / "gongkai" / "schema" / "report.schema.json"


def load_gold(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / "gold" / f"{name}.json").read_text(encoding="utf-8"))


def assert_matches_gold(report: dict[str, Any], gold: dict[str, Any]) -> None:
    """Every value of the gold file equals the parse (agency compared without white space)."""
    assert "".join(report["agency"].split()) == "".join(gold["agency"].split())
    assert report["year"] == gold["year"]
    assert report["format"] == gold["format"]
    for table in ("active_disclosure", "requests", "review_litigation"):
        for key, expected in gold[table].items():
            assert report[table][key] == expected, f"{table}.{key}"
        # no value the gold does not list
        assert set(report[table]) == set(gold[table]) | {
            k for k, v in report[table].items() if v is None
        }, table


@pytest.fixture(scope="session")
def schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)
