"""Reading a notice list: CSV, XLSX, JSON, JSON Lines or plain text, from a file or stdin.

The reader sniffs the format (extension first, then the first bytes), detects the
encoding (UTF-8, UTF-8 with BOM, GBK/GB18030) rather than assuming it, and says
what it chose in :class:`NoticeList`. Which column holds the title is decided by
:func:`find_columns`, from the names offices actually use.
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nlp.errors import InputError
from nlp.readers.decode import decode_bytes

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
        Missing or unreadable file, unknown format, no title column, an empty list.
    """
    spath = str(path)
    data = _read_bytes(spath)
    fmt = sniff_format(spath, data)
    frame, encoding = _parse(data, fmt, spath)
    frame = frame.dropna(how="all")
    notices = NoticeList(frame.reset_index(drop=True), spath, fmt, encoding)
    notices.columns = find_columns(notices.frame, path=spath, column=column)
    if notices.frame.empty:
        raise InputError("the notice list is empty", path=spath)
    return notices


def iter_notice_chunks(path: str | Path, *, column: str | None = None,
                       chunksize: int = 100_000) -> Iterator[NoticeList]:
    """Read a large CSV, JSON Lines or text list in chunks of ``chunksize`` rows.

    Other formats (XLSX, JSON) come as one chunk. Memory stays bounded by the
    chunk, so a million-row file is classified in well under a gigabyte.
    """
    spath = str(path)
    if spath == "-" or sniff_format(spath, _peek(spath)) not in ("csv", "jsonl", "txt"):
        yield read_notices(path, column=column)
        return
    fmt = sniff_format(spath, _peek(spath))
    encoding = decode_bytes(_peek(spath, 1 << 16).rsplit(b"\n", 1)[0], path=spath)[1]
    columns: dict[str, str | None] | None = None
    rows = 0
    try:
        for frame in _chunks(spath, fmt, encoding, chunksize):
            notices = NoticeList(frame.reset_index(drop=True), spath, fmt, encoding)
            if columns is None:
                columns = find_columns(notices.frame, path=spath, column=column)
            notices.columns = columns
            rows += len(frame)
            if len(frame):
                yield notices
    except InputError:
        raise
    except (UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read the {fmt.upper()} file ({_short(exc)})",
                         path=spath) from None
    if not rows:
        raise InputError("the notice list is empty", path=spath)


def _chunks(path: str, fmt: str, encoding: str, chunksize: int) -> Iterator[pd.DataFrame]:
    if fmt == "csv":
        tsv = path.endswith(".tsv")
        yield from pd.read_csv(path, dtype=str, keep_default_na=False, encoding=encoding,
                               chunksize=chunksize, sep="\t" if tsv else ",")
    elif fmt == "txt":
        with open(path, encoding=encoding, errors="strict") as fh:
            batch: list[str] = []
            for line in fh:
                if line.strip():
                    batch.append(line.strip())
                if len(batch) == chunksize:
                    yield pd.DataFrame({"title": batch}, dtype=str)
                    batch = []
            yield pd.DataFrame({"title": batch}, dtype=str)
    else:
        with open(path, encoding=encoding, errors="strict") as fh:
            records: list = []
            for number, line in enumerate(fh, start=1):
                if line.strip():
                    records.append(_json_line(line, path, number))
                if len(records) == chunksize:
                    yield _frame_from_records(records, path)
                    records = []
            yield _frame_from_records(records, path)


def _json_line(line: str, path: str, number: int):
    try:
        return json.loads(line)
    except ValueError as exc:
        raise InputError(f"invalid JSON ({getattr(exc, 'msg', exc)})", path=path,
                         place=f"line {number}") from None


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
    text = decode_bytes(head, path=path)[0] if head else ""
    first_line = text.split("\n", 1)[0]
    names_title = any(name in first_line.lower() for name in TITLE_NAMES)
    return "csv" if "," in first_line and (names_title or _looks_tabular(text)) else "txt"


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


def _peek(path: str, size: int = 4096) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise InputError(_os_message(exc), path=path) from None


def _read_bytes(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(_os_message(exc), path=path) from None


def _os_message(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read the file ({exc.strerror or exc})"


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__


def _parse(data: bytes, fmt: str, path: str) -> tuple[pd.DataFrame, str | None]:
    if fmt == "xlsx":
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise InputError(f"cannot read the Excel file ({_short(exc)})", path=path) from None
        return frame, None
    text, encoding = decode_bytes(data, path=path)
    if fmt == "txt":
        titles = [ln.strip() for ln in text.splitlines() if ln.strip()]
        return pd.DataFrame({"title": titles}, dtype=str), encoding
    if fmt == "csv":
        sep = "\t" if path.endswith(".tsv") or ("\t" in text[:2000] and "," not in
                                                text.split("\n", 1)[0]) else ","
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise InputError(f"cannot read the CSV file ({_short(exc)})", path=path) from None
        return frame, encoding
    if fmt == "jsonl":
        rows = [_json_line(line, path, number)
                for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
        return _frame_from_records(rows, path), encoding
    try:
        payload = json.loads(text)
    except ValueError as exc:
        raise InputError(f"invalid JSON ({exc})", path=path) from None
    if isinstance(payload, dict):
        lists = [v for v in payload.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise InputError("JSON object must hold exactly one list of notices", path=path)
        payload = lists[0]
    if not isinstance(payload, list):
        raise InputError("JSON must be a list of notices", path=path)
    return _frame_from_records(payload, path), encoding


def _frame_from_records(rows: list, path: str) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame({"title": []}, dtype=str)
    if all(isinstance(r, str) for r in rows):
        return pd.DataFrame({"title": rows}, dtype=str)
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise InputError("each notice must be an object or a string", path=path,
                             place=f"item {number}")
    return pd.DataFrame(rows).astype(str).replace({"None": "", "nan": ""})
