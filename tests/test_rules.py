"""The rule engine on hand-built reports: every rule family passes on a consistent report
and fails on one changed cell; the example report's 77-vs-74 fails; real files via the
parser once it exists."""

from __future__ import annotations

import re

import pytest

from nlp.report.findings import Finding, Severity, Status
from nlp.report.model import (
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    ParseIssue,
    Report,
    TotalMention,
)
from nlp.report.parser import parse
from nlp.report.rule_table import TABLE2_CELLS
from nlp.report.rules import EVALUATORS, RULES, cell_name, evaluate

from .conftest import EXAMPLE, REPORTS, ROOT

PASS, FAIL, NA = Status.PASS, Status.FAIL, Status.NOT_ASSESSABLE
UNIT = "北关区红旗路街道办事处"
HEADING_RE = re.compile(r"^([一二三四五六])、", re.M)


def split_sections(text: str) -> dict[str, str]:
    """The body of each top-level section (test helper, a stand-in for the parser)."""
    marks, order = [], "一二三四五六"
    for m in HEADING_RE.finditer(text):  # table rows like 「四、结转下年度」 come out of order
        if order.index(m.group(1)) == len(marks):
            marks.append(m)
    return {m.group(1): text[m.end(): marks[i + 1].start() if i + 1 < len(marks) else None]
            for i, m in enumerate(marks)}


SECTIONS = split_sections(EXAMPLE.read_text(encoding="utf-8"))


def zero_report(**changes) -> Report:
    """A consistent 2023 report of a 街道: every cell 0, the example's text."""
    report = Report(
        source={"path": "test", "format": "text", "encoding": "utf-8"},
        unit=UNIT, year=2023, title=f"{UNIT} 2023 年政府信息公开工作年度报告",
        format_version="2021", sections_found=list("一二三四五六"),
        sections=dict(SECTIONS),
    )
    for path in TABLE2_CELLS:
        set_cell(report, path, 0)
    report.table3 = {r: dict.fromkeys(TABLE3_COLUMNS, 0) for r in TABLE3_ROWS}
    report.table4 = {g: dict.fromkeys(TABLE4_COLUMNS, 0) for g in TABLE4_GROUPS}
    report.narrative.update(applications_new=0, applications_carried_over=0,
                            applications_closed=0, applications_carried_forward=0,
                            fees_collected=False)
    for path, value in changes.items():
        set_cell(report, path, value)
    return report


def set_cell(report: Report, path: str, value) -> None:
    """Set ``table3.granted.total`` style paths on a report."""
    head, *rest = path.split(".")
    node = getattr(report, head)
    for part in rest[:-1]:
        node = node[part]
    node[rest[-1]] = value


def example_report() -> Report:
    """The example report as the parser should read it (built by hand until it exists)."""
    report = zero_report()
    report.total_published = 74
    report.domains = {"公共文化服务": 10, "安全生产": 8, "救灾": 24, "社会救助": 12,
                      "就业创业": 9, "养老服务": 11}
    report.total_mentions = [TotalMention(77, "一", "77 条主动公开信息都经相关主管领导审阅并填表")]
    report.quotes["declared.total_published"] = "我办 2023 年度在北关区人民政府网发布信息 74 条"
    report.issues.append(ParseIssue("header_text_deviates",
                                    "表二栏目「本年度止件数」应为「本年废止件数」",
                                    ["table2.regulations.repealed"], "本年度止件数"))
    return report


def by_rule(findings: list[Finding], rule_id: str) -> list[Finding]:
    found = [f for f in findings if f.rule == rule_id]
    assert found, f"no finding for {rule_id}"
    return found


def one(findings: list[Finding], rule_id: str) -> Finding:
    (f,) = by_rule(findings, rule_id)
    return f


def failed(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings if f.status is FAIL}


# --- the table itself -------------------------------------------------------------------

def test_rule_ids_are_unique_dotted_and_have_an_evaluator():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_一二三四五六]+)+", rule.id), rule.id
        assert rule.kind in EVALUATORS
        assert rule.formula and rule.source


