"""The fixed layouts of tables A, B and C, defined once as data.

Parsing (``recognise``), checking (``check``), rendering (``render``) and the CSV/JSON
exports all read these definitions; none of them repeats a label or a key. Keys follow
``spec/report.schema.json``; labels are the printed (Simplified) labels of
国办公开办函〔2021〕30号 and 〔2019〕60号.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ValueType = Literal["int", "signed", "amount"]
"""``int``: a count >= 0; ``signed``: a count that may be negative (本年增/减);
``amount``: a decimal in 万元 (a cell printed in 元 is converted)."""


@dataclass(frozen=True, slots=True)
class ColumnDef:
    key: str
    label: str
    type: ValueType = "int"


@dataclass(frozen=True, slots=True)
class RowDef:
    key: str
    label: str
    """The full label as printed, group included, e.g. "（三）不予公开 1.属于国家秘密"."""
    match: tuple[str, ...] = ()
    """Distinctive texts the printed label is compared with (after normalising); the
    first is the row's own words, further ones are accepted variants."""
    columns: tuple[ColumnDef, ...] | None = None
    """The row's own columns (table A rows differ); None means the table's columns."""
    single: bool = False
    """One value, published as a scalar (table A 2021 rows 行政许可 etc.)."""
    gloss: str = ""
    """Plain-language explanation for the glossary."""


@dataclass(frozen=True, slots=True)
class TableLayout:
    key: str
    """Top-level key in the report: active_disclosure, requests, review_litigation."""
    format: str
    title: str
    rows: tuple[RowDef, ...]
    columns: tuple[ColumnDef, ...] = field(default=())

    def row(self, key: str) -> RowDef:
        for r in self.rows:
            if r.key == key:
                return r
        raise KeyError(key)

    def columns_of(self, row: RowDef) -> tuple[ColumnDef, ...]:
        return row.columns if row.columns is not None else self.columns


# ---------------------------------------------------------------- table A

_A2021_DOCS = (
    ColumnDef("issued", "本年制发件数"),
    ColumnDef("repealed", "本年废止件数"),
    ColumnDef("in_force", "现行有效件数"),
)
_A_DECISIONS = (ColumnDef("value", "本年处理决定数量"),)

TABLE_A_2021 = TableLayout(
    key="active_disclosure",
    format="2021",
    title="主动公开政府信息情况",
    rows=(
        RowDef("rules", "规章", ("规章",), _A2021_DOCS,
               gloss="本机关制定的规章：本年新制发、本年废止、年底仍有效的件数。"),
        RowDef("normative_documents", "行政规范性文件", ("行政规范性文件", "规范性文件"), _A2021_DOCS,
               gloss="涉及公民、法人权利义务、具有普遍约束力的文件（俗称“红头文件”）。"),
        RowDef("licensing", "行政许可", ("行政许可",), _A_DECISIONS, single=True,
               gloss="本年作出的行政许可决定数，如发放证照、批准申请。"),
        RowDef("penalty", "行政处罚", ("行政处罚",), _A_DECISIONS, single=True,
               gloss="本年作出的行政处罚决定数，如罚款、吊销许可。"),
        RowDef("enforcement", "行政强制", ("行政强制",), _A_DECISIONS, single=True,
               gloss="本年作出的行政强制决定数，如查封、扣押、强制执行。"),
        RowDef("fees", "行政事业性收费", ("行政事业性收费",),
               (ColumnDef("value", "本年收费金额（单位：万元）", "amount"),), single=True,
               gloss="本年收取的行政事业性收费金额，单位万元。"),
    ),
)

_A2019_DOCS = (
    ColumnDef("created", "本年新制作数量"),
    ColumnDef("published", "本年新公开数量"),
    ColumnDef("total_public", "对外公开总数量"),
)
_A2019_ITEMS = (
    ColumnDef("previous_items", "上一年项目数量"),
    ColumnDef("change", "本年增/减", "signed"),
    ColumnDef("decisions", "处理决定数量"),
)

