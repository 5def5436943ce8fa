"""The Pagefind index, built while MkDocs writes the pages.

Pagefind's CLI reads the finished site after MkDocs is done: a serial step as long as a
third of MkDocs' own build. The same binary also runs as a service (``pagefind
--service``, what ``pagefind.index.PagefindIndex`` drives), and is handed the pages
while the build goes on:

- gongkai's own pages before MkDocs writes them (:meth:`SearchIndexer.add_early`, from
  the plugin's ``on_env``: the page's template rendered with only the parts Pagefind
  reads), and the index asked for at once when the project has no page of its own
  (:meth:`SearchIndexer.ask_early`): Pagefind indexes and builds the index on the other
  core while MkDocs writes (its last step alone took a second after the last page of
  1,000 reports). Each page MkDocs then writes is checked to hold what was handed over
  (the same ``<html>`` tag, title and searchable element, a few string comparisons);
- any other page as MkDocs writes it (the plugin's ``on_post_page``);
- when MkDocs is done, the HTML it wrote but did not render as a page (404.html, a
  project's own HTML files) is read from disk, and the index asked for if it was not
  (:meth:`SearchIndexer.build`). If a page was written otherwise than handed over (a
  project's template, hook or plugin changed it), or a searchable page came after the
  index was asked for, the index is made again from every page as written.

The index is written at the end (:meth:`SearchIndexer.finish`; writing it from a thread
meanwhile was no faster). What else the build writes into the site is no page: the data
files, and the originals (an HTML original is published as ``.html.txt``, see
urls.original).

The service's protocol is spoken here rather than through ``PagefindIndex``, whose
asyncio client polls for each response a tenth of a second apart (1,000 pages added one
after the other: 100 s). Requests go out in the order the build makes the pages, from one
writer thread, so that two builds hand Pagefind the same pages in the same order (the
index is byte-identical; see publish.py about filters, pagefind#638).

Pagefind is handed only what it reads of a page (:func:`searchable`): the
``data-pagefind-body`` element with the text of its ``data-pagefind-ignore`` parts cut
out (their metadata kept), the ``<html>`` tag and the title. A report page is ~30 KB of
HTML of which ~2 KB is indexed (the tables, checks and comparisons are ignored), and
parsing the rest was half of Pagefind's work. The index is the same, file for file
(tests/test_site.py).
"""

from __future__ import annotations

import base64
import importlib
import json
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from .errors import GongkaiError
from .jsonenc import dumps_bytes

log = logging.getLogger("mkdocs.plugins.gongkai")


