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
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

#: Share of a notice's probability that must lie on a rule's two labels.
MIN_MASS = 0.5


@dataclass(frozen=True)
class BoundaryRule:
    name: str
    labels: tuple[str, str]
    any: tuple[str, ...]
    also: tuple[str, ...] = ()

    def matches(self, title: str) -> bool:
        return any(w in title for w in self.any) and (
            not self.also or any(w in title for w in self.also))


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
    for rule in boundary_rules():
        a, b = rule.labels
        if a not in index or b not in index:
            continue
        for row, title in enumerate(titles):
            if rule.matches(title) and q[row, index[a]] + q[row, index[b]] >= MIN_MASS:
                out[a].setdefault(row, (b, rule.name))
                out[b].setdefault(row, (a, rule.name))
    return out
