"""Section 一 on the 121 real report openings of ``tests/data/openings`` (issue 14).

The expected figures are the hand reading in ``openings.jsonl`` (not the parser's
output); ``scripts/eval_openings.py`` prints the same measures. The floors here are
the issue's: the published total right (or rightly null) in at least 95% of the
reports, every complete split that does not add up flagged, no split that adds up
flagged, no traceback on any page text. Below them, literal reports pin each
phrasing rule the real set showed.
"""

from __future__ import annotations

import json

import pytest

from nlp.consistency import check
from nlp.readers.reports import Source
from nlp.report.findings import Status
from nlp.report.parser import parse_report

from .conftest import DATA

OPENINGS = DATA / "openings"
ROWS = [json.loads(line) for line in
        (OPENINGS / "openings.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
SPLIT_SUM = ("declared.split_sum", "declared.split_sum_unheaded")


def _source(text: str, path: str = "<literal>") -> Source:
    return Source(text=text, path=path, format="text", encoding="utf-8")


def _parse_row(row: dict):
    path = OPENINGS / f"{row['id']}.txt"
    report = parse_report(_source(path.read_text(encoding="utf-8"), str(path)))
    return report, check(report).findings


def _flagged(findings) -> bool:
    return any(f.rule in SPLIT_SUM and f.status is Status.FAIL for f in findings)


@pytest.fixture(scope="module")
def results():
    return {row["id"]: _parse_row(row) for row in ROWS}


def test_the_set_is_what_the_issue_asks():
    assert len(ROWS) >= 100
    assert len({r["province"] for r in ROWS}) >= 20
    assert all(r["url"].startswith("http") for r in ROWS)
    assert {p.stem for p in OPENINGS.glob("*.txt")} == {r["id"] for r in ROWS}


def test_no_page_text_raises(results):
    assert len(results) == len(ROWS)


def test_published_total_right_or_rightly_null_in_95_percent(results):
    right = [r["id"] for r in ROWS if results[r["id"]][0].total_published == r["total_published"]]
    wrong = sorted({r["id"] for r in ROWS} - set(right))
    assert len(right) / len(ROWS) >= 0.95, wrong


NOT_ADDING = [r for r in ROWS if r["split"] and r["split"]["complete"]
              and r["split"].get("adds_up") is False]
ADDING = [r for r in ROWS if r["split"] and r["split"].get("adds_up") is True]


@pytest.mark.parametrize("row", NOT_ADDING, ids=lambda r: r["id"])
def test_every_complete_split_that_does_not_add_up_is_flagged(row, results):
    report, findings = results[row["id"]]
    assert _flagged(findings), (report.split, report.total_published)


@pytest.mark.parametrize("row", ADDING, ids=lambda r: r["id"])
def test_no_split_that_adds_up_is_flagged(row, results):
    report, findings = results[row["id"]]
    assert not _flagged(findings), report.split


APPROXIMATE = [r for r in ROWS if r["total_approximate"]]


@pytest.mark.parametrize("row", APPROXIMATE, ids=lambda r: r["id"])
def test_an_approximate_total_is_null_with_a_finding(row, results):
    report, findings = results[row["id"]]
    assert report.total_published is None and report.total_approximate
    assert any(f.rule == "declared.total_countable" and f.status is Status.FAIL
               for f in findings)


def test_the_sets_counts_are_enough_to_measure():
    # The README's "What real reports look like" quotes these; the floors above mean
    # something only when each kind is present.
    assert len(NOT_ADDING) >= 5 and len(ADDING) >= 30 and len(APPROXIMATE) >= 5


# --- literal reports, one phrasing rule each ------------------------------------------

HEAD = "某某街道办事处2023年政府信息公开工作年度报告\n一、总体情况\n(一)主动公开\n"


def _literal(body: str):
    report = parse_report(_source(HEAD + body + "\n二、主动公开政府信息情况\n"))
    return report, check(report).findings


def _rule(findings, rule_id: str):
    return [f for f in findings if f.rule == rule_id]


def test_a_complete_column_split_that_does_not_add_up_is_an_error():
    report, findings = _literal("全年主动公开政府信息100条，其中工作动态60条，通知公告30条。")
    assert report.total_published == 100
    assert report.split.kind == "column" and report.split.complete
    assert report.split.items == {"工作动态": 60, "通知公告": 30}
    [f] = _rule(findings, "declared.split_sum")
    assert f.status is Status.FAIL and f.expected == 100 and f.actual == 90
    assert f.severity.value == "error"


def test_a_split_ending_in_deng_is_partial_and_reported_not_failed():
    report, findings = _literal("全年主动公开政府信息100条，其中工作动态60条、通知公告30条等。")
    assert report.split.complete is False
    assert not _rule(findings, "declared.split_sum")
    [f] = _rule(findings, "declared.split_partial")
    assert f.status is Status.NOT_ASSESSABLE and "等" in f.message


def test_parts_that_simply_follow_are_checked_with_less_weight():
    report, findings = _literal("我镇主动公开政府信息223条，工作动态113条，机构信息3条，"
                                "领导信息1条。")
    assert report.split is not None and not report.split_headed
    [f] = _rule(findings, "declared.split_sum_unheaded")
    assert f.status is Status.FAIL and f.severity.value == "warning"


def test_a_nested_split_is_checked_level_by_level():
    _, findings = _literal("主动公开政务信息100条，包括政府网站40条，微信公众号60条，"
                           "其中乡村振兴20条、党建30条。")
    results = _rule(findings, "declared.split_sum")
    assert [f.status for f in results] == [Status.PASS, Status.FAIL]
    assert results[1].expected == 60 and results[1].actual == 50


@pytest.mark.parametrize("phrase", ["共主动公开政府信息140余条", "发布各类信息四十余条",
                                    "主动公开政府信息约115条", "主动公开政府信息260余"])
def test_an_approximate_total_is_no_count(phrase):
    report, findings = _literal(phrase + "。")
    assert report.total_published is None and report.total_approximate
    assert [f.status for f in _rule(findings, "declared.total_countable")] == [Status.FAIL]


def test_a_cumulative_total_is_no_count():
    report, _ = _literal("历年累计主动公开政府信息809条。")
    assert report.total_published is None and report.total_approximate
    assert [i.code for i in report.issues if i.code.startswith("total_")] == ["total_cumulative"]


def test_the_years_own_count_beats_an_earlier_running_total():
    report, _ = _literal("2023年底，本单位累计主动公开政府信息921条，"
                         "2023新增的主动公开政府信息36条。")
    assert report.total_published == 36


@pytest.mark.parametrize(("phrase", "total"), [
    ("平台主动公开政府信息 87 条", 87), ("街道办主动公开6件", 6), ("主动公开政务文件11份", 11),
    ("通过网站公开2条信息", 2), ("全年公布政府信息12条", 12), ("全年主动公开政府信息1,136条", 1136),
])
def test_phrasings_and_measure_words(phrase, total):
    report, _ = _literal(phrase + "。")
    assert report.total_published == total


def test_a_total_stated_twice_must_agree_wherever_the_second_is():
    _, findings = _literal("全年主动公开政府信息74条。\n(三)平台建设\n全年共主动公开政府信息77条。")
    [f] = _rule(findings, "narrative.total_mentions_agree")
    assert f.status is Status.FAIL and (f.expected, f.actual) == (74, 77)


def test_numbers_that_are_something_else_are_not_totals():
    report, _ = _literal("收到依申请公开政府信息84件。所有主动公开的政府信息均在7个工作日内公开，"
                         "让每一条公开信息都经得起检验。其中政务网站公开信息102条。")
    assert report.total_published is None


def test_a_channels_count_is_not_the_total_when_another_is_stated():
    report, _ = _literal("微信公众号发布信息383条。主动公开政府信息4条。")
    assert report.total_published == 4


def test_a_split_restating_the_total_against_applications_is_no_split():
    report, _ = _literal("累计主动公开政府信息21条，其中主动公开21条，依申请公开0件。")
    assert report.total_published == 21 and report.split is None


def test_a_body_year_other_than_the_reports_is_flagged_exactly_where_read_by_hand(results):
    stale = {r["id"] for r in ROWS if r["title_year"] and r["data_year"]
             and r["title_year"] != r["data_year"]}
    flagged = {i for i, (_, findings) in results.items()
               if any(f.rule == "declared.body_year" and f.status is Status.FAIL
                      for f in findings)}
    assert stale and flagged == stale


def test_the_reviewers_report_shows_a_column_split_and_an_approximate_total():
    from nlp.render.html import render_html
    from nlp.render.markdown import render_markdown

    report = parse_report(_source(HEAD + "全年主动公开政府信息100条，其中工作动态60条，"
                                  "通知公告30条。\n二、主动公开政府信息情况\n"))
    md = render_markdown(check(report)).decode("utf-8")
    assert "## 主动公开条数与分项" in md and "工作动态 60、通知公告 30" in md
    assert "总数 100，分项合计 90" in md
    html = render_html(check(report)).decode("utf-8")
    assert '<section id="declared">' in html and "工作动态 60" in html
    approx = parse_report(_source(HEAD + "共主动公开政府信息140余条。\n"))
    assert "约数" in render_markdown(check(approx)).decode("utf-8")


def test_the_seeds_domain_split_adds_no_section_to_the_report():
    from nlp.render.markdown import render_markdown

    from .conftest import EXAMPLE
    text = EXAMPLE.read_text(encoding="utf-8")
    report = parse_report(_source(text, str(EXAMPLE)))
    assert report.split.kind == "domain" and report.split.complete
    assert "主动公开条数与分项" not in render_markdown(check(report)).decode("utf-8")


# --- reconciliation of what real reports declare --------------------------------------

def _classified(titles: list[str], domains: list[str], columns: list[str] | None = None):
    import numpy as np
    import pandas as pd

    from nlp.classifier.classify import Classification
    from nlp.labels import LABELS

    proba = np.zeros((len(titles), len(LABELS)))
    for i, d in enumerate(domains):
        proba[i, LABELS.index(d)] = 1.0
    frame = pd.DataFrame({"标题": titles})
    if columns is not None:
        frame["栏目"] = columns
    return Classification(frame, proba, "标题", office_column="栏目" if columns else None)


def test_a_column_split_is_reconciled_exactly_with_the_lists_column():
    report, _ = _literal("全年主动公开政府信息5条，其中工作动态3条，通知公告2条。")
    listing = _classified([f"通知{i}" for i in range(5)], ["其他"] * 5,
                          ["工作动态类", "工作动态", "工作动态", "通知公告", "领导信息"])
    found = {f.message: f for f in check(report, classification=listing).findings
             if f.rule == "reconcile.column_count"}
    statuses = sorted((f.expected, f.actual, f.status.value) for f in found.values())
    assert statuses == [(1, 2, "fail"), (3, 3, "pass")]


def test_without_a_domain_split_the_lists_domains_are_information_and_an_empty_one_is_flagged():
    from nlp.labels import DOMAINS

    report, _ = _literal("全年主动公开政府信息4条，其中工作动态2条，通知公告2条。")
    assert report.domains == {}
    listing = _classified(["a", "b", "c", "d"], ["救灾", "救灾", "社会救助", "其他"])
    findings = check(report, classification=listing).findings
    info = {f.cells[0].rsplit(".", 1)[1]: f.actual for f in findings
            if f.rule == "reconcile.domain_information"}
    empty = {f.cells[0].rsplit(".", 1)[1] for f in findings
             if f.rule == "reconcile.domain_empty" and f.status is Status.FAIL}
    assert info == {"救灾": 2, "社会救助": 1}
    assert empty == set(DOMAINS) - {"救灾", "社会救助"}


def test_thousands_of_statements_in_one_sentence_are_read():
    """Was quadratic (≈30 s) before the bound; `scripts/bench_parse.py` times such inputs."""
    def statements(n: int) -> str:
        return "，".join(f"主动公开政府信息{i}条" for i in range(n)) + "。"

    few, _ = _literal(statements(50))
    many, _ = _literal(statements(3000))
    # Only the first statements of a region are candidates: the rest change nothing.
    assert many.total_published == few.total_published
    assert many.total_mentions[:40] == few.total_mentions[:40]


def _office_findings(title: str, sentence: str):
    text = f"{title}\n一、总体情况\n(一)主动公开\n{sentence}\n二、主动公开政府信息情况\n"
    report = parse_report(_source(text))
    return report, [f for f in check(report).findings if f.rule == "declared.other_office"]


def test_another_offices_name_on_the_total_is_flagged():
    report, [f] = _office_findings("某县民政局2023年政府信息公开工作年度报告",
                                   "县发改局2023年主动公开政府信息10条。")
    assert report.unit.endswith("民政局") and f.status is Status.FAIL and f.actual == "县发改局"


def test_the_units_own_abbreviation_is_not_another_office():
    _, found = _office_findings("河口县卫生健康局2023年政府信息公开工作年度报告",
                                "县卫健委2023年主动公开政府信息10条。")
    assert found == []


def test_no_other_office_is_flagged_on_the_real_set(results):
    flagged = [i for i, (_, fs) in results.items()
               if any(f.rule == "declared.other_office" and f.status is Status.FAIL for f in fs)]
    assert flagged == []
