"""The parser as pure readers: issues routed by their structured fields, sections in order.

Every issue code a rule answers for must have a reader that produces it, shown here on
a real report (the example, edited the way real reports go wrong) rather than on a
hand-built :class:`ParseIssue`.
"""

from __future__ import annotations

import pytest

from nlp.readers.reports import Source
from nlp.report.findings import Status
from nlp.report.layout import section_headings, table_names
from nlp.report.model import ParseIssue
from nlp.report.parser import PRODUCERS, parse, parse_report
from nlp.report.rule_table import RULES, SECTIONS, TABLE_CN
from nlp.report.rules import evaluate

from .conftest import EXAMPLE, REPORTS

TEXT = EXAMPLE.read_text(encoding="utf-8")
S2, S3 = "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况"
S4 = "四、政府信息公开行政复议"


def _report(text: str):
    return parse_report(Source(text, [], "edited.txt", "text", "utf-8"))


def _swapped() -> str:
    """The example with sections 二 and 三 (and their tables) in each other's place."""
    i2, i3, i4 = TEXT.index(S2), TEXT.index(S3), TEXT.index(S4)
    return TEXT[:i2] + TEXT[i3:i4] + TEXT[i2:i3] + TEXT[i4:]


# One real input per issue code: the file, or the example edited as real reports go wrong.
PRODUCING_INPUTS = {
    "section_missing": lambda: parse(REPORTS / "missing_section.txt"),
    "section_order": lambda: _report(_swapped()),
    "header_text_deviates": lambda: parse(EXAMPLE),
    "table_missing": lambda: _report(TEXT[:TEXT.index(S3)]),
    "blank_cell": lambda: _report(TEXT.replace("\t0\t0\t0\t0\t0\t0\t0", "\t\t\t\t\t\t\t\t", 1)),
    "table_unreadable": lambda: _report(TEXT.replace("\t0\t0\t0\t0\t0\t0\t0", "\t10\t3", 1)),
    "format_2019": lambda: _report(TEXT.replace("本年制发件数", "本年新制作数量")),
    "unit_suspect": lambda: _report(TEXT.replace("（单位：万元）", "（单位：元）")),
    # 「170000017」: digits run together, split by the table's relations
    "cells_placed": lambda: parse(REPORTS / "河北省科学技术厅_2023.txt"),
    "total_approximate": lambda: _report(TEXT.replace("发布信息 74 条", "发布信息 70 余条", 1)),
    "total_cumulative": lambda: _report(TEXT.replace(
        "2023 年度在北关区人民政府网发布信息 74 条",
        "历年累计在北关区人民政府网发布信息 740 条", 1)),
}


def _routed_codes() -> set[str]:
    return {code for rule in RULES for code in rule.issue_codes}


def test_every_routed_issue_code_has_a_producer():
    produced = {code for codes in PRODUCERS.values() for code in codes}
    assert _routed_codes() <= produced, _routed_codes() - produced
    assert _routed_codes() <= set(PRODUCING_INPUTS)


@pytest.mark.parametrize("code", sorted(PRODUCING_INPUTS))
def test_each_issue_code_is_produced_by_a_real_input(code):
    report = PRODUCING_INPUTS[code]()
    issues = [i for i in report.issues if i.code == code]
    assert issues, [i.code for i in report.issues]
    # the reader that declares the code is the one that can produce it
    assert any(code in codes for codes in PRODUCERS.values())


def test_swapped_sections_fail_section_order_and_are_all_present():
    report = _report(_swapped())
    assert report.sections_found == ["一", "三", "二", "四", "五", "六"]
    findings = {f.rule: f for f in evaluate(report)}
    assert findings["structure.section_order"].status is Status.FAIL
    assert "一、三、二" in findings["structure.section_order"].message
    for num in "一二三四五六":
        assert findings[f"structure.section_present.{num}"].status is Status.PASS, num
    assert findings["structure.table_present.table3"].status is Status.PASS


def test_sections_in_order_pass_section_order():
    findings = {f.rule: f for f in evaluate(parse(EXAMPLE))}
    assert findings["structure.section_order"].status is Status.PASS


def test_issues_are_routed_by_table_not_by_their_words():
    report = parse(EXAMPLE)
    # a message naming 表三 but concerning table 二 says nothing about table 三
    report.table3 = {r: dict.fromkeys(c) for r, c in report.table3.items()}
    report.issues.append(ParseIssue("table_unreadable", "表三 (wording only)", table="table2"))
    by_rule = {f.rule: f for f in evaluate(report)}
    assert by_rule["structure.table_present.table3"].status is Status.FAIL
    report.issues[-1] = ParseIssue("table_unreadable", "any words", table="table3")
    by_rule = {f.rule: f for f in evaluate(report)}
    assert by_rule["structure.table_present.table3"].status is Status.PASS
    assert "无法逐格读出" in by_rule["structure.table_present.table3"].message


def test_names_are_the_layout_files():
    assert section_headings() == SECTIONS
    assert table_names() == TABLE_CN
    assert TABLE_CN == {"table2": "表二", "table3": "表三", "table4": "表四"}


def test_parse_report_is_pure():
    source = Source(TEXT, [], "x.txt", "text", "utf-8")
    first, second = parse_report(source).to_dict(), parse_report(source).to_dict()
    assert first == second
    assert source.text == TEXT
