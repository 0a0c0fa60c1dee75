"""An office's legitimate latitude on the labeling guide's boundary cases.

The guide decides its boundaries (a forest-fire notice is 救灾, a list of 特困老人 is
社会救助), but an office that files such a notice under the neighbouring domain has not
misreported. The boundary rules are data (``nlp/data/latitude.json``): for a rule with
labels ``(a, b)``, a notice whose title holds one of its words and on which the model
puts at least :data:`MIN_MASS` of its probability on ``a`` and ``b`` is a *boundary
notice*: for domain ``a`` it may count or not, and likewise for ``b``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import numpy as np
import pandas as pd

#: Share of a notice's probability that must lie on a rule's two labels.
MIN_MASS = 0.5


@dataclass(frozen=True)
class BoundaryRule:
    name: str
    labels: tuple[str, str]
    any: tuple[str, ...]
    also: tuple[str, ...] = ()

    def matches(self, title: str) -> bool:
        return bool(self.matching(pd.Series([title], dtype=object))[0])

    def matching(self, titles: pd.Series) -> np.ndarray:
        """Which of ``titles`` hold one of ``any`` (and one of ``also``), as a bool array.

        One compiled alternation per word list over the whole column: a list of 2,000
        titles is matched in about a millisecond, where a loop of ``in`` per word and
        title took forty.
        """
        hit = titles.str.contains(self._any_pattern, regex=True).to_numpy(dtype=bool)
        if self.also:
            hit = hit & titles.str.contains(self._also_pattern, regex=True).to_numpy(dtype=bool)
        return hit

    @cached_property
    def _any_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, self.any)))

    @cached_property
    def _also_pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(map(re.escape, self.also)))


@cache
def boundary_rules() -> tuple[BoundaryRule, ...]:
    """The rules of ``nlp/data/latitude.json``."""
    data = json.loads(resources.files("nlp.data").joinpath("latitude.json")
                      .read_text(encoding="utf-8"))
    return tuple(BoundaryRule(r["name"], tuple(r["labels"]), tuple(r["any"]),
                              tuple(r.get("also", ()))) for r in data["rules"])


def boundary_partners(titles: list[str], q: np.ndarray, labels: tuple[str, ...]
                      ) -> dict[str, dict[int, tuple[str, str]]]:
    """For each label, the boundary notices that may count for it or not.

    Returns ``{label: {row: (partner label, rule name)}}``.

    >>> labels = ("救灾", "安全生产", "其他")
    >>> q = np.array([[0.9, 0.05, 0.05], [0.1, 0.1, 0.8]])
    >>> boundary_partners(["森林防火期野外用火管理通告", "森林防火知识讲座"], q, labels)["安全生产"]
    {0: ('救灾', '森林草原防灭火')}
    """
    out: dict[str, dict[int, tuple[str, str]]] = {label: {} for label in labels}
    index = {label: i for i, label in enumerate(labels)}
    column = pd.Series(titles, dtype=object).fillna("").astype(str)
    for rule in boundary_rules():
        a, b = rule.labels
        if a not in index or b not in index or not len(column):
            continue
        near = q[:, index[a]] + q[:, index[b]] >= MIN_MASS
        for row in np.flatnonzero(rule.matching(column) & near).tolist():
            out[a].setdefault(row, (b, rule.name))
            out[b].setdefault(row, (a, rule.name))
    return out
