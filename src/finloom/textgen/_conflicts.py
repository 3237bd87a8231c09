"""How a number claim is judged against one candidate value: entity, metric, period, basis, direction.

Each check returns a :class:`Conflict` naming what disagrees; the guard accepts a number when one
candidate value has no conflict.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from finloom.textgen._claims import NumberClaim, TextReading, currency_of, is_base
from finloom.textgen._derive import Candidate, same_metric_label
from finloom.textgen._extract import Mention
from finloom.textgen._facts import Fact, FactSet, Period
from finloom.textgen._items import item_words, own_item, wrong_item
from finloom.textgen._lexicon import HIGHER_IS_BETTER, LOWER_IS_BETTER, PAIR_QUOTE_WORDS
from finloom.textgen._metrics import MetricIndex
from finloom.textgen._periods import (
    GRAIN_ORDER,
    PeriodMention,
    find_periods,
    grain_of,
    shift_period,
)
from finloom.textgen._twins import before_after

__all__ = ["Conflict", "Context", "allowed_periods", "compared_pair", "conflicts", "named_periods", "pair_codes",
           "period_fits", "written_value"]

UNITS_FOR_KIND = {
    "percent": {"%", ""},
    "pp": {"pp"},
    "currency": {"currency", ""},
    "times": {"ratio", ""},
    "points": {"points", ""},
    "days": {"days", "count", ""},
}
_PAIR = re.compile(r"(?:^|\b)([A-Z]{3})\s?/?\s?([A-Z]{3})(?:\b|$)")
_ISO = {*PAIR_QUOTE_WORDS, "CNY", "SEK", "NOK", "DKK", "KRW", "INR", "BRL", "MXN", "ZAR", "TRY", "RUB", "TWD",
        "THB", "MYR", "IDR", "PHP", "PLN", "HUF", "CZK", "ILS", "SAR", "AED", "XAU", "XAG", "BTC", "ETH"}
_ZH_CODES = {w: code for code, words in PAIR_QUOTE_WORDS.items() for w in words if not w.isascii() and len(w) >= 2}
_ZH_PAIR = re.compile(rf"(?:离岸|在岸)?({'|'.join(sorted(_ZH_CODES, key=len, reverse=True))})(?:兑|/|／)(?:离岸|在岸)?"
                      rf"({'|'.join(sorted(_ZH_CODES, key=len, reverse=True))})")  # 美元兑离岸人民币 = USD/CNH


def pair_codes(name: str) -> tuple[str, str] | None:
    """(base, quote) of a currency pair named in ``name`` ("USD/CNH" and "usdcny_close" → USD, CNY).

    Examples
    --------
    >>> pair_codes("USD/CNH"), pair_codes("usdcny close"), pair_codes("Harbor Bank"), pair_codes("美元兑离岸人民币")
    (('USD', 'CNY'), ('USD', 'CNY'), None, ('USD', 'CNY'))
    >>> pair_codes("美元/人民币(在岸)"), pair_codes("欧元/美元")
    (('USD', 'CNY'), ('EUR', 'USD'))
    """
    for m in _PAIR.finditer(name.upper().replace("CNH", "CNY")):
        if m.group(1) in _ISO and m.group(2) in _ISO:  # "Harbor Bank" is not HAR/BOR
            return (m.group(1), m.group(2))
    zh = _ZH_PAIR.search(name)  # 澳元兑人民币
    if zh:
        codes = [_ZH_CODES.get(zh.group(1)), _ZH_CODES.get(zh.group(2))]
        if codes[0] and codes[1]:
            return (codes[0], codes[1])
    return None
SHIFT = {"yoy": {"years": -1}, "qoq": {"grains": -1}, "mom": {"grains": -1}, "seq": {"grains": -1}}




@dataclass(frozen=True)
class Conflict:
    reason: str
    message: str


@dataclass(frozen=True)
class Context:
    """What the conflict checks read besides the claim: the text reading and the metric index."""

    reading: TextReading
    metrics: MetricIndex
    facts: FactSet
    anchor: tuple[dt.date, dt.date] | None = None

    def expected_moves(self, entity: Mention | None, currency: str | None, clause: tuple[int, int]) -> set[str]:
        """Directions the facts allow for a subject (an entity, or one currency of a pair)."""
        metric_ids = {i for m in self.reading.metrics if clause[0] <= m.start < clause[1]
                      for i in self.metrics.fact_ids(m)}
        found = self._moves(entity, currency, clause, metric_ids)
        # "closed deep in the red": the metric word names a level that did not move; the day's change did
        return found or (self._moves(entity, currency, clause, set()) if metric_ids else found)

    def _moves(self, entity: Mention | None, currency: str | None, clause: tuple[int, int],
               metric_ids: set[str]) -> set[str]:
        others = self.reading.currencies_in(clause) - ({currency} if currency else set())
        out: set[str] = set()
        for f in self.facts:
            move: str | None = f.direction if f.direction in ("up", "down") else None
            if move is None and f.direction is None:
                move = self.movement(Candidate(f.value, f.unit, "fact", (f,), None, f.currency, f.period), False,
                                     twins=True)
            if move not in ("up", "down") or (metric_ids and f.id not in metric_ids):
                continue
            pair = pair_codes(f.entity or "") or pair_codes(f.label or "")  # "usdcny_close" of 外汇储备
            if pair and others and not others & set(pair):
                continue  # "人民币对欧元升值" is about EUR/CNY, not USD/CNY
            if currency and pair:
                if currency == pair[0]:
                    out.add(move)
                elif currency == pair[1]:
                    out.add("down" if move == "up" else "up")
            elif not currency and entity is not None and not entity.value.startswith("?") and entity.value in f.entities:
                out.add(move)
        return out

    def magnitude_moves(self, clause: tuple[int, int]) -> set[str]:
        """For the metric words of a clause: whether each metric's size grew (up) or shrank (down)
        from its earlier period to its latest ("净流出有所收敛" when the outflow went 18.9 → 42.6)."""
        ids = {i for m in self.reading.metrics if clause[0] <= m.start < clause[1] for i in self.metrics.fact_ids(m)}
        series: dict[tuple[str, str | None], list[Fact]] = {}
        for f in self.facts:
            if f.id in ids and f.period is not None:
                series.setdefault((f.label, f.entity), []).append(f)
        out: set[str] = set()
        for facts in series.values():
            if len(facts) >= 2:
                old, new = sorted(facts, key=lambda f: f.period.end if f.period else dt.date.min)[-2:]
                change = abs(new.value) - abs(old.value)
                if change:
                    out.add("up" if change > 0 else "down")
        return out

    def movement(self, c: Candidate, magnitude: bool, *, since: bool = False, twins: bool = False) -> str | None:
        """For a level, the direction it moved in from the same metric's earlier value — or, with
        ``since``, the move from this value to the next one ("较10月的956.7亿美元有所收窄"); with
        ``twins``, from the value before it in the same period (``prev_close``, ``open``, 月初余额)."""
        f = c.facts[0]
        end = f.period.end if f.period else None
        if end is None or not f.label:
            return None
        others = [(g.period.end, g) for g in self.facts if g.label == f.label and g.entity == f.entity
                  and g.basis == f.basis and g.direction is None and g.period
                  and (g.period.end > end if since else g.period.end < end)]
        if not others:
            twin = next((t for g in self.facts if g is not f and g.direction in (None, f.direction)
                         and (t := before_after(f, g)) is not None and t[1] is f), None)
            if twin is None or since or not twins:  # npl_ratio_prev_q beside npl_ratio, open beside close
                return None
            change = (abs(f.value) - abs(twin[0].value)) if magnitude else (f.value - twin[0].value)
            return "up" if change > 0 else "down" if change < 0 else "flat"
        other = (min if since else max)(others, key=lambda pair: pair[0])[1]
        old, new = (f, other) if since else (other, f)
        change = (abs(new.value) - abs(old.value)) if magnitude else (new.value - old.value)
        return "up" if change > 0 else "down" if change < 0 else "flat"


def conflicts(claim: NumberClaim, c: Candidate, ctx: Context, *, value_only: bool = False) -> list[Conflict]:
    out: list[Conflict] = []
    ent = claim.entity
    if ent is not None:
        if ent.value.startswith("?"):
            if not _named_by_descriptor(ent.value[1:], c.facts[0], ctx.facts):
                out.append(Conflict("entity", f"the text attributes it to {ent.text!r}, which no fact is about"))
        elif ent.value.startswith("~"):
            if c.entities and not set(ent.value[1:].split("|")) & set(c.entities):
                out.append(Conflict("entity", f"the text attributes it to {ent.text!r}, not {', '.join(sorted(c.entities))}"))
        elif c.entities and ent.value not in c.entities and not _same_currency(ent, c) \
                and not _pair_of_clause(claim, c, ctx):
            out.append(Conflict("entity", f"the text attributes it to {ent.text!r}, not {', '.join(sorted(c.entities))}"))
    if ent is None and claim.subject_currency and c.entities:
        pairs = [pair_codes(e) for e in c.entities]  # "the kiwi dollar climbed 0.32%" of an AUD/USD figure
        if all(pairs) and not any(claim.subject_currency in p for p in pairs if p):
            out.append(Conflict("entity", f"the text is about {claim.subject_currency}, not "
                                           f"{', '.join(sorted(c.entities))}"))
    if c.direct and len(c.facts[0].entities) > 1:  # a correlation names both of its entities
        sentence = next((s for s in ctx.reading.sentences if s[0] <= claim.number.start < s[1]), (0, 0))
        named = {m.value for m in ctx.reading.entities if sentence[0] <= m.start < claim.number.start}
        missing = [e for e in c.facts[0].entities if e not in named]
        if missing:
            out.append(Conflict("entity", f"the value is about {' and '.join(c.facts[0].entities)}, but the "
                                           f"text does not name {', '.join(missing)} with it"))
    items = item_words(ctx.facts.facts) if c.direct else {}
    scope = _item_scope(claim, ctx.reading) if c.facts[0].id in items else ""
    metric = None if scope and own_item(c.facts[0], scope, items) else metric_for(claim, ctx.metrics)
    if metric is not None and _PER_ITEM_BEFORE.search(ctx.reading.text[max(0, metric.start - 12) : metric.start]):
        metric = None  # 件均赔付, 单笔最高赔付, "the average claim": a per-item or extreme figure, not the total
    other = ctx.metrics.other_category(metric, [f.id for f in c.facts]) if metric is not None else None
    if other is not None and metric is not None:
        out.append(Conflict("metric", f"the text says it is {metric.text!r} ({other}), which no fact covers"))
    elif metric is not None and ctx.metrics.fact_ids(metric) and c.how != "complement" and \
            any(ctx.metrics.has_terms(f.id) for f in c.facts):
        ids = ctx.metrics.fact_ids(metric)
        if not any(f.id in ids for f in c.facts) and not _change_of_named(c, ids, ctx.facts) and \
                not _earlier_twin_word(c, ids, ctx.facts) and not _other_measure(claim, ids, ctx.facts) and \
                not _same_metric_other_time(c, ids, ctx.facts):
            out.append(Conflict("metric", f"the text says it is {metric.text!r}, which is another fact"))
    if not out and (other_side := _unmatched_comparand(claim, c, ctx.metrics)) is not None:
        out.append(Conflict("metric", f"the text compares {other_side.text!r}, which is neither figure of the difference"))
    if scope and not out and (item := wrong_item(c.facts[0], scope, items)):
        out.append(Conflict("entity", f"the text gives it to {item!r}, but the value is {c.facts[0].label!r}"))
    if value_only:
        return out
    if claim.period is not None and not claim.base and \
            not _fits_any(claim.period, c, stated_after=claim.period.start > claim.number.start):
        span = f"{c.period.start}..{c.period.end}" if c.period else "another period"
        out.append(Conflict("period", f"the text gives the period {claim.period.text!r} but the value is for {span}"))
    basis = _candidate_basis(c)
    if claim.base_period is not None and basis in SHIFT and c.direct and c.period is not None and not claim.base:
        prior = shift_period(c.period.start, c.period.end, **SHIFT[basis])
        bp = claim.base_period
        within_year = basis == "yoy" and bp.grain == "year" and bp.first <= prior[0] and prior[1] <= bp.last
        if (bp.first, bp.last) != prior and not (bp.grain == "day" and bp.last == prior[1]) and not bp.is_end \
                and not within_year:  # "below last year's" of a quarter's year-on-year change
            out.append(Conflict("basis", f"the text measures it from {bp.text!r} but the value is "
                                          f"{_BASIS_WORDS.get(basis, basis)} (from {prior[0]}..{prior[1]})"))
    if claim.base_period is not None and not c.direct and c.how in ("difference", "relative change") and \
            len(c.facts) == 2 and all(f.period for f in c.facts) and c.facts[0].period != c.facts[1].period:
        old, new = c.facts[0].period, c.facts[1].period  # "较9月回落0.5" of November against October
        bp = claim.base_period

        def within(q: Period | None) -> bool:
            return q is not None and bp.first <= q.start and q.end <= bp.last

        ended_elsewhere = bp.is_end and old is not None and new is not None and bp.last not in (old.end, new.end)
        if old is not None and new is not None and not period_fits(bp, old) and (not bp.is_end or ended_elsewhere) and \
                not within(old) and not within(new) and not period_fits(bp, new) and \
                grain_of(bp.first, bp.last) == grain_of(old.start, old.end):  # "较2023年三季度末" of a change from Q4
            out.append(Conflict("basis", f"the text measures it from {bp.text!r} but the value is the change "
                                          f"from {old.start}..{old.end}"))
    year_end = c.period is not None and c.period.end.month == 12 or \
        all(f.period is not None and f.period.end.month == 12 for f in c.facts)
    both = c.direct and {"ytd", "yoy"} <= set((c.facts[0].id or "").lower().replace(":", "_").split("_"))
    rates = bool(claim.basis) and all(f.basis == claim.basis for f in c.facts)  # "2.7% y/y, from 2.6%": rates of that basis
    if claim.basis and basis and not rates and not _basis_agrees(claim.basis, basis) and not both and \
            not ({claim.basis, basis} == {"ytd", "yoy"} and year_end):  # 较年初 at year end is year on year
        out.append(Conflict("basis", f"the text compares {_BASIS_WORDS.get(claim.basis, claim.basis)} but the value is "
                                      f"{_BASIS_WORDS.get(basis, basis)}"))
    if claim.basis == "ytd" and c.direct and not _year_to_date(c.facts[0]) and \
            any(_year_to_date(g) and g.entity == c.facts[0].entity and g.unit == c.facts[0].unit for g in ctx.facts):
        out.append(Conflict("period", f"the text says year to date, but the value is {c.facts[0].label!r} and the "
                                      "facts give the year-to-date figure apart"))  # monthly 0.62% beside ytd 4.35%
    f0 = c.facts[0]
    if claim.basis == "ytd" and c.direct and f0.period is not None and not _year_to_date(f0) and \
            f0.period.start > f0.period.start.replace(month=1, day=1) and f0.period.start != f0.period.end and \
            _YTD_SPAN.search(ctx.reading.text[slice(*ctx.reading.clause_of(claim.number.start))]):
        out.append(Conflict("period", f"the text says year to date, but the value is for {f0.period.start}.."
                                      f"{f0.period.end}"))  # "so far this year" of a third-quarter figure
    sized = claim.magnitude or (claim.sign == "down" and c.value < 0 and not claim.number.signed)  # "outflows eased to $42M"
    expected = ctx.movement(c, sized, twins=True) if claim.to_level and c.direct else \
        _expected_direction(claim, c, ctx)  # "cooled to 0.4%" speaks of the move, not the sign
    direction = _text_direction(claim, c)
    if claim.base and c.direct and c.direction is None and claim.direction_at is not None:
        expected = ctx.movement(c, claim.magnitude, since=True)  # "than the 5.8亿 a year earlier, the loss widened"
        if direction and expected and direction != expected:
            out.append(Conflict("direction", f"the text says it {_MOVE_WORDS[direction]} since {claim.number.text!r}, "
                                              f"while the facts show it {_MOVE_WORDS[expected]}"))
    elif direction and expected and direction != expected and not claim.base:
        word = {"up": "a rise", "down": "a fall", "flat": "no change"}[direction]
        pair = next(iter(c.entities), "") if direction != claim.direction and claim.subject_currency else ""
        said = (f"the text says {claim.subject_currency} {'weakened' if direction == 'up' else 'strengthened'}, "
                f"i.e. {word} of {pair},") if pair else f"the text states {word}"
        out.append(Conflict("direction", f"{said} while the value is "
                                          f"{'a rise' if expected == 'up' else 'a fall' if expected == 'down' else 'unchanged'}"))
    if claim.base and c.direct and c.period is not None and claim.base_period is None and \
            claim.basis in SHIFT and ctx.anchor and not rates:
        prior = shift_period(ctx.anchor[0], ctx.anchor[1], **SHIFT[claim.basis])
        if (c.period.start, c.period.end) != prior and prior not in prior_periods(c.facts[0]):
            out.append(Conflict("basis", f"the text compares with {_BASIS_WORDS.get(claim.basis, claim.basis)} but the value is for "
                                          f"{c.period.start}..{c.period.end}"))
    if (c.how == "share" or c.how == "ratio" and claim.number.kind == "percent") and \
            claim.direction in ("up", "down") and not (claim.to_level or claim.base or
                                                                       claim.comparative or claim.magnitude):
        out.append(Conflict("direction", f"the text states a {'rise' if claim.direction == 'up' else 'fall'} of "
                                          f"{claim.number.text!r}, but the value is one figure's share of another"))
    if _bare_fall(claim, c, ctx):
        out.append(Conflict("direction", f"the text states {claim.number.text!r} with no sign or word for a fall, "
                                          f"but the value is {c.value:g}"))  # 收益率6.8% of a −6.8% return
    polarity = c.direction if c.direct and c.direction in ("up", "down") else None
    signed = claim.number.signed  # "-3.4亿" states its sign; the noun next to it does not add one
    if claim.sign and not signed and polarity and claim.direction is None and claim.sign != polarity:
        out.append(Conflict("direction", f"the text calls it {'an inflow/purchase' if claim.sign == 'up' else 'an outflow/sale'} "
                                          f"but the fact is {c.value:g} ({c.direction})"))
    if claim.sign and not signed and c.direction is None and c.value != 0 and claim.sign != _candidate_sign(c):
        out.append(Conflict("direction", f"the text calls it a {'positive' if claim.sign == 'up' else 'negative'} "
                                          f"amount (surplus/deficit, inflow/outflow, premium/discount) but the "
                                          f"value is the opposite ({c.value:g})"))
    return out


def _named_by_descriptor(name: str, f: Fact, facts: FactSet) -> bool:
    """Whether a descriptor names the thing ``f`` measures: ``"benchmark": "MSCI World"`` beside
    ``benchmark_return_pct`` makes "4.7% for the MSCI World" that figure's own name."""
    words = set((f.label or "").lower().split())
    return any(text.strip().lower() == name.strip().lower() and set(key.lower().split("_")) <= words
               for key, text in facts.descriptors)


