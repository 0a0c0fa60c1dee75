"""Reading a notice list: CSV, XLSX, JSON, JSON Lines or plain text, from a file or stdin.

One reader serves ``disclosure classify`` (in chunks, :func:`iter_notice_chunks`)
and ``check --notices`` (whole, :func:`read_notices`): the same format sniffing, the
same encoding decided from the whole input (:func:`~nlp.readers.decode.detect_encoding`),
the same cells kept as the text they are (a title 「None」 stays 「None」), and the
same limits. Which column holds the title is decided by :func:`find_columns`, from the
names offices actually use.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nlp.errors import InputError
from nlp.readers import limits
from nlp.readers.decode import decode_bytes, detect_encoding, first_failure
from nlp.readers.inputs import RawInput, check_zip, open_input

FORMATS = ("csv", "xlsx", "json", "jsonl", "txt")
_EXTENSIONS = {".csv": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json",
               ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt", ".text": "txt"}
# Column names seen in real lists, most specific first.
TITLE_NAMES = ("标题", "信息名称", "文件名称", "公告标题", "新闻标题", "题目", "名称", "主题",
               "title", "name", "subject", "headline")
BODY_NAMES = ("正文", "内容", "摘要", "内容摘要", "body", "content", "summary", "text")
OFFICE_NAMES = ("所属领域", "领域", "栏目", "所属栏目", "信息分类", "分类", "类别",
                "category", "channel", "column", "domain_office")
DATE_NAMES = ("发布日期", "发布时间", "成文日期", "日期", "时间", "date", "pubdate", "published",
              "publish_date")


@dataclass
class NoticeList:
    """A notice list as read, with what the reader chose."""

    frame: pd.DataFrame
    path: str
    format: str
    encoding: str | None = None
    columns: dict[str, str | None] = field(default_factory=dict)

    @property
    def source(self) -> dict[str, str | None]:
        return {"path": self.path, "format": self.format, "encoding": self.encoding}


def read_notices(path: str | Path, *, column: str | None = None) -> NoticeList:
    """Read a whole notice list and find its columns.

    Parameters
    ----------
    path : str or Path
        A file, or ``-`` for standard input.
    column : str, optional
        The title column, when its name is not one :data:`TITLE_NAMES` knows.

    Raises
    ------
    InputError
        Missing or unreadable file, unknown format or encoding, no title column, an
        empty list, or a list past one of :mod:`nlp.readers.limits`.
    """
    chunks = list(iter_notice_chunks(path, column=column, chunksize=None))
    if len(chunks) == 1:
        return chunks[0]
    first = chunks[0]
    frame = pd.concat([c.frame for c in chunks], ignore_index=True)
    return NoticeList(frame, first.path, first.format, first.encoding, first.columns)


def iter_notice_chunks(path: str | Path, *, column: str | None = None,
                       chunksize: int | None = 100_000) -> Iterator[NoticeList]:
    """Read a notice list in chunks of ``chunksize`` rows (``None``: one chunk).

    CSV, JSON Lines and text are read in chunks, so memory stays bounded by the
    chunk and a million-row file is classified in well under a gigabyte; XLSX and
    JSON come as one chunk. The input is opened once (a pipe is read once, into
    memory); a regular file is read once more in blocks to decide its encoding.
    """
    spath = str(path)
    raw = open_input(spath, limits.LIST_SIZE)
    head = raw.head()
    fmt = sniff_format(spath, head)
    columns: dict[str, str | None] | None = None
    rows = 0
    for frame, encoding in _frames(raw, fmt, head, chunksize):
        frame = frame.dropna(how="all").reset_index(drop=True)
        _check_shape(frame, spath, rows)
        notices = NoticeList(frame, spath, fmt, encoding)
        if columns is None:
            columns = find_columns(notices.frame, path=spath, column=column)
        notices.columns = columns
        rows += len(frame)
        if len(frame):
            yield notices
    if not rows:
        raise InputError("the notice list is empty", path=spath)


def _frames(raw: RawInput, fmt: str, head: bytes, chunksize: int | None
            ) -> Iterator[tuple[pd.DataFrame, str | None]]:
    """The list's rows as frames of text cells, with the encoding used."""
    path = raw.path
    if fmt == "xlsx":
        yield _read_excel(raw.read(), path), None
        return
    encoding = detect_encoding(raw.blocks(), path=path)
    if encoding is None:
        raise InputError("cannot tell the text encoding (not UTF-8, GBK or GB18030); save "
                         "the file as UTF-8 or GBK", path=path,
                         place=f"byte {_utf8_failure(raw)}")
    shown = "utf-16" if encoding.startswith("utf-16") else encoding
    if fmt == "json":
        yield _json_frame(raw.read().decode(encoding), path), shown
        return
    # CSV keeps line breaks as they are (a quoted "\r" is part of a cell; pandas splits
    # the rows); text and JSON Lines split on any line break.
    with _text_stream(raw, encoding, newline="" if fmt == "csv" else None) as stream:
        if fmt == "csv" and encoding in ("utf-8", "utf-8-sig"):
            stream = stream.buffer  # pandas' parser decodes UTF-8 (and drops a BOM) itself,
            # 3× faster than re-encoding a text stream; the whole file was checked above.
        if fmt == "csv":
            sample = head.decode(encoding, errors="ignore")[:2000]
            first = sample.split("\n", 1)[0]
            sep = "\t" if path.endswith(".tsv") or ("\t" in sample and "," not in first) \
                else ","
            _check_header_width(head.decode(encoding, errors="ignore"), sep, path)
            for frame in _csv_frames(stream, sep, chunksize, path):
                yield frame, shown
        elif fmt == "txt":
            for titles in _batches((ln.strip() for ln in stream if ln.strip()), chunksize):
                yield pd.DataFrame({"title": titles}, dtype=str), shown
        else:
            lines = ((number, line) for number, line in enumerate(stream, start=1)
                     if line.strip())
            for batch in _batches(lines, chunksize):
                records = [_json_loads(line, path, f"line {number}") for number, line in batch]
                yield _frame_from_records(records, path), shown


