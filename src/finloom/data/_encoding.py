"""Text decoding of uploaded bytes: UTF-8 first, then a detected encoding, else a clear error."""

from __future__ import annotations

import codecs
import re

from finloom.errors import InvalidDataError

__all__ = ["decode_bytes", "detect_encoding"]

_UTF8_REMEDY = "Save the file as UTF-8 or pass encoding='...' (for example encoding='cp1252')."
_WORD = re.compile(r"[^\W\d_]+")  # runs of letters
_LABELS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16"}
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


def _detect_legacy(data: bytes) -> str | None:
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


def detect_encoding(data: bytes) -> str | None:
    """The text encoding of ``data`` (the one :func:`decode_bytes` uses), or None if none fits.

    The order is: UTF-16 or UTF-8 with a byte-order mark, UTF-8, cp1252 (a superset of printable
    latin-1) when the decoded words look like Western European text, then the encoding
    detected by charset-normalizer (Cyrillic, Greek, Chinese, ...).

    Examples
    --------
    >>> detect_encoding("café".encode("utf-8"))
    'utf-8'
    >>> detect_encoding("Prêt à taux zéro pour la société générale".encode("latin-1"))
    'cp1252'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel "Unicode text"
        return "utf-16"
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return _detect_legacy(data)


def _check_encoding(encoding: str) -> None:
    try:
        is_text = getattr(codecs.lookup(encoding), "_is_text_encoding", True)
    except (LookupError, ValueError):  # ValueError: a NUL inside the name
        is_text = False
    if not is_text:  # unknown, or a bytes-to-bytes codec such as rot13 or base64
        raise InvalidDataError(
            f"encoding must be a text encoding Python knows, such as 'utf-8' or 'cp1252'; "
            f"got {encoding!r}. Leave it empty to detect the encoding."
        )


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding_used)``.

    Without ``encoding`` the encoding comes from :func:`detect_encoding`.

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
    detected = detect_encoding(data) or "utf-8"  # None: nothing fits, UTF-8 names the bad byte
    try:
        return data.decode(detected), detected
    except UnicodeDecodeError as exc:  # also a byte-order mark followed by invalid data
        raise _decode_error(data, exc, _LABELS.get(detected, detected)) from exc
