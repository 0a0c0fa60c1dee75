"""disclosure-nlp: checks 政府信息公开工作年度报告 against the notices an office published.

The library in five calls — the command line (:mod:`nlp.cli`) is glue around them:

>>> import nlp
>>> report = nlp.parse("corpus/examples/example-report.txt")
>>> report.total_published
74
>>> result = nlp.check(report, notices="corpus/examples/notices-2023.csv")
>>> [f.message for f in result.failures() if f.rule == "narrative.total_mentions_agree"]
['一(三)称 77 条，一(一)称 74 条']
>>> nlp.classify(["2023年第三季度高龄津贴发放名单公示"])[["domain"]].to_dict("records")
[{'domain': '养老服务'}]

Where things live, in the order the data flows:

* :mod:`nlp.readers` — reading inputs (notice lists, annual reports, encodings);
* :mod:`nlp.report` — the :class:`~nlp.report.model.Report` data, the parser, the rule
  table and its engine, findings;
* :mod:`nlp.classifier` — title normalisation, tokenizer, n-gram features, the
  pipeline, the model file, training, prediction;
* :mod:`nlp.reconcile` — declared per-domain counts against the classified list;
* :mod:`nlp.consistency` — joins the rules and the reconciliation into one result;
* :mod:`nlp.render` — HTML, Markdown, JSON and XLSX of that result;
* :mod:`nlp.labels`, :mod:`nlp.text`, :mod:`nlp.errors` — the labels, text helpers and
  error types everything shares.

Heavy libraries (scikit-learn, pandas' readers, pdfplumber) are imported only by the
calls that need them, so ``import nlp`` stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.errors import InputError, ModelError

if TYPE_CHECKING:
    import pandas as pd

    from nlp.classifier.classify import Classification
    from nlp.classifier.model_file import LoadedModel
    from nlp.consistency import CheckResult
    from nlp.report.model import Report

try:
    __version__ = metadata.version("disclosure-nlp")
except metadata.PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["InputError", "ModelError", "batch", "check", "classify", "load_model", "parse",
           "train"]

# A string this long, or with a line break, is a report's text rather than a path.
_MAX_PATH_CHARS = 1024


def parse(report: str | os.PathLike) -> Report:
    """Everything an annual report declares.

    Parameters
    ----------
    report : path or str
        A report file (text in any encoding, HTML, Markdown, DOCX or PDF), or the
        report's text itself (a string with a line break).

    Returns
    -------
    Report
        Values the report does not state, or that cannot be read without guessing,
        are ``None``; what went wrong is in ``report.issues``.

    Raises
    ------
    InputError
        The file is missing or unreadable, or is not an annual report.

    Examples
    --------
    >>> r = parse("corpus/examples/example-report.txt")
    >>> r.unit, r.year, r.domains["救灾"]
    ('北关区红旗路街道办事处', 2023, 24)
    >>> parse("一、总体情况\\n本年度主动公开政府信息 12 条。").total_published
    12
    """
    from nlp.readers.reports import read_report, read_report_text
    from nlp.report.parser import parse_report, require_report

    if isinstance(report, str) and ("\n" in report or len(report) > _MAX_PATH_CHARS):
        from nlp.readers.limits import REPORT_SIZE, size_text

        size = len(report.encode("utf-8", errors="surrogatepass"))
        if size > REPORT_SIZE.value():  # the limit of a report file holds for its text too
            raise REPORT_SIZE.error("<text>", f"the text has {size_text(size)}")
        return require_report(parse_report(read_report_text(report)))
    return require_report(parse_report(read_report(report)))


def load_model(path: str | os.PathLike | None = None, trust: bool = False) -> LoadedModel:
    """The domain classifier, checked before it is unpickled.

    Parameters
    ----------
    path : path, optional
        A ``.joblib`` model with its ``.json`` manifest beside it. By default
        ``$DISCLOSURE_MODEL``, else the checkout's ``models/``, else the model shipped
        inside the installed package.
    trust : bool, default=False
        Load a model that is not the shipped one. A joblib file is a pickle and runs
        code when it is loaded, so only the model whose sha256 is pinned in the
        package (:mod:`nlp.classifier.shipped`) is loaded without this.

    Raises
    ------
    ModelError
        Missing file or manifest, a model other than the shipped one without
        ``trust``, a sha256 that differs from the manifest, or library versions
        other than the ones the model was trained with.

    Examples
    --------
    >>> from nlp.labels import LABELS
    >>> model = load_model()
    >>> sorted(model.labels) == sorted(LABELS), 0 < model.review_threshold < 1
    (True, True)
    """
    from nlp.classifier.model_file import load_model as _load

    return _load(path, trust=trust)


def classify(notices: Sequence[str] | pd.DataFrame | str | os.PathLike, model=None, *,
             column: str | None = None) -> pd.DataFrame:
    """Classify notices into the six domains and 其他.

    Parameters
    ----------
    notices : list of str, DataFrame or path
        Titles; or a table whose title column is found by name (标题, 信息名称,
        title, …) or given as ``column``; or a notice-list file (CSV, XLSX, JSON,
        JSON Lines, text).
    model : LoadedModel, optional
        From :func:`load_model`; loaded once per call when not given.
    column : str, optional
        The title column, when its name is not a known one.

    Returns
    -------
    DataFrame
        The input rows and columns (a list becomes the column ``title``), plus
        ``domain``, ``confidence``, ``second_domain`` and ``needs_review``.

    Examples
    --------
    >>> out = classify(["红旗路街道开展防汛应急演练", "关于开展城乡居民医保参保缴费工作的通知"])
    >>> out["domain"].tolist()
    ['救灾', '其他']
    """
    return _classification(notices, model, column).frame


def check(report: Report | str | os.PathLike, notices: Any = None,
          previous: Report | str | os.PathLike | None = None, model=None, *,
          column: str | None = None) -> CheckResult:
    """The consistency check of a report, reconciled with its notice list when given.

    Parameters
    ----------
    report : Report, path or str
        A parsed report, or what :func:`parse` takes.
    notices : list of str, DataFrame, path or Classification, optional
        The office's notice list, as :func:`classify` takes it.
    previous : Report, path or str, optional
        Last year's report, for the cross-year rules.
    model : LoadedModel, optional
        The classifier, when ``notices`` is given (default: :func:`load_model`).
    column : str, optional
        The title column of the notice list.

    Returns
    -------
    CheckResult
        ``findings`` (every rule, passed or not), ``reconciliation`` (per declared
        domain, when notices were given), ``to_dict()`` for the contract's JSON.

    Examples
    --------
    >>> result = check("corpus/examples/example-report.txt")
    >>> sorted({f.severity.value for f in result.failures()})
    ['error', 'warning']
    >>> result.reconciliation is None
    True
    """
    from nlp.classifier.classify import Classification
    from nlp.consistency import check as _check

    if not _is_report(report):
        report = parse(report)
    if previous is not None and not _is_report(previous):
        previous = parse(previous)
    classification = None
    if notices is not None:
        classification = (notices if isinstance(notices, Classification)
                          else _classification(notices, model, column))
        _check_reconcilable(len(classification.frame),
                            str(classification.source.get("path", "<list>")))
    return _check(report, classification=classification, previous=previous)


def train(corpus: str | os.PathLike | None = None, out: str | os.PathLike | None = None,
          ) -> dict[str, Any]:
    """Select, fit, measure and save the classifier.

    Parameters
    ----------
    corpus : path, optional
        A corpus folder with ``train.csv``, ``test/*.csv`` and ``lexicon.txt``
        (default: the checkout's ``corpus/``).
    out : path, optional
        The model file or folder to write (default: the checkout's ``models/``).

    Returns
    -------
    dict
        The manifest written beside the model: figures, corpus hash, versions, sha256.

    Raises
    ------
    InputError
        The corpus folder lacks ``train.csv`` or a test split, or holds an unknown label.

    Examples
    --------
    Training takes half a minute (``tests/test_model.py`` retrains and compares the
    shipped figures); a folder that is not a corpus is refused at once:

    >>> train("docs")
    Traceback (most recent call last):
    nlp.errors.InputError: docs: corpus has no train.csv
    """
    from nlp.classifier.training import train as _train

    return _train(corpus, out)


def batch(reports: Sequence[str | os.PathLike] | str | os.PathLike,
          out_dir: str | os.PathLike | None = None, *, notices: str | os.PathLike | None = None,
          previous: str | os.PathLike | None = None, formats: Sequence[str] = ("html",),
          jobs: int | None = None, scheduler: str | None = None, force: bool = False,
          column: str | None = None, unit_column: str | None = None,
          model: str | os.PathLike | None = None, progress=None) -> pd.DataFrame:
    """Check many reports at once, on Dask workers; the summary as a table.

    Parameters
    ----------
    reports : path, pattern, or a list of them
        Report files, folders (searched recursively for .txt, .html, .md, .docx, .pdf)
        or glob patterns.
    out_dir : path, optional
        Where to write each report's outputs, ``index.html``, ``summary.xlsx`` and
        ``summary.json``. Without it nothing is written (and nothing rendered).
    notices : path, optional
        One combined notice list with a unit column (发布单位, 来源, … or
        ``unit_column``), or a folder of one list per unit named after the unit.
    previous : path, optional
        Last year's reports (a folder), matched by unit, for the cross-year rules.
    formats : list of str, default ("html",)
        Per-report outputs, from ``html``, ``xlsx``, ``json``, ``md``.
    jobs : int, optional
        Processes of the local Dask cluster (default: the cores); ``0`` runs everything
        in this process without Dask.
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``).
    force : bool, default False
        Redo reports whose outputs are newer than their inputs, too.
    progress : callable, optional
        Called as ``progress(done, total)`` as reports finish.

    Returns
    -------
    DataFrame
        One row per report: ``source``, ``status`` (``ok``/``failed``), ``reason``,
        ``unit``, ``year``, ``level``, ``errors``, ``warnings``, ``verdicts``,
        ``top_findings``, ``outputs``, … ``attrs`` holds ``findings`` (every failed
        finding), ``unmatched_notices``, ``worker_memory_mb`` and ``worker_cpu_s``.

    Examples
    --------
    >>> table = batch(["corpus/examples/example-report.txt", "pyproject.toml"], jobs=0)
    >>> table[["status", "unit", "errors", "warnings"]].values.tolist()
    [['ok', '北关区红旗路街道办事处', 1, 1], ['failed', nan, <NA>, <NA>]]
    >>> table["reason"][1]
    'not a report form (.toml); reports are .txt, .html, .md, .docx or .pdf files'
    """
    from nlp.batching.runner import BatchOptions, run_batch

    if isinstance(reports, (str, os.PathLike)):
        reports = [reports]
    options = BatchOptions(
        out_dir=Path(out_dir) if out_dir is not None else None,
        notices=str(notices) if notices is not None else None,
        previous=str(previous) if previous is not None else None,
        formats=tuple(formats), jobs=jobs, scheduler=scheduler, force=force, column=column,
        unit_column=unit_column, model=str(model) if model is not None else None)
    return run_batch(list(reports), options, progress=progress)


def _is_report(value: Any) -> bool:
    from nlp.report.model import Report

    return isinstance(value, Report)


def _classification(notices: Any, model, column: str | None) -> Classification:
    """A :class:`Classification` of titles, a frame or a notice-list file."""
    import pandas as pd

    from nlp.classifier.classify import classify_list
    from nlp.readers.notices import NoticeList, find_columns, read_notices

    if isinstance(notices, (str, Path, os.PathLike)):
        found = read_notices(notices, column=column)
    else:
        if isinstance(notices, pd.DataFrame):
            frame, name = notices.reset_index(drop=True), "<DataFrame>"
        else:
            titles = ["" if t is None else str(t) for t in notices]
            frame, name, column = pd.DataFrame({"title": titles}), "<list>", "title"
        found = NoticeList(frame, name, "frame")
        found.columns = find_columns(found.frame, path=name, column=column)
    _check_reconcilable(len(found.frame), found.path)
    return classify_list(found, model if model is not None else load_model())


def _check_reconcilable(rows: int, path: str) -> None:
    """Refuse a list too long to reconcile in bounded memory and time.

    The exact count distributions hold one row per domain, scenario and error
    multiplier for every notice: about 4 s and 0.5 GB at 50,000 notices, growing
    with the list. A classification alone (:func:`classify`) has no such limit.
    """
    from nlp.readers import limits

    if rows > limits.CHECK_NOTICES.value():
        raise limits.CHECK_NOTICES.error(path, f"the list has {rows:,} notices")
