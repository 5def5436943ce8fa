"""Shared test helpers: fixture paths and the gold comparison."""

from __future__ import annotations

import csv
import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA_PATH = Path(__file__).parents[1] / "src" / "gongkai" / "schema" / "report.schema.json"

_USER_CACHE = tempfile.mkdtemp(prefix="gongkai-test-xdg-")


def pytest_configure(config: pytest.Config) -> None:
    # The per-user template cache (template_cache.py) of the tests' builds, and of the
    # builds they start as processes: never the user's own ~/.cache.
    os.environ["XDG_CACHE_HOME"] = _USER_CACHE


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(_USER_CACHE, ignore_errors=True)


def write_project(folder: Path, content: Path, plugin: dict[str, Any] | None = None, **top: Any) -> Path:
    """A project's mkdocs.yml in ``folder``: gongkai's own default with ``docs_dir: pages``,
    the plugin's ``content`` and the given options; top-level keys are merged one level
    deep (``theme={"custom_dir": "overrides"}``). Returns the file's path."""
    import yaml

    from gongkai.settings import default_config_file

    config = yaml.safe_load(default_config_file().read_text(encoding="utf-8"))
    for key, value in top.items():
        config[key] = {**config[key], **value} if isinstance(value, dict) and isinstance(config.get(key), dict) else value
    config["plugins"] = [{"gongkai": {"content": str(content), **(plugin or {})}}] + [
        p for p in config["plugins"] if not (isinstance(p, dict) and "gongkai" in p) and p != "gongkai"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(exist_ok=True)
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def site_reports(site: Path) -> list[dict[str, Any]]:
    """data/reports.jsonl.gz of a built site: one report per line."""
    with gzip.open(site / "data" / "reports.jsonl.gz", "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def site_cells(site: Path) -> list[dict[str, str]]:
    """data/cells.csv.gz of a built site (its BOM dropped, as Excel would)."""
    with gzip.open(site / "data" / "cells.csv.gz", "rt", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


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


def assert_parts_in_document_order(blocks) -> None:
    """The six part headings are paragraphs, and tables A, B and C stand between them."""
    from gongkai.read.document import Paragraph, Table

    def index(text: str) -> int:
        return next(i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == text)

    tables = [i for i, b in enumerate(blocks) if isinstance(b, Table)]
    assert len(tables) == 3
    assert index("一、总体情况") < index("二、主动公开政府信息情况") < tables[0]
    assert tables[0] < index("三、收到和处理政府信息公开申请情况") < tables[1]
    assert tables[1] < index("四、政府信息公开行政复议、行政诉讼情况") < tables[2]
    assert tables[2] < index("五、存在的主要问题及改进情况") < index("六、其他需要报告的事项")


@pytest.fixture(scope="session")
def schema_validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


SEARCH_SCRIPT = Path(__file__).parents[1] / "scripts" / "pagefind_search.mjs"
"""Runs Pagefind's own pagefind.js over a built site, as the search page does."""
SEARCH_MODULE = Path(__file__).parents[1] / "src" / "gongkai" / "overrides" / "assets" / "gongkai" / "search.js"


def _node() -> str:
    import shutil

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; the search tests run the site's JavaScript in Node")
    return node


def pagefind_search(site: Path, *queries: str) -> list[dict[str, Any]]:
    """Every result of each query over the built site's index, one dict per query."""
    import subprocess

    out = subprocess.run([_node(), str(SEARCH_SCRIPT), "--all", str(site), *queries], capture_output=True,
                         text=True, check=True, timeout=60)
    return [json.loads(line) for line in out.stdout.splitlines()]


def run_node_module(script: str) -> Any:
    """Run an ES module script in Node; its one JSON line of output, parsed."""
    import subprocess

    return json.loads(subprocess.run([_node(), "--input-type=module", "-e", script], capture_output=True,
                                     text=True, check=True, timeout=60).stdout)
