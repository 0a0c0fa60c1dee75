"""Reading tables 二, 三 and 四 and the format version their columns show.

Row labels, headers and format signatures come from ``nlp/data/table_layout.json``.
The readers walk the labels in the standard's order and read the numbers between
one label and the next (:func:`nlp.report.cells.read_values`). Each returns a
:class:`TableRead`: the values, the line each was read from, the issues (with
their table and cells) and the span of text the table covers, which the totals and
narrative readers skip.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from typing import Any

from nlp.report import relations, table3_shape
from nlp.report.cells import BLANK, UNREADABLE, merged_readings, read_values
from nlp.report.document import Document, compact, fold, spaced
from nlp.report.layout import layout, table_names, table_sections, table_titles
from nlp.report.model import (
    TABLE3_COLUMNS,
    TABLE3_ROWS,
    TABLE4_COLUMNS,
    TABLE4_GROUPS,
    ParseIssue,
    empty_table2,
    empty_table3,
    empty_table4,
)

PRODUCES = ("format_2019", "table_missing", "table_unreadable", "blank_cell",
            "header_text_deviates", "unit_suspect", "cells_placed")

_ROW_WINDOW = 6000  # a table row label is never further than this from the previous one
_TABLE3_MIN_ROWS = 5  # fewer labels found than this means there is no table 三


@dataclass(frozen=True)
class TableRead:
    """One table as read: its cells (``None`` when unknown), their lines, its issues."""

    values: dict[str, Any]
    quotes: dict[str, str] = field(default_factory=dict)
    issues: list[ParseIssue] = field(default_factory=list)
    span: tuple[int, int] | None = None
    # "columns" when the text was found to list the table's numbers column by column
    # (decided by table 三's relations); table 二 of the same text is read that way too
    order: str | None = None


@dataclass(frozen=True)
class FormatRead:
    """The format version table 二's columns show, and the issue when it is 2019's."""

    version: str | None
    issues: list[ParseIssue] = field(default_factory=list)


# --- noise -------------------------------------------------------------------------------

@cache
def _noise_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in layout()["table_noise"]), re.M)


def _masked(doc: Document) -> Document:
    """``doc`` with the text inside tables that is no cell blanked out, offsets kept.

    Converter column names (「数据1」), page furniture (「— 4 —」), note lines and
    remarks after a number (「（其中修订 16 件）」) would otherwise be read as cells.
    Quotes still come from the original text.
    """
    masked = _noise_re().sub(lambda m: re.sub(r"[^\n\t]", " ", m.group()), doc.norm)
    if masked == doc.norm:
        return doc
    out = Document(doc.text, doc.spans, doc.body)
    object.__setattr__(out, "norm", masked)
    return out


# --- layout -----------------------------------------------------------------------------

def _prefix_regex(prefix: str | None) -> str:
    if not prefix:
        return ""
    p = fold(prefix)
    # The enumerator may stand a few characters before the keyword (「5.属于三类内部事务」).
    filler = r"[^\d\t\n。]{0,8}?"
    if p.startswith("("):
        return rf"(?:\(\s*{re.escape(p.strip('()'))}\s*\){filler})?"
    if p.isdigit():
        return rf"(?:{p}\s*[.、]{filler})?"
    return rf"(?:{re.escape(p)}\s*[、.]{filler})?"


@cache
def _row_patterns(table: str) -> list[tuple[dict[str, Any], re.Pattern[str]]]:
    rows = layout()[table]["rows"]
    out = []
    for row in rows:
        words = "|".join(spaced(k) for k in row["keywords"])
        prefix = "" if row.get("strict") else _prefix_regex(row.get("prefix"))
        out.append((row, re.compile(f"{prefix}(?:{words})")))
    return out


@dataclass(frozen=True)
class _Row:
    key: str
    label: str
    start: int
    end: int


def _find_rows(doc: Document, table: str, lo: int, hi: int) -> list[_Row]:
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


def _segments(doc: Document, rows: list[_Row], hi: int) -> list[str]:
    out = []
    for i, row in enumerate(rows):
        stop = rows[i + 1].start if i + 1 < len(rows) else hi
        out.append(doc.norm[row.end:stop])
    return out


def _problem_issues(problems: dict[str, list[str]], table: str) -> list[ParseIssue]:
    name = table_names()[table]
    out = []
    if problems[BLANK]:
        out.append(ParseIssue(
            "blank_cell", f"{name}有 {len(problems[BLANK])} 个空白单元格，按未填处理",
            cells=problems[BLANK], table=table))
    if problems[UNREADABLE]:
        out.append(ParseIssue(
            "table_unreadable",
            f"{name}有 {len(problems[UNREADABLE])} 个单元格无法可靠读出"
            "（数字粘连或缺格），未作猜测",
            cells=problems[UNREADABLE], table=table))
    return out


def _missing(table: str, cells: list[str]) -> TableRead:
    empty = {"table2": empty_table2, "table3": empty_table3, "table4": empty_table4}[table]()
    issue = ParseIssue("table_missing", f"未找到{table_titles()[table]}", cells=cells,
                       table=table)
    return TableRead(empty, issues=[issue])


# --- where a table lies --------------------------------------------------------------

def _table_region(doc: Document, table: str) -> tuple[int, int] | None:
    """The text of the section that carries ``table``, or where it must lie when that
    section's heading was not found.

    A PDF text layer or a converter may break a heading over two lines
    (「三、收到和处理政府信息公开申请\n情况」); the section is then missing (and reported
    so), but its table still stands between the sections before and after it. It is
    looked for there from the table's first anchor (「第二十条」, 「申请人情况」, …), so
    the narrative before it is not read as cells.
    """
    numeral = table_sections()[table]
    region = doc.region(numeral)
    if region is not None:
        return region
    order = [s["numeral"] for s in layout()["sections"]]
    i = order.index(numeral)
    before = [n for n in order[:i] if n in doc.spans]
    after = [n for n in order[i + 1:] if n in doc.spans]
    lo = doc.body[before[-1]] if before else 0
    hi = doc.spans[after[0]][0] if after else len(doc.norm)
    anchor = re.compile("|".join(spaced(a) for a in layout()[table]["anchors"]))
    m = anchor.search(doc.norm, lo, hi)
    return (m.start(), hi) if m else None


# --- format version ---------------------------------------------------------------------

def read_format(doc: Document) -> FormatRead:
    """2019 when table 二 uses a column of the 2019 trial format, 2021 when it uses 2021's."""
    sig = layout()["format_signatures"]
    region = doc.region("二")
    flat = re.sub(r"\s+", "", doc.norm[region[0]:region[1]] if region else doc.norm)
    old = [s for s in sig["2019"] if fold(s) in flat]
    if old:
        return FormatRead("2019", [ParseIssue(
            "format_2019", "表二使用2019年试行格式的栏目：" + "、".join(old), text=old[0],
            table="table2")])
    if any(fold(s) in flat for s in sig["2021"]):
        return FormatRead("2021")
    return FormatRead(None)