def test_the_spec_relations_are_all_there():
    ids = {r.id for r in RULES}
    assert sum(i.startswith(("table3.result_sum.", "table3.balance.", "table3.row_total.",
                             "table4.sum.")) for i in ids) == 42
    assert {f"table3.result_sum.{c}" for c in TABLE3_COLUMNS} <= ids
    assert {f"table3.row_total.{r}" for r in TABLE3_ROWS} <= ids
    assert sum(i.startswith("cross_year.") for i in ids) == 9
    assert {"table2.lower_bound.regulations", "table2.lower_bound.normative_documents",
            "table2.no_regulations", "narrative.total_mentions_agree"} <= ids


def test_every_cell_a_rule_names_exists_in_the_report_shape():
    report = example_report()
    for rule in RULES:
        for cell in rule.cells:
            if "*" in cell or cell.startswith(("previous.", "sections")):
                continue
            report.value(cell)  # KeyError on a typo in the table


def test_a_consistent_report_has_no_failure():
    findings = evaluate(zero_report())
    assert failed(findings) == set()
    assert {f.rule for f in findings} <= {r.id for r in RULES}
    arithmetic = [f for f in findings if f.rule.startswith(("table3.", "table4.", "table2."))]
    assert arithmetic and all(f.status is PASS for f in arithmetic)


def test_findings_follow_the_contract_shape():
    for f in evaluate(example_report()):
        d = f.to_dict()
        assert d["status"] in {"pass", "fail", "not_assessable"}
        assert d["severity"] in {"error", "warning", "info"}
        assert isinstance(d["message"], str) and d["message"]
        assert isinstance(d["cells"], list)


# --- table 三 and 四 -------------------------------------------------------------------

def test_result_sum_fails_on_one_column():
    findings = evaluate(zero_report(**{"table3.granted.natural_person": 1,
                                       "table3.granted.total": 1}))
    f = one(findings, "table3.result_sum.natural_person")
    assert (f.status, f.severity, f.expected, f.actual) == (FAIL, Severity.ERROR, 1, 0)
    assert "table3.processed_total.natural_person" in f.cells
    assert one(findings, "table3.result_sum.commercial").status is PASS
    assert one(findings, "table3.row_total.granted").status is PASS


def test_balance_fails_when_received_is_not_processed():
    findings = evaluate(zero_report(**{"table3.new_received.research": 3,
                                       "table3.new_received.total": 3}))
    f = one(findings, "table3.balance.research")
    assert f.status is FAIL and f.expected == 3 and f.actual == 0
    assert "本年新收加上年结转 3" in f.message
    assert one(findings, "table3.balance.natural_person").status is PASS
    assert one(findings, "table3.row_total.new_received").status is PASS


def test_row_total_fails_when_the_total_column_is_wrong():
    findings = evaluate(zero_report(**{"table3.unable_not_held.total": 2}))
    f = one(findings, "table3.row_total.unable_not_held")
    assert f.status is FAIL and (f.expected, f.actual) == (0, 2)
    assert "「无法提供·本机关不掌握相关政府信息」行" in f.message


def test_a_balanced_busy_report_passes():
    changes = {}
    for col, received, granted, forward in (("natural_person", 5, 4, 1),
                                            ("commercial", 2, 1, 1), ("total", 7, 5, 2)):
        changes |= {f"table3.new_received.{col}": received, f"table3.granted.{col}": granted,
                    f"table3.processed_total.{col}": granted,
                    f"table3.carried_forward.{col}": forward}
    report = zero_report(**changes)
    report.narrative.update(applications_new=7, applications_closed=5,
                            applications_carried_forward=2)
    findings = evaluate(report)
    assert failed(findings) == set()
    assert one(findings, "narrative.applications.closed").message == (
        "办结申请：正文与表格一致，均为 5")


def test_hongze_2023_table4_totals_left_at_zero():
    report = zero_report(**{"table4.review.upheld": 2, "table4.review.other": 1,
                            "table4.litigation_after_review.upheld": 1})
    findings = evaluate(report)
    assert one(findings, "table4.sum.review").status is FAIL
    assert one(findings, "table4.sum.review").expected == 3
    assert one(findings, "table4.sum.litigation_after_review").status is FAIL
    assert one(findings, "table4.sum.litigation_direct").status is PASS


