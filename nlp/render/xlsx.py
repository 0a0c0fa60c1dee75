"""The reviewer's report as a workbook: 汇总, 核对发现, 通知分类.

Every text is written as data, never as a formula (:mod:`nlp.render.cells`): the
titles and quotes come from other people's files. Each sheet starts with one bold,
filled header row that stays frozen, carries an autofilter over its table and sets
column widths and number formats, so a reviewer can
sort and filter in Excel or WPS straight away. 通知分类 keeps every column of the
office's list and adds the classifier's columns; its 序号 is the 0-based position the
reconciliation's ``notices`` refer to.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nlp.render import (
    REPORT_TITLE,
    SEVERITY_ZH,
    STATUS_ZH,
    VERDICT_ZH,
    counts,
    domain_verdicts,
    fmt_number,
    unit_line,
)
from nlp.render.cells import data_row, put

if TYPE_CHECKING:
    from nlp.consistency import CheckResult

SHEETS = ("汇总", "核对发现", "通知分类")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="37474F")
SEVERITY_FILLS = {"error": "FFEBEE", "warning": "FFF3E0"}
VERDICT_FILLS = {"consistent": "E8F5E9", "suspect": "FFF3E0", "inconsistent": "FFEBEE"}

# (title, width, number format) per column of the two fixed-layout sheets.
SUMMARY_COLUMNS = (("领域", 14, None), ("年报申报", 10, "0"), ("模型判定", 10, "0"),
                   ("估计条数", 10, "0.0"), ("90%区间下限", 12, "0"), ("90%区间上限", 12, "0"),
                   ("结论", 14, None), ("单位自标", 10, "0"), ("待复核通知序号", 40, None),
                   ("依据", 80, None))
FINDING_COLUMNS = (("严重程度", 10, None), ("状态", 10, None), ("规则", 34, None),
                   ("说明", 60, None), ("应为", 12, None), ("实为", 12, None),
                   ("涉及单元格", 36, None), ("原文", 50, None))
# Columns the classifier adds, with their Chinese header and number format.
CLASSIFIER_COLUMNS = {"domain": ("模型领域", None), "confidence": ("置信度", "0.00"),
                      "second_domain": ("次选领域", None), "needs_review": ("需复核", None),
                      "office_domain": ("单位自标领域", None),
                      "office_agrees": ("与单位一致", None)}


def render_xlsx(result: CheckResult) -> bytes:
    """The workbook as bytes (an ``.xlsx`` file's content)."""
    wb = Workbook()
    _summary_sheet(wb.active, result)
    _findings_sheet(wb.create_sheet(SHEETS[1]), result)
    _notices_sheet(wb.create_sheet(SHEETS[2]), result)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _header(ws: Worksheet, titles: list[str], widths: list[float],
            formats: list[str | None], n_rows: int) -> None:
    """Style header row 1, freeze it, filter the table and format its columns."""
    for j, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        c = put(ws, 1, j, title)
        c.font, c.fill = HEADER_FONT, HEADER_FILL
        c.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = width
    for j, fmt in enumerate(formats, start=1):
        if fmt:
            for row in range(2, n_rows + 2):
                ws.cell(row=row, column=j).number_format = fmt
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(titles))}{max(n_rows + 1, 1)}"