# --- header text ------------------------------------------------------------------------

# A header cell: text without digits between white space; single spaces inside it are a
# wrapped cell (「结果 维持」), two or more (or a tab, a line break) end it.
_HEADER_FIELD_RE = re.compile(r"(?:(?<=\s)|^)[^\s\d]+(?: [^\s\d]+)*(?=\s|$)")


def _header_issues(doc: Document, table: str, lo: int, hi: int) -> list[ParseIssue]:
    """Header cells of ``table`` that are near, but not equal to, the standard text.

    A cell far from every standard header is other text (a note, a sentence)
    and is left alone; one that is close but differs is a misspelt header
    (the SEED's 「本年度止件数」), which the standard asks to report.
    """
    spec = layout()[table]
    standard = [compact(h) for h in spec["headers"] + spec.get("row_labels", [])]
    ignore = spec.get("header_ignore", [])
    lo = max(lo, doc.body.get(table_sections()[table], 0))
    seen = set()
    out = []
    for m in _HEADER_FIELD_RE.finditer(doc.norm[lo:hi]):
        cell = compact(m.group())
        if not 4 <= len(cell) <= 20 or cell in standard or cell in seen \
                or any(word in cell for word in ignore):
            continue
        best = max(standard, key=lambda s: SequenceMatcher(None, cell, s).ratio())
        if len(cell) <= len(best) + 2 and SequenceMatcher(None, cell, best).ratio() >= 0.75:
            seen.add(cell)
            original = doc.text[lo + m.start(): lo + m.end()]
            out.append(ParseIssue(
                "header_text_deviates",
                f"{table_names()[table]}栏目「{original}」与标准文字「{best}」不一致",
                text=original, table=table))
    return out


