"""Turning bytes into text without assuming the encoding.

Government sites still publish GBK; Excel on Windows writes UTF-8 with a BOM or
GB18030; Word can save UTF-16. We try the strict decodings that are cheap and
certain first, then ask charset-normalizer.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from nlp.errors import InputError

# Names we report, so the JSON says "gbk" rather than "gb2312" or "cp936".
_CANONICAL = {"gb2312": "gbk", "cp936": "gbk", "gb18030": "gb18030", "utf_8": "utf-8",
              "utf-8": "utf-8", "big5": "big5", "utf_16": "utf-16"}


def decode_bytes(data: bytes, *, path: str = "-") -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    >>> decode_bytes("七十四".encode("gbk"))
    ('七十四', 'gbk')
    >>> decode_bytes(codecs.BOM_UTF8 + "标题".encode())
    ('标题', 'utf-8-sig')
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        # No BOM but NUL bytes: UTF-16 text (a GBK or UTF-8 file has no NUL).
        candidates = [data.decode(enc, errors="replace") for enc in ("utf-16-le", "utf-16-be")]
        return max(candidates, key=_plausibility), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for enc in ("gbk", "gb18030"):
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError(
            "cannot tell the text encoding; save the file as UTF-8 or GBK", path=path
        )
    name = _CANONICAL.get(best.encoding.lower(), best.encoding.lower())
    return str(best), name


def _plausibility(text: str) -> int:
    """How many characters look like Chinese or printable ASCII."""
    return sum(1 for ch in text[:2000] if "\u4e00" <= ch <= "\u9fff" or " " <= ch <= "~")
