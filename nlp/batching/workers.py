"""Where a batch's per-report work runs: the tasks, and the executors that run them.

The tasks (:func:`parse_task`, :func:`check_task`) take and return plain data (bytes,
parsed reports, rows), so that they run unchanged in this process (:class:`SerialRunner`, for
``jobs=0``) or on :mod:`dask.distributed` workers (:class:`DaskRunner`: a local cluster of
processes, or an existing scheduler). Each process loads the model once
(:func:`worker_model`, preloaded on Dask workers by :class:`ModelPreload`).
"""

from __future__ import annotations

import functools
import logging
import os
import resource
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from distributed import WorkerPlugin

from nlp.batching.inputs import NoticeGroup
from nlp.batching.units import unit_level
from nlp.errors import InputError

TOP_FINDINGS = 3
SCHEDULER_TIMEOUT = "10s"  # to reach an existing scheduler before giving up


# ------------------------------------------------------------------ the worker side


@functools.lru_cache(maxsize=2)
def worker_model(path: str | None = None):
    """The classifier, loaded once per process (each Dask worker, or this one)."""
    from nlp.classifier.model_file import load_model

    model = load_model(path)
    model.pipeline  # noqa: B018 - unpickle now, not inside the first report's timing
    return model


class ModelPreload(WorkerPlugin):
    """A Dask worker plugin: each worker loads the model when it starts, before any task.

    Tasks call :func:`worker_model` too, so a worker that joins later (or a scheduler
    that refuses plugins) still loads it once, on its first report with notices.
    """

    name = "disclosure-model"

    def __init__(self, path: str | None = None):
        self.path = path

    def setup(self, worker=None) -> None:
        worker_model(self.path)


def parse_task(index: int, name: str, data: bytes, fmt: str | None) -> dict[str, Any]:
    """Parse one report's bytes; a user's broken file is a reason, never an exception."""
    from nlp.readers.reports import read_report_bytes
    from nlp.report.parser import parse_report

    try:
        return {"index": index, "report": parse_report(read_report_bytes(data, name=name,
                                                                          fmt=fmt))}
    except InputError as exc:
        return {"index": index, "error": str(exc)}
    except Exception as exc:  # one report's bug must not end a district's batch
        return {"index": index, "error": f"internal error: {type(exc).__name__}: {exc}"}


def check_task(index: int, report, group: NoticeGroup | None, previous, formats: Sequence[str],
               model_path: str | None) -> dict[str, Any]:
    """Check one parsed report (with its notice group), summarise it and render its outputs."""
    from nlp.consistency import check
    from nlp.render import render

    try:
        classification = None
        if group is not None:
            from nlp.classifier.classify import classify_list
            from nlp.readers.notices import NoticeList

            notices = NoticeList(group.frame, group.path, group.format, group.encoding,
                                 dict(group.columns))
            classification = classify_list(notices, worker_model(model_path))
        result = check(report, classification=classification, previous=previous)
        row, findings = summarise(result)
        payloads = {fmt: render(result, fmt) for fmt in formats}
        return {"index": index, "row": row, "findings": findings, "payloads": payloads}
    except InputError as exc:
        return {"index": index, "error": str(exc)}
    except Exception as exc:
        return {"index": index, "error": f"internal error: {type(exc).__name__}: {exc}"}


def usage() -> dict[str, float]:
    """This process's peak memory (MB) and CPU time so far (s, user + system, all threads):
    what the benchmark needs to tell work from waiting on a shared machine."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_mb": round(r.ru_maxrss / 1024, 1), "cpu_s": round(r.ru_utime + r.ru_stime, 2)}


def summarise(result) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The summary row of one :class:`~nlp.consistency.CheckResult`, and its failed findings."""
    from nlp.render import counts, domain_verdicts, failed_findings

    c = counts(result)
    fails = failed_findings(result)
    report = result.report
    row = {
        "unit": report.unit, "year": report.year, "level": unit_level(report.unit),
        "errors": c.errors, "warnings": c.warnings, "infos": c.infos, "passed": c.passed,
        "not_assessable": c.not_assessable, "checks": len(result.findings),
        "verdicts": dict(domain_verdicts(result)),
        "top_findings": [{"severity": f.severity.value, "rule": f.rule, "message": f.message}
                         for f in fails[:TOP_FINDINGS]],
        "n_notices": (result.reconciliation.n_notices
                      if result.reconciliation is not None else None),
    }
    findings = [{"rule": f.rule, "severity": f.severity.value, "message": f.message}
                for f in fails]
    return row, findings


# ------------------------------------------------------------------ running the tasks


class SerialRunner:
    """Runs tasks in this process, in the order they were submitted."""

    def __init__(self) -> None:
        self._queue: deque = deque()

    def submit(self, fn: Callable, *args: Any) -> None:
        self._queue.append((fn, args))

    def results(self) -> Iterator[dict[str, Any]]:
        while self._queue:
            fn, args = self._queue.popleft()
            yield fn(*args)

    def worker_usage(self) -> dict[str, dict[str, float]]:
        return {"local": usage()}

    def close(self) -> None:
        pass


class DaskRunner:
    """Runs tasks on a Dask cluster, yielding results as they finish."""

    def __init__(self, client, cluster=None) -> None:
        from distributed import as_completed

        self.client, self.cluster = client, cluster
        self._done = as_completed()

    def submit(self, fn: Callable, *args: Any) -> None:
        self._done.add(self.client.submit(fn, *args, pure=False))

    def results(self) -> Iterator[dict[str, Any]]:
        for future in self._done:
            value = future.result()
            future.release()
            yield value

    def worker_usage(self) -> dict[str, dict[str, float]]:
        return dict(self.client.run(usage))

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def runner_for(jobs: int | None, scheduler: str | None, model_path: str | None,
            needs_model: bool):
    if scheduler is None and jobs == 0:
        return SerialRunner()
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler is not None:
            client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
        else:
            cluster = LocalCluster(n_workers=jobs or default_jobs(), threads_per_worker=1,
                                   processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
    except (OSError, TimeoutError, ValueError) as exc:
        if cluster is not None:
            cluster.close()
        raise InputError(f"cannot start or reach the Dask scheduler "
                         f"{scheduler or '(local cluster)'}: {exc}", place="--scheduler") from exc
    runner = DaskRunner(client, cluster)
    if needs_model:
        try:
            client.register_plugin(ModelPreload(model_path), name=ModelPreload.name)
        except BaseException:
            runner.close()
            raise
    return runner