# --- table 二 ---------------------------------------------------------------------------

def table2_cells() -> list[str]:
    """Every cell path of table 二, in the layout's order."""
    out = []
    for row in layout()["table2"]["rows"]:
        cols = row.get("columns")
        out += [f"table2.{row['key']}.{c}" for c in cols] if cols else [f"table2.{row['key']}"]
    return out


def read_table2(doc: Document, format_version: str | None, order: str | None = None
                ) -> TableRead:
    """Table 二's ten cells; none when its columns are the 2019 format's other quantities.

    ``order`` is table 三's finding that the text lists numbers column by column
    (:attr:`TableRead.order`); a block of table 二 that reads differently row by row
    and column by column is then read column by column.
    """
    region = _table_region(doc, "table2")
    if format_version == "2019":
        return TableRead(empty_table2())  # the format_2019 issue says why
    doc = _masked(doc)
    rows = _find_rows(doc, "table2", *region) if region else []
    if len(rows) < 2:
        return _missing("table2", table2_cells())
    spec = {r["key"]: r for r in layout()["table2"]["rows"]}
    values = empty_table2()
    quotes: dict[str, str] = {}
    problems: dict[str, list[str]] = {BLANK: [], UNREADABLE: []}
    for i, (row, segment) in enumerate(zip(rows, _segments(doc, rows, region[1]), strict=False)):
        cols = spec[row.key].get("columns")
        read, status = read_values(segment, len(cols) if cols else 1, first=i == len(rows) - 1)
        paths = [f"table2.{row.key}.{c}" for c in cols] if cols else [f"table2.{row.key}"]
        values[row.key] = dict(zip(cols, read, strict=False)) if cols else read[0]
        for path, value in zip(paths, read, strict=False):
            quotes[path] = doc.line(row.start)
            if value is None:
                problems[BLANK if status == BLANK else UNREADABLE].append(path)
    in_blocks, placed = _table2_blocks(doc, rows, values, order)
    for kind in (BLANK, UNREADABLE):
        problems[kind] = [p for p in problems[kind] if p not in in_blocks]
    problems[UNREADABLE] += [p for p in in_blocks if p not in placed]
    found = {r.key for r in rows}
    problems[BLANK] += [p for p in table2_cells() if p.split(".")[1] not in found]
    issues = _problem_issues(problems, "table2")
    if placed:
        issues.append(ParseIssue(
            "cells_placed", f"表二有 {len(placed)} 个单元格是放置而非逐格读出的："
            "几行的行名连在一起、数字在其后，按行序放置" +
            ("（表三的勾稽关系表明本文本逐列排列数字，按列读）" if order == "columns"
             else "（逐行、逐列读数相同）"),
            cells=placed, table="table2"))
    issues += _header_issues(doc, "table2", rows[0].start - 400, region[1])
    issues += _fee_unit_issues(doc, rows, region[1])
    return TableRead(values, quotes, issues, (rows[0].start, region[1]))