def test_a_blank_cell_is_not_assessable_not_a_failure():
    report = zero_report(**{"table3.granted.commercial": None})
    report.issues.append(ParseIssue("blank_cell", "表三单元格为空",
                                    ["table3.granted.commercial"], "(一) 予以公开 0 0  0"))
    findings = evaluate(report)
    for rid in ("table3.result_sum.commercial", "table3.row_total.granted"):
        f = one(findings, rid)
        assert f.status is NA and "「予以公开」行「商业企业」列" in f.message
    present = one(findings, "cell.present.table3")
    assert present.status is FAIL and present.cells == ["table3.granted.commercial"]
    assert present.text == "(一) 予以公开 0 0  0"
    assert failed(findings) == {"cell.present.table3"}


def test_sanity_checks_catch_more_processed_than_received():
    report = zero_report(**{"table3.granted.natural_person": 2,
                            "table3.processed_total.natural_person": 2,
                            "table3.carried_forward.natural_person": -2})
    findings = evaluate(report)
    assert one(findings, "table3.balance.natural_person").status is PASS
    f = one(findings, "table3.sanity.processed_le_available.natural_person")
    assert f.status is FAIL and f.severity is Severity.WARNING
    assert one(findings, "table3.sanity.nothing_to_process.natural_person").status is FAIL
    assert one(findings, "table3.sanity.forward_le_available.natural_person").status is PASS
    assert one(findings, "cell.non_negative.table3").status is FAIL


# --- cells ------------------------------------------------------------------------------

def test_cell_families():
    findings = evaluate(zero_report(**{"table4.review.pending": -1, "table3.granted.total": 1.5,
                                       "table2.fees_wan_yuan": 0.35}))
    neg = one(findings, "cell.non_negative.table4")
    assert neg.status is FAIL and neg.cells == ["table4.review.pending"]
    frac = one(findings, "cell.integer.table3")
    assert frac.status is FAIL and frac.cells == ["table3.granted.total"]
    assert one(findings, "cell.integer.table2").status is PASS  # 万元 may be a decimal
    assert one(findings, "cell.present.table2").status is PASS
    assert one(findings, "cell.non_negative.table2").status is PASS


# --- table 二 --------------------------------------------------------------------------

def test_lower_bound_of_documents_in_force():
    bad = evaluate(zero_report(**{"table2.normative_documents.made": 5,
                                  "table2.normative_documents.in_force": 2}))
    f = one(bad, "table2.lower_bound.normative_documents")
    assert f.status is FAIL and (f.expected, f.actual) == (5, 2)
    ok = evaluate(zero_report(**{"table2.normative_documents.made": 5,
                                 "table2.normative_documents.repealed": 4,
                                 "table2.normative_documents.in_force": 2}))
    assert one(ok, "table2.lower_bound.normative_documents").status is PASS


@pytest.mark.parametrize(("unit", "status"), [
    (UNIT, FAIL), ("淮安市洪泽区人民政府", FAIL), ("某县教育局", FAIL), ("某某镇人民政府", FAIL),
    ("河北省人民政府", PASS), ("广西壮族自治区人民政府", PASS), ("淮安市人民政府", PASS),
])
def test_no_regulations_for_units_without_rule_making_power(unit, status):
    report = zero_report(**{"table2.regulations.made": 1, "table2.regulations.in_force": 1})
    report.unit = unit
    f = one(evaluate(report), "table2.no_regulations")
    assert f.status is status and f.severity is Severity.WARNING


def test_no_regulations_passes_when_a_street_reports_none():
    assert one(evaluate(zero_report()), "table2.no_regulations").status is PASS


# --- narrative --------------------------------------------------------------------------

