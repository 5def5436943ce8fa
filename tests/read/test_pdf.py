"""The PDF reader: real WPS-exported reports, layouts built in the test, and bad files."""

from __future__ import annotations

import hashlib
import io
import random
import re
import struct
from pathlib import Path

import pdfplumber
import pytest

from gongkai.errors import GongkaiError, UnreadableFile, UnsupportedFile
from gongkai.read.document import Document, Paragraph, Table
from gongkai.read.pdf import read

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "pdf"
HONGZE_2023 = FIXTURES / "hongze-2023.pdf"
HONGZE_2024 = FIXTURES / "hongze-2024.pdf"


def _read(path: Path) -> Document:
    return read(path.read_bytes(), path)


@pytest.fixture(scope="module")
def doc2023() -> Document:
    return _read(HONGZE_2023)


@pytest.fixture(scope="module")
def doc2024() -> Document:
    return _read(HONGZE_2024)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _find_rows(doc: Document, label: str) -> list[tuple[str, ...]]:
    """Rows (of any table) having a cell whose squashed text equals ``label``."""
    return [r for t in doc.tables for r in t.rows if any(_squash(c) == label for c in r)]


def _values(row: tuple[str, ...]) -> list[str]:
    """The trailing numeric cells of a row."""
    vals: list[str] = []
    for cell in reversed(row):
        if not re.fullmatch(r"\d+(?:\.\d+)?", cell):
            break
        vals.append(cell)
    return vals[::-1]


# ---------------------------------------------------------------- real reports: structure


