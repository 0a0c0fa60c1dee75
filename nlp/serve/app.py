"""The web app: routes, the checks run off the event loop, and the results kept in memory.

See :mod:`nlp.serve` for what each request is guarded by. The single check goes through
the library API (:func:`nlp.parse`, :func:`nlp.check`, :func:`nlp.render.render`); the
batch page runs :func:`nlp.batching.runner.run_batch` in this process, the same code as
``disclosure batch``.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from nlp.batching.inputs import NOTICE_SUFFIXES, REPORT_SUFFIXES
from nlp.batching.runner import BatchOptions, run_batch, summary_records
from nlp.batching.units import safe_stem
from nlp.batching.workers import worker_model
from nlp.errors import InputError
from nlp.render import render
from nlp.serve.pages import batch_page, message_page, toolbar, upload_page, with_toolbar
from nlp.serve.uploads import (
    CHECK_FIELDS,
    MAX_BATCH_FILES,
    MAX_CHECK_FILES,
    UploadError,
    named,
    read_form,
    save_upload,
    uploads_of,
)

KEEP_RESULTS = 32  # results kept in memory; older ones are dropped (then 404)
DOWNLOADS = {"html": ("text/html; charset=utf-8", "HTML"),
             "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "XLSX"),
             "md": ("text/markdown; charset=utf-8", "Markdown"),
             "json": ("application/json", "JSON")}


@dataclass
class Stored:
    """One result kept for its pages and downloads."""

    kind: str  # "check" or "batch"
    stem: str
    files: dict[str, bytes] = field(default_factory=dict)


class ResultStore:
    """The last :data:`KEEP_RESULTS` results, by random id (thread-safe)."""

    def __init__(self, keep: int | None = None):
        self._items: OrderedDict[str, Stored] = OrderedDict()
        self._keep = keep if keep is not None else KEEP_RESULTS
        self._lock = threading.Lock()

    def add(self, item: Stored) -> str:
        rid = secrets.token_urlsafe(12)
        with self._lock:
            self._items[rid] = item
            while len(self._items) > self._keep:
                self._items.popitem(last=False)
        return rid

    def get(self, rid: str, kind: str) -> Stored:
        with self._lock:
            item = self._items.get(rid)
        if item is None or item.kind != kind:
            raise HTTPException(404)
        return item


# ------------------------------------------------------------------ the work


def _check(app_state, paths: dict[str, Path], names: dict[str, str]) -> Stored:
    """Parse, check, render the four formats (runs in a worker thread)."""
    import nlp

    report = nlp.parse(paths["report"])
    report.source["path"] = names[str(paths["report"])]
    previous = nlp.parse(paths["previous"]) if "previous" in paths else None
    result = nlp.check(report, notices=paths.get("notices"), previous=previous,
                       model=app_state.model)
    stem = safe_stem(report.unit, report.year) if report.unit else "核对结果"
    return Stored("check", stem, {fmt: render(result, fmt) for fmt in DOWNLOADS})


async def run_check(request: Request) -> Stored:
    """Validate and save the uploads, then check them off the event loop."""
    form = await read_form(request, MAX_CHECK_FILES)
    folder = Path(tempfile.mkdtemp(prefix="disclosure-serve-", dir=request.app.state.tmp))
    try:
        paths: dict[str, Path] = {}
        names: dict[str, str] = {}
        for field_name, label, allowed, required in CHECK_FIELDS:
            uploads = uploads_of(form, field_name)
            if not uploads:
                if required:
                    raise UploadError(f"请选择{label}文件", 400)
                continue
            path, name = await save_upload(uploads[0], folder, field_name, label, allowed)
            paths[field_name], names[str(path)] = path, name
        try:
            return await run_in_threadpool(_check, request.app.state, paths, names)
        except InputError as exc:
            raise UploadError(named(exc, names), 422) from None
    finally:
        await form.close()
        shutil.rmtree(folder, ignore_errors=True)


def _batch(app_state, reports: list[Path], notices: Path | None, names: dict[str, str],
           out: Path) -> Stored:
    from nlp.render.batch import render_index, render_summary_xlsx

    options = BatchOptions(out_dir=out, notices=str(notices) if notices else None,
                           formats=("html",), jobs=0, force=True,
                           model=app_state.model_path, display_names=names)
    frame = run_batch([str(p) for p in reports], options)
    records = summary_records(frame)
    for rec in records:  # the list's temporary path → the name the reviewer uploaded
        if rec["notices"] and notices is not None:
            rec["notices"] = rec["notices"].replace(str(notices), names[str(notices)])
    findings = frame.attrs["findings"].to_dict("records")
    unmatched = frame.attrs["unmatched_notices"]
    files = {p.name: p.read_bytes() for p in out.iterdir()
             if p.is_file() and p.suffix == ".html"}
    files["index.html"] = render_index(records, findings, unmatched,
                                       notices_given=notices is not None)
    files["summary.xlsx"] = render_summary_xlsx(records, findings, unmatched)
    return Stored("batch", "批量核对", files)


async def run_batch_upload(request: Request) -> Stored:
    form = await read_form(request, MAX_BATCH_FILES + 1)
    folder = Path(tempfile.mkdtemp(prefix="disclosure-serve-", dir=request.app.state.tmp))
    try:
        uploads = uploads_of(form, "reports")
        if not uploads:
            raise UploadError("请选择至少一份年报文件", 400)
        (folder / "reports").mkdir()
        paths, names = [], {}
        for i, upload in enumerate(uploads):
            path, name = await save_upload(upload, folder / "reports", f"{i:03d}", "年报",
                                           tuple(REPORT_SUFFIXES))
            paths.append(path)
            names[str(path)] = name
        notices = None
        listed = uploads_of(form, "notices")
        if listed:
            notices, name = await save_upload(listed[0], folder, "notices", "通知列表",
                                              NOTICE_SUFFIXES)
            names[str(notices)] = name
        try:
            return await run_in_threadpool(_batch, request.app.state, paths, notices, names,
                                           folder / "out")
        except InputError as exc:
            raise UploadError(named(exc, names), 422) from None
    finally:
        await form.close()
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------ routes


async def home(request: Request) -> HTMLResponse:
    return HTMLResponse(upload_page())


async def _submitted(request: Request, run, page, location: str) -> Response:
    """Run a form's work; its page again with the message on a refusal, else a redirect
    to ``location`` (formatted with the new result's id)."""
    try:
        stored = await run(request)
    except UploadError as exc:
        return HTMLResponse(page(exc.message), status_code=exc.status)
    rid = request.app.state.results.add(stored)
    return RedirectResponse(location.format(rid=rid), status_code=303)


async def check_form(request: Request) -> Response:
    return await _submitted(request, run_check, upload_page, "/result/{rid}")


async def result_page(request: Request) -> Response:
    rid = request.path_params["rid"]
    stored = request.app.state.results.get(rid, "check")
    links = [(f"/result/{rid}/{fmt}", label) for fmt, (_, label) in DOWNLOADS.items()]
    return HTMLResponse(with_toolbar(stored.files["html"], toolbar(links, "/")))


async def download(request: Request) -> Response:
    rid, fmt = request.path_params["rid"], request.path_params["fmt"]
    stored = request.app.state.results.get(rid, "check")
    if fmt not in stored.files:
        raise HTTPException(404)
    return _attachment(stored.files[fmt], f"{stored.stem}.{fmt}", DOWNLOADS[fmt][0])


def _attachment(data: bytes, filename: str, media_type: str) -> Response:
    disposition = (f"attachment; filename=\"download{PurePosixPath(filename).suffix}\"; "
                   f"filename*=UTF-8''{quote(filename)}")
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


async def batch_home(request: Request) -> HTMLResponse:
    return HTMLResponse(batch_page())


async def batch_form(request: Request) -> Response:
    return await _submitted(request, run_batch_upload, batch_page, "/batch/{rid}/")


async def batch_result(request: Request) -> Response:
    rid = request.path_params["rid"]
    name = request.path_params.get("name") or "index.html"
    stored = request.app.state.results.get(rid, "batch")
    data = stored.files.get(name)
    if data is None:
        raise HTTPException(404)
    if name == "index.html":
        links = [("summary.xlsx", "汇总表 XLSX")] if "summary.xlsx" in stored.files else []
        return HTMLResponse(with_toolbar(data, toolbar(links, "/batch")))
    if name.endswith(".xlsx"):
        return _attachment(data, name, DOWNLOADS["xlsx"][0])
    return HTMLResponse(with_toolbar(data, toolbar([], f"/batch/{rid}/")))


async def batch_no_slash(request: Request) -> Response:
    request.app.state.results.get(request.path_params["rid"], "batch")
    return RedirectResponse(f"/batch/{request.path_params['rid']}/", status_code=307)


async def api_check(request: Request) -> JSONResponse:
    try:
        stored = await run_check(request)
    except UploadError as exc:
        return JSONResponse({"error": exc.message}, status_code=exc.status)
    return Response(stored.files["json"], media_type="application/json")


async def not_found(request: Request, exc: Exception) -> Response:
    status = getattr(exc, "status_code", 404)
    message = "没有这个页面或结果（结果只保存在内存中，程序重启或结果较多时会被清除）。" \
        if status == 404 else "不支持这种请求。"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return HTMLResponse(message_page("找不到", message), status_code=status)


async def server_error(request: Request, exc: Exception) -> Response:
    message = "核对时发生内部错误；请把文件交给维护者排查。"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=500)
    return HTMLResponse(message_page("内部错误", message), status_code=500)


