"""Preview: build, serve the output folder on localhost, rebuild when content changes.

Deliberately simple: the standard library's HTTP server and a thread that polls file
times once a second. A rebuild swaps the new site in whole, so a reload never sees half
a site; reload the browser to see it.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path

from .errors import GongkaiError
from .settings import Settings

POLL_SECONDS = 1.0


def snapshot(*folders: Path | None) -> tuple[tuple[str, int, int], ...]:
    """(path, mtime, size) of every file under the folders: changes when any file does."""
    found = []
    for folder in folders:
        if folder is None or not folder.is_dir():
            continue
        for p in folder.rglob("*"):
            if p.is_file():
                st = p.stat()
                found.append((str(p), st.st_mtime_ns, st.st_size))
    return tuple(sorted(found))


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass  # one line per request drowns the rebuild messages


def serve_site(settings: Settings, host: str, port: int, echo: Callable[[str], None] = print) -> None:
    """Build, then serve until interrupted (Ctrl-C)."""
    from .build import build_site

    echo(build_site(settings).summary())
    watched = (settings.content_dir, settings.overrides_dir)
    stop = threading.Event()

    def watch() -> None:
        last = snapshot(*watched)
        while not stop.wait(POLL_SECONDS):
            now = snapshot(*watched)
            if now == last:
                continue
            last = now
            try:
                echo(build_site(settings).summary())
            except GongkaiError as e:  # keep serving the previous site
                echo(f"rebuild failed: {e}")

    handler = functools.partial(_Handler, directory=str(settings.out_dir.resolve()))
    with http.server.ThreadingHTTPServer((host, port), handler) as server:
        threading.Thread(target=watch, daemon=True).start()
        echo(f"serving {settings.out_dir} at http://{host}:{server.server_address[1]}/ (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
