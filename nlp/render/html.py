"""The reviewer's report as one self-contained HTML page, in Chinese.

Everything is inline — CSS, the SVG chart (:mod:`nlp.render.chart`) and a few lines of
script that make the notice table sortable and filterable — so the file can be mailed,
opened offline and printed. No element loads anything from the network. Every value
from the report or the notice list goes through :func:`html.escape`.

Hooks: ``section#summary``, ``svg#reconcile-chart``, ``table#findings-table``,
``table#reconcile-table``, ``table#notices-table``, ``input#notice-filter``; the script
sets ``data-ready="1"`` on ``<body>`` when it has run (``data-error`` if it failed).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from nlp.render import (
    FINDING_COLUMNS,
    INTERVAL_NOTE,
    NOTICE_COLUMNS,
    RECONCILE_COLUMNS,
    REPORT_TITLE,
    SEVERITY_ZH,
    VERDICT_ZH,
    counts,
    domain_verdicts,
    failed_findings,
    fmt_number,
    not_assessable_findings,
    notice_rows,
    reconcile_rows,
    split_lines,
    unit_line,
)
from nlp.render.chart import render_chart
from nlp.report.findings import Finding

if TYPE_CHECKING:
    from nlp.consistency import CheckResult

#: How many notice positions the reconciliation table links before 「…」.
LINKED_NOTICES = 8

CSS = """
:root{--err:#c62828;--warn:#ef8f00;--ok:#2e7d32;--info:#546e7a;--line:#e0e0e0;--bg:#fafafa}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:12px 14px 40px;color:#222;background:#fff;
 font:15px/1.6 -apple-system,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC",
 "Source Han Sans SC","Microsoft YaHei",sans-serif}
h1{font-size:1.35em;margin:.4em 0 .1em}h2{font-size:1.15em;margin:1.6em 0 .5em;
 border-bottom:2px solid var(--line);padding-bottom:.2em}
