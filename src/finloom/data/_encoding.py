"""Text decoding of uploaded bytes: UTF-8 first, then a detected encoding, else a clear error."""

from __future__ import annotations

import codecs
import re

from finloom.errors import InvalidDataError

__all__ = ["decode_bytes"]

_UTF8_REMEDY = "Save the file as UTF-8 or pass encoding='...' (for example encoding='cp1252')."
_WORD = re.compile(r"[^\W\d_]+")  # runs of letters
_MAX_ACCENT_SHARE = 0.5  # in Western text most letters of an accented word are still ASCII


def _decode_error(data: bytes, exc: UnicodeDecodeError, encoding: str) -> InvalidDataError:
    byte = data[exc.start : exc.start + 1].hex()
    return InvalidDataError(
        f"file must be text in UTF-8 or a detectable encoding; got byte 0x{byte} at offset "
        f"{exc.start} that is not valid {encoding}. {_UTF8_REMEDY}"
    )


def _looks_western(text: str) -> bool:
    """True when accented letters sit inside mostly-ASCII words ("Málaga", "Köln").

    Cyrillic, Greek or CJK bytes decoded as cp1252 give words made only of accented letters.
    """
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return True
    letters = sum(len(w) for w in words)
    non_ascii = sum(1 for w in words for ch in w if not ch.isascii())
    return non_ascii / letters <= _MAX_ACCENT_SHARE


def _detect(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    try:
        if _looks_western(data.decode("cp1252")):
            return "cp1252"
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    if not matches:
        return None
    return matches[0].encoding


def _check_encoding(encoding: str) -> None:
    try:
        is_text = getattr(codecs.lookup(encoding), "_is_text_encoding", True)
    except LookupError:
        is_text = False
    if not is_text:  # unknown, or a bytes-to-bytes codec such as rot13 or base64
        raise InvalidDataError(
            f"encoding must be a text encoding Python knows, such as 'utf-8' or 'cp1252'; "
            f"got {encoding!r}. Leave it empty to detect the encoding."
        )


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding_used)``.

    Without ``encoding`` the order is: UTF-16 or UTF-8 with a byte-order mark, UTF-8, cp1252 (a superset
    of printable latin-1) when the decoded words look like Western European text, then the
    encoding detected by charset-normalizer (Cyrillic, Greek, Chinese, ...).

    Parameters
    ----------
    data : bytes
        Raw file content.
    encoding : str, optional
        Force this encoding (any name Python's ``codecs`` knows).

    Returns
    -------
    tuple of (str, str)
        The text and the name of the encoding used.

    Raises
    ------
    InvalidDataError
        The bytes cannot be decoded; the message names the first bad byte offset.

    Examples
    --------
    >>> decode_bytes("café".encode("utf-8"))
    ('café', 'utf-8')
    >>> decode_bytes("name\\nJosé Müller\\nFrançois Sørensen\\n".encode("latin-1"))[1]
    'cp1252'
    """
    if encoding is not None:
        _check_encoding(encoding)
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            raise _decode_error(data, exc, encoding) from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode text"
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise _decode_error(data, exc, "UTF-16") from exc
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data.decode("utf-8-sig"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _decode_error(data, exc, "UTF-8") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_exc:
        detected = _detect(data)
        if detected is None:
            raise _decode_error(data, utf8_exc, "UTF-8") from utf8_exc
        return data.decode(detected), detected
