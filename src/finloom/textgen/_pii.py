"""Detect and mask personal data: card numbers (Luhn), Chinese ID numbers, IBANs, phones, e-mails."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["PiiMatch", "find_pii", "iban_valid", "luhn_valid", "mask_pii", "valid_cn_id"]

_CARD = re.compile(r"(?<![\dA-Za-z])(?:\d[ -]?){12,18}\d(?![\dA-Za-z])")
_CNID = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])")
_PHONE = re.compile(
    r"(?<![\dA-Za-z+])(?:(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}"
    r"|\+\d{1,3}[- ]?\(?\d{1,4}\)?(?:[- ]?\d{2,4}){2,4}"
    r"|\(\d{3}\) ?\d{3}[- .]\d{4}|\d{3}[-.]\d{3}[-.]\d{4})(?![\d])"
)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_ROLE_MAILBOXES = {"support", "service", "info", "contact", "help", "noreply", "no-reply", "enquiries",
                   "hello", "admin", "kefu", "customerservice", "customer.service", "complaints"}
_CNID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CNID_CHECK = "10X98765432"


@dataclass(frozen=True)
class PiiMatch:
    """A detected personal-data span and its kind (card, cn_id, iban, phone, email)."""

    kind: str
    start: int
    end: int
    text: str


def luhn_valid(number: str) -> bool:
    """Luhn checksum of the digits in ``number``.

    Examples
    --------
    >>> luhn_valid("4111 1111 1111 1111"), luhn_valid("4111 1111 1111 1112")
    (True, False)
    """
    digits = [int(c) for c in number if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _known_issuer(number: str) -> bool:
    """Issuer prefixes of the major card schemes (Visa, Mastercard, Amex, Discover, UnionPay, JCB, Diners)."""
    d = "".join(c for c in number if c.isdigit())
    two, four = int(d[:2]), int(d[:4])
    return (d[0] == "4" or 51 <= two <= 55 or 2221 <= four <= 2720 or two in (34, 37, 36, 38, 62, 65)
            or d.startswith("6011") or 3528 <= four <= 3589 or 300 <= int(d[:3]) <= 305)


def valid_cn_id(number: str) -> bool:
    """Chinese 18-digit resident ID: birth date and ISO 7064 check character.

    Examples
    --------
    >>> valid_cn_id("11010519491231002X"), valid_cn_id("110105194912310021")
    (True, False)
    """
    if not _CNID.fullmatch(number):
        return False
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _CNID_WEIGHTS, strict=True))
    return _CNID_CHECK[total % 11] == number[17].upper()


def iban_valid(iban: str) -> bool:
    """IBAN mod-97 check.

    Examples
    --------
    >>> iban_valid("GB82 WEST 1234 5698 7654 32"), iban_valid("GB82 WEST 1234 5698 7654 33")
    (True, False)
    """
    s = iban.replace(" ", "").upper()
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    digits = "".join(str(int(c, 36)) for c in moved)
    return int(digits) % 97 == 1


_DETECTORS: dict[str, tuple[re.Pattern[str], Callable[[str], bool]]] = {
    "cn_id": (_CNID, valid_cn_id),
    "card": (_CARD, lambda s: luhn_valid(s) and _known_issuer(s)),
    "iban": (_IBAN, iban_valid),
    "email": (_EMAIL, lambda s: s.split("@")[0].lower() not in _ROLE_MAILBOXES),
    "phone": (_PHONE, lambda s: sum(c.isdigit() for c in s) >= 10),
}


def find_pii(text: str, kinds: tuple[str, ...] | None = None) -> list[PiiMatch]:
    """Non-overlapping personal-data matches; checksums must pass (a near-miss is not reported).

    Examples
    --------
    >>> [m.kind for m in find_pii("card 4111-1111-1111-1111, call +86 138 0013 8000")]
    ['card', 'phone']
    """
    taken = [False] * len(text)
    found: list[PiiMatch] = []
    for kind, (pattern, check) in _DETECTORS.items():
        if kinds is not None and kind not in kinds:
            continue
        for m in pattern.finditer(text):
            if any(taken[m.start() : m.end()]) or not check(m.group(0)):
                continue
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
            found.append(PiiMatch(kind, m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda m: m.start)


def _mask(match: PiiMatch) -> str:
    s = match.text
    if match.kind == "email":
        local, _, domain = s.partition("@")
        return local[:1] + "***@" + domain
    keep_head = 2 if match.kind == "iban" else 0
    digits_seen, total = 0, sum(c.isalnum() for c in s)
    out = []
    for i, c in enumerate(s):
        if c.isalnum():
            digits_seen += 1
            out.append(c if (i < keep_head or digits_seen > total - 4) else "*")
        else:
            out.append(c)
    return "".join(out)


def mask_pii(text: str) -> str:
    """Replace every detected card, ID, IBAN, phone number and e-mail, keeping the last 4 characters.

    Examples
    --------
    >>> mask_pii("Card 4111 1111 1111 1111, ID 11010519491231002X.")
    'Card **** **** **** 1111, ID **************002X.'
    """
    out = text
    for m in sorted(find_pii(text), key=lambda m: m.start, reverse=True):
        out = out[: m.start] + _mask(m) + out[m.end :]
    return out
