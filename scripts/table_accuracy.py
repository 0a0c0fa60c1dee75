"""Cell accuracy of tables 二, 三 and 四 over the real table fixtures.

Each ``tests/data/tables/<case>.cells.json`` names a real report (or a conversion of
one into a broken form), its source URL and the cells read off it by hand. A stated
cell is right when the parser gives the same number; a cell the fixture does not
state (the table or row is absent, truncated, or run together past reading) is right
only when the parser leaves it ``null`` *and* an issue names it. Placed cells (an
issue ``cells_placed`` names them) are counted apart: they are right or wrong like
any other, and the count shows how many were placed rather than read.

    python scripts/table_accuracy.py            # one line a fixture, then the totals
    python scripts/table_accuracy.py --wrong    # also every wrong cell
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "data" / "tables"

T2_CELLS = ("regulations.made", "regulations.repealed", "regulations.in_force",
            "normative_documents.made", "normative_documents.repealed",
            "normative_documents.in_force", "licensing", "punishment", "coercion",
            "fees_wan_yuan")


@dataclass
class Score:
    """What one fixture scored."""

    name: str
    stated: int = 0
    right: int = 0
    unstated: int = 0
    unstated_ok: int = 0
    placed: int = 0
    wrong: list[str] = field(default_factory=list)


def expected_cells(spec: dict[str, Any]) -> dict[str, Any]:
    """Cell path → the hand-read value (``None`` where the source states none)."""
    from nlp.report.model import TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS

    out: dict[str, Any] = {}
    t2 = spec.get("table2") or [None] * len(T2_CELLS)
    for path, value in zip(T2_CELLS, t2, strict=True):
        out[f"table2.{path}"] = value
    t3 = spec.get("table3") or {}
    for row in TABLE3_ROWS:
        values = t3.get(row) or [None] * 7
        for col, value in zip(TABLE3_COLUMNS, values, strict=True):
            out[f"table3.{row}.{col}"] = value
    t4 = spec.get("table4") or [None] * 15
    paths = [f"table4.{g}.{c}" for g in TABLE4_GROUPS for c in TABLE4_COLUMNS]
    out.update(zip(paths, t4, strict=True))
    return out


def _get(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def score(cells_file: Path) -> Score:
    """Parse the fixture's input and compare every cell with the hand-read one."""
    from nlp.report.parser import parse

    spec = json.loads(cells_file.read_text(encoding="utf-8"))
    report = parse(cells_file.parent / spec["input"])
    if "cells_of" in spec:  # a conversion: the cells are the original's, read by hand
        spec = json.loads((cells_file.parent / f"{spec['cells_of']}.cells.json")
                          .read_text(encoding="utf-8"))
    data = report.to_dict()
    named = {c for i in report.issues for c in i.cells}
    placed = {c for i in report.issues if i.code == "cells_placed" for c in i.cells}
    out = Score(cells_file.name[: -len(".cells.json")])
    for path, want in expected_cells(spec).items():
        got = _get(data, path)
        out.placed += path in placed
        if want is None:
            out.unstated += 1
            if got is None and path in named:
                out.unstated_ok += 1
            else:
                out.wrong.append(f"{path}: not stated, got {got!r}"
                                 + ("" if path in named else " (no issue names it)"))
        else:
            out.stated += 1
            if got == want and (got is not None):
                out.right += 1
            else:
                out.wrong.append(f"{path}: expected {want!r}, got {got!r}")
    return out


def all_scores() -> list[Score]:
    """Every fixture's score, in file-name order."""
    return [score(p) for p in sorted(FIXTURES.glob("*.cells.json"))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list every wrong cell")
    args = parser.parse_args(argv)
    scores = all_scores()
    for s in scores:
        print(f"{s.name:40s} stated {s.right:3d}/{s.stated:3d}  unstated null+issue "
              f"{s.unstated_ok:3d}/{s.unstated:3d}  placed {s.placed:3d}")
        if args.wrong:
            for line in s.wrong:
                print("    " + line)
    stated = sum(s.stated for s in scores)
    right = sum(s.right for s in scores)
    unstated = sum(s.unstated for s in scores)
    ok = sum(s.unstated_ok for s in scores)
    print(f"TOTAL {len(scores)} fixtures: stated cells right {right}/{stated} "
          f"({100 * right / max(stated, 1):.1f}%), unstated cells null with an issue "
          f"{ok}/{unstated}, placed {sum(s.placed for s in scores)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
