"""Renderers: JSON, Markdown, HTML and XLSX of one realistic check result."""

from __future__ import annotations

import html
import json
import re
from io import BytesIO

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from nlp.classifier.classify import Classification
from nlp.consistency import CheckResult
from nlp.errors import InputError
from nlp.labels import LABELS, OTHER
from nlp.reconcile.domains import reconcile
from nlp.render import FORMATS, format_for_path, render
from nlp.report.findings import Finding, Severity, Status
from nlp.report.model import Report, TotalMention

# Titles in the style of a 街道 office's notice list, by the domain a reader would give them.
TITLES: dict[str, list[str]] = {
    "公共文化服务": ["红旗路街道综合文化站免费开放时间公告",
                 "关于举办2023年社区广场舞展演活动的通知",
                 "街道图书室暑期开放安排", "“我们的节日·端午”主题文化活动预告",
                 "社区书法培训班招生公告"],
    "安全生产": ["关于开展2023年安全生产月活动的通知", "辖区九小场所消防安全检查结果公示",
             "燃气安全专项整治工作方案", "关于做好汛期安全生产工作的通知"],
    "救灾": ["红旗路街道2023年防汛应急预案", "关于发放冬春救助物资的公示",
           "应急避难场所分布及位置公告", "综合减灾示范社区创建情况公示",
           "关于做好防范强降雨工作的紧急通知", "受灾群众过渡期生活救助名单公示"],
    "社会救助": ["2023年第二季度城乡低保对象名单公示", "特困人员救助供养审批结果公示",
             "临时救助办事指南", "关于调整最低生活保障标准的通知"],
    "就业创业": ["红旗路街道2023年春风行动招聘会公告", "公益性岗位招聘公告",
             "创业担保贷款政策问答", "就业失业登记办事指南"],
    "养老服务": ["80周岁以上高龄津贴发放名单公示", "社区老年食堂运营情况公告",
             "居家养老服务补贴申请指南", "养老机构安全检查结果公示"],
    OTHER: ["街道党工委理论学习中心组学习安排", "关于2023年度部门预算公开的说明"],
}
# How many notices of each domain the list holds (77 rows, as 一(三) says).
COUNTS = {"公共文化服务": 10, "安全生产": 8, "救灾": 25, "社会救助": 12, "就业创业": 9,
          "养老服务": 11, OTHER: 2}


def sample_classification(seed: int = 7) -> Classification:
    """A classified notice list of 77 rows with office labels and dates, seeded."""
    rng = np.random.default_rng(seed)
    truth, titles = [], []
    for domain, n in COUNTS.items():
        for i in range(n):
            pool = TITLES[domain]
            batch = "" if i < len(pool) else f"（第{i // len(pool) + 1}批）"
            titles.append(pool[i % len(pool)] + batch)
            truth.append(domain)
    order = rng.permutation(len(titles))
    truth = [truth[i] for i in order]
    titles = [titles[i] for i in order]
    titles[5] = titles[4]  # a duplicate, as real lists have
    titles[6] = '关于<script>alert("x")</script>的通知 | 测试 & 转义'
    proba = rng.dirichlet(np.full(len(LABELS), 0.4), size=len(titles))
    proba[np.arange(len(titles)), [LABELS.index(t) for t in truth]] += 1.6
    proba /= proba.sum(axis=1, keepdims=True)
    top = proba.argmax(axis=1)
    domain = [LABELS[i] for i in top]
    second = [LABELS[i] for i in np.argsort(-proba, axis=1)[:, 1]]
    office = list(truth)
    office[10] = "社会救助" if truth[10] != "社会救助" else "救灾"
    dates = [f"2023-{1 + i % 12:02d}-{1 + i % 27:02d}" for i in range(len(titles))]
    dates[11] = "2022年12月28日"
    frame = pd.DataFrame({
        "标题": titles, "发布日期": dates, "栏目": office,
        "domain": domain, "confidence": proba.max(axis=1), "second_domain": second,
        "needs_review": proba.max(axis=1) < 0.6,
        "office_domain": office, "office_agrees": [d == o for d, o in zip(domain, office,
                                                                           strict=True)],
    })
    return Classification(frame, proba, "标题", office_column="栏目", date_column="发布日期",
                          source={"path": "notices-2023.csv", "format": "csv",
                                  "encoding": "utf-8"})


def sample_report() -> Report:
    return Report(
        source={"path": "example-report.txt", "format": "text", "encoding": "utf-8"},
        unit="北关区红旗路街道办事处", year=2023,
        title="北关区红旗路街道办事处 2023 年政府信息公开工作年度报告",
        sections_found=["一", "二", "三", "四", "五", "六"], total_published=74,
        domains={"公共文化服务": 10, "安全生产": 8, "救灾": 24, "社会救助": 12, "就业创业": 9,
                 "养老服务": 11},
        total_mentions=[
            TotalMention(74, "一", "我办 2023 年度在北关区人民政府网发布信息 74 条"),
            TotalMention(77, "一", "77 条主动公开信息都经相关主管领导审阅并填表"),
        ],
    )