_CHANGE_TOKENS = {"change", "chg", "delta", "yoy", "qoq", "mom", "growth", "move", "bp", "pp", "pct", "month", "monthly",
                  "quarter", "quarterly", "year", "annual", "week", "weekly", "day", "daily", "ytd", "mtd"}


_COUNTED = re.compile(r"(?<![a-z])(?:days?|count|number|num|months?|weeks?|years?)(?![a-z])|天数|笔数|户数|次数", re.I)


def _other_measure(claim: NumberClaim, ids: set[str], facts: FactSet) -> bool:
    """Whether the word names only facts that count something (days, transactions) while the text states
    an amount of money: "$362.60 left" of a budget less the spending is no figure of ``days_left``."""
    named = [f for f in facts if f.id in ids]
    return claim.number.kind == "currency" and bool(named) and \
        all(f.unit in ("days", "count") or f.unit == "" and _COUNTED.search(f.label or "") for f in named)


def _label_tokens(label: str) -> set[str]:
    return set(re.split(r"[_\s]+", label.lower())) - _CHANGE_TOKENS - {""}


def _change_of_named(c: Candidate, ids: set[str], facts: FactSet) -> bool:
    """A change fact named by its level's metric word: "the 1-year rate was cut 10 bp" is about
    ``time_deposit_1y_change_bp`` when the word names ``time_deposit_1y_rate_pct``."""
    f = c.facts[0]
    if not c.direct or f.direction is None:
        return False
    own = _label_tokens(f.label or f.id)  # empty for a bare "month_change": the change of the entity's level
    return any(g.id in ids and g.entity == f.entity and own <= _label_tokens(g.label or g.id) for g in facts)


