"""Taking uploads in: the size and count limits, and saving files under names made here.

A client's file name is used for two things only: its extension (checked against the
forms the readers know) and the messages, where it names the file. The file itself is
written as ``FIELD.EXT`` inside the request's own temporary folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from nlp.batching.inputs import NOTICE_SUFFIXES, REPORT_SUFFIXES
from nlp.errors import InputError

MAX_CHECK_FILES = 3  # report, notice list, last year's report
MAX_BATCH_FILES = 200  # reports of one batch upload (plus one notice list)
MAX_FIELDS = 20
CHUNK = 1 << 16
# (form field, Chinese label, allowed extensions, required)
CHECK_FIELDS = (("report", "年报", tuple(REPORT_SUFFIXES), True),
                ("notices", "通知列表", NOTICE_SUFFIXES, False),
                ("previous", "上年年报", tuple(REPORT_SUFFIXES), False))


class UploadError(Exception):
    """A user's upload that cannot be used: the message names the file; ``status`` is HTTP."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message, self.status = message, status


class _TooLarge(Exception):
    pass


def _limited(receive: Callable, limit: int) -> Callable:
    """``receive`` that raises :class:`_TooLarge` once the body passes ``limit`` bytes."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message.get("type") == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise _TooLarge
        return message

    return wrapped


def _too_large(limit: int) -> UploadError:
    return UploadError(f"上传的文件太大：每次最多 {limit / (1 << 20):.3g} MB"
                       "（--max-upload-mb）", 413)


async def read_form(request: Request, max_files: int):
    """The multipart form, within the app's size and count limits."""
    limit = request.app.state.max_upload_bytes
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise _too_large(limit)
    limited = Request(request.scope, receive=_limited(request.receive, limit))
    try:
        return await limited.form(max_files=max_files, max_fields=MAX_FIELDS)
    except _TooLarge:
        raise _too_large(limit) from None
    except MultiPartException as exc:
        raise UploadError(f"上传的内容无法读取：{exc.message}", 400) from None
    except HTTPException as exc:  # Starlette wraps the parser's refusals (too many files)
        raise UploadError(f"上传的内容无法读取：{exc.detail}", 400) from None


def client_name(upload: UploadFile) -> str:
    """The client's file name, for messages only: its last part, at most 120 characters."""
    name = PurePosixPath((upload.filename or "").replace("\\", "/")).name
    return name[:120] or "（无名文件）"


async def save_upload(upload: UploadFile, folder: Path, stem: str, label: str,
                      allowed: tuple[str, ...]) -> tuple[Path, str]:
    """Write ``upload`` as ``folder/stem<ext>``; the extension is checked, the name unused."""
    name = client_name(upload)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in allowed:
        raise UploadError(f"「{name}」不是可读的{label}格式（可用：{'、'.join(allowed)}）", 415)
    target = folder / f"{stem}{suffix}"
    with target.open("wb") as fh:
        while chunk := await upload.read(CHUNK):
            fh.write(chunk)
    if target.stat().st_size == 0:
        raise UploadError(f"「{name}」是空文件", 400)
    return target, name


def uploads_of(form, field_name: str) -> list[UploadFile]:
    return [u for u in form.getlist(field_name)
            if isinstance(u, UploadFile) and (u.filename or u.size)]


def named(exc: InputError, names: dict[str, str]) -> str:
    """An :class:`InputError` with each temporary path replaced by the client's file name."""
    text = str(exc)
    for path, name in names.items():
        text = text.replace(path, f"「{name}」")
    return text


