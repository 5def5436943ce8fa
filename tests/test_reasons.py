"""Every rejection reason a maintainer may meet, each with a real file of that kind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.batch import parse_all
from gongkai.cli import cli
from gongkai.limits import Limits

from conftest import FIXTURES

BAD = FIXTURES / "bad"

REASONS = [
    ("empty.pdf", "UnreadableFile", "empty file"),
    ("html-saved-as.pdf", "UnsupportedFile", "not a PDF: the file starts with an HTML page"),
    ("text-saved-as.docx", "UnsupportedFile", "not a DOCX: it starts like plain text"),
    ("truncated.pdf", "UnreadableFile", "damaged or truncated PDF (the file ends too early)"),
    ("truncated.docx", "UnreadableFile", "damaged or truncated DOCX ("),
    ("encrypted.pdf", "UnreadableFile", "encrypted PDF: it needs a password to open; save an unprotected copy"),
    ("scanned.pdf", "UnreadableFile", "scanned PDF: OCR found no text in the page images"),
    ("legacy.doc", "UnsupportedFile", "legacy Word .doc file, and LibreOffice is not installed; convert it to .docx"),
    ("notice.txt", "NotAReport", "not an annual government-information-disclosure report"),
    ("prose-only.txt", "LayoutNotRecognised", "report tables not found: 二 (table A), 三 (table B), 四 (table C)"),
    ("spreadsheet.xlsx", "UnsupportedFile", "unsupported file type '.xlsx'; gongkai reads"),
]


@pytest.fixture(autouse=True)
def _no_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    # The .doc reason depends on whether LibreOffice is installed; test the machine
    # without it here, and the conversion path below with a stand-in.
    monkeypatch.setattr("gongkai.read.doc._soffice", lambda: None)


@pytest.mark.parametrize(("name", "kind", "message"), REASONS)
def test_reason_in_batch(name: str, kind: str, message: str) -> None:
    [result] = parse_all([(BAD / name, f"reports/{name}")], jobs=1)
    assert result.report is None
    assert result.error_kind == kind
    assert result.error.startswith(message), result.error
    assert "\n" not in result.error


@pytest.mark.parametrize(("name", "kind", "message"), REASONS)
def test_reason_on_command_line(name: str, kind: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["parse", str(BAD / name)])
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {BAD / name}: {message}")
    assert "Traceback" not in result.output


def test_size_and_time_limits_have_reasons() -> None:
    src = FIXTURES / "pdf" / "hongze-2023.pdf"
    [big] = parse_all([(src, "reports/big.pdf")], jobs=1, limits=Limits(max_bytes=100_000))
    assert big.error == "file too large (286.6 KB; the limit is 97.7 KB, set max_file_mb to raise it)"
    [slow] = parse_all([(src, "reports/slow.pdf")], jobs=1, limits=Limits(max_seconds=0.01))
    assert slow.error.startswith("processing took longer than 0.01 s and was stopped")


def test_legacy_doc_is_converted_when_libreoffice_is_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in for soffice that "converts" by copying a DOCX into --outdir, so the
    # plumbing (temporary folder, command line, reading the result) is exercised.
    fake = tmp_path / "soffice"
    docx = FIXTURES / "docx" / "report-2021-merged.docx"
    fake.write_text(f'#!/bin/sh\nwhile [ "$1" != "--outdir" ]; do shift; done\ncp "{docx}" "$2/report.docx"\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr("gongkai.read.doc._soffice", lambda: os.fspath(fake))
    [result] = parse_all([(BAD / "legacy.doc", "reports/legacy.doc")], jobs=1)
    assert result.report is not None, result.error
    assert result.report.agency == "某某县人民政府办公室"
    assert result.report.source.kind == "docx"
    assert "converted from .doc with LibreOffice" in result.report.warnings


def test_limit_rejections_are_not_cached(tmp_path: Path) -> None:
    # A larger limit (or a quieter machine) reads the same file: the cache must not keep
    # the rejection, or raising max_file_mb / max_seconds_per_file would change nothing.
    from gongkai.cache import ParseCache

    src = FIXTURES / "pdf" / "hongze-2023.pdf"
    cache = ParseCache(tmp_path / "cache")
    [big] = parse_all([(src, "reports/big.pdf")], jobs=1, cache=cache, limits=Limits(max_bytes=100_000))
    [slow] = parse_all([(src, "reports/slow.pdf")], jobs=1, cache=cache, limits=Limits(max_seconds=0.01))
    assert big.report is None and slow.report is None
    [again] = parse_all([(src, "reports/ok.pdf")], jobs=1, cache=cache)
    assert again.report is not None and not again.cached
