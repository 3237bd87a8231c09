"""Values a text may state about facts: the facts themselves and the numbers one simple step away.

One step is a difference (in points, percentage points or basis points), a relative change, a ratio
or share, a complement (100 − p), a sum of two facts, a level before a stated change, a price times a
count or an amount over one, an amount converted at an exchange rate of the facts, a rate quoted the
other way (1 / USD/CNY), or a cross rate of two rates that share a currency.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from finloom.textgen._fact_loader import rate_pair
from finloom.textgen._facts import Fact, FactSet, Period
from finloom.textgen._periods import shift_period
from finloom.textgen._twins import before_after

__all__ = ["Candidate", "candidates", "exchange_pair", "price_ratio"]

_MAX_PAIR_FACTS = 60  # beyond this many facts, only pairs of the same metric are derived
_SHIFT = {"yoy": {"years": -1}, "qoq": {"grains": -1}, "mom": {"grains": -1}, "seq": {"grains": -1}}


@dataclass(frozen=True)
class Candidate:
    """A value the text may state: ``how`` says how it follows from ``facts`` (``"fact"`` if direct)."""

    value: float
    unit: str
    how: str
    facts: tuple[Fact, ...]
    direction: str | None = None
    currency: str | None = None
    period: Period | None = None

    @property
    def entities(self) -> set[str]:
        """Entities of the facts behind the value."""
        return {e for f in self.facts for e in f.entities}

    @property
    def labels(self) -> set[str]:
        """Metric names of the facts behind the value."""
        return {f.label for f in self.facts if f.label}

    @property
    def direct(self) -> bool:
        """Whether the value is a fact as given."""
        return self.how == "fact"

    def describe(self) -> str:
        """A short account for explanations: ``fact 'x' = -2.37`` or ``difference of 'a' and 'b'``."""
        ids = " and ".join(repr(f.id) for f in self.facts)
        return f"fact {ids} = {self.value:g}" if self.direct else f"{self.how} of {ids} = {self.value:.6g}"


def _sign(value: float) -> str | None:
    return "up" if value > 0 else "down" if value < 0 else "flat"


def _ordered(a: Fact, b: Fact) -> tuple[Fact, Fact] | None:
    """(earlier, later) when both have periods that differ, else None."""
    if a.period and b.period and a.period != b.period:
        return (a, b) if a.period.end < b.period.end else (b, a)
    return None


def _signed(f: Fact) -> float:
    if f.direction == "down" and f.value > 0:
        return -f.value
    return f.value


def _pair(a: Fact, b: Fact) -> Iterable[Candidate]:
    change = before_after(a, b)
    if change:  # the rate before and after a change: the difference is the change, with its direction
        old, new = change
        vo, vn = _signed(old), _signed(new)
        yield Candidate(vn - vo, "pp" if a.unit == "%" else a.unit, "difference", (old, new), _sign(vn - vo),
                        a.currency, new.period)
        if vo:
            yield Candidate((vn - vo) / abs(vo) * 100, "%", "relative change", (old, new), _sign(vn - vo), None,
                            new.period)
            if a.unit != "%":  # "是11月的两倍": spending twice the month before
                yield Candidate(vn / vo, "ratio", "ratio", (new, old), None, None, new.period)
        return
    same_metric = bool(a.label) and same_metric_label(a.label, b.label) and a.basis == b.basis
    order = _ordered(a, b) if same_metric else None
    unit_diff = "pp" if a.unit == "%" else a.unit
    va, vb = _signed(a), _signed(b)
    if order:
        old, new = order
        vo, vn = _signed(old), _signed(new)
        yield Candidate(vn - vo, unit_diff, "difference", (old, new), _sign(vn - vo), a.currency, new.period)
        if vo:
            rel = (vn - vo) / abs(vo) * 100
            yield Candidate(rel, "%", "relative change", (old, new), _sign(rel), None, new.period)
            yield Candidate(vn / vo, "ratio", "ratio", (new, old), None, None, new.period)
        if vn:
            yield Candidate(vo / vn, "ratio", "ratio", (old, new), None, None, new.period)
        if a.unit not in ("%",) and _comparable(va, vb) and not _rates(a, b):
            yield Candidate(va + vb, a.unit, "sum", (a, b), None, a.currency, a.period)
        return
    if _comparable(va, vb):
        yield Candidate(va - vb, unit_diff, "difference", (a, b), None, a.currency, a.period)
        if vb and (a.unit not in ("%", "pp") or a.unit == "%" and _against_reference(a.label, b.label)) and \
                not _base_is_not_reference(a, b):
            # equities at 58% against a 50% target are 16% above it
            yield Candidate((va - vb) / abs(vb) * 100, "%", "relative difference", (a, b), None, None, a.period)
    if vb and (a.unit not in ("%", "pp") or same_metric or _same_family(a.label, b.label)):
        # ROE / CET1 is no figure anyone states; 3% cashback on groceries is "three times" the 1% elsewhere
        ratio = va / vb
        yield Candidate(ratio, "ratio", "ratio", (a, b), None, None, a.period)
        if a.unit not in ("%", "pp") and not _quotes(a, b):
            yield Candidate(ratio * 100, "%", "share", (a, b), None, None, a.period)
    topped = a.unit == "%" and (_TOP_UP.search(a.label) or _TOP_UP.search(b.label)) and not same_metric
    if (a.unit != "%" or topped or not same_metric and _SHARE.search(a.label) and _SHARE.search(b.label)) \
            and _comparable(va, vb) and not _rates(a, b):
        # two yields or rates do not add up to anything; two shares of one whole do (38% + 22% of the book)
        yield Candidate(va + vb, a.unit, "sum", (a, b), None, a.currency, a.period)


_REFERENCE_QUOTE = re.compile(r"\b(?:spot|mid|parity|fixing)\b|中间价|现货", re.I)


def _base_is_not_reference(a: Fact, b: Fact) -> bool:
    """A price set against a reference quote (spot, mid-rate) is a markup over the reference, never a share of
    the price: (8.3525 − 8.2715) / 8.2715, not / 8.3525."""
    return bool(_REFERENCE_QUOTE.search(a.label or "")) and not _REFERENCE_QUOTE.search(b.label or "") and \
        a.unit in ("", "currency")


def _rates(a: Fact, b: Fact) -> bool:
    """Whether either fact is an exchange rate: two quotes (USD/CNY plus GBP/CNY) add up to nothing."""
    return exchange_pair(a) is not None or exchange_pair(b) is not None


# a rate plus its bonus is what is paid (3.75% + a 0.5% bonus = 4.25%)
_TOP_UP = re.compile(r"bonus|boost|uplift|top[ _]?up|extra|additional|loyalty|promo|奖励|加息|上浮", re.I)
_SHARE = re.compile(r"share|weight|allocation|proportion|mix|split|pct[ _]of|of[ _]total|占比|比重|份额|权重|配置|结构|"
                    r"(?:loss|expense|commission|claims?|acquisition)[ _]ratio|赔付率|费用率|\bfees?\b|charges?|costs?|\bocf\b|\bter\b|费", re.I)
# loss + expense = combined ratio; management + custody fee = the yearly charges
# Prices of different things (EUR/USD at 1.05, USD/JPY at 154.3) have ratios (the gold/silver ratio) but no shares.
_QUOTE = re.compile(r"\b(?:close|closing|open|high|low|price|rate|level|spot|fixing|nav|yield)\b")
def _quotes(a: Fact, b: Fact) -> bool:
    return a.entity != b.entity and bool(_QUOTE.search(a.label or "")) and bool(_QUOTE.search(b.label or ""))


def price_ratio(c: Candidate) -> bool:
    """Whether ``c`` is a ratio of two prices of different things, which no one states as a percentage."""
    return c.how == "ratio" and len(c.facts) == 2 and _quotes(*c.facts)


_REFERENCE = re.compile(r"\b(?:target|benchmark|budget|plan|planned|limit|cap|consensus|expected|forecast|guidance)\b|"
                        r"目标|基准|预算|计划|上限|预期", re.I)


def _against_reference(a: str | None, b: str | None) -> bool:
    """Whether ``b`` names the target or benchmark of ``a`` ("equities", "target equities"; 权益, 目标权益)."""
    if not a or not b or not _REFERENCE.search(b) or _REFERENCE.search(a):
        return False
    return " ".join(_REFERENCE.sub(" ", b).split()) == " ".join(a.split())


_GENERIC_WORDS = {"on", "of", "the", "and", "for", "in", "rate", "ratio", "pct", "other", "total", "all", "net", "to"}


def _same_family(a: str, b: str) -> bool:
    """Two rates of one kind ("cashback on groceries", "cashback on other purchases")."""
    def words(label: str) -> set[str]:
        return set(label.lower().replace("_", " ").split()) - _GENERIC_WORDS

    return bool(words(a) & words(b))


_PERIOD_WORD = re.compile(r"^(?:ytd|mtd|[hq]\d|fy(?:\d{2}|\d{4})?|(?:19|20)\d\d|prev|prior|previous|last|week)$")
_MONTH_NUMBER = re.compile(r"^(?:0[1-9]|1[0-2])$")


def _metric_stem(label: str) -> str:
    """A label without words that only say which period or basis it is: a quarter, half, fiscal or
    calendar year, a year's month number, "prev"; a trailing "rate"/"ratio" is the same metric.

    Examples
    --------
    >>> _metric_stem("return ytd"), _metric_stem("npl 2025 q2"), _metric_stem("cpi 2025 07 yoy")
    ('return', 'npl', 'cpi yoy')
    >>> _metric_stem("card chargeoff rate") == _metric_stem("card chargeoff 2025 q1")
    True
    >>> _metric_stem("term 10 years"), _metric_stem("sora 3m prev week")
    ('term 10 years', 'sora 3m')
    """
    words = label.split()
    kept = [w for i, w in enumerate(words) if not _PERIOD_WORD.match(w)
            and not (_MONTH_NUMBER.match(w) and i and re.match(r"^(?:19|20)\d\d$", words[i - 1]))]
    while len(kept) > 1 and kept[-1] in ("rate", "ratio"):
        kept.pop()
    return " ".join(kept)


def same_metric_label(a: str, b: str) -> bool:
    """Two labels of one metric, one perhaps as its initials ("profit before tax" and "pbt fy2024").

    Examples
    --------
    >>> same_metric_label("profit before tax", "pbt fy2024"), same_metric_label("net interest margin", "nim 2024 q2")
    (True, True)
    >>> same_metric_label("profit before tax", "pat fy2024"), same_metric_label("cet1", "car")
    (False, False)
    """
    sa, sb = _metric_stem(a), _metric_stem(b)
    if sa == sb:
        return True
    short, long_ = sorted((sa, sb), key=len)
    words = long_.split()
    return " " not in short and len(words) >= 2 and short == "".join(w[0] for w in words)


def _comparable(a: float, b: float) -> bool:
    """Sums and differences of amounts a hundred times apart state the larger one, not a new figure."""
    return bool(a) and bool(b) and max(abs(a), abs(b)) <= 100 * min(abs(a), abs(b))


def _single(f: Fact, levels: dict[tuple[str, str | None, Period | None], list[Fact]]) -> Iterable[Candidate]:
    if f.unit == "%" and 0 < f.value < 100 and f.direction is None:
        yield Candidate(100 - f.value, "%", "complement", (f,), None, None, f.period)
    if f.unit == "%" and 100 < f.value < 200 and f.direction is None and _OF_REFERENCE.search(f.label or ""):
        # an underlying at 112.4% of its initial level is 12.4% above it
        yield Candidate(f.value - 100, "%", "excess over the reference", (f,), "up", None, f.period)
    if f.unit in ("currency", "") and f.direction is None and (times := _per_year(f.label or "")):
        # £4.50 a month is £54 a year; a £120 annual fee is £10 a month
        yield Candidate(f.value * times, f.unit, "yearly/monthly conversion", (f,), None, f.currency, f.period)
    if f.direction is None or not f.label:
        return
    same = [lv for lv in levels.get((f.label, f.entity, f.period), []) if lv is not f and lv.direction is None]
    for level in same or _level_named_longer(f, levels):
        if level is f or level.direction is not None:
            continue
        g = _signed(f)
        prior_period = f.period
        if f.period and f.basis in _SHIFT:
            prior_period = Period(*shift_period(f.period.start, f.period.end, **_SHIFT[f.basis]))
        if f.unit == "%" and g > -100:
            prev = level.value / (1 + g / 100)
            yield Candidate(prev, level.unit, "level before the change", (level, f), None, level.currency,
                            prior_period)
            yield Candidate(level.value - prev, level.unit, "change amount", (level, f), _sign(g),
                            level.currency, level.period)
        elif f.unit == level.unit or (f.unit == "pp" and level.unit == "%"):
            yield Candidate(level.value - g, level.unit, "level before the change", (level, f), None,
                            level.currency, prior_period)


_MONTHLY = re.compile(r"\b(?:monthly|per month|a month|pm)\b|每月|月费|月供|月缴", re.I)
_YEARLY = re.compile(r"\b(?:annual|annually|yearly|per year|a year|pa|per annum)\b|每年|年费|年缴", re.I)


def _per_year(label: str) -> float:
    """How a monthly amount becomes a yearly one (×12) or a yearly one monthly (÷12); 0 for neither.

    >>> _per_year("monthly fee"), _per_year("annual fee"), _per_year("fee")
    (12, 0.08333333333333333, 0)
    """
    if _MONTHLY.search(label):
        return 12
    return 1 / 12 if _YEARLY.search(label) else 0


def _level_named_longer(f: Fact, levels: dict[tuple[str, str | None, Period | None], list[Fact]]) -> list[Fact]:
    """The one level whose name extends the change's ("mortgage_qoq_pct" of "mortgage_book_usd_bn")."""
    words = (f.label or "").split()
    found = [lv for (label, entity, period), lvs in levels.items() if entity == f.entity and period == f.period
             and label != f.label and words and label.split()[: len(words)] == words
             for lv in lvs if lv.direction is None]
    return found if len(found) == 1 else []