_EARLIER = re.compile(r"\b(?:prev|previous|prior|last|opening|open|earlier)\b|前值|上日|前日|昨")


def _earlier_twin_word(c: Candidate, ids: set[str], facts: FactSet) -> bool:
    """A word that only the earlier twin's key carries names the current figure too: "收于7.1362" of
    ``usdcny_spot`` when the facts also give ``usdcny_prev_close`` — the close is a kind of quote, "prev" the time."""
    f = c.facts[0]
    if not c.direct or not f.entity or _EARLIER.search(f.label or ""):
        return False
    named = [g for g in facts if g.id in ids]
    return bool(named) and all(g.entity == f.entity and g.unit == f.unit and _EARLIER.search(g.label or "")
                               for g in named)


def _unmatched_comparand(claim: NumberClaim, c: Candidate, metrics: MetricIndex) -> Mention | None:
    """"Defensive beat its benchmark by 32 bp": both things compared must be the difference's two
    figures; a metric word that names only other facts of the number's unit is the wrong item."""
    if not claim.comparative or c.direct or c.how != "difference" or len(c.facts) != 2:
        return None
    own = {f.id for f in c.facts}
    fits = {"%", "pp"} if claim.number.kind == "pp" else UNITS_FOR_KIND.get(claim.number.kind, set()) - {""}
    for m in claim.metrics:
        ids = metrics.fact_ids(m)
        if ids and not ids & own and {metrics.units.get(i, "") for i in ids} <= fits:
            return m
    return None


