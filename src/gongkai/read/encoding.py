"""Decode text files reliably: UTF-8 (with or without BOM), GB18030/GBK/GB2312, Big5.

We decode the bytes ourselves instead of trusting a detector's guess: try the strict
decoders in order, and when more than one succeeds, keep the one whose text contains
the report's keywords (in Simplified or Traditional script). GB18030 is a superset of
GBK and GB2312, so one decoder covers all three declarations.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import UnreadableFile

KEYWORDS = ("政府信息公开", "政府資訊公開", "政府信息公開", "年度报告", "年度報告", "申请", "申請", "公开", "公開")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

CANDIDATES = ("utf-8", "gb18030", "big5")


def _score(text: str) -> int:
    return sum(text.count(k) for k in KEYWORDS)


def decode_text(data: bytes, path: Path | str, declared: str | None = None) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`UnreadableFile` if no encoding fits.

    ``declared`` is an encoding named by the file itself (an HTML ``<meta charset>``);
    it is tried first but must still decode cleanly.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise UnreadableFile(path, f"text has a {enc} byte-order mark but is not valid {enc}") from None
    order: list[str] = []
    if declared:
        d = declared.strip().lower()
        if d in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"):
            d = "gb18030"
        elif d in ("big5-hkscs", "x-x-big5", "cp950"):
            d = "big5"
        try:
            codecs.lookup(d)
            order.append(d)
        except LookupError:
            pass
    order += [c for c in CANDIDATES if c not in order]
    decoded: list[tuple[str, str]] = []
    for enc in order:
        try:
            decoded.append((data.decode(enc), enc))
        except (UnicodeDecodeError, LookupError):
            continue
    if not decoded:
        raise UnreadableFile(path, "text is not valid UTF-8, GB18030/GBK or Big5")
    if len(decoded) == 1:
        return decoded[0]
    # Pure ASCII decodes everywhere; otherwise prefer the reading that finds the
    # report's keywords (a GBK file may also be valid Big5 and give nonsense there).
    best = max(decoded, key=lambda te: _score(te[0]))
    if _score(best[0]) == 0:
        return decoded[0]  # the declared or the first strict decoder
    return best
