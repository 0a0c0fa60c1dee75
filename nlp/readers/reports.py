"""Reading an annual report in any of the forms offices publish it in.

Reports come as plain text scraped from sites, saved web pages, Markdown,
Word documents and PDFs. :func:`read_report` turns every form into one
:class:`Source`: the whole report as text, with each table row rendered as a
tab-separated line in document order, so the parser has a single input shape;
the table grids are kept too where the format has real tables.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from nlp.errors import InputError
from nlp.readers import limits
from nlp.readers.decode import decode_bytes
from nlp.readers.inputs import check_zip, open_input, path_message

Grid = list[list[str | None]]

FORMATS = ("text", "html", "markdown", "docx", "pdf")
_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".csv": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".md": "markdown", ".markdown": "markdown",
    ".docx": "docx", ".pdf": "pdf",
}
# Markup that is site chrome, never the report body.
_CHROME_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                "iframe", "button", "select", "input", "template", "svg")
_CHROME_ATTR_RE = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|header|footer|foot|breadcrumb|crumb|sidebar|topbar|"
    r"banner|share|copyright|search|toolbar|skip)(?:$|[\s_-])", re.I)
_BLOCK_TAGS = frozenset(("p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "section", "article", "main", "tr", "table", "blockquote", "pre",
                         "dd", "dt", "dl", "hr", "center", "body", "title"))
_PIPE_ROW_RE = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEP_RE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PAGE_NUMBER_RE = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?"
                             r"|\d+\s*/\s*\d+)\s*$")


@dataclass
class Source:
    """A report as read from disk, before any parsing.

    Attributes
    ----------
    text : str
        The whole report as text; tables appear as tab-separated lines where
        they stand in the document, so the narrative and the tables can be read
        from one string.
    tables : list of grids
        The tables of formats that have real tables (HTML, Markdown, DOCX,
        PDF), merged cells expanded so every row has one entry per column.
    path, format, encoding :
        Where it came from, which reader was used (one of :data:`FORMATS`) and
        the text encoding (``None`` for binary formats).
    """

    text: str
    tables: list[Grid] = field(default_factory=list)
    path: str = "-"
    format: str = "text"
    encoding: str | None = None


def read_report(path: str | Path) -> Source:
    """Read the report at ``path`` in whatever form it is.

    The format comes from the extension, and when the extension says nothing
    from the content (``%PDF``, a DOCX zip, ``<html``/``<table``, a Markdown
    pipe table).

    Raises
    ------
    InputError
        The file is missing, unreadable, not a regular file or a pipe, past one of
        :mod:`nlp.readers.limits`, in no encoding we can tell, or a PDF without text.
    """
    p = Path(path)
    name = str(path)
    try:
        exists = name == "-" or p.exists()
    except (OSError, ValueError) as exc:  # a name too long for the system, a NUL byte
        raise InputError(path_message(exc), path=name[:200]) from None
    if not exists:
        raise InputError("no such report file", path=name)
    if p.is_dir():
        raise InputError("is a directory, not a report file", path=name)
    if p.suffix.lower() == ".doc":
        raise InputError("old Word .doc files cannot be read; save the report as .docx or PDF",
                         path=name)
    data = open_input(name, limits.REPORT_SIZE).read()
    if not data.strip():
        raise InputError("the report file is empty", path=name)
    return read_report_bytes(data, name=name, fmt=_EXTENSIONS.get(p.suffix.lower()))


def read_report_bytes(data: bytes, *, name: str = "-", fmt: str | None = None) -> Source:
    """Read a report held in memory (an upload, standard input); ``fmt`` as
    :data:`FORMATS`, or ``None`` to tell it from the content."""
    if fmt is None or fmt == "text":
        fmt = _sniff(data, default=fmt)
    if fmt == "pdf":
        return _read_pdf(data, name)
    if fmt == "docx":
        check_zip(data, name, "Word document")
        return _read_docx(data, name)
    text, encoding = decode_bytes(data, path=name)
    return read_report_text(text, name=name, fmt=fmt, encoding=encoding)


def read_report_text(text: str, *, name: str = "<text>", fmt: str | None = "text",
                     encoding: str | None = None) -> Source:
    """A report given as a string: plain text, or HTML and Markdown told from the content."""
    fmt = fmt or "text"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if fmt == "text" and _looks_like_html(text):
        fmt = "html"
    elif fmt == "text" and _has_pipe_table(text):
        fmt = "markdown"
    if fmt == "html":
        body, tables = html_to_text(text, name=name)
        return Source(body, tables, name, "html", encoding)
    if fmt == "markdown":
        body, tables = markdown_to_text(text, name=name)
        return Source(body, tables, name, "markdown", encoding)
    return Source(text, [], name, "text", encoding)


def _sniff(data: bytes, *, default: str | None) -> str:
    head = data[:8].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            pass
    return default or "text"


def _looks_like_html(text: str) -> bool:
    head = text[:20000].lower()
    return "<html" in head or "<table" in head or "<body" in head


def _has_pipe_table(text: str) -> bool:
    lines = text.split("\n")
    return any(_PIPE_ROW_RE.match(a) and _PIPE_SEP_RE.match(b)
               for a, b in itertools.pairwise(lines))


# --- HTML -------------------------------------------------------------------------------

# The start of an element, counted before parsing: Beautiful Soup takes about 8 µs per
# element to build the tree, and the table walk as much again.
_TAG_START_RE = re.compile(r"<[A-Za-z]")


def html_to_text(markup: str, *, name: str = "<html>") -> tuple[str, list[Grid]]:
    """The report body of a web page as text, and its tables as grids.

    Site chrome (menus, headers, footers, scripts) is dropped; inline markup
    is joined without separators so a number Word split over several
    ``<span>`` elements stays one number.
    """
    from bs4 import BeautifulSoup

    elements = len(_TAG_START_RE.findall(markup))
    if elements > limits.HTML_ELEMENTS.value():
        raise limits.HTML_ELEMENTS.error(name, f"the page has {elements:,} elements")
    soup = BeautifulSoup(markup, "lxml")
    if _tree_depth(soup) > limits.DEPTH.value():
        raise limits.DEPTH.error(name, "the HTML is nested deeper")
    for tag in soup.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body"):
            continue
        attrs = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        if attrs.strip() and _CHROME_ATTR_RE.search(attrs) and not tag.find("table"):
            tag.decompose()
    root = soup.body or soup
    parts: list[str] = []
    tables: list[Grid] = []
    _walk(root, parts, tables, name)
    text = "".join(parts)
    lines = [line.strip(" \u00a0") if "\t" not in line else line.rstrip()
             for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n", tables


def _tree_depth(soup) -> int:
    """How deeply the elements nest, counted without recursion."""
    from bs4 import Tag

    deepest = 0
    stack = [(soup, 0)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))
    return deepest


def _walk(root, parts: list[str], tables: list[Grid], name: str) -> None:
    """Append the text under ``root`` to ``parts`` in document order; tables become grids.

    An explicit stack rather than recursion, so the depth limit alone bounds the work.
    """
    from bs4 import NavigableString, Tag
    from bs4.element import Comment, Doctype, ProcessingInstruction

    stack = [iter(root.children)]
    closes = [False]  # whether the element being walked ends a block
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            if closes.pop():
                parts.append("\n")
            continue
        if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
            continue
        if isinstance(child, NavigableString):
            parts.append(re.sub(r"[ \t\r\n]+", " ", str(child)))
        elif isinstance(child, Tag):
            if child.name == "table":
                grid = _html_grid(child, name)
                if grid:
                    tables.append(grid)
                    parts.append("\n" + _grid_lines(grid) + "\n")
                continue
            block = child.name in _BLOCK_TAGS
            if block:
                parts.append("\n")
            stack.append(iter(child.children))
            closes.append(block)


def _html_grid(table, name: str) -> Grid:
    """Expand rowspan/colspan so each grid row has one cell per column."""
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    grid: Grid = []
    pending: dict[tuple[int, int], str] = {}
    cells_left = limits.TABLE_CELLS.value()
    for r, tr in enumerate(rows):
        row: list[str | None] = []
        c = 0
        cells = [td for td in tr.find_all(["td", "th"]) if td.find_parent("tr") is tr]
        for td in cells:
            while (r, c) in pending:
                row.append(pending.pop((r, c)))
                c += 1
            text = _cell_text(td)
            rowspan = _span(td.get("rowspan"))
            colspan = _span(td.get("colspan"))
            cells_left -= rowspan * colspan
            if cells_left < 0:
                raise limits.TABLE_CELLS.error(name, "a table spans more cells",
                                               place=f"table row {r + 1}")
            for dc in range(colspan):
                row.append(text)
                for dr in range(1, rowspan):
                    pending[(r + dr, c + dc)] = text
            c += colspan
        while (r, c) in pending:
            row.append(pending.pop((r, c)))
            c += 1
        grid.append(row)
    width = max((len(r) for r in grid), default=0)
    return [r + [None] * (width - len(r)) for r in grid if any(x for x in r)]


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return 1


def _cell_text(td) -> str:
    text = td.get_text("", strip=False)
    return re.sub(r"\s+", "", text.replace("\u00a0", " ")) if _is_cjk_cell(text) \
        else re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def _is_cjk_cell(text: str) -> bool:
    # In CJK cells white space is layout ("商业<br>企业"); in Latin cells it is content.
    return sum("\u4e00" <= ch <= "\u9fff" for ch in text) >= sum(ch.isalpha() and ch.isascii()
                                                                 for ch in text)


def _grid_lines(grid: Grid) -> str:
    return "\n".join("\t".join("" if cell is None else cell.replace("\t", " ") for cell in row)
                     for row in grid)


# --- Markdown ---------------------------------------------------------------------------

def markdown_to_text(markdown: str, *, name: str = "<markdown>") -> tuple[str, list[Grid]]:
    """Markdown with its pipe tables rewritten as tab-separated lines."""
    out: list[str] = []
    tables: list[Grid] = []
    current: Grid = []
    for line in markdown.split("\n"):
        if _PIPE_ROW_RE.match(line) or (current and _PIPE_SEP_RE.match(line)):
            if _PIPE_SEP_RE.match(line):
                continue
            cells = [c.strip().replace("**", "") for c in line.strip().strip("|").split("|")]
            current.append([c for c in cells])
            if sum(map(len, current)) > limits.TABLE_CELLS.value():
                raise limits.TABLE_CELLS.error(name, "a table has more cells")
            continue
        if current:
            tables.append(current)
            out.append(_grid_lines(current))
            current = []
        out.append(re.sub(r"^\s{0,3}#{1,6}\s*", "", line).replace("**", "").replace("__", ""))
    if current:
        tables.append(current)
        out.append(_grid_lines(current))
    return "\n".join(out), tables


# --- DOCX -------------------------------------------------------------------------------

def _read_docx(data: bytes, name: str) -> Source:
    try:
        from docx import Document
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        doc = Document(io.BytesIO(data))
        parts: list[str] = []
        tables: list[Grid] = []
        for el in doc.element.body.iterchildren():
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "p":
                parts.append(Paragraph(el, doc).text)
            elif tag == "tbl":
                grid = _docx_grid(Table(el, doc), name)
                tables.append(grid)
                parts.append(_grid_lines(grid))
    except InputError:
        raise
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise InputError(f"cannot read the Word document: {_short(exc)}", path=name) from None
    return Source("\n".join(parts) + "\n", tables, name, "docx", None)


def _docx_grid(table, name: str) -> Grid:
    """A Word table as a grid, refused when it is larger than the cell limit."""
    grid: Grid = []
    cells_left = limits.TABLE_CELLS.value()
    for number, row in enumerate(table.rows, start=1):
        cells = row.cells
        cells_left -= len(cells)
        if cells_left < 0:
            raise limits.TABLE_CELLS.error(name, "a table has more cells",
                                           place=f"table row {number}")
        grid.append([_docx_cell_text(cell.text) for cell in cells])
    return grid


def _short(exc: Exception) -> str:
    """An exception's first line, short enough for a one-line message."""
    text = str(exc).splitlines()[0][:200] if str(exc).strip() else ""
    return text or type(exc).__name__


