"""The evaluators that check section 一's split of the published total (issue 14).

* ``split_sum`` — a complete split must add up to its total, and each nested split to
  the part it splits. The rule with ``params["headed"]`` True judges splits opened by
  a head word (其中/包括/:) in the total's sentence, an ERROR when they do not add up;
  the one with False judges parts that simply follow the total or open the next
  sentence, a WARNING (they may be only a selection).
* ``split_partial`` — a split the report itself marks as partial (a list ending in 等,
  a single part, an approximate part) is not added up; it is reported as partial.
* ``domains_sum`` — the seed's N3 (the total = the sum of the domains), not assessable
  when the domain split is partial.
* ``body_year`` — the year named in the total's sentence is the report's year (a title
  year that disagrees with the body: a stale template).
* ``issues_if_any`` — one failing finding per parser issue of the rule's codes, and no
  finding at all when there is none.

A rule that has nothing to judge (no split, or a domain split, which N3 checks) gives
no finding, so the count of checks of a report without such a split does not change.
"""

from __future__ import annotations

from collections.abc import Callable

from nlp.report.findings import Finding, Status
from nlp.report.model import Split

_PASS, _FAIL, _NA = Status.PASS, Status.FAIL, Status.NOT_ASSESSABLE
_KIND_CN = {"domain": "领域", "column": "栏目或信息类别", "channel": "发布渠道",
            "mixed": "混合口径"}
_PARTIAL_CN = {"等": "以「等」结尾", "single": "只列出一项", "approximate": "含约数"}


def _levels(split: Split, total: int | None, where: str
            ) -> list[tuple[str, Split, int | None]]:
    """(place, split, the count it splits) for the split and each nested split."""
    out = [(where, split, total)]
    for name, inner in split.nested.items():
        out.extend(_levels(inner, split.items.get(name), f"{where}「{name}」"))
    return out


def split_sum(rule, ctx, finding: Callable[..., Finding]) -> list[Finding]:
    """Every complete level of the split adds up to the count it splits."""
    report = ctx.report
    split = report.split
    if split is None or report.split_headed != rule.params["headed"]:
        return []
    text = report.quotes.get("declared.split")
    out = []
    for place, level, total in _levels(split, report.total_published, "主动公开总条数"):
        if not level.complete or (level is split and split.kind == "domain"):
            continue
        parts = sum(level.items.values())
        cells = ["declared.total_published", "declared.split"]
        kind = _KIND_CN.get(level.kind, level.kind)
        if total is None:
            why = "约数或累计数" if report.total_approximate and level is split else "未给出"
            out.append(finding(rule, _NA, f"{place}{why}，按{kind}分项之和为 {parts}，无从核对",
                               actual=parts, cells=cells, text=text))
        elif parts == total:
            out.append(finding(rule, _PASS, f"按{kind}的分项之和 {parts} 与{place} {total} 一致",
                               expected=total, actual=parts, cells=cells, text=text))
        else:
            hedge = "" if rule.params["headed"] else \
                "（分项未以「其中」等引出，可能只列了部分，请核对）"
            out.append(finding(rule, _FAIL,
                               f"按{kind}的分项之和为 {parts}，{place}为 {total}，相差 "
                               f"{total - parts}{hedge}",
                               expected=total, actual=parts, cells=cells, text=text))
    return out


def split_partial(rule, ctx, finding: Callable[..., Finding]) -> list[Finding]:
    """A partial level is reported, never added up."""
    split = ctx.report.split
    if split is None:
        return []
    out = []
    for place, level, total in _levels(split, ctx.report.total_published, "主动公开总条数"):
        if level.complete:
            continue
        parts = sum(level.items.values())
        why = _PARTIAL_CN.get(level.partial_reason or "", "只是部分")
        of = f"（{place} {total}）" if total is not None else ""
        out.append(finding(rule, _NA, f"分项{why}，是总数{of}的一部分，列出的 {len(level.items)} "
                                      f"项合计 {parts}，不核对合计",
                           expected=total, actual=parts, cells=["declared.split"],
                           text=ctx.report.quotes.get("declared.split")))
    return out


def domains_sum(rule, ctx, finding: Callable[..., Finding], compare) -> list[Finding]:
    """N3, unless the domain split is itself partial."""
    split = ctx.report.split
    if split is not None and split.kind == "domain" and not split.complete:
        return [finding(rule, _NA, f"{rule.label}领域分项只是部分，不核对合计",
                        cells=["declared.total_published", "declared.split"])]
    return compare(rule, ctx)


def body_year(rule, ctx, finding: Callable[..., Finding]) -> list[Finding]:
    """The year section 一's total sentence names is the report's year; no finding when
    the sentence names none (most do not)."""
    said, year = ctx.report.narrative.get("body_year"), ctx.report.year
    if not isinstance(said, int) or not isinstance(year, int) or said == year:
        return []
    return [finding(rule, _FAIL, f"报告年度为 {year} 年，一的主动公开条数却是「{said}年」的",
                    expected=year, actual=said, cells=["year", "narrative.body_year"],
                    text=ctx.report.quotes.get("declared.total_published"))]


def issues_if_any(rule, ctx, finding: Callable[..., Finding]) -> list[Finding]:
    """One failing finding per parser issue of the rule's codes; none when there is none."""
    issues = ctx.issues(rule.issue_codes)
    ctx.consume(issues)
    return [finding(rule, _FAIL, i.message, cells=list(i.cells), text=i.text) for i in issues]


def other_office(rule, ctx, finding: Callable[..., Finding]) -> list[Finding]:
    """The office that opens the total's clause is the reporting unit; no finding when the
    clause names none (「我镇…」「全年主动公开…」) or the report names no unit."""
    from nlp.report.offices import clause_office, same_office

    unit = ctx.report.unit
    text = ctx.report.quotes.get("declared.total_published")
    named = clause_office(text) if text else None
    if not unit or not named or same_office(named, unit):
        return []
    return [finding(rule, _FAIL, f"发布机关为「{unit}」，一的主动公开条数却写在「{named}」名下，"
                                 "可能沿用了其他单位的年报文字",
                    expected=unit, actual=named, cells=["unit", "declared.total_published"],
                    text=text)]
