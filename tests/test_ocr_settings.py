"""The OCR switch and its limits reach the parse: mkdocs.yml options, gongkai build
--no-ocr, gongkai parse --no-ocr; a scan read with OCR off is rejected saying so and
that rejection is not cached (the same file is read once OCR is on again)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.batch import parse_all
from gongkai.build import load_settings
from gongkai.cache import ParseCache
from gongkai.cli import cli
from gongkai.errors import ConfigError
from gongkai.read import scan
from gongkai.read.scan import OCR_OFF_REASON, OcrSettings, current_settings

from conftest import FIXTURES, write_project

SCAN = FIXTURES / "scan" / "hongze-2024-150dpi.pdf"


def test_ocr_options_are_read_from_mkdocs_yml(tmp_path: Path) -> None:
    project = write_project(tmp_path, FIXTURES / "site" / "content",
                            {"ocr": False, "ocr_min_confidence": 0.95, "ocr_max_seconds_per_page": 12})
    s = load_settings(project)
    assert (s.ocr, s.ocr_min_confidence, s.ocr_max_seconds_per_page) == (False, 0.95, 12.0)
    assert load_settings(project, ocr=True).ocr is True  # --ocr overrides the file


def test_wrong_ocr_options_are_reported_at_once(tmp_path: Path) -> None:
    project = write_project(tmp_path, FIXTURES / "site" / "content",
                            {"ocr": "yes", "ocr_min_confidence": 1.5, "ocr_max_seconds_per_page": 0})
    with pytest.raises(ConfigError) as e:
        load_settings(project)
    message = str(e.value)
    assert "option 'ocr': Expected type: <class 'bool'>" in message
    assert "option 'ocr_min_confidence': must be a number from 0 to 1, not 1.5" in message
    assert "option 'ocr_max_seconds_per_page': must be a positive number, not 0" in message


def test_parse_no_ocr_rejects_a_scan_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    # The command sets this process's OCR settings: put them back for the other tests.
    monkeypatch.setattr(scan, "_settings", current_settings())
    result = CliRunner().invoke(cli, ["parse", "--no-ocr", str(SCAN)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {SCAN}: {OCR_OFF_REASON}"


def test_with_ocr_off_a_scan_is_rejected_and_not_cached(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    shutil.copyfile(SCAN, scan)
    cache = ParseCache(tmp_path / "cache")
    [off] = parse_all([(scan, "scan.pdf")], jobs=1, cache=cache, ocr=OcrSettings(enabled=False))
    assert off.report is None and off.error == OCR_OFF_REASON
    assert cache.get(off.sha256) is None
