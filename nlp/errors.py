"""The errors the library raises; ``nlp.cli`` turns them into exit codes.

A user's mistake (a missing file, an unknown format, a missing column, a model
that does not match its manifest) is an :class:`InputError` and exits 2 with a
one-line message. Anything else is a bug and exits 1.
"""

from __future__ import annotations


class InputError(ValueError):
    """Input or options that cannot be used, with the place where it went wrong.

    Parameters
    ----------
    message : str
        What is wrong, in one sentence.
    path : str, optional
        The file concerned (``-`` for standard input).
    place : str, optional
        Where in the file: a row, a column name, a section, a table cell.
    """

    def __init__(self, message: str, *, path: str | None = None, place: str | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.place = place

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.path, self.place) if p)
        return f"{where}: {self.message}" if where else self.message


class ModelError(InputError):
    """A model file that cannot be trusted or used (hash, versions, missing manifest)."""
