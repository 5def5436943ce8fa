"""HTML, text and PDF extremes (issue 16, items 2 and 3), on files the tests make: a
report or a clean reason, never a crash, and a report that is there is still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.errors import GongkaiError
from gongkai.parse import parse_bytes

from conftest import FIXTURES

HTML = (FIXTURES / "html" / "report-2021-gbk.html").read_bytes()
PDF = FIXTURES / "pdf" / "hongze-2024.pdf"


def _outcome(data: bytes, name: str) -> str:
    try:
        r = parse_bytes(data, Path(name), name)
    except GongkaiError as e:
        return f"{type(e).__name__}: {e.reason}"
    return f"report: {r.agency} {r.year} new={r.requests['new']['total']}"


def _around_body(before: bytes, after: bytes) -> bytes:
    start = HTML.index(b">", HTML.lower().index(b"<body")) + 1
    end = HTML.lower().rindex(b"</body")
    return HTML[:start] + before + HTML[start:end] + after + HTML[end:]


EXPECTED = _outcome(HTML, "r.html")


def test_the_html_report_reads() -> None:
    assert EXPECTED == "report: 某某市自然资源局 2023 new=73"


def test_html_nested_past_the_parsers_limit_is_refused_not_cut_short() -> None:
    """libxml2 stops at 256 levels; what followed used to vanish silently ("tables not
    found" for a page whose tables were all there)."""
    data = _around_body(b"<div>" * 100_000 + b"</div>" * 100_000, b"")
    assert _outcome(data, "r.html") == ("UnreadableFile: HTML nested too deeply to read (past line 14 elements are "
                                        "nested more than 256 deep); a real page nests a few dozen")


def test_html_report_inside_two_hundred_wrappers_reads() -> None:
    assert _outcome(_around_body(b"<div>" * 200, b"</div>" * 200), "r.html") == EXPECTED


@pytest.mark.slow
def test_html_table_of_fifty_thousand_rows_beside_the_report() -> None:
    rows = "".join(f"<tr><td>行{i}</td><td>{i}</td><td>{i}</td></tr>" for i in range(50_000)).encode("gbk")
    assert _outcome(_around_body(b"", b"<table>" + rows + b"</table>"), "r.html") == EXPECTED


@pytest.mark.parametrize("declared", [b"utf-8", b"big5", b"x-no-such-charset", b"utf-16"])
def test_html_whose_declared_charset_lies(declared: bytes) -> None:
    """The page is GB2312; whatever its meta tag claims, the bytes decide."""
    data = HTML.replace(b"gb2312", declared).replace(b"GB2312", declared)
    assert data != HTML
    assert _outcome(data, "r.html") == EXPECTED


def test_text_with_one_line_of_millions_of_characters_ends_in_a_reason() -> None:
    data = ("2023年政府信息公开工作年度报告 " + "数" * 2_000_000).encode("utf-8")
    assert _outcome(data, "r.txt").startswith("NotAReport: no report title naming the agency")


def test_text_of_hundreds_of_thousands_of_lines_ends_in_a_reason() -> None:
    data = ("某局2023年政府信息公开工作年度报告\n" + "行政许可\t1\n" * 300_000).encode("utf-8")
    assert _outcome(data, "r.txt").startswith("LayoutNotRecognised: report tables not found")


def _with_blank_pages(n: int) -> bytes:
    import io

    import pypdfium2 as pdfium

    src = pdfium.PdfDocument(PDF)
    doc = pdfium.PdfDocument.new()
    doc.import_pages(src)
    w, h = src[0].get_size()
    for _ in range(n):
        doc.new_page(w, h)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def test_pdf_report_followed_by_three_thousand_blank_pages_still_reads() -> None:
    """The blank pages used to count in the text layer's average: "no text layer"."""
    data = _with_blank_pages(3000)
    expected = parse_bytes(PDF.read_bytes(), Path("r.pdf"), "r.pdf").to_dict()
    got = parse_bytes(data, Path("r.pdf"), "r.pdf").to_dict()
    assert got.pop("source")["sha256"] != expected.pop("source")["sha256"]  # the rest is the same
    assert got == expected


def _pdf(objects: list[bytes]) -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] >>"
PDF_TRAPS = {
    "array nested 200,000 deep": [b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 200_000 + b"]" * 200_000 + b" >>",
                                  b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE],
    "page tree that contains itself": [b"<< /Type /Catalog /Pages 2 0 R >>",
                                       b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", PAGE],
    "outline and length loops": [b"<< /Type /Catalog /Pages 2 0 R /Outlines 4 0 R >>",
                                 b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                 b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 600 800] /Contents 5 0 R >>",
                                 b"<< /First 4 0 R /Last 4 0 R /Next 4 0 R >>",
                                 b"<< /Length 6 0 R >>\nstream\nBT ET\nendstream", b"6 0 R"],
}


@pytest.mark.parametrize("trap", sorted(PDF_TRAPS))
def test_pdf_nesting_and_reference_loops_end_in_a_reason(trap: str) -> None:
    assert _outcome(_pdf(PDF_TRAPS[trap]), "r.pdf").startswith("UnreadableFile: ")