def test_example_77_against_74_fails_as_in_the_contract():
    findings = evaluate(example_report())
    f = one(findings, "narrative.total_mentions_agree")
    assert f.to_dict() == {
        "rule": "narrative.total_mentions_agree", "status": "fail", "severity": "error",
        "message": "一(三)称 77 条，一(一)称 74 条", "expected": 74, "actual": 77,
        "cells": ["declared.total_published", "declared.total_mentions[0]"],
        "text": "77 条主动公开信息都经相关主管领导审阅并填表"}
    assert one(findings, "narrative.domains_sum").status is PASS
    # the only failures: 77 vs 74, and the misspelt header 本年度止件数
    assert failed(findings) == {"narrative.total_mentions_agree", "format.header_text"}
    assert one(findings, "format.header_text").text == "本年度止件数"


def test_mentions_that_agree_pass():
    report = example_report()
    report.total_mentions = [TotalMention(74, "一", "74 条主动公开信息都经相关主管领导审阅并填表")]
    assert one(evaluate(report), "narrative.total_mentions_agree").status is PASS
    report.total_mentions = []
    assert one(evaluate(report), "narrative.total_mentions_agree").status is NA


def test_domains_must_add_up():
    report = example_report()
    report.domains["救灾"] = 20
    f = one(evaluate(report), "narrative.domains_sum")
    assert f.status is FAIL and (f.expected, f.actual) == (70, 74)
    report.domains = {}
    assert one(evaluate(report), "narrative.domains_sum").status is NA


def test_applications_in_the_narrative_against_table3():
    report = zero_report()
    report.narrative["applications_new"] = 3
    report.narrative["applications_closed"] = None
    findings = evaluate(report)
    f = one(findings, "narrative.applications.new")
    assert f.status is FAIL and (f.expected, f.actual) == (0, 3)
    assert f.message == "本年新收申请：正文称 3，表三总计列为 0"
    assert one(findings, "narrative.applications.closed").status is NA
    assert one(findings, "narrative.applications.carried_forward").status is PASS


def test_review_and_litigation_counts():
    report = zero_report(**{"table4.review.upheld": 1, "table4.review.total": 1})
    report.narrative.update(review_count=1, litigation_count=2)
    findings = evaluate(report)
    assert one(findings, "narrative.review_count").status is PASS
    assert one(findings, "narrative.litigation_count").status is FAIL
    report.narrative["no_review_litigation"] = True
    f = one(evaluate(report), "narrative.no_review_litigation")
    assert f.status is FAIL and "表四「行政复议」「结果维持」 1" in f.message
    clean = zero_report()
    clean.narrative["no_review_litigation"] = True
    assert one(evaluate(clean), "narrative.no_review_litigation").status is PASS
    assert one(evaluate(zero_report()), "narrative.no_review_litigation").status is NA


def test_narrative_regulation_counts_against_table2():
    report = zero_report(**{"table2.regulations.made": 5})
    report.narrative.update(regulations_made=5, normative_documents_made=3)
    findings = evaluate(report)
    assert one(findings, "narrative.regulations_made").status is PASS
    assert one(findings, "narrative.normative_documents_made").status is FAIL


def test_fee_statement_and_fees_without_applications():
    report = zero_report()
    assert one(evaluate(report), "narrative.fee_statement").status is PASS
    report.narrative["fees_collected"] = None
    assert one(evaluate(report), "narrative.fee_statement").status is FAIL
    report.narrative.update(fees_collected=True, fees_amount_yuan=400)
    f = one(evaluate(report), "narrative.fee_without_applications")
    assert f.status is FAIL and f.severity is Severity.ERROR and "400 元" in f.message
    busy = zero_report(**{"table3.new_received.natural_person": 1,
                          "table3.new_received.total": 1})
    busy.narrative.update(fees_collected=True, fees_amount_yuan=400)
    assert one(evaluate(busy), "narrative.fee_without_applications").status is PASS


def test_unpaid_fee_rows_give_an_info_note():
    assert one(evaluate(zero_report()), "narrative.fee_unpaid_notice").status is PASS
    report = zero_report(**{"table3.other_overdue_fee.natural_person": 1,
                            "table3.other_overdue_fee.total": 1})
    f = one(evaluate(report), "narrative.fee_unpaid_notice")
    assert f.status is FAIL and f.severity is Severity.INFO and f.actual == 1