@pytest.mark.parametrize("name", ["doc2023", "doc2024"])
def test_block_structure(name: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(name)
    assert doc.kind == "pdf"
    assert doc.warnings == ()
    # Table A (2 pieces), table B (2 pieces across the page break), table C.
    # No table made of prose: WPS's white rects behind prose lines are not rulings.
    assert len(doc.tables) == 5
    for t in doc.tables:
        assert all(len(r) >= 1 for r in t.rows)
        assert not any("总体情况" in c for r in t.rows for c in r)
    # Reading order: heading 二 before table A, heading 三 before table B, ...
    kinds = [("T" if isinstance(b, Table) else b.text[:2]) for b in doc.blocks]
    i2, i3, i4, i5 = (kinds.index(h) for h in ("二、", "三、", "四、", "五、"))
    assert kinds[i2 + 1 : i3] == ["T", "T"]
    assert kinds[i3 + 1 : i4] == ["T", "T"]
    assert kinds[i4 + 1 : i5] == ["T"]


# ---------------------------------------------------------------- table A

TABLE_A = {
    "doc2023": {
        "规章": ["0", "0", "0"],
        "行政规范性文件": ["0", "5", "5"],
        "行政许可": ["550"],
        "行政处罚": ["4119"],
        "行政强制": ["195"],
        "行政事业性收费": ["7730.28"],
    },
    "doc2024": {
        "规章": ["0", "0", "0"],
        "行政规范性文件": ["3", "0", "8"],
        "行政许可": ["9487"],
        "行政处罚": ["2776"],
        "行政强制": ["84"],
        "行政事业性收费": ["7545"],
    },
}


@pytest.mark.parametrize("name", ["doc2023", "doc2024"])
def test_table_a(name: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(name)
    for label, values in TABLE_A[name].items():
        rows = _find_rows(doc, label)
        assert len(rows) == 1, label
        assert rows[0] == (label, *values)


def test_table_a_pieces_2023(doc2023: Document) -> None:
    first, second = doc2023.tables[0], doc2023.tables[1]
    assert first.rows == (
        ("第二十条第（一）项",),
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "0", "0", "0"),
        ("行政规范性文件", "0", "5", "5"),
        ("第二十条第（五）项",),
        ("信息内容", "本年处理决定数量"),
        ("行政许可", "550"),
        ("第二十条第（六）项",),
    )
    # The piece on page 3 has no top border left of the value column: the frame is
    # closed so its first label cell is found.
    assert second.rows == (
        ("信息内容", "本年处理决定数量"),
        ("行政处罚", "4119"),
        ("行政强制", "195"),
        ("第二十条第（八）项",),
        ("信息内容", "本年收费金额（单位：万元）"),
        ("行政事业性收费", "7730.28"),
    )


# ---------------------------------------------------------------- table B

B_HEADER = (
    ("（本列数据的勾稽关系为：第一项加第二项之和，等\n于第三项加第四项之和）", "申请人情况"),
    ("自然人", "法人或其他组织", "总计"),
    ("商业\n企业", "科研\n机构", "社会\n公益\n组织", "法律\n服务\n机构", "其他"),
)
VERTICAL = "三\n、\n本\n年\n度\n办\n理\n结\n果"


def test_table_b_2023(doc2023: Document) -> None:
    page3, page4 = doc2023.tables[2], doc2023.tables[3]
    z = ("0",) * 7
    assert page3.rows == (
        *B_HEADER,
        ("一、本年新收政府信息公开申请数量", "21", "0", "0", "0", "0", "0", "21"),
        ("二、上年结转政府信息公开申请数量", *z),
        (VERTICAL, "（一）予以公开", *z),
        ("（二）部分公开（区分处理的，只计这一情形，不\n计其他情形）", "4", "0", "0", "0", "0", "0", "4"),
        ("（三）不予公开", "1.属于国家秘密", "1", "0", "0", "0", "0", "0", "1"),
        ("2.其他法律行政止公开", *z),  # the source's own typo
        ("3.危及“三安全一稳定”", *z),
        ("4.保护第三方合法权益", *z),
        ("5.属于三类内部事务信息", *z),
        ("6.属于四类过程性信息", "1", "0", "0", "0", "0", "0", "1"),
        ("7.属于行政执法案卷", "1", "0", "0", "0", "0", "0", "1"),
        ("8.属于行政查询事项", *z),
        ("（四）无法提供", "1.本机关不掌握相关政府信息", "10", "0", "0", "0", "0", "0", "10"),
        ("2.没有现成信息需要另行制作", "3", "0", "0", "0", "0", "0", "3"),
    )
    # Continued on page 4: the merged label cells cut by the page break are empty.
    assert page4.rows == (
        ("", "", "3.补正后申请内容仍不明确", *z),
        ("（五）不予处理", "1.信访举报投诉类申请", "1", "0", "0", "0", "0", "0", "1"),
        ("2.重复申请", *z),
        ("3.要求提供公开出版物", *z),
        ("4.无正当理由大量反复申请", *z),
        ("5.要求行政机关确认或重新出具\n已获取信息", *z),
        ("（六）其他处理", *z),
        ("（七）总计", "21", "0", "0", "0", "0", "0", "21"),
        ("四、结转下年度继续办理", *z),
    )


def test_table_b_2024(doc2024: Document) -> None:
    page3, page4 = doc2024.tables[2], doc2024.tables[3]
    z = ("0",) * 7
    assert page3.rows == (
        *B_HEADER,
        ("一、本年新收政府信息公开申请数量", "95", "0", "0", "0", "0", "0", "95"),
        ("二、上年结转政府信息公开申请数量", *z),
        (VERTICAL, "（一）予以公开", "50", "0", "0", "0", "0", "0", "50"),
        ("（二）部分公开（区分处理的，只计这一情形，不\n计其他情形）", "9", "0", "0", "0", "0", "0", "9"),
        ("（三）不予公开", "1.属于国家秘密", *z),
        ("2.其他法律行政止公开", *z),
        ("3.危及“三安全一稳定”", "1", "0", "0", "0", "0", "0", "1"),
        ("4.保护第三方合法权益", *z),
        ("5.属于三类内部事务信息", *z),
        ("6.属于四类过程性信息", "1", "0", "0", "0", "0", "0", "1"),
        ("7.属于行政执法案卷", "1", "0", "0", "0", "0", "0", "1"),
        ("8.属于行政查询事项", *z),
        ("（四）无法提供", "1.本机关不掌握相关政府信息", "31", "0", "0", "0", "0", "0", "31"),
    )
    assert page4.rows == (
        ("", "", "2.没有现成信息需要另行制作", "1", "0", "0", "0", "0", "0", "1"),
        ("3.补正后申请内容仍不明确", *z),
        ("（五）不予处理", "1.信访举报投诉类申请", "1", "0", "0", "0", "0", "0", "1"),
        ("2.重复申请", *z),
        ("3.要求提供公开出版物", *z),
        ("4.无正当理由大量反复申请", *z),
        ("5.要求行政机关确认或重新出具\n已获取信息", *z),
        # In 2024 a ruling splits the label area of these two rows: an empty cell follows.
        ("（六）其他处理", "", *z),
        ("（七）总计", "", "95", "0", "0", "0", "0", "0", "95"),
        ("四、结转下年度继续办理", *z),
    )


# ---------------------------------------------------------------- table C

C_SUB = ("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计")


def test_table_c_2023(doc2023: Document) -> None:
    assert doc2023.tables[4].rows == (
        ("行政复议", "行政诉讼"),
        (*C_SUB, "未经复议直接起诉", "复议后起诉"),
        (*C_SUB, *C_SUB),
        # Printed as is: 复议 总计 0 with 维持 10 and 纠正 1 (the source's arithmetic slip).
        ("10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"),
    )


def test_table_c_2024(doc2024: Document) -> None:
    assert doc2024.tables[4].rows == (
        # A stray ruling splits the 行政诉讼 header: an empty cell before it.
        ("行政复议", "", "行政诉讼"),
        (*C_SUB, "未经复议直接起诉", "复议后起诉"),
        (*C_SUB, *C_SUB),
        ("1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"),
    )


# ---------------------------------------------------------------- prose

HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


@pytest.mark.parametrize("name", ["doc2023", "doc2024"])
def test_headings_are_paragraphs(name: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(name)
    texts = [p.text for p in doc.paragraphs]
    for h in HEADINGS:
        assert h in texts, h
    for sub in ("（一）主动公开情况。", "（二）依申请公开情况。", "（四）政府信息公开平台建设情况。"):
        assert sum(t.startswith(sub) for t in texts) == 1, sub


@pytest.mark.parametrize("name", ["doc2023", "doc2024"])
def test_no_page_furniture(name: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(name)
    for p in doc.paragraphs:
        assert not re.search(r"-\s*\d\s*-", p.text), p.text
    assert not any(re.fullmatch(r"[-\s\d]+", p.text) for p in doc.paragraphs)


@pytest.mark.parametrize("name", ["doc2023", "doc2024"])
def test_no_spaces_between_cjk(name: str, request: pytest.FixtureRequest) -> None:
    doc: Document = request.getfixturevalue(name)
    text = doc.text()
    assert not re.search(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef] +[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]", text)


def test_paragraphs_2023(doc2023: Document) -> None:
    texts = [p.text for p in doc2023.paragraphs]
    assert texts[:4] == [
        "洪泽区人民政府",
        "2023年政府信息公开工作年度报告",
        "本报告由淮安市洪泽区人民政府办公室根据《中华人民共和国政府信息公开条例》（国令第711号）"
        "（以下简称《条例》）要求编制此报告。报告中所列数据统计期限自2023年1月1日起至2023年12月31日止。"
        "如对本报告有疑问，请与淮安市洪泽区人民政府办公室联系（地址：淮安市洪泽区洪泽湖大道90号，"
        "邮编：223100，电话：0517-87222589，电子邮箱：hzzwgk@126.com）。",
        "一、总体情况",
    ]
    # "全面贯彻落实《条例》相关规范要求" is printed across a line break.
    body = texts[4]
    assert body.startswith("2023年，洪泽区人民政府坚持以习近平新时代中国特色社会主义思想为指导，")
    assert "全面贯彻落实《条例》相关规范要求" in body
    assert body.endswith("推进政府信息公开工作规范、有序、健康发展。")
    # A paragraph continuing from page 1 onto page 2 is one paragraph.
    crossing = next(t for t in texts if t.startswith("加强区政府门户网站"))
    assert "严格执行“分级审核、先审后发”程序" in crossing
    assert crossing.endswith("未经审核的信息一律不准发布。")
    # Page 4 -> 5 as well.
    last = next(t for t in texts if t.startswith("2023年，洪泽区政府信息公开工作取得一定的成效"))
    assert "实行政府信息公开工作人员跟班学习制度" in last
    assert texts[-2:] == [
        "六、其他需要报告的事项",
        "2023年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费0元。",
    ]


def test_paragraphs_2024(doc2024: Document) -> None:
    texts = [p.text for p in doc2024.paragraphs]
    assert texts[:2] == ["淮安市洪泽区人民政府", "2024年政府信息公开工作年度报告"]
    assert texts[2].endswith("电话：0517-87290606）。")
    # The prose says 17 requests (table B says 95): kept as written.
    assert any("受理政府信息公开申请17件" in t for t in texts)
    body = texts[4]
    assert "全面贯彻落实党中央国务院、省委省政府、淮安市委市政府关于全面推进政务公开工作的各项决策部署" in body
    # 五 has two paragraphs: the second starts at an indent.
    i = texts.index("五、存在的主要问题及改进情况")
    assert texts[i + 1].endswith("政务新媒体运维管理还需加强等。")
    assert texts[i + 2].startswith("针对存在问题，2025年我们将切实抓好以下工作")
    assert "使各行政机关答复的方式" in texts[i + 2]  # joined across pages 4 -> 5
    assert texts[i + 3] == "六、其他需要报告的事项"


# ---------------------------------------------------------------- PDFs built in the test


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file from object bodies (object 1 must be the catalog)."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def _stream(content: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


def _graphics_pdf(contents: list[bytes], with_image: bool = False) -> bytes:
    """Pages drawing the given content streams; Helvetica as F1, a grey image as Im1."""
    n = len(contents)
    font = 3 + 2 * n
    image = font + 1
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    xobj = b"/XObject << /Im1 %d 0 R >>" % image if with_image else b""
    for i, content in enumerate(contents):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> %s >> >>" % (4 + 2 * i, font, xobj)
        )
        objs.append(_stream(content))
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    if with_image:
        objs.append(_stream(b"\x80" * 4, b"/Type /XObject /Subtype /Image /Width 2 /Height 2 "
                                          b"/ColorSpace /DeviceGray /BitsPerComponent 8"))
    return _pdf(objs)


def _cjk_pdf(pages: list[list[tuple[float, float, float, str]]], to_unicode: bool = True) -> bytes:
    """Pages of text items ``(x, top, size, text)`` in a CID font with a ToUnicode map.

    Every glyph is one em wide (``/DW 1000``), so a line's geometry is predictable.
    """
    chars = sorted({ch for page in pages for *_, text in page for ch in text})
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    n = len(pages)
    font = 3 + 2 * n
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n)]
    for i, items in enumerate(pages):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        ops = []
        for x, top, size, text in items:
            hexs = "".join("%04X" % code[ch] for ch in text).encode()
            # Baseline a little above the bottom of the em box.
            y = 842 - top - size * 0.88
            ops.append(b"BT /F1 %.2f Tf 1 0 0 1 %.2f %.2f Tm <%s> Tj ET" % (size, x, y, hexs))
        objs.append(_stream(b"\n".join(ops)))
    objs.append(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] %s >>" % (font + 1, b"/ToUnicode %d 0 R" % (font + 2) if to_unicode else b"")
    )
    objs.append(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 /FontDescriptor %d 0 R "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>" % (font + 3)
    )
    bf = b"\n".join(b"<%04X> <%04X>" % (code[ch], ord(ch)) for ch in chars)
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"%d beginbfchar\n%s\nendbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end" % (len(chars), bf)
    )
    objs.append(_stream(cmap))
    objs.append(
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -120 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>"
    )
    return _pdf(objs)


