"""OCR of page images: the engine, the page image, ruling lines, and blocks from them.

``engine`` wraps RapidOCR (text boxes with their confidence), ``image`` turns a page
upright and square, ``grid`` finds ruled tables and their cells, ``layout`` places the
text boxes into cells and paragraphs. :mod:`gongkai.read.scan` runs them per page.
"""
