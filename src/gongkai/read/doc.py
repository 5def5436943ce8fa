"""Legacy Word ``.doc`` files: converted to DOCX with LibreOffice when it is installed.

Without LibreOffice the file is rejected with the command that converts it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import UnreadableFile, UnsupportedFile
from .document import Document

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CONVERT_HINT = "convert it to .docx (LibreOffice: soffice --headless --convert-to docx FILE; or Save As .docx in Word/WPS)"
TIMEOUT = 120


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, path: Path) -> Document:
    if not data.startswith(OLE_MAGIC):
        if data.startswith(b"PK"):
            raise UnsupportedFile(path, "a DOCX file with a .doc name; rename it to .docx")
        raise UnsupportedFile(path, "not a Word .doc file (no OLE header)")
    soffice = _soffice()
    if soffice is None:
        raise UnsupportedFile(path, f"legacy Word .doc file, and LibreOffice is not installed; {CONVERT_HINT}")
    with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as tmp:
        src = Path(tmp) / "report.doc"
        src.write_bytes(data)
        try:
            subprocess.run(
                [soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/profile",
                 "--convert-to", "docx", "--outdir", tmp, str(src)],
                check=True, capture_output=True, timeout=TIMEOUT,
            )
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as e:
            raise UnreadableFile(path, f"LibreOffice could not convert this .doc file ({type(e).__name__}); "
                                       f"{CONVERT_HINT}") from None
        out = Path(tmp) / "report.docx"
        if not out.exists():
            raise UnreadableFile(path, f"LibreOffice could not convert this .doc file; {CONVERT_HINT}")
        from .docx import read as read_docx

        doc = read_docx(out.read_bytes(), path)
    return Document(doc.blocks, "docx", doc.warnings + ("converted from .doc with LibreOffice",))