def _set2(values: dict[str, Any], path: str, value: Any) -> None:
    _, key, *col = path.split(".")
    if col:
        values[key][col[0]] = value
    else:
        values[key] = value


def _table2_blocks(doc: Document, rows: list[_Row], values: dict[str, Any],
                   order: str | None) -> tuple[list[str], list[str]]:
    """Rows of table 二 whose labels stand together with their numbers after them.

    A text layer that reads the table box by box gives 「行政处罚 行政强制 4119 195」.
    Only a block whose numbers are exactly as many as its cells is one (a row left
    wholly empty is not); it is read when the reading does not depend on
    whether the numbers run row by row or column by column (rows of one number, or
    numbers that read the same either way); otherwise its cells are unread (``None``,
    whatever the label reading took). Returns the paths of the block rows' cells and
    of those placed. The last label is left out: its segment runs to the end of the
    section.
    """
    spec = {r["key"]: r for r in layout()["table2"]["rows"]}
    labels = [(r.key, r.start, r.end) for r in rows[:-1]]
    if len(labels) < 2:
        return [], []
    found = table3_shape.blocks(doc.norm, labels, rows[-1].start)
    out: list[str] = []
    placed: list[str] = []
    for keys, numbers in found or []:
        if len(keys) < 2:
            continue
        widths = {len(spec[k].get("columns") or [None]) for k in keys}
        paths = [f"table2.{k}.{c}" if spec[k].get("columns") else f"table2.{k}"
                 for k in keys for c in (spec[k].get("columns") or [None])]
        if len(numbers) != len(paths):
            continue  # a row left empty (no mark at all): its neighbours read as they are
        out += paths
        w = widths.pop() if len(widths) == 1 else 0
        by_row = numbers
        by_col = [numbers[c * len(keys) + i] for i in range(len(keys)) for c in range(w)]
        ok = w and None not in numbers and (by_row == by_col or order == "columns")
        chosen = by_col if order == "columns" else by_row
        for path, value in zip(paths, chosen if ok else [None] * len(paths), strict=True):
            _set2(values, path, value)
        placed += paths if ok else []
    return out, placed


@cache
def _fee_unit_re() -> re.Pattern[str]:
    return re.compile("|".join(layout()["table2"]["fee_unit_suspect"]))


def _fee_unit_issues(doc: Document, rows: list[_Row], hi: int) -> list[ParseIssue]:
    """The fee amount's header says 元 where the standard says 万元 (E14, a heuristic)."""
    fee = next((r for r in rows if r.key == "fees_wan_yuan"), None)
    lo = rows[0].start
    m = _fee_unit_re().search(doc.norm, lo, fee.end if fee else hi)
    if m is None:
        return []
    return [ParseIssue("unit_suspect", f"表二收费金额的单位写作「{doc.text[m.start():m.end()]}」"
                       "，标准格式为万元", cells=["table2.fees_wan_yuan"],
                       text=doc.line(m.start()), table="table2")]


# --- table 三 ---------------------------------------------------------------------------