class SearchIndexer:
    """One build's Pagefind index: :meth:`add_early` pages and :meth:`ask_early` (both
    optional), :meth:`add` pages, :meth:`build`, then :meth:`finish` (or :meth:`abort`)."""

    def __init__(self, site_dir: Path, *, reduce: bool = True) -> None:
        """``reduce``: hand Pagefind only what it reads of each page (:func:`searchable`,
        and no page without a ``data-pagefind-body`` when others have one); off, every
        page whole, as the CLI reads them (the reference the tests compare with)."""
        binary = pagefind_binary()
        if binary is None:
            raise GongkaiError(None, "pagefind failed (no pagefind binary); is pagefind[extended] installed?")
        self.site_dir = site_dir
        self._binary = binary
        self._reduce = reduce
        self._start()

    def _start(self) -> None:
        self._added: set[str] = set()
        self._unmarked: list[str] = []
        self._marked = False
        self._early: dict[str, _Parts] = {}
        """Pages handed over before MkDocs wrote them (:meth:`add_early`): what their
        final HTML must hold (its ``<html>`` tag, title and a hash of its searchable element)."""
        self._differs: str | None = None
        """The first page whose final HTML was not what was handed over early, or that
        came with a searchable part after the index was asked for (:meth:`ask_early`)."""
        self._files: int | None = None
        """The GetFiles request, once sent (:meth:`ask_early` or :meth:`build`)."""
        self._errors: list[str] = []
        self._stderr: IO[bytes] = tempfile.TemporaryFile()
        self._proc = subprocess.Popen([str(self._binary), "--service"], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=self._stderr)
        self._next_id = 0
        self._outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self._replies: dict[int, dict[str, Any]] = {}
        self._replied = threading.Condition()
        # Started by the first _send: the plugin starts the service before the build
        # forks its render and data processes, and no process forks while another thread runs.
        self._writer = threading.Thread(target=self._write, name="pagefind-in", daemon=True)
        self._reader = threading.Thread(target=self._read, name="pagefind-out", daemon=True)
        self._threads = False
        self._index_id = self._ask({"type": "NewIndex", "config": None})["index_id"]
        self._warm_up()

    def _warm_up(self) -> None:
        """The service's first page costs ~0.17 s more than any other, whatever its
        language (it sets up its word splitting then), and the index's last steps wait for
        every page: one page on an index of its own, deleted at once, as soon as the
        service starts (the plugin starts it while the parse works). Their replies are
        read, and any error raised, with the build's own (:meth:`finish`)."""
        warm = self._ask({"type": "NewIndex", "config": None})["index_id"]
        assert self._proc.stdin is not None
        for payload in ({"type": "AddFile", "index_id": warm, "file_path": "warm-up/index.html", "url": None,
                         "file_contents": _WARM_UP}, {"type": "DeleteIndex", "index_id": warm}):
            self._proc.stdin.write(self._encode(payload)[1])
        self._proc.stdin.flush()

    # ------------------------------------------------------------ the protocol

    def _encode(self, payload: dict[str, Any]) -> tuple[int, bytes]:
        self._next_id += 1
        message = {"message_id": self._next_id, "payload": payload}
        # UTF-8 rather than json's \u escapes (twice the bytes of Chinese text).
        return self._next_id, base64.b64encode(dumps_bytes(message, escape_refused=True)) + b","

    def _send(self, payload: dict[str, Any]) -> int:
        if not self._threads:
            self._threads = True
            self._writer.start()
            self._reader.start()
        message_id, data = self._encode(payload)
        self._outbox.put(data)
        return message_id

    def _ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A request and its reply, before the threads start (the service answers only
        what it is asked, so the reply is all there is to read)."""
        assert self._proc.stdin is not None and self._proc.stdout is not None
        _, data = self._encode(payload)
        try:
            self._proc.stdin.write(data)
            self._proc.stdin.flush()
        except OSError:
            self._fail()
        fd = self._proc.stdout.fileno()
        reply = b""
        while not reply.endswith(b","):
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                self._fail()
            reply += chunk
        _, payload = self._decode(reply[:-1])
        if payload.get("type") == "Error":
            self._fail()
        return payload

    def _decode(self, message: bytes) -> tuple[int, dict[str, Any]]:
        """A reply's id and payload; an error's message kept (:meth:`_fail` says it)."""
        reply = json.loads(base64.b64decode(message))
        payload = reply.get("payload") or {}
        if payload.get("type") == "Error":
            self._errors.append(str(payload.get("message")))
        return reply.get("message_id") or -1, payload

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
                message_id, payload = self._decode(m)
                with self._replied:
                    self._replies[message_id] = payload
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
        if self._threads:
            self._outbox.put(None)
            self._writer.join()
        if self._proc.stdin is not None:
            try:
                self._proc.stdin.close()
            except OSError:
                pass  # the service died: what it wrote on stderr says why
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        if self._threads:
            self._reader.join()

    # ------------------------------------------------------------ the build

    def add_early(self, path: str, html: str) -> bool:
        """A page before MkDocs writes it: ``html`` is what its template gives with only
        the parts Pagefind reads (the plugin's :data:`~gongkai.plugin.SEARCH_ONLY`).
        False when :func:`searchable` does not understand it (the page is then added as
        written). :meth:`add` checks that the page as written holds the same."""
        if not self._reduce or path in self._added or self._files is not None:
            return False
        cut, parts = _cut(html)
        if cut is None or parts is None:
            return False
        self._added.add(path)
        self._early[path] = parts
        self._marked = True
        self._send({"type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None,
                    "file_contents": cut})
        return True

    def ask_early(self) -> None:
        """Ask for the index now, after :meth:`add_early`, when no other page is expected to
        have a searchable part: Pagefind builds it while MkDocs writes the pages. A page
        that has one after all (or an early page written otherwise) makes :meth:`build`
        index every page again as written."""
        if self._marked and self._files is None:
            self._files = self._send({"type": "GetFiles", "index_id": self._index_id})

    def add(self, path: str, html: str) -> None:
        """A page's final HTML, ``path`` its file relative to the site (``a/b/index.html``)."""
        expected = self._early.get(path)
        if expected is not None:
            if self._differs is None and not _same_parts(html, expected):
                self._differs = path
            return
        if self._files is not None:  # asked for early: only pages without a searchable part may come
            if self._differs is None and BODY_ATTR in html:
                self._differs = path
            return
        self._added.add(path)
        if self._reduce and BODY_ATTR not in html:
            # Pagefind leaves out a page without data-pagefind-body once any page has one,
            # which only the end of the build knows: such pages wait (as paths) till then.
            self._unmarked.append(path)
            return
        self._marked = True
        self._send({"type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None,
                    "file_contents": (searchable(html) if self._reduce else None) or html})

    def build(self) -> None:
        """Add every other HTML file of the site as it is on disk, and ask for the index
        (unless :meth:`ask_early` did): Pagefind builds it while the caller goes on."""
        others = [p for p in _html_files(self.site_dir) if p not in self._added]  # early pages are added
        if self._files is not None and self._differs is None:
            for path in others:
                if BODY_ATTR in (self.site_dir / path).read_text(encoding="utf-8", errors="replace"):
                    self._differs = path
                    break
        if self._differs is not None:
            # A page added early is not what MkDocs wrote, or another page is searchable
            # (a project's template, plugin or HTML file): index every page as written.
            log.info("search index: %s is not as expected; indexing every page as written", self._differs)
            self._close()
            self._start()
            others = _html_files(self.site_dir)
        elif self._files is not None:
            return
        for path in others:
            self.add(path, (self.site_dir / path).read_text(encoding="utf-8", errors="replace"))
        if not self._marked:  # no page marks its searchable part: Pagefind reads them all
            for path in self._unmarked:
                self._send({"type": "AddFile", "index_id": self._index_id, "file_path": path, "url": None,
                            "file_contents": (self.site_dir / path).read_text(encoding="utf-8", errors="replace")})
        # The files are asked for and written here: the service writes some of them in
        # the background and exits at once when its input closes, leaving them empty.
        self._files = self._send({"type": "GetFiles", "index_id": self._index_id})

    def finish(self) -> None:
        """Write the index into ``pagefind/`` (:meth:`build` first, if it was not called)."""
        if self._files is None:
            self.build()
        assert self._files is not None
        reply = self._wait(self._files)
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


def pagefind_binary() -> Path | None:
    """The Pagefind binary, found as ``pagefind.service.get_executable`` finds it
    (``PAGEFIND_BINARY_PATH``, the extended wheel, the plain one, then the PATH), without
    importing that module: it imports asyncio and ssl for its own client, 20-25 ms of every
    build's CPU that gongkai, speaking the protocol itself, never uses."""
    env = os.environ.get("PAGEFIND_BINARY_PATH")
    if env is not None:
        return Path(env)
    for wheel in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return Path(importlib.import_module(wheel).get_executable())
        except (ImportError, FileNotFoundError):  # not installed, or its binary missing
            continue
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(found) if found else None


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


# ---------------------------------------------------------------- what Pagefind reads of a page

_WARM_UP = '<!doctype html><html lang="zh-CN"><head><title>预热</title></head><body><p>政府信息公开</p></body></html>'

BODY_ATTR = "data-pagefind-body"
BODY_OPEN = f"<div {BODY_ATTR}>"
"""How gongkai's main.html opens the searchable part."""
_IGNORE = " data-pagefind-ignore"
_KEPT = (" data-pagefind-meta", " data-pagefind-filter", " data-pagefind-sort")
_ANY = " data-pagefind-"
_AFTER_NAME = frozenset("=> \t\n/")
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})