def _docx_cell_text(text: str) -> str:
    return re.sub(r"\s+", "", text) if _is_cjk_cell(text) else re.sub(r"\s+", " ", text).strip()


# --- PDF --------------------------------------------------------------------------------

@contextlib.contextmanager
def _pdf_logs_silenced():
    """pdfminer logs what it repairs in a damaged PDF ("Data-loss while decompressing
    corrupted data"); with no handler configured Python prints each one on stderr,
    where the command's one line belongs. What cannot be read raises instead."""
    loggers = [logging.getLogger(n) for n in ("pdfminer", "pdfplumber")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _read_pdf(data: bytes, name: str) -> Source:
    try:
        import pdfplumber

        with _pdf_logs_silenced(), pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > limits.PDF_PAGES.value():
                raise limits.PDF_PAGES.error(name, f"the PDF has {len(pdf.pages):,} pages")
            if not any(page.chars for page in pdf.pages):
                raise InputError("no text layer (scanned PDF?); run OCR first or supply the "
                                 "report as text", path=name)
            pages = [_pdf_page(page) for page in pdf.pages]
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise InputError(f"cannot read the PDF: {_short(exc)}", path=name) from None
    text = "\n".join(p[0] for p in pages)
    tables = [t for p in pages for t in p[1]]
    return Source(text, tables, name, "pdf", None)


def _pdf_page(page) -> tuple[str, list[Grid]]:
    """Text of one page with the tables put back as rows, in reading order.

    pdfplumber's plain text scrambles rowspan tables; its table finder gets
    the cells right. So the text outside the table boxes is kept as lines and
    each table row is inserted as a tab-separated line at its vertical
    position. Rows with a single filled cell are prose the table finder
    boxed by mistake (WPS frames whole pages) and are treated as text lines.
    """
    found = page.find_tables()
    boxes = [t.bbox for t in found]
    items: list[tuple[float, bool, str]] = []  # (top, is_prose, text)
    grids: list[Grid] = []
    for t in found:
        grid: Grid = []
        for row, cells in zip(t.rows, t.extract(), strict=False):
            cleaned = [_pdf_cell(c) for c in cells]
            filled = [c for c in cleaned if c]
            if not filled:
                continue
            top = row.bbox[1] if row.bbox else t.bbox[1]
            if len(filled) == 1 and len(filled[0]) > 12:
                items.append((top, True, filled[0]))
            else:
                grid.append(cleaned)
                items.append((top, False, _grid_lines([cleaned])))
        if grid:
            grids.append(grid)

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    rest = page.filter(outside) if boxes else page
    for top, text in _word_lines(rest):
        if not _PAGE_NUMBER_RE.match(text):
            items.append((top, "\t" not in text, text))
    items.sort(key=lambda item: item[0])
    full = max((len(text) for _, prose, text in items if prose), default=0)
    out: list[str] = []
    joining = False
    for _, prose, text in items:
        if joining and prose and out:
            out[-1] += text
        else:
            out.append(text)
        # A prose line as long as the longest one continues on the next line.
        joining = prose and len(text) >= 0.85 * full and not text.endswith(("。", "：", "；"))
    return "\n".join(out), grids


def _word_lines(page) -> list[tuple[float, str]]:
    """The page's text as lines built from pdfplumber's words and their positions.

    Used where no ruled table was found. Characters closer than a fifth of their size
    join (one word; CJK prose has no spaces), and two words far apart (a gap of two
    characters or more) are separate cells: the line gets a tab there, so a row of an
    unruled table keeps one field per cell and two cells' digits never run together,
    as they do in the plain text order.
    """
    words = page.extract_words(x_tolerance=1, y_tolerance=3, keep_blank_chars=False,
                               extra_attrs=["size"])
    words.sort(key=lambda w: (round(w["top"]), w["x0"]))
    lines: list[list[dict]] = []
    for w in words:
        if lines and abs(lines[-1][-1]["top"] - w["top"]) <= 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    out = []
    for line in lines:
        line.sort(key=lambda w: w["x0"])
        text = line[0]["text"]
        for a, b in itertools.pairwise(line):
            gap = b["x0"] - a["x1"]
            size = max(a.get("size") or 10, 1)
            apart = gap >= 0.2 * size or a["text"][-1].isdigit() != b["text"][0].isdigit()
            text += ("\t" if gap >= 2 * size else " " if apart else "") + b["text"]
        out.append((min(w["top"] for w in line), text))
    return out


def _pdf_cell(cell: str | None) -> str | None:
    if cell is None:
        return None
    return _docx_cell_text(cell)