TABLE_A_2019 = TableLayout(
    key="active_disclosure",
    format="2019",
    title="主动公开政府信息情况",
    rows=(
        RowDef("rules", "规章", ("规章",), _A2019_DOCS, gloss=TABLE_A_2021.rows[0].gloss),
        RowDef("normative_documents", "规范性文件", ("规范性文件", "行政规范性文件"), _A2019_DOCS,
               gloss=TABLE_A_2021.rows[1].gloss),
        RowDef("licensing", "行政许可", ("行政许可",), _A2019_ITEMS, gloss="行政许可事项数及本年处理决定数。"),
        RowDef("other_services", "其他对外管理服务事项", ("其他对外管理服务事项",), _A2019_ITEMS,
               gloss="行政许可以外、面向社会的管理服务事项。"),
        RowDef("penalty", "行政处罚", ("行政处罚",), _A2019_ITEMS, gloss="行政处罚事项数及本年处罚决定数。"),
        RowDef("enforcement", "行政强制", ("行政强制",), _A2019_ITEMS, gloss="行政强制事项数及本年强制决定数。"),
        RowDef("fees", "行政事业性收费", ("行政事业性收费",), _A2019_ITEMS[:2],
               gloss="收费项目数及本年增减。"),
        RowDef("procurement", "政府集中采购", ("政府集中采购",),
               (ColumnDef("items", "采购项目数量"), ColumnDef("amount", "采购总金额（万元）", "amount")),
               gloss="政府集中采购的项目数和总金额（万元）。"),
    ),
)

# ---------------------------------------------------------------- table B

REQUEST_COLUMNS = (
    ColumnDef("natural_person", "自然人"),
    ColumnDef("commercial_enterprise", "商业企业"),
    ColumnDef("research_institution", "科研机构"),
    ColumnDef("social_welfare_organization", "社会公益组织"),
    ColumnDef("legal_service_organization", "法律服务机构"),
    ColumnDef("other_organization", "其他"),
    ColumnDef("total", "总计"),
)
"""Applicant columns of table B; the five in the middle sit under 法人或其他组织."""

_R = RowDef
_REQUEST_ROWS = (
    _R("new", "一、本年新收政府信息公开申请数量", ("本年新收政府信息公开申请数量",),
       gloss="这一年收到的信息公开申请件数。"),
    _R("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转政府信息公开申请数量",),
       gloss="上一年收到、跨年转入本年继续办理的申请。"),
    _R("granted", "三、本年度办理结果 （一）予以公开", ("予以公开",),
       gloss="全部公开了申请的信息。"),
    _R("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("部分公开",),
       gloss="只公开了一部分，其余因法定理由不公开。"),
    _R("denied_state_secret", "（三）不予公开 1.属于国家秘密", ("属于国家秘密",),
       gloss="不公开：信息属于国家秘密。"),
    _R("denied_prohibited_by_law", "2.其他法律行政法规禁止公开", ("其他法律行政法规禁止公开",),
       gloss="不公开：其他法律、行政法规禁止公开。"),
    _R("denied_security_stability", "3.危及“三安全一稳定”", ("危及三安全一稳定",),
       gloss="不公开：公开会危及国家安全、公共安全、经济安全或社会稳定。"),
    _R("denied_third_party_rights", "4.保护第三方合法权益", ("保护第三方合法权益",),
       gloss="不公开：涉及商业秘密、个人隐私等第三方合法权益。"),
    _R("denied_internal_affairs", "5.属于三类内部事务信息", ("属于三类内部事务信息",),
       gloss="不公开：人事管理、后勤管理、内部工作流程等内部事务信息。"),
    _R("denied_process_information", "6.属于四类过程性信息", ("属于四类过程性信息",),
       gloss="不公开：讨论记录、过程稿、磋商信函、请示报告等过程性信息。"),
    _R("denied_enforcement_files", "7.属于行政执法案卷", ("属于行政执法案卷",),
       gloss="不公开：属于行政执法案卷信息。"),
    _R("denied_administrative_query", "8.属于行政查询事项", ("属于行政查询事项",),
       gloss="不公开：应通过查询渠道办理的事项（如不动产登记资料查询）。"),
    _R("unable_not_held", "（四）无法提供 1.本机关不掌握相关政府信息", ("本机关不掌握相关政府信息",),
       gloss="无法提供：本机关没有这项信息。"),
    _R("unable_needs_creation", "2.没有现成信息需要另行制作", ("没有现成信息需要另行制作",),
       gloss="无法提供：要提供须另行制作、加工、统计。"),
    _R("unable_still_unclear", "3.补正后申请内容仍不明确", ("补正后申请内容仍不明确",),
       gloss="无法提供：请申请人补正后，申请内容仍不明确。"),
    _R("rejected_complaint", "（五）不予处理 1.信访举报投诉类申请", ("信访举报投诉类申请",),
       gloss="不予处理：实为信访、举报、投诉。"),
    _R("rejected_duplicate", "2.重复申请", ("重复申请",), gloss="不予处理：重复申请。"),
    _R("rejected_publication", "3.要求提供公开出版物", ("要求提供公开出版物",),
       gloss="不予处理：要求提供公开出版物。"),
    _R("rejected_excessive", "4.无正当理由大量反复申请", ("无正当理由大量反复申请",),
       gloss="不予处理：无正当理由大量、反复申请。"),
    _R("rejected_reconfirmation", "5.要求行政机关确认或重新出具已获取信息",
       ("要求行政机关确认或重新出具已获取信息",),
       gloss="不予处理：要求确认或重新出具已获取的信息。"),
    _R("other_no_correction", "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
       ("申请人无正当理由逾期不补正行政机关不再处理其政府信息公开申请",),
       gloss="其他：申请人逾期不补正，机关不再处理。"),
    _R("other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
       ("申请人逾期未按收费通知要求缴纳费用行政机关不再处理其政府信息公开申请",),
       gloss="其他：申请人逾期不缴纳信息处理费，机关不再处理。"),
    _R("other_other", "3.其他", ("其他",), gloss="其他处理方式。"),
    _R("other", "（六）其他处理", ("其他处理",),
       gloss="其他处理（2019年格式及部分报告只印一行，不分三类）。"),
    _R("total", "（七）总计", ("总计",), gloss="本年度办理结果合计。"),
    _R("carried_forward", "四、结转下年度继续办理", ("结转下年度继续办理",),
       gloss="年底尚未办结、转入下一年继续办理的申请。"),
)

