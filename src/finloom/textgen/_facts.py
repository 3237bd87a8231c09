"""Typed facts computed from data, their formatting, and the claim spans that link text to them."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from finloom.errors import ConfigError, InvalidDataError

__all__ = [
    "Claim",
    "Fact",
    "FactSet",
    "Period",
    "RenderedText",
    "format_date",
    "format_value",
]

Direction = Literal["up", "down", "flat"]
PERCENT_UNITS = frozenset({"%", "pp"})
_SCALES_EN = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_SCALES_ZH = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_CURRENCY_EN = {"USD": "$", "EUR": "€", "GBP": "£"}
_CURRENCY_ZH = {"USD": "美元", "CNY": "元", "EUR": "欧元", "GBP": "英镑", "HKD": "港元"}


@dataclass(frozen=True)
class Period:
    """A closed date interval a fact refers to.

    Examples
    --------
    >>> Period(dt.date(2018, 1, 2), dt.date(2018, 3, 29)).contains(dt.date(2018, 2, 1))
    True
    """

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        """Return whether ``day`` lies inside the period (bounds included)."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Fact:
    """One number (or date) computed from data, with everything needed to state it correctly.

    Parameters
    ----------
    id : str
        Unique key, e.g. ``"S&P 500:return"``.
    value : float
        The exact value; percentages are stored in percent (3.2 means 3.2 %).
    unit : str
        ``"%"``, ``"pp"``, ``"points"``, ``"ratio"``, ``"count"``, ``"days"``, ``"currency"`` or ``""``.
    currency : str or None
        ISO code when ``unit == "currency"``.
    period : Period or None
        The interval the value describes.
    entity : str or None
        Canonical entity name; ``peers`` lists other entities of a pair fact (a correlation).
    direction : {"up", "down", "flat"} or None
        Set for changes; the text must then use a matching direction word.
    decimals : int
        Digits shown when rendered.
    label : str
        Metric name (``"return"``, ``"net profit"``...): explanations, and the guard matches the
        metric words a text writes next to a number against it.
    date : datetime.date or None
        For date facts (the day of a trough, a best day), the date itself.
    basis : {"yoy", "qoq", "mom", "ytd"} or None
        What a change is measured against (year on year, quarter on quarter, ...); a text that
        states another basis (环比 for a 同比 fact) is flagged.

    Examples
    --------
    >>> f = Fact("spx:return", -3.456, unit="%", entity="S&P 500", direction="down")
    >>> format_value(f, "en")
    '3.46%'
    """

    id: str
    value: float
    unit: str = ""
    currency: str | None = None
    period: Period | None = None
    entity: str | None = None
    direction: Direction | None = None
    decimals: int = 2
    label: str = ""
    peers: tuple[str, ...] = ()
    date: dt.date | None = None
    basis: str | None = None

    @property
    def entities(self) -> tuple[str, ...]:
        """The entity followed by its peers (empty for global facts)."""
        return ((self.entity,) if self.entity else ()) + self.peers

    @property
    def is_percent(self) -> bool:
        """Whether the fact is stated as a percentage."""
        return self.unit in PERCENT_UNITS


@dataclass(frozen=True)
class Claim:
    """A span ``text[start:end]`` that states (part of) fact ``fact_id``; ``kind`` says which part.

    Examples
    --------
    >>> c = Claim(5, 10, "spx:ret", "number")
    >>> "fell 3.46% today"[c.start : c.end]
    '3.46%'
    """

    start: int
    end: int
    fact_id: str
    kind: Literal["number", "direction", "entity", "date", "disclaimer"]


@dataclass(frozen=True)
class RenderedText:
    """Generated text plus the claim → fact links of every stated number, direction and entity.

    Examples
    --------
    >>> r = RenderedText("fell 3.46%", (Claim(5, 10, "spx:ret", "number"),))
    >>> r.claim_text(r.claims[0])
    '3.46%'
    """

    text: str
    claims: tuple[Claim, ...] = ()
    lang: str = "en"
    template: str = ""
    seed: int | None = None

    def claim_text(self, claim: Claim) -> str:
        """Return the substring a claim covers."""
        return self.text[claim.start : claim.end]


