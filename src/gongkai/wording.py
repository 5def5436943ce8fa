"""Chinese for citizens: reading warnings and rejection reasons, said in Chinese by kind.

The parse half words its warnings and reasons in English for maintainers, and that wording
changes as the parser does. Citizen pages never show it: a warning is matched against a
small table of kinds (by the stable part of its wording) and said in Chinese, with the
labels it names (which are the report's own Chinese) kept; one that matches no kind gets a
Chinese sentence that says only that something could not be confirmed. A rejection is said
by its ``error_kind`` (and, within a kind, by a pattern where one is known). The exact
English stays in ``data/inputs.json`` and in each report's JSON, and the pages carry it in a
collapsed 技术细节 element for maintainers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FALLBACK_WARNING = "读取时有提示：某处数字无法确认，请以原始文件为准"
"""A warning of a kind this table does not know yet (a new one of the parse half)."""

_LATIN = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True, slots=True)
class Kind:
    pattern: re.Pattern[str]
    chinese: str
    """A str.format template over the pattern's named groups."""


def _k(pattern: str, chinese: str) -> Kind:
    return Kind(re.compile(pattern, re.IGNORECASE), chinese)


_TABLES = {"a": "表二", "b": "表三", "c": "表四"}

WARNING_KINDS: tuple[Kind, ...] = (
    # Digits run together (web-archive extractions) that the table's sums cannot split.
    _k(r"^table (?P<t>[abc])\b[^:]*?row (?P<row>[^:]+?): digits run together \('(?P<d>\d+)'\)",
       "{table}“{row}”一行的数字连在一起（{d}），无法确定如何分开，记为空白，请对照原件"),
    _k(r"^table (?P<t>[abc])\b[^:]*?: digits run together \('(?P<d>\d+)'\)",
       "{table}的数字连在一起（{d}），无法确定如何分开，记为空白，请对照原件"),
    _k(r"^table (?P<t>[abc])\b[^:]*?: the header prints no column (?P<col>[^;]+);",
       "{table}表头没有“{col}”一栏，数字按表头所列栏目读取，该栏记为空白"),
    _k(r"no title line naming the agency; agency '(?P<a>[^']+)' taken from the introduction",
       "报告没有写明机关名称的标题，机关名称“{a}”取自正文中的编制说明"),
    # The OCR path.
    _k(r"^page (?P<n>\d+), table (?P<tb>\d+), row (?P<r>\d+), cell (?P<c>\d+): ",
       "第 {n} 页第 {tb} 个表格第 {r} 行第 {c} 格的数字识别把握不足，记为空白，请对照原件"),
    _k(r"^page (?P<n>\d+): OCR found no text", "第 {n} 页的图片中没有识别出文字（空白页或字迹太淡）"),
    _k(r"^page (?P<n>\d+): OCR took longer", "第 {n} 页识别超时，该页内容缺失"),
    _k(r"^table (?P<t>[abc])\b[^:]*?row (?P<row>[^:;]+?): only (?P<n>\d+) of (?P<m>\d+)",
       "{table}“{row}”一行只印了 {n} 个数字（应有 {m} 个），缺少的记为空白"),
    _k(r"^table (?P<t>[abc])\b[^:]*?row (?P<row>[^:;]+?): more than (?P<n>\d+)",
       "{table}“{row}”一行印出的数字多于 {n} 个，只采用了与表头对应的 {n} 个，请对照原件"),
    _k(r"^table (?P<t>[abc])\b[^:]*?: row (?P<row>.+?) not found",
       "{table}中没有找到“{row}”一行，该行记为空白"),
    _k(r"^table (?P<t>[abc])\b[^:]*?: row (?:label )?.*not recognised",
       "{table}有一行的标题无法识别，该行数字未采用，请对照原件"),
    _k(r"^table (?P<t>[abc])\b[^:]*?: more than (?P<n>\d+)", "{table}印出的数字多于应有的 {n} 个，请对照原件"),
    _k(r"^table (?P<t>[abc])\b[^:]*?: only (?P<n>\d+) of (?P<m>\d+)",
       "{table}只印了 {n} 个数字（应有 {m} 个），缺少的记为空白"),
    _k(r"^table (?P<t>[abc])\b[^:]*?: no row of values", "{table}中没有找到数字，记为空白"),
    _k(r"unreadable cell", "有一格内容无法识别为数字，记为空白，请对照原件"),
    _k(r"no title naming the agency", "标题中没有机关名称，机关名称取自正文开头"),
    _k(r"no title with the year", "标题中没有年度，年度取自统计期限"),
    _k(r"title says (?P<a>\d{4}) but the statistics period is (?P<b>\d{4})",
       "标题所写年度为 {a} 年，统计期限为 {b} 年，按标题的年度收录"),
    # recognise/dates.py: a date the report gives that cannot be its publication date.
    _k(r"^publication date '(?P<d>[^']*)' \([^)]*\) is not a calendar date",
       "报告所载日期“{d}”不是有效日期，未作为发布日期"),
    _k(r"^publication date '(?P<d>[^']*)' \([^)]*\) is implausible for a report on (?P<y>\d{4})",
       "报告所载日期“{d}”不可能是 {y} 年度报告的发布日期，未采用"),
    _k(r"no data tables in the page", "网页正文中没有表格，表格可能是图片"),
    _k(r"page has no text", "网页没有正文文字"),
    _k(r"^page (?P<n>\d+) could not be read", "第 {n} 页无法读取，该页内容缺失"),
    _k(r"^page (?P<n>\d+) has no text layer", "第 {n} 页没有文字层（可能是扫描图片），该页内容缺失"),
    _k(r"(?P<n>\d+) characters could not be decoded", "有 {n} 个字符无法解码，相关文字或数字可能缺失"),
    _k(r"\bOCR\b|scanned|recogni[sz]ed from", "部分内容由扫描件识别，识别出的数字可能有误，请以原始文件为准"),
)