LEFT, SIZE, PER_LINE = 72.0, 16.0, 28
"""Text block of the built layouts: 28 glyphs of 16 pt from x=72 to x=520."""


def _prose(top: float, text: str, indent: bool = True) -> tuple[list[tuple[float, float, float, str]], float]:
    """A justified paragraph from ``top``: first line indented two glyphs."""
    items = []
    first = PER_LINE - 2 if indent else PER_LINE
    chunks = [text[:first]] + [text[i : i + PER_LINE] for i in range(first, len(text), PER_LINE)]
    for k, chunk in enumerate(chunks):
        x = LEFT + (2 * SIZE if indent and k == 0 else 0)
        items.append((x, top, SIZE, chunk))
        top += 27
    return items, top


def test_built_layout_furniture_text_table_and_page_break() -> None:
    header = (230.0, 30.0, 10.0, "某某县人民政府办公室")
    p1_text = "本年度我县认真贯彻落实政府信息公开条例各项要求持续深化政务公开工作推动政府信息公开工作规范有序开展并取得了较好成效现将有关情况报告如下"
    cont = "继续加强政府网站和政务新媒体的日常维护监管不断提升公开质量"
    page1, top = [header, (200.0, 80.0, 22.0, "年度报告测试")], 140.0
    page1.append((LEFT, top, SIZE, "一、总体情况"))
    items, top = _prose(top + 27, p1_text)
    page1 += items
    # A paragraph running to the last line of the page, continued on page 2.
    full = "（一）主动公开情况。" + "主动公开政府信息" * 8 + "各类信息共计数量"
    assert len(full) == 3 * PER_LINE - 2
    items, top = _prose(top, full)
    page1 += items
    page1.append((280.0, 790.0, 10.0, "第 1 页"))

    page2 = [header, (LEFT, 80.0, SIZE, cont), (LEFT, 107.0, SIZE, "二、主动公开政府信息情况")]
    for k, (a, b, c) in enumerate([("信息内容", "本年制发件数", "现行有效件数"), ("规章", "0", "3"),
                                   ("行政规范性文件", "2", "15")]):
        top = 150.0 + 27 * k
        page2 += [(LEFT, top, SIZE, a), (250.0, top, SIZE, b), (400.0, top, SIZE, c)]
    page2.append((LEFT, 250.0, SIZE, "六、其他需要报告的事项"))
    items, _ = _prose(277.0, "本年度未收取信息处理费。")
    page2 += items
    page2.append((280.0, 790.0, 10.0, "第 2 页"))
    page3 = [header, (LEFT, 80.0, SIZE, "附件：无"), (280.0, 790.0, 10.0, "第 3 页")]

    doc = read(_cjk_pdf([page1, page2, page3]), Path("built.pdf"))
    texts = [p.text for p in doc.paragraphs]
    assert texts == [
        "年度报告测试",
        "一、总体情况",
        p1_text,
        full + cont,
        "二、主动公开政府信息情况",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
        "附件：无",
    ]
    assert doc.tables == [
        Table((("信息内容", "本年制发件数", "现行有效件数"), ("规章", "0", "3"), ("行政规范性文件", "2", "15")))
    ]
    kinds = ["T" if isinstance(b, Table) else b.text for b in doc.blocks]
    assert kinds.index("T") == kinds.index("二、主动公开政府信息情况") + 1