_PER_ITEM_BEFORE = re.compile(r"(?:件均|案均|笔均|户均|人均|单笔最高|单笔|最高|最大|平均)$|"
                              r"\b(?:average|avg|mean|largest|biggest|maximum|max|highest|smallest|per)\s+$", re.I)


def _same_metric_other_time(c: Candidate, ids: set[str], facts: FactSet) -> bool:
    """A metric word names a series, whichever period's value the number is: "the one-year rate was cut
    from 1.10%" states ``term_1y_prev_pct`` under the word for ``term_1y_rate_pct``."""
    f = c.facts[0]
    return c.direct and any(g.id in ids and g is not f and g.entity == f.entity and g.unit == f.unit
                            and (g.period != f.period or g.label != f.label)
                            and same_metric_label(g.label or "", f.label or "") for g in facts)


def _pair_of_clause(claim: NumberClaim, c: Candidate, ctx: Context) -> bool:
    """"Sterling … gave up 3.1% against the yen": a currency named right after the number, with the
    currency the text is about, names the pair (GBP/JPY) whatever pair was named before."""
    reading, n = ctx.reading, claim.number
    clause = reading.clause_of(n.start)
    stop = re.search(r"[,，;；。!?！？]", reading.text[n.end : n.end + 30])  # not into the next clause
    near = reading.currencies_in((clause[0], n.end + stop.start() if stop else min(len(reading.text), n.end + 30)))
    known = set(pair_codes(claim.entity.value if claim.entity else "") or ())
    named = near | known | ({claim.subject_currency} if claim.subject_currency else set())
    pairs = [set(p) for e in c.entities if (p := pair_codes(e))]
    return bool(pairs) and all(p <= named and p & (near - known) for p in pairs)