def read_table3(doc: Document) -> TableRead:
    """Table 三's 175 cells: under their row labels, else by the standard's shape.

    Each row's numbers are read between its label and the next. Where digits ran
    together and split more than one way, the table's relations choose the split;
    where the labels and numbers are out of step, the numbers are placed by the
    standard's row order and count (:mod:`nlp.report.table3_shape`). Either way an
    issue ``cells_placed`` names the cells that were placed rather than read.
    """
    region = _table_region(doc, "table3")
    lo, hi = region if region else (0, 0)
    doc = _masked(doc)
    rows = _find_rows(doc, "table3", lo, hi) if region else []
    all_cells = [f"table3.{r}.{c}" for r in TABLE3_ROWS for c in TABLE3_COLUMNS]
    if len(rows) < _TABLE3_MIN_ROWS:
        return _missing("table3", all_cells)
    values = empty_table3()
    quotes: dict[str, str] = {}
    issues: list[ParseIssue] = []
    status_of: dict[str, str] = {}
    options: dict[str, list[list[int]]] = {}
    labels = {r["key"]: r for r in layout()["table3"]["rows"]}
    for i, (row, segment) in enumerate(zip(rows, _segments(doc, rows, hi), strict=False)):
        read, status = read_values(segment, len(TABLE3_COLUMNS), first=i == len(rows) - 1)
        values[row.key] = dict(zip(TABLE3_COLUMNS, read, strict=False))
        status_of[row.key] = status
        if status == UNREADABLE:
            options[row.key] = [s for s in merged_readings(segment, len(TABLE3_COLUMNS))
                                if relations.row_holds(s)]
        line = doc.line(row.start)
        for col in TABLE3_COLUMNS:
            quotes[f"table3.{row.key}.{col}"] = line
        issues += _label_issues(doc, row, labels[row.key])
    single = re.search("|".join(spaced(s) for s in layout()["table3"]["single_other_row"]),
                       doc.norm[lo:hi])
    placed: list[str] = []
    how = ""
    if options:
        fixed = {k: list(v.values()) for k, v in values.items() if k not in options}
        for key, reading in relations.choose(fixed, options).items():
            values[key] = dict(zip(TABLE3_COLUMNS, reading, strict=True))
            status_of[key] = "ok"
            placed += [f"table3.{key}.{c}" for c in TABLE3_COLUMNS]
        if placed:
            how = ("数字粘连、拆法不止一种，按表三的勾稽关系（总计等于六类申请人之和、"
                   "各项结果之和等于（七）总计、一加二等于（七）加四）选定拆法")
    other_rows = ("other_overdue_correction", "other_overdue_fee", "other_other")
    merged = single is not None and not {r.key for r in rows} & set(other_rows)
    shaped = _shape_reading(doc, rows, lo, hi, values,
                            merged_other=(lo + single.start(), lo + single.end()) if merged
                            else None)
    if shaped is not None:
        reading, by, broken, others = shaped
        changed = [f"table3.{k}.{c}" for k, vals in reading.items()
                   for c, v in zip(TABLE3_COLUMNS, vals, strict=True) if values[k][c] != v]
        for key, vals in reading.items():
            values[key] = dict(zip(TABLE3_COLUMNS, vals, strict=True))
            status_of[key] = BLANK if any(v is None for v in vals) else "ok"
        placed = sorted(set(placed) | set(changed), key=all_cells.index)
        how = ("行名与数字在文本中错位，按标准格式的行序和每行 7 个数" +
               {"columns": "逐列", "blocks": "逐块（每组行名之后的数字）",
                "blocks_columns": "逐块（每组行名之后的数字）逐列"}.get(by, "逐行") + "放置" +
               ("（文本按列排列，由勾稽关系判定）" if by in ("columns", "blocks_columns")
                else "") +
               (f"；放置后仍有 {broken} 处勾稽关系不成立" if broken else "；勾稽关系成立") +
               (f"；另有 {others} 种放法同样符合勾稽关系，取与文本顺序最接近的一种，请核对"
                if others else ""))
    if placed:
        issues.append(ParseIssue(
            "cells_placed", f"表三有 {len(placed)} 个单元格是放置而非逐格读出的：{how}",
            cells=placed, table="table3"))
    found = {r.key for r in rows} | (set(shaped[0]) if shaped else set())
    problems: dict[str, list[str]] = {BLANK: [], UNREADABLE: []}
    for key in TABLE3_ROWS:
        if key not in found:
            continue
        for col in TABLE3_COLUMNS:
            if values[key][col] is None:
                kind = BLANK if status_of.get(key) == BLANK else UNREADABLE
                problems[kind].append(f"table3.{key}.{col}")
    missing_rows = [k for k in TABLE3_ROWS if k not in found]
    if single and all(k in missing_rows for k in other_rows):
        issues.append(ParseIssue(
            "format_2019", "表三「（六）其他处理」为单行、无1–3子项（2019年试行格式）",
            cells=[f"table3.{k}.{c}" for k in other_rows for c in TABLE3_COLUMNS],
            text=doc.line(lo + single.start()), table="table3"))
        missing_rows = [k for k in missing_rows if k not in other_rows]
    if missing_rows:
        issues.append(ParseIssue(
            "table_unreadable", "表三缺少以下行：" + "、".join(labels[k]["label"]
                                                              for k in missing_rows),
            cells=[f"table3.{k}.{c}" for k in missing_rows for c in TABLE3_COLUMNS],
            table="table3"))
    issues += _problem_issues(problems, "table3")
    order = "columns" if shaped and shaped[1] in ("columns", "blocks_columns") else None
    return TableRead(values, quotes, issues, (rows[0].start, hi), order)