def test_invisible_rects_are_not_rulings_but_thin_dark_ones_are() -> None:
    # White filled rects behind two prose lines (as WPS draws them) and a 2x2 grid of
    # thin black filled rects holding "A B / 1 2".
    content = b"""
1 1 1 rg 70 700 460 27 re f 70 673 460 27 re f
0 0 0 rg
BT /F1 12 Tf 72 708 Td (First line of prose text here) Tj ET
BT /F1 12 Tf 72 681 Td (Second line of prose text) Tj ET
100 500 200 0.5 re f 100 530 200 0.5 re f 100 560 200 0.5 re f
100 500 0.5 60 re f 200 500 0.5 60 re f 300 500 0.5 60.5 re f
BT /F1 12 Tf 110 540 Td (A) Tj ET BT /F1 12 Tf 210 540 Td (B) Tj ET
BT /F1 12 Tf 110 510 Td (1) Tj ET BT /F1 12 Tf 210 510 Td (2) Tj ET
"""
    doc = read(_graphics_pdf([content]), Path("rects.pdf"))
    assert doc.tables == [Table((("A", "B"), ("1", "2")))]
    assert isinstance(doc.blocks[0], Paragraph)
    prose = " ".join(p.text for p in doc.paragraphs)
    assert prose == "First line of prose text here Second line of prose text"


