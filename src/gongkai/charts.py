"""Charts drawn at build time as inline SVG: no script, no third-party request.

Only numbers and years reach the SVG as drawing; labels are escaped. Every mark carries
its year and value (``data-year``, ``data-value``) and a ``<title>``, and the pages put
the same numbers in a table beside the chart (a chart is never the only place a number is).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from markupsafe import Markup

from .model import Report, Value

TREND_WIDTH = 360
"""The trend charts' drawing width, also their CSS width (at most 100%): text of
``TREND_FONT`` units stays at least 12 px on a 390 px phone."""
TREND_HEIGHT = 170
TREND_FONT = 13


def format_number(v: Value) -> str:
    """A figure as printed in a page or a CSV: no separators, a float without trailing zeros."""
    if v is None or isinstance(v, bool):
        return ""
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


def key_figure(report: Report, table: str, row: str, column: str) -> Value:
    values = getattr(report, table).get(row)
    return values.get(column) if isinstance(values, dict) else None


def chart_points(reports: Iterable[Report], figure: tuple[str, str, str]) -> list[tuple[int, Value]]:
    return [(r.year, key_figure(r, *figure)) for r in reports]


def bar_chart(points: list[tuple[int, Value]], label: str) -> Markup:
    """A small bar chart of one agency's figure per year (its page's charts)."""
    width, height, pad = 240, 90, 16
    values = [v or 0 for _, v in points]
    top = max(values, default=0) or 1
    step = (width - 2 * pad) / max(len(points), 1)
    bars = []
    for i, (year, v) in enumerate(points):
        h = (height - 2 * pad) * (v or 0) / top
        x = pad + i * step + step * 0.15
        y = height - pad - h
        bars.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}"><title>{year}: {format_number(v)}</title></rect>'
            f'<text x="{x + step * 0.35:.1f}" y="{height - 3}" text-anchor="middle">{year}</text>'
            f'<text x="{x + step * 0.35:.1f}" y="{y - 3:.1f}" text-anchor="middle">{format_number(v)}</text>'
        )
    title = Markup.escape(label)
    return Markup(f'<svg class="gk-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{title}">'
                  f'<title>{title}</title>{"".join(bars)}</svg>')


def trend_chart(points: list[tuple[int, float | int | None]], label: str, *, line: bool = False,
                fmt: Callable[[float | int], str] = format_number, top: float | None = None) -> Markup:
    """One figure per year: bars (totals) or points joined by a line (rates). A year whose
    value is None gets no mark (a rate below its minimum sample is not drawn), only its
    year on the axis; ``top`` fixes the scale (1 for rates)."""
    w, h, f = TREND_WIDTH, TREND_HEIGHT, TREND_FONT
    left, right, above, below = 8, 8, f + 8, f + 10
    known = [v for _, v in points if v is not None]
    top = top or max(known, default=0) or 1
    step = (w - left - right) / max(len(points), 1)
    plot = h - above - below
    marks: list[str] = []
    axis: list[str] = []
    path: list[tuple[float, float] | None] = []
    for i, (year, v) in enumerate(points):
        cx = left + step * (i + 0.5)
        axis.append(f'<text x="{cx:.1f}" y="{h - 4}" text-anchor="middle">{year}</text>')
        if v is None:
            path.append(None)
            continue
        y = above + plot * (1 - v / top)
        text = Markup.escape(fmt(v))
        data = f'data-year="{year}" data-value="{format_number(v)}"'
        if line:
            path.append((cx, y))
            marks.append(f'<circle class="gk-mark" cx="{cx:.1f}" cy="{y:.1f}" r="4" {data}>'
                         f'<title>{year}: {text}</title></circle>')
        else:
            bw = min(step * 0.6, 48)
            marks.append(f'<rect class="gk-mark" x="{cx - bw / 2:.1f}" y="{y:.1f}" width="{bw:.1f}" '
                         f'height="{above + plot - y:.1f}" {data}><title>{year}: {text}</title></rect>')
        marks.append(f'<text x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle">{text}</text>')
    lines = []
    run: list[tuple[float, float]] = []
    for p in [*path, None]:  # a missing point breaks the line: no slope is drawn across it
        if p is None:
            if len(run) > 1:
                lines.append('<polyline fill="none" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in run) + '"/>')
            run = []
        else:
            run.append(p)
    base = f'<line x1="{left}" y1="{above + plot}" x2="{w - right}" y2="{above + plot}"/>'
    title = Markup.escape(label)
    return Markup(f'<svg class="gk-trend" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
                  f'aria-label="{title}" font-size="{f}"><title>{title}</title>{base}{"".join(lines)}'
                  f'{"".join(marks)}{"".join(axis)}</svg>')