_YTD_LABEL = re.compile(r"(?<![a-z])ytd(?![a-z])|year to date|今年以来|年初至今|年内累计|本年累计|今年累计", re.I)


def _year_to_date(f: Fact) -> bool:
    """Whether a fact is a year-to-date figure (by its basis or its key: ``ytd_return``, 今年以来收益率), or
    is for a span from 1 January to a day that ends no month, quarter, half or year ("2025 YTD to 31 Oct")."""
    p = f.period
    to_date = p is not None and (p.start.month, p.start.day) == (1, 1) and p.end.year == p.start.year and \
        (p.end.month, p.end.day) != (12, 31) and grain_of(p.start, p.end) not in ("month", "quarter", "half", "year")
    return to_date or f.basis == "ytd" or bool(_YTD_LABEL.search(f.label or "")) or bool(_YTD_LABEL.search(f.id or ""))


_FALL_CUE = re.compile(r"loss|lost|los[ei]|down|fell|fall|drop|declin|decreas|negative|minus|drawdown|shr[ia]nk|slump|"
                       r"slid|slip|retreat|weak|red\b|lower|cut|give back|gave back|shed|sank|sink|tumbl|plung|"
                       r"\boff\b|tank|sell-?off|hit\b|hurt|\bred\b|ease|dip|soft|cool|lag|underperform|pull(?:ed|s)? back|pare|"
                       r"erase|wipe|worst|bear|sag|skid|plummet|crash|collapse|contract|poor|bad|rough|tough|below|under|behind|"
                       r"short|back|worse|weaker|smaller|less|fewer|↓|▼|🔻|📉|"
                       r"亏|跌|降|减|负|回撤|缩|下|损|少|落|弱|收窄|流出|赎回|回调|走低|调整|挫|绿|−|-", re.I)


def _bare_fall(claim: NumberClaim, c: Candidate, ctx: Context) -> bool:
    """A fall (a negative change) stated as a bare percentage — no sign, no direction word, nothing
    in its clause that speaks of a loss — reads as a gain: "上半年收益率6.8%" of −6.8 %."""
    n = claim.number
    if not c.direct or c.direction != "down" or claim.direction is not None or n.signed or claim.sign or \
            claim.base or claim.comparative or n.kind != "percent":
        return False
    clause = ctx.reading.clause_of(n.start)
    sentence = next((s for s in ctx.reading.sentences if s[0] <= n.start < s[1]), clause)
    if any(sentence[0] <= d.start < sentence[1] for d in ctx.reading.directions):
        return False  # a direction word anywhere in the sentence may be the figure's
    return not _FALL_CUE.search(ctx.reading.text[sentence[0] : sentence[1]])


def _item_scope(claim: NumberClaim, reading: TextReading) -> str:
    """The words a number's item may be named in: its clause, back to the sentence's previous number
    ("本月加油类返现最多，共18.4元"), and on to the clause's next number ("spent $4,820 on dining")."""
    n = claim.number
    sentence = next((s for s in reading.sentences if s[0] <= n.start < s[1]), (n.start, n.end))
    clause = reading.clause_of(n.start)
    starts = [o.number.end for o in reading.claims if sentence[0] <= o.number.end <= n.start]
    ends = [o.number.start for o in reading.claims if n.end <= o.number.start < clause[1]]
    lo = max([sentence[0], *starts])
    hi = min([clause[1], *ends])
    if starts:  # after another figure, only the clause: "7bp expense ratio, YTM around 5.2%"
        lo = max(lo, clause[0])
        if lo == max(starts) and (reading.text[lo : n.start].isascii() or _OWN_TAIL.match(reading.text, lo)):
            lo = n.start  # "£4,800 from your employer and £3,600 from you": those words are the previous figure's
    return reading.text[lo : n.start] + " " + reading.text[n.end : hi]


_OWN_TAIL = re.compile(r"\s*(?:\(|from|on|for|in|at|of|by|to|with|via|through)\b|\s*\(", re.I)


def _same_currency(ent: Mention, c: Candidate) -> bool:
    """A currency named alone ("sterling", 日元) is about every pair it is part of."""
    code = currency_of(ent.text)
    return code is not None and all(code in (pair_codes(e) or ()) for e in c.entities)


_PRIOR_LABEL = re.compile(r"\b(?:prior|previous|prev|last)\s(?:month|mo|quarter|qtr|q|year|yr|fy|period|week|wk)\b", re.I)
_PRIOR_BASIS = {"month": "mom", "mo": "mom", "quarter": "qoq", "qtr": "qoq", "q": "qoq", "year": "yoy", "yr": "yoy"}
_BARE_PRIOR = re.compile(r"\b(?:prior|previous|prev)$", re.I)  # net_profit_prior: the figure the change is taken from


def _prior_grain(label: str) -> str:
    """How a prior-labelled fact is shifted back: a year (``eps_prev_year``, ``_prior_yr``) or one of its grains."""
    return "years" if re.search(r"\b(?:year|yr|fy)\b", label) else "grains"


