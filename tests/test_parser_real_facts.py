"""Facts of the real reports, read by hand from the sources (not from the parser's output).

The ``*.expected.json`` files beside the fixtures were first written from the parser's
own output and then checked in part; these assertions were read off the source files
themselves (``tests/data/reports/`` and its ``SOURCES.md``), so they check the parser
independently.
"""

from __future__ import annotations

from typing import Any

import pytest

from nlp.report.model import TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS
from nlp.report.parser import parse
from nlp.report.rules import evaluate

from .conftest import REPORTS

ZERO7 = [0] * 7
NONE7 = [None] * 7


def test_hongze_2023_table4_as_printed():
    # PDF page 4: "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"; narrative: 主动公开政府信息 1136 条.
    report = parse(REPORTS / "淮安市洪泽区人民政府_2023.pdf")
    assert report.total_published == 1136
    assert report.table4["review"] == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0,
                                       "total": 0}
    assert report.table4["litigation_direct"] == dict.fromkeys(
        ("upheld", "corrected", "other", "pending", "total"), 0)
    assert report.table4["litigation_after_review"] == {"upheld": 5, "corrected": 0,
                                                        "other": 0, "pending": 0, "total": 0}


def test_education_2023_table4_cells_one_per_line():
    # Lines 848-960: 6 1 0 0 7 | 0 0 0 0 0 | 6 1 0 0 7.
    report = parse(REPORTS / "河北省教育厅_2023.txt")
    assert [report.table4[g][c] for g in ("review", "litigation_direct",
                                          "litigation_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")] == \
        [6, 1, 0, 0, 7, 0, 0, 0, 0, 0, 6, 1, 0, 0, 7]


@pytest.mark.parametrize("year", [2020, 2022, 2023])
def test_hrss_tables_are_missing_not_zero(year):
    report = parse(REPORTS / f"河北省人力资源和社会保障厅_{year}.txt")
    assert all(report.table3[r][c] is None for r in TABLE3_ROWS for c in TABLE3_COLUMNS)
    assert "table_missing" in {i.code for i in report.issues}


@pytest.mark.parametrize("year", [2022, 2023])
def test_science_run_together_digits_are_not_guessed(year):
    report = parse(REPORTS / f"河北省科学技术厅_{year}.txt")
    unreadable = [i for i in report.issues if i.code == "table_unreadable"]
    assert unreadable
    named = {cell for i in unreadable for cell in i.cells}
    for cell in named:
        table, row, column = cell.split(".")
        if table == "table3":
            assert report.table3[row][column] is None, cell


@pytest.mark.parametrize("name", ["河北省工业和信息化厅_2020.txt", "河北省科学技术厅_2020.txt"])
def test_2020_reports_use_the_trial_format(name):
    report = parse(REPORTS / name)
    assert report.format_version == "2019"
    assert "format_2019" in {i.code for i in report.issues}


# --- the misses of the brief ------------------------------------------------------------

@pytest.mark.parametrize(("name", "unit"), [
    # line 2: 「2022年，省工业和信息化厅坚持…」; the only province named is 河北
    # (「《河北省实施…》」)
    ("河北省工业和信息化厅_2022.txt", "河北省工业和信息化厅"),
    # line 2: 「2023年，省工业和信息化厅坚持…」, 「《河北省实施…办法》」
    ("河北省工业和信息化厅_2023.txt", "河北省工业和信息化厅"),
    # line 2: 「2022年，河北省科学技术厅坚持…」
    ("河北省科学技术厅_2022.txt", "河北省科学技术厅"),
])
def test_unit_named_in_the_first_sentence(name, unit):
    assert parse(REPORTS / name).unit == unit


def test_industry_2023_says_no_fee_was_charged():
    # line 2, 六: 「2023年未向申请人收取政府信息公开信息处理费」
    report = parse(REPORTS / "河北省工业和信息化厅_2023.txt")
    assert report.narrative["fees_collected"] is False
    assert "未向申请人收取" in report.quotes["narrative.fees_collected"]
    findings = {f.rule: f for f in evaluate(report)}
    assert findings["narrative.fee_statement"].status.value == "pass"


