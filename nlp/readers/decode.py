"""Turning bytes into text without assuming the encoding.

Government sites still publish GBK; Excel on Windows writes UTF-8 with a BOM or
GB18030; Word can save UTF-16. :func:`detect_encoding` decides from the *whole*
input, read in blocks, so a GBK file whose first Chinese character comes after
the first megabyte is still GBK, and a notice list read in chunks is decoded
exactly as the same list read whole. A BOM is believed, and the text under it must
decode; without one, the first of UTF-8, GBK and GB18030 that decodes every byte
wins. Every failure is an :class:`~nlp.errors.InputError` naming the byte.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable

from nlp.errors import InputError

# Longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
CANDIDATES = ("utf-8", "gbk", "gb18030")
# Names we report, so the JSON says "gbk" rather than "gb2312" or "cp936".
_CANONICAL = {"gb2312": "gbk", "cp936": "gbk", "gb18030": "gb18030", "utf_8": "utf-8",
              "utf-8": "utf-8", "big5": "big5", "utf_16": "utf-16"}
_FIX = "save the file as UTF-8 or GBK"


class _Trial:
    """One candidate encoding fed block by block; remembers where it failed."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        self.decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        self.offset = 0
        self.failed_at: int | None = None
        self.sample = ""

    def feed(self, block: bytes, final: bool = False) -> None:
        if self.failed_at is not None:
            return
        # Bytes the decoder holds from the last block come before ``block`` in exc.start.
        held = len(self.decoder.getstate()[0])
        try:
            text = self.decoder.decode(block, final)
        except UnicodeDecodeError as exc:
            skipped = 3 if self.encoding == "utf-8-sig" and self.offset == 0 else 0
            self.failed_at = self.offset - held + max(exc.start, 0) + skipped
            return
        if len(self.sample) < 2000:
            self.sample += text[:2000]
        self.offset += len(block)


def detect_encoding(blocks: Iterable[bytes], *, path: str = "-") -> str | None:
    """The encoding that decodes every block, or ``None`` when no candidate does.

    Raises
    ------
    InputError
        A BOM (or UTF-16's NUL bytes) over bytes that do not decode under it.

    >>> detect_encoding([b"title\\n" * 3, "防汛".encode("gbk")])
    'gbk'
    >>> detect_encoding([codecs.BOM_UTF8 + "标题".encode()])
    'utf-8-sig'
    >>> detect_encoding([b"\\xff\\xfe\\x41"], path="x.txt")
    Traceback (most recent call last):
    nlp.errors.InputError: x.txt:byte 2: the file starts with a UTF-16 byte-order mark, ...
    """
    trials: list[_Trial] | None = None
    bom = None
    for block in blocks:
        if trials is None:
            bom = next(((mark, enc) for mark, enc in _BOMS if block.startswith(mark)), None)
            if bom is not None:
                trials = [_Trial(bom[1])]
            elif b"\x00" in block[:4096]:
                # No BOM but NUL bytes: UTF-16 text (a GBK or UTF-8 file has no NUL).
                trials = [_Trial("utf-16-le"), _Trial("utf-16-be")]
            else:
                trials = [_Trial(enc) for enc in CANDIDATES]
        for trial in trials:
            trial.feed(block)
        if all(t.failed_at is not None for t in trials):
            break
    if trials is None:
        return "utf-8"
    for trial in trials:
        trial.feed(b"", final=True)
    alive = [t for t in trials if t.failed_at is None]
    if bom is not None and not alive:
        name = bom[1].replace("-sig", "").upper()
        raise InputError(f"the file starts with a {name} byte-order mark, but the bytes after "
                         f"it are not {name}; {_FIX}", path=path,
                         place=f"byte {trials[0].failed_at}")
    if len(trials) == 2 and trials[0].encoding.startswith("utf-16"):
        if not alive:
            raise InputError(f"the file has NUL bytes but is not UTF-16 text; {_FIX}",
                             path=path, place=f"byte {min(t.failed_at for t in trials)}")
        return max(alive, key=lambda t: _plausibility(t.sample)).encoding
    return alive[0].encoding if alive else None


def first_failure(data: bytes) -> int:
    """Where UTF-8 decoding of ``data`` first fails (for a message)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return len(data)


def decode_bytes(data: bytes, *, path: str = "-", guess: bool = True) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    With ``guess``, bytes that no candidate decodes are handed to charset-normalizer
    (a report may come in Big5 or a Windows code page); without it they are refused.

    >>> decode_bytes("七十四".encode("gbk"))
    ('七十四', 'gbk')
    >>> decode_bytes(codecs.BOM_UTF8 + "标题".encode())
    ('标题', 'utf-8-sig')
    """
    encoding = detect_encoding([data], path=path)
    if encoding is not None:
        text = data.decode(encoding)
        return text, "utf-16" if encoding.startswith("utf-16") else encoding
    if guess:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None and best.encoding is not None:
            return str(best), _CANONICAL.get(best.encoding.lower(), best.encoding.lower())
    raise InputError(f"cannot tell the text encoding (not UTF-8, GBK or GB18030); {_FIX}",
                     path=path, place=f"byte {first_failure(data)}")


def _plausibility(text: str) -> int:
    """How many characters look like Chinese or printable ASCII."""
    return sum(1 for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff" or " " <= ch <= "~")
