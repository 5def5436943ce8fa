"""The DOCX reader: document order, tracked changes, content controls, merged cells, errors.

Fixtures are generated once by ``tests/fixtures/make_fixtures.py`` and committed;
these tests only read them. Error cases build their bytes here.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest

from gongkai.errors import GongkaiError, UnreadableFile, UnsupportedFile
from gongkai.read import read_bytes, read_document
from gongkai.read.docx import read
from gongkai.read.document import Paragraph, Table

from conftest import assert_parts_in_document_order

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "docx"
TEMPLATE = FIXTURES / "template-2021-blank.docx"
REPORT = FIXTURES / "report-2021-merged.docx"

TITLE = "某某县人民政府办公室2023年政府信息公开工作年度报告"

# ---------------------------------------------------------------- expected grids

A_LABEL_ROWS = {
    0: ("第二十条第（一）项",),
    1: ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
    4: ("第二十条第（五）项",),
    5: ("信息内容", "本年处理决定数量"),
    7: ("第二十条第（六）项",),
    8: ("信息内容", "本年处理决定数量"),
    11: ("第二十条第（八）项",),
    12: ("信息内容", "本年收费金额（单位：万元）"),
}


def table_a(rules, normative, licensing, penalty, enforcement, fees):
    rows = dict(A_LABEL_ROWS)
    rows[2] = ("规章", *rules)
    rows[3] = ("行政规范性文件", *normative)
    rows[6] = ("行政许可", licensing)
    rows[9] = ("行政处罚", penalty)
    rows[10] = ("行政强制", enforcement)
    rows[13] = ("行政事业性收费", fees)
    return tuple(rows[i] for i in range(14))


B_HEADER = (
    ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"),
    ("自然人", "法人或其他组织", "总计"),
    ("商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"),
)
# The label cells each value row of table B starts with, as the reader returns them:
# a vertically merged group label appears on its group's first row only.
B_LABELS = (
    ("一、本年新收政府信息公开申请数量",),
    ("二、上年结转政府信息公开申请数量",),
    ("三、本年度办理结果", "（一）予以公开"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）",),
    ("（三）不予公开", "1.属于国家秘密"),
    ("2.其他法律行政法规禁止公开",),
    ("3.危及“三安全一稳定”",),
    ("4.保护第三方合法权益",),
    ("5.属于三类内部事务信息",),
    ("6.属于四类过程性信息",),
    ("7.属于行政执法案卷",),
    ("8.属于行政查询事项",),
    ("（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("2.没有现成信息需要另行制作",),
    ("3.补正后申请内容仍不明确",),
    ("（五）不予处理", "1.信访举报投诉类申请"),
    ("2.重复申请",),
    ("3.要求提供公开出版物",),
    ("4.无正当理由大量反复申请",),
    ("5.要求行政机关确认或重新出具已获取信息",),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",),
    ("3.其他",),
    ("（七）总计",),
    ("四、结转下年度继续办理",),
)
B_KEYS = (
    "new", "carried_over", "granted", "partially_granted",
    "denied_state_secret", "denied_prohibited_by_law", "denied_security_stability",
    "denied_third_party_rights", "denied_internal_affairs", "denied_process_information",
    "denied_enforcement_files", "denied_administrative_query",
    "unable_not_held", "unable_needs_creation", "unable_still_unclear",
    "rejected_complaint", "rejected_duplicate", "rejected_publication", "rejected_excessive",
    "rejected_reconfirmation", "other_no_correction", "other_unpaid_fee", "other_other",
    "total", "carried_forward",
)


def table_b(values):
    return B_HEADER + tuple(labels + tuple(v) for labels, v in zip(B_LABELS, values, strict=True))


C_HEADER = (
    ("行政复议", "行政诉讼"),
    ("结果维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计", "未经复议直接起诉", "复议后起诉"),
    ("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计") * 2,
)

# report-2021-merged.docx: columns natural_person, commercial_enterprise,
# research_institution, social_welfare_organization, legal_service_organization,
# other_organization, total.
REPORT_B_VALUES = (
    ("120", "29", "5", "8", "7", "18", "187"),   # new
    ("6", "2", "0", "1", "0", "1", "10"),        # carried_over
    ("41", "9", "2", "3", "1", "4", "60"),       # granted (自然人 cell is a tracked insertion)
    ("7", "3", "0", "1", "0", "2", "13"),        # partially_granted
    ("1", "0", "0", "0", "0", "0", "1"),         # denied_state_secret
    ("2", "1", "0", "0", "0", "0", "3"),         # denied_prohibited_by_law
    ("0", "0", "0", "0", "0", "1", "1"),         # denied_security_stability
    ("3", "1", "0", "0", "1", "0", "5"),         # denied_third_party_rights
    ("2", "0", "0", "1", "0", "0", "3"),         # denied_internal_affairs
    ("4", "2", "1", "0", "0", "0", "7"),         # denied_process_information
    ("1", "0", "0", "0", "0", "0", "1"),         # denied_enforcement_files
    ("5", "0", "0", "0", "0", "1", "6"),         # denied_administrative_query
    ("18", "6", "1", "2", "3", "5", "35"),       # unable_not_held
    ("6", "2", "0", "0", "1", "0", "9"),         # unable_needs_creation
    ("3", "1", "0", "1", "0", "0", "5"),         # unable_still_unclear
    ("8", "1", "0", "0", "0", "2", "11"),        # rejected_complaint
    ("4", "0", "0", "0", "1", "0", "5"),         # rejected_duplicate
    ("1", "0", "0", "0", "0", "0", "1"),         # rejected_publication
    ("2", "0", "0", "0", "0", "0", "2"),         # rejected_excessive
    ("1", "1", "0", "0", "0", "0", "2"),         # rejected_reconfirmation
    ("9", "2", "0", "1", "0", "1", "13"),        # other_no_correction
    ("0", "0", "0", "0", "0", "0", "0"),         # other_unpaid_fee
    ("3", "1", "0", "0", "0", "1", "5"),         # other_other
    ("121", "30", "4", "9", "7", "17", "188"),   # total
    ("5", "1", "1", "0", "0", "2", "9"),         # carried_forward
)
REPORT_A = table_a(("2", "0", "5"), ("14", "3", "87"), "1326", "58", "", "12.8361")
REPORT_B = table_b(REPORT_B_VALUES)
REPORT_C = C_HEADER + (("4", "1", "2", "3", "10", "5", "0", "1", "2", "8", "2", "1", "0", "3", "6"),)

BLANK_A = table_a(("", "", ""), ("", "", ""), "", "", "", "")
BLANK_B = table_b([("",) * 7] * 25)
BLANK_C = C_HEADER + (("",) * 15,)


@pytest.fixture(scope="module")
def report():
    return read(REPORT.read_bytes(), REPORT)


@pytest.fixture(scope="module")
def template():
    return read(TEMPLATE.read_bytes(), TEMPLATE)


# ---------------------------------------------------------------- the filled-in report


def test_report_tables_every_cell(report):
    assert report.kind == "docx"
    assert report.warnings == ()
    a, b, c = report.tables
    assert a.rows == REPORT_A
    assert b.rows == REPORT_B
    assert c.rows == REPORT_C


def test_report_blank_cell_is_empty_string(report):
    a = report.tables[0]
    assert a.rows[10] == ("行政强制", "")  # the template's U+3000 is stripped to ""


def test_report_table_b_cells_line_up_with_keys(report):
    b = report.tables[1]
    value_rows = {key: row[-7:] for key, row in zip(B_KEYS, b.rows[3:], strict=True)}
    assert value_rows["new"] == ("120", "29", "5", "8", "7", "18", "187")
    assert value_rows["total"] == ("121", "30", "4", "9", "7", "17", "188")
    assert value_rows["carried_forward"] == ("5", "1", "1", "0", "0", "2", "9")


def test_expected_numbers_are_arithmetically_consistent():
    # Guards the fixture: the rules of report-format.md hold on what the reader must return.
    rows = {k: [int(v) for v in vals] for k, vals in zip(B_KEYS, REPORT_B_VALUES, strict=True)}
    for key, row in rows.items():
        assert row[6] == sum(row[:6]), key
    handling = B_KEYS[2:23]
    for col in range(7):
        assert rows["new"][col] + rows["carried_over"][col] == rows["total"][col] + rows["carried_forward"][col]
        assert rows["total"][col] == sum(rows[k][col] for k in handling)
    c = [int(v) for v in REPORT_C[3]]
    for g in range(3):
        assert c[5 * g + 4] == sum(c[5 * g:5 * g + 4])


def test_report_document_order(report):
    blocks = report.blocks
    assert blocks[0] == Paragraph(TITLE)
    assert "统计期限为2023年1月1日至2023年12月31日" in blocks[1].text

    assert_parts_in_document_order(blocks)
    assert blocks[-1] == Paragraph("本年度未收取信息处理费。")


def test_report_tracked_insertion_and_content_control_text(report):
    texts = [p.text for p in report.paragraphs]
    # w:ins in the middle of a paragraph of part 一
    assert ("（一）主动公开情况。2023年，通过县政府门户网站主动公开政府信息1863条，"
            "其中政策文件46件、政策解读21篇，及时回应公众关切。") in texts
    # a body-level w:sdt holding a paragraph, kept in its place
    i = texts.index("一、总体情况")
    assert texts[i + 2].startswith("（二）依申请公开情况。全年新收政府信息公开申请187件")
    # a tracked-insertion value cell and an inline content-control value cell
    assert report.tables[1].rows[5][2] == "41"
    assert report.tables[2].rows[3][0] == "4"


def test_report_via_read_document():
    doc = read_document(REPORT)
    assert doc.kind == "docx"
    assert doc.tables[1].rows == REPORT_B


# ---------------------------------------------------------------- the blank template


def test_template_every_value_cell_is_empty(template):
    a, b, c = template.tables
    assert a.rows == BLANK_A
    assert b.rows == BLANK_B
    assert c.rows == BLANK_C


def test_template_merges_are_not_repeated(template):
    a, b, c = template.tables
    assert a.rows[6] == ("行政许可", "")  # gridSpan=3 value cell: once
    assert a.rows[0] == ("第二十条第（一）项",)  # gridSpan=4 heading: once
    assert b.rows[26] == ("（七）总计", "", "", "", "", "", "", "")  # label once, then 7 empty cells
    assert b.rows[1] == ("自然人", "法人或其他组织", "总计")  # vMerge continuations of row 0 omitted
    assert b.rows[8] == ("2.其他法律行政法规禁止公开", "", "", "", "", "", "", "")
    assert len(c.rows[2]) == 10 and len(c.rows[3]) == 15
    assert [len(r) for r in b.rows[3:]] == [len(labels) + 7 for labels in B_LABELS]


def test_template_paragraphs(template):
    assert [p.text for p in template.paragraphs] == [
        "政府信息公开工作年度报告格式模板",
        "一、总体情况",
        "（文字描述）",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "（文字描述）",
        "六、其他需要报告的事项",
        "（文字描述，收取信息处理费情况在此处报告。）",
    ]


# ---------------------------------------------------------------- tracked changes, small documents


def test_tracked_insertions_in_cells():
    path = FIXTURES / "tracked-insertions-in-cells.docx"
    doc = read(path.read_bytes(), path)
    assert doc.blocks == (
        Paragraph("表格修订测试"),
        Table(rows=(
            ("项目", "本年", "上年"),
            ("行政许可", "35", "28"),          # w:ins in cells, also after an ordinary run
            ("行政处罚", "17", "9"),           # cell-level and run-level w:sdt
            ("行政强制", "6"),                 # vMerge restart (label partly inserted); gridSpan=2 once
            ("3", "第一行\n插入的第二行"),      # vMerge continuation omitted; paragraphs joined by \n
            ("控件行", "1", "0"),              # a row inside a row-level w:sdt
            ("插入行", "4", "5"),              # an inserted row is kept
            ("甲 乙\n丙", "移入文字", "外层\n内表甲\n内表乙\n内表丙\n内表丁\n外层之后"),  # tab, br, moveTo, nested table
        )),
        Paragraph("表后段落（插入的结尾）"),
    )


def test_deleted_text_is_absent():
    path = FIXTURES / "deleted-text.docx"
    doc = read(path.read_bytes(), path)
    assert doc.blocks == (
        Paragraph("本年度共收到申请187件。"),
        Paragraph("前半段后半段。"),          # a deleted paragraph mark joins the two paragraphs
        Paragraph("字段结果：域结果"),         # field code (w:instrText) left out, result kept
        Paragraph("可见文字"),                 # hidden run (w:vanish) left out
        Paragraph("移动后保留"),               # w:moveFrom left out
        Table(rows=(
            ("信息内容", "数量"),
            ("行政许可", "4"),
            ("行政处罚", ""),                  # only deleted text: blank
            ("行政强制", "2"),                 # deleted 1, inserted 2
        )),
        Paragraph("结尾"),
    )
    text = doc.text()
    for gone in ("删除", "一百零五", "99", "被删除的行", "隐藏文字", "域代码", "DOCPROPERTY", "移出"):
        assert gone not in text


# ---------------------------------------------------------------- errors


def docx_bytes(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def report_members() -> dict[str, bytes]:
    with zipfile.ZipFile(REPORT) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_legacy_doc_with_docx_name(tmp_path):
    path = tmp_path / "报告.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Microsoft Word-Dokument" + bytes(1000))
    with pytest.raises(UnsupportedFile) as e:
        read_document(path)
    msg = str(e.value)
    assert "legacy Word .doc file" in msg
    assert "soffice --headless --convert-to docx" in msg
    assert str(path) in msg and "\n" not in msg


def test_password_protected_docx(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(200)
    with pytest.raises(UnreadableFile, match="password-protected"):
        read(data, tmp_path / "x.docx")


def test_zip_without_document_xml(tmp_path):
    data = docx_bytes({"[Content_Types].xml": b"<Types/>", "docProps/app.xml": b"<Properties/>"})
    with pytest.raises(UnsupportedFile, match=r"not a DOCX: the ZIP has no word/document\.xml"):
        read(data, tmp_path / "x.docx")


def test_xlsx_named_docx(tmp_path):
    data = docx_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    with pytest.raises(UnsupportedFile, match="no word/document.xml.*Excel workbook"):
        read(data, tmp_path / "x.docx")


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_truncated_docx(tmp_path, keep):
    data = REPORT.read_bytes()
    with pytest.raises(UnreadableFile, match=r"damaged or truncated DOCX \(") as e:
        read(data[: int(len(data) * keep)], tmp_path / "x.docx")
    assert "\n" not in str(e.value)


def test_damaged_xml(tmp_path):
    members = report_members()
    members["word/document.xml"] = members["word/document.xml"][:5000]
    with pytest.raises(UnreadableFile, match=r"damaged or truncated DOCX \(XML of word/document\.xml"):
        read(docx_bytes(members), tmp_path / "x.docx")


def test_corrupted_member(tmp_path):
    data = bytearray(REPORT.read_bytes())
    with zipfile.ZipFile(REPORT) as zf:
        info = zf.getinfo("word/document.xml")
    # Flip bytes inside the compressed document.xml (past its local header).
    start = info.header_offset + 30 + len(info.filename) + 200
    for i in range(start, start + 64):
        data[i] ^= 0xFF
    with pytest.raises(UnreadableFile, match="damaged or truncated DOCX"):
        read(bytes(data), tmp_path / "x.docx")


def test_random_bytes(tmp_path):
    data = random.Random(711).randbytes(4096)
    with pytest.raises(UnsupportedFile, match=r"not a DOCX: it starts with the bytes [0-9a-f ]+, not a ZIP"):
        read(data, tmp_path / "x.docx")


@pytest.mark.parametrize(("data", "says"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it is a PDF file"),
    (b"{\\rtf1\\ansi\\ansicpg936 ...", "RTF"),
    ("<html><head><meta charset='utf-8'></head><body>年度报告</body></html>".encode(), "HTML page"),
    ("某某局2023年政府信息公开工作年度报告\n一、总体情况".encode(), "plain text"),
])
def test_other_files_named_docx(tmp_path, data, says):
    with pytest.raises(UnsupportedFile, match="not a DOCX: .*" + says):
        read(data, tmp_path / "x.docx")


def test_errors_are_gongkai_errors_through_dispatch(tmp_path):
    for data in (b"PK\x03\x04garbage", b"\x00\x01\x02\x03" * 10):
        with pytest.raises(GongkaiError):
            read_bytes(data, tmp_path / "x.docx")


def test_strict_ooxml_namespace(tmp_path):
    members = report_members()
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        b"http://purl.oclc.org/ooxml/wordprocessingml/main")
    doc = read(docx_bytes(members), tmp_path / "strict.docx")
    assert doc.blocks[0] == Paragraph(TITLE)
    assert doc.tables[1].rows == REPORT_B


def test_main_part_found_through_relationships(tmp_path):
    members = report_members()
    members["word/document2.xml"] = members.pop("word/document.xml")
    members["_rels/.rels"] = members["_rels/.rels"].replace(b"word/document.xml", b"word/document2.xml")
    doc = read(docx_bytes(members), tmp_path / "renamed.docx")
    assert doc.tables[0].rows == REPORT_A


def test_damaged_zip_directory_claiming_unknown_zip_version_is_unreadable() -> None:
    """Found by test_robustness: a damaged central directory entry that claims ZIP
    version 6.4 made zipfile raise NotImplementedError out of the reader."""
    from pathlib import Path

    import pytest

    from gongkai.errors import UnreadableFile
    from gongkai.read.docx import read

    data = bytearray((Path(__file__).parents[1] / "fixtures" / "docx" / "template-2021-blank.docx").read_bytes())
    entry = data.index(b"PK\x01\x02")
    data[entry + 6:entry + 8] = (64).to_bytes(2, "little")  # "version needed to extract": 6.4
    with pytest.raises(UnreadableFile, match="damaged or truncated DOCX"):
        read(bytes(data), Path("x.docx"))