def test_year_of_title_and_statistics_period():
    report = zero_report()
    report.narrative["period_year"] = 2023
    assert one(evaluate(report), "narrative.year_consistent").status is PASS
    report.narrative["period_year"] = 2022
    report.quotes["narrative.period_year"] = "本报告中所列数据统计期限为2022年1月1日至12月31日"
    f = one(evaluate(report), "narrative.year_consistent")
    assert f.status is FAIL and (f.expected, f.actual) == (2023, 2022)
    assert f.text.startswith("本报告中所列数据")


def test_stray_year_in_the_body():
    assert one(evaluate(zero_report()), "narrative.stray_year").status is PASS
    report = zero_report()
    report.sections["五"] = "2022年，我街道政务公开工作存在一些问题。下一步，将加强培训。"
    f = one(evaluate(report), "narrative.stray_year")
    assert f.status is FAIL and f.actual == [2022] and f.text == "2022年"
    report.sections["五"] = ("我街道发布信息较2022年增加10条，依据《2019年工作要点》，"
                            "自2019年以来持续推进。2024年将加强培训。")
    assert one(evaluate(report), "narrative.stray_year").status is PASS


def test_issuer_name_and_self_reference():
    findings = evaluate(zero_report())
    assert one(findings, "narrative.issuer_name").status is PASS
    assert one(findings, "narrative.self_reference").status is PASS
    report = zero_report()
    report.title = "某某镇人民政府 2023 年政府信息公开工作年度报告"
    assert one(evaluate(report), "narrative.issuer_name").status is FAIL
    report = zero_report()
    report.sections["六"] = SECTIONS["六"].rstrip() + "\n北关区民政局\n"
    assert one(evaluate(report), "narrative.issuer_name").status is FAIL
    report = zero_report()
    report.sections["一"] += "我镇政务公开工作稳步推进。"
    f = one(evaluate(report), "narrative.self_reference")
    assert f.status is FAIL and f.actual == ["我镇"] and f.text == "我镇政务公开工作稳步推进"


def test_overview_covers_five_aspects():
    report = zero_report()
    report.sections["一"] = "(一) 主动公开方面。发布信息 74 条。(二) 依申请公开方面。无。"
    f = one(evaluate(report), "narrative.overview_aspects")
    assert f.status is FAIL and f.actual == ["政府信息管理", "平台建设", "监督保障"]
    del report.sections["一"]
    assert one(evaluate(report), "narrative.overview_aspects").status is NA


def test_government_reports_mention_accountability():
    assert one(evaluate(zero_report()), "narrative.overview_accountability").status is PASS
    report = zero_report()
    report.unit = "淮安市洪泽区人民政府"
    report.title = "淮安市洪泽区人民政府2023年政府信息公开工作年度报告"
    report.sections["一"] = "主动公开、依申请公开、政府信息管理、平台建设、监督保障都做得很好。"
    assert one(evaluate(report), "narrative.overview_accountability").status is FAIL
    report.sections["一"] += "将政务公开纳入绩效考核。"
    assert one(evaluate(report), "narrative.overview_accountability").status is PASS


def test_section_five_has_problems_and_measures():
    assert one(evaluate(zero_report()), "narrative.problems_and_measures").status is PASS
    report = zero_report()
    report.sections["五"] = "一是信息主动公开不积极。二是人员业务不够熟练。"
    f = one(evaluate(report), "narrative.problems_and_measures")
    assert f.status is FAIL and f.actual == ["改进措施"]


def test_no_applications_statement_against_table3():
    report = zero_report(**{"table3.new_received.natural_person": 2,
                            "table3.new_received.total": 2})
    report.narrative["no_applications"] = True
    assert one(evaluate(report), "narrative.no_applications").status is FAIL
    clean = zero_report()
    clean.narrative["no_applications"] = True
    assert one(evaluate(clean), "narrative.no_applications").status is PASS


def test_fee_category_error():
    assert one(evaluate(zero_report()), "narrative.fee_category").status is PASS
    report = zero_report()
    report.sections["六"] = "本年度收取信息处理费 0.35 万元。"
    f = one(evaluate(report), "narrative.fee_category")
    assert f.status is FAIL and f.severity is Severity.INFO
    assert f.text == "本年度收取信息处理费 0.35 万元"