def exchange_pair(f: Fact) -> tuple[str, str] | None:
    """(base, quote) when ``f`` is an exchange rate: a plain level of a pair (USD/CNY 7.129: 1 USD = 7.129 CNY).

    Examples
    --------
    >>> exchange_pair(Fact("r", 7.129, entity="USD/CNY", label="close")), exchange_pair(Fact("p", 7.1, label="price"))
    (('USD', 'CNY'), None)
    """
    if f.unit != "" or f.direction is not None or f.value <= 0:
        return None
    return rate_pair(f.entity or "") or rate_pair(f.label or "")


def _fx(numeric: list[Fact]) -> Iterable[Candidate]:
    """Amounts converted at a rate of the facts ($10,000 at 7.1245 is ¥71,245) and cross rates of two rates
    that share a currency (USD/JPY 150.42 over USD/CNY 7.129: one yuan buys 21.10 yen)."""
    rates = [(f, p) for f in numeric if (p := exchange_pair(f))]
    for f in numeric:  # "成交汇率 7.1258" with "金额_美元 3000": a rate of no named pair converts the facts' amount
        if f.unit == "" and f.direction is None and f.value > 0 and not exchange_pair(f) and _FX_RATE.search(f.label or ""):
            for a in numeric:
                if a.unit == "currency" and a.value:
                    yield Candidate(_signed(a) * f.value, "currency", "conversion", (a, f), a.direction, None, a.period)
                    yield Candidate(_signed(a) / f.value, "currency", "conversion", (a, f), a.direction, None, a.period)
    for f, (base, quote) in rates:  # USD/CNY 7.1362 quoted the other way: 1 yuan buys 0.1401 dollars
        yield Candidate(1 / f.value, "currency", "inverse quote", (f,), None, base, f.period)
        for a in numeric:
            if a.unit != "currency" or a.currency not in (base, quote) or not a.value:
                continue
            value, to = (_signed(a) * f.value, quote) if a.currency == base else (_signed(a) / f.value, base)
            yield Candidate(value, "currency", "conversion", (a, f), a.direction, to, a.period)
    for (f, p), (g, q) in itertools.permutations(rates, 2):
        shared = set(p) & set(q)
        if len(shared) != 1 or set(p) == set(q):
            continue
        (common,) = shared
        one = f.value if p[0] != common else 1 / f.value  # 1 P in the common currency, P the other of f
        per = g.value if q[0] == common else 1 / g.value  # 1 common in R, R the other currency of g
        other, to = next(c for c in p if c != common), next(c for c in q if c != common)
        yield Candidate(one * per, "currency", "cross rate", (f, g), None, to, f.period)  # 1 other = … to
        yield Candidate(1 / (one * per), "currency", "cross rate", (g, f), None, other, f.period)