def test_grey_polyline_frame_and_stroked_lines_make_a_table() -> None:
    # The frame is one open polyline (a pdfminer "curve"), the inner rulings are lines.
    content = b"""0.3 G 0.5 w
100 560 m 300 560 l 300 500 l 100 500 l 100 561 l S
100 530 m 300 530 l S 200 500 m 200 560 l S
BT /F1 12 Tf 72 700 Td (A table drawn with a polyline frame:) Tj ET
BT /F1 12 Tf 110 540 Td (A) Tj ET BT /F1 12 Tf 210 540 Td (B) Tj ET
BT /F1 12 Tf 110 510 Td (1) Tj ET BT /F1 12 Tf 210 510 Td (2) Tj ET
"""
    doc = read(_graphics_pdf([content]), Path("frame.pdf"))
    assert doc.blocks == (Paragraph("A table drawn with a polyline frame:"), Table((("A", "B"), ("1", "2"))))


def test_fake_bold_duplicates_are_dropped() -> None:
    # Word/WPS "fake bold": every glyph drawn twice, a fraction of a point apart.
    content = b"""BT /F1 14 Tf 72 700 Td (Bold heading) Tj ET BT /F1 14 Tf 72.3 700 Td (Bold heading) Tj ET
BT /F1 12 Tf 72 660 Td (Body text follows the heading here.) Tj ET"""
    doc = read(_graphics_pdf([content]), Path("bold.pdf"))
    assert [p.text for p in doc.paragraphs] == ["Bold heading", "Body text follows the heading here."]


def test_read_document_dispatches_to_this_reader() -> None:
    from gongkai.read import read_document

    doc = read_document(HONGZE_2024)
    assert doc.kind == "pdf"
    assert len(doc.tables) == 5


# ---------------------------------------------------------------- bad files


def test_random_bytes(tmp_path: Path) -> None:
    data = random.Random(7).randbytes(4096)
    with pytest.raises(UnsupportedFile) as e:
        read(data, tmp_path / "x.pdf")
    assert "not a PDF" in str(e.value)
    assert "unknown bytes" in str(e.value)


@pytest.mark.parametrize(
    ("data", "described"),
    [
        (b"<!DOCTYPE html>\n<html><head><title>404</title></head><body>Not found</body></html>", "HTML page"),
        (b"PK\x03\x04" + bytes(200), "ZIP archive"),
        ("政府信息公开工作年度报告\n一、总体情况\n".encode(), "plain text"),
    ],
)
def test_not_a_pdf_described(tmp_path: Path, data: bytes, described: str) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    with pytest.raises(UnsupportedFile) as e:
        read(path.read_bytes(), path)
    message = str(e.value)
    assert message.startswith(f"{path}: not a PDF: the file starts with")
    assert described in message
    assert "\n" not in message


def test_truncated(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile) as e:
        read(HONGZE_2024.read_bytes()[:20_000], tmp_path / "cut.pdf")
    assert "damaged or truncated PDF (" in str(e.value)
    assert "\n" not in str(e.value)


