"""Chinese for citizens (wording.py): every reading warning and rejection reason the parse
half gives for the real fixture files is said in Chinese, by kind, without the English."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gongkai.batch import parse_all
from gongkai.wording import FALLBACK_WARNING, REJECTION_BY_KIND, rejection, warning

from conftest import FIXTURES

LATIN = re.compile(r"[A-Za-z]{2,}")
FILE_FORMATS = {"txt", "docx", "doc", "PDF", "DOCX", "HTML", "Word"}  # file-format names


def _latin(text: str) -> set[str]:
    return set(LATIN.findall(text)) - FILE_FORMATS


def _fixture_files() -> list[Path]:
    # The scans are left out here (minutes of OCR); their warnings and reasons are
    # taken word for word in test_the_ocr_path_is_said_in_chinese.
    kinds = (".txt", ".md", ".pdf", ".docx", ".html", ".htm", ".doc", ".xlsx")
    return sorted(p for p in FIXTURES.rglob("*")
                  if p.is_file() and p.suffix in kinds and "scan" not in p.relative_to(FIXTURES).parts)


@pytest.fixture(scope="module")
def results():  # every fixture file, parsed once
    files = _fixture_files()
    return parse_all([(p, p.relative_to(FIXTURES).as_posix()) for p in files], jobs=1)


def test_every_warning_of_the_real_files_is_chinese(results) -> None:
    warnings = sorted({w for r in results if r.report is not None for w in r.report.warnings})
    assert warnings  # the fixtures have some (e.g. seed 003's table B rows of eight cells)
    known = 0
    for w in warnings:
        said = warning(w)
        assert not _latin(said), (w, said)
        known += said != FALLBACK_WARNING
    assert known == len(warnings)  # each of today's kinds has its own sentence


def test_every_rejection_of_the_real_files_is_chinese(results) -> None:
    rejected = [r for r in results if r.report is None]
    assert len(rejected) >= 8
    for r in rejected:
        said = rejection(r.error_kind or "", r.error or "")
        assert not _latin(said), (r.file, r.error, said)
        assert said != REJECTION_BY_KIND.get(r.error_kind or ""), (r.file, r.error)  # a specific sentence


def test_a_warning_of_a_new_kind_never_shows_its_english() -> None:
    assert warning("table Q: something the parser learnt yesterday") == FALLBACK_WARNING
    # a label caught from English text is not shown either
    assert not _latin(warning("table B row foo bar: more than 7 values printed; kept 1, 2"))


def test_labels_the_warning_names_stay() -> None:
    said = warning("table B row 一、本年新收政府信息公开申请数量: more than 7 values printed; kept 1, 2, 3")
    assert said.startswith("表三“一、本年新收政府信息公开申请数量”一行") and "7 个" in said


def test_value_notes_in_english_are_left_out_of_the_tooltips() -> None:
    from gongkai.model import ValueNote
    from gongkai.render import note_text

    said = note_text(ValueNote("requests", "new", "total", "ocr", 0.8, "digit 7 may be 1 (low contrast)"))
    assert said.startswith("由扫描件识别，置信度 80%") and not _latin(said)
    assert note_text(ValueNote("requests", "new", "total", "remark", None, "含转办件 3 件")) == "备注：含转办件 3 件"


@pytest.mark.parametrize(("english", "kind"), [
    ("page 4, table 1, row 2, cell 6: OCR read '0' with confidence 0.66; left blank", "warning"),
    ("page 2: OCR found no text in the page image (blank, or too faint)", "warning"),
    ("page 3: OCR took longer than 30 s and was stopped; the page's content is missing", "warning"),
    ("scanned PDF: OCR found no text in the page images (blank, or too faint)", "UnreadableFile"),
    ("scanned PDF: no ruled table found in the page images (tables without ruling lines cannot be "
     "rebuilt from a scan)", "UnreadableFile"),
    ("scanned PDF: every table cell was read with low confidence (below 0.9: the scan is too blurred "
     "or faint)", "UnreadableFile"),
    ("scanned PDF: OCR of every page took longer than 30 s and was stopped", "UnreadableFile"),
])
def test_the_ocr_path_is_said_in_chinese(english: str, kind: str) -> None:
    from gongkai.read.scan import OCR_OFF_REASON

    said = warning(english) if kind == "warning" else rejection(kind, english)
    assert not _latin(said) and said not in (FALLBACK_WARNING, REJECTION_BY_KIND[kind] if kind != "warning" else "")
    assert not _latin(rejection("UnreadableFile", OCR_OFF_REASON))
    assert rejection("UnreadableFile", OCR_OFF_REASON) != REJECTION_BY_KIND["UnreadableFile"]
