"""The annual report: what it declares, and the rules it must satisfy.

* :mod:`.model` — the :class:`~nlp.report.model.Report` data (declared figures, tables
  二, 三, 四, parse issues);
* :mod:`.parser` — reading a :class:`~nlp.readers.reports.Source` into a Report, by
  composing pure readers: :mod:`.sections`, :mod:`.title`, :mod:`.tables` (with
  :mod:`.cells`), :mod:`.totals`, :mod:`.narrative`, over one :mod:`.document`;
* :mod:`.layout` — the one loader of the report's words (names, labels, phrasings);
* :mod:`.rule_table` — every relation of the standard format, as one table of data;
* :mod:`.rules` — the engine that evaluates that table on a Report;
* :mod:`.findings` — what a rule says about a report.
"""
