"""Office names in section 一: which office a sentence speaks for, and whether it is the unit.

A report copied from another office's keeps that office's name where the published
total is stated (「县发改局2023年主动公开政府信息…」 in a 民政局 report). The name is
the one that opens the total's clause; it is the reporting unit when its core (without
the county prefix and the kind of office) is written, in order, inside the unit's name —
so abbreviations such as 县卫健委 for 河口县卫生健康局 are the same office.
"""

from __future__ import annotations

import re
from functools import cache

from nlp.report.layout import opening_phrasings


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = opening_phrasings()
    suffixes = "|".join(sorted(map(re.escape, data["office_suffixes"]), key=len, reverse=True))
    opening = re.compile(data["office_prefixes"]
                         + r"(?P<office>[\u4e00-\u9fff]{1,12}?(?:" + suffixes + "))")
    kind = re.compile(r"(?:" + suffixes + r")$")
    return opening, kind


def clause_office(text: str) -> str | None:
    """The office that opens the last clause of ``text`` before its count, if any.

    >>> clause_office("县民政局2021年在政府信息公开网主动公开信息236条")
    '县民政局'
    >>> clause_office("2022年,我镇在本单位部门网站主动公开政府信息223条") is None
    True
    """
    clause = re.split(r"[，,。；;]", text)
    for part in clause:
        if re.search(r"\d+\s*[条件项篇个份]", part):
            found = _patterns()[0].match(part)
            if found is None:
                return None
            office = found.group("office")
            return None if office[0] in "我本该全各在向于通经" else office
    return None


def _core(name: str) -> str:
    name = _patterns()[1].sub("", name)
    return re.sub(r"^.*?[省市县区旗]", "", name) or name


def same_office(named: str, unit: str) -> bool:
    """Whether ``named`` is (an abbreviation of) ``unit``.

    A unit read as a district's 人民政府 is the site that published the report, not
    necessarily its author, so nothing is said against it.

    >>> same_office("县卫健委", "河口县卫生健康局"), same_office("县发改局", "县民政局")
    (True, False)
    """
    if unit.endswith("人民政府"):
        return True  # the district's site publishes its offices' reports: no finding
    core, it = _core(named), iter(unit)
    return all(ch in it for ch in core)