@pytest.mark.parametrize(("name", "total"), [
    # line 2: 「发布各类政务信息4464条，其中,我厅制发的规范性文件1件、政策类文件8件、
    # 各类业务性文件283件,省人大代表建议和政协提案办理结果74件等」: kinds of document, not domains
    ("河北省工业和信息化厅_2023.txt", 4464),
    # line 6: 「主动公开政务信息664件。其中，文件类47件，公示公告85个，政策解读12个，其他事项520个」
    ("河北省教育厅_2022.txt", 664),
])
def test_a_split_by_kind_of_document_is_not_a_domain_split(name, total):
    report = parse(REPORTS / name)
    assert report.total_published == total
    assert report.domains == {}
    findings = {f.rule: f for f in evaluate(report)}
    assert findings["narrative.domains_sum"].status.value == "not_assessable"


def test_hrss_2023_applications_handled():
    # 一(二): 「2023年办理依申请公开文件数224件」
    report = parse(REPORTS / "河北省人力资源和社会保障厅_2023.txt")
    assert report.narrative["applications_new"] == 224


# --- every real report, read by hand ----------------------------------------------------
# Paths are those of the report JSON; table3.<row> and table4.<group> give the row as a list
# in column order. Unreadable cells (digits run together with more than one reading, a row
# with fewer cells than columns) are None: the parser must not guess them.

