"""Write the table of input limits (nlp/readers/limits.py) into README.md.

    .venv/bin/python scripts/gen_limits_table.py

The table sits between the two ``limits`` markers; ``tests/test_limits_doc.py`` fails
when it differs from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
START, END = "<!-- limits table: scripts/gen_limits_table.py -->", "<!-- end of limits table -->"


def with_table(text: str, table: str) -> str:
    """``text`` with the part between the markers replaced by ``table``."""
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{README.name} lacks the markers {START} … {END}")
    return f"{head}{START}\n{table}\n{END}{tail}"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from nlp.readers.limits import markdown_table

    text = README.read_text(encoding="utf-8")
    README.write_text(with_table(text, markdown_table()), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
