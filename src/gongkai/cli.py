"""The command line: a thin layer over the library (parse, build, serve)."""

from __future__ import annotations

import sys
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
    sys.exit(main())