FACTS: dict[str, dict[str, Any]] = {
    "河北省工业和信息化厅_2020.txt": {
        # line 2: title 「河北省工业和信息化厅　　2020年政府信息公开工作年度报告」
        "unit": "河北省工业和信息化厅", "year": 2020,
        # 表二 columns 「本年新制作数量 本年新公开数量 对外公开总数量」: the 2019 trial format
        "format_version": "2019",
        # 一(四): 「2020年发布政务信息1000余条」 is approximate, not a count
        "total_published": None,
        # 一(五): 「2020年度我厅共受理依申请公开事项1件」; 「当年未发生因政府信息公开引发的行政
        # 复议或行政诉讼，未发生政府信息公开的收费情况」
        "narrative.applications_new": 1, "narrative.no_review_litigation": True,
        "narrative.fees_collected": False,
        # preamble: 「统计期限自2020年1月1日起至2020年12月31日止」
        "narrative.period_year": 2020,
        # 三: 「一、本年新收政府信息公开申请数量11」: two 1s in seven columns, place unknown
        "table3.new_received": NONE7, "table3.processed_total": NONE7,
        # 四 is a sentence, not a table: 「…未发生涉及政府信息公开的行政复议、行政诉讼案件」
        "table4.review": [None] * 5,
    },
    "河北省工业和信息化厅_2021.txt": {
        # line 2: 「河北省工业和信息化厅2021年度政府信息公开工作报告」
        "unit": "河北省工业和信息化厅", "year": 2021, "format_version": "2021",
        # 一(一): 「厅网站全年更新各类信息3400余条」 (approximate)
        "total_published": None,
        # 一(二): 「全年共收到信息公开申请4件，当年办结4件」; 六: 「2021年未收取信息处理费」
        "narrative.applications_new": 4, "narrative.applications_closed": 4,
        "narrative.fees_collected": False,
        # 二: 「规章000行政规范性文件5225…行政许可273…行政处罚54行政强制0…行政事业性收费739.0766」
        # (5225 reads as 5/2/25, 5/22/5 or 52/2/5)
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": None, "repealed": None, "in_force": None},
        "table2.licensing": 273, "table2.punishment": 54, "table2.coercion": 0,
        "table2.fees_wan_yuan": 739.0766,
        # 三: 「4000004」「3000003」「1000001」「（七）总计4000004」
        "table3.new_received": [4, 0, 0, 0, 0, 0, 4], "table3.carried_over": ZERO7,
        "table3.granted": [3, 0, 0, 0, 0, 0, 3], "table3.partly_granted": [1, 0, 0, 0, 0, 0, 1],
        "table3.processed_total": [4, 0, 0, 0, 0, 0, 4], "table3.carried_forward": ZERO7,
        # 四: 「000000000000000」
        "table4.review": [0] * 5, "table4.litigation_direct": [0] * 5,
        "table4.litigation_after_review": [0] * 5,
    },
    "河北省工业和信息化厅_2022.txt": {
        "unit": "河北省工业和信息化厅", "year": 2022,
        # 一(一): 「发布工作动态、通知公告、规范性文件、政策解读等各类信息3301篇」
        "total_published": 3301, "domains": {},
        # 一(二): 「全年共收到信息公开申请14件，当年办结14件」; 六: 「2022年未收取信息处理费」
        "narrative.applications_new": 14, "narrative.applications_closed": 14,
        "narrative.fees_collected": False,
        # 二: 「规章000行政规范性文件5426…行政许可194…行政处罚46行政强制0…行政事业性收费650.6」
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": None, "repealed": None, "in_force": None},
        "table2.licensing": 194, "table2.punishment": 46, "table2.coercion": 0,
        "table2.fees_wan_yuan": 650.6,
        # 三: 「121010014」 splits three ways whose six add up to the seventh; only
        # 12/1/0/1/0/0/14 agrees with the result rows (3+1+8 …) and the narrative's 14, so
        # the relations place it (issue cells_placed); 「3101005」「1000001」
        # 「80000008」 minus the next label's 「2.」 = 「8000008」
        "table3.new_received": [12, 1, 0, 1, 0, 0, 14],
        "table3.granted": [3, 1, 0, 1, 0, 0, 5],
        "table3.partly_granted": [1, 0, 0, 0, 0, 0, 1],
        "table3.unable_not_held": [8, 0, 0, 0, 0, 0, 8],
        "table3.processed_total": [12, 1, 0, 1, 0, 0, 14], "table3.carried_forward": ZERO7,
        # 四: 「100010000010001」
        "table4.review": [1, 0, 0, 0, 1], "table4.litigation_direct": [0] * 5,
        "table4.litigation_after_review": [1, 0, 0, 0, 1],
    },
    "河北省工业和信息化厅_2023.txt": {
        "unit": "河北省工业和信息化厅", "year": 2023,
        # 一(一): 「发布各类政务信息4464条」, split by kind of document only
        "total_published": 4464, "domains": {},
        # 一(二): 「政府信息公开申请10件，办结10件」; 一(一)/(三): 「我厅制发的规范性文件1件」
        # 「全年制发厅规范性文件1件、废止1件」; 六: 「未向申请人收取…信息处理费」
        "narrative.applications_new": 10, "narrative.applications_closed": 10,
        "narrative.normative_documents_made": 1, "narrative.fees_collected": False,
        # 二: 「规章000行政规范性文件1126…行政许可3189…行政处罚81行政强制0…
        # 行政事业性收费670.376375」 (1126: 1/1/26, 1/12/6 or 11/2/6)
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": None, "repealed": None, "in_force": None},
        "table2.licensing": 3189, "table2.punishment": 81, "table2.coercion": 0,
        "table2.fees_wan_yuan": 670.376375,
        # 三: 「81010010」 (8/1/0/1/0/0/10 or 81/0/1/0/0/1/0): only the first has six that
        # add up to the seventh (placed, issue cells_placed); 「3100004」「2000002」「3001004」
        "table3.new_received": [8, 1, 0, 1, 0, 0, 10],
        "table3.granted": [3, 1, 0, 0, 0, 0, 4],
        "table3.partly_granted": [2, 0, 0, 0, 0, 0, 2],
        "table3.unable_not_held": [3, 0, 0, 1, 0, 0, 4],
        "table3.processed_total": [8, 1, 0, 1, 0, 0, 10], "table3.carried_forward": ZERO7,
        # 四: 「000113000300011」
        "table4.review": [0, 0, 0, 1, 1], "table4.litigation_direct": [3, 0, 0, 0, 3],
        "table4.litigation_after_review": [0, 0, 0, 1, 1],
    },
    "河北省教育厅_2021.txt": {
        # line 5 「2021年，河北省教育厅坚持…」, line 967 signature; line 3 统计期限 2021
        "unit": "河北省教育厅", "year": 2021, "narrative.period_year": 2021,
        # line 6 lists 「政策文件58件、重要公告49条、各类要闻信息1000多条」: no total
        "total_published": None,
        # no application count in 一; line 966 六: 「无。」
        "narrative.applications_new": None, "narrative.fees_collected": None,
        # lines 35-129
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": 7, "repealed": 25, "in_force": 181},
        "table2.licensing": 5658, "table2.punishment": 19, "table2.coercion": 0,
        "table2.fees_wan_yuan": 1163.54,
        # lines 180-201; lines 206-224 give 上年结转 only six cells for seven columns
        "table3.new_received": [34, 1, 0, 0, 2, 0, 37], "table3.carried_over": NONE7,
        "table3.granted": [16, 0, 0, 0, 2, 0, 18],  # lines 235-256
        "table3.denied_third_party": [1, 0, 0, 0, 0, 0, 1],  # lines 368-389
        "table3.rejected_petition": [14, 1, 0, 0, 0, 0, 15],  # lines 582-603
        "table3.processed_total": [34, 1, 0, 0, 2, 0, 37],  # lines 793-814
        "table3.carried_forward": ZERO7,  # lines 819-840
        # lines 915-957
        "table4.review": [0] * 5, "table4.litigation_direct": [6, 0, 0, 0, 6],
        "table4.litigation_after_review": [2, 0, 0, 0, 2],
    },
    "河北省教育厅_2022.txt": {
        "unit": "河北省教育厅", "year": 2022,
        # line 6: 「主动公开政务信息664件」, then a split by kind of document
        "total_published": 664, "domains": {},
        # line 8: 「申请共44件，当年办结44件」; line 978 六: 「无。」
        "narrative.applications_new": 44, "narrative.applications_closed": 44,
        "narrative.fees_collected": None,
        # lines 43-137
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": 5, "repealed": 17, "in_force": 159},
        "table2.licensing": 6267, "table2.punishment": 0, "table2.coercion": 0,
        "table2.fees_wan_yuan": 465.74,
        "table3.new_received": [41, 2, 0, 0, 1, 0, 44],  # lines 189-210
        "table3.carried_over": ZERO7,  # lines 215-236
        "table3.granted": [24, 2, 0, 0, 1, 0, 27],  # lines 244-265
        "table3.partly_granted": [3, 0, 0, 0, 0, 0, 3],  # lines 270-291
        "table3.denied_security_stability": [1, 0, 0, 0, 0, 0, 1],  # lines 351-372
        "table3.denied_third_party": [2, 0, 0, 0, 0, 0, 2],  # lines 377-398
        "table3.unable_not_held": [2, 0, 0, 0, 0, 0, 2],  # lines 510-531
        "table3.unable_needs_creation": [1, 0, 0, 0, 0, 0, 1],  # lines 536-557
        "table3.unable_unclear": [1, 0, 0, 0, 0, 0, 1],  # lines 562-583
        "table3.rejected_petition": [5, 0, 0, 0, 0, 0, 5],  # lines 591-612
        "table3.other_overdue_correction": [2, 0, 0, 0, 0, 0, 2],  # lines 724-745
        "table3.processed_total": [41, 2, 0, 0, 1, 0, 44],  # lines 802-823
        "table3.carried_forward": ZERO7,  # lines 828-849
        # lines 925-967
        "table4.review": [2, 2, 0, 0, 4], "table4.litigation_direct": [0, 1, 0, 1, 2],
        "table4.litigation_after_review": [1, 0, 0, 0, 1],
    },
    "河北省教育厅_2023.txt": {
        "unit": "河北省教育厅", "year": 2023,
        # line 5 lists 「政策类文件89条、重要政策文件解读20条…」 without a total
        "total_published": None,
        # line 7: 「申请共19件，当年办结19件」; 六 (line 969) says nothing about fees
        "narrative.applications_new": 19, "narrative.applications_closed": 19,
        "narrative.fees_collected": None,
        # lines 39-133
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": 3, "repealed": 5, "in_force": 156},
        "table2.licensing": 7417, "table2.punishment": 1, "table2.coercion": 0,
        "table2.fees_wan_yuan": 397.619,
        "table3.new_received": [18, 1, 0, 0, 0, 0, 19],  # lines 182-203
        "table3.granted": [9, 0, 0, 0, 0, 0, 9],  # lines 237-258
        "table3.partly_granted": [2, 0, 0, 0, 0, 0, 2],  # lines 263-284
        "table3.denied_security_stability": [1, 0, 0, 0, 0, 0, 1],  # lines 344-365
        "table3.denied_third_party": [2, 1, 0, 0, 0, 0, 3],  # lines 370-391
        "table3.unable_not_held": [2, 0, 0, 0, 0, 0, 2],  # lines 503-524
        "table3.unable_needs_creation": [1, 0, 0, 0, 0, 0, 1],  # lines 529-550
        "table3.rejected_petition": [1, 0, 0, 0, 0, 0, 1],  # lines 584-605
        "table3.processed_total": [18, 1, 0, 0, 0, 0, 19],  # lines 795-816
    },
    "河北省科学技术厅_2020.txt": {
        # line 2: 「2020年以来，河北省科学技术厅深入贯彻…」
        "unit": "河北省科学技术厅", "year": 2020, "format_version": "2019",
        # 一(一): 「全年在厅门户网站主动公开各类文件信息316条」
        "total_published": 316,
        # 三: 「2020年未收到政府信息公开申请」; 四: 「2020年未发生…行政复议、行政诉讼案件」
        "narrative.no_applications": True, "narrative.applications_new": 0,
        "narrative.no_review_litigation": True,
        # no 六, so no fee statement; 三 and 四 are sentences, not tables
        "narrative.fees_collected": None,
        "table3.new_received": NONE7, "table4.review": [None] * 5,
    },
    "河北省科学技术厅_2021.txt": {
        "unit": "河北省科学技术厅", "year": 2021,
        # 一(一): 「各类信息4818篇」; 一(二): 「收到政府信息公开申请2件」;
        # 六: 「2021年未收取信息处理费」
        "total_published": 4818, "narrative.applications_new": 2,
        "narrative.fees_collected": False,
        # 二: 「规章000行政规范性文件81153…行政许可1689…行政处罚0行政强制第二十条…
        # 行政事业性收费0」: 81153 has several readings, 行政强制 is left blank
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": None, "repealed": None, "in_force": None},
        "table2.licensing": 1689, "table2.punishment": 0, "table2.coercion": None,
        "table2.fees_wan_yuan": 0,
        # 三: 「2000002」「1000001」「5.属于三类内部事务信息1000001」「（七）总计2000002」
        "table3.new_received": [2, 0, 0, 0, 0, 0, 2], "table3.granted": [1, 0, 0, 0, 0, 0, 1],
        "table3.denied_internal_affairs": [1, 0, 0, 0, 0, 0, 1],
        "table3.processed_total": [2, 0, 0, 0, 0, 0, 2],
        "table4.review": [0] * 5, "table4.litigation_after_review": [0] * 5,
    },
    "河北省科学技术厅_2022.txt": {
        "unit": "河北省科学技术厅", "year": 2022,
        # 一(一): 「各类信息5009篇」; 一(二): 「收到政府信息公开申请11件」;
        # 六: 「2022年未收取信息处理费」
        "total_published": 5009, "narrative.applications_new": 11,
        "narrative.fees_collected": False,
        # 二, cells separated by 「　　」: 规章 0 0 0, 行政规范性文件 13 8 49, 行政许可 1153,
        # 行政处罚 0, 行政强制 0, 行政事业性收费 0
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": 13, "repealed": 8, "in_force": 49},
        "table2.licensing": 1153, "table2.punishment": 0, "table2.coercion": 0,
        "table2.fees_wan_yuan": 0,
        # 三: 「110000011」「100000010」「（七）总计20000011」 each have two readings;
        # 「5.属于三类内部事务信息1000001」. The relations place 11/0/…/11 and 10/0/…/10
        # (the result rows add up to 11 natural persons; the narrative says 11); no split
        # of 「20000011」 has six that add up to the seventh, so 总计 stays unread
        "table3.new_received": [11, 0, 0, 0, 0, 0, 11],
        "table3.granted": [10, 0, 0, 0, 0, 0, 10], "table3.processed_total": NONE7,
        "table3.denied_internal_affairs": [1, 0, 0, 0, 0, 0, 1],
        "table4.review": [0] * 5,
    },
    "河北省科学技术厅_2023.txt": {
        "unit": "河北省科学技术厅", "year": 2023,
        # 一(一): 「各类信息4987篇」; 一(二): 「收到政府信息公开申请17件，办结率100%，无行政复议、
        # 诉讼等情况」 (a rate is not a count); 六: 「我厅未收取信息处理费」
        "total_published": 4987, "narrative.applications_new": 17,
        "narrative.applications_closed": None, "narrative.no_review_litigation": True,
        "narrative.fees_collected": False,
        # 二: 「规章000行政规范性文件1153…行政许可1029…行政处罚0行政强制0…行政事业性收费0」
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": None, "repealed": None, "in_force": None},
        "table2.licensing": 1029, "table2.punishment": 0, "table2.coercion": 0,
        "table2.fees_wan_yuan": 0,
        # 三: 「170000017」 three times (new, 予以公开, 总计): 17/0/…/17 is the only split
        # whose six add up to the seventh (placed, issue cells_placed)
        "table3.new_received": [17, 0, 0, 0, 0, 0, 17], "table3.granted": [17, 0, 0, 0, 0, 0, 17],
        "table3.processed_total": [17, 0, 0, 0, 0, 0, 17],
        "table3.carried_over": ZERO7, "table3.carried_forward": ZERO7,
        "table4.review": [0] * 5,
    },
    "河北省人力资源和社会保障厅_2020.txt": {
        # signature: 「河北省人力资源和社会保障厅2021年1月27日」
        "unit": "河北省人力资源和社会保障厅", "year": 2020,
        # 一(二): 「全年共受理政府信息公开申请78件」; 一(三): 「主动公开各类文件信息2100余条」;
        # 六: 「其他需要报告的事项无」
        "narrative.applications_new": 78, "total_published": None,
        "narrative.fees_collected": None,
    },
    "河北省人力资源和社会保障厅_2022.txt": {
        "unit": "河北省人力资源和社会保障厅", "year": 2022,
        # 一(二): 「全年共收到信息公开申请166件」; 六: 「2022年我厅未收取信息处理费」;
        # 一(一) 「共公开政策文件58件」 counts policy documents, not all published items
        "narrative.applications_new": 166, "narrative.fees_collected": False,
        "total_published": None,
    },
    "河北省人力资源和社会保障厅_2023.txt": {
        "unit": "河北省人力资源和社会保障厅", "year": 2023,
        # 一(二): 「2023年办理依申请公开文件数224件」; 六: 「2023年我厅未收取信息处理费」
        "narrative.applications_new": 224, "narrative.fees_collected": False,
        "total_published": None,
    },
    "淮安市洪泽区人民政府_2023.pdf": {
        # page 1: title 「洪泽区人民政府 2023 年…」, body 「淮安市洪泽区人民政府办公室」
        "unit": "淮安市洪泽区人民政府", "year": 2023,
        # page 1: 「主动公开政府信息1136条」, 「受理政府信息公开申请21件」
        "total_published": 1136, "narrative.applications_new": 21,
        # page 5: 「全年收取政府信息公开信息处理费 0 元」
        "narrative.fees_amount_yuan": 0, "narrative.fees_collected": False,
        # pages 2-3
        "table2.regulations": {"made": 0, "repealed": 0, "in_force": 0},
        "table2.normative_documents": {"made": 0, "repealed": 5, "in_force": 5},
        "table2.licensing": 550, "table2.punishment": 4119, "table2.coercion": 195,
        "table2.fees_wan_yuan": 7730.28,
        # pages 3-4
        "table3.new_received": [21, 0, 0, 0, 0, 0, 21], "table3.granted": ZERO7,
        "table3.partly_granted": [4, 0, 0, 0, 0, 0, 4],
        "table3.denied_state_secret": [1, 0, 0, 0, 0, 0, 1],
        "table3.denied_process_info": [1, 0, 0, 0, 0, 0, 1],
        "table3.denied_enforcement_file": [1, 0, 0, 0, 0, 0, 1],
        "table3.unable_not_held": [10, 0, 0, 0, 0, 0, 10],
        "table3.unable_needs_creation": [3, 0, 0, 0, 0, 0, 3],
        "table3.rejected_petition": [1, 0, 0, 0, 0, 0, 1],
        # page 4: 「（六）其他处理 0 0 0 0 0 0 0」, one row where the standard has three
        "table3.other_overdue_correction": NONE7, "table3.other_other": NONE7,
        "table3.processed_total": [21, 0, 0, 0, 0, 0, 21],
    },
}


def _value(report, path: str) -> Any:
    """The value at ``path``; a table 三/四 row as a list in column order."""
    data = report.to_dict()
    part, _, rest = path.partition(".")
    if part in ("table3", "table4") and rest:
        columns = TABLE3_COLUMNS if part == "table3" else TABLE4_COLUMNS
        return [data[part][rest][c] for c in columns]
    if part in ("total_published", "domains"):
        return data["declared"][part]
    node = data
    for key in path.split("."):
        node = node[key]
    return node


@pytest.mark.parametrize("name", sorted(FACTS))
def test_real_report_facts_read_by_hand(name):
    report = parse(REPORTS / name)
    wrong = {path: (expected, _value(report, path)) for path, expected in FACTS[name].items()
             if _value(report, path) != expected}
    assert not wrong, wrong


def test_every_real_report_has_hand_read_facts():
    # The real reports keep their names of unit and year; the generated fixtures are ASCII.
    real = {p.name for p in REPORTS.iterdir()
            if p.suffix in (".txt", ".pdf") and not p.name.isascii()}
    assert real == set(FACTS)
