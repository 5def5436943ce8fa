"""The command line: a thin layer over the library (parse, build, serve)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .errors import GongkaiError


@contextmanager
def user_errors(path: Path | None = None, debug: bool = False) -> Iterator[None]:
    """Turn any failure into one line on stderr and a non-zero exit, never a traceback.

    A :class:`GongkaiError` already names the file and the reason. Anything else is a
    bug in gongkai; it is still reported on one line (with ``--debug`` for the trace).
    """
    try:
        yield
    except GongkaiError as e:
        raise click.ClickException(str(e)) from None
    except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
        raise
    except Exception as e:  # noqa: BLE001 - the boundary: report, do not crash
        if debug:
            traceback.print_exc()
        where = f"{path}: " if path else ""
        raise click.ClickException(
            f"{where}internal error ({type(e).__name__}: {e}); please report it with this file"
        ) from None


@click.group()
@click.version_option(package_name="gongkai")
def cli() -> None:
    """gongkai: turn a folder of 政府信息公开工作年度报告 into a searchable static site."""


@cli.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--summary", is_flag=True, help="A short human-readable summary instead of JSON.")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def parse(path: Path, summary: bool, debug: bool) -> None:
    """Parse one report and print its canonical JSON (spec/report.schema.json).

    Exits 0 when the file is recognised as a report (failed checks included), 1 with
    one line on stderr when it is not.

    \b
        gongkai parse content/reports/2023/某局.pdf
    """
    from .parse import parse_file

    with user_errors(path, debug):
        if not path.exists():
            raise GongkaiError(path, "no such file")
        report = parse_file(path)
    if summary:
        click.echo(describe(report))
    else:
        click.echo(report.to_json())


class _EchoHandler(logging.Handler):
    """Library warnings (a file not parsed, ...) as "warning: ..." lines on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"{record.levelname.lower()}: {record.getMessage()}", err=True)


def _show_library_warnings() -> None:
    log = logging.getLogger("gongkai")
    if not any(isinstance(h, _EchoHandler) for h in log.handlers):
        log.addHandler(_EchoHandler(logging.WARNING))
        log.propagate = False


_content_option = click.option(
    "--content", "content_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Content folder holding reports/ and agencies.yml (default: content/).")
_out_option = click.option(
    "--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Output folder, replaced only when the build succeeds (default: site/).")
_site_url_option = click.option(
    "--site-url", default=None, help="Public address of the site, e.g. https://user.github.io/repo/.")
_jobs_option = click.option(
    "--jobs", type=click.IntRange(min=1), default=None, help="Parallel parse processes (default: all cores).")
_max_mb_option = click.option(
    "--max-file-mb", type=click.IntRange(min=1), default=None,
    help="Reject larger input files unread (default: 50).")


@cli.command()
@_content_option
@_out_option
@_site_url_option
@_jobs_option
@_max_mb_option
@click.option("--strict", is_flag=True,
              help="Exit 1 when a file is not parsed, a check fails or MkDocs warns (for CI).")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def build(content_dir: Path | None, out_dir: Path | None, site_url: str | None, jobs: int | None,
          max_file_mb: int | None, strict: bool, debug: bool) -> None:
    """Build the static site from the content folder.

    \b
        gongkai build
        gongkai build --content content --out site --strict
    """
    from .build import build_site
    from .settings import load_settings

    _show_library_warnings()
    with user_errors(content_dir, debug):
        settings = load_settings(content_dir=content_dir, out_dir=out_dir, site_url=site_url,
                                 jobs=jobs, max_file_mb=max_file_mb, strict=strict)
        result = build_site(settings)
    for w in result.warnings:
        click.echo(f"warning: mkdocs: {w}", err=True)
    too_large = result.size.warning() if result.size else None
    if too_large:
        click.echo(f"warning: {too_large}", err=True)
    click.echo(result.summary())
    if strict:
        problems = [f"{i.path}: {i.reason}" for i in result.rejected]
        problems += [f"{i.path}: {c.detail}" for i in result.with_failed_checks
                     for c in i.report.failed_checks]  # type: ignore[union-attr]
        if problems:
            raise click.ClickException(f"--strict: {len(problems)} problem(s) in the content:\n  "
                                       + "\n  ".join(problems))


@cli.command()
@_content_option
@_out_option
@_jobs_option
@_max_mb_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def serve(content_dir: Path | None, out_dir: Path | None, jobs: int | None, max_file_mb: int | None,
          host: str, port: int, debug: bool) -> None:
    """Build the site, serve it on localhost and rebuild when the content changes.

    \b
        gongkai serve            # then open http://127.0.0.1:8000/
    """
    from .serve import serve_site
    from .settings import load_settings

    _show_library_warnings()
    with user_errors(content_dir, debug):
        settings = load_settings(content_dir=content_dir, out_dir=out_dir, jobs=jobs,
                                 max_file_mb=max_file_mb)
        serve_site(settings, host, port, echo=click.echo)


def describe(report) -> str:  # type: ignore[no-untyped-def]
    failed = report.failed_checks
    lines = [
        f"{report.agency} {report.year} ({report.format} layout, {report.source.kind})",
        f"requests received: {(report.requests.get('new') or {}).get('total')}",
        f"checks: {len(report.checks) - len(failed)} passed, {len(failed)} failed",
    ]
    lines += [f"  failed: {c.detail}" for c in failed]
    lines += [f"  warning: {w}" for w in report.warnings]
    return "\n".join(lines)


def main() -> None:
    cli(prog_name="gongkai")


if __name__ == "__main__":  # pragma: no cover
    main()