def _text_stream(raw: RawInput, encoding: str, newline: str | None):
    """The input as text: its bytes in memory, or the file streamed from disk."""
    if raw.data is not None:
        return io.TextIOWrapper(io.BytesIO(raw.data), encoding=encoding, newline=newline)
    return open(raw.file, encoding=encoding, newline=newline)


def _utf8_failure(raw: RawInput) -> int:
    offset = 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    for block in raw.blocks():
        try:
            decoder.decode(block)
        except UnicodeDecodeError:
            return offset + first_failure(block)
        offset += len(block)
    return offset


def _batches(items: Iterator, size: int | None) -> Iterator[list]:
    """``items`` in lists of ``size`` (all of them in one list when ``size`` is None);
    at least one list, so an empty input still yields its (empty) frame."""
    batch: list = []
    for item in items:
        batch.append(item)
        if size is not None and len(batch) == size:
            yield batch
            batch = []
    yield batch


def _csv_frames(stream, sep: str, chunksize: int | None, path: str) -> Iterator[pd.DataFrame]:
    """The CSV's rows, every cell as text. A row with more fields than the header is an
    error: pandas would otherwise make the first column an index (or drop the extra
    fields) and silently shift every title."""
    options = dict(dtype=str, keep_default_na=False, sep=sep, index_col=False)
    try:
        with _extra_fields_are_errors():
            reader = pd.read_csv(stream, chunksize=chunksize or _ALL_ROWS, **options)
        while True:
            with _extra_fields_are_errors():
                frame = next(reader, None)
            if frame is None:
                return
            yield frame
    except pd.errors.EmptyDataError:
        raise InputError("the notice list is empty", path=path) from None
    except pd.errors.ParserWarning:
        raise InputError("a row has more fields than the header has columns; put fields "
                         'that contain the separator in double quotes ("…")',
                         path=path) from None
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the CSV file ({_short(exc)})", path=path) from None


_ALL_ROWS = 1 << 40  # "one chunk": more rows than any file the size limit lets through


@contextlib.contextmanager
def _extra_fields_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        yield


def _read_excel(data: bytes, path: str) -> pd.DataFrame:
    check_zip(data, path, "Excel file")
    try:
        with warnings.catch_warnings():  # openpyxl warns on stderr about what it repairs
            warnings.simplefilter("ignore")
            return pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise InputError(f"cannot read the Excel file ({_short(exc)})", path=path) from None


def _json_frame(text: str, path: str) -> pd.DataFrame:
    payload = _json_loads(text, path, None)
    if isinstance(payload, dict):
        lists = [v for v in payload.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise InputError("JSON object must hold exactly one list of notices", path=path)
        payload = lists[0]
    if not isinstance(payload, list):
        raise InputError("JSON must be a list of notices", path=path)
    return _frame_from_records(payload, path)


def _json_loads(text: str, path: str, place: str | None) -> Any:
    """Parse JSON, refusing nesting deeper than :data:`~nlp.readers.limits.DEPTH`."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise limits.DEPTH.error(path, "the JSON is nested deeper than Python can read",
                                 place=place) from None
    except ValueError as exc:
        raise InputError(f"invalid JSON ({getattr(exc, 'msg', exc)})", path=path,
                         place=place) from None
    if json_depth(value) > limits.DEPTH.value():
        raise limits.DEPTH.error(path, "the JSON is nested deeper", place=place)
    return value


def json_depth(value: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON value, counted without recursion.

    >>> json_depth({"a": [1, {"b": []}]}), json_depth("x")
    (4, 0)
    """
    deepest = 0
    stack = [(value, 1)] if isinstance(value, (list, dict)) else []
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, (list, dict)):
                stack.append((child, depth + 1))
    return deepest


def _check_header_width(head: str, sep: str, path: str) -> None:
    """Refuse a CSV whose first rows (the first megabyte) are past the column limit
    before pandas reads it: pandas builds, and de-duplicates, every column name first,
    which takes seconds for a "header" of tens of thousands of fields, and a first data
    row of a million fields becomes a million columns (gigabytes). A wide row further
    on is pandas' own tokenizing error, which is quick."""
    limit = limits.COLUMNS.value()
    try:
        for number, row in enumerate(csv.reader(io.StringIO(head, newline=""),
                                                delimiter=sep), start=1):
            if len(row) > limit:
                raise limits.COLUMNS.error(path, f"the list has {len(row):,} columns",
                                           place=f"line {number}")
    except csv.Error:  # a NUL or a field past csv's own limit: pandas says what is wrong
        return