def test_damaged_never_raises_anything_else() -> None:
    data = HONGZE_2023.read_bytes()
    rng = random.Random(20240226)
    for _ in range(12):
        b = bytearray(data)
        for _ in range(40):
            b[rng.randrange(len(b))] = rng.randrange(256)
        try:
            read(bytes(b), Path("damaged.pdf"))
        except GongkaiError as e:
            assert "\n" not in str(e)


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


PAD = b"(\xbfN^Nu\x8aAd\x00NV\xff\xfa\x01\x08..\x00\xb6\xd0h>\x80/\x0c\xa9\xfedSiz"


def _encrypted_pdf(user: bytes, owner: bytes) -> bytes:
    """A one-page PDF with the standard security handler, revision 2 (RC4, 40 bit)."""
    doc_id = hashlib.md5(b"gongkai-test").digest()
    perms = -4  # all permissions
    o = _rc4(hashlib.md5((owner + PAD)[:32]).digest()[:5], (user + PAD)[:32])
    key = hashlib.md5((user + PAD)[:32] + o + struct.pack("<i", perms) + doc_id).digest()[:5]
    u = _rc4(key, PAD)
    content = b"BT /F1 24 Tf 72 700 Td (Secret annual report text) Tj ET"
    obj_key = hashlib.md5(key + struct.pack("<i", 4)[:3] + b"\x00\x00").digest()[:10]
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(_rc4(obj_key, content)),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (o.hex().encode(), u.hex().encode(), perms),
    ]
    return _pdf(objs, b"/Encrypt 6 0 R /ID [<%s> <%s>]" % (doc_id.hex().encode(), doc_id.hex().encode()))


def test_encrypted_needs_password(tmp_path: Path) -> None:
    data = _encrypted_pdf(b"secret", b"owner")
    # The file is a real encrypted PDF: it opens with its password.
    with pdfplumber.open(io.BytesIO(data), password="secret") as pdf:
        assert "Secret annual report text" in pdf.pages[0].extract_text()
    with pytest.raises(UnreadableFile) as e:
        read(data, tmp_path / "locked.pdf")
    assert str(e.value) == (
        f"{tmp_path / 'locked.pdf'}: encrypted PDF: it needs a password to open; save an unprotected copy"
    )


def test_encrypted_with_empty_user_password_is_read(tmp_path: Path) -> None:
    # Owner-password-only "protection" (print/copy restrictions) opens without asking.
    data = _encrypted_pdf(b"", b"owner")
    doc = read(data, tmp_path / "restricted.pdf")
    assert [p.text for p in doc.paragraphs] == ["Secret annual report text"]


@pytest.mark.parametrize(("with_image", "reason"), [
    (False, "no text layer: the PDF's pages carry next to no text and no page image to read by OCR; "
            "put a .txt transcription beside it instead"),
    (True, "scanned PDF: OCR found no text in the page images (blank, or too faint)"),
])
def test_no_text_layer(tmp_path: Path, with_image: bool, reason: str) -> None:
    # Without an image there is nothing to read; with one, the OCR path gives its reason.
    content = b"q 500 0 0 700 50 50 cm /Im1 Do Q" if with_image else b"0.5 g 100 100 300 200 re f"
    with pytest.raises(UnreadableFile) as e:
        read(_graphics_pdf([content], with_image=with_image), tmp_path / "scan.pdf")
    assert str(e.value).endswith(reason)


def test_one_scanned_page_is_a_warning() -> None:
    text = b"BT /F1 12 Tf 72 700 Td (This page has a proper text layer with enough characters) Tj ET"
    doc = read(_graphics_pdf([text, b"q 500 0 0 700 50 50 cm /Im1 Do Q"], with_image=True), Path("mixed.pdf"))
    assert [p.text for p in doc.paragraphs] == ["This page has a proper text layer with enough characters"]
    # The OCR path reads page 2's image and finds nothing there: said, not silent.
    assert doc.warnings == ("page 2: OCR found no text in the page image (blank, or too faint)",)
    assert doc.ocr_pages == (2,)


