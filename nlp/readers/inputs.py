"""Opening an input once, whatever it is: a regular file, standard input, a pipe, or not.

A pipe (``<(…)`` in a shell, a FIFO, ``-``) can be read only once, so it is read
whole into memory, up to :data:`~nlp.readers.limits.STREAM_SIZE`; a regular file is
checked against its size limit and then read in blocks by whoever needs it; a
device (``/dev/zero``, a terminal), a socket or a directory is refused before any
read, so nothing waits forever on an input that never ends.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from nlp.errors import InputError
from nlp.readers.limits import STREAM_SIZE, UNZIPPED_SIZE, Limit, size_text

BLOCK = 1 << 20


@dataclass(frozen=True)
class RawInput:
    """An input that passed the checks: in memory (``data``), or a regular file."""

    path: str
    data: bytes | None = None
    file: Path | None = None

    def blocks(self) -> Iterator[bytes]:
        """The bytes in blocks of :data:`BLOCK`, read from disk for a regular file."""
        if self.data is not None:
            yield self.data
            return
        try:
            with open(self.file, "rb") as fh:
                while block := fh.read(BLOCK):
                    yield block
        except OSError as exc:
            raise InputError(os_message(exc), path=self.path) from None

    def head(self, size: int = BLOCK) -> bytes:
        """The first ``size`` bytes, to sniff the format."""
        if self.data is not None:
            return self.data[:size]
        try:
            with open(self.file, "rb") as fh:
                return fh.read(size)
        except OSError as exc:
            raise InputError(os_message(exc), path=self.path) from None

    def read(self) -> bytes:
        """All the bytes (the caller has checked the size against its limit)."""
        return self.data if self.data is not None else b"".join(self.blocks())


def open_input(path: str | os.PathLike, limit: Limit) -> RawInput:
    """Check ``path`` and read it now if it is a stream; ``limit`` bounds a regular file.

    Raises
    ------
    InputError
        Missing, a directory or a device, unreadable, or larger than the limit.
    """
    spath = str(path)
    if spath == "-":
        return RawInput(spath, data=_read_stream(sys.stdin.buffer, spath))
    try:
        mode = os.stat(spath).st_mode
    except (OSError, ValueError) as exc:
        raise InputError(path_message(exc), path=spath[:200]) from None
    if stat.S_ISDIR(mode):
        raise InputError("is a directory, not a file", path=spath)
    if stat.S_ISFIFO(mode):
        try:
            with open(spath, "rb") as fh:
                return RawInput(spath, data=_read_stream(fh, spath))
        except OSError as exc:
            raise InputError(os_message(exc), path=spath) from None
    if not stat.S_ISREG(mode):
        kind = "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file"
        raise InputError(f"is {kind}, not a file; save the data to a file first", path=spath)
    size = os.stat(spath).st_size
    if size > limit.value():
        raise limit.error(spath, f"the file has {size_text(size)}")
    return RawInput(spath, file=Path(spath))


def check_zip(data: bytes, path: str, what: str) -> None:
    """Refuse a damaged zip, or one that would unpack past :data:`~limits.UNZIPPED_SIZE`
    (a zip bomb: a few kilobytes that inflate to gigabytes)."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(f"cannot read the {what} (a damaged zip: {exc})", path=path) from None
    if unpacked > UNZIPPED_SIZE.value():
        raise UNZIPPED_SIZE.error(path, f"the {what} unpacks to {size_text(unpacked)}")


def _read_stream(stream, path: str) -> bytes:
    """Read a stream once, refusing it when it is longer than the stream limit."""
    limit = STREAM_SIZE.value()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise STREAM_SIZE.error(path, "the input goes on past it")
    return data


def path_message(exc: OSError | ValueError) -> str:
    """Why a path cannot even be looked at: :func:`os_message`, or a NUL byte in it."""
    if isinstance(exc, OSError):
        return os_message(exc)
    return f"not a usable file name ({exc})"


def os_message(exc: OSError) -> str:
    """An OS error as the one-line reason the user reads."""
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read the file ({exc.strerror or exc})"