def _check_shape(frame: pd.DataFrame, path: str, rows_before: int) -> None:
    """Refuse a list past the row, column or cell-size limits, naming the place."""
    if frame.shape[1] > limits.COLUMNS.value():
        raise limits.COLUMNS.error(path, f"the list has {frame.shape[1]:,} columns")
    if rows_before + len(frame) > limits.ROWS.value():
        raise limits.ROWS.error(path, f"the list has more than {rows_before + len(frame):,} rows")
    cell_limit = limits.CELL_CHARS.value()
    for number, name in enumerate(frame.columns, start=1):
        if len(str(name)) > cell_limit:  # a header cell, or a JSON key, is a cell too
            raise limits.CELL_CHARS.error(path, f"a column name has {len(str(name)):,} "
                                          "characters", place=f"column {number}")
    for name in frame.columns:
        lengths = frame[name].astype(str).str.len()
        if len(lengths) and lengths.max() > cell_limit:
            row = int(lengths.to_numpy().argmax())
            raise limits.CELL_CHARS.error(
                path, f"a cell has {int(lengths.iloc[row]):,} characters",
                place=f"row {rows_before + row + 1}, column {name}")


def sniff_format(path: str, data: bytes) -> str:
    """The list's format from its extension, else from its first bytes."""
    ext = Path(path).suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        first_line = head.split(b"\n", 1)[0].strip()
        return "jsonl" if first_line.endswith(b"}") and b"\n{" in head else "json"
    if ext not in ("", ".dat") and path != "-":
        raise InputError(f"unknown notice-list format {ext!r}; use CSV, XLSX, JSON, "
                         "JSON Lines or plain text", path=path)
    # No extension (or stdin): a CSV has a header naming a title column, or lines that
    # all split into the same number of fields; anything else is one title a line.
    text = _head_text(head, path)
    first_line = text.split("\n", 1)[0]
    names_title = any(name in first_line.lower() for name in TITLE_NAMES)
    return "csv" if "," in first_line and (names_title or _looks_tabular(text)) else "txt"


def _head_text(head: bytes, path: str) -> str:
    """The first bytes as text, for sniffing only (a character cut at the end is dropped)."""
    if not head:
        return ""
    for cut in range(4):
        try:
            return decode_bytes(head[:len(head) - cut] if cut else head, path=path,
                                guess=False)[0]
        except InputError:
            continue
    return head.decode("utf-8", errors="replace")


def find_columns(frame: pd.DataFrame, *, path: str, column: str | None = None
                 ) -> dict[str, str | None]:
    """Decide which columns hold the title, body, office category and date."""
    names = [str(c) for c in frame.columns]
    frame.columns = names
    if column is not None:
        if column not in names:
            raise InputError(f"no column named {column!r} (columns: {', '.join(names)})",
                             path=path, place=f"column {column}")
        title = column
    else:
        title = _pick(names, TITLE_NAMES)
        if title is None:
            raise InputError(
                f"no title column found (columns: {', '.join(names)}); name it 标题 or "
                "title, or pass --column", path=path)
    return {"title": title, "body": _pick(names, BODY_NAMES, exclude=title),
            "office": _pick(names, OFFICE_NAMES, exclude=title),
            "date": _pick(names, DATE_NAMES, exclude=title)}


def _pick(names: list[str], wanted: tuple[str, ...], exclude: str | None = None) -> str | None:
    lowered = {n.strip().lower(): n for n in names if n != exclude}
    for want in wanted:
        if want in lowered:
            return lowered[want]
    return None


def _looks_tabular(text: str) -> bool:
    lines = [ln for ln in text.splitlines()[:20] if ln.strip()]
    return len(lines) > 1 and len({ln.count(",") for ln in lines}) == 1


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _frame_from_records(rows: list, path: str) -> pd.DataFrame:
    """JSON records as a frame of text cells: a string stays exactly what it is (「None」
    too); a JSON null is an empty cell; numbers and nested values are written as JSON."""
    if not rows:
        return pd.DataFrame({"title": []}, dtype=str)
    if all(isinstance(r, str) for r in rows):
        return pd.DataFrame({"title": rows}, dtype=str)
    names: dict[str, None] = {}
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InputError("each notice must be an object or a string", path=path,
                             place=f"item {number}")
        if len(names) <= limits.COLUMNS.value():
            names.update(dict.fromkeys(map(str, row)))
    if len(names) > limits.COLUMNS.value():
        raise limits.COLUMNS.error(path, f"the records have more than {len(names) - 1:,} keys")
    records = [{str(k): v for k, v in row.items()} for row in rows]
    return pd.DataFrame({name: [_cell_text(r.get(name)) for r in records] for name in names},
                        dtype=str)


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, ensure_ascii=False)