@dataclass
class FactSet:
    """An ordered, validated collection of facts plus the display names of their entities.

    Parameters
    ----------
    facts : sequence of Fact
        At least one fact; ids must be unique.
    labels : mapping
        ``{entity: {lang: display name}}``; the guard accepts every label as an alias.
    disclaimers : mapping
        ``{lang: text}`` of required disclaimers (defaults are provided by the template packs).
    alias_names : mapping
        ``{entity: [other names]}``: tickers, translations, short forms the text may use.
    descriptors : sequence of (key, text)
        What the facts are about besides their entity — ``("product", "car loan")``, ``("merchant",
        "盒马鲜生")``, ``("indicator", "Japan CPI yoy")``: the guard flags a figure a text gives to a
        sibling of one of them (a personal loan, another merchant, Korea's CPI).

    Examples
    --------
    >>> fs = FactSet([Fact("a", 1.0)], labels={"S&P 500": {"zh": "标普500指数"}})
    >>> fs.label("S&P 500", "zh"), fs["a"].value
    ('标普500指数', 1.0)
    """

    facts: Sequence[Fact]
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    disclaimers: Mapping[str, str] = field(default_factory=dict)
    alias_names: Mapping[str, Sequence[str]] = field(default_factory=dict)
    descriptors: Sequence[tuple[str, str]] = ()
    written_on: dt.date | None = None  # the day the facts were reported, when given beside their period

    def __post_init__(self) -> None:
        facts = list(self.facts)
        if not facts:
            raise InvalidDataError(
                "facts must be a non-empty sequence of Fact; got 0 facts. "
                "Compute facts from data first (e.g. finloom.apps.reports.market_facts)."
            )
        bad = [f for f in facts if not isinstance(f, Fact)]
        if bad:
            raise InvalidDataError(
                f"facts must contain only Fact objects; got {type(bad[0]).__name__}. Wrap values in Fact(...)."
            )
        problems = _fact_problems(facts)
        if problems:
            raise InvalidDataError(problems)
        self.facts = tuple(facts)
        self._by_id = {f.id: f for f in facts}

    def __getitem__(self, fact_id: str) -> Fact:
        try:
            return self._by_id[fact_id]
        except KeyError:
            from finloom.errors import NotFoundError, did_you_mean

            raise NotFoundError(
                f"fact id must be one of the {len(self._by_id)} facts; got {fact_id!r}."
                f"{did_you_mean(fact_id, self._by_id)}"
            ) from None

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._by_id

    def __iter__(self) -> Iterator[Fact]:
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def entities(self) -> list[str]:
        """Every entity named by a fact, in first-seen order."""
        seen: dict[str, None] = {}
        for f in self.facts:
            for e in f.entities:
                seen.setdefault(e, None)
        return list(seen)

    def label(self, entity: str, lang: str) -> str:
        """Display name of ``entity`` in ``lang`` (the canonical name when none is given)."""
        return self.labels.get(entity, {}).get(lang, entity)

    def aliases(self, entity: str) -> list[str]:
        """Every surface form of ``entity`` the guard recognises."""
        names = {entity, *self.labels.get(entity, {}).values(), *self.alias_names.get(entity, ())}
        return sorted(names, key=len, reverse=True)

    @classmethod
    def coerce(cls, facts: FactSet | Iterable[Fact]) -> FactSet:
        """Return ``facts`` as a FactSet (validating a plain sequence)."""
        return facts if isinstance(facts, FactSet) else cls(list(facts))


