"""The Pagefind index, built while MkDocs writes the pages.

Pagefind's CLI reads the finished site after MkDocs is done: a serial step as long as a
third of MkDocs' own build. The same binary also runs as a service (``pagefind
--service``, what ``pagefind.index.PagefindIndex`` drives): each page's final HTML is
handed to it as MkDocs writes the page (the plugin's ``on_post_page``), so that
Pagefind indexes on the other core while MkDocs goes on, and the index is written at
the end (asked for and written by this module). HTML that is not a MkDocs page (404.html, HTML originals) or is changed after
MkDocs wrote it (the data page) is read from disk at the end, as the CLI would read it.

The service's protocol is spoken here rather than through ``PagefindIndex``, whose
asyncio client polls for each response a tenth of a second apart (1,000 pages added one
after the other: 100 s). Requests go out in the order MkDocs writes the pages, from one
writer thread, so that two builds hand Pagefind the same pages in the same order (the
index is byte-identical; see publish.py about filters, pagefind#638).
"""

from __future__ import annotations

import base64
import json
import os
import queue
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from .errors import GongkaiError


class SearchIndexer:
    """One build's Pagefind index: :meth:`add` pages, then :meth:`finish` (or :meth:`abort`)."""

    def __init__(self, site_dir: Path) -> None:
        from pagefind.service import get_executable

        binary = get_executable()
        if binary is None:
            raise GongkaiError(None, "pagefind failed (no pagefind binary); is pagefind[extended] installed?")
        self.site_dir = site_dir
        self._added: set[str] = set()
        self._errors: list[str] = []
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=self._stderr)
        self._next_id = 0
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._replies: dict[int, dict[str, Any]] = {}
        self._replied = threading.Condition()
        self._writer = threading.Thread(target=self._write, name="pagefind-in", daemon=True)
        self._reader = threading.Thread(target=self._read, name="pagefind-out", daemon=True)
        self._writer.start()
        self._reader.start()
        reply = self._wait(self._send({"type": "NewIndex", "config": None}))
        self._index_id = reply["index_id"]

    # ------------------------------------------------------------ the protocol

    def _send(self, payload: dict[str, Any]) -> int:
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        self._outbox.put(base64.b64encode(json.dumps(message).encode("utf-8")) + b",")
        return self._next_id

    def _write(self) -> None:
        assert self._proc.stdin is not None
        try:
            while (data := self._outbox.get()) is not None:
                self._proc.stdin.write(data)
                self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # the service died: the reader reports it

    def _read(self) -> None:
        assert self._proc.stdout is not None
        fd = self._proc.stdout.fileno()
        parts: list[bytes] = []  # of the message not yet ended (the index's files: megabytes)
        while True:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            if b"," not in chunk:
                parts.append(chunk)
                continue
            first, *messages, rest = chunk.split(b",")
            parts.append(first)
            messages.insert(0, b"".join(parts))
            parts = [rest]
            for m in messages:
                if not m:
                    continue
                reply = json.loads(base64.b64decode(m))
                payload = reply.get("payload") or {}
                if payload.get("type") == "Error":
                    self._errors.append(str(payload.get("message")))
                with self._replied:
                    self._replies[reply.get("message_id") or -1] = payload
                    self._replied.notify_all()
        with self._replied:
            self._replies[-2] = {"type": "Exit"}  # the service has gone
            self._replied.notify_all()

    def _wait(self, message_id: int) -> dict[str, Any]:
        with self._replied:
            self._replied.wait_for(lambda: message_id in self._replies or -2 in self._replies)
            reply = self._replies.get(message_id)
        if reply is None or reply.get("type") == "Error":
            self._fail()
        assert reply is not None
        return reply

    def _fail(self) -> None:
        self._close()
        self._stderr.seek(0)
        last = (self._stderr.read().decode("utf-8", "replace").strip().splitlines() or ["no output"])[-1]
        raise GongkaiError(None, f"pagefind failed ({'; '.join(self._errors[:3]) or last}); "
                           "is pagefind[extended] installed?")

    def _close(self) -> None:
        self._outbox.put(None)
        self._writer.join()
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join()

    # ------------------------------------------------------------ the build

    def add(self, path: str, html: str) -> None:
        """A page's final HTML, ``path`` its file relative to the site (``a/b/index.html``)."""
        self._added.add(path)
        self._send({"type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None,
                    "file_contents": html})

    def finish(self) -> None:
        """Add every other HTML file of the site as it is on disk, then write the index
        into ``pagefind/``."""
        for path in _html_files(self.site_dir):
            if path not in self._added:
                self.add(path, (self.site_dir / path).read_text(encoding="utf-8", errors="replace"))
        # The files are asked for and written here: the service writes some of them in
        # the background and exits at once when its input closes, leaving them empty.
        reply = self._wait(self._send({"type": "GetFiles", "index_id": self._index_id}))
        if self._errors:
            self._fail()
        self._close()
        bundle = self.site_dir / "pagefind"
        for f in reply["files"]:
            target = bundle / f["path"]
            if bundle not in target.parents:
                raise GongkaiError(None, f"pagefind failed (a file outside its folder: {f['path']!r})")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(f["content"]))

    def abort(self) -> None:
        """Stop the service without writing an index (the build failed)."""
        self._close()


def _html_files(site_dir: Path) -> list[str]:
    """Every ``*.html`` under the site but Pagefind's own folder, sorted (as the CLI finds them)."""
    found: list[str] = []
    for folder, dirs, files in os.walk(site_dir):
        rel = Path(folder).relative_to(site_dir)
        if rel.parts[:1] == ("pagefind",):
            dirs.clear()
            continue
        found.extend((rel / f).as_posix() for f in files if f.endswith(".html"))
    return sorted(found)
