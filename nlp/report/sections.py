"""Reading the six top-level sections: where each heading is, and in which order.

Headings are searched in the standard's order, each after the previous one, so a
section name quoted inside the text of an earlier section is not taken for its
heading. A heading that is not found that way is looked for once more anywhere,
at the start of a line: a report whose 二 and 三 are swapped has both, out of order
(a ``section_order`` issue), rather than a missing 三.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from nlp.report.document import fold
from nlp.report.layout import layout
from nlp.report.model import ParseIssue

PRODUCES = ("section_missing", "section_order")


@dataclass(frozen=True)
class SectionsRead:
    """What :func:`read_sections` found.

    ``found`` lists (numeral, heading start, heading end) in document order.
    """

    found: list[tuple[str, int, int]]
    spans: dict[str, tuple[int, int]]
    body: dict[str, int]
    texts: dict[str, str]
    issues: list[ParseIssue] = field(default_factory=list)

    @property
    def order(self) -> list[str]:
        return [numeral for numeral, _, _ in self.found]


@cache
def _section_patterns() -> list[tuple[str, re.Pattern[str], re.Pattern[str]]]:
    """(numeral, the heading anywhere, the heading at the start of a line)."""
    out = []
    for s in layout()["sections"]:
        pattern = "|".join(s["patterns"])
        out.append((s["numeral"], re.compile(pattern),
                    re.compile(rf"(?m)^[ \t]*(?:{pattern})")))
    return out


def read_sections(text: str) -> SectionsRead:
    """The section headings of ``text`` and the text of each section.

    >>> r = read_sections("一、总体情况\\n甲\\n三、收到和处理政府信息公开申请情况\\n乙\\n"
    ...                   "二、主动公开政府信息情况\\n丙")
    >>> r.order, [i.code for i in r.issues][-1]
    (['一', '三', '二'], 'section_order')
    """
    norm = fold(text)
    found: list[tuple[str, int, int]] = []
    missing: list[str] = []
    pos = 0
    for numeral, pattern, _ in _section_patterns():
        m = pattern.search(norm, pos)
        if m is None:
            missing.append(numeral)
            continue
        found.append((numeral, m.start(), m.end()))
        pos = m.end()
    issues: list[ParseIssue] = []
    taken = [(lo, hi) for _, lo, hi in found]
    for numeral, _, at_line_start in _section_patterns():
        if numeral not in missing:
            continue
        m = next((m for m in at_line_start.finditer(norm)
                  if not any(lo <= m.end() and m.start() <= hi for lo, hi in taken)), None)
        if m is None:
            issues.append(ParseIssue("section_missing", f"未找到第{numeral}部分的标题",
                                     text=numeral, section=numeral))
            continue
        start = m.start() + len(m.group()) - len(m.group().lstrip(" \t"))
        found.append((numeral, start, m.end()))
        taken.append((start, m.end()))
    found.sort(key=lambda f: f[1])
    standard = [numeral for numeral, _, _ in _section_patterns()]
    order = [f[0] for f in found]
    expected = sorted(order, key=standard.index)
    if order != expected:
        first = next(f for f, want in zip(found, expected, strict=True) if f[0] != want)
        issues.append(ParseIssue("section_order", f"章节顺序为 {'、'.join(order)}，应按一至六排列",
                                 text=text[first[1]:first[2]], section=first[0]))
    spans: dict[str, tuple[int, int]] = {}
    body: dict[str, int] = {}
    texts: dict[str, str] = {}
    for i, (numeral, start, end) in enumerate(found):
        stop = found[i + 1][1] if i + 1 < len(found) else len(text)
        spans[numeral] = (start, stop)
        body[numeral] = end
        texts[numeral] = text[end:stop].strip()
    return SectionsRead(found, spans, body, texts, issues)
