"""Parsing an annual report: from a :class:`~nlp.readers.reports.Source` to a :class:`Report`.

:func:`parse_report` is pure. It works on one position-preserving normalised
copy of the text (full-width digits, letters and brackets folded to ASCII, one
character for one), so every match can be quoted from the original text at
the same offsets. Row labels, section headings and format signatures come
from ``nlp/data/table_layout.json``; the table readers walk the labels in the
standard's order and read the numbers between one label and the next, which
works alike for tab-separated lines, one-cell-per-line dumps, PDF rows and
text where the cells ran together.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from nlp.errors import InputError
from nlp.labels import canonical_domain, is_known_domain
from nlp.readers.reports import Source, read_report
from nlp.report.model import (
    NARRATIVE_KEYS,
    TABLE3_COLUMNS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    ParseIssue,
    Report,
    TotalMention,
)
from nlp.text import parse_number

# One-to-one character folding, so offsets in the folded text are offsets in the original.
_FOLD = {**{0xFF10 + i: 0x30 + i for i in range(10)},
         **{0xFF21 + i: 0x41 + i for i in range(26)},
         **{0xFF41 + i: 0x61 + i for i in range(26)},
         ord("（"): "(", ord("）"): ")", ord("．"): ".", ord("\u3000"): " ", ord("\u00a0"): " ",
         ord("／"): "/", ord("＋"): "+", ord("－"): "-", ord("："): ":", ord("﹒"): "."}
_NUM = r"(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+)"
_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_SENTENCE_END = "。；;！？!?\n"
_CLAUSE_END = "，,。；;！？!?\n"
_ROW_WINDOW = 6000  # a table row label is never further than this from the previous one
_TABLE3_MIN_ROWS = 5  # fewer labels found than this means there is no table 三


@cache
def _layout() -> dict[str, Any]:
    text = resources.files("nlp.data").joinpath("table_layout.json").read_text(encoding="utf-8")
    return json.loads(text)


def _fold(text: str) -> str:
    return text.translate(_FOLD)


def _spaced(literal: str) -> str:
    """A regex for ``literal`` that tolerates white space between its characters."""
    out = []
    for ch in _fold(literal):
        if ch == ".":
            out.append(r"[.、]")
        elif ch.isspace():
            continue
        else:
            out.append(re.escape(ch))
    return r"\s*".join(out)


def _prefix_regex(prefix: str | None) -> str:
    if not prefix:
        return ""
    p = _fold(prefix)
    # The enumerator may stand a few characters before the keyword (「5.属于三类内部事务」).
    filler = r"[^\d\t\n。]{0,8}?"
    if p.startswith("("):
        return rf"(?:\(\s*{re.escape(p.strip('()'))}\s*\){filler})?"
    if p.isdigit():
        return rf"(?:{p}\s*[.、]{filler})?"
    return rf"(?:{re.escape(p)}\s*[、.]{filler})?"


@cache
def _row_patterns(table: str) -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    rows = _layout()[table]["rows"]
    out = []
    for row in rows:
        words = "|".join(_spaced(k) for k in row["keywords"])
        prefix = "" if row.get("strict") else _prefix_regex(row.get("prefix"))
        out.append((row, re.compile(f"{prefix}(?:{words})")))
    return out


@cache
def _section_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [(s["numeral"], re.compile("|".join(s["patterns"])))
            for s in _layout()["sections"]]


# --- entry points -----------------------------------------------------------------------

def parse(path: str | Path) -> Report:
    """Read the report at ``path`` and parse it (:func:`read_report` + :func:`parse_report`)."""
    return parse_report(read_report(path))


def parse_report(source: Source) -> Report:
    """Everything the report declares, read from ``source``.

    Parameters
    ----------
    source : Source
        The report as :func:`nlp.readers.reports.read_report` returned it.

    Returns
    -------
    Report
        Values the report does not give (or that cannot be read without
        guessing) are ``None``; what went wrong is in ``report.issues``.
    """
    doc = _Doc(source.text)
    report = Report(source={"path": source.path, "format": source.format,
                            "encoding": source.encoding})
    _read_sections(doc, report)
    _read_title(doc, report)
    _read_format(doc, report)
    _read_table2(doc, report)
    _read_table3(doc, report)
    _read_table4(doc, report)
    _read_totals(doc, report)
    _read_narrative(doc, report)
    return report


def require_report(report: Report) -> Report:
    """``report`` itself, or an :class:`InputError` when the text is no annual report at all.

    A file with no report title, no year and not one section heading (a notice list
    passed by mistake, a web page's error page) would otherwise be "checked" into a
    page of not-assessable findings. ``nlp.parse`` calls this, so ``parse`` and
    ``check`` refuse the same files.
    """
    if report.title is None and report.year is None and not report.sections_found:
        raise InputError("this is not a 政府信息公开工作年度报告: no report title, no year and "
                         "no section heading (一、总体情况 …) found",
                         path=(report.source or {}).get("path"))
    return report


@dataclass
class _Doc:
    """The original text, its folded copy and where each section lies."""

    text: str

    def __post_init__(self) -> None:
        self.norm = _fold(self.text)
        self.spans: dict[str, tuple[int, int]] = {}  # numeral -> (heading start, end of section)
        self.body: dict[str, int] = {}  # numeral -> end of the heading
        self.table_spans: list[tuple[int, int]] = []

    def quote(self, start: int, end: int, stops: str = _SENTENCE_END) -> str:
        """The sentence (or clause) of the original text around ``start:end``."""
        lo = start
        while lo > 0 and self.text[lo - 1] not in stops and start - lo < 200:
            lo -= 1
        hi = end
        while hi < len(self.text) and self.text[hi] not in stops and hi - end < 200:
            hi += 1
        return self.text[lo:hi].strip(" \t，,")

    def line(self, pos: int) -> str:
        """The table line around ``pos`` (at most 160 characters of it)."""
        lo = max(self.text.rfind("\n", 0, pos) + 1, pos - 40)
        hi = self.text.find("\n", pos)
        hi = min(hi if hi >= 0 else len(self.text), pos + 120)
        return self.text[lo:hi].strip()

    def section_of(self, pos: int) -> str:
        for numeral, (lo, hi) in self.spans.items():
            if lo <= pos < hi:
                return numeral
        return ""

    def region(self, numeral: str) -> tuple[int, int] | None:
        if numeral not in self.spans:
            return None
        return self.body[numeral], self.spans[numeral][1]


# --- sections, title, year --------------------------------------------------------------

def _read_sections(doc: _Doc, report: Report) -> None:
    found: list[tuple[str, int, int]] = []
    pos = 0
    for numeral, pattern in _section_patterns():
        m = pattern.search(doc.norm, pos)
        if m is None:
            report.issues.append(ParseIssue("section_missing", f"未找到第{numeral}部分的标题",
                                            text=numeral))
            continue
        found.append((numeral, m.start(), m.end()))
        pos = m.end()
    for i, (numeral, start, end) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(doc.text)
        doc.spans[numeral] = (start, stop)
        doc.body[numeral] = end
        report.sections[numeral] = doc.text[end:stop].strip()
    report.sections_found = [f[0] for f in found]


_TITLE_RE = re.compile(
    r"(?m)^\s*([\u4e00-\u9fff()]{2,40}?)\s*((?:19|20)\d{2})\s*年度?\s*"
    r"(?:政府信息公开|政务公开|信息公开)工作(?:年度)?报告")
_SIGNATURE_RE = re.compile(
    r"([\u4e00-\u9fff()]{2,30}?(?:厅|局|委员会|委|办事处|人民政府|政府|办公室|院|中心|街道|镇|乡|署|会))"
    r"\s*((?:19|20)\d{2})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_PERIOD_RE = re.compile(r"统计期限\D{0,8}?((?:19|20)\d{2})\s*年")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")


def _read_title(doc: _Doc, report: Report) -> None:
    head_end = doc.spans.get("一", (min(len(doc.norm), 600), 0))[0] or min(len(doc.norm), 600)
    m = _TITLE_RE.search(doc.norm, 0, max(head_end, 1))
    if m is not None:
        report.title = re.sub(r"\s+", "", doc.text[m.start(1):m.end()])
        report.quotes["title"] = doc.text[m.start(1):m.end()].strip()
    else:  # no title line; the report may still name itself in a sentence or an attachment
        m = _TITLE_IN_TEXT_RE.search(doc.norm)
    if m is not None:
        report.unit = _full_unit(doc, _clean_unit(m.group(1)))
        report.year = int(m.group(2))
    period = _PERIOD_RE.search(doc.norm)
    if period is not None:
        report.narrative["period_year"] = int(period.group(1))
        report.quotes["narrative.period_year"] = doc.quote(period.start(), period.end())
    if report.unit is None:
        tail = max(0, len(doc.norm) - 800)
        sigs = list(_SIGNATURE_RE.finditer(doc.norm, tail))
        if sigs:
            report.unit = _clean_unit(sigs[-1].group(1))
    if report.unit is None:
        report.unit = _unit_in_body(doc)
    if report.year is None:
        if period is not None:
            report.year = int(period.group(1))
        else:
            years = Counter(int(y) for y in _YEAR_RE.findall(
                doc.norm[: doc.spans["二"][0]] if "二" in doc.spans else doc.norm))
            report.year = years.most_common(1)[0][0] if years else None


_TITLE_IN_TEXT_RE = re.compile(_TITLE_RE.pattern.replace("(?m)^\\s*", ""))


def _clean_unit(name: str) -> str:
    """Cut words the run of characters before a unit name picked up.

    A province name starts the unit when there is one (「…事项无河北省人社厅」);
    otherwise leading verbs such as 发布 are dropped.
    """
    starts = [name.find(p) for p in _layout()["provinces"] if p in name]
    if starts:
        return name[min(starts):]
    return re.sub(r"^(?:现将|现|特|发布|公布|印发|附件|关于)+", "", name)


def _unit_in_body(doc: _Doc) -> str | None:
    """A province-level organisation named near the start of section 一.

    With its province (「2021年，河北省科学技术厅坚持…」) anywhere there, or else
    as the subject of a 「YYYY年，…」 sentence without one (「2023年，省工业和信息化厅
    坚持…」); the latter gets the province the report names, when it names
    exactly one (「《河北省实施…办法》」), and is kept as written otherwise.
    """
    lo, hi = doc.spans.get("一", (0, min(len(doc.norm), 3000)))
    text = doc.norm[lo:min(hi, lo + 3000)]
    named, bare = _unit_patterns()
    m = named.search(text)
    if m is not None:
        return m.group()
    m = bare.search(text)
    if m is None:
        return None
    provinces = {p for p in _layout()["provinces"] if p + "省" in doc.norm}
    return provinces.pop() + m.group(1) if len(provinces) == 1 else m.group(1)


@cache
def _unit_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a unit written with its province, a 「省…厅」 unit as a sentence's subject)."""
    names = "|".join(_layout()["provinces"])
    suffixes = "|".join(_layout()["unit_suffixes"])
    named = re.compile(rf"(?:{names})省?[\u4e00-\u9fff]{{1,14}}?(?:{suffixes})")
    bare = re.compile(rf"(?:19|20)\d{{2}}\s*年(?:度|以来)?\s*[，,]\s*"
                      rf"(省[\u4e00-\u9fff]{{1,14}}?(?:{suffixes}))")
    return named, bare


def _full_unit(doc: _Doc, unit: str) -> str:
    """The unit with the city or province the report writes before it elsewhere.

    The title often drops the city (「洪泽区人民政府」) that the body writes in
    full (「淮安市洪泽区人民政府办公室」); the shortest place name ending in
    省/市/州 right before the unit is taken, twice at most.
    """
    unit = unit.strip("()")
    pos = doc.norm.find(unit)
    while pos >= 0:
        prefix, end = "", pos
        for _ in range(2):
            for length in (2, 3, 4):
                lo = end - length - 1
                piece = doc.norm[lo:end] if lo >= 0 else ""
                if piece and piece[-1] in "省市州盟" and all(
                        "\u4e00" <= ch <= "\u9fff" for ch in piece):
                    prefix, end = piece + prefix, lo
                    break
            else:
                break
        if prefix and not unit.startswith(prefix):
            return prefix + unit
        pos = doc.norm.find(unit, pos + 1)
    return unit


def _read_format(doc: _Doc, report: Report) -> None:
    sig = _layout()["format_signatures"]
    region = doc.region("二")
    compact = re.sub(r"\s+", "", doc.norm[region[0]:region[1]] if region else doc.norm)
    old = [s for s in sig["2019"] if _fold(s) in compact]
    if old:
        report.format_version = "2019"
        report.issues.append(ParseIssue(
            "format_2019", "表二使用2019年试行格式的栏目：" + "、".join(old), text=old[0]))
    elif any(_fold(s) in compact for s in sig["2021"]):
        report.format_version = "2021"


# --- reading cell values ----------------------------------------------------------------

_OK, _BLANK, _UNREADABLE = "ok", "blank", "unreadable"


def _values(segment: str, k: int, *, first: bool = False) -> tuple[list[Any], str]:
    """The ``k`` cell values in the text between a row label and the next.

    Returns the values (``None`` for a blank cell) and a status: ``ok``,
    ``blank`` (some or all cells are empty) or ``unreadable`` (numbers that
    cannot be assigned to the ``k`` cells without guessing).
    """
    cut = segment.find("。")
    if cut >= 0:
        segment = segment[:cut]
    cells: list[tuple[str, Any]] = []  # ("num", text) or ("blank", None)
    for line in segment.split("\n"):
        tabbed = "\t" in line
        kinds = [_classify(f.strip()) for f in (line.split("\t") if tabbed else line.split())]
        nums = [i for i, (kind, _) in enumerate(kinds) if kind in ("num", "blank")]
        for i, (kind, value) in enumerate(kinds):
            if kind in ("num", "blank"):
                cells.append((kind, value))
            elif kind == "runs":
                cells.extend(("num", run) for run in value)
            elif kind == "empty" and tabbed and nums and nums[0] < i < nums[-1]:
                cells.append(("blank", None))  # an empty cell between two filled ones
    if not any(kind == "num" for kind, _ in cells):
        return [None] * k, _BLANK
    if len(cells) == 1 and k > 1:
        split = _unique_split(cells[0][1], k) if cells[0][1].isdigit() else None
        return (split, _OK) if split else ([None] * k, _UNREADABLE)
    if len(cells) < k:
        return [None] * k, _UNREADABLE
    chosen = cells[:k] if first else cells[-k:]
    values = [parse_number(v) if kind == "num" else None for kind, v in chosen]
    return values, (_BLANK if any(v is None for v in values) else _OK)


def _classify(field: str) -> tuple[str, Any]:
    """One cell of a table line: a number, a blank marker, empty, or text."""
    if not field:
        return "empty", None
    if field in _blank_markers():
        return "blank", None
    if _NUMBER_RE.fullmatch(field):
        return "num", field
    value = parse_number(field) if len(field) <= 8 else None
    if value is not None:
        return "num", str(value)
    runs = _NUMBER_RE.findall(field)
    if runs:
        return "runs", runs  # digits run into the label text around them
    return "text", None


@cache
def _blank_markers() -> frozenset[str]:
    return frozenset(m for m in _layout()["blank_markers"] if m)


def _unique_split(digits: str, k: int) -> list[int] | None:
    """Split run-together digits into ``k`` numbers, only when exactly one split exists.

    Numbers have no leading zeros, so ``0000000`` can only be seven zeros,
    while ``170000017`` could be 17,0,…,17 or 1,70,…: that is a guess, and
    the answer is ``None``.

    >>> _unique_split("0000000", 7)
    [0, 0, 0, 0, 0, 0, 0]
    >>> _unique_split("1000001", 7)
    [1, 0, 0, 0, 0, 0, 1]
    >>> _unique_split("170000017", 7) is None
    True
    """
    n = len(digits)
    if n < k or n > 12 * k:
        return None
    # ways[i][j]: number of ways to split digits[i:] into j numbers (capped at 2).
    ways = [[0] * (k + 1) for _ in range(n + 1)]
    ways[n][0] = 1
    for i in range(n - 1, -1, -1):
        ends = [i + 1] if digits[i] == "0" else range(i + 1, min(n, i + 12) + 1)
        for j in range(1, k + 1):
            ways[i][j] = min(2, sum(ways[e][j - 1] for e in ends))
    if ways[0][k] != 1:
        return None
    out, i = [], 0
    for j in range(k, 0, -1):
        ends = [i + 1] if digits[i] == "0" else range(i + 1, min(n, i + 12) + 1)
        e = next(e for e in ends if ways[e][j - 1])
        out.append(int(digits[i:e]))
        i = e
    return out


@dataclass
class _Row:
    key: str
    label: str
    start: int
    end: int


def _find_rows(doc: _Doc, table: str, lo: int, hi: int) -> list[_Row]:
    """The row labels of ``table`` between ``lo`` and ``hi``, in the standard's order."""
    rows: list[_Row] = []
    pos = lo
    for row, pattern in _row_patterns(table):
        m = pattern.search(doc.norm, pos, min(hi, pos + _ROW_WINDOW))
        if m is None:
            continue
        rows.append(_Row(row["key"], row["label"], m.start(), m.end()))
        pos = m.end()
    return rows


def _segments(doc: _Doc, rows: list[_Row], hi: int) -> list[str]:
    out = []
    for i, row in enumerate(rows):
        stop = rows[i + 1].start if i + 1 < len(rows) else hi
        out.append(doc.norm[row.end:stop])
    return out


_TABLE_CN = {"table2": "表二", "table3": "表三", "table4": "表四"}
_TABLE_SECTION = {"table2": "二", "table3": "三", "table4": "四"}


def _record(report: Report, doc: _Doc, problems: dict[str, list[str]], table: str) -> None:
    if problems[_BLANK]:
        report.issues.append(ParseIssue(
            "blank_cell", f"{_TABLE_CN[table]}有 {len(problems[_BLANK])} 个空白单元格，按未填处理",
            cells=problems[_BLANK]))
    if problems[_UNREADABLE]:
        report.issues.append(ParseIssue(
            "table_unreadable",
            f"{_TABLE_CN[table]}有 {len(problems[_UNREADABLE])} 个单元格无法可靠读出"
            "（数字粘连或缺格），未作猜测",
            cells=problems[_UNREADABLE]))


def _missing(report: Report, table: str, cells: list[str]) -> None:
    names = {"table2": "表二（主动公开政府信息情况）",
             "table3": "表三（收到和处理政府信息公开申请情况）",
             "table4": "表四（行政复议、行政诉讼情况）"}
    report.issues.append(ParseIssue("table_missing", f"未找到{names[table]}", cells=cells))


# --- table 二 ---------------------------------------------------------------------------

def _table2_cells() -> list[str]:
    out = []
    for row in _layout()["table2"]["rows"]:
        cols = row.get("columns")
        out += [f"table2.{row['key']}.{c}" for c in cols] if cols else [f"table2.{row['key']}"]
    return out


def _read_table2(doc: _Doc, report: Report) -> None:
    region = doc.region("二")
    if report.format_version == "2019":
        return  # the 2019 columns are other quantities; the format_2019 issue says so
    rows = _find_rows(doc, "table2", *region) if region else []
    if len(rows) < 2:
        _missing(report, "table2", _table2_cells())
        return
    layout = {r["key"]: r for r in _layout()["table2"]["rows"]}
    problems: dict[str, list[str]] = {_BLANK: [], _UNREADABLE: []}
    segments = _segments(doc, rows, region[1])
    for i, (row, segment) in enumerate(zip(rows, segments, strict=False)):
        cols = layout[row.key].get("columns")
        values, status = _values(segment, len(cols) if cols else 1, first=i == len(rows) - 1)
        paths = [f"table2.{row.key}.{c}" for c in cols] if cols else [f"table2.{row.key}"]
        if cols:
            report.table2[row.key] = dict(zip(cols, values, strict=False))
        else:
            report.table2[row.key] = values[0]
        for path, value in zip(paths, values, strict=False):
            report.quotes[path] = doc.line(row.start)
            if value is None:
                problems[_BLANK if status == _BLANK else _UNREADABLE].append(path)
    found = {r.key for r in rows}
    absent = [p for p in _table2_cells() if p.split(".")[1] not in found]
    problems[_BLANK] += absent
    doc.table_spans.append((rows[0].start, region[1]))
    _record(report, doc, problems, "table2")
    _check_headers(doc, report, "table2", rows[0].start - 400, region[1])


# A header cell: text without digits between white space; single spaces inside it are a
# wrapped cell (「结果 维持」), two or more (or a tab, a line break) end it.
_HEADER_FIELD_RE = re.compile(r"(?:(?<=\s)|^)[^\s\d]+(?: [^\s\d]+)*(?=\s|$)")


def _check_headers(doc: _Doc, report: Report, table: str, lo: int, hi: int) -> None:
    """Report header cells of ``table`` that are near, but not equal to, the standard text.

    A cell far from every standard header is other text (a note, a sentence)
    and is left alone; one that is close but differs is a misspelt header
    (the SEED's 「本年度止件数」), which the standard asks to report.
    """
    layout = _layout()[table]
    standard = [_compact(h) for h in layout["headers"] + layout.get("row_labels", [])]
    ignore = layout.get("header_ignore", [])
    lo = max(lo, doc.body.get(_TABLE_SECTION[table], 0))
    seen = set()
    for m in _HEADER_FIELD_RE.finditer(doc.norm[lo:hi]):
        field = _compact(m.group())
        if not 4 <= len(field) <= 20 or field in standard or field in seen \
                or any(word in field for word in ignore):
            continue
        best = max(standard, key=lambda s: SequenceMatcher(None, field, s).ratio())
        if len(field) <= len(best) + 2 and SequenceMatcher(None, field, best).ratio() >= 0.75:
            seen.add(field)
            original = doc.text[lo + m.start(): lo + m.end()]
            report.issues.append(ParseIssue(
                "header_text_deviates",
                f"{_TABLE_CN[table]}栏目「{original}」与标准文字「{best}」不一致", text=original))


def _compact(text: str) -> str:
    return re.sub(r"[\s\"“”'‘’]", "", _fold(text))


# --- table 三 ---------------------------------------------------------------------------

def _read_table3(doc: _Doc, report: Report) -> None:
    region = doc.region("三")
    lo, hi = region if region else (doc.body.get("二", 0), len(doc.norm))
    rows = _find_rows(doc, "table3", lo, hi) if region else []
    all_cells = [f"table3.{r}.{c}" for r in report.table3 for c in TABLE3_COLUMNS]
    if len(rows) < _TABLE3_MIN_ROWS:
        _missing(report, "table3", all_cells)
        return
    problems: dict[str, list[str]] = {_BLANK: [], _UNREADABLE: []}
    segments = _segments(doc, rows, hi)
    labels = {r["key"]: r for r in _layout()["table3"]["rows"]}
    for i, (row, segment) in enumerate(zip(rows, segments, strict=False)):
        values, status = _values(segment, len(TABLE3_COLUMNS), first=i == len(rows) - 1)
        report.table3[row.key] = dict(zip(TABLE3_COLUMNS, values, strict=False))
        line = doc.line(row.start)
        for col, value in zip(TABLE3_COLUMNS, values, strict=False):
            report.quotes[f"table3.{row.key}.{col}"] = line
            if value is None:
                problems[_BLANK if status == _BLANK else _UNREADABLE].append(
                    f"table3.{row.key}.{col}")
        _check_label(doc, report, row, labels[row.key])
    found = {r.key for r in rows}
    missing_rows = [k for k in report.table3 if k not in found]
    single = re.search("|".join(_spaced(s) for s in _layout()["table3"]["single_other_row"]),
                       doc.norm[lo:hi])
    other_rows = ("other_overdue_correction", "other_overdue_fee", "other_other")
    if single and all(k in missing_rows for k in other_rows):
        report.issues.append(ParseIssue(
            "format_2019", "表三「（六）其他处理」为单行、无1–3子项（2019年试行格式）",
            cells=[f"table3.{k}.{c}" for k in other_rows for c in TABLE3_COLUMNS],
            text=doc.line(lo + single.start())))
        missing_rows = [k for k in missing_rows if k not in other_rows]
    if missing_rows:
        report.issues.append(ParseIssue(
            "table_unreadable", "表三缺少以下行：" + "、".join(labels[k]["label"]
                                                              for k in missing_rows),
            cells=[f"table3.{k}.{c}" for k in missing_rows for c in TABLE3_COLUMNS]))
    doc.table_spans.append((rows[0].start, hi))
    _record(report, doc, problems, "table3")


def _check_label(doc: _Doc, report: Report, row: _Row, layout_row: dict[str, Any]) -> None:
    """A row label that is its own cell but differs from the standard text."""
    lo = doc.norm.rfind("\t", 0, row.start) + 1
    lo = max(lo, doc.norm.rfind("\n", 0, row.start) + 1)
    hi_tab = doc.norm.find("\t", row.end)
    hi_nl = doc.norm.find("\n", row.end)
    ends = [h for h in (hi_tab, hi_nl) if h >= 0]
    hi = min(ends) if ends else len(doc.norm)
    cell = doc.norm[lo:hi]
    if re.search(r"\d\s*$|\d{2,}", cell[row.end - lo:]) or len(cell) > 60:
        return  # the label runs into its numbers: not a separate cell
    body = re.sub(r"^[\s(]*[一二三四五六七八九十\d]+\s*[)、.]\s*", "", cell)
    standard = _compact(layout_row["label"])
    if body and _compact(body) != standard and not standard.startswith(_compact(body)) \
            and not layout_row.get("strict"):  # a prefix is a label wrapped onto the next line
        original = doc.text[lo:hi].strip()
        report.issues.append(ParseIssue(
            "header_text_deviates",
            f"表三行名「{original}」与标准文字「{layout_row['label']}」不一致",
            cells=[f"table3.{row.key}.total"], text=original))


# --- table 四 ---------------------------------------------------------------------------

@cache
def _t4_header_re() -> re.Pattern[str]:
    """The words of table 四's column headers (nlp/data/table_layout.json), spaced or not."""
    return re.compile("|".join(_spaced(w) for w in _layout()["table4"]["column_keywords"]))


def _read_table4(doc: _Doc, report: Report) -> None:
    region = doc.region("四")
    cells = [f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS]
    if region is None:
        _missing(report, "table4", cells)
        return
    lo, hi = region
    text = doc.norm[lo:hi]
    headers = list(_t4_header_re().finditer(text))
    title = _layout()["table4"]["title_keyword"]
    if len(headers) < 4 or title not in re.sub(r"\s+", "", text[: headers[-1].end()]):
        _missing(report, "table4", cells)
        return
    start = lo + headers[-1].end()
    values, status = _values(doc.norm[start:hi], len(cells), first=True)
    problems: dict[str, list[str]] = {_BLANK: [], _UNREADABLE: []}
    for path, value in zip(cells, values, strict=False):
        _, group, col = path.split(".")
        report.table4[group][col] = value
        report.quotes[path] = doc.line(min(start + 1, len(doc.norm) - 1)) if value is not None \
            else ""
        if value is None:
            problems[_BLANK if status == _BLANK else _UNREADABLE].append(path)
    doc.table_spans.append((lo + headers[0].start(), hi))
    _record(report, doc, problems, "table4")
    _check_headers(doc, report, "table4", _table4_head(doc, lo, lo + headers[0].start()), start)


def _table4_head(doc: _Doc, lo: int, first: int) -> int:
    """Where table 四's header begins: its 「行政复议」 cell before the first column header.

    Text before it is a sentence of section 四, whose words (「行政复议情况」) must
    not be taken for misspelt headers.
    """
    heads = list(re.finditer(_spaced(_layout()["table4"]["title_keyword"]), doc.norm[lo:first]))
    return lo + heads[-1].start() if heads else first


# --- totals and domains -----------------------------------------------------------------

_TOTAL_RES = (
    re.compile(r"(?:共计|累计|共)?(?:主动)?(?:发布|公开|更新)[^。；;，,\d]{0,30}?信息[共计为总数量:]{0,4}\s*"
               + _NUM + r"\s*(?:条|篇|件)(?![\u4e00-\u9fff]{0,2}(?:次|人))"),
    re.compile(_NUM + r"\s*(?:条|篇)\s*(?:主动公开|公开|发布)(?:的)?(?:政府|政务)?信息"),
)
_APPROX_RE = re.compile(r"^\s*(?:余|多|左右)")


def _total_matches(doc: _Doc) -> list[tuple[int, int, int, int]]:
    """(start, end, number start, value) of each statement of a published-items total."""
    channels = _channel_words()
    out = []
    for pattern in _TOTAL_RES:
        for m in pattern.finditer(doc.norm):
            if _inside_table(doc, m.start()) or _APPROX_RE.match(doc.norm[m.end(1):m.end()]):
                continue
            value = parse_number(m.group(1))
            if not isinstance(value, int):
                continue
            if doc.norm[m.end():m.end() + 1] == "、":
                continue  # one item of a list of categories, not a total
            if any(w in doc.quote(m.start(), m.end()) for w in channels):
                continue
            out.append((m.start(), m.end(), m.start(1), value))
    return sorted(set(out))


@cache
def _channel_words() -> tuple[str, ...]:
    text = resources.files("nlp.data").joinpath("narrative_patterns.json").read_text(
        encoding="utf-8")
    return tuple(json.loads(text)["channel_words"])


def _inside_table(doc: _Doc, pos: int) -> bool:
    return any(lo <= pos < hi for lo, hi in doc.table_spans)


def _read_totals(doc: _Doc, report: Report) -> None:
    matches = _total_matches(doc)
    if not matches:
        return
    s1 = doc.spans.get("一")
    in_s1 = [m for m in matches if s1 and s1[0] <= m[0] < s1[1]]
    main = (in_s1 or [m for m in matches if not doc.spans or m[0] < min(
        lo for lo, _ in doc.spans.values())] or [None])[0]
    if main is not None:
        report.total_published = main[3]
        report.quotes["declared.total_published"] = doc.quote(main[0], main[1])
        report.domains = _domains(doc, main[1])
    for m in matches:
        if m is main:
            continue
        report.total_mentions.append(TotalMention(
            value=m[3], section=doc.section_of(m[0]), text=doc.quote(m[0], m[1], _CLAUSE_END),
            line=doc.text.count("\n", 0, m[0]) + 1))


_ITEM_RE = re.compile(r"([\u4e00-\u9fff]{2,20}?)(?:领域|方面)?(?:信息)?\s*" + _NUM
                      + r"\s*(?:条|篇|件|个)")
_LEADING_WORDS_RE = re.compile(r"^(?:其中|包括|含|涉及|分别为|发布|公开|主动公开|关于)+")


def _domains(doc: _Doc, end: int) -> dict[str, int]:
    """The per-domain split written right after the total (「其中A领域N条，B领域M条」).

    A split by kind of document (「其中，文件类47件，公示公告85个」) is not a split
    by domain: its parts would be checked as domains against the total, so it
    gives no domains at all.
    """
    out: dict[str, int] = {}
    for name, value in _split_items(doc, end):
        domain = _domain_of_item(name)
        if domain is None:
            return {}
        out[domain] = value
    return out


def _domain_of_item(name: str) -> str | None:
    """The domain an item of a 「其中…」 list names, or ``None`` for a kind of document.

    「文件类」 and 「政策解读」 name kinds of documents; 「社会救助类公示」 names a
    domain and the kind of its notices, and counts for the domain.
    """
    kinds = [word for word in _document_kinds() if word in name]
    if not kinds:
        return canonical_domain(name)
    rest = name
    for word in kinds:
        rest = rest.replace(word, "")
    return canonical_domain(rest) if rest and is_known_domain(rest) else None


def _split_items(doc: _Doc, end: int) -> list[tuple[str, int]]:
    """The (name, count) items of the 「其中…」 list that follows a total, in order."""
    head = re.match(r"[\s，,;；:(。]*(?:其中|包括|含|分别|涉及)", doc.norm[end:end + 12])
    if head is None:
        return []
    end += head.end()
    stop = end
    while stop < len(doc.norm) and doc.norm[stop] not in "。\n" and stop - end < 400:
        stop += 1
    out = []
    for part in re.split(r"[，,、；;]", doc.norm[end:stop]):
        m = _ITEM_RE.search(part)
        if m is None:
            continue
        name = _LEADING_WORDS_RE.sub("", m.group(1))
        value = parse_number(m.group(2))
        if len(name) >= 2 and isinstance(value, int):
            out.append((name, value))
    return out


@cache
def _document_kinds() -> tuple[str, ...]:
    """Words naming a kind of document (文件, 公告, 解读 …), kept with the domain data."""
    text = resources.files("nlp.data").joinpath("domains.json").read_text(encoding="utf-8")
    return tuple(json.loads(text)["document_kinds"])


# --- narrative --------------------------------------------------------------------------

@cache
def _narrative_patterns() -> dict[str, list[re.Pattern[str]]]:
    text = resources.files("nlp.data").joinpath("narrative_patterns.json").read_text(
        encoding="utf-8")
    data = json.loads(text)["patterns"]
    return {key: [re.compile(p.replace("{NUM}", _NUM)) for p in pats]
            for key, pats in data.items()}


def _narrative_text(doc: _Doc) -> list[tuple[int, int]]:
    """The spans of the text that are narrative, not tables."""
    spans = sorted(doc.table_spans)
    out, pos = [], 0
    for lo, hi in spans:
        if lo > pos:
            out.append((pos, lo))
        pos = max(pos, hi)
    out.append((pos, len(doc.norm)))
    return out


def _read_narrative(doc: _Doc, report: Report) -> None:
    patterns = _narrative_patterns()
    spans = _narrative_text(doc)
    for key in NARRATIVE_KEYS:
        if key == "period_year" or key not in patterns:
            continue
        for pattern in patterns[key]:
            hit = _first(pattern, doc, spans)
            if hit is None:
                continue
            value = _narrative_value(key, hit)
            if value is None:
                continue
            report.narrative[key] = value
            report.quotes[f"narrative.{key}"] = doc.quote(hit.start(), hit.end())
            break
    n = report.narrative
    if n.get("no_applications") and n.get("applications_new") is None:
        n["applications_new"] = 0
        report.quotes["narrative.applications_new"] = report.quotes["narrative.no_applications"]
    if n.get("fees_collected") is None and n.get("fees_amount_yuan") is not None:
        n["fees_collected"] = n["fees_amount_yuan"] > 0
        report.quotes["narrative.fees_collected"] = report.quotes["narrative.fees_amount_yuan"]


def _first(pattern: re.Pattern[str], doc: _Doc, spans: list[tuple[int, int]]):
    for lo, hi in spans:
        m = pattern.search(doc.norm, lo, hi)
        if m is not None:
            return m
    return None


def _narrative_value(key: str, m: re.Match[str]) -> Any:
    if key in ("no_applications", "no_review_litigation"):
        return True
    if key == "fees_collected":
        return not re.search(r"未|没有|不|无", m.group(0))
    groups = [g for g in m.groups() if g]
    if not groups:
        return None
    value = parse_number(groups[-1])
    return value if isinstance(value, (int, float)) else None
