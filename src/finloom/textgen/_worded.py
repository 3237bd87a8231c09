"""Values one simple step from the facts that a text may state only when its wording says which step.

"44 pips" (or 44点, 44个基点) is a move of a currency pair in its pip size (0.0044 on USD/CNY); "日均约281元", "$1,000 per
instalment", "每克约135.48美元" divide an amount by a count of the facts (days, instalments, grams per
ounce) or by the days of the period; "about ¥1,000 a month" is a yearly amount over twelve months and
"$300 a year" a monthly one times twelve; "the minimum payment (10%) is $1,234.57" takes a percentage the
text writes next to the amount; "实际利率约为1.72%" is a rate less inflation. Without the wording these values would let too many wrong numbers pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from finloom.textgen._derive import Candidate, exchange_pair
from finloom.textgen._extract import NumberMention
from finloom.textgen._facts import Fact

__all__ = ["worded_candidates"]

_PIPS_AFTER = re.compile(r"\s*(?:pips?|个?基点)\b|\s*个?基点", re.I)
_PER_BEFORE_ZH = re.compile(r"(?:([日月年人户])均|每个?([日天月年期克股份人户笔次张吨桶]|盎司)?|平均)[^\d，,。；;！？!?]{0,8}$")
_PER_BEFORE_EN = re.compile(r"\b(?:(daily|monthly|yearly|annual|weekly)|average|averaging|avg\.?|each|per)\b"
                            r"[^\d.;:!?]{0,24}$", re.I)
_PER_AFTER = re.compile(r"\s*(?:a|an|per|each|every|/)\s*(day|month|year|week|instal+ment|payment|period|gram|g|ounce|"
                        r"oz|share|unit|person|head|tonne|barrel)s?\b|\s*(?:daily|monthly|yearly|annually|"
                        r"per annum|each|apiece)\b", re.I)
_DAY = {"day", "daily", "日", "天"}
_MONTH = {"month", "monthly", "月"}
_YEAR = {"year", "yearly", "annual", "annually", "per annum", "年"}


def _per(text: str, n: NumberMention, clause: tuple[int, int]) -> str | None:
    """The unit a number is stated per ("day", "month", "year", or "" for another unit), or None."""
    before = text[max(clause[0], n.start - 30) : n.start]
    after = _PER_AFTER.match(text, n.end)
    if after:
        word = (after.group(1) or after.group(0).strip()).lower()
        return "day" if word in _DAY else "month" if word in _MONTH else "year" if word in _YEAR else ""
    zh = _PER_BEFORE_ZH.search(before)
    if zh:
        unit = zh.group(1) or zh.group(2) or ""
        return "day" if unit in _DAY else "month" if unit in _MONTH else "year" if unit in _YEAR else ""
    en = _PER_BEFORE_EN.search(before)
    if en:
        word = (en.group(1) or "").lower()
        return "day" if word in _DAY else "month" if word in _MONTH else "year" if word in _YEAR else ""
    return None


_RATE_SAID_BEFORE = re.compile(r"(?:(年化|年利率|年费率|年息)|(月利率|月费率|月息|每月)|(日利率|日息|每日|每天))"
                               r"[^\d，,。；;]{0,6}$|\b(?:(annual(?:ised|ized)?|apr|yearly)|(monthly)|(daily))\b"
                               r"[^\d.;:!?]{0,24}$", re.I)
_RATE_SAID_AFTER = re.compile(r"\s*(?:(a year|per year|per annum|p\.a\.|annually|annual(?:ised|ized)?|apr)|"
                              r"(a month|per month|monthly)|(a day|per day|daily))\b", re.I)
_LABEL_PER = (re.compile(r"\b(?:annual(?:ised|ized)?|apr|pa|yearly|year)\b|年", re.I),
              re.compile(r"\b(?:monthly|month)\b|月", re.I), re.compile(r"\b(?:daily|day)\b|日", re.I))
_PER_YEAR = (1.0, 12.0, 365.0)  # a year, a month, a day: how many in a year


def _rate_per_period(n: NumberMention, text: str, clause: tuple[int, int], facts: Sequence[Fact]) -> list[Candidate]:
    """A rate the facts give per year, month or day, stated per another of them: a daily 0.05% is 18.25% a
    year, 3.6% a year is 0.3% a month — when the text says which (年化, 日利率, "a month") and the fact's
    own name says its period."""
    before = text[max(clause[0], n.start - 30) : n.start]
    said = _RATE_SAID_AFTER.match(text, n.end)
    groups = said.groups() if said else (m.groups() if (m := _RATE_SAID_BEFORE.search(before)) else ())
    if not groups:
        return []
    stated = next(i % 3 for i, g in enumerate(groups) if g)
    out = []
    for f in facts:
        if f.unit != "%" or f.direction is not None:
            continue
        own = [i for i, word in enumerate(_LABEL_PER) if word.search(f.label or "")]
        if len(own) == 1 and own[0] != stated:
            value = f.value * _PER_YEAR[own[0]] / _PER_YEAR[stated]
            out.append(Candidate(value, "%", "rate per period", (f,), None, None, f.period))
    return out


_REAL_SAID = re.compile(r"实际利率|实际收益率|扣除通胀|剔除通胀|通胀调整|\breal (?:interest |policy |deposit )?(?:rates?|yields?|returns?)\b|"
                        r"\binflation[- ]adjusted\b|\bafter inflation\b", re.I)
_INFLATION = re.compile(r"\bcpi\b|\bhicp\b|\bpce\b|inflation|通胀|居民消费价格|消费者物价", re.I)


def _real_rates(facts: Sequence[Fact]) -> list[Candidate]:
    """A rate less inflation, when the text says it is the real rate: Shibor 1.42% with CPI at −0.3% is a
    real rate of 1.72% — a level, so written in %, not the points of a change."""
    def signed(f: Fact) -> float:
        return -abs(f.value) if f.direction == "down" else f.value

    rates = [f for f in facts if f.unit == "%" and not _INFLATION.search(f.label or "")]
    prices = [f for f in facts if f.unit == "%" and _INFLATION.search(f.label or "")]
    return [Candidate(signed(r) - signed(i), "%", "real rate", (r, i), None, None, r.period)
            for r in rates if r.direction is None for i in prices]


def _divisor(f: Fact) -> bool:
    """A count the facts give that an amount may be split over: days, instalments, grams in an ounce."""
    return f.direction is None and f.value > 1 and f.unit in ("", "count", "days") and exchange_pair(f) is None


def _quoted_pair(c: Candidate) -> tuple[str, str] | None:
    """The currency pair a difference of two quotes moves in: both facts quote it, or one names the pair and
    the other is a nameless quote of the same size (``usdcny_central_parity`` beside ``prev_central_parity``)."""
    if c.how != "difference" or len(c.facts) != 2:
        return None
    pairs = [exchange_pair(f) for f in c.facts]
    named = {p for p in pairs if p is not None}
    if len(named) != 1:
        return None
    if None in pairs:
        a, b = c.facts
        if any(f.unit != "" or f.direction is not None or f.value <= 0 or f.entity for f in c.facts
               if exchange_pair(f) is None) or not 0.95 <= a.value / b.value <= 1.05:
            return None
    return next(iter(named))


_EARLIER_KEY = re.compile(r"\b(?:prev|previous|prior|last|opening|open|earlier)\b|前值|上日|前日|昨")


def _move_of(c: Candidate) -> str | None:
    """Which way a difference of two quotes went when one key marks the earlier quote (``prev_central_parity``)."""
    a, b = c.facts
    earlier = [bool(_EARLIER_KEY.search(f.label or "")) for f in (a, b)]
    if earlier.count(True) != 1 or a.value == b.value:
        return None
    old, new = (a, b) if earlier[0] else (b, a)
    return "up" if new.value > old.value else "down"


def worded_candidates(n: NumberMention, text: str, clause: tuple[int, int], sentence_numbers: Sequence[NumberMention],
                      pool: Sequence[Candidate], facts: Sequence[Fact]) -> list[Candidate]:
    """Values ``n`` may state given the words around it (see the module docstring).

    Examples
    --------
    >>> import datetime as dt
    >>> from finloom.textgen._facts import Period
    >>> sep = Period(dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    >>> spend = Fact("spend", 9000.0, unit="currency", currency="CNY", period=sep, label="spend")
    >>> text = "9月消费9000元，日均300元。"
    >>> n = NumberMention(text.index("300"), text.index("300") + 4, "300元", 300.0, 0.5, "currency", "CNY")
    >>> [(c.how, c.value) for c in worded_candidates(n, text, (0, len(text)), [n], [], [spend])]
    [('amount per day', 300.0)]
    """
    out: list[Candidate] = []
    if _PIPS_AFTER.match(text, n.end) or n.kind in ("pp", "points"):  # 较前日下行92点: a pip called a point
        for c in pool:
            pair = _quoted_pair(c)
            if pair is None:
                continue
            c = replace(c, direction=c.direction or _move_of(c))
            pip = 0.01 if pair and "JPY" in pair else 0.0001
            if n.kind == "pp":  # 人民币中间价调升44个基点: a pip called a basis point
                out.append(Candidate(c.value / pip / 100, "pp", "difference in pips", c.facts, c.direction, None,
                                     c.period))
            else:
                out.append(Candidate(c.value / pip, "", "difference in pips", c.facts, c.direction, None, c.period))
    if n.kind == "percent":
        out += _rate_per_period(n, text, clause, facts)
        if _REAL_SAID.search(text[max(0, clause[0] - 40) : n.start]):
            out += _real_rates(facts)
    if n.kind not in ("currency", "plain"):
        return out
    amounts = [f for f in facts if f.unit == "currency" and f.direction is None and f.value]
    per = _per(text, n, clause)
    if per is not None:
        for a in amounts:
            for d in facts:
                if d is not a and _divisor(d):
                    out.append(Candidate(a.value / d.value, "currency", "amount per unit", (a, d), None, a.currency,
                                         a.period))
            days = (a.period.end - a.period.start).days + 1 if a.period else 0
            if per == "day" and days > 1:
                out.append(Candidate(a.value / days, "currency", "amount per day", (a,), None, a.currency, a.period))
            elif per == "month":
                out.append(Candidate(a.value / 12, "currency", "amount per month", (a,), None, a.currency, a.period))
            elif per == "year":
                out.append(Candidate(a.value * 12, "currency", "amount per year", (a,), None, a.currency, a.period))
    written = [m for m in sentence_numbers if m is not n and m.kind == "percent"]
    for f in facts:  # "the minimum payment (10%) is $1,234.57": a percentage written beside the amount
        if f.unit != "%" or f.direction is not None or not 0 < f.value <= 100 or \
                not any(abs(m.value - f.value) <= m.tol for m in written):
            continue
        out += [Candidate(a.value * f.value / 100, "currency", "share of an amount", (a, f), None, a.currency,
                          a.period) for a in amounts]
    return out