def test_scanned_page_read_by_the_ocr_path_is_spliced_in_page_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.read import scan

    asked: list[tuple[int, ...]] = []

    def fake_ocr(data: bytes, path: Path, pages: list[int]) -> scan.ScannedPages:
        asked.append(tuple(pages))
        return scan.ScannedPages({2: (Paragraph("Text read from the image of page two"),)}, ("page 2: OCR note",))

    monkeypatch.setattr(scan, "read_scanned_pages", fake_ocr)
    first = b"BT /F1 12 Tf 72 700 Td (This page has a proper text layer with enough characters) Tj ET"
    third = b"BT /F1 12 Tf 72 700 Td (The last page has a text layer too, after the scan) Tj ET"
    image = b"q 500 0 0 700 50 50 cm /Im1 Do Q"
    doc = read(_graphics_pdf([first, image, third], with_image=True), Path("mixed.pdf"))
    assert asked == [(2,)]
    assert [p.text for p in doc.paragraphs] == [
        "This page has a proper text layer with enough characters",
        "Text read from the image of page two",
        "The last page has a text layer too, after the scan",
    ]
    assert doc.ocr_pages == (2,)
    assert doc.warnings == ("page 2: OCR note",)


def test_all_pages_scanned_the_ocr_path_reads_them_all(monkeypatch: pytest.MonkeyPatch) -> None:
    from gongkai.read import scan

    def fake_ocr(data: bytes, path: Path, pages: list[int]) -> scan.ScannedPages:
        return scan.ScannedPages({n: (Paragraph(f"page {n} from its image"),) for n in pages})

    monkeypatch.setattr(scan, "read_scanned_pages", fake_ocr)
    image = b"q 500 0 0 700 50 50 cm /Im1 Do Q"
    doc = read(_graphics_pdf([image, image], with_image=True), Path("scan.pdf"))
    assert [p.text for p in doc.paragraphs] == ["page 1 from its image", "page 2 from its image"]
    assert doc.ocr_pages == (1, 2)


def test_glyphs_without_unicode_map_are_never_guessed() -> None:
    # Page 1 prints its text in a font with a ToUnicode map, page 2 one line in the
    # same CID font without one: PDFium would fall back to the glyph codes.
    mapped = [(LEFT, 100.0 + 27 * k, SIZE, "本年度新收政府信息公开申请数量共计件") for k in range(4)]
    good = _cjk_pdf([mapped, [(LEFT, 100.0, SIZE, "一二")]])
    doc = read(good, Path("fonts.pdf"))
    assert doc.warnings == ()
    bad = _cjk_pdf([mapped, [(LEFT, 100.0, SIZE, "一二")]], to_unicode=False)
    with pytest.raises(UnreadableFile) as e:
        read(bad, Path("fonts.pdf"))  # no page has a map now: most glyphs unreadable
    assert "unusable text layer" in str(e.value)


def test_page_with_undecodable_glyphs_is_named() -> None:
    from gongkai.read.pdf import build_document
    from gongkai.read.pdf.geometry import read_pages

    data = HONGZE_2024.read_bytes()
    pages = read_pages(data, HONGZE_2024)
    assert [g.unmapped for g in pages] == [0] * len(pages)
    pages[2].unmapped = 3  # as the geometry counts glyphs PDFium flags as unmapped
    doc = build_document(data, HONGZE_2024, pages)
    assert doc.warnings == (
        "page 3: 3 characters could not be decoded (a font without a Unicode map); they are shown as '\ufffd'",
    )


def _unembedded_font_pdf() -> bytes:
    # A font that is neither embedded in the file (reportlab's STSong-Light CID font, as
    # WPS leaves SimSun out): PDFium measures its glyphs only where the machine has a CJK
    # font to substitute; without one its text page skips every one-glyph text object
    # (a lone CJK glyph: the last line of a cell).
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 700, "本年新收政府信息公开申请数量共计")
    c.drawString(72, 680, "行政许可")
    c.drawString(300, 680, "97")
    c.drawString(300, 660, "件")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_an_unembedded_font_is_read_whole_with_or_without_a_substitute() -> None:
    # Whether this machine has a CJK font for PDFium or not, no glyph is lost.
    doc = read(_unembedded_font_pdf(), Path("lost.pdf"))
    assert "件" in doc.text()
    assert ("行政许可", "97") in doc.tables[0].rows
    assert doc.warnings == ()


def test_glyphs_pdfium_drops_are_read_by_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    # The machine's fonts decide whether PDFium drops the glyphs; the fallback is proven
    # on geometry that lost them, as PDFium gives it on a machine without CJK fonts.
    import dataclasses

    import gongkai.read.pdf as pdf_reader
    from gongkai.read.pdf.geometry import read_pages

    data = _unembedded_font_pdf()

    def lossy(data: bytes, path: Path) -> list:
        return [dataclasses.replace(g, chars=[ch for ch in g.chars if ch.text != "件"], glyphs_lost=True)
                for g in read_pages(data, path)]

    monkeypatch.setattr(pdf_reader, "read_pages", lossy)
    doc = pdf_reader.read(data, Path("lost.pdf"))
    assert "件" in doc.text()
    assert ("行政许可", "97") in doc.tables[0].rows
    assert doc.warnings == ()