TABLE_B = TableLayout(
    key="requests",
    format="any",
    title="收到和处理政府信息公开申请情况",
    rows=_REQUEST_ROWS,
    columns=REQUEST_COLUMNS,
)

REQUEST_OUTCOME_KEYS: tuple[str, ...] = tuple(
    r.key for r in _REQUEST_ROWS
    if r.key not in ("new", "carried_over", "total", "carried_forward")
)
"""The handling rows (granted … other_*, other) whose sum is （七）总计."""

SPLIT_OTHER_KEYS = ("other_no_correction", "other_unpaid_fee", "other_other")
"""The three （六） rows of the 2021 format; the 2019 format prints ``other`` instead."""

# ---------------------------------------------------------------- table C

REVIEW_COLUMNS = (
    ColumnDef("upheld", "结果维持"),
    ColumnDef("corrected", "结果纠正"),
    ColumnDef("other", "其他结果"),
    ColumnDef("pending", "尚未审结"),
    ColumnDef("total", "总计"),
)

TABLE_C = TableLayout(
    key="review_litigation",
    format="any",
    title="政府信息公开行政复议、行政诉讼情况",
    rows=(
        RowDef("review", "行政复议", ("行政复议",), gloss="申请人对答复不服，向上级机关申请行政复议。"),
        RowDef("litigation_direct", "行政诉讼 未经复议直接起诉", ("未经复议直接起诉",),
               gloss="申请人不经复议，直接向法院起诉。"),
        RowDef("litigation_after_review", "行政诉讼 复议后起诉", ("复议后起诉",),
               gloss="申请人经行政复议后仍不服，向法院起诉。"),
    ),
    columns=REVIEW_COLUMNS,
)

TABLE_A = {"2021": TABLE_A_2021, "2019": TABLE_A_2019}
FORMATS = ("2019", "2021")


def layouts_for(fmt: str) -> tuple[TableLayout, TableLayout, TableLayout]:
    """Tables A, B and C of a format."""
    return TABLE_A[fmt], TABLE_B, TABLE_C


# Markers of the two table A layouts (normalised header words), used to tell them apart
# from the table itself rather than from the year.
FORMAT_MARKERS = {
    "2021": ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
    "2019": ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增减",
             "处理决定数量", "其他对外管理服务事项", "政府集中采购", "采购项目数量", "采购总金额"),
}

# The six parts of a report, with the words their headings are recognised by.
PARTS = (
    ("general", "一", "总体情况"),
    ("active_disclosure", "二", "主动公开政府信息情况"),
    ("requests", "三", "收到和处理政府信息公开申请情况"),
    ("review_litigation", "四", "政府信息公开行政复议行政诉讼情况"),
    ("problems", "五", "存在的主要问题及改进情况"),
    ("other", "六", "其他需要报告的事项"),
)

# Figures that mean the same thing in both layouts of table A, as
# (table, row, column) in the 2019 layout -> the same in the 2021 layout. Everything
# else of table A differs in meaning (本年新制作 vs 本年制发, 对外公开总数 vs 现行有效,
# 收费项目数 vs 收费金额) and is not compared across the change.
COMPARABLE_2019_2021 = {
    ("active_disclosure", "licensing", "decisions"): ("active_disclosure", "licensing", "value"),
    ("active_disclosure", "penalty", "decisions"): ("active_disclosure", "penalty", "value"),
    ("active_disclosure", "enforcement", "decisions"): ("active_disclosure", "enforcement", "value"),
}

OTHER_TOTAL_LABEL = "（六）其他处理（三项合计）"
"""Label of the single （六） row compared with the sum of the three split rows."""