REJECTION_KINDS: tuple[Kind, ...] = (
    _k(r"(?P<y>\d{4}) report of .* predates the fixed table layout",
       "{y} 年的报告早于全国统一的表格格式（2019 年起），其数字未收录为数据"),
    _k(r"OCR is turned off", "扫描件：本站未开启文字识别（可以在旁边放一份文字版 .txt）"),
    _k(r"scanned PDF: OCR found no text", "扫描件：图片中没有识别出文字（空白或字迹太淡）"),
    _k(r"scanned PDF: no ruled table", "扫描件：图片中没有找到带框线的表格，无法还原表格"),
    _k(r"scanned PDF: every table cell was read with low confidence",
       "扫描件：表格中的数字都识别把握不足（扫描太模糊或太淡）"),
    _k(r"scanned PDF: OCR of every page took longer", "扫描件：每一页的识别都超时"),
    _k(r"cannot be rendered for OCR", "文件已损坏，页面无法识别"),
    _k(r"^the parse process died", "读取此文件时解析进程意外终止（内存不足或程序库崩溃），其他文件不受影响"),
    _k(r"^empty file", "空文件"),
    _k(r"needed more memory", "读取此文件所需内存超过上限，未能解析"),
    _k(r"too large|larger than", "文件太大，未读取"),
    _k(r"took longer|too slow|time limit|seconds", "读取超时，未能解析"),
    _k(r"encrypted|password", "文件有密码保护，无法读取"),
    _k(r"no text layer|scanned", "扫描件，没有文字层（可以在旁边放一份文字版 .txt）"),
    _k(r"legacy word \.doc|libreoffice", "旧版 Word（.doc）文件，需要先转换为 .docx"),
    _k(r"damaged or truncated", "文件已损坏或不完整"),
    _k(r"^not an? (?:pdf|docx|html|text|word)", "文件内容与扩展名不符"),
    _k(r"unsupported file type", "不支持的文件类型"),
    _k(r"not an annual", "不是政府信息公开工作年度报告"),
    _k(r"no report title", "没有找到写明机关名称的报告标题"),
    _k(r"no statistics year", "标题和正文中都没有统计年度"),
    _k(r"layout not supported", "表格格式暂不支持"),
    _k(r"tables not found", "没有找到报告的统计表格"),
    _k(r"not valid utf-8|byte-order mark", "文字编码无法识别"),
    _k(r"cannot open", "文件无法打开"),
)

REJECTION_BY_KIND = {
    "UnsupportedFile": "文件类型不符",
    "UnreadableFile": "文件无法读取",
    "NotAReport": "不是年度报告",
    "LayoutNotRecognised": "未找到报告表格",
    "InternalError": "程序内部错误，已记录",
}


def _say(kinds: tuple[Kind, ...], english: str) -> str | None:
    for k in kinds:
        m = k.pattern.search(english)
        if m:
            groups = {key: (v or "").strip() for key, v in m.groupdict().items()}
            if "t" in groups:
                groups["table"] = _TABLES[groups["t"].lower()]
            if any(_LATIN.search(v) for key, v in groups.items() if key != "t"):
                continue  # a label group that caught English: not shown
            return k.chinese.format(**groups)
    return None


def has_english(text: str) -> bool:
    """Words in Latin letters: the parse half's wording, not the report's."""
    return bool(_LATIN.search(text))


def warning(english: str) -> str:
    """A reading warning in Chinese (never the English)."""
    return _say(WARNING_KINDS, english) or FALLBACK_WARNING


def rejection(error_kind: str, english: str) -> str:
    """Why a file was not published, in Chinese (never the English)."""
    return _say(REJECTION_KINDS, english) or REJECTION_BY_KIND.get(error_kind, "未能解析")
