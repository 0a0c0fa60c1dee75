"""The standard's own relations of table 三, used only to choose between readings.

A row of table 三 holds six applicant columns and their 总计; the 21 result rows add up
to 三(七) 总计; and in every column 一 + 二 = 三(七) + 四. When the text allows more
than one reading of some numbers (digits run together, cells whose order is lost),
these relations pick the reading the report means. They never make a number up: a
reading is always made of numbers that stand in the text, and a cell for which no
reading survives stays ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import product
from typing import Any

from nlp.report.model import TABLE3_COLUMNS, TABLE3_RESULT_ROWS, TABLE3_ROWS

Rows = Mapping[str, Sequence[Any]]
_MAX_COMBINATIONS = 4096  # rows with several readings are combined at most this many ways


def row_holds(values: Sequence[Any]) -> bool:
    """The seventh number is the sum of the first six (all seven known).

    >>> row_holds([12, 1, 0, 1, 0, 0, 14]), row_holds([1, 21, 0, 1, 0, 0, 14])
    (True, False)
    """
    return len(values) == 7 and all(isinstance(v, (int, float)) for v in values) \
        and abs(sum(values[:6]) - values[6]) < 1e-9


def table4_holds(values: Sequence[Any]) -> bool:
    """Each of table 四's three groups has its 总计 equal to the sum of its four results.

    >>> table4_holds([1, 0, 0, 0, 1] * 3), table4_holds([10, 0, 0, 0, 1] + [0] * 10)
    (True, False)
    """
    return len(values) == 15 and all(row_holds([*values[g:g + 4], 0, 0, values[g + 4]])
                                     for g in (0, 5, 10))


def _column(rows: Rows, row: str, col: int) -> Any:
    values = rows.get(row)
    return values[col] if values is not None and col < len(values) else None


def violations(rows: Rows) -> int:
    """How many of the table's relations that can be checked fail; unknown cells are skipped.

    Counts the rows whose 总计 is not the sum of their six, and per column the
    result-rows sum against 三(七) and 一 + 二 against 三(七) + 四 (where 三(七) is
    unknown, the sum of the 21 result rows stands for it).
    """
    bad = sum(1 for key in TABLE3_ROWS if rows.get(key) is not None
              and all(v is not None for v in rows[key]) and not row_holds(rows[key]))
    for col in range(len(TABLE3_COLUMNS)):
        leaves = [_column(rows, r, col) for r in TABLE3_RESULT_ROWS]
        leaf_sum = sum(leaves) if all(v is not None for v in leaves) else None
        total = _column(rows, "processed_total", col)
        if total is not None and leaf_sum is not None and abs(total - leaf_sum) > 1e-9:
            bad += 1
        done = total if total is not None else leaf_sum
        terms = [_column(rows, "new_received", col), _column(rows, "carried_over", col),
                 done, _column(rows, "carried_forward", col)]
        if all(v is not None for v in terms) and \
                abs(terms[0] + terms[1] - terms[2] - terms[3]) > 1e-9:
            bad += 1
    return bad


def choose(fixed: Rows, options: Mapping[str, list[list[int]]]) -> dict[str, list[int]]:
    """For each row with several candidate readings, the one the relations allow.

    ``fixed`` holds the rows already read; ``options`` the rows whose numbers can be
    read more than one way, each with its candidates. Every combination is tried
    (up to a bound) and the combinations with no failing relation kept; a row gets a
    reading only when all kept combinations agree on it. Rows left undecided are
    absent from the answer.
    """
    keys = [k for k, cands in options.items() if cands]
    if not keys:
        return {}
    total = 1
    for k in keys:
        total *= len(options[k])
    if total > _MAX_COMBINATIONS:
        return {k: options[k][0] for k in keys if len(options[k]) == 1}
    kept = []
    for combo in product(*(options[k] for k in keys)):
        rows = {**fixed, **dict(zip(keys, combo, strict=True))}
        if violations(rows) == 0:
            kept.append(combo)
    out: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        readings = {tuple(c[i]) for c in kept}
        if len(readings) == 1:
            out[key] = list(readings.pop())
    return out