def _shape_reading(doc: Document, rows: list[_Row], lo: int, hi: int,
                   values: dict[str, dict[str, Any]], *, merged_other: tuple[int, int] | None
                   ) -> tuple[dict[str, list[Any]], str, int, int] | None:
    """The table's numbers placed by the standard's order, when that reads it better.

    Returns (row → seven values, ``blocks``, ``rows`` or ``columns``, failing
    relations, how many other readings are as good), or ``None`` when the label reading
    stands: it is complete and its relations hold, or the numbers are not 7 a row, or
    no order reads the table at least as well. Of readings equally good, blocks come
    first, then rows.
    ``merged_other`` is the label of a single 「（六）其他处理」 row, when the report has one.
    """
    by_label = {k: list(v.values()) for k, v in values.items()}
    gaps = sum(v is None for vals in by_label.values() for v in vals)
    wrong = relations.violations(by_label)
    if gaps == 0 and wrong == 0:
        return None
    end = _table3_end(doc, rows, hi)
    labels = sorted([(r.key, r.start, r.end) for r in rows]
                    + ([(table3_shape.MERGED_OTHER, *merged_other)] if merged_other else []),
                    key=lambda label: label[1])
    candidates: list[tuple[str, dict[str, list[Any]]]] = []
    found = table3_shape.blocks(doc.norm, labels, end)
    if found is not None:
        combos = table3_shape.block_readings(found)  # the first: every block row by row
        candidates += [("blocks" if i == 0 else "blocks_columns", r)
                       for i, r in enumerate(combos)]
    numbers = table3_shape.numbers_in_order(doc.norm, [(r.start, r.end) for r in rows],
                                            rows[0].start, end)
    if numbers is not None:
        keys = table3_shape.row_keys(merged_other is not None)
        candidates += list(table3_shape.readings(numbers, keys).items())
    best = None
    ties: list[dict[str, list[Any]]] = []
    for by, reading in candidates:
        reading = {k: v for k, v in reading.items() if k != table3_shape.MERGED_OTHER}
        broken = relations.violations(reading)
        if best is None or broken < best[2]:
            best, ties = (reading, by, broken), []
        elif broken == best[2] and reading != best[0] and reading not in ties:
            ties.append(reading)
    if best is None or best[2] > wrong:
        return None
    if all(by_label.get(k) == v for k, v in best[0].items()):
        return None
    return best[0], best[1], best[2], len(ties)


def _table3_end(doc: Document, rows: list[_Row], hi: int) -> int:
    """Where table 三's cells end: the first full stop or table 四's 「行政复议」 after its
    last label, or ``hi``."""
    ends = [doc.norm.find(mark, rows[-1].end, hi)
            for mark in ("。", layout()["table4"]["title_keyword"])]
    return min([e for e in ends if e >= 0], default=hi)