def sample_findings() -> list[Finding]:
    return [
        Finding("narrative.total_mentions_agree", Status.FAIL, Severity.ERROR,
                "一(三)称 77 条，一(一)称 74 条", expected=74, actual=77,
                cells=["declared.total_published", "declared.total_mentions[1]"],
                text="77 条主动公开信息都经相关主管领导审阅并填表"),
        Finding("table2.header_text", Status.FAIL, Severity.WARNING,
                "表二表头「本年度止件数」与标准文字「本年废止件数」不同",
                cells=["table2.regulations.repealed"], text="本年度止件数"),
        Finding("table3.balance.total", Status.PASS, Severity.ERROR,
                "第一项加第二项之和等于第三项加第四项之和", expected=0, actual=0,
                cells=["table3.new_received.total", "table3.carried_over.total"]),
        Finding("table4.sum.review", Status.NOT_ASSESSABLE, Severity.ERROR,
                "表四 行政复议 总计缺失", cells=["table4.review.total"]),
        Finding("test.escaping", Status.FAIL, Severity.INFO,
                "含有 <b>标记</b> | 竖线\n与换行 & 符号", cells=["unit"],
                text="<img src=x onerror=alert(1)>"),
    ]


def sample_result(with_notices: bool = True) -> CheckResult:
    report = sample_report()
    findings = sample_findings()
    if not with_notices:
        return CheckResult(report, findings)
    c = sample_classification()
    rec = reconcile(report, c)
    return CheckResult(report, findings + rec.findings, rec, c)


@pytest.fixture(scope="module")
def result() -> CheckResult:
    return sample_result()


def failed_rules(result: CheckResult) -> list[tuple[str, str]]:
    return sorted((f.rule, f.message) for f in result.findings if f.status is Status.FAIL)


# ---------------------------------------------------------------- dispatch


def test_format_for_path_and_unknown_format():
    assert [format_for_path(p) for p in ("a.html", "b.HTM", "c.md", "d.json", "e.xlsx")] == [
        "html", "html", "md", "json", "xlsx"]
    assert format_for_path("x.csv") is None and format_for_path("-") is None
    with pytest.raises(InputError) as err:
        render(sample_result(False), "pdf")
    assert err.value.place == "--format"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("with_notices", [True, False])
def test_every_format_renders_with_and_without_notices(fmt, with_notices):
    out = render(sample_result(with_notices), fmt)
    assert isinstance(out, bytes) and len(out) > 200


# ---------------------------------------------------------------- JSON


def test_json_follows_the_contract(result):
    data = json.loads(render(result, "json").decode("utf-8"))
    assert data["schema"] == "disclosure.check/1"
    assert {"schema", "report", "findings", "reconciliation"} <= set(data)
    assert data["report"]["schema"] == "disclosure.report/1"
    assert data["report"]["declared"]["total_published"] == 74
    for f in data["findings"]:
        assert {"rule", "status", "severity", "message", "expected", "actual", "cells"} <= set(f)
        assert f["status"] in ("pass", "fail", "not_assessable")
    keys = {"domain", "declared", "predicted", "expected", "interval", "status", "notices",
            "reason"}
    assert len(data["reconciliation"]) == 6
    for r in data["reconciliation"]:
        assert set(r) - {"office"} == keys
        assert r["status"] in ("consistent", "suspect", "inconsistent")
        lo, hi = r["interval"]
        assert isinstance(lo, int) and lo <= hi
        assert all(isinstance(i, int) and 0 <= i < 77 for i in r["notices"])
    assert data == json.loads(json.dumps(result.to_dict(), default=lambda o: o.item()))
    assert "北关区红旗路街道办事处" in render(result, "json").decode("utf-8")  # not \u-escaped


def test_json_without_notices_has_no_reconciliation():
    data = json.loads(render(sample_result(False), "json"))
    assert "reconciliation" not in data


# ---------------------------------------------------------------- Markdown