def prior_periods(f: Fact) -> list[tuple[dt.date, dt.date]]:
    """The earlier period a fact's key says its value is for, although it is filed under the current one:
    ``eps_prev_year`` of Q3 2025 is Q3 2024; a bare ``net_profit_prior`` is the year or the period before."""
    if f.period is None:
        return []
    if _PRIOR_LABEL.search(f.label or ""):
        return [shift_period(f.period.start, f.period.end, **{_prior_grain(f.label): -1})]
    if _BARE_PRIOR.search(f.label or ""):
        return [shift_period(f.period.start, f.period.end, years=-1),
                shift_period(f.period.start, f.period.end, grains=-1)]
    return []
_BENCHMARK = re.compile(r"benchmark|consensus|estimate|expect|forecast|target|基准|预期|一致预期|目标", re.I)
_MOVE_WORDS = {"up": "rose (or widened)", "down": "fell (or narrowed)", "flat": "was unchanged"}
_NEGATIVE_LABEL = re.compile(r"discount|deficit|loss|outflow|redemption|withdrawal|net sell|net sale|"
                             r"逆差|亏损|折价|赤字|净流出|赎回|净卖出|净减持")  # "foreign_net_sell_krw_bn": 412.7 sold


def _candidate_sign(c: Candidate) -> str:
    flip = c.direct and bool(_NEGATIVE_LABEL.search(c.facts[0].label))
    positive = (c.value > 0) != flip
    return "up" if positive else "down"





_VERSUS = re.compile(r"\bagainst\b|\bversus\b|\bvs\.?|\bcompared (?:with|to)\b|\bthan\b|相比|对比|而|vs", re.I)


def compared_pair(claims: list[NumberClaim], text: str) -> tuple[NumberClaim, NumberClaim] | None:
    """The two figures a comparative word compares: the first two of one kind in the sentence,
    when they are the only two or a 'versus' word stands between them."""
    for i, a in enumerate(claims):
        for b in claims[i + 1 :]:
            moves = [c.direction if not c.comparative else None for c in (a, b)]  # the comparative itself is no move
            if a.number.kind != b.number.kind or (moves[0] is None) != (moves[1] is None):
                continue  # a level is not compared with a change ("49.8, up 0.7 points, still below 50")
            same_kind = [c for c in claims if c.number.kind == a.number.kind]
            if len(same_kind) == 2 or _VERSUS.search(text[a.number.end : b.number.start]):
                return a, b
            break
    return None


def written_value(c: NumberClaim) -> float:
    value = abs(c.number.value)
    return -value if (c.number.signed and c.number.value < 0) or c.direction == "down" else value


def named_periods(f: Fact) -> list[Period]:
    """Periods a fact's key names besides its own date: a forecast made on 6 Feb for December,
    ``trimmed_mean_forecast_dec_2024_pct``, is "the Dec 2024 forecast".

    Examples
    --------
    >>> named_periods(Fact("rba:2024-02-06:cpi_forecast_dec_2024_pct", 3.2))
    [Period(start=datetime.date(2024, 12, 1), end=datetime.date(2024, 12, 31))]
    """
    key = (f.id or "").rsplit(":", 1)[-1]
    return _key_periods(key)


@functools.lru_cache(maxsize=4096)
def _key_periods(key: str) -> list[Period]:
    return [Period(p.first, p.last) for p in find_periods(key.replace("_", " "))] if re.search(r"\d{4}", key) else []


def _fits_any(p: PeriodMention, c: Candidate, *, stated_after: bool = False) -> bool:
    periods = [f.period for f in c.facts if f.period] if not c.direct else [c.period] if c.period else []
    if c.direct:
        periods = periods + named_periods(c.facts[0])
    if c.how == "level before the change" and c.period is not None:
        periods = [c.period]  # "$541.8 million in Q1 2023": the level a year before a year-on-year change
    if c.direct and c.period is not None and _PRIOR_LABEL.search(c.facts[0].label or ""):
        grain = _prior_grain(c.facts[0].label)
        periods = periods + [Period(*shift_period(c.period.start, c.period.end, **{grain: -1}))]  # prior_month_payrolls
    if not c.direct and c.how in ("difference", "relative change") and len(periods) == 2 and periods[0] != periods[1]:
        a, b = sorted(periods, key=lambda q: (q.end, q.start))
        if a.start <= b.start and b.end <= a.end or b.start <= a.start and a.end <= b.end:
            outer, inner = (a, b) if a.start <= b.start and b.end <= a.end else (b, a)
            rest = [Period(inner.end + dt.timedelta(days=1), outer.end)] if inner.end < outer.end else \
                [Period(outer.start, inner.start - dt.timedelta(days=1))]
            periods = periods + rest  # H1 − Q1 is Q2
        elif p.first <= min(a.start, b.start) and p.last >= max(a.end, b.end):
            return True  # "between June and September"
        elif stated_after and p.first >= a.start and p.last <= a.end and not (p.first >= b.start and p.last <= b.end):
            return False  # "rose 5.73% in October" when the move is October → November
    if not c.direct:  # "是11月的两倍": a ratio to dining_prev_month may name the prior month
        periods = periods + [Period(*shift_period(f.period.start, f.period.end,
                                                  **{_prior_grain(f.label): -1}))
                             for f in c.facts if f.period and _PRIOR_LABEL.search(f.label or "")]
    return not periods or any(period_fits(p, q) or _level_end_fits(p, q, c) or _to_date_fits(p, q, c)
                              for q in periods if q)


def _to_date_fits(p: PeriodMention, q: Period, c: Candidate) -> bool:
    """A year-to-date figure stated "this year" / 今年以来 (or month-to-date "this month")."""
    basis = c.facts[0].basis if c.direct else None
    grain = {"ytd": "year", "mtd": "month"}.get(basis or "")
    return grain is not None and p.grain == grain and p.first == q.start and q.end <= p.last