def create_app(*, model_path: str | None = None, max_upload_mb: float = 50, model: Any = None,
               tmp: str | None = None) -> Starlette:
    """The web app. The model is loaded once at start-up (or passed in as ``model``).

    Parameters
    ----------
    model_path : str, optional
        The model file (default: as :func:`nlp.load_model` finds it).
    max_upload_mb : float, default 50
        The largest request body accepted, all files together.
    model : LoadedModel, optional
        An already loaded model (tests pass one to skip loading it again).
    tmp : str, optional
        Where the per-request folders are made (default: the system's temporary folder).
    """
    if max_upload_mb <= 0:
        raise InputError("--max-upload-mb must be more than 0", place="--max-upload-mb")

    @asynccontextmanager
    async def lifespan(app: Starlette):
        if app.state.model is None:
            app.state.model = await run_in_threadpool(worker_model, model_path)
        yield

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/check", check_form, methods=["POST"]),
        Route("/result/{rid}", result_page, methods=["GET"]),
        Route("/result/{rid}/{fmt}", download, methods=["GET"]),
        Route("/batch", batch_home, methods=["GET"]),
        Route("/batch", batch_form, methods=["POST"]),
        Route("/batch/{rid}", batch_no_slash, methods=["GET"]),
        Route("/batch/{rid}/", batch_result, methods=["GET"]),
        Route("/batch/{rid}/{name}", batch_result, methods=["GET"]),
        Route("/api/check", api_check, methods=["POST"]),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={404: not_found, 405: not_found, 500: server_error})
    app.state.model = model
    app.state.model_path = model_path
    app.state.max_upload_bytes = int(max_upload_mb * (1 << 20))
    app.state.results = ResultStore()
    app.state.tmp = tmp
    return app