def _md_findings(md: str) -> list[tuple[str, str]]:
    section = md.split("## 发现的问题", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if not line.startswith("| ") or line.startswith("| 严重程度"):
            continue
        cells = re.split(r"(?<!\\)\|", line.strip()[1:-1])
        assert len(cells) == 5, line
        rule = cells[1].strip().strip("`")
        message = html.unescape(cells[2].strip().replace("\\|", "|").replace("<br>", "\n"))
        rows.append((rule, message))
    return sorted(rows)


def test_markdown_has_the_same_failed_findings_as_json(result):
    md = render(result, "md").decode("utf-8")
    data = json.loads(render(result, "json"))
    from_json = sorted((f["rule"], f["message"]) for f in data["findings"]
                       if f["status"] == "fail")
    assert _md_findings(md) == from_json == failed_rules(result)
    assert "## 领域条数核对" in md and "| 救灾 | 24 |" in md
    assert "table4.sum.review" in md.split("## 无法判断的检查", 1)[1]
    c_err = sum(f["severity"] == "error" for f in data["findings"] if f["status"] == "fail")
    assert f"错误 **{c_err}** 项" in md
    # markup in a message is shown as text, not passed through as HTML
    assert "<img" not in md and "&lt;img src=x onerror=alert(1)&gt;" in md


# ---------------------------------------------------------------- HTML


def test_html_is_self_contained_and_complete(result):
    page = render(result, "html").decode("utf-8")
    soup = BeautifulSoup(page, "lxml")
    assert soup.html["lang"] == "zh-CN"
    assert soup.find("meta", attrs={"name": "viewport"})
    assert "@media print" in page and "@media (max-width" in page
    # nothing is loaded from anywhere
    assert "http://" not in page and "https://" not in page
    assert not soup.find_all("link") and not soup.find_all(src=True)
    assert len(soup.find_all("script")) == 1  # ours; the notice's <script> is text
    # summary
    summary = soup.select_one("section#summary")
    errors = sum(1 for f in result.failures(Severity.ERROR))
    assert summary.select_one('[data-kind="error"] b').get_text() == str(errors)
    verdicts = {li["data-domain"]: li["data-verdict"] for li in summary.select("li")}
    assert verdicts == {d.domain: d.status for d in result.reconciliation.domains}
    # chart
    svg = soup.select_one("svg#reconcile-chart")
    rows = svg.select("g.chart-row")
    assert [g["data-domain"] for g in rows] == list(result.report.domains)
    for g in rows:
        assert g.select_one("rect.interval") and g.select_one("circle.predicted")
        assert g.select_one("path.declared")
    # findings
    trs = soup.select("#findings-table tbody tr")
    assert sorted((tr["data-rule"], tr.select("td")[2].contents[0]) for tr in trs) == \
        failed_rules(result)
    assert "本年度止件数" in soup.select_one("#findings-table").get_text()
    # notices
    notices = soup.select("#notices-table tbody tr")
    assert len(notices) == len(result.classification.frame)
    assert soup.select_one("input#notice-filter")
    assert any('<script>alert("x")</script>' in tr.get_text() for tr in notices)
    disagree = int((~result.classification.frame["office_agrees"]).sum())
    assert sum("单位标注不一致" in tr.get_text() for tr in notices) == disagree
    # every notice the reconciliation points at is a link to its row
    for d in result.reconciliation.domains:
        for i in d.notices[:8]:
            assert soup.select_one(f'#reconcile-table a[href="#notice-{i}"]')
            assert soup.select_one(f"#notice-{i}")


def test_html_escapes_report_text():
    page = render(sample_result(), "html").decode("utf-8")
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>标记</b>" not in page


def test_html_without_notices_says_so():
    soup = BeautifulSoup(render(sample_result(False), "html"), "lxml")
    assert soup.select_one("svg#reconcile-chart") is None
    assert "未提供通知列表" in soup.select_one("#reconciliation").get_text()
    assert [li["data-verdict"] for li in soup.select("#summary li")] == ["no_notices"] * 6


# ---------------------------------------------------------------- XLSX


def test_xlsx_has_three_formatted_sheets_with_the_data(result):
    wb = load_workbook(BytesIO(render(result, "xlsx")))
    assert wb.sheetnames == ["汇总", "核对发现", "通知分类"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws["A1"].font.bold and ws["A1"].fill.fgColor.rgb.endswith("37474F")
    summary = wb["汇总"]
    table = {row[0]: row for row in summary.iter_rows(min_row=2, max_row=7, values_only=True)}
    for d in result.reconciliation.domains:
        assert table[d.domain][1:6] == (d.declared, d.predicted, round(d.expected, 1),
                                        *d.interval)
    assert summary.auto_filter.ref == "A1:J7"
    findings = wb["核对发现"]
    rules = sorted(r[2] for r in findings.iter_rows(min_row=2, values_only=True))
    assert rules == sorted(f.rule for f in result.findings)
    assert findings.column_dimensions["D"].width == 60
    notices = wb["通知分类"]
    header = [c.value for c in notices[1]]
    assert header[:2] == ["序号", "标题"] and "置信度" in header and "发布日期" in header
    data = list(notices.iter_rows(min_row=2, values_only=True))
    assert len(data) == len(result.classification.frame)
    assert [r[1] for r in data] == result.classification.frame["标题"].tolist()
    conf_col = header.index("置信度") + 1
    assert notices.cell(row=2, column=conf_col).number_format == "0.00"
    assert notices.cell(row=2, column=conf_col).value == pytest.approx(
        float(result.classification.frame["confidence"].iloc[0]))
