"""XML and ZIP attacks in DOCX (issue 16, item 1), on packages the tests build: external
entities (general, parameter, URL) are never resolved, entity expansion is refused at
once, and a zip bomb in any part is refused before it is inflated."""

from __future__ import annotations

import io
import struct
import threading
import tracemalloc
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from gongkai.errors import UnreadableFile
from gongkai.read import docx

from conftest import FIXTURES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REAL = FIXTURES / "docx" / "report-2021-merged.docx"


def _doc(body: str, dtd: str = "") -> str:
    return f'<?xml version="1.0"?>{dtd}<w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _package(replace: dict[str, str | bytes], base: Path = REAL) -> bytes:
    """The real fixture's parts, some replaced or added."""
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info.filename, src.read(info))
        for name, data in replace.items():
            dst.writestr(name, data)
    return out.getvalue()


def _read(data: bytes) -> tuple[str, int]:
    """(outcome, peak Python memory in MB) of reading the bytes."""
    tracemalloc.start()
    try:
        try:
            doc = docx.read(data, Path("attack.docx"))
            outcome = "read: " + " ".join(b.text for b in doc.blocks if hasattr(b, "text"))
        except UnreadableFile as e:
            outcome = e.reason
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return outcome, peak // (1024 * 1024)


@pytest.fixture()
def secret(tmp_path: Path) -> Path:
    f = tmp_path / "secret.txt"
    f.write_text("LOCAL-SECRET-READ-THROUGH-A-DOCUMENT", encoding="utf-8")
    return f


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"REMOTE-ENTITY")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def url() -> str:  # type: ignore[misc]
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_port}/x"  # type: ignore[misc]
    server.shutdown()
    assert _Recorder.hits == [], "a document made the reader fetch a URL"


@pytest.mark.parametrize("kind", ["general", "parameter", "url"])
def test_external_entities_are_never_resolved(kind: str, secret: Path, url: str) -> None:
    target = url if kind == "url" else secret.as_uri()
    dtd, body = {
        "general": (f'<!DOCTYPE d [<!ENTITY x SYSTEM "{target}">]>', _para("&x;")),
        "parameter": (f'<!DOCTYPE d [<!ENTITY % p SYSTEM "{target}"> %p;]>', _para("a")),
        "url": (f'<!DOCTYPE d [<!ENTITY x SYSTEM "{target}">]>', _para("&x;")),
    }[kind]
    outcome, _ = _read(_package({"word/document.xml": _doc(body, dtd)}))
    assert "SECRET" not in outcome and "REMOTE" not in outcome
    assert outcome == "refused: the XML of word/document.xml declares a DOCTYPE (entities), which Word never writes"


def test_external_entity_in_the_relationships_is_never_resolved(secret: Path) -> None:
    rels = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">&x;</Relationships>')
    outcome, _ = _read(_package({"_rels/.rels": rels}))
    assert outcome == "refused: the XML of _rels/.rels declares a DOCTYPE (entities), which Word never writes"


@pytest.mark.parametrize("shape", ["billion-laughs", "one-huge-entity-many-times"])
def test_entity_expansion_is_refused_at_once(shape: str) -> None:
    if shape == "billion-laughs":
        dtd = ("<!DOCTYPE d [<!ENTITY l0 'lol'>"
               + "".join(f"<!ENTITY l{i} '{('&l%d;' % (i - 1)) * 10}'>" for i in range(1, 10)) + "]>")
        body = _para("&l9;")  # 10^9 'lol's
    else:
        dtd = "<!DOCTYPE d [<!ENTITY a '" + "x" * 100_000 + "'>]>"
        body = _para("&a;" * 100_000)  # 10 GB of text from 300 KB
    outcome, peak = _read(_package({"word/document.xml": _doc(body, dtd)}))
    assert outcome == ("refused: the XML of word/document.xml expands entities without bound "
                       "(an entity-expansion attack)")
    assert peak < 50


def _bomb(size: int) -> bytes:
    return _doc(_para("x" * size)).encode()


@pytest.mark.parametrize("part, cap", [("word/document.xml", "64 MB"), ("_rels/.rels", "1 MB")])
def test_zip_bomb_is_refused_by_its_declared_size_before_inflating(part: str, cap: str) -> None:
    data = _package({part: _bomb(100 * 1024 * 1024)})
    assert len(data) < 1_000_000
    outcome, peak = _read(data)
    assert outcome == f"DOCX part {part} is too large to read (100 MB uncompressed, the limit is {cap}; a zip bomb?)"
    assert peak < 20  # nothing was inflated


def _understate(data: bytes, name: str, size: int) -> bytes:
    """Rewrite the member's declared uncompressed size (local header and central directory)."""
    buf = bytearray(data)
    raw = name.encode()
    at = buf.find(b"PK\x03\x04")
    while at != -1:
        if buf[at + 30: at + 30 + len(raw)] == raw:
            struct.pack_into("<I", buf, at + 22, size)
        at = buf.find(b"PK\x03\x04", at + 4)
    at = buf.find(b"PK\x01\x02")
    while at != -1:
        if buf[at + 46: at + 46 + len(raw)] == raw:
            struct.pack_into("<I", buf, at + 24, size)
        at = buf.find(b"PK\x01\x02", at + 4)
    return bytes(buf)


def test_zip_bomb_that_understates_its_size_is_stopped_while_inflating() -> None:
    """zipfile's read() inflates a member in one call, whatever its header says; the reader
    inflates a megabyte at a time and stops at the declared size (then the CRC fails)."""
    data = _understate(_package({"word/document.xml": _bomb(200 * 1024 * 1024)}), "word/document.xml", 4096)
    outcome, peak = _read(data)
    assert outcome.startswith("damaged or truncated DOCX (ZIP member word/document.xml: Bad CRC-32")
    assert peak < 20


def test_zip_bomb_in_a_part_never_read_does_not_stop_the_report() -> None:
    outcome, peak = _read(_package({"word/styles.xml": _bomb(100 * 1024 * 1024)}))
    assert outcome.startswith("read: ") and "政府信息公开" in outcome
    assert peak < 50
