"""The seven labels of the labeling guide and the domain names reports use.

The classifier predicts one of :data:`LABELS`. Reports declare counts per domain
of the grassroots standard under many spellings; :func:`canonical_domain` maps a
written name to the standard one using ``nlp/data/domains.json``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DOMAINS: tuple[str, ...] = ("公共文化服务", "安全生产", "救灾", "社会救助", "就业创业", "养老服务")
OTHER = "其他"
LABELS: tuple[str, ...] = (*DOMAINS, OTHER)


@cache
def _domain_table() -> dict:
    text = resources.files("nlp.data").joinpath("domains.json").read_text(encoding="utf-8")
    return json.loads(text)


def standard_domains() -> list[str]:
    """The 26 domain names of the grassroots standard (spec §8.1)."""
    return list(_domain_table()["standard"])


def canonical_domain(name: str) -> str:
    """Map a domain name as a report writes it to the standard name.

    Unknown names are returned stripped but otherwise as written, so a report
    that declares a local domain keeps its own key. 领域 and 方面 only say
    "this is a domain" and are always dropped; 类 is dropped only when a known
    domain is left, because 「文件类」 (documents) is not the domain 「文件」.

    >>> canonical_domain("就业")
    '就业创业'
    >>> canonical_domain("公共文化服务领域")
    '公共文化服务'
    >>> canonical_domain("旅游")
    '旅游'
    >>> canonical_domain("救灾类"), canonical_domain("文件类")
    ('救灾', '文件类')
    """
    table = _domain_table()
    key = _strip_suffix(name.strip(), table["suffixes"])
    shorter = _strip_suffix(key, table["suffixes_if_known"])
    if shorter in _known_names():
        key = shorter
    if key in table["standard"]:
        return table["classifier_names"].get(key, key)
    return table["aliases"].get(key, key)


def _strip_suffix(key: str, suffixes: list[str]) -> str:
    """``key`` without the first of ``suffixes`` it ends with (never down to nothing)."""
    for suffix in suffixes:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def is_known_domain(name: str) -> bool:
    """Whether a written name is a domain :func:`canonical_domain` recognises.

    >>> is_known_domain("救灾类"), is_known_domain("社会救助领域"), is_known_domain("文件类")
    (True, True, False)
    """
    return canonical_domain(name) in _known_names()


@cache
def _known_names() -> frozenset[str]:
    """Every name :func:`canonical_domain` recognises: standard names, aliases, labels."""
    table = _domain_table()
    return frozenset((*table["standard"], *table["aliases"], *table["aliases"].values(),
                      *table["classifier_names"].values(), *LABELS))
