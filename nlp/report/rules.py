"""The rule engine: runs every rule of :data:`nlp.rules_table.RULES` on a report.

One evaluator per rule *kind* (a relation between cells, a family over a table's
cells, keywords in a section ...) turns a rule definition and the report into
findings; the definitions themselves are data in :mod:`nlp.report.rule_table`.

Outcomes
--------
* ``pass`` / ``fail`` -- the rule could be judged.
* ``not_assessable`` -- a value it needs is ``None`` (a blank cell, a statement the
  report does not make, a missing table); never counted as a failure.

Aggregation: relations give one finding per rule instance (``table3.balance.total``);
the cell families (``cell.present.table3`` ...) give one finding per table that lists
the failing cells; ``narrative.total_mentions_agree`` gives one finding per mention;
issue rules give one finding per parser issue. Cross-year rules run only when
``previous`` is given.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from nlp.report import split_rules
from nlp.report.findings import Finding, Status
from nlp.report.layout import layout
from nlp.report.model import ParseIssue, Report
from nlp.report.rule_table import (
    DECIMAL_CELLS,
    ISSUE_RULES,
    OTHER_CELL_CN,
    RULES,
    SECTIONS,
    TABLE2_CELL_CN,
    TABLE3_COLUMN_CN,
    TABLE3_ROW_CN,
    TABLE4_COLUMN_CN,
    TABLE4_GROUP_CN,
    TABLE_CELLS,
    TABLE_CN,
    TABLE_SECTION,
    Rule,
)
from nlp.text import collapse_spaces, to_halfwidth

__all__ = ["EVALUATORS", "ISSUE_RULES", "RULES", "Rule", "cell_name", "evaluate"]

_PASS, _FAIL, _NA = Status.PASS, Status.FAIL, Status.NOT_ASSESSABLE
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
_TITLE_YEAR_RE = re.compile(r"(?:19|20)\d{2}")
_SUBHEAD_RE = re.compile(r"[(（]\s*([一二三四五六七八九十]+)\s*[)）]")
_CLAUSE_SPLIT_RE = re.compile(r"[，,。；;！!？?\n]")
_SENTENCE_SPLIT_RE = re.compile(r"[。；;！!？?\n]")
_UNIT_LINE_RE = re.compile(f"(?:{'|'.join(layout()['signature_line_suffixes'])})$")


def evaluate(report: Report, previous: Report | None = None) -> list[Finding]:
    """Run every rule of the table on ``report``.

    Parameters
    ----------
    report : Report
        The parsed annual report.
    previous : Report, optional
        Last year's report of the same unit; enables the ``cross_year.*`` rules.

    Returns
    -------
    list of Finding
        In the order of the rule table; see the module docstring for how many
        findings each rule gives.
    """
    if not isinstance(report, Report):
        raise TypeError(f"evaluate() needs a Report, got {type(report).__name__}")
    if previous is not None and not isinstance(previous, Report):
        raise TypeError(f"previous must be a Report, got {type(previous).__name__}")
    ctx = _Context(report, previous)
    findings: list[Finding] = []
    for rule in RULES:
        if rule.needs_previous and previous is None:
            continue
        produced = EVALUATORS[rule.kind](rule, ctx)
        if rule.needs_previous:
            produced = [_check_previous_year(f, ctx) for f in produced]
        if rule.issue_codes and rule.kind != "issues":
            produced = [_attach_issue_text(f, rule, ctx) for f in produced]
        findings.extend(produced)
    return findings


# --- reading values -----------------------------------------------------------------

class _Context:
    """The report (and last year's) as JSON-shaped data, read once per evaluation."""

    def __init__(self, report: Report, previous: Report | None):
        self.report = report
        self.previous = previous
        self.data = report.to_dict()
        self.data["sections"] = dict(report.sections)
        self.prev = previous.to_dict() if previous is not None else None
        self.consumed: set[int] = set()  # ids of the parser issues a finding reported

    def consume(self, issues: Iterable[ParseIssue]) -> None:
        self.consumed.update(id(i) for i in issues)

    def get(self, path: str) -> Any:
        """The value at ``path``; ``None`` when the report does not have it."""
        node: Any = self.data
        if path.startswith("previous."):
            node, path = self.prev, path[len("previous."):]
        for part in path.split("."):
            if node is None:
                return None
            if part.endswith("]"):
                name, index = part[:-1].split("[")
                items = node.get(name) or []
                i = int(index)
                node = items[i]["value"] if i < len(items) else None
            elif isinstance(node, dict):
                node = node.get(part)
            else:
                return None
        return node

    def expand(self, terms: Iterable[str]) -> list[str]:
        """Expand ``prefix.*`` over the keys the report has; keep a leading ``-``."""
        out: list[str] = []
        for term in terms:
            sign = "-" if term.startswith("-") else ""
            path = term.lstrip("-")
            if path.endswith(".*"):
                node = self.get(path[:-2])
                keys = list(node) if isinstance(node, dict) else []
                out.extend(f"{sign}{path[:-2]}.{k}" for k in keys)
            else:
                out.append(term)
        return out

    def quote(self, cells: Iterable[str]) -> str | None:
        """The first sentence the parser quoted for one of ``cells``."""
        for cell in cells:
            text = self.report.quotes.get(cell.lstrip("-"))
            if text:
                return text
        return None

    def issues(self, codes: Iterable[str]) -> list[ParseIssue]:
        wanted = set(codes)
        return [i for i in self.report.issues if i.code in wanted]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _equal(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=0.0, abs_tol=1e-9)


def cell_name(path: str) -> str:
    """A cell path in the words of the report, for messages.

    >>> cell_name("table3.granted.total")
    '表三「予以公开」行「总计」列'
    >>> cell_name("table4.review.total")
    '表四「行政复议」「总计」'
    >>> cell_name("previous.table3.carried_forward.total")
    '上一年报告表三「结转下年度继续办理」行「总计」列'
    >>> cell_name("declared.domains.*")  # the report gives no split by domain
    '各领域条数'
    """
    if path.startswith("previous."):
        return "上一年报告" + cell_name(path[len("previous."):])
    parts = path.split(".")
    if parts[0] == "table3" and len(parts) == 3:
        return (f"表三「{TABLE3_ROW_CN.get(parts[1], parts[1])}」行"
                f"「{TABLE3_COLUMN_CN.get(parts[2], parts[2])}」列")
    if parts[0] == "table4" and len(parts) == 3:
        return (f"表四「{TABLE4_GROUP_CN.get(parts[1], parts[1])}」"
                f"「{TABLE4_COLUMN_CN.get(parts[2], parts[2])}」")
    if parts[0] == "table2":
        return f"表二「{TABLE2_CELL_CN.get('.'.join(parts[1:]), path)}」"
    if parts[:2] == ["declared", "domains"] and len(parts) == 3:
        return "各领域条数" if parts[2] == "*" else f"「{parts[2]}」领域条数"
    return OTHER_CELL_CN.get(path, path)


def _missing_message(label: str, missing: list[str]) -> str:
    first = cell_name(missing[0])
    more = f"等 {len(missing)} 项" if len(missing) > 1 else ""
    return f"{label}无法核对，{first}{more}没有数值"


# --- evaluators -----------------------------------------------------------------------

Evaluator = Callable[[Rule, _Context], list[Finding]]


def _finding(rule: Rule, status: Status, message: str, **kw: Any) -> Finding:
    return Finding(rule=rule.id, status=status, severity=rule.severity, message=message, **kw)


def _compare(rule: Rule, ctx: _Context) -> list[Finding]:
    """``sum(left) op sum(right)``; ``left`` is what the report states, ``right`` the check."""
    p = rule.params
    left, right = ctx.expand(p["left"]), ctx.expand(p["right"])
    cells = [t.lstrip("-") for t in (*left, *right)]
    values = {c: ctx.get(c) for c in cells}
    missing = [c for c in cells if not _is_number(values[c])]
    text = ctx.quote(cells)
    if not left or not right or missing:
        missing = missing or [t.lstrip("-") for t in (p["left"] if not left else p["right"])]
        return [_finding(rule, _NA, _missing_message(rule.label, missing), cells=cells,
                         text=text)]

    def total(terms: list[str]) -> float:
        return sum(-values[t[1:]] if t.startswith("-") else values[t] for t in terms)

    actual, expected = total(left), total(right)
    ln, rn, a, e = p["left_name"], p["right_name"], _fmt(actual), _fmt(expected)
    op = p["op"]
    if op == "==":
        ok = _equal(actual, expected)
        msg = (f"{rule.label}{ln}与{rn}一致，均为 {a}" if ok
               else f"{rule.label}{ln} {a}，{rn} {e}")
        if rule.id.startswith("narrative."):
            msg = (f"{rule.label}正文与表格一致，均为 {a}" if ok
                   else f"{rule.label}{ln} {a}，{rn} {e}")
    elif op == ">=":
        ok = actual >= expected or _equal(actual, expected)
        msg = f"{rule.label}{ln} {a} {'不小于' if ok else '小于'}{rn} {e}"
    elif op == "<=":
        ok = actual <= expected or _equal(actual, expected)
        msg = f"{rule.label}{ln} {a} {'不大于' if ok else '大于'}{rn} {e}"
    else:  # a typo in the table is a bug, not a user error
        raise ValueError(f"rule {rule.id}: unknown operator {op!r}")
    return [_finding(rule, _PASS if ok else _FAIL, msg, expected=expected, actual=actual,
                     cells=cells, text=text)]


def _cell_family(rule: Rule, ctx: _Context) -> list[Finding]:
    """One finding per table: the blank, negative or fractional cells it holds."""
    family, table = rule.params["family"], rule.params["table"]
    cn = TABLE_CN[table]
    cells = TABLE_CELLS[table]
    values = {c: ctx.get(c) for c in cells}
    known = [c for c in cells if values[c] is not None]
    if not known:
        return [_finding(rule, _NA, f"{cn}没有任何可读的数值（表格缺失或无法读取），无法逐格检查",
                         cells=[f"{table}.*"])]
    if family == "present":
        # cells another parser issue explains (unreadable, 2019 layout) are reported there
        unread = {c for i in ctx.report.issues if i.code != "blank_cell" for c in i.cells}
        bad = [c for c in cells if values[c] is None and c not in unread]
        what = "空白或无法读取（标准格式要求填 0）"
    elif family == "non_negative":
        bad = [c for c in known if _is_number(values[c]) and values[c] < 0]
        what = "为负数"
    elif family == "integer":
        bad = [c for c in known if c not in DECIMAL_CELLS and _is_number(values[c])
               and not float(values[c]).is_integer()]
        what = "不是整数"
    else:
        raise ValueError(f"rule {rule.id}: unknown family {family!r}")
    if not bad:
        return [_finding(rule, _PASS, f"{cn}的 {len(known)} 个单元格均无此问题",
                         expected=0, actual=0, cells=[f"{table}.*"])]
    shown = "、".join(cell_name(c) + ("" if values[c] is None else f"（{_fmt(values[c])}）")
                     for c in bad[:3])
    more = f"等 {len(bad)} 个单元格" if len(bad) > 3 else ""
    # a blank cell has no sentence of its own; the blank_cell issue's words come later
    text = None if family == "present" else ctx.quote(bad)
    return [_finding(rule, _FAIL, f"{shown}{more}{what}", expected=0, actual=len(bad),
                     cells=bad, text=text)]


def _zero_for_unit(rule: Rule, ctx: _Context) -> list[Finding]:
    """F2.NOREG: units without rule-making power report no 规章."""
    unit = ctx.report.unit
    cells = list(rule.params["cells"])
    if not unit:
        return [_finding(rule, _NA, "未识别出发布机关，无法判断其有无规章制定权",
                         cells=["unit", *cells])]
    name = collapse_spaces(unit)
    if not any(re.search(p, name) for p in rule.params["unit_patterns"]):
        return [_finding(rule, _PASS, f"发布机关「{name}」不属于县/区、乡镇或街道，本条不适用",
                         cells=["unit", *cells])]
    values = {c: ctx.get(c) for c in cells}
    missing = [c for c in cells if not _is_number(values[c])]
    if missing:
        return [_finding(rule, _NA, _missing_message(rule.label, missing),
                         cells=["unit", *cells])]
    nonzero = [c for c in cells if values[c] != 0]
    if not nonzero:
        return [_finding(rule, _PASS, f"发布机关「{name}」无规章制定权，表二规章均为 0",
                         expected=0, actual=0, cells=["unit", *cells])]
    shown = "、".join(f"{cell_name(c)} {_fmt(values[c])}" for c in nonzero)
    return [_finding(rule, _FAIL, f"发布机关「{name}」无规章制定权，但{shown}",
                     expected=0, actual={c: values[c] for c in nonzero},
                     cells=["unit", *cells], text=ctx.quote(nonzero))]


def _zero_if_zero(rule: Rule, ctx: _Context) -> list[Finding]:
    """§5.6: nothing received and nothing carried over means nothing processed."""
    cond, cells = list(rule.params["condition"]), list(rule.params["cells"])
    values = {c: ctx.get(c) for c in (*cond, *cells)}
    missing = [c for c in (*cond, *cells) if not _is_number(values[c])]
    if missing:
        return [_finding(rule, _NA, _missing_message(rule.label, missing), cells=cond + cells)]
    available = sum(values[c] for c in cond)
    if available != 0:
        msg = f"{rule.label}本年新收加上年结转为 {_fmt(available)}，本条不适用"
        return [_finding(rule, _PASS, msg, cells=cond)]
    nonzero = [c for c in cells if values[c] != 0]
    if not nonzero:
        return [_finding(rule, _PASS, f"{rule.label}没有待办申请，办理结果均为 0",
                         expected=0, actual=0, cells=cond + cells)]
    shown = "、".join(f"{cell_name(c)} {_fmt(values[c])}" for c in nonzero[:3])
    return [_finding(rule, _FAIL, f"{rule.label}本年新收与上年结转均为 0，但{shown}",
                     expected=0, actual={c: values[c] for c in nonzero},
                     cells=cond + nonzero, text=ctx.quote(nonzero))]


def _flag_implies_zero(rule: Rule, ctx: _Context) -> list[Finding]:
    """A statement like 「未发生行政复议」 requires the table cells to be 0."""
    flag = rule.params["flag"]
    cells = list(rule.params["cells"])
    if ctx.get(flag) is not True:
        return [_finding(rule, _NA, f"报告没有{cell_name(flag)}，本条无从核对", cells=[flag])]
    values = {c: ctx.get(c) for c in cells}
    known = [c for c in cells if _is_number(values[c])]
    nonzero = [c for c in known if values[c] != 0]
    text = ctx.quote([flag])
    if nonzero:
        shown = "、".join(f"{cell_name(c)} {_fmt(values[c])}" for c in nonzero[:3])
        return [_finding(rule, _FAIL, f"{rule.label}但{shown}", expected=0,
                         actual={c: values[c] for c in nonzero}, cells=[flag, *nonzero],
                         text=text)]
    if len(known) < len(cells):
        missing = [c for c in cells if c not in known]
        return [_finding(rule, _NA, _missing_message(rule.label, missing),
                         cells=[flag, *cells], text=text)]
    return [_finding(rule, _PASS, f"{rule.label}表格相应数值均为 0", expected=0, actual=0,
                     cells=[flag, *cells], text=text)]


def _present(rule: Rule, ctx: _Context) -> list[Finding]:
    cell = rule.params["cell"]
    ok = ctx.get(cell) is not None
    return [_finding(rule, _PASS if ok else _FAIL,
                     rule.params["present" if ok else "missing"], cells=[cell],
                     text=ctx.quote([cell]))]


def _fee_needs_applications(rule: Rule, ctx: _Context) -> list[Finding]:
    """N6: a fee can only be collected when there were applications."""
    p = rule.params
    flag, amount = ctx.get(p["flag"]), ctx.get(p["amount"])
    cells = [p["flag"], p["amount"], *p["cells"]]
    claimed = flag is True or (_is_number(amount) and amount > 0)
    text = ctx.quote([p["flag"], p["amount"]])
    if flag is None and not claimed:
        return [_finding(rule, _NA, "报告未说明是否收取信息处理费，本条无从核对", cells=cells)]
    if not claimed:
        return [_finding(rule, _PASS, "报告称未收取信息处理费", cells=cells, text=text)]
    values = [ctx.get(c) for c in p["cells"]]
    if not all(_is_number(v) for v in values):
        return [_finding(rule, _NA, _missing_message("信息处理费：", list(p["cells"])),
                         cells=cells, text=text)]
    applications = sum(values)
    fee = f"{_fmt(amount)} 元" if _is_number(amount) else ""
    if applications > 0:
        msg = f"报告称收取信息处理费{fee}，表三有 {_fmt(applications)} 件申请"
        return [_finding(rule, _PASS, msg, actual=applications, cells=cells, text=text)]
    return [_finding(rule, _FAIL,
                     f"报告称收取了信息处理费{fee}，但表三本年新收与上年结转申请均为 0",
                     expected=0, actual=amount if _is_number(amount) else True,
                     cells=cells, text=text)]


def _any_positive(rule: Rule, ctx: _Context) -> list[Finding]:
    cells = list(rule.params["cells"])
    values = {c: ctx.get(c) for c in cells}
    known = [c for c in cells if _is_number(values[c])]
    if not known:
        return [_finding(rule, _NA, _missing_message(rule.label, cells), cells=cells)]
    positive = [c for c in known if values[c] > 0]
    if not positive:
        return [_finding(rule, _PASS, f"{rule.label}为 0", actual=0, cells=known)]
    n = max(values[c] for c in positive)  # the 总计 column when it is filled
    return [_finding(rule, _FAIL, rule.label + rule.params["message"].format(n=_fmt(n)),
                     expected=0, actual=n, cells=positive, text=ctx.quote(positive))]


def _where(ctx: _Context, section: str, text: str | None) -> str:
    """「一(三)」: the section and the sub-item a quoted sentence sits in."""
    if "(" in section or "（" in section:
        return to_halfwidth(section).replace(" ", "")
    body = ctx.report.sections.get(section, "")
    if text and body:
        pos = body.find(text[:12])
        if pos >= 0:
            heads = list(_SUBHEAD_RE.finditer(body, 0, pos + 1))
            if heads:
                return f"{section}({heads[-1].group(1)})"
    return section or "正文"


def _count_unit(text: str | None, value: int) -> str:
    """The measure word a report used after a count (条, 件, 篇 ...); 条 by default."""
    found = re.search(rf"(?<!\d){value}\s*([条件篇个])", to_halfwidth(text or ""))
    return found.group(1) if found else "条"


def _mentions_agree(rule: Rule, ctx: _Context) -> list[Finding]:
    """N4: every restatement of the number of published items equals 一(一)'s count."""
    total = ctx.report.total_published
    mentions = ctx.report.total_mentions
    if not mentions:
        return [_finding(rule, _NA, "报告没有其他地方重述主动公开条数，无从比对",
                         cells=["declared.total_published"])]
    total_text = ctx.report.quotes.get("declared.total_published")
    origin = _where(ctx, "一", total_text) if total_text else "一(一)"
    out = []
    for i, m in enumerate(mentions):
        cells = ["declared.total_published", f"declared.total_mentions[{i}]"]
        here = _where(ctx, m.section, m.text)
        unit = _count_unit(m.text, m.value)
        said = f"{here}称 {m.value} {unit}"
        if total is None:
            out.append(_finding(rule, _NA, f"{said}，但一(一)没有给出主动公开条数",
                                actual=m.value, cells=cells, text=m.text))
        elif m.value == total:
            out.append(_finding(rule, _PASS, f"{said}，与{origin}一致",
                                expected=total, actual=m.value, cells=cells, text=m.text))
        else:
            total_unit = _count_unit(total_text, total) if total_text else unit
            out.append(_finding(rule, _FAIL, f"{said}，{origin}称 {total} {total_unit}",
                                expected=total, actual=m.value, cells=cells, text=m.text))
    return out


def _years_agree(rule: Rule, ctx: _Context) -> list[Finding]:
    """N7: title, reported year and statistics period name the same year."""
    report = ctx.report
    title_year = None
    if report.title:
        found = _TITLE_YEAR_RE.search(to_halfwidth(report.title))
        title_year = int(found.group()) if found else None
    period = ctx.get("narrative.period_year")
    named = {"title": title_year, "year": report.year, "narrative.period_year": period}
    known = {k: v for k, v in named.items() if isinstance(v, int) and not isinstance(v, bool)}
    cells = list(named)
    if len(known) < 2:
        return [_finding(rule, _NA, "报告只在一处给出年份，无从比对", cells=cells)]
    reference = report.year if report.year is not None else title_year
    odd = {k: v for k, v in known.items() if v != reference}
    if not odd:
        return [_finding(rule, _PASS, f"标题、报告年度与统计期限均为 {reference} 年",
                         expected=reference, actual=reference, cells=list(known))]
    shown = "，".join(f"{cell_name(k)}为 {v} 年" for k, v in odd.items())
    return [_finding(rule, _FAIL, f"报告年度为 {reference} 年，{shown}", expected=reference,
                     actual=next(iter(odd.values())), cells=list(known),
                     text=ctx.quote(["narrative.period_year"]) or report.title)]


def _in_brackets(text: str, pos: int) -> bool:
    """True when ``pos`` sits inside 《…》 (a document's name)."""
    return text.rfind("《", 0, pos) > text.rfind("》", 0, pos)


def _stray_year(rule: Rule, ctx: _Context) -> list[Finding]:
    """N7: another year in the body hints at text copied from an earlier report."""
    year = ctx.report.year
    sections = ctx.report.sections
    if year is None or not sections:
        return [_finding(rule, _NA, "缺少报告年度或正文，无从检查其他年份", cells=["year"])]
    words = rule.params["comparison_words"]
    stray: list[tuple[int, str, str]] = []
    for num, body in sections.items():
        text = to_halfwidth(body)
        for m in _YEAR_RE.finditer(text):
            y = int(m.group(1))
            if y in (year, year + 1) or _in_brackets(text, m.start()):
                continue
            start = max((s.end() for s in _CLAUSE_SPLIT_RE.finditer(text, 0, m.start())),
                        default=0)
            end_m = _CLAUSE_SPLIT_RE.search(text, m.end())
            clause = text[start:end_m.start() if end_m else len(text)].strip()
            if any(w in clause for w in words):
                continue
            stray.append((y, num, clause))
    if not stray:
        return [_finding(rule, _PASS, f"正文中的年份都是 {year} 年（或比较用语中的年份）",
                         expected=year, cells=["year"])]
    years = sorted({y for y, _, _ in stray})
    order = list(SECTIONS)
    places = sorted({num for _, num, _ in stray},
                    key=lambda n: (order.index(n) if n in order else len(order), n))
    return [_finding(rule, _FAIL,
                     f"报告年度为 {year} 年，但第{'、'.join(places)}部分出现"
                     f"{'、'.join(str(y) for y in years)} 年，可能沿用了往年报告的文字",
                     expected=year, actual=years,
                     cells=["year", *(f"sections.{n}" for n in places)], text=stray[0][2])]


def _issuer_name(rule: Rule, ctx: _Context) -> list[Finding]:
    """N8: the unit named in the title is the unit that signs."""
    unit, title = ctx.report.unit, ctx.report.title
    if not unit or not title:
        return [_finding(rule, _NA, "缺少标题或发布机关，无从比对", cells=["unit", "title"])]
    name = collapse_spaces(unit).replace(" ", "")
    flat_title = collapse_spaces(to_halfwidth(title)).replace(" ", "")
    # the issuer as the title writes it: everything before the year
    issuer = re.split(r"(?:19|20)\d{2}", flat_title, maxsplit=1)[0]
    if not (name in flat_title or (issuer and (name.endswith(issuer) or issuer.endswith(name)))):
        return [_finding(rule, _FAIL, f"标题「{title}」中没有发布机关「{name}」",
                         expected=name, actual=title, cells=["unit", "title"], text=title)]
    lines = [ln.strip() for ln in ctx.report.sections.get("六", "").splitlines() if ln.strip()]
    for signature in lines[-3:]:
        if (len(signature) < 40 and "。" not in signature and _UNIT_LINE_RE.search(signature)
                and not (signature.endswith(name) or name.endswith(signature))):
            return [_finding(rule, _FAIL, f"标题中的发布机关为「{name}」，落款为「{signature}」",
                             expected=name, actual=signature, cells=["unit", "sections.六"],
                             text=signature)]
    return [_finding(rule, _PASS, f"标题与落款的发布机关均为「{name}」", expected=name,
                     actual=name, cells=["unit", "title"])]


def _self_reference(rule: Rule, ctx: _Context) -> list[Finding]:
    """N8: 「我镇」 in a 街道's report is text copied from another unit's."""
    unit = ctx.report.unit
    if not unit or not ctx.report.sections:
        return [_finding(rule, _NA, "缺少发布机关或正文，无从检查自称", cells=["unit"])]
    body = "\n".join(ctx.report.sections.values())
    wrong = [w for w, kind in rule.params["words"].items() if w in body and kind not in unit]
    if not wrong:
        return [_finding(rule, _PASS, f"正文的自称与发布机关「{unit}」相符", cells=["unit"])]
    sentence = next((s for s in _SENTENCE_SPLIT_RE.split(body) if wrong[0] in s), None)
    return [_finding(rule, _FAIL, f"发布机关为「{unit}」，正文却自称「{'」「'.join(wrong)}」",
                     expected=unit, actual=wrong, cells=["unit", "sections.*"],
                     text=sentence.strip() if sentence else None)]


def _keywords(rule: Rule, ctx: _Context) -> list[Finding]:
    """N9/N10: a section mentions each of a list of topics."""
    p = rule.params
    section = p["section"]
    cells = [f"sections.{section}"]
    if p.get("unit_pattern"):
        unit = ctx.report.unit
        if not unit:
            return [_finding(rule, _NA, "未识别出发布机关，无法判断本条是否适用", cells=["unit"])]
        if not re.search(p["unit_pattern"], collapse_spaces(unit)):
            return [_finding(rule, _PASS, f"发布机关「{unit}」不是人民政府，本条不适用",
                             cells=["unit"])]
    body = ctx.report.sections.get(section)
    if not body:
        return [_finding(rule, _NA, f"没有读到「{SECTIONS[section]}」的正文", cells=cells)]
    missing = [name for name, pattern in p["groups"] if not re.search(pattern, body)]
    if missing:
        return [_finding(rule, _FAIL, f"{rule.label}没有写到：{'、'.join(missing)}",
                         actual=missing, cells=cells)]
    names = "、".join(name for name, _ in p["groups"])
    return [_finding(rule, _PASS, f"{rule.label}写到了{names}", cells=cells)]


def _sentence_pattern(rule: Rule, ctx: _Context) -> list[Finding]:
    """N12: a sentence that matches every pattern is a category error."""
    if not ctx.report.sections:
        return [_finding(rule, _NA, "没有读到正文", cells=["sections.*"])]
    patterns = rule.params["patterns"]
    for num, body in ctx.report.sections.items():
        for sentence in _SENTENCE_SPLIT_RE.split(body):
            if all(re.search(p, sentence) for p in patterns):
                return [_finding(rule, _FAIL, rule.params["message"], cells=[f"sections.{num}"],
                                 text=sentence.strip())]
    return [_finding(rule, _PASS, "正文没有把行政事业性收费称为信息处理费", cells=["sections.*"])]


def _section_present(rule: Rule, ctx: _Context) -> list[Finding]:
    num = rule.params["section"]
    heading = SECTIONS[num]
    if num in ctx.report.sections_found:
        return [_finding(rule, _PASS, f"报告有「{heading}」", cells=["sections_found"])]
    return [_finding(rule, _FAIL, f"报告缺少「{heading}」", cells=["sections_found"])]


def _section_order(rule: Rule, ctx: _Context) -> list[Finding]:
    found = [n for n in ctx.report.sections_found if n in SECTIONS]
    order = list(SECTIONS)
    issues = ctx.issues(rule.issue_codes)
    ctx.consume(issues)
    if issues:
        return [_finding(rule, _FAIL, i.message, cells=["sections_found"], text=i.text)
                for i in issues]
    if found != sorted(found, key=order.index):
        return [_finding(rule, _FAIL, f"章节顺序为 {'、'.join(found)}，应按一至六排列",
                         expected=sorted(found, key=order.index), actual=found,
                         cells=["sections_found"])]
    return [_finding(rule, _PASS, "各部分按一至六的顺序排列", cells=["sections_found"])]


def _mentions_table(issue: ParseIssue, table: str) -> bool:
    return issue.table == table or any(c == table or c.startswith(table + ".")
                                       for c in issue.cells)


def _table_present(rule: Rule, ctx: _Context) -> list[Finding]:
    table = rule.params["table"]
    cn = TABLE_CN[table]
    cells = [f"{table}.*"]
    if any(ctx.get(c) is not None for c in TABLE_CELLS[table]):
        return [_finding(rule, _PASS, f"报告有{cn}", cells=cells)]
    missing = f"第{TABLE_SECTION[table]}部分没有{cn}（或表格是图片，无法读取）"
    if any(_mentions_table(i, table) for i in ctx.issues(["table_missing"])):
        return [_finding(rule, _FAIL, missing, cells=cells)]
    unreadable = [i for i in ctx.issues(["table_unreadable"]) if _mentions_table(i, table)]
    if unreadable:
        return [_finding(rule, _PASS, f"报告有{cn}，但无法逐格读出（见 structure.table_readable）",
                         cells=cells, text=unreadable[0].text)]
    old_format = ctx.report.format_version == "2019" or ctx.issues(["format_2019"])
    if old_format and table in rule.params["layout_2019_differs"]:
        return [_finding(rule, _NA, f"报告使用 2019 年试行格式，{cn}未能按 2021 年格式读取",
                         cells=cells)]
    return [_finding(rule, _FAIL, missing, cells=cells)]


def _format_version(rule: Rule, ctx: _Context) -> list[Finding]:
    """A 2021+ report in the 2019 trial format, from the layout or a 2019 signature."""
    year, version = ctx.report.year, ctx.report.format_version
    issues = ctx.issues(rule.issue_codes)
    ctx.consume(issues)
    mixed = bool(issues) and version == "2021"  # 2021 tables with a 2019 part
    if issues:  # a 2019 signature anywhere outweighs a table read as 2021
        version = "2019"
    cells = ["year", "format_version", *(c for i in issues for c in i.cells)]
    text = issues[0].text if issues else None
    if year is None or version is None:
        return [_finding(rule, _NA, "缺少报告年度或无法判断表格格式版本", cells=cells, text=text)]
    since = rule.params["since"]
    if version == "2019" and year >= since:
        why = f"：{issues[0].message}" if issues else ""
        what = "有表格仍按" if mixed else "仍使用"
        return [_finding(rule, _FAIL,
                         f"{year} 年的年报{what} 2019 年试行格式，应使用 2021 年格式{why}",
                         expected="2021", actual=version, cells=cells, text=text)]
    return [_finding(rule, _PASS, f"{year} 年的年报使用 {version} 年格式", expected=version,
                     actual=version, cells=cells)]


def _issues(rule: Rule, ctx: _Context) -> list[Finding]:
    """One failing finding per parser issue of the rule's codes, else one pass."""
    issues = ctx.issues(rule.issue_codes)
    ctx.consume(issues)
    if not issues:
        return [_finding(rule, _PASS, rule.params["pass"], cells=list(rule.cells))]
    return [_finding(rule, _FAIL, i.message, cells=list(i.cells), text=i.text) for i in issues]


def _unclaimed_issues(rule: Rule, ctx: _Context) -> list[Finding]:
    """Every parser issue reaches the reviewer: the ones no earlier finding reported."""
    return [_finding(rule, _FAIL, f"{i.message}（{i.code}）", cells=list(i.cells), text=i.text)
            for i in ctx.report.issues if id(i) not in ctx.consumed]


EVALUATORS: dict[str, Evaluator] = {
    "compare": _compare,
    "domains_sum": lambda rule, ctx: split_rules.domains_sum(rule, ctx, _finding, _compare),
    "split_sum": lambda rule, ctx: split_rules.split_sum(rule, ctx, _finding),
    "split_partial": lambda rule, ctx: split_rules.split_partial(rule, ctx, _finding),
    "other_office": lambda rule, ctx: split_rules.other_office(rule, ctx, _finding),
    "body_year": lambda rule, ctx: split_rules.body_year(rule, ctx, _finding),
    "issues_if_any": lambda rule, ctx: split_rules.issues_if_any(rule, ctx, _finding),
    "cell_family": _cell_family,
    "zero_for_unit": _zero_for_unit,
    "zero_if_zero": _zero_if_zero,
    "flag_implies_zero": _flag_implies_zero,
    "present": _present,
    "fee_needs_applications": _fee_needs_applications,
    "any_positive": _any_positive,
    "mentions_agree": _mentions_agree,
    "years_agree": _years_agree,
    "stray_year": _stray_year,
    "issuer_name": _issuer_name,
    "self_reference": _self_reference,
    "keywords": _keywords,
    "sentence_pattern": _sentence_pattern,
    "section_present": _section_present,
    "section_order": _section_order,
    "table_present": _table_present,
    "format_version": _format_version,
    "issues": _issues,
    "unclaimed_issues": _unclaimed_issues,
}


# --- post-processing ------------------------------------------------------------------

def _check_previous_year(finding: Finding, ctx: _Context) -> Finding:
    """Cross-year rules only mean something when ``previous`` is the year before."""
    year = ctx.report.year
    prev_year = ctx.previous.year if ctx.previous is not None else None
    if year is None or prev_year is None or prev_year == year - 1:
        return finding
    finding.status = _NA
    finding.message = f"上一年报告的年度为 {prev_year} 年，不是 {year - 1} 年，无法跨年比对"
    finding.expected = finding.actual = None
    return finding


def _attach_issue_text(finding: Finding, rule: Rule, ctx: _Context) -> Finding:
    """Let a failing or unassessable finding report the parser issues behind it.

    The issues it covers are marked consumed (``parse.issue`` does not repeat them) and
    the first one's words become the finding's ``text`` when it has none.
    """
    if finding.status is _PASS:
        return finding
    names = {v for v in rule.params.values() if isinstance(v, str)}
    related = [i for i in ctx.issues(rule.issue_codes)
               if set(i.cells) & set(finding.cells)
               or any(c.startswith(n + ".") or c == n for c in i.cells for n in names)
               or i.table in names or i.section in names]
    ctx.consume(related)
    if not finding.text:
        finding.text = next((i.text for i in related if i.text), None)
    return finding