_Parts = tuple[str, str, int, int]
"""What :func:`searchable` reads of a page: its ``<html>`` tag, its ``<title>`` element,
and the length and hash of its ``data-pagefind-body`` element (the element itself,
~40 KB a report page in memory, would be kept for every page of the site)."""


def _cut(page: str) -> tuple[str | None, _Parts | None]:
    """:func:`searchable` of the page, and what of the page it read."""
    found = _searchable(page)
    if found is None:
        return None, None
    cut, start, end = found
    return cut, (*_head_parts(page, start), end - start, _body_hash(page, start, end))


def _same_parts(page: str, parts: _Parts) -> bool:
    """Whether :func:`searchable` gives the same for ``page`` as for the page ``parts``
    came from (:func:`_cut`): the same parts, no Pagefind attribute outside the body. A
    few string searches and a hash, no walk through the body."""
    start = page.find(BODY_OPEN)
    end = start + parts[2]
    return (start >= 0 and page.find("data-pagefind", 0, start) < 0 and page.find("data-pagefind", end) < 0
            and _head_parts(page, start) == parts[:2] and _body_hash(page, start, end) == parts[3])


def _body_hash(page: str, start: int, end: int) -> int:
    # Python's own string hash, 64 bits, compared only within this process: a tenth of
    # the time of encoding the element and a blake2b of it (0.02 against 0.19 ms a
    # report page, twice a page). It tells a page a project's hook or plugin changed
    # from the one handed over, which no one crafts to collide.
    return hash(page[start:end])