def _summary_sheet(ws: Worksheet, result: CheckResult) -> None:
    ws.title = SHEETS[0]
    rec = result.reconciliation
    by_name = {d.domain: d for d in rec.domains} if rec else {}
    ws.append(data_row(ws, [t for t, _, _ in SUMMARY_COLUMNS]))
    rows = 0
    for name, verdict in domain_verdicts(result):
        d = by_name.get(name)
        values: list[Any] = [name, result.report.domains.get(name)]
        if d is None:
            values += [None, None, None, None, VERDICT_ZH.get(verdict, verdict), None, None, None]
        else:
            values += [d.predicted, round(float(d.expected), 1), d.interval[0], d.interval[1],
                       VERDICT_ZH.get(d.status, d.status), d.office,
                       ", ".join(str(i) for i in d.notices), d.reason]
        ws.append(data_row(ws, values))
        rows += 1
        fill = VERDICT_FILLS.get(verdict)
        if fill:
            ws.cell(row=rows + 1, column=7).fill = PatternFill("solid", fgColor=fill)
    _header(ws, [t for t, _, _ in SUMMARY_COLUMNS], [w for _, w, _ in SUMMARY_COLUMNS],
            [f for _, _, f in SUMMARY_COLUMNS], rows)
    # Below the table: who, which year, and the counts of findings.
    c = counts(result)
    start = rows + 3
    info = [(REPORT_TITLE, unit_line(result)),
            ("年报文件", (result.report.source or {}).get("path")),
            ("错误", c.errors), ("警告", c.warnings), ("提示", c.infos),
            ("通过", c.passed), ("无法判断", c.not_assessable)]
    if rec is not None:
        info.append(("通知列表条数", rec.n_notices))
    for k, (label, value) in enumerate(info):
        put(ws, start + k, 1, label).font = Font(bold=True)
        put(ws, start + k, 2, value)


def _findings_sheet(ws: Worksheet, result: CheckResult) -> None:
    order = {"fail": 0, "not_assessable": 1, "pass": 2}
    sev_order = {"error": 0, "warning": 1, "info": 2}
    findings = sorted(result.findings, key=lambda f: (order.get(f.status.value, 9),
                                                      sev_order.get(f.severity.value, 9)))
    ws.append(data_row(ws, [t for t, _, _ in FINDING_COLUMNS]))
    for at, f in enumerate(findings, start=2):  # ws.max_row would scan every cell
        ws.append(data_row(ws, [SEVERITY_ZH.get(f.severity.value, f.severity.value),
                                STATUS_ZH.get(f.status.value, f.status.value), f.rule,
                                f.message, _scalar(f.expected), _scalar(f.actual),
                                ", ".join(f.cells), f.text]))
        if f.status.value == "fail" and f.severity.value in SEVERITY_FILLS:
            ws.cell(row=at, column=1).fill = PatternFill(
                "solid", fgColor=SEVERITY_FILLS[f.severity.value])
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    _header(ws, [t for t, _, _ in FINDING_COLUMNS], [w for _, w, _ in FINDING_COLUMNS],
            [f for _, _, f in FINDING_COLUMNS], len(findings))


def _scalar(value: Any) -> Any:
    """A finding's expected/actual as one spreadsheet cell."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return fmt_number(value) if isinstance(value, (list, tuple)) else str(value)


def _notices_sheet(ws: Worksheet, result: CheckResult) -> None:
    c = result.classification
    if c is None:
        _header(ws, ["序号", "标题"], [8, 60], [None, None], 0)
        return
    frame = c.frame.reset_index(drop=True)
    own = [col for col in frame.columns if col not in CLASSIFIER_COLUMNS]
    added = [col for col in CLASSIFIER_COLUMNS if col in frame.columns]
    extra: dict[str, Any] = {}
    if "domain" not in frame.columns and len(c.proba):
        extra["domain"] = [c.labels[int(i)] for i in np.asarray(c.proba).argmax(axis=1)]
        extra["confidence"] = np.asarray(c.proba).max(axis=1)
        added = ["domain", "confidence"]
    columns = own + added
    titles = ["序号"] + [str(col) if col in own else CLASSIFIER_COLUMNS[col][0]
                        for col in columns]
    formats: list[str | None] = ["0"] + [CLASSIFIER_COLUMNS.get(col, ("", None))[1]
                                         if col in added else None for col in columns]
    widths = [8] + [60 if col == c.title_column else 14 for col in columns]
    ws.append(data_row(ws, titles))
    for i in range(len(frame)):
        values: list[Any] = [i]
        for col in columns:
            v = extra[col][i] if col in extra else frame.at[i, col]
            values.append(_cell_value(v))
        ws.append(data_row(ws, values))
    _header(ws, titles, widths, formats, len(frame))


def _cell_value(value: Any) -> Any:
    """A DataFrame value openpyxl can store: numpy scalars unwrapped, NaN/NaT empty."""
    if value is None:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
