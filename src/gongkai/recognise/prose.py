"""The prose parts 一, 五 and 六, as printed (white space collapsed)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..normalise import collapse_space, fold, squash
from ..read.document import Block, Table
from .dates import DATE_CN

# The closing date line: 2025年1月20日, 2025 年 1 月 20 日, 二〇二五年一月二十日.
_SIGNATURE_DATE = re.compile(rf"^\s*({DATE_CN})\s*$")

_TRAILING_SIGNATURE = re.compile(rf"\s*({DATE_CN})\s*(?:附件下载|附件)?\s*$")

SIGNATURE_CHARS = 30
"""A closing line this short ending like the agency's name is its signature."""


def sections(blocks: Sequence[Block], headings: dict[str, tuple[int, str]], agency: str) -> dict[str, str]:
    return read_prose(blocks, headings, agency)[0]


def read_prose(blocks: Sequence[Block], headings: dict[str, tuple[int, str]],
               agency: str) -> tuple[dict[str, str], str | None]:
    """The prose parts, and the date of the signature closing part 六 as printed (None
    without one): the signature is dropped from the prose, its date kept for provenance."""
    signed: str | None = None
    starts = sorted((i, key) for key, (i, _) in headings.items())
    out = {"general": "", "problems": "", "other": ""}
    for n, (i, key) in enumerate(starts):
        if key not in out:
            continue
        end = starts[n + 1][0] if n + 1 < len(starts) else len(blocks)
        paras = [headings[key][1]] if headings[key][1] else []
        for b in blocks[i + 1: end]:
            if isinstance(b, Table):
                if key == "general":
                    break  # a table right after part 一 belongs to part 二
                continue
            paras.append(b.text.strip())
        if key == "other":
            paras, signed = _drop_signature(_until_page_footer(paras), agency)
        out[key] = "\n\n".join(p for p in (_prose_text(p) for p in paras) if p)
    return out, signed


_FOOTER_START = ("附件下载", "附件：", "扫一扫", "相关链接", "打印本页", "关闭窗口", "【打印】", "【关闭】",
                 "分享到", "上一篇", "下一篇", "网站地图", "主办单位", "版权所有")
"""A web page's footer begins at one of these after part 六 (pages, and PDFs/DOCX saved from them)."""


def _until_page_footer(paras: list[str]) -> list[str]:
    """Part 六 ends at the signature's date line, or where the page's footer begins."""
    for n, p in enumerate(paras):
        t = squash(fold(p))
        if _SIGNATURE_DATE.match(fold(p)) or t.startswith(_FOOTER_START):
            return paras[: n + 1] if _SIGNATURE_DATE.match(fold(p)) else paras[:n]
    return paras


def _prose_text(text: str) -> str:
    return collapse_space(text.replace("\u3000", " "))


def _drop_signature(paras: list[str], agency: str) -> tuple[list[str], str | None]:
    """Drop a closing signature (agency name and date lines) after part 六; the date of
    the signature as printed (the last date line dropped), None without one. A date
    inside a sentence of the prose is never taken: only a line that is nothing but a
    date, or a date right after the agency's name closing the last paragraph."""
    out = list(paras)
    a = squash(agency)
    signed: str | None = None
    if out:
        # run-together text: "…情况。平潭…局 2023年1月9日附件下载" in the last paragraph
        last = out[-1]
        m = _TRAILING_SIGNATURE.search(fold(last))
        dated = _TRAILING_SIGNATURE.sub("", last)
        if m and dated != last and a and squash(dated).endswith(a) and len(squash(dated)) > len(a):
            out[-1] = _strip_suffix_ignoring_space(dated, a)
            signed = m.group(1)
    while out:
        date_line = _SIGNATURE_DATE.match(fold(out[-1]))
        if not (date_line or squash(out[-1]) in (a, "")
                or (len(squash(out[-1])) <= SIGNATURE_CHARS and a and squash(out[-1]).endswith(a[-4:]))):
            break
        if date_line and signed is None:
            signed = date_line.group(1).strip()
        out.pop()
    return out, signed


def _strip_suffix_ignoring_space(text: str, suffix: str) -> str:
    """``text`` without its last characters spelling ``suffix`` (white space ignored)."""
    j = len(suffix)
    i = len(text)
    while i > 0 and j > 0:
        i -= 1
        if text[i].isspace():
            continue
        j -= 1
    return text[:i].rstrip()
