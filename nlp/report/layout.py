"""The report's words as data: the one loader of ``nlp/data``'s layout and phrasing files.

Names of the sections and tables, row labels, unit suffixes and the phrasings the
readers look for live in ``nlp/data/table_layout.json``, ``narrative_patterns.json``,
``domains.json`` and ``opening_phrasings.json``. Every module of the parser and the
rule table reads them through this module, so a name is written once: renaming 「表三」 or a section
heading is an edit of one JSON file, not of three Python modules.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

TABLES: tuple[str, ...] = ("table2", "table3", "table4")


@cache
def _load(name: str) -> dict[str, Any]:
    text = resources.files("nlp.data").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


def layout() -> dict[str, Any]:
    """``table_layout.json``: sections, table rows and headers, signatures, unit words."""
    return _load("table_layout.json")


def narrative_phrasings() -> dict[str, Any]:
    """``narrative_patterns.json``: the narrative statements' patterns and channel words."""
    return _load("narrative_patterns.json")


def domain_data() -> dict[str, Any]:
    """``domains.json``: the standard's domains, their aliases and the kinds of documents."""
    return _load("domains.json")


@cache
def section_headings() -> dict[str, str]:
    """Numeral → standard heading, in the standard's order.

    >>> section_headings()["三"]
    '三、收到和处理政府信息公开申请情况'
    """
    return {s["numeral"]: s["heading"] for s in layout()["sections"]}


@cache
def table_names() -> dict[str, str]:
    """Table key → how a report names it (``table3`` → 「表三」)."""
    return {t: layout()[t]["name"] for t in TABLES}


@cache
def table_titles() -> dict[str, str]:
    """Table key → its name with its subject, for 「未找到表三（…）」."""
    return {t: f"{layout()[t]['name']}（{layout()[t]['title']}）" for t in TABLES}


@cache
def table_sections() -> dict[str, str]:
    """Table key → the numeral of the section that carries it."""
    return {t: layout()[t]["section"] for t in TABLES}


def opening_phrasings() -> dict[str, Any]:
    """``opening_phrasings.json``: how section 一 states the published total and its split."""
    return _load("opening_phrasings.json")
