"""The batch summary: ``index.html`` (one self-contained page) and ``summary.xlsx``.

Both take the plain rows :mod:`nlp.batching.runner` builds (one dict per report, one dict per
failed finding) and return bytes. The page uses the single report's CSS and sorting script
(:mod:`nlp.render.html`), so a reviewer sees one look; it adds a text filter over the
reports and an inline SVG chart of how many reports fail each rule.

Hooks: ``table#reports-table`` (``tr.report[data-status][data-unit]``),
``input#report-filter``, ``span#report-count``, ``svg#rule-chart`` with
``g.rule-bar[data-rule][data-reports]``, ``section#unmatched``; ``<body data-ready="1">``
once the scripts ran.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from io import BytesIO
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, PatternFill

from nlp.render import SEVERITY_ZH, VERDICT_ZH
from nlp.render.cells import data_row
from nlp.render.html import CSS, SCRIPT
from nlp.render.xlsx import SEVERITY_FILLS, VERDICT_FILLS, _header

TITLE = "政府信息公开工作年度报告批量核对汇总"
# The index table: (key, Chinese title, numeric?).
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("unit", "单位", False), ("year", "年度", True), ("level", "层级", False),
    ("errors", "错误", True), ("warnings", "警告", True), ("verdicts", "各领域结论", False),
    ("top_findings", "最主要的问题", False), ("link", "详细报告", False),
)
CHART_RULES = 25  # bars shown; the workbook has every rule
EXTRA_CSS = """
tr.report.failed td{background:#fff8e1}
.reason{color:var(--err)}
ol.top{margin:0;padding-left:1.2em}ol.top li{margin:0 0 2px}
.rule-chart{width:100%;max-width:760px;height:auto;display:block;margin:.4em 0 .8em}
.filter label{white-space:nowrap}.filter label input{flex:none;min-width:0}
.src{display:block;color:#777;font-size:.8em;word-break:break-all}
"""
FILTER_SCRIPT = """
(function () {
  "use strict";
  try {
    var box = document.getElementById("report-filter");
    var table = document.getElementById("reports-table");
    var shown = document.getElementById("report-count");
    var only = document.getElementById("only-errors");
    var apply = function () {
      var q = box.value.trim().toLowerCase(), n = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        var hit = (!q || r.textContent.toLowerCase().indexOf(q) >= 0) &&
          (!only.checked || r.getAttribute("data-attention") === "1");
        r.hidden = !hit;
        if (hit) { n += 1; }
      });
      shown.textContent = String(n);
    };
    box.addEventListener("input", apply);
    only.addEventListener("change", apply);
  } catch (err) {
    document.body.setAttribute("data-error", String(err));
  }
})();
"""


def rule_counts(findings: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """How many distinct reports fail each rule, most first (ties by rule id).

    >>> rule_counts([{"source": "a", "rule": "x"}, {"source": "a", "rule": "x"},
    ...              {"source": "b", "rule": "x"}, {"source": "b", "rule": "y"}])
    [('x', 2), ('y', 1)]
    """
    pairs = {(f["source"], f["rule"]) for f in findings}
    counter = Counter(rule for _, rule in pairs)
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def render_index(rows: list[dict[str, Any]], findings: list[dict[str, Any]],
                 unmatched: list[dict[str, Any]], *, notices_given: bool = False) -> bytes:
    """The index page as UTF-8 bytes."""
    ok = [r for r in rows if r["status"] == "ok"]
    failed = len(rows) - len(ok)
    chips = [("error", sum(r["errors"] or 0 for r in ok), "个错误"),
             ("warning", sum(r["warnings"] or 0 for r in ok), "个警告"),
             ("pass", sum(1 for r in ok if not r["errors"]), "份无错误"),
             ("na", failed, "份无法读取")]
    chip_html = "".join(f'<div class="count {k}" data-kind="{k}"><b>{n}</b>{label}</div>'
                        for k, n, label in chips)
    body = [
        f"<header><h1>{escape(TITLE)}</h1>",
        f'<p class="meta">共 {len(rows)} 份年报，{len(ok)} 份已核对，{failed} 份无法读取。</p>'
        "</header>",
        f'<section id="summary"><h2>概要</h2><div class="counts">{chip_html}</div></section>',
        _table(rows),
        _chart(rule_counts(findings), len(ok)),
        _unmatched(rows, unmatched, notices_given),
        '<footer>由 disclosure-nlp 生成。每行的详细报告与 <code>disclosure check</code> '
        "对该年报的结果相同；全部发现见 summary.xlsx。</footer>",
    ]
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(TITLE)}</title>\n<style>{CSS}{EXTRA_CSS}</style>\n</head>\n"
        f"<body>\n{''.join(part + chr(10) for part in body if part)}"
        f"<script>{FILTER_SCRIPT}</script>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _table(rows: list[dict[str, Any]]) -> str:
    head = "".join(f'<th class="{"num" if num else ""}" scope="col">{escape(t)}</th>'
                   for _, t, num in COLUMNS)
    trs = "".join(_row(r) for r in rows)
    return ('<section id="reports"><h2>各单位年报</h2>'
            '<div class="filter"><input id="report-filter" type="search" '
            'placeholder="筛选：输入单位、规则、领域或「不符」" aria-label="筛选年报">'
            '<label><input id="only-errors" type="checkbox"> 只看有错误或无法读取的</label>'
            f'<span class="muted">显示 <span id="report-count">{len(rows)}</span> / '
            f"{len(rows)} 份；点击表头排序</span></div>"
            '<div class="table-wrap"><table id="reports-table" class="sortable cards">'
            f"<thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table></div></section>")


def _row(r: dict[str, Any]) -> str:
    if r["status"] != "ok":
        name = r["source"].replace("\\", "/").rsplit("/", 1)[-1]
        cells = {
            "unit": f"{escape(name)}<br><span class=\"muted\">{escape(r['source'])}</span>",
            "year": "—", "level": "—", "errors": "—", "warnings": "—", "verdicts": "—",
            "top_findings": f'<span class="reason">无法读取：{escape(r["reason"] or "")}</span>',
            "link": '<span class="muted">—</span>',
        }
        sort = {"errors": "NaN", "warnings": "NaN", "year": "NaN"}
        attention = "1"
    else:
        verdicts = "".join(
            f'<li class="v-{escape(v)}" data-domain="{escape(d)}" data-verdict="{escape(v)}">'
            f"{escape(d)}：{escape(VERDICT_ZH.get(v, v))}</li>"
            for d, v in (r["verdicts"] or {}).items())
        top = "".join(
            f'<li data-rule="{escape(f["rule"])}"><span class="sev {escape(f["severity"])}">'
            f'{escape(SEVERITY_ZH.get(f["severity"], f["severity"]))}</span> '
            f'{escape(f["message"])}</li>' for f in r["top_findings"] or [])
        outputs = r.get("outputs") or {}
        target = outputs.get("html") or next(iter(outputs.values()), None)
        link = (f'<a class="detail" href="{escape(quote(target))}">查看</a>' if target
                else '<span class="muted">未写出</span>')
        others = " ".join(f'<a href="{escape(quote(n))}">{escape(fmt.upper())}</a>'
                          for fmt, n in outputs.items() if n != target)
        file_name = r["source"].replace("\\", "/").rsplit("/", 1)[-1]
        pairs = (r["verdicts"] or {}).items()
        if pairs and all(v == "no_notices" for _, v in pairs):
            verdicts = ""
            no_list = '<span class="muted">未提供通知列表</span>'
        else:
            no_list = '<span class="muted">未按领域申报</span>'
        cells = {
            "unit": f'{escape(r["unit"] or "（未识别单位）")}'
                    f'<span class="src">{escape(file_name)}</span>',
            "year": escape(str(r["year"])) if r["year"] else "—",
            "level": escape(r["level"] or "—"),
            "errors": str(r["errors"]), "warnings": str(r["warnings"]),
            "verdicts": f'<ul class="verdicts">{verdicts}</ul>' if verdicts else no_list,
            "top_findings": f'<ol class="top">{top}</ol>' if top
            else '<span class="muted">未发现问题</span>',
            "link": link + (f'<br><span class="muted">{others}</span>' if others else ""),
        }
        sort = {"errors": str(r["errors"]), "warnings": str(r["warnings"]),
                "year": str(r["year"]) if r["year"] else "NaN"}
        attention = "1" if r["errors"] else "0"
    tds = []
    for key, label, num in COLUMNS:
        data_sort = f' data-sort="{sort[key]}"' if key in sort else ""
        tds.append(f'<td class="{"num" if num else ""}" data-label="{escape(label)}"'
                   f"{data_sort}>{cells[key]}</td>")
    status = "ok" if r["status"] == "ok" else "failed"
    return (f'<tr class="report {status}" data-status="{status}" data-attention="{attention}"'
            f' data-unit="{escape(r["unit"] or "")}" data-source="{escape(r["source"])}">'
            f"{''.join(tds)}</tr>")


def _chart(counts: list[tuple[str, int]], n_checked: int) -> str:
    if not counts:
        return ('<section id="rules"><h2>各规则未通过的年报数</h2>'
                '<p class="empty">没有未通过的规则。</p></section>')
    shown = counts[:CHART_RULES]
    label_w, bar_w, row_h, top = 300, 380, 22, 8
    width, height = label_w + bar_w + 50, top + row_h * len(shown) + 8
    peak = max(n for _, n in shown) or 1
    bars = []
    for i, (rule, n) in enumerate(shown):
        y = top + i * row_h
        w = max(1.0, bar_w * n / peak)
        bars.append(
            f'<g class="rule-bar" data-rule="{escape(rule)}" data-reports="{n}">'
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(rule)}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
            f'fill="#c62828" opacity="0.8"><title>{escape(rule)}：{n} 份</title></rect>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + 15}" font-size="12">{n}</text></g>')
    more = (f'<p class="muted">只显示前 {CHART_RULES} 条规则，共 {len(counts)} 条；'
            "全部见 summary.xlsx。</p>" if len(counts) > CHART_RULES else "")
    return ('<section id="rules"><h2>各规则未通过的年报数</h2>'
            f'<p class="muted">已核对 {n_checked} 份年报。</p>'
            f'<svg id="rule-chart" class="rule-chart" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="各规则未通过的年报数" xmlns="http://www.w3.org/2000/svg">'
            f"{''.join(bars)}</svg>{more}</section>")


def _unmatched(rows: list[dict[str, Any]], unmatched: list[dict[str, Any]],
               notices_given: bool) -> str:
    if not notices_given:
        return ""
    without = [r for r in rows if r["status"] == "ok" and not r.get("notices")]
    groups = "".join(f'<li data-group="{escape(g["group"])}">{escape(g["group"])}'
                     f'（{g["rows"]} 条）</li>' for g in unmatched)
    reports = "".join(f'<li data-source="{escape(r["source"])}">'
                      f'{escape(r["unit"] or r["source"])}</li>' for r in without)
    return ('<section id="unmatched"><h2>通知列表匹配</h2>'
            f"<h3>未匹配到年报的通知分组（{len(unmatched)} 组）</h3>"
            + (f"<ul>{groups}</ul>" if groups else '<p class="empty">无。</p>')
            + f"<h3>没有通知列表的年报（{len(without)} 份）</h3>"
            + (f"<ul>{reports}</ul>" if reports else '<p class="empty">无。</p>')
            + "</section>")


# ------------------------------------------------------------------ the workbook

REPORT_COLUMNS = (("单位", 30, None), ("年度", 8, "0"), ("层级", 10, None), ("状态", 10, None),
                  ("错误", 8, "0"), ("警告", 8, "0"), ("提示", 8, "0"), ("通过", 8, "0"),
                  ("无法判断", 10, "0"), ("各领域结论", 50, None), ("最主要的问题", 70, None),
                  ("通知条数", 10, "0"), ("通知列表", 30, None), ("详细报告", 30, None),
                  ("年报文件", 40, None), ("原因", 40, None))
ALL_FINDING_COLUMNS = (("单位", 30, None), ("年度", 8, "0"), ("年报文件", 40, None),
                       ("规则", 36, None), ("严重程度", 10, None), ("说明", 80, None))


def render_summary_xlsx(rows: list[dict[str, Any]], findings: list[dict[str, Any]],
                        unmatched: list[dict[str, Any]]) -> bytes:
    """``summary.xlsx``: 汇总 (one row per report), 全部发现, and 未匹配通知."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([t for t, _, _ in REPORT_COLUMNS])
    # Row numbers counted here: ``ws.max_row`` scans every cell (quadratic over a district).
    for at, r in enumerate(rows, start=2):
        ok = r["status"] == "ok"
        verdicts = "；".join(f"{d}：{VERDICT_ZH.get(v, v)}"
                            for d, v in (r.get("verdicts") or {}).items())
        top = "\n".join(f"[{SEVERITY_ZH.get(f['severity'], f['severity'])}] {f['message']}"
                        for f in r.get("top_findings") or [])
        outputs = r.get("outputs") or {}
        ws.append(data_row(ws, [r.get("unit"), r.get("year"), r.get("level"),
                                "已核对" if ok else "无法读取", r.get("errors"),
                                r.get("warnings"), r.get("infos"), r.get("passed"),
                                r.get("not_assessable"), verdicts, top, r.get("n_notices"),
                                r.get("notices"),
                                outputs.get("html") or next(iter(outputs.values()), None),
                                r["source"], r.get("reason")]))
        if not ok:
            ws.cell(row=at, column=4).fill = PatternFill("solid", fgColor="FFEBEE")
        elif any(v == "inconsistent" for v in (r.get("verdicts") or {}).values()):
            ws.cell(row=at, column=10).fill = PatternFill(
                "solid", fgColor=VERDICT_FILLS["inconsistent"])
    for row in ws.iter_rows(min_row=2, min_col=10, max_col=11):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _header(ws, [t for t, _, _ in REPORT_COLUMNS], [w for _, w, _ in REPORT_COLUMNS],
            [f for _, _, f in REPORT_COLUMNS], len(rows))

    ws = wb.create_sheet("全部发现")
    ws.append([t for t, _, _ in ALL_FINDING_COLUMNS])
    for at, f in enumerate(findings, start=2):
        ws.append(data_row(ws, [f.get("unit"), f.get("year"), f["source"], f["rule"],
                                SEVERITY_ZH.get(f["severity"], f["severity"]), f["message"]]))
        fill = SEVERITY_FILLS.get(f["severity"])
        if fill:
            ws.cell(row=at, column=5).fill = PatternFill("solid", fgColor=fill)
    _header(ws, [t for t, _, _ in ALL_FINDING_COLUMNS], [w for _, w, _ in ALL_FINDING_COLUMNS],
            [f for _, _, f in ALL_FINDING_COLUMNS], len(findings))

    ws = wb.create_sheet("未匹配通知")
    ws.append(["通知分组", "条数"])
    for g in unmatched:
        ws.append(data_row(ws, [g["group"], g["rows"]]))
    _header(ws, ["通知分组", "条数"], [40, 10], [None, "0"], len(unmatched))
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
