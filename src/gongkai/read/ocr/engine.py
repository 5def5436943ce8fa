"""The OCR engine: RapidOCR (PP-OCR models, run by ONNX Runtime) behind two calls.

The ``rapidocr`` wheel ships its detection, recognition and angle-classifier models
inside the package, so nothing is downloaded at run time (it would fetch a model only
when the file is missing from the package).

The text-angle classifier stays off: it decides 0 or 180 degrees per text crop, and on
a short digit crop it sometimes decides wrong, turning 999 into 666. Page orientation
is settled once per page instead (:mod:`.image`), from many text lines together.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class TextBox:
    """One line of text found on a page image, in that image's pixel coordinates."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    score: float
    """The recogniser's confidence in 0..1."""

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def width(self) -> float:
        return self.x1 - self.x0


USE_ANGLE_CLASSIFIER = False
"""Off (see above); ``benchmarks/bench_ocr.py --classifier`` measures it on."""


def use_angle_classifier(on: bool) -> None:
    """Switch the per-crop angle classifier (for measuring it; the default is off)."""
    global USE_ANGLE_CLASSIFIER
    USE_ANGLE_CLASSIFIER = on
    _engine.cache_clear()


@lru_cache(maxsize=1)
def _engine() -> Any:
    from rapidocr import RapidOCR  # imported lazily: ONNX Runtime takes a second to load

    return RapidOCR(params={
        "Global.use_cls": USE_ANGLE_CLASSIFIER,
        # Keep every reading, however unsure: the caller decides what is too unsure
        # and says so (RapidOCR's default 0.5 would silently drop a faint digit).
        "Global.text_score": 0.0,
        "Global.log_level": "error",
    })


def _quads(boxes: Any) -> list[np.ndarray]:
    return [] if boxes is None else [np.asarray(b, dtype=np.float32) for b in boxes]


def detect(img: np.ndarray) -> list[np.ndarray]:
    """Text regions only (no recognition): each a 4x2 quad, clockwise from top left."""
    out = _engine()(img, use_det=True, use_cls=False, use_rec=False)
    return _quads(getattr(out, "boxes", None))


def read_page(img: np.ndarray) -> list[TextBox]:
    """Every text line on an upright page image, with its text and confidence."""
    out = _engine()(img, use_det=True, use_cls=USE_ANGLE_CLASSIFIER, use_rec=True)
    quads = _quads(getattr(out, "boxes", None))
    txts = getattr(out, "txts", None) or ()
    scores = getattr(out, "scores", None) or ()
    boxes = []
    for q, t, s in zip(quads, txts, scores):
        boxes.append(TextBox(float(q[:, 0].min()), float(q[:, 1].min()), float(q[:, 0].max()),
                             float(q[:, 1].max()), str(t), float(s)))
    return boxes


def read_line(img: np.ndarray) -> tuple[str, float]:
    """Recognise one cropped line of text (no detection)."""
    out = _engine()(img, use_det=False, use_cls=False, use_rec=True)
    txts = getattr(out, "txts", None) or ("",)
    scores = getattr(out, "scores", None) or (0.0,)
    return str(txts[0]), float(scores[0])


def read_lines(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Recognise many cropped single lines at once (batched: a table's value cells)."""
    if not crops:
        return []
    import cv2

    imgs = [cv2.cvtColor(c, cv2.COLOR_GRAY2BGR) if c.ndim == 2 else c for c in crops]
    out = _engine().recognize_txt(imgs)
    return [(str(t), float(s)) for t, s in zip(out.txts, out.scores)]
