"""The report builder's data files (builder_data.py): every number of the seed reports
found at its place in its year's file, equal to the gold values; blanks null; the
labels from layouts.py; and no page but /builder/ referencing the files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from gongkai import urls
from gongkai.builder_data import DEFAULT_FIGURES, figures, write_builder_data
from gongkai.layouts import FORMATS, layouts_for
from gongkai.output import Output
from gongkai.settings import Settings
from gongkai.site import Site, gather_site, read_inputs

from conftest import FIXTURES, load_gold
from report_factory import zero_report

SEEDS = sorted((FIXTURES / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    folder = tmp_path_factory.mktemp("builder")
    reports = folder / "content" / "reports"
    reports.mkdir(parents=True)
    for p in SEEDS:
        shutil.copy(p, reports / p.name)
    settings = Settings(content_dir=folder / "content", out_dir=folder / "site", cache_dir=None, jobs=1)
    site = gather_site(settings, read_inputs(settings))
    write_builder_data(site, Output(folder / "site"))
    return site, folder / "site"


def load(root: Path, rel: str) -> Any:
    return json.loads((root / rel).read_text(encoding="utf-8"))


def gold_value(gold: dict[str, Any], table: str, row: str, column: str, single: bool) -> Any:
    raw = gold[table].get(row)
    if isinstance(raw, dict):
        return raw.get(column)
    return raw if single else None


def test_every_seed_number_is_at_its_place(built: tuple[Site, Path]) -> None:
    site, root = built
    index = load(root, urls.BUILDER_INDEX)
    ids = [a[0] for a in index["agencies"]]
    _, figs = figures()
    checked = blanks = 0
    assert len(site.reports) == len(SEEDS)
    for view in site.views:
        gold = load_gold(Path(view.report.source.file).stem)
        year = load(root, urls.builder_year(gold["year"]))
        pos = year["agencies"].index(ids.index(view.agency.id))
        for f in figs:
            c = f.column
            column = year["values"].get(f.id)
            got = column[pos] if column is not None else None
            if c.layout not in ("", gold["format"]):
                assert got is None, f.id  # table A of the other layout: never a number
                continue
            want = gold_value(gold, c.table, c.row, c.column, c.single)
            assert got == want, (view.report.source.file, f.id)
            checked += 1
            blanks += want is None
    assert checked > 100 * len(SEEDS)
    print(f"{checked} figures checked, {blanks} blank")


def test_index_lists_years_agencies_regions_and_every_figure(built: tuple[Site, Path]) -> None:
    site, root = built
    index = load(root, urls.BUILDER_INDEX)
    assert index["years"] == sorted({r.year for r in site.reports})
    assert [a[0] for a in index["agencies"]] == [a.id for a in site.agencies]
    regions = {r[0]: r for r in index["regions"]}
    for a, (_, name, key) in zip(site.agencies, index["agencies"]):
        assert name == a.name
        path = []
        while key:
            path.insert(0, regions[key][1])
            key = regions[key][3]
        assert tuple(path) == a.region
        if a.place.codes:
            assert index["agencies"][[x.id for x in site.agencies].index(a.id)][2] == a.place.codes[len(a.region) - 1]
    # every figure of tables A (both layouts), B and C, with the printed labels
    expected = {(fmt if t.key == "active_disclosure" else "", t.key, row.key, col.key)
                for fmt in FORMATS for t in layouts_for(fmt) for row in t.rows for col in t.columns_of(row)}
    _, figs = figures()
    assert {(f.column.layout, f.column.table, f.column.row, f.column.column) for f in figs} == expected
    labels = {f[0]: f[2] for f in index["figures"]}
    assert labels["requests.new.total"] == "一、本年新收政府信息公开申请数量｜总计"
    assert labels["active_disclosure@2021.licensing.value"] == "行政许可"
    assert labels["active_disclosure@2019.fees.change"] == "行政事业性收费｜本年增/减"
    assert set(DEFAULT_FIGURES) <= set(labels)


def test_blank_is_null_and_an_unprinted_layout_is_left_out(tmp_path: Path) -> None:
    from gongkai.registry import group_reports

    blank = zero_report("某某县人民政府", 2024, requests={"new": {"total": None, "natural_person": 7}})
    other = zero_report("另一县人民政府", 2024)
    registry = group_reports([blank, other], [], None)
    site = Site(Settings(content_dir=tmp_path, out_dir=tmp_path / "site"), (), registry)
    write_builder_data(site, Output(tmp_path / "site"))
    year = load(tmp_path / "site", urls.builder_year(2024))
    ids = [a.id for a in site.agencies]
    pos = {a.name: year["agencies"].index(ids.index(a.id)) for a in site.agencies}
    assert year["values"]["requests.new.total"][pos["某某县人民政府"]] is None
    assert year["values"]["requests.new.total"][pos["另一县人民政府"]] == 0
    assert year["values"]["requests.new.natural_person"][pos["某某县人民政府"]] == 7
    assert not any(k.startswith("active_disclosure@2019.") for k in year["values"])
    assert all(len(v) == 2 for v in year["values"].values())
