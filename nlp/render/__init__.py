"""Turning a :class:`~nlp.consistency.CheckResult` into the reviewer's report.

One module per format — :mod:`.html`, :mod:`.markdown`, :mod:`.jsonout`, :mod:`.xlsx` —
each with a ``render_<fmt>(result) -> bytes``; :func:`render` picks one. The Chinese
wording shared by all formats (severity names, verdicts, column titles) lives here as
data, so the four formats say the same thing in the same words.

The renderers are pure: they return bytes and never write; :mod:`nlp.cli` writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from nlp.errors import InputError
from nlp.report.findings import SEVERITY_ORDER, Finding, Severity, Status

if TYPE_CHECKING:
    from nlp.consistency import CheckResult

FORMATS: tuple[str, ...] = ("html", "md", "json", "xlsx")

_EXTENSIONS: dict[str, str] = {
    ".html": "html", ".htm": "html",
    ".md": "md", ".markdown": "md",
    ".json": "json",
    ".xlsx": "xlsx",
}

SEVERITY_ZH: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
STATUS_ZH: dict[str, str] = {"pass": "通过", "fail": "不通过", "not_assessable": "无法判断"}
VERDICT_ZH: dict[str, str] = {
    "consistent": "相符",
    "suspect": "存疑",
    "inconsistent": "不符",
    "unreconciled": "无法核对",
    "no_notices": "未提供通知列表",
}
# The columns of the reconciliation table, in every format: (key, Chinese title).
RECONCILE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("domain", "领域"), ("declared", "年报申报"), ("predicted", "模型判定"),
    ("expected", "估计条数"), ("interval", "90% 区间"), ("status", "结论"),
    ("office", "单位自标"), ("notices", "待复核通知"), ("reason", "依据"),
)
# How the intervals are made, said the same way in every format.
INTERVAL_NOTE = ("区间为该领域实际条数的 90% 区间：按各条通知的概率，并计入模型在未见过的网站上的"
                 "误差（整份列表的误差可同时偏高或偏低）和标准边界情形的归类余地，精确计算；"
                 "在 90% 区间外但在 99% 区间内为「存疑」，在 99% 区间外为「不符」。")
FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("severity", "严重程度"), ("rule", "规则"), ("message", "说明"),
    ("cells", "涉及单元格"), ("text", "原文"),
)
NOTICE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("row", "序号"), ("title", "标题"), ("domain", "模型领域"), ("confidence", "置信度"),
    ("flags", "标记"),
)
REPORT_TITLE = "政府信息公开工作年度报告核对结果"


def format_for_path(path: str | PurePath | None) -> str | None:
    """The output format an output path's extension asks for, or ``None``.

    >>> format_for_path("out/report.HTML")
    'html'
    >>> format_for_path("memo.md"), format_for_path("x.xlsx"), format_for_path("a.txt")
    ('md', 'xlsx', None)
    """
    if path is None or str(path) in ("", "-"):
        return None
    return _EXTENSIONS.get(PurePath(str(path)).suffix.lower())


def render(result: CheckResult, fmt: str) -> bytes:
    """Render ``result`` in ``fmt`` (one of :data:`FORMATS`).

    Raises
    ------
    InputError
        When ``fmt`` is not a known format.
    """
    if fmt == "json":
        from nlp.render.jsonout import render_json
        return render_json(result)
    if fmt == "md":
        from nlp.render.markdown import render_markdown
        return render_markdown(result)
    if fmt == "html":
        from nlp.render.html import render_html
        return render_html(result)
    if fmt == "xlsx":
        from nlp.render.xlsx import render_xlsx
        return render_xlsx(result)
    raise InputError(f"未知的输出格式「{fmt}」，可选 {', '.join(FORMATS)}", place="--format")


# ---------------------------------------------------------------- shared views


@dataclass(frozen=True)
class Counts:
    """How many findings of each kind; the top line of every format."""

    errors: int
    warnings: int
    infos: int
    passed: int
    not_assessable: int


def counts(result: CheckResult) -> Counts:
    """Count failed findings by severity, and passed / not assessable ones."""
    fails = [f for f in result.findings if f.status is Status.FAIL]
    return Counts(
        errors=sum(f.severity is Severity.ERROR for f in fails),
        warnings=sum(f.severity is Severity.WARNING for f in fails),
        infos=sum(f.severity is Severity.INFO for f in fails),
        passed=sum(f.status is Status.PASS for f in result.findings),
        not_assessable=sum(f.status is Status.NOT_ASSESSABLE for f in result.findings),
    )


def failed_findings(result: CheckResult) -> list[Finding]:
    """Failed findings, most severe first, otherwise in the order the rules gave them."""
    fails = [f for f in result.findings if f.status is Status.FAIL]
    return sorted(fails, key=lambda f: SEVERITY_ORDER.get(f.severity, 9))


def not_assessable_findings(result: CheckResult) -> list[Finding]:
    """Findings whose rule could not run because a value it needs is missing."""
    return [f for f in result.findings if f.status is Status.NOT_ASSESSABLE]


def domain_verdicts(result: CheckResult) -> list[tuple[str, str]]:
    """``(domain, verdict key)`` for every declared domain, in the report's order.

    The verdict key is a reconciliation status, ``unreconciled`` for a domain outside the
    classifier's labels, or ``no_notices`` when no notice list was given.
    """
    rec = result.reconciliation
    if rec is None:
        return [(name, "no_notices") for name in result.report.domains]
    by_name = {d.domain: d.status for d in rec.domains}
    return [(name, by_name.get(name, "unreconciled")) for name in result.report.domains]


SPLIT_KIND_ZH = {"domain": "按领域", "column": "按栏目或信息类别", "channel": "按发布渠道",
                 "mixed": "混合口径"}


def split_lines(result: CheckResult) -> list[str]:
    """Section 一's total and its split in words, one line each; empty for the seed's form.

    The domain split is the reconciliation table's ``declared`` column already, so it is
    not repeated; a split by column or channel, a nested split and an approximate total
    are shown, since the reviewer cannot see them anywhere else.
    """
    report = result.report
    split = report.split
    lines: list[str] = []
    if report.total_approximate:
        lines.append("主动公开条数：年报只给出约数或历年累计数，不作为核对依据。")
    if split is None or split.kind == "domain":
        return lines
    total = report.total_published
    parts = sum(split.items.values())
    state = "完整" if split.complete else "部分"
    said = f"总数 {total}" if total is not None else "未给出确切总数"
    lines.append(f"分项（{SPLIT_KIND_ZH.get(split.kind, split.kind)}，{state}）：{said}，"
                 f"分项合计 {parts}。")
    lines.append("、".join(f"{name} {count}" for name, count in split.items.items()))
    for name, inner in split.nested.items():
        lines.append(f"其中「{name}」再分：" + "、".join(
            f"{n} {c}" for n, c in inner.items.items()))
    return lines


def reconcile_rows(result: CheckResult) -> list[dict[str, Any]]:
    """The reconciliation table as plain values, one dict per domain."""
    if result.reconciliation is None:
        return []
    return [{
        "domain": d.domain, "declared": d.declared, "predicted": d.predicted,
        "expected": round(float(d.expected), 1), "interval": tuple(d.interval),
        "status": d.status, "office": d.office, "notices": list(d.notices),
        "reason": d.reason,
    } for d in result.reconciliation.domains]


def notice_rows(result: CheckResult) -> list[dict[str, Any]]:
    """One dict per classified notice: position, title, domain, confidence and flags."""
    c = result.classification
    if c is None:
        return []
    frame = c.frame.reset_index(drop=True)
    proba = c.proba
    labels = tuple(c.labels)
    rows = []
    for i, rec in enumerate(frame.to_dict("records")):
        if "domain" in frame.columns:
            domain = str(rec["domain"])
        else:
            domain = labels[int(proba[i].argmax())] if len(proba) else ""
        if "confidence" in frame.columns:
            confidence = float(rec["confidence"])
        else:
            confidence = float(proba[i].max()) if len(proba) else float("nan")
        flags = []
        if "needs_review" in frame.columns and _true(rec["needs_review"]):
            flags.append("需复核")
        if "office_agrees" in frame.columns and rec["office_agrees"] is not None \
                and _is_false(rec["office_agrees"]):
            office = rec["office_domain"] if "office_domain" in frame.columns else ""
            flags.append(f"单位标注不一致（{office}）" if office else "单位标注不一致")
        title = rec[c.title_column] if c.title_column in frame.columns else ""
        rows.append({"row": i, "title": "" if _missing(title) else str(title),
                     "domain": domain, "confidence": confidence, "flags": flags})
    return rows


def _missing(value: Any) -> bool:
    try:
        return bool(value != value) or value is None  # NaN is not equal to itself
    except (TypeError, ValueError):
        return False


def _true(value: Any) -> bool:
    return not _missing(value) and bool(value)


def _is_false(value: Any) -> bool:
    return not _missing(value) and not bool(value)


def unit_line(result: CheckResult) -> str:
    """「单位 · 年度」 for headings."""
    r = result.report
    parts = [r.unit or "（未识别单位）", f"{r.year} 年度" if r.year else "（未识别年度）"]
    return " · ".join(parts)


def fmt_number(value: Any) -> str:
    """A cell value as text: ``—`` for missing, integers without decimals."""
    if value is None or _missing(value):
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return "–".join(fmt_number(v) for v in value)
    return str(value)
