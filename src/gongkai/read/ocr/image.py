"""A page image made ready for OCR: rendered, turned upright, and squared.

Scans come sideways (a sheet fed in landscape), upside down, and a degree or two
crooked. The turn by quarter turns is decided once per page from many text lines: the
recogniser reads them with more confidence the right way up. The small skew comes from
the table's ruling lines (long and straight), else from the text lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from . import engine

MIN_DPI = 150
MAX_DPI = 200
"""Pages are rendered at the scan's own resolution, kept within these bounds: below
150 dpi the digits of a table are too small to read, above 200 dpi OCR only gets slower."""
DEFAULT_DPI = 200
MAX_SKEW = 5.0
"""Degrees: a larger angle is not a crooked sheet but a drawing; it is left alone."""
SAMPLE_LINES = 8
"""Text lines read both ways up to decide a page's orientation."""


@dataclass(frozen=True, slots=True)
class PageImage:
    grey: np.ndarray
    """The upright, squared page in grey levels."""
    dpi: float
    quarter_turns: int
    """Counter-clockwise quarter turns applied to the rendered page (0..3)."""
    skew: float
    """Degrees of rotation applied to square it."""


def scan_dpi(page: Any) -> float:
    """The resolution of the largest image on a PDF page, within MIN_DPI..MAX_DPI."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    best, dpi = 0.0, float(DEFAULT_DPI)
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        try:
            px_w, px_h = obj.get_px_size()
            left, bottom, right, top = obj.get_bounds()
        except pdfium.PdfiumError:  # a damaged image object: use the default
            continue
        area = (right - left) * (top - bottom)
        if area > best and right > left and top > bottom:
            best = area
            dpi = max(px_w / ((right - left) / 72), px_h / ((top - bottom) / 72))
    return float(min(max(dpi, MIN_DPI), MAX_DPI))


def render_page(page: Any) -> tuple[np.ndarray, float]:
    """A PDF page (pypdfium2) as a grey image at its scan resolution."""
    dpi = scan_dpi(page)
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    img = np.asarray(bitmap.to_pil().convert("L"))
    return np.ascontiguousarray(img), dpi


def binarise(grey: np.ndarray) -> np.ndarray:
    """Ink as 255 on 0, by local threshold (scans have uneven grey paper)."""
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def _fold(angle: float) -> float:
    """An angle in degrees folded into [-45, 45): a line's tilt whichever way it runs."""
    return (angle + 45) % 90 - 45


def skew_from_lines(grey: np.ndarray) -> float | None:
    """The median tilt of long straight lines (table rulings), or None without any.

    Short horizontal runs survive an opening even on a tilted line and stay connected,
    so each ruling is one component; its pixels give the tilt (Hough is ten times slower).
    """
    bw = binarise(grey)
    h, w = bw.shape
    runs = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(w // 25, 20), 1)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    angles, weights = [], []
    for i in range(1, n):
        x, y, cw, ch = stats[i, :4]
        if cw < w / 4 or ch > cw * 0.1:
            continue
        ys, xs = np.nonzero(labels[y:y + ch, x:x + cw] == i)
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append(math.degrees(math.atan(slope)))
        weights.append(cw)
    if len(angles) < 3:
        return None
    order = np.argsort(angles)
    cum = np.cumsum(np.asarray(weights, dtype=np.float64)[order])
    median = float(np.asarray(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    return median if abs(median) <= MAX_SKEW else None


def _elongated(quads: list[np.ndarray]) -> list[tuple[np.ndarray, float, float]]:
    """Quads of text lines (long and thin) with their length along and across."""
    out = []
    for q in quads:
        along = float(np.linalg.norm(q[1] - q[0]))
        across = float(np.linalg.norm(q[3] - q[0]))
        if max(along, across) >= 4 * max(min(along, across), 1.0):
            out.append((q, along, across))
    return out


def skew_from_text(quads: list[np.ndarray]) -> float | None:
    angles = []
    for q, along, across in _elongated(quads):
        edge = q[1] - q[0] if along >= across else q[3] - q[0]
        angles.append(_fold(math.degrees(math.atan2(float(edge[1]), float(edge[0])))))
    angles = [a for a in angles if abs(a) <= MAX_SKEW]
    return float(np.median(angles)) if len(angles) >= 3 else None


def rotate(grey: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate counter-clockwise (image y down: positive turns a line tilting down-right
    back to level) on a canvas grown to keep the corners, padded with paper colour."""
    if abs(degrees) < 0.05:
        return grey
    h, w = grey.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos) + 1, int(h * cos + w * sin) + 1
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    paper = int(np.percentile(grey, 90))
    return cv2.warpAffine(grey, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=paper)


def quarter_turns(grey: np.ndarray, quads: list[np.ndarray]) -> int:
    """Counter-clockwise quarter turns that make the text upright (0..3).

    Sideways text is known from the shape of the text lines (taller than wide); which
    way up, from the recogniser's confidence on the longest lines read both ways.
    """
    lines = _elongated(quads)
    if not lines:
        return 0
    sideways = sum(across > along for _, along, across in lines) > len(lines) / 2
    lines.sort(key=lambda t: -max(t[1], t[2]))
    candidates = (1, 3) if sideways else (0, 2)
    crops, turns = [], []
    for q, _, _ in lines[:SAMPLE_LINES]:
        x0, y0 = np.floor(q.min(axis=0)).astype(int)
        x1, y1 = np.ceil(q.max(axis=0)).astype(int)
        crop = grey[max(y0, 0):y1, max(x0, 0):x1]
        if crop.size == 0:
            continue
        for k in candidates:
            crops.append(np.ascontiguousarray(np.rot90(crop, k)))
            turns.append(k)
    totals = dict.fromkeys(candidates, 0.0)
    for k, (_, score) in zip(turns, engine.read_lines(crops)):
        totals[k] += score
    return max(candidates, key=lambda k: (totals[k], -k))


def prepare(grey: np.ndarray, dpi: float) -> PageImage:
    """Turn a rendered page upright and square."""
    # Text lines found on a half-size copy: enough to see their shape and tilt.
    small = cv2.resize(grey, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    quads = [q * 2 for q in engine.detect(small)]
    turns = quarter_turns(grey, quads)
    upright = np.ascontiguousarray(np.rot90(grey, turns)) if turns else grey
    skew = skew_from_lines(upright)
    if skew is None:
        # A tilt folded mod 90 is the same after any quarter turn.
        skew = skew_from_text(quads)
    skew = skew or 0.0
    return PageImage(rotate(upright, skew), dpi, turns, skew)
