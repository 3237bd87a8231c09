"""Find and mask personal data: finloom's one PII masker.

Cards (Luhn + issuer prefix), Chinese resident IDs (check digit), IBANs (mod 97), US social
security numbers, personal phone numbers (Chinese and UK mobiles, numbers with a country code,
US numbers; not hotlines, freephone or short codes), bank account numbers given as such
("account number 12345678", "sort code 20-45-67", "账号 …") and personal e-mail addresses.
Masked forms (``**** 1234``, ``138****5678``) never match; reference and order numbers are not
cards. ``validate=False`` also masks look-alikes that fail their check (for stored transcripts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["PII_KINDS", "PiiMatch", "find_pii", "iban_valid", "luhn_valid", "mask_pii", "ssn_valid",
           "valid_cn_id"]

_NO_DIGIT_BEFORE = r"(?<![\dA-Za-z*+\-])"
_NO_DIGIT_AFTER = r"(?![\dA-Za-z*])"
_CARD = re.compile(_NO_DIGIT_BEFORE + r"(?:\d[ -]?){12,18}\d" + _NO_DIGIT_AFTER)
_CNID = re.compile(r"(?<![\dA-Za-z*])\d{17}[\dXx](?![\dA-Za-z*])")
# an ID written in its printed groups: region, birth date, sequence + check ("370202 19990202 2275")
_CNID_SPACED = re.compile(r"(?<![\dA-Za-z*])\d{6} \d{8} \d{3}[\dXx](?![\dA-Za-z*])")
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9*])")
_IBAN_HEAD = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2} ?$")  # "DE89 3704 ...": the digits are an IBAN's, not a card's
_SSN = re.compile(r"(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])")
_PHONE = re.compile(
    r"(?<![\dA-Za-z+*])(?:"
    r"(?:(?:\+|00)86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}"  # Chinese mobile
    r"|(?:(?:\+|00)44[- ]?(?:\(0\)[- ]?)?7\d{3}|07\d{3})[- ]?\d{3}[- ]?\d{3}"  # UK mobile
    r"|\+\d{1,3}[- ]?\(?\d{1,4}\)?(?:[- ]?\d{2,4}){2,4}"  # any number with a country code
    r"|\(\d{3}\) ?\d{3}[- .]\d{4}|(?<![\d-])\d{3}[-.]\d{3}[-.]\d{4}"  # US
    r")(?![\d*])"
)
_ACCOUNT = re.compile(
    r"(?:\b(?:account|acct|a/c)(?: (?:number|no\.?|#))?(?:\s*(?:is|was|:))?\s*"
    r"|(?:账号|帐号|账户号码?|收款账户|银行账户)[：:\s]*(?:为|是)?[：:\s]*)"
    r"(\d(?:[ -]?\d){7,24})(?![\d*])", re.IGNORECASE)
_SORT_CODE = re.compile(r"\bsort code(?:\s*(?:is|:))?\s*(\d{2}-\d{2}-\d{2})(?![\d-])", re.IGNORECASE)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_ROLE_MAILBOXES = {"support", "service", "info", "contact", "help", "noreply", "no-reply", "enquiries",
                   "hello", "admin", "kefu", "customerservice", "customer.service", "complaints"}
# words before a number that make it a line for everyone, or a reference rather than a card
_HOTLINE = re.compile(r"(?:hot ?line|help ?line|fraud line|service line|customer service|call us|contact us|"
                      r"switchboard|head office|general enquiries|enquiry line|our (?:main )?(?:number|line)|总机|咨询电话|官方电话|"
                      r"from abroad|overseas|客服|热线|专线|服务电话|境外|拨打|致电|联系我们)[^.。\n]{0,30}$", re.IGNORECASE)
_REFERENCE = re.compile(r"(?:order|reference|ref|case|tracking|transaction|txn|invoice|policy|"
                        r"订单|流水|编号|单号|案件|合同)\s*(?:number|no\.?|#|号)?(?:\s+(?:is|was))?\s*[:：#]?\s*$",
                        re.IGNORECASE)
# words right before a number that make it someone's own line ("请致电本人手机+852 ...")
_PERSONAL = re.compile(r"(?:本人|我的|my|his|her|mobile|cell|手机)[^.。\n\d]{0,6}$", re.IGNORECASE)
_INVALID = re.compile(r"fail|invalid|wrong|rejected|typo|校验|有误|错误|无效|不正确", re.IGNORECASE)
_TOLL_FREE = re.compile(r"^(?:\+?1[- ]?)?\(?(?:[2-9]00|888|877|866|855|844|833)\)?|^\+?44[- ]?\(?0?\)?[- ]?[38]|"
                        r"^(?:\+?86[- ]?)?[48]00")
_CNID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CNID_CHECK = "10X98765432"

PII_KINDS = ("cn_id", "card", "iban", "ssn", "account", "phone", "email")


@dataclass(frozen=True)
class PiiMatch:
    """A detected personal-data span and its kind (one of :data:`PII_KINDS`)."""

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


def ssn_valid(ssn: str) -> bool:
    """US social security number structure: area not 000, 666 or 9xx; group and serial not zero.

    Examples
    --------
    >>> ssn_valid("123-45-6789"), ssn_valid("666-45-6789"), ssn_valid("123-00-6789")
    (True, False, False)
    """
    m = _SSN.fullmatch(ssn)
    if not m:
        return False
    area, group, serial = m.groups()
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


# A check sees (text, match); it returns whether the match is personal data.
Check = Callable[[str, "re.Match[str]"], bool]


def _before(text: str, m: re.Match[str], width: int = 40) -> str:
    return text[max(0, m.start() - width) : m.start()]


def _id_shaped(number: str) -> bool:
    """18 characters whose 7th-14th form a birth date: a resident ID (valid or not), not a card."""
    if not _CNID.fullmatch(number):
        return False
    try:
        return 1900 <= dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14])).year <= 2030
    except ValueError:
        return False


def _card(text: str, m: re.Match[str]) -> bool:
    s = m.group(0)
    return (luhn_valid(s) and _known_issuer(s) and not _id_shaped(s)
            and not _REFERENCE.search(_before(text, m, 24)) and not _IBAN_HEAD.search(_before(text, m, 6)))


def _phone(text: str, m: re.Match[str]) -> bool:
    s = m.group(0)
    digits = sum(c.isdigit() for c in s)
    if digits < 10 or _TOLL_FREE.search(s):
        return False
    mobile = re.match(r"(?:(?:\+|00)(?:86|44)[- ]?(?:\(0\)[- ]?)?)?(?:1[3-9]|07|7)", s) is not None
    return mobile or bool(_PERSONAL.search(_before(text, m, 16))) or not _HOTLINE.search(_before(text, m))


def _account(text: str, m: re.Match[str]) -> bool:
    sentence_end = re.search(r"[.。!！?？\n]", text[m.end() :])
    after = text[m.end() : m.end() + (sentence_end.start() if sentence_end else 60)]
    return not _INVALID.search(_before(text, m, 30) + after)


def _email(text: str, m: re.Match[str]) -> bool:
    return m.group(0).split("@")[0].lower() not in _ROLE_MAILBOXES


_DETECTORS: dict[str, tuple[re.Pattern[str], Check]] = {
    "cn_id": (_CNID, lambda t, m: valid_cn_id(m.group(0).replace(" ", ""))),
    "card": (_CARD, _card),
    "iban": (_IBAN, lambda t, m: iban_valid(m.group(0))),
    "ssn": (_SSN, lambda t, m: ssn_valid(m.group(0))),
    "account": (_ACCOUNT, _account),
    "phone": (_PHONE, _phone),
    "email": (_EMAIL, _email),
}


def _matches(text: str, kind: str, validate: bool) -> list[PiiMatch]:
    pattern, check = _DETECTORS[kind]
    out = []
    spaced = _CNID_SPACED.finditer(text) if kind == "cn_id" else iter(())
    for m in [*pattern.finditer(text), *spaced]:
        if validate and not check(text, m):
            continue
        g = 1 if kind == "account" else 0
        out.append(PiiMatch(kind, m.start(g), m.end(g), m.group(g)))
    if kind == "account" and out:  # the sort code goes with a full account number
        out += [PiiMatch("account", s.start(1), s.end(1), s.group(1)) for s in _SORT_CODE.finditer(text)]
    return out


def find_pii(text: str, kinds: Sequence[str] | None = None, *, validate: bool = True) -> list[PiiMatch]:
    """Non-overlapping personal-data matches in reading order.

    Parameters
    ----------
    text : str
    kinds : sequence of str, optional
        Some of :data:`PII_KINDS`; all when None.
    validate : bool
        Report only valid data (checksums pass, not a hotline or a reference). ``False`` also
        reports look-alikes, for masking text before it is stored.

    Examples
    --------
    >>> [m.kind for m in find_pii("card 4111-1111-1111-1111, call +86 138 0013 8000")]
    ['card', 'phone']
    >>> find_pii("hotline 400-820-1234, card 4111 1111 1111 1112")
    []
    """
    taken = [False] * len(text)
    found: list[PiiMatch] = []
    for kind in PII_KINDS:
        if kinds is not None and kind not in kinds:
            continue
        for m in _matches(text, kind, validate):
            if any(taken[m.start : m.end]):
                continue
            taken[m.start : m.end] = [True] * (m.end - m.start)
            found.append(m)
    return sorted(found, key=lambda m: m.start)


def _keep_last4(match: PiiMatch) -> str:
    s = match.text
    if match.kind == "email":
        local, _, domain = s.partition("@")
        return local[:1] + "***@" + domain
    keep_head = 2 if match.kind == "iban" else 0
    seen, total = 0, sum(c.isalnum() for c in s)
    out = []
    for i, c in enumerate(s):
        if c.isalnum():
            seen += 1
            out.append(c if (i < keep_head or seen > total - 4) else "*")
        else:
            out.append(c)
    return "".join(out)


def mask_pii(
    text: str, *, kinds: Sequence[str] | None = None, validate: bool = True,
    labels: Mapping[str, str] | None = None, keep: Sequence[str] = (),
) -> str:
    """Mask personal data, keeping the last 4 characters (or replacing it with ``labels[kind]``).

    Parameters
    ----------
    text : str
    kinds, validate : as in :func:`find_pii`.
    labels : mapping, optional
        Replacement per kind (``{"card": "[card number]"}``); kinds without a label keep their
        last 4 characters.
    keep : sequence of str
        Exact strings left as they are (a bank's own published e-mail or phone number).

    Examples
    --------
    >>> mask_pii("Card 4111 1111 1111 1111, ID 11010519491231002X, SSN 123-45-6789.")
    'Card **** **** **** 1111, ID **************002X, SSN ***-**-6789.'
    >>> mask_pii("mail li.wei@example.com", labels={"email": "[email]"})
    'mail [email]'
    """
    protected = [(m.start(), m.end()) for k in keep if k for m in re.finditer(re.escape(k), text)]
    out = text
    for m in sorted(find_pii(text, kinds, validate=validate), key=lambda m: m.start, reverse=True):
        if any(a < m.end and m.start < b for a, b in protected):
            continue
        replacement = labels[m.kind] if labels and m.kind in labels else _keep_last4(m)
        out = out[: m.start] + replacement + out[m.end :]
    return out
