"""The notice list's own hygiene: reposts, dates outside the year, the list's total, notices
outside the declared domains, the office's own labels.

:func:`counted_rows` decides which notices count towards the year (a repost of an earlier
title and a notice dated in another year do not); every count of the reconciliation is
over those rows, and the findings here say what was left out and why.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd

from nlp.labels import OTHER
from nlp.report.findings import Finding, Severity, Status
from nlp.report.model import Report
from nlp.text import collapse_spaces, to_halfwidth

#: How many titles a finding quotes before it says 「等」.
QUOTE_TITLES = 5


def title_keys(titles: list[str]) -> list[str]:
    """Titles with widths and spaces folded: two notices with the same key are one repost.

    >>> title_keys(["防汛 通知", "防汛\u3000 通知 ", "ＡＢ"])
    ['防汛 通知', '防汛 通知', 'AB']
    """
    return [collapse_spaces(to_halfwidth(t)) for t in titles]


def counted_rows(keys: list[str], dates: pd.Series | None, year: int | None) -> np.ndarray:
    """Positions of the notices that count towards the year's totals.

    A repeat of an earlier title key and a notice dated in another year than the
    report's are left out; a notice without a readable date is kept.

    >>> dates = parse_dates(pd.Series(["2023-01-02", "2022-12-30", "2023-05-01"]))
    >>> counted_rows(["甲", "乙", "甲"], dates, 2023).tolist()
    [0]
    """
    series = pd.Series(keys, dtype=object)
    keep = ~(series.duplicated() & series.ne("")).to_numpy()
    if dates is not None and year is not None:
        keep &= ~(dates.notna() & (dates.dt.year != year)).to_numpy()
    return np.flatnonzero(keep)


def list_total_finding(report: Report, n: int, listed: int) -> Finding:
    cells = ["declared.total_published"]
    if report.total_published is None:
        return Finding("reconcile.list_total", Status.NOT_ASSESSABLE, Severity.INFO,
                       f"年报未写明发布总数，无法与通知列表的 {n} 条核对",
                       actual=n, cells=cells)
    ok = n == report.total_published
    left_out = f"（列表 {listed} 条，除去重复和非本年度的 {listed - n} 条）" if listed != n else ""
    msg = f"通知列表计入本年度 {n} 条{left_out}，一(一)称发布 {report.total_published} 条"
    msg += "" if ok else "，不一致"
    return Finding("reconcile.list_total", Status.PASS if ok else Status.FAIL,
                   Severity.INFO if ok else Severity.WARNING, msg,
                   expected=report.total_published, actual=n, cells=cells)


def outside_findings(report: Report, predicted: list[str], titles: list[str]) -> list[Finding]:
    """Notices the model puts in 其他 or in a domain the report does not declare."""
    out: list[Finding] = []
    others = [i for i, lab in enumerate(predicted) if lab == OTHER]
    if others:
        out.append(Finding(
            "reconcile.other_notices", Status.FAIL, Severity.INFO,
            f"{len(others)} 条通知被模型归入「{OTHER}」，不属于六个领域",
            actual=len(others), text=quote(titles, others)))
    else:
        out.append(Finding("reconcile.other_notices", Status.PASS, Severity.INFO,
                           f"没有通知被模型归入「{OTHER}」", actual=0))
    undeclared = Counter(lab for lab in predicted if lab != OTHER and lab not in report.domains)
    for lab, count in sorted(undeclared.items(), key=lambda kv: (-kv[1], kv[0])):
        rows = [i for i, x in enumerate(predicted) if x == lab]
        out.append(Finding(
            "reconcile.undeclared_domain", Status.FAIL, Severity.WARNING,
            f"{count} 条通知被模型归入「{lab}」，但年报未申报该领域",
            expected=0, actual=count, cells=["declared.domains"], text=quote(titles, rows)))
    if not undeclared:
        out.append(Finding("reconcile.undeclared_domain", Status.PASS, Severity.INFO,
                           "没有通知被模型归入年报未申报的领域", actual=0,
                           cells=["declared.domains"]))
    return out


def duplicate_finding(keys: list[str]) -> Finding:
    counts = Counter(k for k in keys if k)
    dup_rows = [i for i, k in enumerate(keys) if counts.get(k, 0) > 1]
    extra = sum(c - 1 for c in counts.values() if c > 1)
    if not extra:
        return Finding("reconcile.duplicate_titles", Status.PASS, Severity.INFO,
                       "通知列表中没有重复标题", actual=0)
    first_rows = list(dict.fromkeys(keys[i] for i in dup_rows))
    quoted = quote(first_rows, list(range(len(first_rows))))
    return Finding("reconcile.duplicate_titles", Status.FAIL, Severity.WARNING,
                   f"通知列表中有 {len(first_rows)} 个标题重复出现（多出 {extra} 条），"
                   "可能重复计数", expected=0, actual=extra, text=quoted)


_DATE_SEP_RE = re.compile(r"[年月/.]")


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates as notice lists write them (``2023-05-06``, ``2023/5/6``, ``2023年5月6日``,
    ``2023.05.06``, Excel datetimes), as ``Timestamp`` or ``NaT``.

    >>> parse_dates(pd.Series(["2023年5月6日", "2023/05/07", "2023.5.8", "无"])).dt.day.tolist()
    [6.0, 7.0, 8.0, nan]
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    text = values.map(lambda v: "" if pd.isna(v) else to_halfwidth(str(v)).strip())
    text = text.str.replace("日", "", regex=False).str.replace(_DATE_SEP_RE, "-", regex=True)
    text = text.str.replace(r"-+", "-", regex=True).str.strip("- ")
    return pd.to_datetime(text, errors="coerce", format="mixed")


def date_finding(report: Report, dates: pd.Series | None, column: str,
                  titles: list[str]) -> Finding:
    if report.year is None:
        return Finding("reconcile.date_outside_year", Status.NOT_ASSESSABLE, Severity.INFO,
                       "年报未写明报告年度，无法核对通知发布日期", cells=["year"])
    if dates is None:
        return Finding("reconcile.date_outside_year", Status.NOT_ASSESSABLE, Severity.INFO,
                       f"通知列表没有日期列「{column}」", cells=["year"])
    unread = int(dates.isna().sum())
    outside = [int(i) for i in np.flatnonzero(dates.notna() & (dates.dt.year != report.year))]
    note = f"（另有 {unread} 条日期无法识别）" if unread else ""
    if not outside:
        return Finding("reconcile.date_outside_year", Status.PASS, Severity.INFO,
                       f"通知发布日期都在 {report.year} 年内{note}", expected=report.year,
                       actual=0, cells=["year"])
    years = sorted({int(y) for y in dates.iloc[outside].dt.year})
    return Finding("reconcile.date_outside_year", Status.FAIL, Severity.WARNING,
                   f"{len(outside)} 条通知的发布日期不在报告年度 {report.year} 年"
                   f"（{'、'.join(map(str, years))} 年）{note}",
                   expected=report.year, actual=len(outside), cells=["year"],
                   text=quote(titles, outside))


def office_disagree_finding(frame: pd.DataFrame, titles: list[str]) -> Finding:
    agrees = frame["office_agrees"]
    rows = [int(i) for i in np.flatnonzero(agrees.eq(False).to_numpy())]  # NaN = unknown
    if not rows:
        return Finding("reconcile.office_disagrees", Status.PASS, Severity.INFO,
                       "单位自标领域与模型判断一致", actual=0)
    return Finding("reconcile.office_disagrees", Status.FAIL, Severity.WARNING,
                   f"{len(rows)} 条通知的单位自标领域与模型判断不一致，请人工复核",
                   expected=0, actual=len(rows), text=quote(titles, rows))


def quote(titles: list[str], rows: list[int]) -> str:
    shown = "".join(f"「{titles[i]}」" for i in rows[:QUOTE_TITLES])
    return shown + ("等" if len(rows) > QUOTE_TITLES else "")
