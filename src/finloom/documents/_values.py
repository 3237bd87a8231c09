"""How field values are printed on a document and read back into one canonical form."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

__all__ = ["format_value", "normalize_value"]

_MONTHS = list(calendar.month_name)[1:]  # English month names (the C locale)
_MON = {m[:3].lower(): i + 1 for i, m in enumerate(_MONTHS)}
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")
# characters OCR confuses with digits inside numbers
_DIGITISH = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "l": "1",
        "I": "1",
        "|": "1",
        "S": "5",
        "B": "8",
        "，": ",",
        "。": ".",
        "．": ".",
        "：": ":",
        "]": "1",
        "了": "7",
    }
)


def format_value(kind: str, value: str, lang: str) -> str:
    """The printed form of a canonical ``value`` of field ``kind``.

    Examples
    --------
    >>> format_value("amount", "4250.5", "en"), format_value("date", "2026-03-05", "en")
    ('4,250.50', '05 Mar 2026')
    >>> format_value("date", "2026-03-05", "zh"), format_value("period", "2026-03", "en")
    ('2026年03月05日', 'March 2026')
    """
    if kind == "amount":
        return f"{float(value):,.2f}"
    if kind == "date":
        d = dt.date.fromisoformat(value)
        return (
            f"{d.year}年{d.month:02d}月{d.day:02d}日"
            if lang == "zh"
            else f"{d.day:02d} {_MONTHS[d.month - 1][:3]} {d.year}"
        )
    if kind == "period":
        year, month = (int(p) for p in value.split("-"))
        return f"{year}年{month:02d}月" if lang == "zh" else f"{_MONTHS[month - 1]} {year}"
    if kind == "account":
        return f"XXXX XXXX {value[-4:]}"
    return value


def _squash(text: str) -> str:
    """Spaces between CJK characters (and around them) removed, others collapsed."""
    text = re.sub(r"\s+", " ", text.strip())
    return re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef]) | (?=[\u3000-\u9fff\uff00-\uffef])", "", text)


def _amount(text: str) -> str | None:
    m = re.search(r"[-+]?\d[\d,.]*\d|\d", text.translate(_DIGITISH).replace(" ", ""))
    if not m:
        return None
    run = m.group()
    sign = "-" if run.startswith("-") else ""
    if len(run) >= 4 and run[-3] in ".,":
        whole, cents = re.sub(r"\D", "", run[:-3]), run[-2:]
    else:
        whole, cents = re.sub(r"\D", "", run), "00"
    return f"{sign}{int(whole or 0)}.{cents}"


def _date(text: str) -> str | None:
    t = text.replace(" ", "")
    m = re.search(r"(\d{4})[年\-/.](\d{1,2})[月\-/.](\d{1,2})", t.translate(_DIGITISH))
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = re.search(r"(\d{1,2})\s*([A-Za-z]{3})[A-Za-z]*\.?\s*(\d{4})", text)
        if not m or m.group(2).lower() not in _MON:
            return None
        y, mo, d = int(m.group(3)), _MON[m.group(2).lower()], int(m.group(1))
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def _period(text: str) -> str | None:
    t = text.replace(" ", "").translate(_DIGITISH)
    m = re.search(r"(\d{4})[年\-/.](\d{1,2})", t)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
    else:
        m = re.search(r"([A-Za-z]{3})[A-Za-z]*\s*(\d{4})", text)
        if not m or m.group(1).lower() not in _MON:
            return None
        y, mo = int(m.group(2)), _MON[m.group(1).lower()]
    return f"{y}-{mo:02d}" if 1 <= mo <= 12 else None


def normalize_value(kind: str, text: str) -> str | None:
    """The canonical form of OCR ``text`` read for a field of ``kind`` (``None`` if unreadable).

    Examples
    --------
    >>> normalize_value("amount", "4,25O.00"), normalize_value("amount", "-73.65")
    ('4250.00', '-73.65')
    >>> normalize_value("date", "2026 年 03 月 05 日")
    '2026-03-05'
    >>> normalize_value("name", "王 小 明"), normalize_value("account", "XXXX XXXX 1234")
    ('王小明', '****1234')
    """
    text = unicodedata.normalize("NFKC", text).strip(" :：;|")
    if kind == "amount":
        return _amount(text)
    if kind == "date":
        return _date(text)
    if kind == "period":
        return _period(text)
    if kind == "account":
        digits = re.sub(r"\D", "", text.translate(_DIGITISH))
        return f"****{digits[-4:]}" if len(digits) >= 4 else None
    if kind == "id":
        ident = re.sub(r"[^0-9Xx]", "", text.translate(_DIGITISH)).upper()
        return ident or None
    out = (
        re.sub(r"^[\W_]+|[\W_]+$", "", _squash(text))
        if kind == "name"
        else _squash(text).strip(" :：;|.,_—-")
    )
    return out or None


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK character.

    Examples
    --------
    >>> has_cjk("abc"), has_cjk("a王")
    (False, True)
    """
    return bool(_CJK.search(text))