def _level_end_fits(p: PeriodMention, q: Period, c: Candidate) -> bool:
    """A level stated for the end of a period it closes ("finished September at 1.3375", "ended 2024 at
    $1.17mn" for December's figure)."""
    return c.direction is None and p.last == q.end and (p.grain == "month" or p.is_end or _closes(c))


def _closes(c: Candidate) -> bool:
    """Whether the fact is a closing level (a price, balance, value or rate at a date)."""
    return bool(re.search(r"\b(?:close|closing|price|(?<!trade )balance|value|level|nav|aum|rate)\b", c.facts[0].label or ""))


def _expected_direction(claim: NumberClaim, c: Candidate, ctx: Context) -> str | None:
    if c.direct and c.direction is None:
        return ctx.movement(c, claim.magnitude)
    if c.how != "difference" or len(c.facts) != 2:
        return c.direction
    a, b = c.facts
    twins = before_after(a, b) if claim.magnitude else None  # ppi_yoy_prev_month and ppi_yoy: 降幅收窄
    if claim.magnitude and (twins or a.period and b.period and a.period != b.period):
        old, new = twins or ((a, b) if a.period and b.period and a.period.end < b.period.end else (b, a))
        change = abs(new.value) - abs(old.value)
        return "up" if change > 0 else "down" if change < 0 else "flat"
    if claim.comparative and c.direction is None:
        first = _first_named(claim, a, b, ctx)
        if first is not None:
            other = b if first is a else a
            diff = first.value - other.value
            return "up" if diff > 0 else "down" if diff < 0 else "flat"
    return c.direction


def _first_named(claim: NumberClaim, a: Fact, b: Fact, ctx: Context) -> Fact | None:
    """Which of two facts the claim's sentence names first (by entity or metric words)."""
    sentence = next((s for s in ctx.reading.sentences if s[0] <= claim.number.start < s[1]), None)
    if sentence is None:
        return None

    def position(f: Fact, other: Fact) -> int | None:
        spots = [m.start for m in ctx.reading.entities if sentence[0] <= m.start < sentence[1]
                 and f.entity and m.value == f.entity and f.entity != other.entity]
        spots += [m.start for m in ctx.reading.metrics if sentence[0] <= m.start < sentence[1]
                  and f.id in ctx.metrics.fact_ids(m) and other.id not in ctx.metrics.fact_ids(m)]
        return min(spots) if spots else None

    def is_object(f: Fact, other: Fact) -> bool:  # "比东方银行高", "than the Nasdaq": the thing compared with
        spots = [m.start for m in ctx.reading.entities if sentence[0] <= m.start < sentence[1]
                 and f.entity and m.value == f.entity and f.entity != other.entity]
        return bool(spots) and all(is_base(ctx.reading.text, x) for x in spots)

    benchmark = [f for f in (a, b) if _BENCHMARK.search(f.label or f.id)]
    if len(benchmark) == 1:  # "跑输基准", "beat estimates": the benchmark is what the subject is compared with
        return b if benchmark[0] is a else a
    if is_object(a, b) and not is_object(b, a):
        return b
    if is_object(b, a) and not is_object(a, b):
        return a
    pa, pb = position(a, b), position(b, a)
    at = claim.direction_at
    subject = claim.entity
    if claim.comparative and at is not None and subject is not None and subject.start < at and \
            ctx.reading.clause_of(subject.start) == ctx.reading.clause_of(at) and a.entity != b.entity:
        # "同期沪深300跌0.14%，稳健组合跑赢0.25个百分点": the subject of the comparative word, not the first name
        if subject.value == a.entity:
            return a
        if subject.value == b.entity:
            return b
    if at is not None:  # "A outperformed B": whatever is named after the comparative word is B
        if pa is not None and pa > at and (pb is None or pb < at):
            return b
        if pb is not None and pb > at and (pa is None or pa < at):
            return a
    if pa is None and pb is None:
        return None
    if pb is None or (pa is not None and pa < pb):
        return a
    return b


def _qualified(m: Mention, mentions: tuple[Mention, ...], metrics: MetricIndex) -> Mention:
    """The word right before a generic head noun says which item it is: "spot price" is the spot fact's,
    not the price fact's ("the exchange spot price was 956.3" beside ``jewelry_price``)."""
    if not _HEAD_NOUN.fullmatch(m.text):
        return m
    before = next((q for q in mentions if 0 <= m.start - q.end <= 1 and metrics.fact_ids(q)), None)
    return before if before is not None and not metrics.fact_ids(before) & metrics.fact_ids(m) else m


def _modified(m: Mention, claim: NumberClaim, metrics: MetricIndex) -> Mention:
    """A metric word right before a head noun names the compound when only its facts fit the number:
    "MSME lending represents 38%" is the MSME share's, not the loan book's; "business payments made
    up 18.5%" the business share's."""
    kind = claim.number.kind
    if kind not in UNITS_FOR_KIND or kind == "plain":
        return m
    before = next((q for q in claim.metrics if 0 <= m.start - q.end <= 1 and metrics.fact_ids(q)), None)
    if before is None or metrics.fact_ids(before) & metrics.fact_ids(m):
        return m
    fits = UNITS_FOR_KIND[kind] - {""}
    head_units = {metrics.units.get(i, "") for i in metrics.fact_ids(m)}
    mod_units = {metrics.units.get(i, "") for i in metrics.fact_ids(before)}
    share = kind == "percent" and all(_SHARE_LABEL.search(metrics.labels.get(i, "")) for i in metrics.fact_ids(before))
    return before if mod_units & fits and (share or not head_units & fits) else m


_SHARE_LABEL = re.compile(r"\b(?:share|weight|proportion|mix)\b|占比|比重|份额")


_HEAD_NOUN = re.compile(r"prices?|rates?|levels?|yields?|quotes?|价格|价|利率|汇率|报价", re.I)


