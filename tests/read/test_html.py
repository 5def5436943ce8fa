"""The HTML reader: GBK decoding, main-content choice, chrome removal, rowspan/colspan, errors.

``report-2021-gbk.html`` is generated once by ``tests/fixtures/make_fixtures.py`` and
committed; the small pages of the other tests are written here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from gongkai.errors import UnsupportedFile
from gongkai.read import read_bytes, read_document
from gongkai.read.document import Paragraph, Table
from gongkai.read.html import read, sniff_charset

from conftest import assert_parts_in_document_order

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
PAGE = FIXTURES / "report-2021-gbk.html"

AGENCY = "某某市自然资源局"
TITLE = f"{AGENCY}2023年政府信息公开工作年度报告"

# ---------------------------------------------------------------- expected grids

TABLE_A = (
    ("第二十条第（一）项",),
    ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
    ("规章", "0", "0", "3"),
    ("行政规范性文件", "6", "1", "42"),
    ("第二十条第（五）项",),
    ("信息内容", "本年处理决定数量"),
    ("行政许可", "857"),
    ("第二十条第（六）项",),
    ("信息内容", "本年处理决定数量"),
    ("行政处罚", "23"),
    ("行政强制", "4"),
    ("第二十条第（八）项",),
    ("信息内容", "本年收费金额（单位：万元）"),
    ("行政事业性收费", "0.35"),
)
# Columns: natural_person, commercial_enterprise, research_institution,
# social_welfare_organization, legal_service_organization, other_organization, total.
TABLE_B = (
    ("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"),
    ("自然人", "法人或其他组织", "总计"),
    ("商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"),
    ("一、本年新收政府信息公开申请数量", "48", "11", "3", "2", "3", "6", "73"),
    ("二、上年结转政府信息公开申请数量", "3", "1", "0", "0", "1", "0", "5"),
    ("三、本年度办理结果", "（一）予以公开", "15", "4", "1", "0", "2", "1", "23"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "3", "1", "0", "0", "0", "0", "4"),
    ("（三）不予公开", "1.属于国家秘密", "0", "0", "0", "0", "0", "0", "0"),
    ("2.其他法律行政法规禁止公开", "1", "0", "0", "0", "0", "0", "1"),
    ("3.危及“三安全一稳定”", "0", "0", "0", "0", "0", "0", "0"),
    ("4.保护第三方合法权益", "2", "0", "0", "1", "0", "0", "3"),
    ("5.属于三类内部事务信息", "0", "1", "0", "0", "0", "0", "1"),
    ("6.属于四类过程性信息", "1", "0", "0", "0", "0", "0", "1"),
    ("7.属于行政执法案卷", "0", "0", "0", "0", "1", "0", "1"),
    ("8.属于行政查询事项", "2", "0", "0", "0", "0", "0", "2"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "9", "3", "0", "1", "1", "2", "16"),
    ("2.没有现成信息需要另行制作", "2", "1", "0", "0", "0", "0", "3"),
    ("3.补正后申请内容仍不明确", "1", "0", "0", "0", "0", "1", "2"),
    ("（五）不予处理", "1.信访举报投诉类申请", "4", "0", "0", "0", "0", "0", "4"),
    ("2.重复申请", "2", "1", "0", "0", "0", "0", "3"),
    ("3.要求提供公开出版物", "0", "0", "0", "0", "0", "0", "0"),
    ("4.无正当理由大量反复申请", "0", "0", "0", "0", "0", "0", "0"),
    ("5.要求行政机关确认或重新出具已获取信息", "1", "0", "0", "0", "0", "0", "1"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
     "3", "1", "0", "0", "0", "1", "5"),
    # the blank cell: 法律服务机构 (a zero the page left as &nbsp;)
    ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "0", "0", "0", "0", "", "0", "0"),
    ("3.其他", "1", "0", "1", "0", "0", "0", "2"),
    ("（七）总计", "47", "12", "2", "2", "4", "5", "72"),
    ("四、结转下年度继续办理", "4", "0", "1", "0", "0", "1", "6"),
)
TABLE_C = (
    ("行政复议", "行政诉讼"),
    ("结果维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计", "未经复议直接起诉", "复议后起诉"),
    ("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计") * 2,
    ("2", "0", "1", "1", "4", "3", "1", "0", "2", "6", "1", "0", "2", "0", "3"),
)

CHROME = ("版权所有", "网站标识码", "ICP备", "网站地图", "首页", "政务服务", "互动交流", "走进某某",
          "当前位置", "无障碍浏览", "繁體版", "搜索", "分享到", "微信", "打印本页", "关闭窗口", "索引号",
          "2022年政府信息公开工作年度报告", "隐藏的统计代码", "document.write", "_hmt", "getHits", "float")


@pytest.fixture(scope="module")
def page():
    return read(PAGE.read_bytes(), PAGE)


# ---------------------------------------------------------------- the GBK page


def test_page_is_gbk_and_declares_gb2312():
    data = PAGE.read_bytes()
    assert sniff_charset(data) == "gb2312"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # 繁體版: GBK-only characters under a gb2312 label, as real sites do


def test_page_tables_every_cell(page):
    assert page.kind == "html"
    assert page.warnings == ()
    a, b, c = page.tables
    assert a.rows == TABLE_A
    assert b.rows == TABLE_B
    assert c.rows == TABLE_C


def test_page_blank_cell_is_empty_string(page):
    assert page.tables[1].rows[24][5] == ""


def test_expected_numbers_are_arithmetically_consistent():
    value = lambda s: int(s) if s else 0  # noqa: E731 - the blank stands for a 0 here
    rows = [[value(v) for v in r[-7:]] for r in TABLE_B[3:]]
    for row in rows:
        assert row[6] == sum(row[:6])
    new, carried_over, *handling, total, carried_forward = rows
    for col in range(7):
        assert new[col] + carried_over[col] == total[col] + carried_forward[col]
        assert total[col] == sum(r[col] for r in handling)
    c = [int(v) for v in TABLE_C[3]]
    for g in range(3):
        assert c[5 * g + 4] == sum(c[5 * g:5 * g + 4])


def test_page_decodes_chinese_and_keeps_order(page):
    blocks = page.blocks
    assert blocks[0] == Paragraph(TITLE)
    assert blocks[1] == Paragraph(f"发布时间：2024-01-19 10:30 来源：{AGENCY} 浏览次数：次")
    assert blocks[2].text.startswith("本报告根据《中华人民共和国政府信息公开条例》")
    assert "所列数据统计期限为2023年1月1日至2023年12月31日。" in blocks[2].text

    assert_parts_in_document_order(blocks)
    assert [p.text for p in page.paragraphs[-3:]] == ["本年度未收取信息处理费。", AGENCY, "2024年1月18日"]


def test_page_paragraph_text(page):
    texts = [p.text for p in page.paragraphs]
    # leading &nbsp; / U+3000 stripped; a source line break between Chinese characters removed
    assert f"2023年，{AGENCY}认真贯彻落实《中华人民共和国政府信息公开条例》，全面推进决策、执行、管理、服务、结果公开。" in texts
    # <br>-separated lines are paragraphs of their own
    i = texts.index("（三）政府信息管理情况。严格落实“三审三校”制度。")
    assert texts[i + 1:i + 3] == ["（四）平台建设情况。完善政府信息公开专栏。", "（五）监督保障情况。开展政务公开培训2次。"]


def test_page_has_no_chrome(page):
    text = page.text()
    for chrome in CHROME:
        assert chrome not in text, chrome


def test_page_via_read_document():
    doc = read_document(PAGE)
    assert doc.kind == "html"
    assert doc.tables[2].rows == TABLE_C


# ---------------------------------------------------------------- small pages


def html(body: str, head: str = '<meta charset="utf-8">') -> bytes:
    return f"<!DOCTYPE html><html><head>{head}<title>t</title></head><body>{body}</body></html>".encode()


def test_layout_tables_are_containers():
    # An old table-layout site inside an ASP.NET form: the title in a one-column table,
    # the data tables in a cell of the layout table.
    data = html("""<form id="form1"><table width="100%">
      <tr><td class="menu"><a href="/">首页</a> <a href="/jggk">机构概况</a></td></tr>
      <tr><td>
        <table><tr><td class="title">某局2023年政府信息公开工作年度报告</td></tr><tr><td>日期：2024-01-01</td></tr></table>
        <p>一、总体情况</p><p>第一行<br>第二行</p>
        <table border="1"><tr><td colspan="4">第二十条第（一）项</td></tr><tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr></table>
        <div>前<span>中</span>后</div>
        <table border="1"><tr><td rowspan="2">行政复议</td><td>结果<br>维持</td></tr><tr><td><p>5</p><p></p></td></tr></table>
      </td></tr>
      <tr><td class="foot">版权所有 某局</td></tr></table></form>""")
    doc = read(data, Path("x.html"))
    assert doc.blocks == (
        Paragraph("某局2023年政府信息公开工作年度报告"),
        Paragraph("日期：2024-01-01"),
        Paragraph("一、总体情况"),
        Paragraph("第一行"),
        Paragraph("第二行"),
        Table(rows=(("第二十条第（一）项",), ("规章", "1", "2", "3"))),
        Paragraph("前中后"),
        Table(rows=(("行政复议", "结果\n维持"), ("5",))),
    )


def test_article_header_keeps_title_and_drops_page_chrome():
    data = html("""<header><nav><a href="/">首页</a> 政务公开</nav></header>
      <main><article><header><h2>某局关于2023年政府信息公开工作年度报告</h2></header>
      <section><p>一、总体情况</p><ul><li>条目一</li><li>条目二</li></ul>
      <table><thead><tr><th>信息内容</th><th>本年处理决定数量</th></tr></thead>
      <tfoot><tr><td>脚</td><td>注</td></tr></tfoot>
      <tbody><tr><td>行政许可</td><td style="display:none">99</td><td>5</td></tr></tbody></table></section>
      <footer>责任编辑：某某</footer></article></main><footer>版权所有</footer>""")
    doc = read(data, Path("x.html"))
    assert doc.blocks == (
        Paragraph("某局关于2023年政府信息公开工作年度报告"),
        Paragraph("一、总体情况"),
        Paragraph("条目一"),
        Paragraph("条目二"),
        Table(rows=(("信息内容", "本年处理决定数量"), ("行政许可", "5"), ("脚", "注"))),
    )


def test_without_title_the_body_is_read_without_chrome():
    data = html('<div class="nav">首页</div><p>一些文字</p><div class="footer">版权所有</div>')
    assert read(data, Path("x.html")).blocks == (Paragraph("一些文字"),)


def test_tables_as_images_warn():
    data = html('<h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p><img src="a.png"></p>')
    doc = read(data, Path("x.html"))
    assert doc.tables == []
    assert any("images" in w for w in doc.warnings)


@pytest.mark.parametrize(("head", "encoding"), [
    ('<meta charset="gbk">', "gbk"),
    ('<meta http-equiv="Content-Type" content="text/html; charset=GB2312">', "gbk"),
    ('<meta charset="big5">', "big5"),
    ('<meta charset="utf-8">', "utf-8"),
    ("", "utf-8"),
    ('<meta charset="utf-8">', "gbk"),  # a wrong declaration is not trusted blindly
])
def test_encodings(head, encoding):
    body = "<h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>依申请公开</p>"
    if encoding == "big5":
        body = "<h1>某局2023年政府信息公開工作年度報告</h1><p>一、總體情況</p><p>依申請公開</p>"
    data = f"<html><head>{head}</head><body>{body}</body></html>".encode(encoding)
    doc = read(data, Path("x.html"))
    assert doc.blocks[0].text in ("某局2023年政府信息公开工作年度报告", "某局2023年政府信息公開工作年度報告")


def test_xhtml_with_xml_declaration():
    data = ('<?xml version="1.0" encoding="gbk"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
            "<h1>某局2023年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>").encode("gbk")
    assert sniff_charset(data) == "gbk"
    doc = read(data, Path("x.html"))
    assert [p.text for p in doc.paragraphs] == ["某局2023年政府信息公开工作年度报告", "一、总体情况"]


# ---------------------------------------------------------------- errors


def test_binary_file(tmp_path):
    path = tmp_path / "报告.html"
    path.write_bytes(random.Random(30).randbytes(4096))
    with pytest.raises(UnsupportedFile, match="not an HTML page: binary data") as e:
        read_document(path)
    assert str(path) in str(e.value) and "\n" not in str(e.value)


@pytest.mark.parametrize(("data", "says"), [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(100), "ZIP"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "legacy Office"),
    ("某某局2023年政府信息公开工作年度报告\n一、总体情况\n".encode(), "no HTML tags"),
])
def test_not_html(data, says):
    with pytest.raises(UnsupportedFile, match="not an HTML page: .*" + says):
        read_bytes(data, Path("x.htm"))
