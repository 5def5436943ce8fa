"""The parser never raises past its boundary: a report or a clean rejection, nothing else.

Property-based: random bytes, truncated real files and mangled report text go to every
reader; the only acceptable outcomes are a Report (which must validate against the
schema) or a GongkaiError with a one-line message naming the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.errors import GongkaiError
from gongkai.parse import parse_bytes

from conftest import FIXTURES

pytestmark = pytest.mark.slow  # long property tests: `make test` runs it, `make test-fast` does not

EXTS = [".pdf", ".docx", ".html", ".txt", ".md"]
SEED = (FIXTURES / "seeds" / "000_9df66e4b50998407.txt").read_text(encoding="utf-8")
REAL = {
    ".pdf": (FIXTURES / "pdf" / "hongze-2024.pdf").read_bytes(),
    ".txt": (FIXTURES / "seeds" / "004_0b8901f0c9a4b364.txt").read_bytes(),
    ".html": (FIXTURES / "html2019" / "report-2019-layout-2020.html").read_bytes(),
}
_docx = sorted((FIXTURES / "docx").glob("*.docx")) if (FIXTURES / "docx").exists() else []
if _docx:
    REAL[".docx"] = _docx[0].read_bytes()

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _outcome(data: bytes, name: str, validator) -> str:
    path = Path(name)
    try:
        report = parse_bytes(data, path)
    except GongkaiError as e:
        msg = str(e)
        assert "\n" not in msg and msg.startswith(f"{name}: ") and len(msg) > len(name) + 4, msg
        return "rejected"
    validator.validate(report.to_dict())
    return "parsed"


@SETTINGS
@given(data=st.binary(max_size=4096), ext=st.sampled_from(EXTS))
def test_random_bytes(data: bytes, ext: str, schema_validator) -> None:
    _outcome(data, f"random{ext}", schema_validator)


@SETTINGS
@given(ext=st.sampled_from(sorted(REAL)), cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_real_files(ext: str, cut: float, schema_validator) -> None:
    data = REAL[ext]
    _outcome(data[: int(len(data) * cut)], f"truncated{ext}", schema_validator)


@SETTINGS
@given(
    ext=st.sampled_from(sorted(REAL)),
    pos=st.integers(min_value=0, max_value=10**9),
    junk=st.binary(min_size=1, max_size=64),
)
def test_corrupted_real_files(ext: str, pos: int, junk: bytes, schema_validator) -> None:
    data = bytearray(REAL[ext])
    i = pos % len(data)
    data[i: i + len(junk)] = junk
    _outcome(bytes(data), f"corrupted{ext}", schema_validator)


_line_edits = st.lists(
    st.tuples(st.sampled_from(["drop", "dup", "junk", "swap", "blank"]), st.integers(0, 10**6), st.text(max_size=12)),
    max_size=25,
)


@SETTINGS
@given(edits=_line_edits)
def test_mangled_report_text(edits, schema_validator) -> None:
    lines = SEED.split("\n")
    for op, pos, text in edits:
        i = pos % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "junk":
            lines[i] = text + lines[i][len(text):]
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "blank":
            lines[i] = ""
        if not lines:
            lines = [""]
    _outcome("\n".join(lines).encode("utf-8"), "mangled.txt", schema_validator)


@SETTINGS
@given(text=st.text(max_size=2000))
def test_arbitrary_text_in_report_shape(text: str, schema_validator) -> None:
    # Real headings and labels around arbitrary text: recognition must not crash.
    body = SEED[:2000] + text + SEED[-3000:]
    _outcome(body.encode("utf-8", errors="surrogatepass"), "shaped.md", schema_validator)
