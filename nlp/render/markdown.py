"""The reviewer's report as a Markdown memo: summary, reconciliation, failures.

Meant to be pasted into a review note or an issue, so it is short: the counts and a
verdict per domain, the reconciliation table, every failed finding, and the checks that
could not run in one list. Table cells escape ``|`` and line breaks.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Any

from nlp.render import (
    FINDING_COLUMNS,
    INTERVAL_NOTE,
    RECONCILE_COLUMNS,
    REPORT_TITLE,
    SEVERITY_ZH,
    VERDICT_ZH,
    counts,
    domain_verdicts,
    failed_findings,
    fmt_number,
    not_assessable_findings,
    reconcile_rows,
    split_lines,
    unit_line,
)

if TYPE_CHECKING:
    from nlp.consistency import CheckResult

#: Notice positions listed per domain before 「…」.
LISTED_NOTICES = 10


def cell(value: Any) -> str:
    r"""Text safe inside a Markdown table cell.

    Markdown passes HTML through, so ``<``, ``>`` and ``&`` become entities: a title
    that contains markup is shown, never run, wherever the memo is rendered.

    >>> cell("a|b\n<c>")
    'a\\|b<br>&lt;c&gt;'
    """
    text = escape(value if isinstance(value, str) else fmt_number(value), quote=False)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def render_markdown(result: CheckResult) -> bytes:
    """The memo as UTF-8 bytes."""
    c = counts(result)
    lines = [f"# {REPORT_TITLE}", "", f"**{cell(unit_line(result))}**", ""]
    path = (result.report.source or {}).get("path")
    if path:
        lines += [f"年报文件：`{path}`", ""]
    lines += [
        "## 概要", "",
        f"- 错误 **{c.errors}** 项，警告 **{c.warnings}** 项，提示 {c.infos} 项；"
        f"通过 {c.passed} 项，无法判断 {c.not_assessable} 项。",
    ]
    verdicts = domain_verdicts(result)
    if verdicts:
        lines.append("- 各领域结论：" + "；".join(
            f"{d} {VERDICT_ZH.get(v, v)}" for d, v in verdicts) + "。")
    lines.append("")

    declared = split_lines(result)
    if declared:
        lines += ["## 主动公开条数与分项", ""] + [f"- {cell(x)}" for x in declared] + [""]

    if result.reconciliation is not None:
        lines += ["## 领域条数核对", "",
                  f"通知列表共 {result.reconciliation.n_notices} 条。{INTERVAL_NOTE}", ""]
        rows = []
        for r in reconcile_rows(result):
            row = []
            for key, _ in RECONCILE_COLUMNS:
                v = r[key]
                if key == "status":
                    row.append(VERDICT_ZH.get(v, v))
                elif key == "expected":
                    row.append(f"{v:.1f}")
                elif key == "notices":
                    shown = ", ".join(str(i) for i in v[:LISTED_NOTICES])
                    row.append(f"{len(v)}" + (f"（{shown}{'…' if len(v) > LISTED_NOTICES else ''}）"
                                             if v else ""))
                else:
                    row.append(cell(v))
            rows.append(row)
        lines += _table([t for _, t in RECONCILE_COLUMNS], rows)
        if result.reconciliation.unreconciled:
            lines += ["", "无法核对的申报领域：" + "、".join(result.reconciliation.unreconciled)]
        lines.append("")

    fails = failed_findings(result)
    lines += ["## 发现的问题", ""]
    if fails:
        rows = [[SEVERITY_ZH.get(f.severity.value, f.severity.value), f"`{f.rule}`",
                 cell(f.message), cell(", ".join(f.cells)) or "—", cell(f.text or "") or "—"]
                for f in fails]
        lines += _table([t for _, t in FINDING_COLUMNS], rows)
    else:
        lines.append("未发现问题。")
    lines.append("")

    na = not_assessable_findings(result)
    if na:
        lines += [f"## 无法判断的检查（{len(na)} 项）", ""]
        lines += [f"- `{f.rule}`：{cell(f.message)}" for f in na]
        lines.append("")
    return "\n".join(lines).encode("utf-8")