def _fact_problems(facts: Sequence[Fact]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for f in facts:
        if f.id in seen:
            problems.append(f"fact ids must be unique; got {f.id!r} twice. Rename one of them.")
        seen.add(f.id)
        if not isinstance(f.value, int | float) or not math.isfinite(float(f.value)):
            problems.append(f"fact {f.id!r} value must be a finite number; got {f.value!r}.")
        if f.unit == "currency" and not f.currency:
            problems.append(f"fact {f.id!r} currency must be set when unit='currency'; got None.")
        if f.direction not in (None, "up", "down", "flat"):
            problems.append(f"fact {f.id!r} direction must be up, down, flat or None; got {f.direction!r}.")
    return problems


def _scaled(value: float, scales: tuple[tuple[float, str], ...]) -> tuple[float, str]:
    for factor, word in scales:
        if abs(value) >= factor:
            return value / factor, word
    return value, ""


def _fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` places and thousands separators, rounded half away from zero on the
    number as written (131.105 -> "131.11", as the guard reads it; float formatting gives "131.10").

    >>> _fixed(131.105, 2), _fixed(-2.5, 0), _fixed(1234.5, 1)
    ('131.11', '-3', '1,234.5')
    """
    if not math.isfinite(value):
        return f"{value:,.{decimals}f}"
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{exact:,.{decimals}f}"


def format_value(fact: Fact, lang: str = "en", *, signed: bool = False) -> str:
    """Format a fact's value for text; the magnitude only when the fact has a direction.

    Examples
    --------
    >>> format_value(Fact("x", 1_234_000_000.0, unit="currency", currency="USD", decimals=2), "en")
    '$1.23 billion'
    >>> format_value(Fact("x", 1_234_000_000.0, unit="currency", currency="USD", decimals=2), "zh")
    '12.34亿美元'
    >>> format_value(Fact("x", 2506.851, unit="points"), "en")
    '2,506.85'
    """
    _check_lang(lang)
    value = float(fact.value)
    if fact.direction is not None and not signed:
        value = abs(value)
    if fact.unit in PERCENT_UNITS:
        body = _fixed(value, fact.decimals)
        if fact.unit == "pp":
            return body + (" percentage points" if lang == "en" else "个百分点")
        return body + "%"
    if fact.unit == "currency":
        scaled, word = _scaled(value, _SCALES_EN if lang == "en" else _SCALES_ZH)
        body = _fixed(scaled, fact.decimals)
        code = fact.currency or ""
        if lang == "en":
            symbol = _CURRENCY_EN.get(code)
            amount = f"{symbol}{body}" if symbol else f"{code} {body}"
            return f"{amount} {word}" if word else amount
        return f"{body}{word}{_CURRENCY_ZH.get(code, code)}"
    if fact.unit in ("count", "days"):
        return _fixed(value, 0)
    return _fixed(value, fact.decimals)


def format_date(day: dt.date, lang: str = "en", style: int = 0) -> str:
    """Format a date; ``style`` picks a wording variant (all state the same day).

    Examples
    --------
    >>> d = dt.date(2018, 3, 9)
    >>> format_date(d, "en", 0), format_date(d, "en", 1), format_date(d, "zh")
    ('2018-03-09', '9 March 2018', '2018年3月9日')
    """
    _check_lang(lang)
    if lang == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    if style % 3 == 1:
        return f"{day.day} {day.strftime('%B')} {day.year}"
    if style % 3 == 2:
        return f"{day.strftime('%B')} {day.day}, {day.year}"
    return day.isoformat()


def _check_lang(lang: str) -> None:
    if lang not in ("en", "zh"):
        raise ConfigError(f"lang must be 'en' or 'zh'; got {lang!r}. Use 'zh' for Simplified Chinese.")


def describe(fact: Fact) -> dict[str, Any]:
    """A JSON-able view of a fact (for API responses and audit logs)."""
    return {
        "id": fact.id,
        "value": fact.value,
        "unit": fact.unit,
        "currency": fact.currency,
        "entity": fact.entity,
        "peers": list(fact.peers),
        "direction": fact.direction,
        "decimals": fact.decimals,
        "label": fact.label,
        "period": None if fact.period is None else [fact.period.start.isoformat(), fact.period.end.isoformat()],
        "date": None if fact.date is None else fact.date.isoformat(),
        "basis": fact.basis,
    }