def metric_for(claim: NumberClaim, metrics: MetricIndex) -> Any:
    """The nearest metric word whose facts could be written in the number's unit."""
    kind = claim.number.kind
    for m in (_modified(_qualified(m, claim.metrics, metrics), claim, metrics) for m in claim.metrics):
        if metrics.category.get(m.value.lower()) and not metrics.fact_ids(m):
            return m
        units = {metrics.units.get(i, "") for i in metrics.fact_ids(m)}
        if kind == "days" and "days" not in units and "days" in metrics.units.values():
            continue  # "settled claims in 6 days": the days fact, not the claims count
        if kind == "plain" and units - {"%", "pp"}:
            return m
        if kind != "plain" and (units & UNITS_FOR_KIND[kind] or (kind == "pp" and "%" in units)):
            return m
    return None


_BASIS_WORDS = {"yoy": "year on year", "qoq": "quarter on quarter", "mom": "month on month",
                "seq": "with the previous period (环比)", "ytd": "year to date", "mtd": "month to date",
                "wow": "week on week"}


# a span that runs from the first of January (not a base: 较年初 compares with the start of the year)
_YTD_SPAN = re.compile(r"\b(?:year[- ]to[- ]date|ytd|since the start of the year|so far this year|(?:for|in) the year so far)\b"
                       r"|年初至今|今年以来|年内累计", re.I)


def _basis_agrees(text_basis: str, fact_basis: str) -> bool:
    if text_basis == fact_basis:
        return True
    sequential = {"qoq", "mom", "seq", "wow"}
    return "seq" in (text_basis, fact_basis) and text_basis in sequential and fact_basis in sequential


def _candidate_basis(c: Candidate) -> str | None:
    if c.direct:
        return c.facts[0].basis
    if c.how in ("difference", "relative change") and len(c.facts) == 2:
        prior = next((m for f in c.facts if (m := _PRIOR_LABEL.search(f.label or ""))), None)
        if prior is not None:  # manufacturing_pmi and manufacturing_pmi_prev_month: a month-on-month change
            return _PRIOR_BASIS.get(prior.group(0).split()[-1].lower(), "seq")
        if any(_BARE_PRIOR.search(f.label or "") for f in c.facts):
            return None  # cpi_yoy and cpi_yoy_prev: the prior reading's distance is not said (降幅较上月收窄)
        a, b = (f.period for f in c.facts)
        if a and b and a != b:
            if shift_period(a.start, a.end, years=1) == (b.start, b.end):
                return "yoy"
            if shift_period(a.start, a.end, grains=1) == (b.start, b.end):
                return {"quarter": "qoq", "month": "mom"}.get(grain_of(a.start, a.end), "seq")
            return _gap_basis(a, b)
    bases = {f.basis for f in c.facts}
    return bases.pop() if len(bases) == 1 else None  # a gap between two year-on-year rates is year on year


def _gap_basis(a: Period, b: Period) -> str | None:
    """Two dates a whole number of months apart (balances at 2024-03-31 and 2024-06-30): 12 months
    is year on year, 3 quarter on quarter, 1 month on month."""
    if a.start != a.end or b.start != b.end:
        return None
    first, last = sorted((a.start, b.start))
    months = (last.year - first.year) * 12 + last.month - first.month
    same_day = first.day == last.day or all((d + dt.timedelta(days=1)).day == 1 for d in (first, last))
    return {12: "yoy", 3: "qoq", 1: "mom"}.get(months) if same_day else None


def _text_direction(claim: NumberClaim, c: Candidate) -> str | None:
    direction = claim.direction
    if direction in ("better", "worse"):  # "the cost/income ratio improved" is a fall
        label = c.facts[0].label or c.facts[0].id
        lower = bool(LOWER_IS_BETTER.search(label))
        if not lower and not HIGHER_IS_BETTER.search(label):
            return None
        return "up" if (direction == "better") != lower else "down"
    if direction is None or not claim.subject_currency or claim.number.signed:
        return direction  # "−1.19%" is the pair's own change, whatever currency the clause names
    for e in c.entities:
        pair = pair_codes(e)
        if pair and claim.subject_currency == pair[1]:
            return {"up": "down", "down": "up"}.get(direction, direction)
    return direction


def period_fits(p: PeriodMention, period: Period, *, globally: bool = False) -> bool:
    first, last = period.start, period.end
    if (p.first, p.last) == (first, last):
        return True
    if (p.grain == "day" or p.is_end) and (p.last in (last, first) or (first == last and p.first <= first <= p.last)):
        return True
    inside = first <= p.first and p.last <= last
    contains = p.first <= first and last <= p.last
    if first == last and contains:
        return True  # an as-of date inside the month or quarter the text names
    if contains and grain_of(first, last) == "range" and \
            (last - first).days >= 0.8 * (p.last - p.first).days:
        return True  # trading days 2018-01-02..2018-03-29 are "the first quarter of 2018"
    if globally:
        return contains or (inside and GRAIN_ORDER.get(p.grain, 0) < GRAIN_ORDER.get(grain_of(first, last), 0)
                            and p.last == last)
    return False


def allowed_periods(fs: FactSet) -> list[Period]:
    out: dict[tuple, Period] = {}
    for f in fs:
        if f.period:
            out[(f.period.start, f.period.end)] = f.period
            if _PRIOR_LABEL.search(f.label or ""):  # prior_month_payrolls: about the month before
                grain = _prior_grain(f.label)
                prior = shift_period(f.period.start, f.period.end, **{grain: -1})
                out[prior] = Period(*prior)
            for shift in [SHIFT[f.basis]] if f.basis in SHIFT else []:
                prior = shift_period(f.period.start, f.period.end, **shift)
                out[prior] = Period(*prior)
        if f.date:
            out[(f.date, f.date)] = Period(f.date, f.date)
        for q in named_periods(f):
            out[(q.start, q.end)] = q
    return list(out.values())
