"""Parsing an annual report: from a :class:`~nlp.readers.reports.Source` to a :class:`Report`.

:func:`parse_report` is pure and is only composition: each reader takes the
:class:`~nlp.report.document.Document` (and what an earlier reader found, passed
explicitly) and returns what it read; nothing mutates a shared object. The readers,
one module each:

* :mod:`.sections` — the six headings and their order;
* :mod:`.title` — title, unit, year, statistics period;
* :mod:`.tables` — the format version and tables 二, 三, 四;
* :mod:`.totals` — section 一's published total, its split and its restatements;
* :mod:`.narrative` — the narrative's statements about applications, fees and tables.

Their words (headings, row labels, unit suffixes, phrasings) are data, read through
:mod:`nlp.report.layout`.
"""

from __future__ import annotations

from pathlib import Path

from nlp.errors import InputError
from nlp.readers.reports import Source, read_report
from nlp.report import narrative, sections, tables, title, totals
from nlp.report.document import Document
from nlp.report.model import NARRATIVE_KEYS, Report

# Every issue code a reader can produce, by module (tests check the rules route only these).
PRODUCERS: dict[str, tuple[str, ...]] = {
    "sections": sections.PRODUCES, "title": title.PRODUCES, "tables": tables.PRODUCES,
    "totals": totals.PRODUCES, "narrative": narrative.PRODUCES,
}


def parse(path: str | Path) -> Report:
    """Read the report at ``path`` and parse it (:func:`read_report` + :func:`parse_report`)."""
    return parse_report(read_report(path))


def parse_report(source: Source) -> Report:
    """Everything the report declares, read from ``source``.

    Parameters
    ----------
    source : Source
        The report as :func:`nlp.readers.reports.read_report` returned it.

    Returns
    -------
    Report
        Values the report does not give (or that cannot be read without
        guessing) are ``None``; what went wrong is in ``report.issues``.
    """
    found = sections.read_sections(source.text)
    doc = Document(source.text, found.spans, found.body)
    head = title.read_title(doc)
    fmt = tables.read_format(doc)
    t3 = tables.read_table3(doc)
    t2 = tables.read_table2(doc, fmt.version, t3.order)
    t4 = tables.read_table4(doc)
    table_spans = [t.span for t in (t2, t3, t4) if t.span is not None]
    declared = totals.read_totals(doc, table_spans)
    stated, stated_quotes = narrative.read_narrative(doc, table_spans)

    story = dict.fromkeys(NARRATIVE_KEYS)
    story["period_year"] = head.period_year
    story["body_year"] = declared.body_year
    story.update(stated)
    return Report(
        source={"path": source.path, "format": source.format, "encoding": source.encoding},
        unit=head.unit, year=head.year, title=head.title, format_version=fmt.version,
        sections_found=found.order,
        total_published=declared.total, total_approximate=declared.approximate,
        domains=declared.domains, split=declared.split, split_headed=declared.split_headed,
        total_mentions=declared.mentions, narrative=story,
        table2=t2.values, table3=t3.values, table4=t4.values,
        sections=found.texts,
        quotes={**head.quotes, **t2.quotes, **t3.quotes, **t4.quotes, **declared.quotes,
                **stated_quotes},
        issues=[*found.issues, *fmt.issues, *t2.issues, *t3.issues, *t4.issues,
                *declared.issues],
    )


def require_report(report: Report) -> Report:
    """``report`` itself, or an :class:`InputError` when the text is no annual report at all.

    A file with no report title, no year and not one section heading (a notice list
    passed by mistake, a web page's error page) would otherwise be "checked" into a
    page of not-assessable findings. ``nlp.parse`` calls this, so ``parse`` and
    ``check`` refuse the same files.
    """
    if report.title is None and report.year is None and not report.sections_found:
        raise InputError("this is not a 政府信息公开工作年度报告: no report title, no year and "
                         "no section heading (一、总体情况 …) found",
                         path=(report.source or {}).get("path"))
    return report
