"""The ``disclosure.check/1`` JSON of the contract.

Named ``jsonout`` so that ``import json`` inside the package always means the stdlib.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from nlp.consistency import CheckResult


def render_json(result: CheckResult) -> bytes:
    """``result.to_dict()`` as UTF-8 JSON, Chinese kept readable, indented by 2."""
    text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=_plain)
    return (text + "\n").encode("utf-8")


def _plain(value: Any) -> Any:
    """Values ``json`` does not know: numpy scalars and arrays, enums, tuples in sets."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")