def _label_issues(doc: Document, row: _Row, spec: dict[str, Any]) -> list[ParseIssue]:
    """A row label that is its own cell but differs from the standard text."""
    lo = doc.norm.rfind("\t", 0, row.start) + 1
    lo = max(lo, doc.norm.rfind("\n", 0, row.start) + 1)
    ends = [h for h in (doc.norm.find("\t", row.end), doc.norm.find("\n", row.end)) if h >= 0]
    hi = min(ends) if ends else len(doc.norm)
    cell = doc.norm[lo:hi]
    if re.search(r"\d\s*$|\d{2,}", cell[row.end - lo:]) or len(cell) > 60:
        return []  # the label runs into its numbers: not a separate cell
    body = re.sub(r"^[\s(]*[一二三四五六七八九十\d]+\s*[)、.]\s*", "", cell)
    standard = compact(spec["label"])
    if body and compact(body) != standard and not standard.startswith(compact(body)) \
            and not spec.get("strict"):  # a prefix is a label wrapped onto the next line
        original = doc.text[lo:hi].strip()
        return [ParseIssue(
            "header_text_deviates", f"表三行名「{original}」与标准文字「{spec['label']}」不一致",
            cells=[f"table3.{row.key}.total"], text=original, table="table3")]
    return []


# --- table 四 ---------------------------------------------------------------------------

@cache
def _t4_header_re() -> re.Pattern[str]:
    """The words of table 四's column headers, spaced or not."""
    return re.compile("|".join(spaced(w) for w in layout()["table4"]["column_keywords"]))


def read_table4(doc: Document) -> TableRead:
    """Table 四's 15 cells, read after the last of its column headers."""
    region = _table_region(doc, "table4")
    cells = [f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS]
    if region is None:
        return _missing("table4", cells)
    lo, hi = region
    doc = _masked(doc)
    text = doc.norm[lo:hi]
    headers = list(_t4_header_re().finditer(text))
    title = layout()["table4"]["title_keyword"]
    if len(headers) < 4 or title not in re.sub(r"\s+", "", text[: headers[-1].end()]):
        return _missing("table4", cells)
    start = lo + headers[-1].end()
    read, status = read_values(doc.norm[start:hi], len(cells), first=True)
    placed: list[str] = []
    if status == UNREADABLE:
        readings = [r for r in merged_readings(doc.norm[start:hi], len(cells))
                    if relations.table4_holds(r)]
        if len(readings) == 1:
            read, status, placed = readings[0], "ok", list(cells)
    values = empty_table4()
    quotes: dict[str, str] = {}
    problems: dict[str, list[str]] = {BLANK: [], UNREADABLE: []}
    for path, value in zip(cells, read, strict=False):
        _, group, col = path.split(".")
        values[group][col] = value
        quotes[path] = doc.line(min(start + 1, len(doc.norm) - 1)) if value is not None else ""
        if value is None:
            problems[BLANK if status == BLANK else UNREADABLE].append(path)
    issues = _problem_issues(problems, "table4")
    if placed:
        issues.append(ParseIssue(
            "cells_placed", "表四的数字粘连、少于 15 个，按各组总计等于维持、纠正、其他、"
            "尚未审结之和选定了唯一的拆法", cells=placed, table="table4"))
    issues += _header_issues(doc, "table4", _table4_head(doc, lo, lo + headers[0].start()),
                             start)
    return TableRead(values, quotes, issues, (lo + headers[0].start(), hi))


def _table4_head(doc: Document, lo: int, first: int) -> int:
    """Where table 四's header begins: its 「行政复议」 cell before the first column header.

    Text before it is a sentence of section 四, whose words (「行政复议情况」) must
    not be taken for misspelt headers.
    """
    heads = list(re.finditer(spaced(layout()["table4"]["title_keyword"]), doc.norm[lo:first]))
    return lo + heads[-1].start() if heads else first