# --- structure, format, parser issues --------------------------------------------------

def test_missing_section_and_order():
    report = zero_report()
    report.sections_found = ["一", "二", "四", "三", "五"]
    report.issues.append(ParseIssue("section_missing", "未找到第六部分", [], "六、"))
    findings = evaluate(report)
    f = one(findings, "structure.section_present.六")
    assert f.status is FAIL and "六、其他需要报告的事项" in f.message
    assert one(findings, "structure.section_present.三").status is PASS
    assert one(findings, "structure.section_order").status is FAIL
    assert one(evaluate(zero_report()), "structure.section_order").status is PASS


def test_missing_table_makes_its_rules_not_assessable():
    report = zero_report()
    report.table3 = {r: dict.fromkeys(TABLE3_COLUMNS) for r in TABLE3_ROWS}
    findings = evaluate(report)
    assert one(findings, "structure.table_present.table3").status is FAIL
    assert one(findings, "structure.table_present.table4").status is PASS
    assert one(findings, "cell.present.table3").status is NA
    table3 = [f for f in findings if f.rule.startswith("table3.")]
    assert len(table3) == 39 + 21 and all(f.status is NA for f in table3)
    assert failed(findings) == {"structure.table_present.table3"}


def test_an_unreadable_table_is_present_but_flagged():
    report = zero_report()
    report.table3 = {r: dict.fromkeys(TABLE3_COLUMNS) for r in TABLE3_ROWS}
    report.issues.append(ParseIssue("table_unreadable", "表三的数字连在一起，无法分格",
                                    ["table3"], "一、本年新收政府信息公开申请数量 00000000"))
    findings = evaluate(report)
    assert one(findings, "structure.table_present.table3").status is PASS
    f = one(findings, "structure.table_readable")
    assert f.status is FAIL and f.cells == ["table3"] and f.text.endswith("00000000")


@pytest.mark.parametrize(("year", "version", "status"), [
    (2021, "2019", FAIL), (2023, "2019", FAIL), (2020, "2019", PASS), (2023, "2021", PASS),
    (2023, None, NA),
])
def test_format_version(year, version, status):
    report = zero_report()
    report.year, report.format_version = year, version
    report.title = None
    assert one(evaluate(report), "format.version").status is status


def test_format_2019_issue_alone_is_enough():
    report = zero_report()
    report.format_version = None
    report.issues.append(ParseIssue("format_2019", "表二有第二十条第（九）项", [], "政府集中采购"))
    f = one(evaluate(report), "format.version")
    assert f.status is FAIL and f.text == "政府集中采购"


def test_unknown_issue_codes_fall_back_to_parse_issue():
    assert not [f for f in evaluate(zero_report()) if f.rule == "parse.issue"]
    report = zero_report()
    report.issues.append(ParseIssue("split_cell", "两个相邻数字可能是一个两位数",
                                    ["table3.granted.natural_person"], "1 2"))
    f = one(evaluate(report), "parse.issue")
    assert f.status is FAIL and "split_cell" in f.message and f.text == "1 2"


def test_every_parser_issue_reaches_the_reviewer_once():
    report = zero_report()
    report.year = 2020
    report.format_version = "2019"
    report.table3 = {r: dict.fromkeys(TABLE3_COLUMNS) for r in TABLE3_ROWS}
    report.issues += [
        ParseIssue("format_2019", "表二使用2019年试行格式的栏目", [], "本年新制作数量"),
        ParseIssue("table_missing", "未找到表四", ["table4"], None),
        ParseIssue("section_missing", "未找到第三部分", [], "三"),
    ]
    report.table4 = {g: dict.fromkeys(TABLE4_COLUMNS) for g in TABLE4_GROUPS}
    findings = evaluate(report)
    # a 2020 report in the 2019 format is right, and says so
    assert one(findings, "format.version").status is PASS
    assert "2019" in one(findings, "format.version").message
    assert one(findings, "structure.table_present.table3").status is NA  # 2019 layout
    assert one(findings, "structure.table_present.table4").status is FAIL
    # the section is in sections_found, so the parser's claim is passed on, not lost
    f = one(findings, "parse.issue")
    assert "section_missing" in f.message and f.text == "三"


