"""Writing output files whole or not at all, with the permissions a user expects.

Every output (a rendered report, a batch's pages and workbook) is written to a temporary
file in the target's folder and renamed over the target, so a reader never sees half a
file and a failure leaves the old one. :func:`tempfile.mkstemp` makes its file readable by
its owner only; outputs are meant to be shared (a district publishes its review pages), so
the file gets the mode a plain ``open()`` would give it under the user's umask.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO


def _read_umask() -> int:
    """The process's umask, read without changing it where the system allows (setting it
    to read it back is not thread-safe, and the web app writes from threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


UMASK = _read_umask()


def temp_file(folder: str | os.PathLike, prefix: str, suffix: str = "") -> tuple[int, Path]:
    """A new temporary file in ``folder`` (an open descriptor and its path), with the
    permissions of a file made by ``open()``."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    with contextlib.suppress(OSError):  # a file system without modes keeps its own
        os.fchmod(fd, 0o666 & ~UMASK)
    return fd, Path(name)


def atomic_write(target: str | os.PathLike, payload: bytes | Callable[[IO], None], *,
                 text: bool = False) -> None:
    """Write ``target`` through a temporary file beside it and a rename.

    ``payload`` is the bytes, or a function that writes to the open file (text in UTF-8
    with line ends untouched when ``text`` is true).
    """
    target = Path(target)
    fd, tmp = temp_file(target.parent, prefix=f".{target.name}.")
    mode = {"mode": "w", "encoding": "utf-8", "newline": ""} if text else {"mode": "wb"}
    try:
        with os.fdopen(fd, **mode) as fh:
            if callable(payload):
                payload(fh)
            else:
                fh.write(payload)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
