"""Near-duplicate titles by character n-gram Jaccard similarity.

Used to keep the corpus honest (templated titles would inflate the figures) and
available to anyone who needs to find reposted notices in a list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence


def shingles(text: str, n: int = 5) -> frozenset[str]:
    """The set of character n-grams of ``text`` (the text itself when shorter).

    >>> sorted(shingles("安全生产月", 4))
    ['全生产月', '安全生产']
    """
    text = "".join(text.split())
    if len(text) <= n:
        return frozenset([text])
    return frozenset(text[i:i + n] for i in range(len(text) - n + 1))


def near_duplicate_pairs(titles: Sequence[str], *, n: int = 5, threshold: float = 0.8
                         ) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, similarity)`` with Jaccard similarity ≥ ``threshold``, ``i < j``.

    Candidates come from an inverted index over n-grams, so only pairs that share
    at least one n-gram are compared (each pair once).

    >>> near_duplicate_pairs(["城乡低保名单公示第一批", "城乡低保名单公示第二批", "防汛"], n=2,
    ...                      threshold=0.5)
    [(0, 1, 0.6667)]
    """
    sets = [shingles(t, n) for t in titles]
    index: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            index[g].append(i)
    seen: set[tuple[int, int]] = set()
    pairs = []
    for bucket in index.values():
        for a_pos, i in enumerate(bucket):
            for j in bucket[a_pos + 1:]:
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                a, b = sets[i], sets[j]
                sim = len(a & b) / len(a | b)
                if sim >= threshold:
                    pairs.append((i, j, round(sim, 4)))
    return sorted(pairs)