.meta{color:#666;margin:0;font-size:.9em;word-break:break-all}
.counts{display:flex;flex-wrap:wrap;gap:8px;margin:.6em 0}
.count{border-radius:6px;padding:6px 12px;background:var(--bg);border:1px solid var(--line)}
.count b{font-size:1.3em;margin-right:.2em}
.count.error b{color:var(--err)}.count.warning b{color:var(--warn)}.count.pass b{color:var(--ok)}
.verdicts{display:flex;flex-wrap:wrap;gap:6px;padding:0;list-style:none}
.verdicts li{border-radius:14px;padding:2px 10px;border:1px solid var(--line);font-size:.92em}
.v-consistent{background:#e8f5e9;border-color:#a5d6a7!important}
.v-suspect{background:#fff3e0;border-color:#ffcc80!important}
.v-inconsistent{background:#ffebee;border-color:#ef9a9a!important}
.v-unreconciled,.v-no_notices{background:#eceff1}
.chart{width:100%;height:auto;max-width:620px;display:block;margin:.4em 0 .8em}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f3f5f7;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th::after{content:" ⇅";color:#aaa;font-size:.8em}
th[aria-sort=ascending]::after{content:" ▲"!important;color:#333!important}
th[aria-sort=descending]::after{content:" ▼"!important;color:#333!important}
.sev{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-size:.85em;
 white-space:nowrap}
.sev.error{background:var(--err)}.sev.warning{background:var(--warn)}.sev.info{background:var(--info)}
code{font-size:.85em;background:#f3f5f7;padding:0 3px;border-radius:3px;word-break:break-all}
blockquote{margin:0;color:#444;border-left:3px solid var(--line);padding-left:6px}
.flag{display:inline-block;background:#fff3e0;border-radius:4px;padding:0 5px;margin:1px;
 font-size:.85em;white-space:nowrap}
.flag.office{background:#ffebee}
.filter{display:flex;gap:8px;align-items:center;margin:.4em 0 .6em;flex-wrap:wrap}
.filter input{flex:1;min-width:12em;font-size:1em;padding:6px 8px;border:1px solid #bbb;
 border-radius:6px}
.muted{color:#777}.empty{color:#777;font-style:italic}
details{margin:.4em 0}summary{cursor:pointer}
footer{margin-top:2em;color:#777;font-size:.85em}
@media (max-width:640px){
 body{font-size:14px;padding:8px 10px 30px}
 table.cards thead{display:none}
 table.cards tr{display:block;border:1px solid var(--line);border-radius:6px;margin:0 0 8px;
  padding:4px 6px}
 table.cards td{display:block;border:0;padding:2px 0;text-align:left}
 #reconcile-table.cards td{display:inline-block;margin-right:14px}
 #reconcile-table.cards td:first-child,#reconcile-table.cards td:last-child{display:block}
 #reconcile-table.cards td:first-child{font-weight:bold}
 table.cards td::before{content:attr(data-label) "：";color:#777;font-size:.85em}
}
@media print{
 body{max-width:none;font-size:11pt}.filter,.no-print{display:none}
 .table-wrap{overflow:visible}tr{break-inside:avoid}h2{break-after:avoid}
 table.sortable th::after{content:""}a{color:inherit;text-decoration:none}
}
"""

SCRIPT = """
(function () {
  "use strict";
  try {
    var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };
    var key = function (td) {
      var v = td.getAttribute("data-sort");
      return v !== null ? parseFloat(v) : td.textContent.trim();
    };
    each(document.querySelectorAll("table.sortable"), function (table) {
      var heads = table.tHead.rows[0].cells;
      each(heads, function (th, col) {
        var sort = function () {
          var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
          each(heads, function (h) { h.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
          var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = key(a.cells[col]), y = key(b.cells[col]);
            var c = typeof x === "number" && typeof y === "number"
              ? (isNaN(x) ? -1 : isNaN(y) ? 1 : x - y)
              : String(x).localeCompare(String(y), "zh-CN");
            return c * dir;
          });
          each(rows, function (r) { body.appendChild(r); });
        };
        th.tabIndex = 0;
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
      });
    });
    var box = document.getElementById("notice-filter");
    if (box) {
      var table = document.getElementById("notices-table");
      var shown = document.getElementById("notice-count");
      box.addEventListener("input", function () {
        var q = box.value.trim().toLowerCase(), n = 0;
        each(table.tBodies[0].rows, function (r) {
          var hit = !q || r.textContent.toLowerCase().indexOf(q) >= 0;
          r.hidden = !hit;
          if (hit) { n += 1; }
        });
        shown.textContent = String(n);
      });
    }
    window.addEventListener("beforeprint", function () {
      each(document.querySelectorAll("details"), function (d) { d.open = true; });
    });
    document.body.setAttribute("data-ready", "1");
  } catch (err) {
    document.body.setAttribute("data-error", String(err));
  }
})();
"""


def render_html(result: CheckResult) -> bytes:
    """The whole page as UTF-8 bytes."""
    r = result.report
    title = f"{REPORT_TITLE}：{unit_line(result)}"
    source = r.source or {}
    meta = " · ".join(str(v) for v in (source.get("path"), source.get("format"),
                                       source.get("encoding")) if v)
    body = [
        "<header>",
        f"<h1>{escape(REPORT_TITLE)}</h1>",
        f'<p class="meta">{escape(unit_line(result))}</p>',
        f'<p class="meta">年报文件：{escape(meta)}</p>' if meta else "",
        "</header>",
        _summary(result),
        _declared(result),
        _reconciliation(result),
        _findings(result),
        _not_assessable(result),
        _notices(result),
        f'<footer>由 disclosure-nlp 生成。{escape(INTERVAL_NOTE)}</footer>',
    ]
    page = (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n"
        f"<body>\n{''.join(part + chr(10) for part in body if part)}"
        f"<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _summary(result: CheckResult) -> str:
    c = counts(result)
    items = [("error", c.errors, "错误"), ("warning", c.warnings, "警告"),
             ("info", c.infos, "提示"), ("pass", c.passed, "通过"),
             ("na", c.not_assessable, "无法判断")]
    chips = "".join(f'<div class="count {k}" data-kind="{k}"><b>{n}</b>{label}</div>'
                    for k, n, label in items)
    verdicts = domain_verdicts(result)
    if verdicts:
        lis = "".join(
            f'<li class="v-{escape(v)}" data-domain="{escape(d)}" data-verdict="{escape(v)}">'
            f"{escape(d)}：{escape(VERDICT_ZH.get(v, v))}</li>" for d, v in verdicts)
        verdict_html = f'<ul class="verdicts">{lis}</ul>'
    else:
        verdict_html = '<p class="empty">年报未按领域申报发布条数。</p>'
    return ('<section id="summary"><h2>概要</h2>'
            f'<div class="counts">{chips}</div>'
            f"<h3>各领域结论</h3>{verdict_html}</section>")


def _declared(result: CheckResult) -> str:
    """Section 一's split by column or channel, or its approximate total (else nothing)."""
    lines = split_lines(result)
    if not lines:
        return ""
    items = "".join(f"<li>{escape(x)}</li>" for x in lines)
    return f'<section id="declared"><h2>主动公开条数与分项</h2><ul>{items}</ul></section>'


def _reconciliation(result: CheckResult) -> str:
    rows = reconcile_rows(result)
    if result.reconciliation is None:
        return ('<section id="reconciliation"><h2>领域条数核对</h2>'
                '<p class="empty">未提供通知列表，未做领域条数核对。</p></section>')
    chart = render_chart(result.reconciliation.domains)
    head = "".join(f'<th class="{_num_class(k)}">{escape(t)}</th>' for k, t in RECONCILE_COLUMNS)
    trs = []
    for row in rows:
        cells = []
        for key, label in RECONCILE_COLUMNS:
            value = row[key]
            if key == "status":
                inner = (f'<span class="v-{escape(value)}">'
                         f"{escape(VERDICT_ZH.get(value, value))}</span>")
            elif key == "expected":
                inner = f"{value:.1f}"
            elif key == "notices":
                links = "、".join(f'<a href="#notice-{i}">{i}</a>'
                                 for i in value[:LINKED_NOTICES])
                more = "…" if len(value) > LINKED_NOTICES else ""
                inner = f"{len(value)} 条" + (f'<br><span class="muted">{links}{more}</span>'
                                              if links else "")
            else:
                inner = escape(fmt_number(value))
            cells.append(f'<td class="{_num_class(key)}" data-label="{escape(label)}">'
                         f"{inner}</td>")
        trs.append(f'<tr data-domain="{escape(row["domain"])}">{"".join(cells)}</tr>')
    table = (f'<div class="table-wrap"><table id="reconcile-table" class="cards">'
             f"<thead><tr>{head}</tr></thead><tbody>{''.join(trs)}</tbody></table></div>")
    unrec = result.reconciliation.unreconciled
    note = (f'<p class="muted">无法核对的申报领域：{escape("、".join(unrec))}</p>'
            if unrec else "")
    n = result.reconciliation.n_notices
    return ('<section id="reconciliation"><h2>领域条数核对</h2>'
            f'<p class="muted">通知列表共 {n} 条。</p>'
            f"{chart}{table}{note}</section>")


def _num_class(key: str) -> str:
    return "num" if key in ("declared", "predicted", "expected", "office", "confidence",
                            "row") else ""


def _findings(result: CheckResult) -> str:
    fails = failed_findings(result)
    if not fails:
        return ('<section id="findings"><h2>发现的问题</h2>'
                '<p class="empty">未发现问题。</p>'
                '<table id="findings-table" hidden><tbody></tbody></table></section>')
    head = "".join(f"<th>{escape(t)}</th>" for _, t in FINDING_COLUMNS)
    trs = "".join(_finding_row(f) for f in fails)
    return ('<section id="findings"><h2>发现的问题</h2>'
            f'<p class="muted">共 {len(fails)} 项，按严重程度排列。</p>'
            '<div class="table-wrap"><table id="findings-table" class="cards">'
            f"<thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table></div></section>")


def _finding_row(f: Finding) -> str:
    labels = dict(FINDING_COLUMNS)
    sev = f.severity.value
    cells = "".join(f"<code>{escape(c)}</code> " for c in f.cells) or '<span class="muted">—</span>'
    sides = _sides(f)
    text = f"<blockquote>{escape(f.text)}</blockquote>" if f.text else ""
    return (f'<tr class="finding {escape(sev)}" data-rule="{escape(f.rule)}">'
            f'<td data-label="{labels["severity"]}"><span class="sev {escape(sev)}">'
            f"{escape(SEVERITY_ZH.get(sev, sev))}</span></td>"
            f'<td data-label="{labels["rule"]}"><code>{escape(f.rule)}</code></td>'
            f'<td data-label="{labels["message"]}">{escape(f.message)}{sides}</td>'
            f'<td data-label="{labels["cells"]}">{cells}</td>'
            f'<td data-label="{labels["text"]}">{text}</td></tr>')


def _sides(f: Finding) -> str:
    sides = [f"{label} {escape(fmt_number(v))}" for label, v in (("应为", f.expected),
                                                                  ("实为", f.actual))
             if v is not None]
    return f'<br><span class="muted">{"，".join(sides)}</span>' if sides else ""


def _not_assessable(result: CheckResult) -> str:
    items = not_assessable_findings(result)
    if not items:
        return ""
    lis = "".join(f'<li data-rule="{escape(f.rule)}"><code>{escape(f.rule)}</code> '
                  f"{escape(f.message)}</li>" for f in items)
    return ('<section id="not-assessable"><details>'
            f"<summary>无法判断的检查（{len(items)} 项，所需数值缺失）</summary>"
            f"<ul>{lis}</ul></details></section>")


def _notices(result: CheckResult) -> str:
    rows = notice_rows(result)
    if result.classification is None:
        return ('<section id="notices"><h2>通知分类</h2>'
                '<p class="empty">未提供通知列表。</p></section>')
    head = "".join(f'<th class="{_num_class(k)}" scope="col">{escape(t)}</th>'
                   for k, t in NOTICE_COLUMNS)
    trs = "".join(_notice_row(r) for r in rows)
    return ('<section id="notices"><h2>通知分类</h2>'
            '<div class="filter"><input id="notice-filter" type="search" '
            'placeholder="筛选：输入标题、领域或「需复核」" aria-label="筛选通知">'
            f'<span class="muted">显示 <span id="notice-count">{len(rows)}</span> / '
            f"{len(rows)} 条；点击表头排序</span></div>"
            '<div class="table-wrap"><table id="notices-table" class="sortable">'
            f"<thead><tr>{head}</tr></thead><tbody>{trs}</tbody></table></div></section>")


def _notice_row(row: dict[str, Any]) -> str:
    conf = row["confidence"]
    conf_text = "—" if conf != conf else f"{conf:.2f}"
    flags = "".join(
        f'<span class="flag{" office" if flag.startswith("单位") else ""}">{escape(flag)}</span>'
        for flag in row["flags"])
    return (f'<tr id="notice-{row["row"]}">'
            f'<td class="num" data-sort="{row["row"]}">{row["row"]}</td>'
            f"<td>{escape(row['title'])}</td>"
            f"<td>{escape(row['domain'])}</td>"
            f'<td class="num" data-sort="{"NaN" if conf != conf else f"{conf:.6f}"}">'
            f"{conf_text}</td>"
            f"<td>{flags}</td></tr>")
