"""Reading table cells: the numbers between one row label and the next.

Works alike for tab-separated lines, one-cell-per-line dumps, PDF rows and text
where the cells ran together. A value that cannot be assigned to its cell without
guessing is ``None`` with the status ``unreadable``; an empty cell is ``None`` with
the status ``blank``. Blank markers (「—」「/」「无」) are data in the layout file.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from nlp.report.layout import layout
from nlp.text import parse_number

_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")

OK, BLANK, UNREADABLE = "ok", "blank", "unreadable"


def read_values(segment: str, k: int, *, first: bool = False) -> tuple[list[Any], str]:
    """The ``k`` cell values in the text between a row label and the next.

    Returns the values (``None`` for a blank cell) and a status: ``ok``,
    ``blank`` (some or all cells are empty) or ``unreadable`` (numbers that
    cannot be assigned to the ``k`` cells without guessing).
    """
    cells = _cells(segment)
    if not any(kind == "num" for kind, _ in cells):
        return [None] * k, BLANK
    if len(cells) == 1 and k > 1:
        split = _unique_split(cells[0][1], k) if cells[0][1].isdigit() else None
        return (split, OK) if split else ([None] * k, UNREADABLE)
    if len(cells) < k:
        return [None] * k, UNREADABLE
    chosen = cells[:k] if first else cells[-k:]
    values = [parse_number(v) if kind == "num" else None for kind, v in chosen]
    return values, (BLANK if any(v is None for v in values) else OK)


def merged_readings(segment: str, k: int, limit: int = 64) -> list[list[int]]:
    """The readings of a row that has fewer than ``k`` numbers because the digits of
    neighbouring cells ran together (「4000004」, 「0 | 00 | 0」).

    Each reading splits one of the row's numbers into as many as are missing, every
    way that has no leading zeros. It is the caller's relations that choose among
    them; an empty list means the row is not of that kind or has too many readings.

    >>> merged_readings("3 1 00 0 0 4", 7)
    [[3, 1, 0, 0, 0, 0, 4]]
    >>> len(merged_readings("1210 0 1 0 0 14", 7))  # 1|210, 12|10, 121|0, or 1|4
    4
    """
    cells = _cells(segment)
    if not cells or len(cells) >= k or any(kind != "num" or not value.isdigit()
                                           for kind, value in cells):
        return []
    nums = [value for _, value in cells]
    extra = k - len(nums)
    out: list[list[int]] = []
    for i, digits in enumerate(nums):
        if len(digits) <= extra:
            continue
        head, tail = [int(n) for n in nums[:i]], [int(n) for n in nums[i + 1:]]
        out += [head + split + tail for split in all_splits(digits, extra + 1, limit)]
        if len(out) > limit:
            return []
    return out


def _cells(segment: str) -> list[tuple[str, Any]]:
    """The cells of a segment up to its first full stop: ("num", text) or ("blank", None)."""
    cut = segment.find("。")
    if cut >= 0:
        segment = segment[:cut]
    cells: list[tuple[str, Any]] = []
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
    return cells


def _classify(field: str) -> tuple[str, Any]:
    """One cell of a table line: a number, a blank marker, empty, or text."""
    if not field:
        return "empty", None
    if field in blank_markers():
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
def blank_markers() -> frozenset[str]:
    """The marks a report writes in an empty cell (「—」「/」「无」), from the layout file."""
    return frozenset(m for m in layout()["blank_markers"] if m)


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


def all_splits(digits: str, k: int, limit: int = 64) -> list[list[int]]:
    """Every way to split run-together digits into ``k`` numbers without leading zeros.

    At most ``limit`` splits are listed; more than that is an empty list (too many
    readings to choose from honestly).

    >>> all_splits("5225", 3)
    [[5, 2, 25], [5, 22, 5], [52, 2, 5]]
    >>> [s for s in all_splits("81010010", 7) if sum(s[:6]) == s[6]]
    [[8, 1, 0, 1, 0, 0, 10]]
    """
    n = len(digits)
    if n < k or n > 12 * k:
        return []
    out: list[list[int]] = []

    def walk(i: int, left: int, acc: list[int]) -> bool:
        if left == 0:
            if i == n:
                out.append(list(acc))
            return len(out) <= limit
        ends = [i + 1] if digits[i] == "0" else range(i + 1, min(n - left + 1, i + 12) + 1)
        for e in ends:
            acc.append(int(digits[i:e]))
            if not walk(e, left - 1, acc):
                return False
            acc.pop()
        return True

    if not walk(0, k, []):
        return []
    return out