def test_a_page_image_with_a_printed_page_number_is_a_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    # "图片版" pages often carry a text page number over the scan: still a scan.
    from gongkai.read import scan

    asked: list[tuple[int, ...]] = []

    def fake_ocr(data: bytes, path: Path, pages: list[int]) -> scan.ScannedPages:
        asked.append(tuple(pages))
        return scan.ScannedPages({n: (Paragraph(f"page {n} from its image"),) for n in pages})

    monkeypatch.setattr(scan, "read_scanned_pages", fake_ocr)
    text = b"BT /F1 12 Tf 72 700 Td (This page has a proper text layer with enough characters) Tj ET"
    image = b"q 500 0 0 700 50 50 cm /Im1 Do Q BT /F1 10 Tf 290 30 Td (- 2 -) Tj ET"
    doc = read(_graphics_pdf([text, image], with_image=True), Path("mixed.pdf"))
    assert asked == [(2,)]
    assert [p.text for p in doc.paragraphs] == [
        "This page has a proper text layer with enough characters", "page 2 from its image"]
    assert doc.ocr_pages == (2,)


def test_prose_with_spaced_out_numbers_is_not_a_table() -> None:
    # Lines with three numbers set apart by spaces, one under the other: the numbers do
    # not stand in columns, so this is prose, not a table printed without rulings.
    def line(top: float, parts: list[str]) -> list[tuple[float, float, float, str]]:
        items, x = [], LEFT
        for part in parts:
            if part.isdigit():
                x += 0.5 * SIZE
                items.append((x, top, SIZE, part))
                x += len(part) * SIZE + 0.5 * SIZE
            else:
                items.append((x, top, SIZE, part))
                x += len(part) * SIZE
        return items

    page = [(LEFT, 100.0, SIZE, "一、总体情况")]
    page += line(127.0, ["全年受理申请", "21", "件，办结", "19", "件，结转", "2", "件，较上年"])
    page += line(154.0, ["增加", "3", "件。其中当面申请", "12", "件、网络申请", "9", "件。"])
    doc = read(_cjk_pdf([page]), Path("prose.pdf"))
    assert doc.tables == []
    assert [p.text for p in doc.paragraphs][0] == "一、总体情况"


def _type3_pdf(names: list[bytes]) -> bytes:
    """One page: three glyphs of a Type3 font without ToUnicode, then Helvetica text."""
    glyph = _stream(b"500 0 0 0 500 700 d1 0 0 500 700 re f")
    codes = bytes(range(65, 65 + len(names)))
    content = _stream(b"BT /T3 12 Tf 72 700 Td (" + codes + b") Tj ET "
                      b"BT /F1 12 Tf 72 650 Td (Ordinary text on the same page) Tj ET")
    font = (b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] /FontMatrix [0.001 0 0 0.001 0 0] "
            b"/CharProcs << " + b" ".join(b"/" + n + b" 6 0 R" for n in names) + b" >> "
            b"/Encoding << /Type /Encoding /Differences [65 " + b" ".join(b"/" + n for n in names) + b"] >> "
            b"/FirstChar 65 /LastChar %d /Widths [%s] >>" % (64 + len(names), b" ".join(b"500" for _ in names)))
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /T3 5 0 R /F1 7 0 R >> >> >>",
        content,
        font,
        glyph,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ])


@pytest.mark.parametrize("names", [[b"g1", b"g2", b"g3"], [b"one", b"two", b"three"]])
def test_type3_glyphs_without_unicode_map_are_named_not_guessed(names: list[bytes]) -> None:
    # Even glyph names that look like digits are not read as digits: a Type3 font
    # without a ToUnicode map draws pictures; the page is named in a warning.
    doc = read(_type3_pdf(names), Path("type3.pdf"))
    assert doc.warnings == (
        "page 1: 3 characters could not be decoded (a font without a Unicode map); they are shown as '\ufffd'",
    )
    assert [p.text for p in doc.paragraphs] == ["\ufffd\ufffd\ufffd", "Ordinary text on the same page"]


def test_one_scanned_page_with_ocr_off_keeps_the_text_pages() -> None:
    from gongkai.read.scan import ocr_settings

    text = b"BT /F1 12 Tf 72 700 Td (This page has a proper text layer with enough characters) Tj ET"
    with ocr_settings(enabled=False):
        doc = read(_graphics_pdf([text, b"q 500 0 0 700 50 50 cm /Im1 Do Q"], with_image=True), Path("mixed.pdf"))
    assert [p.text for p in doc.paragraphs] == ["This page has a proper text layer with enough characters"]
    [warning] = doc.warnings
    assert warning.startswith("page 2 has no text layer (a scanned image?); its content is missing (OCR: ")
    assert "OCR is turned off" in warning
    assert doc.ocr_pages == ()
