"""How much of an untrusted file the readers accept, and how to raise each limit.

Reports and notice lists come from other people's websites and mail. Each limit
below stops one way a file can make the tool run out of memory, recurse until it
crashes, or take minutes: a limit that is hit is an :class:`~nlp.errors.InputError`
(exit 2) naming the file, the limit and the environment variable that raises it.
The defaults are far above any real report or list.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from nlp.errors import InputError

_MB = 1 << 20


@dataclass(frozen=True)
class Limit:
    """One limit: its environment variable, default and unit (for the message)."""

    env: str
    default: int
    unit: str
    what: str

    def value(self) -> int:
        """The limit in force: the environment variable when set, else the default."""
        raw = os.environ.get(self.env, "").strip()
        if not raw:
            return self.default * (_MB if self.unit == "MB" else 1)
        try:
            number = int(raw)
        except ValueError:
            raise InputError(f"{self.env}={raw!r} is not a whole number",
                             place=self.env) from None
        if number <= 0:
            raise InputError(f"{self.env} must be positive", place=self.env)
        return number * (_MB if self.unit == "MB" else 1)

    def shown(self) -> str:
        """The limit in force as the user sets it (``64 MB``, ``300 pages``)."""
        value = self.value()
        return f"{value // _MB} MB" if self.unit == "MB" else f"{value:,} {self.unit}"

    def error(self, path: str, found: str, *, place: str | None = None) -> InputError:
        """The one-line refusal: what was found, the limit, and how to raise it."""
        return InputError(f"{found}, more than the limit of {self.shown()} for {self.what} "
                          f"(raise it with the environment variable {self.env})",
                          path=path, place=place)


REPORT_SIZE = Limit("DISCLOSURE_MAX_REPORT_MB", 64, "MB", "a report file")
LIST_SIZE = Limit("DISCLOSURE_MAX_LIST_MB", 4096, "MB", "a notice-list file")
# Standard input and pipes cannot be read twice, so they are held in memory whole.
STREAM_SIZE = Limit("DISCLOSURE_MAX_STREAM_MB", 512, "MB", "standard input or a pipe")
DEPTH = Limit("DISCLOSURE_MAX_DEPTH", 256, "levels", "the nesting of HTML or JSON")
ROWS = Limit("DISCLOSURE_MAX_ROWS", 20_000_000, "rows", "a notice list")
COLUMNS = Limit("DISCLOSURE_MAX_COLUMNS", 1_000, "columns", "a notice list")
# Excel's own limit for one cell; a longer "title" is not a title.
CELL_CHARS = Limit("DISCLOSURE_MAX_CELL_CHARS", 32_767, "characters", "one cell")
# Each element of a page costs the HTML reader about 20 µs; a report page with its
# site's menus holds a few thousand.
HTML_ELEMENTS = Limit("DISCLOSURE_MAX_HTML_ELEMENTS", 100_000, "elements", "an HTML report")
TABLE_CELLS = Limit("DISCLOSURE_MAX_TABLE_CELLS", 100_000, "cells", "one table of a report")
# What an XLSX or DOCX may unpack to; more is a zip bomb, not an office document.
UNZIPPED_SIZE = Limit("DISCLOSURE_MAX_UNZIPPED_MB", 1024, "MB", "an unpacked XLSX or DOCX")
PDF_PAGES = Limit("DISCLOSURE_MAX_PDF_PAGES", 500, "pages", "a PDF report")
# The reconciliation's exact count distributions grow with the list (nlp.reconcile.counts);
# a year's list of a township or a department holds hundreds to a few thousand notices.
CHECK_NOTICES = Limit("DISCLOSURE_MAX_CHECK_NOTICES", 50_000, "notices",
                      "the notice list of `disclosure check`")

ALL = (REPORT_SIZE, LIST_SIZE, STREAM_SIZE, DEPTH, ROWS, COLUMNS, CELL_CHARS, HTML_ELEMENTS,
       TABLE_CELLS, UNZIPPED_SIZE, PDF_PAGES, CHECK_NOTICES)


def size_text(n: int) -> str:
    """A byte count as the messages show it.

    >>> size_text(3 * 1024 * 1024 + 1), size_text(900)
    ('3.0 MB', '900 bytes')
    """
    return f"{n / _MB:.1f} MB" if n >= _MB else f"{n} bytes"


def markdown_table() -> str:
    """The limits as the README's table (``scripts/gen_limits_table.py`` writes it there;
    ``tests/test_limits_doc.py`` checks that the two agree)."""
    lines = ["| environment variable | default | bounds |", "|---|---|---|"]
    for limit in ALL:
        default = f"{limit.default:,} {limit.unit}"
        lines.append(f"| `{limit.env}` | {default} | {limit.what} |")
    return "\n".join(lines)