_PRICE_LABEL = re.compile(r"\b(?:nav|price|unit value)\b|净值|价格|股价|单价", re.I)
_HOLDING_LABEL = re.compile(r"\b(?:units|shares) (?:held|owned)\b|\b(?:holding|position) (?:units|shares|size)\b|"
                            r"持有(?:份额|股数|数量)|持仓(?:份额|股数|数量)", re.I)
_OF_REFERENCE = re.compile(r"\b(?:initial|strike|reference|par|issue price|start(?:ing)? level)\b|期初|初始|发行价|相对", re.I)
_FX_RATE = re.compile(r"\b(?:exchange|fx|conversion|forex) rate\b|汇率|牌价", re.I)
_CHARGE = re.compile(r"\b(?:fee|fees|interest|charge|commission|coupon)\b|费|息", re.I)


def candidates(facts: FactSet) -> list[Candidate]:
    """Every fact plus the values one simple step away from one or two facts.

    Examples
    --------
    >>> from finloom.textgen import Fact
    >>> import datetime as dt
    >>> q1 = lambda y: Period(dt.date(y, 1, 1), dt.date(y, 3, 31))
    >>> fs = FactSet([Fact("a", 1.85, unit="%", label="nim", period=q1(2023)),
    ...               Fact("b", 1.72, unit="%", label="nim", period=q1(2024))])
    >>> [(c.how, round(c.value, 4), c.unit, c.direction) for c in candidates(fs) if "change" in c.how
    ...  or c.how == "difference"]
    [('difference', -0.13, 'pp', 'down'), ('relative change', -7.027, '%', 'down')]
    """
    numeric = [f for f in facts if f.unit != "date"]
    out = [Candidate(_signed(f), f.unit, "fact", (f,), f.direction, f.currency, f.period) for f in numeric]
    for f in facts:  # "due in 4 days": from the facts' date to a date fact
        if f.unit == "date" and f.date and f.period and f.period.start == f.period.end and f.date != f.period.end:
            out.append(Candidate(float(abs((f.date - f.period.end).days)), "days", "days between", (f,), None, None,
                                 f.period))
    levels: dict[tuple[str, str | None, Period | None], list[Fact]] = {}
    for f in numeric:
        levels.setdefault((f.label, f.entity, f.period), []).append(f)
    for f in numeric:
        out += _single(f, levels)
    many = len(numeric) > _MAX_PAIR_FACTS
    out += _fx(numeric)
    for a, b in itertools.permutations(numeric, 2):
        if a.unit == "currency" and b.unit == "count" and b.value:  # $512.3mn over 18,450 claims
            out.append(Candidate(a.value / b.value, "currency", "amount per unit", (a, b), None, a.currency, a.period))
            if a.direction is None and b.direction is None:  # 150 units at ¥2.40 are ¥360
                out.append(Candidate(a.value * b.value, "currency", "amount for the count", (a, b), None, a.currency,
                                     a.period))
        if _PRICE_LABEL.search(a.label or "") and _HOLDING_LABEL.search(b.label or "") and a.unit in ("", "currency") \
                and b.unit in ("", "count") and a.direction is None and b.direction is None and a.value > 0 and b.value > 1 \
                and exchange_pair(a) is None:  # a NAV of 1.5131 on 2,000 units held is a holding worth 3,026.2
            out.append(Candidate(a.value * b.value, "currency", "value of the holding", (a, b), None, a.currency,
                                 a.period))
        if a.unit == "currency" and b.unit == "%" and a.direction is None and b.direction is None and not many \
                and _CHARGE.search(b.label or ""):
            # a 0.6% monthly fee on ¥12,000 is ¥72; 4% interest on £5,000 is £200
            out.append(Candidate(a.value * b.value / 100, "currency", "amount at rate", (a, b), None, a.currency,
                                 a.period))
        if a.unit == b.unit == "days" and a.label and same_metric_label(a.label, b.label) and \
                (order := _ordered(a, b)) is not None and order[0] is a:
            # settled in 5.2 days, "1.7 days faster" than the 6.9 a year before
            out.append(Candidate(b.value - a.value, "days", "difference", order, _sign(b.value - a.value), None,
                                 b.period))
        if a.unit != b.unit or (a.currency != b.currency) or a.unit in ("days",):
            continue
        if many and a.label != b.label:
            continue
        if _ordered(a, b) and a.label == b.label and a.basis == b.basis and a.period and b.period \
                and a.period.end > b.period.end:
            continue  # ordered pairs are derived once
        out += _pair(a, b)
    return out
