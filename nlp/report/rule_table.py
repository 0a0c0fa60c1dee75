"""The table of consistency rules: every check of the standard format, as data.

Each :class:`Rule` names a ``kind`` (the evaluator in :mod:`nlp.report.rules` that knows how
to run rules of that shape) and carries everything else as data: the cells it reads,
the relation, the Chinese words its messages use and the place in the spec it comes
from. Families that repeat over columns, rows or groups (``table3.result_sum.<column>``
...) are expanded here, once, so that every rule instance has its own stable id and
``docs/rules.md`` can list them all.

Cell paths are those of :mod:`nlp.report.model` (``table3.<row>.<column>``,
``table4.<group>.<column>``, ``table2.regulations.made``, ``narrative.<key>``,
``declared.total_published``). A leading ``-`` on a term subtracts it; a trailing
``*`` expands over the keys the report has (``declared.domains.*``); a ``previous.``
prefix reads last year's report.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from nlp.report.findings import Severity
from nlp.report.layout import section_headings, table_names, table_sections
from nlp.report.model import (
    TABLE3_COLUMNS,
    TABLE3_RESULT_ROWS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
)

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Rule:
    """One consistency rule.

    Parameters
    ----------
    id : str
        Stable dotted id; findings carry it and docs/rules.md lists it.
    kind : str
        Name of the evaluator in :data:`nlp.rules.EVALUATORS` that runs it.
    severity : Severity
        How much a failure matters; the spec's ERROR/WARNING/INFO.
    formula : str
        The relation in words, for the documentation.
    cells : tuple of str
        The cell paths (or patterns) the rule reads.
    source : str
        Where the rule comes from in ../shared/spec/report-format.md.
    label : str
        Chinese subject that starts the rule's messages.
    params : dict
        Kind-specific data (terms of a relation, keywords, patterns ...).
    issue_codes : tuple of str
        Parser issue codes this rule answers for (see :data:`ISSUE_RULES`).
    needs_previous : bool
        True when the rule compares with last year's report.
    """

    id: str
    kind: str
    severity: Severity
    formula: str
    cells: tuple[str, ...]
    source: str
    label: str = ""
    params: dict[str, Any] = field(default_factory=dict, hash=False)
    issue_codes: tuple[str, ...] = ()
    needs_previous: bool = False


# --- Chinese names of the tables' rows, columns and groups, for messages -------------
# Table and section names are the layout file's (nlp/data/table_layout.json).

TABLE_CN = table_names()

TABLE3_COLUMN_CN = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构",
    "social_welfare": "社会公益组织", "legal_service": "法律服务机构", "other_org": "其他",
    "total": "总计",
}
TABLE3_ROW_CN = {
    "new_received": "本年新收申请", "carried_over": "上年结转申请",
    "granted": "予以公开", "partly_granted": "部分公开",
    "denied_state_secret": "不予公开·属于国家秘密",
    "denied_law_forbidden": "不予公开·其他法律行政法规禁止公开",
    "denied_security_stability": "不予公开·危及“三安全一稳定”",
    "denied_third_party": "不予公开·保护第三方合法权益",
    "denied_internal_affairs": "不予公开·属于三类内部事务信息",
    "denied_process_info": "不予公开·属于四类过程性信息",
    "denied_enforcement_file": "不予公开·属于行政执法案卷",
    "denied_admin_query": "不予公开·属于行政查询事项",
    "unable_not_held": "无法提供·本机关不掌握相关政府信息",
    "unable_needs_creation": "无法提供·没有现成信息需要另行制作",
    "unable_unclear": "无法提供·补正后申请内容仍不明确",
    "rejected_petition": "不予处理·信访举报投诉类申请",
    "rejected_repeat": "不予处理·重复申请",
    "rejected_publication": "不予处理·要求提供公开出版物",
    "rejected_excessive": "不予处理·无正当理由大量反复申请",
    "rejected_confirmation": "不予处理·要求行政机关确认或重新出具已获取信息",
    "other_overdue_correction": "其他处理·逾期不补正",
    "other_overdue_fee": "其他处理·逾期未缴纳费用",
    "other_other": "其他处理·其他",
    "processed_total": "办理结果总计", "carried_forward": "结转下年度继续办理",
}
TABLE4_GROUP_CN = {
    "review": "行政复议", "litigation_direct": "行政诉讼·未经复议直接起诉",
    "litigation_after_review": "行政诉讼·复议后起诉",
}
TABLE4_COLUMN_CN = {
    "upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结",
    "total": "总计",
}
TABLE2_CELL_CN = {
    "regulations.made": "规章·本年制发件数", "regulations.repealed": "规章·本年废止件数",
    "regulations.in_force": "规章·现行有效件数",
    "normative_documents.made": "行政规范性文件·本年制发件数",
    "normative_documents.repealed": "行政规范性文件·本年废止件数",
    "normative_documents.in_force": "行政规范性文件·现行有效件数",
    "licensing": "行政许可·本年处理决定数量", "punishment": "行政处罚·本年处理决定数量",
    "coercion": "行政强制·本年处理决定数量", "fees_wan_yuan": "行政事业性收费·本年收费金额（万元）",
}
TABLE2_KIND_CN = {"regulations": "规章", "normative_documents": "行政规范性文件"}
OTHER_CELL_CN = {
    "declared.total_published": "一(一)主动公开条数",
    "narrative.applications_new": "正文所称本年新收申请数",
    "narrative.applications_carried_over": "正文所称上年结转申请数",
    "narrative.applications_closed": "正文所称办结数",
    "narrative.applications_carried_forward": "正文所称结转下年度数",
    "narrative.fees_collected": "正文对信息处理费的说明",
    "narrative.fees_amount_yuan": "正文所称信息处理费金额",
    "narrative.no_applications": "正文“未收到申请”的表述",
    "narrative.review_count": "正文所称行政复议件数",
    "narrative.litigation_count": "正文所称行政诉讼件数",
    "narrative.no_review_litigation": "正文“未发生行政复议、行政诉讼”的表述",
    "narrative.regulations_made": "正文所称规章制发件数",
    "narrative.normative_documents_made": "正文所称行政规范性文件制发件数",
    "narrative.period_year": "统计期限的年份",
    "year": "报告年度", "title": "标题", "unit": "发布机关", "sections_found": "报告的章节",
}

SECTIONS: dict[str, str] = section_headings()
# The table each section carries.
TABLE_SECTION = table_sections()

TABLE2_CELLS: tuple[str, ...] = tuple(f"table2.{k}" for k in TABLE2_CELL_CN)
TABLE3_CELLS: tuple[str, ...] = tuple(
    f"table3.{r}.{c}" for r in TABLE3_ROWS for c in TABLE3_COLUMNS)
TABLE4_CELLS: tuple[str, ...] = tuple(
    f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS)
TABLE_CELLS = {"table2": TABLE2_CELLS, "table3": TABLE3_CELLS, "table4": TABLE4_CELLS}
# D.DEC: the fee amount is in 万元 and may be a decimal; every other cell counts items.
DECIMAL_CELLS: tuple[str, ...] = ("table2.fees_wan_yuan",)

# --- word lists the narrative rules use -----------------------------------------------

# Units without power to make 规章 (spec §5.3 F2.NOREG, [L]): 县/区 governments and their
# departments, 乡镇, 街道办事处. 自治区 is a province and is excluded.
NO_REGULATION_UNITS: tuple[str, ...] = (
    r"街道(办事处|办)?$",
    r"[乡镇](人民政府)?$",
    r"(?<!自治)[县区](人民政府)?$",
    r"(?<!自治)[县区][^省市县区]*(局|委员会|委|办公室|办|中心|厅|所|队|院)$",
)
# How a report refers to its own unit; the character must occur in the unit's name.
SELF_REFERENCES: dict[str, str] = {
    "我镇": "镇", "本镇": "镇", "我乡": "乡", "本乡": "乡",
    "我街道": "街道", "本街道": "街道", "我局": "局", "本局": "局",
    "我厅": "厅", "本厅": "厅", "我委": "委", "本委": "委",
    "我县": "县", "本县": "县",
}
# The five aspects of 一、总体情况 (spec §1.2, N9).
OVERVIEW_ASPECTS: tuple[tuple[str, str], ...] = (
    ("主动公开", r"主动公开"),
    ("依申请公开", r"依申请"),
    ("政府信息管理", r"信息管理|政府信息管理"),
    ("平台建设", r"平台"),
    ("监督保障", r"监督|保障|考核|培训"),
)
ACCOUNTABILITY: tuple[tuple[str, str], ...] = (
    ("工作考核、社会评议、责任追究", r"考核|评议|责任追究"),
)
PROBLEMS_AND_MEASURES: tuple[tuple[str, str], ...] = (
    ("存在的问题", r"问题|不足|短板|薄弱|差距|欠缺|不够"),
    ("改进措施", r"下一步|改进|整改|加强|提升|完善|措施|今后"),
)
# Words that make another year legitimate in a clause (N7).
COMPARISON_WORDS: tuple[str, ...] = (
    "较", "同比", "比上年", "上年同期", "相比", "相较", "以来", "自", "至今", "截至", "截止",
    "累计", "去年", "上一年", "年度报告", "年报",
)
# N12: the t2 amount (万元) called 信息处理费.
FEE_CATEGORY_PATTERNS: tuple[str, ...] = (r"信息(公开)?处理费", r"万元|行政事业性收费")


# --- the table ------------------------------------------------------------------------

def _compare(rule_id: str, severity: Severity, formula: str, source: str, label: str,
             op: str, left: tuple[str, ...], right: tuple[str, ...], left_name: str,
             right_name: str, *, cells: tuple[str, ...] | None = None,
             needs_previous: bool = False) -> Rule:
    """A ``compare`` rule: the sum of ``left`` ``op`` the sum of ``right``.

    A term written ``-path`` is subtracted. ``cells`` defaults to every term's path.
    """
    if cells is None:
        cells = tuple(term.lstrip("-") for term in (*left, *right))
    return Rule(rule_id, "compare", severity, formula, cells, source, label,
                {"op": op, "left": left, "right": right, "left_name": left_name,
                 "right_name": right_name}, needs_previous=needs_previous)


def _table3_rules() -> list[Rule]:
    rules: list[Rule] = []
    for col in TABLE3_COLUMNS:
        cn = TABLE3_COLUMN_CN[col]
        parts = tuple(f"table3.{r}.{col}" for r in TABLE3_RESULT_ROWS)
        rules.append(_compare(
            f"table3.result_sum.{col}", ERROR,
            f"「{cn}」列：办理结果总计 = （一）至（六）21 项办理结果之和", "§5.1 F3.RES",
            f"表三「{cn}」列：", "==", (f"table3.processed_total.{col}",), parts,
            "办理结果总计", "21 项办理结果之和"))
    for col in TABLE3_COLUMNS:
        cn = TABLE3_COLUMN_CN[col]
        left = (f"table3.processed_total.{col}", f"table3.carried_forward.{col}")
        right = (f"table3.new_received.{col}", f"table3.carried_over.{col}")
        rules.append(_compare(
            f"table3.balance.{col}", ERROR,
            f"「{cn}」列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理",
            "§5.1 F3.BAL", f"表三「{cn}」列：", "==", left, right,
            "办理结果总计加结转下年度", "本年新收加上年结转", cells=(*right, *left)))
    for row in TABLE3_ROWS:
        cn = TABLE3_ROW_CN[row]
        parts = tuple(f"table3.{row}.{c}" for c in TABLE3_COLUMNS if c != "total")
        rules.append(_compare(
            f"table3.row_total.{row}", ERROR, f"「{cn}」行：总计 = 六类申请人之和",
            "§5.1 F3.ROW", f"表三「{cn}」行：", "==", (f"table3.{row}.total",), parts,
            "总计", "六类申请人之和"))
    return rules


def _table4_rules() -> list[Rule]:
    rules = []
    for group in TABLE4_GROUPS:
        cn = TABLE4_GROUP_CN[group]
        parts = tuple(f"table4.{group}.{c}" for c in TABLE4_COLUMNS if c != "total")
        rules.append(_compare(
            f"table4.sum.{group}", ERROR,
            f"「{cn}」：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结", "§5.2 F4.SUM",
            f"表四「{cn}」：", "==", (f"table4.{group}.total",), parts,
            "总计", "四项结果之和"))
    return rules


def _table2_rules() -> list[Rule]:
    rules = []
    for kind, cn in TABLE2_KIND_CN.items():
        rules.append(_compare(
            f"table2.lower_bound.{kind}", ERROR,
            f"「{cn}」：现行有效件数 ≥ 本年制发件数 − 本年废止件数", "§5.3 F2.LB",
            f"表二「{cn}」：", ">=", (f"table2.{kind}.in_force",),
            (f"table2.{kind}.made", f"-table2.{kind}.repealed"),
            "现行有效件数", "本年制发减本年废止"))
    cells = ("table2.regulations.made", "table2.regulations.repealed",
             "table2.regulations.in_force")
    rules.append(Rule(
        "table2.no_regulations", "zero_for_unit", WARNING,
        "发布机关为县/区人民政府或其部门、乡镇、街道办事处时，规章三项均为 0",
        ("unit", *cells), "§5.3 F2.NOREG [L]; N8", "表二「规章」：",
        {"cells": cells, "unit_patterns": NO_REGULATION_UNITS}))
    return rules


def _cell_rules() -> list[Rule]:
    rules = []
    families = (
        ("present", ERROR, "每个单元格都有数值（空白应填 0）", "§5.5 D.PRESENT", ("blank_cell",)),
        ("non_negative", ERROR, "每个单元格 ≥ 0", "§5.5 D.NONNEG; D.DEC", ()),
        ("integer", ERROR, "每个计数单元格为整数（行政事业性收费金额可为小数）",
         "§5.5 D.INT; D.DEC", ()),
    )
    for family, severity, formula, source, codes in families:
        for table, cn in TABLE_CN.items():
            rules.append(Rule(
                f"cell.{family}.{table}", "cell_family", severity, f"{cn}：{formula}",
                (f"{table}.*",), source, f"{cn}",
                {"family": family, "table": table}, issue_codes=codes))
    return rules


def _sanity_rules() -> list[Rule]:
    rules = []
    for col in TABLE3_COLUMNS:
        cn = TABLE3_COLUMN_CN[col]
        available = (f"table3.new_received.{col}", f"table3.carried_over.{col}")
        for name, row, row_cn in (("processed_le_available", "processed_total", "办理结果总计"),
                                  ("forward_le_available", "carried_forward", "结转下年度")):
            rules.append(_compare(
                f"table3.sanity.{name}.{col}", WARNING,
                f"「{cn}」列：{row_cn} ≤ 本年新收 + 上年结转", "§5.6", f"表三「{cn}」列：",
                "<=", (f"table3.{row}.{col}",), available, row_cn, "本年新收加上年结转"))
        outputs = tuple(f"table3.{r}.{col}" for r in (*TABLE3_RESULT_ROWS, "processed_total",
                                                       "carried_forward"))
        rules.append(Rule(
            f"table3.sanity.nothing_to_process.{col}", "zero_if_zero", WARNING,
            f"「{cn}」列：本年新收 + 上年结转 = 0 时，各办理结果与结转下年度均为 0",
            (*available, *outputs), "§5.6", f"表三「{cn}」列：",
            {"condition": available, "cells": outputs}))
    return rules


def _narrative_rules() -> list[Rule]:
    rules: list[Rule] = []
    n1 = (("new", "applications_new", "new_received", "本年新收申请"),
          ("carried_over", "applications_carried_over", "carried_over", "上年结转申请"),
          ("closed", "applications_closed", "processed_total", "办结申请"),
          ("carried_forward", "applications_carried_forward", "carried_forward",
           "结转下年度申请"))
    for name, key, row, cn in n1:
        rules.append(_compare(
            f"narrative.applications.{name}", ERROR,
            f"一(二)所称{cn}数 = 表三总计列「{TABLE3_ROW_CN[row]}」", "§6 N1", f"{cn}：",
            "==", (f"narrative.{key}",), (f"table3.{row}.total",), "正文称", "表三总计列为"))
    rules += [
        _compare("narrative.review_count", ERROR, "正文所称行政复议件数 = 表四行政复议总计",
                 "§6 N2", "行政复议：", "==", ("narrative.review_count",),
                 ("table4.review.total",), "正文称", "表四总计为"),
        _compare("narrative.litigation_count", ERROR,
                 "正文所称行政诉讼件数 = 表四两组行政诉讼总计之和", "§6 N2", "行政诉讼：", "==",
                 ("narrative.litigation_count",),
                 ("table4.litigation_direct.total", "table4.litigation_after_review.total"),
                 "正文称", "表四两组总计之和为"),
        Rule("narrative.no_review_litigation", "flag_implies_zero", ERROR,
             "正文称未发生行政复议、行政诉讼时，表四各单元格均为 0",
             ("narrative.no_review_litigation", "table4.*"), "§6 N2",
             "正文称未发生行政复议、行政诉讼，",
             {"flag": "narrative.no_review_litigation", "cells": TABLE4_CELLS}),
        replace(_compare("narrative.domains_sum", ERROR, "一(一)主动公开总条数 = 各领域条数之和"
                         "（领域分项只是部分时不核对）",
                         "§6 N3", "主动公开：", "==", ("declared.total_published",),
                         ("declared.domains.*",), "总条数", "各领域条数之和"),
                kind="domains_sum"),
        Rule("declared.split_sum", "split_sum", ERROR,
             "一中以「其中/包括/:」引出的完整分项（栏目、渠道或混合口径）之和 = 主动公开总条数；"
             "嵌套分项之和 = 它所分的那一项（领域分项由 narrative.domains_sum 核对）",
             ("declared.total_published", "declared.split"), "issue 14", "",
             {"headed": True}),
        Rule("declared.split_sum_unheaded", "split_sum", WARNING,
             "紧跟在总数后、未以「其中」等引出（或在下一句）的分项之和 = 主动公开总条数"
             "（可能只列了部分，须人工确认）",
             ("declared.total_published", "declared.split"), "issue 14", "",
             {"headed": False}),
        Rule("declared.split_partial", "split_partial", INFO,
             "分项以「等」结尾、只列一项或含约数时只是总数的一部分：报告，不核对合计",
             ("declared.split",), "issue 14", ""),
        Rule("declared.body_year", "body_year", WARNING,
             "一中主动公开条数所在句写明的年份 = 报告年度（不同则多为沿用旧年模板）",
             ("year", "narrative.body_year"), "issue 14", ""),
        Rule("declared.other_office", "other_office", WARNING,
             "一中主动公开条数所在句开头写的单位 = 发布机关（不同则可能沿用了其他单位的年报）",
             ("unit", "declared.total_published"), "issue 14", ""),
        Rule("declared.total_countable", "issues_if_any", WARNING,
             "一(一)给出本年主动公开的确切条数，而不是约数（「140余条」）或历年累计数",
             ("declared.total_published",), "issue 14", "",
             issue_codes=("total_approximate", "total_cumulative")),
        # N4: the spec says WARNING because grouping numbers by context needs a reviewer;
        # the contract's example fixes ERROR, and total_mentions holds only statements of
        # the same quantity, so a disagreement is a data error.
        Rule("narrative.total_mentions_agree", "mentions_agree", ERROR,
             "正文每处提到的主动公开条数 = 一(一)主动公开总条数",
             ("declared.total_published", "declared.total_mentions[*]"), "§6 N4", ""),
        _compare("narrative.regulations_made", ERROR,
                 "正文所称规章制发件数 = 表二规章本年制发件数", "§6 N5", "规章制发：", "==",
                 ("narrative.regulations_made",), ("table2.regulations.made",),
                 "正文称", "表二为"),
        _compare("narrative.normative_documents_made", ERROR,
                 "正文所称行政规范性文件制发件数 = 表二行政规范性文件本年制发件数", "§6 N5",
                 "行政规范性文件制发：", "==", ("narrative.normative_documents_made",),
                 ("table2.normative_documents.made",), "正文称", "表二为"),
        Rule("narrative.fee_statement", "present", WARNING,
             "六、其他需要报告的事项说明是否收取信息处理费（及金额）",
             ("narrative.fees_collected",), "§6 N6 (FEE_STATEMENT_MISSING)", "",
             {"cell": "narrative.fees_collected",
              "missing": "报告未说明是否收取信息处理费",
              "present": "报告说明了信息处理费的收取情况"}),
        Rule("narrative.fee_without_applications", "fee_needs_applications", ERROR,
             "称收取了信息处理费时，表三总计列本年新收 + 上年结转 > 0",
             ("narrative.fees_collected", "narrative.fees_amount_yuan",
              "table3.new_received.total", "table3.carried_over.total"), "§6 N6", "",
             {"flag": "narrative.fees_collected", "amount": "narrative.fees_amount_yuan",
              "cells": ("table3.new_received.total", "table3.carried_over.total")}),
        Rule("narrative.fee_unpaid_notice", "any_positive", INFO,
             "表三「其他处理·逾期未缴纳费用」> 0 说明发出过收费通知，请核对信息处理费的说明",
             ("table3.other_overdue_fee.*",), "§6 N6", "表三「其他处理·逾期未缴纳费用」",
             {"cells": tuple(f"table3.other_overdue_fee.{c}" for c in TABLE3_COLUMNS),
              "message": "共 {n} 件，说明曾发出收费通知，请核对正文对信息处理费的说明"}),
        Rule("narrative.year_consistent", "years_agree", ERROR,
             "标题年份 = 报告年度 = 统计期限的年份",
             ("title", "year", "narrative.period_year"), "§6 N7", ""),
        Rule("narrative.stray_year", "stray_year", WARNING,
             "正文中除报告年度 Y 与下一年 Y+1 外不出现其他年份（比较、文件名、文号除外）",
             ("year", "sections.*"), "§6 N7; §7 E3/E15", "",
             {"comparison_words": COMPARISON_WORDS}),
        Rule("narrative.issuer_name", "issuer_name", WARNING,
             "标题与落款中的发布机关名称一致",
             ("unit", "title", "sections.六"), "§6 N8 [L]", ""),
        Rule("narrative.self_reference", "self_reference", WARNING,
             "正文的自称（我镇、我局……）与发布机关的层级、类型一致",
             ("unit", "sections.*"), "§6 N8 [L]", "",
             {"words": SELF_REFERENCES}),
        Rule("narrative.overview_aspects", "keywords", WARNING,
             "一、总体情况涉及主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面",
             ("sections.一",), "§1.2; §6 N9", "一、总体情况",
             {"section": "一", "groups": OVERVIEW_ASPECTS}),
        Rule("narrative.overview_accountability", "keywords", WARNING,
             "人民政府的年报在一、总体情况（监督保障）中说明工作考核、社会评议和责任追究结果",
             ("unit", "sections.一"), "§1.1; §6 N9", "一、总体情况",
             {"section": "一", "groups": ACCOUNTABILITY, "unit_pattern": r"人民政府$"}),
        Rule("narrative.problems_and_measures", "keywords", WARNING,
             "五、存在的主要问题及改进情况既写问题也写改进措施",
             ("sections.五",), "§6 N10", "五、存在的主要问题及改进情况",
             {"section": "五", "groups": PROBLEMS_AND_MEASURES}),
        Rule("narrative.no_applications", "flag_implies_zero", ERROR,
             "正文称未收到政府信息公开申请时，表三总计列本年新收 = 0",
             ("narrative.no_applications", "table3.new_received.total"), "§6 N11",
             "正文称未收到政府信息公开申请，",
             {"flag": "narrative.no_applications", "cells": ("table3.new_received.total",)}),
        Rule("narrative.fee_category", "sentence_pattern", INFO,
             "正文不把表二的行政事业性收费（万元）称为信息处理费",
             ("sections.*",), "§6 N12", "",
             {"patterns": FEE_CATEGORY_PATTERNS,
              "message": "正文把行政事业性收费（万元）与信息处理费写在一起，二者不是同一项"}),
    ]
    return rules


def _structure_rules() -> list[Rule]:
    rules = [
        Rule(f"structure.section_present.{num}", "section_present", ERROR,
             f"报告有「{heading}」一节", ("sections_found",), "§1.1; §6 (SECTION_MISSING)",
             "", {"section": num}, issue_codes=("section_missing",))
        for num, heading in SECTIONS.items()
    ]
    rules.append(Rule(
        "structure.section_order", "section_order", WARNING, "六个部分按一至六的顺序排列",
        ("sections_found",), "§1.1", "", issue_codes=("section_order",)))
    rules += [
        Rule(f"structure.table_present.{table}", "table_present", ERROR,
             f"第{TABLE_SECTION[table]}部分有{cn}（表格至少有一个可读的数值，或解析器认出了表格）",
             (f"{table}.*",), "§6 (TABLE_MISSING)", "",
             {"table": table, "layout_2019_differs": ("table2", "table3")},
             issue_codes=("table_missing",))
        for table, cn in TABLE_CN.items()
    ]
    rules.append(Rule(
        "structure.table_readable", "issues", WARNING, "报告中的表格能逐格读出",
        (), "§3.3; data/reports/README (河北省科学技术厅)", "",
        {"pass": "解析器读出了报告中的表格"}, issue_codes=("table_unreadable", "cells_placed")))
    return rules


def _format_rules() -> list[Rule]:
    return [
        Rule("format.version", "format_version", ERROR,
             "2021 年及以后的年报使用 2021 年格式（国办公开办函〔2021〕30号），"
             "不用 2019 年试行格式",
             ("year", "format_version"), "§0 (FORMAT_OUTDATED); §7 E8",
             "", {"since": 2021}, issue_codes=("format_2019",)),
        Rule("format.header_text", "issues", WARNING,
             "表格的栏目文字与标准格式一致（空白、括号差异除外）",
             (), "§2.2; §6 (HEADER_TEXT_DEVIATES); §7 E13", "",
             {"pass": "表格栏目文字与标准格式一致"}, issue_codes=("header_text_deviates",)),
        Rule("format.fee_unit", "issues", WARNING,
             "表二行政事业性收费金额以万元填报",
             ("table2.fees_wan_yuan",), "§2.2 (UNIT_SUSPECT) [L]; §7 E14", "",
             {"pass": "未见收费金额单位异常"}, issue_codes=("unit_suspect",)),
    ]


def _cross_year_rules() -> list[Rule]:
    rules = []
    for col in TABLE3_COLUMNS:
        cn = TABLE3_COLUMN_CN[col]
        rules.append(_compare(
            f"cross_year.carried_over.{col}", ERROR,
            f"「{cn}」列：本年「上年结转」 = 上一年报告「结转下年度继续办理」", "§5.4 F3.XY",
            f"表三「{cn}」列：", "==", (f"table3.carried_over.{col}",),
            (f"previous.table3.carried_forward.{col}",), "本年上年结转", "上一年报告的结转下年度",
            needs_previous=True))
    for kind, cn in TABLE2_KIND_CN.items():
        rules.append(_compare(
            f"cross_year.in_force.{kind}", WARNING,
            f"「{cn}」：现行有效 = 上一年现行有效 + 本年制发 − 本年废止", "§5.3 F2.FLOW [M]",
            f"表二「{cn}」：", "==", (f"table2.{kind}.in_force",),
            (f"previous.table2.{kind}.in_force", f"table2.{kind}.made",
             f"-table2.{kind}.repealed"),
            "现行有效件数", "上年现行有效加本年制发减本年废止", needs_previous=True))
    return rules


def _parse_rules() -> list[Rule]:
    return [Rule(
        "parse.issue", "unclaimed_issues", WARNING,
        "解析器报告的、上表没有对应规则的其他问题（每个问题一条）",
        (), "parser (nlp.report.parser) ParseIssue", "")]


RULES: tuple[Rule, ...] = (
    *_structure_rules(), *_format_rules(),
    *_table2_rules(), *_table3_rules(), *_table4_rules(),
    *_cell_rules(), *_sanity_rules(),
    *_narrative_rules(), *_cross_year_rules(), *_parse_rules(),
)

# Parser issue codes and the rule that reports them; codes not listed go to parse.issue.
ISSUE_RULES: dict[str, str] = {
    code: rule.id for rule in RULES for code in rule.issue_codes
    if not rule.id.startswith(("structure.section_present.", "structure.table_present.",
                               "cell.present."))
} | {
    "section_missing": "structure.section_present.<section>",
    "table_missing": "structure.table_present.<table>",
    "blank_cell": "cell.present.<table>",
}
FALLBACK_ISSUE_RULE = "parse.issue"