def test_a_2019_signature_in_a_2021_table_fails_the_version():
    report = zero_report()
    report.issues.append(ParseIssue("format_2019", "表三「（六）其他处理」为单行",
                                    ["table3.other_overdue_correction.total"], "（六）其他处理"))
    report.table3["other_overdue_correction"]["total"] = None
    findings = evaluate(report)
    f = one(findings, "format.version")
    assert f.status is FAIL and "为单行" in f.message
    assert "有表格仍按 2019 年试行格式" in f.message  # the rest of the tables are 2021's
    assert one(findings, "cell.present.table3").status is PASS  # explained by format.version
    assert not [f for f in findings if f.rule == "parse.issue"]


def test_the_measure_word_of_the_report_is_kept():
    report = example_report()
    report.total_mentions = [TotalMention(1566, "一", "全年发布信息1566篇")]
    f = one(evaluate(report), "narrative.total_mentions_agree")
    assert f.message.startswith("一称 1566 篇") and f.message.endswith("74 条")


def test_title_may_omit_the_city_prefix():
    report = zero_report()
    report.unit = "淮安市洪泽区人民政府"
    report.title = "洪泽区人民政府2023年政府信息公开工作年度报告"
    assert one(evaluate(report), "narrative.issuer_name").status is PASS


# --- cross-year -------------------------------------------------------------------------

def test_cross_year_rules_run_only_with_previous():
    assert not [f for f in evaluate(zero_report()) if f.rule.startswith("cross_year.")]
    previous = zero_report(**{"table3.carried_forward.natural_person": 2,
                              "table3.carried_forward.total": 2,
                              "table2.normative_documents.in_force": 10})
    previous.year = 2022
    current = zero_report(**{"table2.normative_documents.made": 3,
                             "table2.normative_documents.repealed": 1,
                             "table2.normative_documents.in_force": 12})
    findings = evaluate(current, previous)
    f = one(findings, "cross_year.carried_over.total")
    assert f.status is FAIL and f.severity is Severity.ERROR and (f.expected, f.actual) == (2, 0)
    assert "previous.table3.carried_forward.total" in f.cells
    assert one(findings, "cross_year.carried_over.commercial").status is PASS
    assert one(findings, "cross_year.in_force.normative_documents").status is PASS
    flow = one(findings, "cross_year.in_force.regulations")
    assert flow.status is PASS and flow.severity is Severity.WARNING
    current.table2["normative_documents"]["in_force"] = 11
    f = one(evaluate(current, previous), "cross_year.in_force.normative_documents")
    assert f.status is FAIL and f.severity is Severity.WARNING


def test_cross_year_needs_the_year_before():
    previous = zero_report()
    previous.year = 2021
    findings = evaluate(zero_report(), previous)
    cross = [f for f in findings if f.rule.startswith("cross_year.")]
    assert len(cross) == 9 and all(f.status is NA for f in cross)


def test_cell_names_read_like_the_report():
    assert cell_name("table2.regulations.made") == "表二「规章·本年制发件数」"
    assert cell_name("declared.total_published") == "一(一)主动公开条数"


# --- through the parser -----------------------------------------------------------------

def test_parsed_example_report():
    path = ROOT / "tests" / "data" / "reports" / "example-report.txt"
    findings = evaluate(parse(path))
    arithmetic = [f for f in findings if f.rule.startswith(
        ("table3.result_sum.", "table3.balance.", "table3.row_total.", "table4.sum."))]
    assert len(arithmetic) == 42 and all(f.status is PASS for f in arithmetic)
    f = one(findings, "narrative.total_mentions_agree")
    assert f.status is FAIL and (f.expected, f.actual) == (74, 77)


def test_parsed_hongze_2023_table4():
    findings = evaluate(parse(REPORTS / "淮安市洪泽区人民政府_2023.pdf"))
    assert one(findings, "table4.sum.review").status is FAIL
    assert one(findings, "table4.sum.litigation_after_review").status is FAIL
