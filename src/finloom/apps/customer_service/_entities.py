"""Rule-based entity extraction for banking chat: amounts, currencies, dates, card and account
types, and the last four digits of a card or account (English and Chinese)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from finloom.apps.customer_service._lang import normalize_text

__all__ = ["Entity", "extract_entities"]

_CURRENCY_WORDS = {
    "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "元": "CNY", "块": "CNY", "人民币": "CNY", "¥": "CNY",
    "￥": "CNY", "usd": "USD", "$": "USD", "dollars": "USD", "dollar": "USD", "美元": "USD",
    "美金": "USD", "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
    "gbp": "GBP", "£": "GBP", "pounds": "GBP", "pound": "GBP", "英镑": "GBP", "hkd": "HKD",
    "港币": "HKD", "jpy": "JPY", "yen": "JPY", "日元": "JPY", "aud": "AUD", "澳元": "AUD",
    "sgd": "SGD", "新加坡元": "SGD",
}
_CUR = "|".join(sorted((re.escape(k) for k in _CURRENCY_WORDS), key=len, reverse=True))
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_AMOUNT = re.compile(
    rf"(?P<pre>{_CUR})\s?(?P<n1>{_NUM})\s?(?P<k1>k|千|万)?"
    rf"|(?P<n2>{_NUM})\s?(?P<k2>k|千|万)?\s?(?P<post>{_CUR})(?![a-z])", re.I)
_LAST4 = re.compile(
    r"(?:ending(?: in| with)?|ends? (?:in|with)|last (?:4|four)(?: digits)?(?: (?:are|is))?|"
    r"尾号(?:是|为)?|末四位(?:是|为)?|后四位(?:是|为)?|\*{2,}|x{2,})\s*:?\s*(?P<d>\d{4})(?!\d)", re.I)
_ISO_DATE = re.compile(r"(?P<y>20\d{2})[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})日?")
_ZH_DATE = re.compile(r"(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_EN_DATE = re.compile(
    r"(?P<d1>\d{1,2})(?:st|nd|rd|th)? (?:of )?(?P<m1>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"|(?P<m2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (?P<d2>\d{1,2})(?:st|nd|rd|th)?", re.I)
_RELATIVE = {"today": 0, "yesterday": 1, "day before yesterday": 2, "今天": 0, "今日": 0,
             "昨天": 1, "昨日": 1, "前天": 2}
_CARD_TYPES = {
    "debit": "debit", "借记卡": "debit", "储蓄卡": "debit", "credit": "credit", "信用卡": "credit",
    "virtual": "virtual", "虚拟卡": "virtual", "platinum": "credit", "白金卡": "credit",
    "gold card": "credit", "金卡": "credit", "classic": "credit", "经典卡": "credit",
}
_ACCOUNT_TYPES = {
    "everyday": "everyday", "current account": "everyday", "checking": "everyday",
    "日常账户": "everyday", "日常": "everyday", "活期": "everyday", "saver": "saver", "savings": "saver",
    "储蓄账户": "saver", "储蓄的": "saver", "储蓄": "saver", "term deposit": "term_deposit", "fixed deposit": "term_deposit",
    "定期": "term_deposit",
}


@dataclass(frozen=True)
class Entity:
    """An entity found in a message: ``kind`` (amount, currency, date, card_type,
    account_type, last4), normalised ``value``, matched ``text`` and character span."""

    kind: str
    value: str
    text: str
    start: int
    end: int


def _number(raw: str, scale: str | None) -> float:
    value = float(raw.replace(",", ""))
    return value * {"k": 1e3, "K": 1e3, "千": 1e3, "万": 1e4}.get(scale or "", 1.0)


def _amounts(text: str) -> list[Entity]:
    out = []
    for m in _AMOUNT.finditer(text):
        raw, scale = (m["n1"], m["k1"]) if m["n1"] else (m["n2"], m["k2"])
        cur = _CURRENCY_WORDS[(m["pre"] or m["post"]).lower()]
        value = _number(raw, scale)
        out.append(Entity("amount", f"{value:.2f} {cur}", m.group(0), m.start(), m.end()))
        out.append(Entity("currency", cur, m["pre"] or m["post"], m.start(), m.end()))
    return out


def _dates(text: str, today: dt.date) -> list[Entity]:
    out = []
    for m in _ISO_DATE.finditer(text):
        out.append(_date_entity(m, int(m["y"]), int(m["m"]), int(m["d"])))
    for m in _ZH_DATE.finditer(text):
        if not any(e.start <= m.start() < e.end for e in out):
            out.append(_date_entity(m, today.year, int(m["m"]), int(m["d"])))
    for m in _EN_DATE.finditer(text):
        month = _MONTHS[(m["m1"] or m["m2"]).lower()[:3]]
        out.append(_date_entity(m, today.year, month, int(m["d1"] or m["d2"])))
    lower = text.lower()
    for word, back in sorted(_RELATIVE.items(), key=lambda kv: -len(kv[0])):
        i = lower.find(word)
        if i >= 0 and not any(e.start <= i < e.end for e in out):
            day = today - dt.timedelta(days=back)
            out.append(Entity("date", day.isoformat(), text[i : i + len(word)], i, i + len(word)))
    return [e for e in out if e.value]


def _date_entity(m: re.Match[str], y: int, mo: int, d: int) -> Entity:
    try:
        value = dt.date(y, mo, d).isoformat()
    except ValueError:
        value = ""
    return Entity("date", value, m.group(0), m.start(), m.end())


def _keywords(text: str, table: dict[str, str], kind: str) -> list[Entity]:
    lower, out = text.lower(), []
    taken: list[tuple[int, int]] = []
    for word in sorted(table, key=len, reverse=True):
        # an English word ends where Latin letters end, also right before Chinese ("那everyday呢")
        for m in re.finditer(re.escape(word) + (r"(?![a-z0-9])" if word.isascii() else ""), lower):
            if not any(s <= m.start() < e for s, e in taken):
                taken.append((m.start(), m.end()))
                out.append(Entity(kind, table[word], text[m.start() : m.end()], m.start(), m.end()))
    return out


def extract_entities(text: str, *, today: dt.date | None = None) -> list[Entity]:
    """Find amounts, currencies, dates, card/account types and last-4 digits in a message.

    Parameters
    ----------
    text : the customer's message (any length; it is normalised first).
    today : reference date for "yesterday"/"昨天" and dates without a year (default: today).

    Returns
    -------
    Entities sorted by position.

    Examples
    --------
    >>> ents = extract_entities("I paid ¥1,250.50 on 2026-03-02 with my debit card ending in 4821")
    >>> [(e.kind, e.value) for e in ents]  # doctest: +NORMALIZE_WHITESPACE
    [('amount', '1250.50 CNY'), ('currency', 'CNY'), ('date', '2026-03-02'),
     ('card_type', 'debit'), ('last4', '4821')]
    >>> [(e.kind, e.value) for e in extract_entities("昨天信用卡被扣了3万元", today=dt.date(2026, 5, 2))]
    [('date', '2026-05-01'), ('card_type', 'credit'), ('amount', '30000.00 CNY'), ('currency', 'CNY')]
    """
    text = normalize_text(text)
    today = today or dt.date.today()
    found = _amounts(text) + _dates(text, today)
    cards = _keywords(text, _CARD_TYPES, "card_type")
    accounts = [a for a in _keywords(text, _ACCOUNT_TYPES, "account_type")  # 储蓄卡 is a card, not 储蓄
                if not any(c.start < a.end and a.start < c.end for c in cards)]
    found += cards + accounts
    found += [Entity("last4", m["d"], m.group(0), m.start(), m.end()) for m in _LAST4.finditer(text)]
    return sorted(found, key=lambda e: (e.start, e.kind))
