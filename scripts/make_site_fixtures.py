"""Write the tab-separated fixture reports of tests/fixtures/site/ (the shape of seed 004,
without its page-break trap). Run once; the files are committed:

    python scripts/make_site_fixtures.py tests/fixtures/site/content/reports

The other fixture inputs are not generated: 2024/002_5ead8cc1c8ee6d6d.txt is seed 002
as is, 2023/scanned.pdf an empty file and misc/通知.txt a text that is not a report.
"""
import sys
from pathlib import Path

B_ROWS = [
    ("一、本年新收政府信息公开申请数量", "new"),
    ("二、上年结转政府信息公开申请数量", "carried_over"),
    ("三、本年度办理结果\t(一) 予以公开", "granted"),
    ("\t(二) 部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
    ("\t(三) 不予公开\t1.属于国家秘密", "denied_state_secret"),
    ("\t\t2.其他法律行政法规禁止公开", "denied_prohibited_by_law"),
    ("\t\t3.危及“三安全一稳定”", "denied_security_stability"),
    ("\t\t4.保护第三方合法权益", "denied_third_party_rights"),
    ("\t\t5.属于三类内部事务信息", "denied_internal_affairs"),
    ("\t\t6.属于四类过程性信息", "denied_process_information"),
    ("\t\t7.属于行政执法案卷", "denied_enforcement_files"),
    ("\t\t8.属于行政查询事项", "denied_administrative_query"),
    ("\t(四) 无法提供\t1.本机关不掌握相关政府信息", "unable_not_held"),
    ("\t\t2.没有现成信息需要另行制作", "unable_needs_creation"),
    ("\t\t3.补正后申请内容仍不明确", "unable_still_unclear"),
    ("\t(五) 不予处理\t1.信访举报投诉类申请", "rejected_complaint"),
    ("\t\t2.重复申请", "rejected_duplicate"),
    ("\t\t3.要求提供公开出版物", "rejected_publication"),
    ("\t\t4.无正当理由大量反复申请", "rejected_excessive"),
    ("\t\t5.要求行政机关确认或重新出具已获取信息", "rejected_reconfirmation"),
    ("\t(六) 其他处理\t1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_no_correction"),
    ("\t\t2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_unpaid_fee"),
    ("\t\t3.其他", "other_other"),
    ("\t(七) 总计", "total"),
    ("四、结转下年度继续办理", "carried_forward"),
]


def report(agency, year, b, c, a, general, problems, other):
    z7 = [0] * 7
    lines = [agency, "", f"{year}年政府信息公开工作年度报告", "",
             f"本年度报告根据《中华人民共和国政府信息公开条例》编制。所列数据统计期限为{year}年1月1日至{year}年12月31日。", "",
             "一、总体情况", ""]
    for p in general:
        lines += [p, ""]
    lines += ["二、主动公开政府信息情况", "",
              "第二十条第（一）项\t\t\t", "信息内容\t本年制发件数\t本年废止件数\t现行有效件数",
              "规章\t%d\t%d\t%d" % a["rules"], "行政规范性文件\t%d\t%d\t%d" % a["normative_documents"],
              "第二十条第（五）项\t\t\t", "信息内容\t本年处理决定数量\t\t", "行政许可\t%d\t\t" % a["licensing"],
              "第二十条第（六）项\t\t\t", "信息内容\t本年处理决定数量\t\t",
              "行政处罚\t%d\t\t" % a["penalty"], "行政强制\t%d\t\t" % a["enforcement"],
              "第二十条第（八）项\t\t\t", "信息内容\t本年收费金额（单位：万元）\t\t", "行政事业性收费\t%s\t\t" % a["fees"],
              "", "三、收到和处理政府信息公开申请情况", "",
              "(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t\t总计",
              "\t自然人\t法人或其他组织\t\t\t\t\t其他\t",
              "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t\t\t"]
    for label, key in B_ROWS:
        vals = b.get(key, z7)
        lines.append(label + "\t" + "\t".join(str(v) for v in vals))
    lines += ["", "四、政府信息公开行政复议、行政诉讼情况", "",
              "行政复议\t\t\t\t\t行政诉讼\t\t\t\t\t\t\t\t\t",
              "结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t未经复议直接起诉\t\t\t\t\t复议后起诉\t\t\t\t",
              "\t\t\t\t\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计\t结果维持\t结果纠正\t其他结果\t尚未审结\t总计",
              "\t".join(str(v) for v in c), "",
              "五、存在的主要问题及改进情况", ""]
    for p in problems:
        lines += [p, ""]
    lines += ["六、其他需要报告的事项", ""]
    for p in other:
        lines += [p, ""]
    return "\n".join(lines) + "\n"


A0 = dict(rules=(0, 0, 0), normative_documents=(0, 0, 0), licensing=0, penalty=0, enforcement=0, fees=0)

PROBLEMS_2022 = [
    "（一）存在的主要问题。一是信息公开的及时性有待提高，部分栏目更新不够及时。二是政策解读形式较为单一，图解、视频解读较少。",
    "（二）改进情况。下一步，我办将加强栏目日常维护，明确专人负责信息发布，丰富政策解读形式，提升公开质量。",
]
PROBLEMS_2023 = [
    "（一）存在的主要问题。一是信息公开的及时性有待提高，部分栏目更新不够及时。二是政策解读形式较为单一，图解、视频解读较少。",
    "（二）改进情况。下一步，我办将加强栏目日常维护，明确专人负责信息发布，丰富政策解读形式，提升公开质量，并加强业务培训。",
]

out = Path(sys.argv[1])

# Two years of one office whose printed name differs (spec: report-format.md, traps).
out.joinpath("2022").mkdir(parents=True, exist_ok=True)
out.joinpath("2023").mkdir(parents=True, exist_ok=True)
b22 = {
    "new": [3, 0, 0, 0, 1, 0, 4],
    "granted": [2, 0, 0, 0, 0, 0, 2],
    "partially_granted": [0, 0, 0, 0, 1, 0, 1],
    "unable_not_held": [1, 0, 0, 0, 0, 0, 1],
    "total": [3, 0, 0, 0, 1, 0, 4],
}
out.joinpath("2022", "阿拉善高新区社会事务办公室2022年报.txt").write_text(report(
    "阿拉善高新区社会事务办公室", 2022, b22, [1, 0, 0, 0, 1] + [0] * 10, A0,
    ["2022年，社会事务办公室认真贯彻《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。",
     "（二）依申请公开情况。2022年共收到政府信息公开申请4件，均已按时答复。"],
    PROBLEMS_2022, ["本年度未收取信息处理费。"]), encoding="utf-8")
b23 = {
    "new": [7, 1, 0, 0, 0, 0, 8],
    "granted": [5, 1, 0, 0, 0, 0, 6],
    "denied_third_party_rights": [1, 0, 0, 0, 0, 0, 1],
    "rejected_duplicate": [1, 0, 0, 0, 0, 0, 1],
    "total": [7, 1, 0, 0, 0, 0, 8],
}
out.joinpath("2023", "社会事务办公室-2023.txt").write_text(report(
    "阿拉善盟高新技术产业开发区社会事务办公室", 2023, b23, [2, 1, 0, 0, 3] + [0] * 5 + [1, 0, 0, 0, 1], 
    dict(A0, licensing=12, fees=1.25),
    ["2023年，社会事务办公室坚持以公开为常态、不公开为例外，全力保障人民群众的知情权、参与权和监督权。",
     "（二）依申请公开情况。2023年共收到政府信息公开申请8件，均已按时答复。"],
    PROBLEMS_2023, ["本年度未收取信息处理费。"]), encoding="utf-8")

# A report whose （七）总计 does not add up: natural_person handled 2 + 1 = 3, printed 4.
b_bad = {
    "new": [4, 0, 0, 0, 0, 0, 4],
    "granted": [2, 0, 0, 0, 0, 0, 2],
    "unable_not_held": [1, 0, 0, 0, 0, 0, 1],
    "total": [4, 0, 0, 0, 0, 0, 3],
}
out.joinpath("2023", "jiaoyuju.txt").write_text(report(
    "乌拉特中旗教育局", 2023, b_bad, [0] * 15, dict(A0, penalty=2),
    ["2023年，乌拉特中旗教育局扎实推进政务公开工作。",
     "报告正文中的特殊字符应原样显示：<script>alert('x')</script> [点我](javascript:alert(1)) ![图](http://example.com/x.png) {{ 7*7 }} {% if %} **粗体** <img src=x onerror=alert(1)>"],
    ["一是公开内容不够全面。二是公开时效有待提高。"],
    ["无。"]), encoding="utf-8")