def _head_parts(page: str, start: int) -> tuple[str, str]:
    """The ``<html>`` tag and ``<title>`` element before ``start``, as searchable() takes them."""
    html = page.find("<html", 0, start)
    title = page.find("<title>", 0, start)
    title_end = page.find("</title>", title, start)
    return (page[html:page.index(">", html) + 1] if html >= 0 else "",
            page[title:title_end + 8] if 0 <= title < title_end else "")


def searchable(page: str) -> str | None:
    """The page as Pagefind needs it: ``<html …>``, the ``<title>`` and the
    ``data-pagefind-body`` element, each ``data-pagefind-ignore`` element in it emptied
    but for the metadata, filter and sort elements inside it (Pagefind reads those from
    ignored parts too; ``="all"`` drops them as well). The tags of an emptied element are
    kept, so words either side of it stay apart. None when the page is not one this
    understands (no ``<div data-pagefind-body>``, Pagefind attributes outside it, markup
    it cannot follow): then the whole page is handed over, as before.

    Works on gongkai's own output (well-formed, every report text escaped), by searching
    for strings rather than parsing: 0.15 ms a page, less than the JSON encoding of the
    whole page it saves."""
    found = _searchable(page)
    return found[0] if found is not None else None


def _searchable(page: str) -> tuple[str, int, int] | None:
    """:func:`searchable`, and where the body element starts and ends."""
    start = page.find(BODY_OPEN)
    if start < 0:
        return None
    end = _element_end(page, "div", start + len(BODY_OPEN), len(page))
    if end < 0 or page.find("data-pagefind", 0, start) >= 0 or page.find("data-pagefind", end) >= 0:
        return None
    out: list[str] = []
    pos = start
    while (attr := page.find(_IGNORE, pos, end)) >= 0:
        tag = _tag_at(page, attr)
        if tag is None or page[attr + len(_IGNORE)] not in _AFTER_NAME:
            return None
        _, name, content = tag
        stop = _element_end(page, name, content, end)
        if stop < 0:
            return None
        out.append(page[pos:content])
        close = stop if name in _VOID else stop - len(name) - 3
        if not page.startswith('="all"', attr + len(_IGNORE)):
            inner = content
            # The first kept attribute: one search for their common start, not one each.
            while (found := page.find(_ANY, inner, close)) >= 0:
                if not page.startswith(_KEPT, found):
                    inner = found + len(_ANY)
                    continue
                kept = _tag_at(page, found)
                kept_end = -1 if kept is None else _element_end(page, kept[1], kept[2], close)
                if kept is None or kept_end < 0:
                    return None
                out.append(page[kept[0]:kept_end])
                inner = kept_end
        out.append(page[close:stop])
        pos = stop
    out.append(page[pos:end])
    html_tag, title = _head_parts(page, start)
    return ("<!doctype html>" + (html_tag or "<html>") + "<head>" + title + "</head><body>" + "".join(out)
            + "</body></html>", start, end)


def _element_end(html: str, name: str, pos: int, stop: int) -> int:
    """Where the element ``name`` whose start tag ends at ``pos`` ends (after its end
    tag, counting nested elements of the same name); -1 if not before ``stop``."""
    if name in _VOID:
        return pos
    opening, closing = "<" + name, "</" + name + ">"
    depth = 1
    while depth:
        close = html.find(closing, pos, stop)
        if close < 0:
            return -1
        o = html.find(opening, pos, close)
        while o >= 0:
            if html[o + len(opening)] in " >\t\n/":
                depth += 1
            o = html.find(opening, o + 1, close)
        depth -= 1
        pos = close + len(closing)
    return pos


def _tag_at(html: str, attr: int) -> tuple[int, str, int] | None:
    """(start, lower-case name, end) of the start tag holding the attribute at ``attr``;
    None if the text there is not an attribute (it is inside a quoted value, or text)."""
    lt = html.rfind("<", 0, attr)
    gt = html.find(">", attr)
    if lt < 0 or gt < 0 or html.find(">", lt, attr) >= 0 or html.count('"', lt, attr) % 2:
        return None
    name_end = lt + 1
    while name_end < gt and html[name_end] not in " \t\n/>":
        name_end += 1
    return lt, html[lt + 1:name_end].lower(), gt + 1
