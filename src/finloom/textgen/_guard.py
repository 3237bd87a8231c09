"""The faithfulness guard: every number, period, entity and direction in a text must match a fact.

A number is supported when a fact — or a value one simple step away from the facts (a difference,
relative change, ratio, share, complement, sum, or the level before a stated change) — rounds,
half away from zero, to the number at the precision the text shows, and nothing the text attaches
to the number (entity, metric, period, comparison basis, direction) contradicts that fact.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any, Literal

from finloom.errors import ConfigError, FinloomError
from finloom.textgen._addressees import wrong_addressees
from finloom.textgen._carried import carried_moves
from finloom.textgen._claims import (
    NumberClaim,
    TextReading,
    currency_of,
    is_base,
    main_period,
    read_text,
)
from finloom.textgen._conflicts import (
    UNITS_FOR_KIND,
    Context,
    allowed_periods,
    compared_pair,
    conflicts,
    pair_codes,
    period_fits,
    prior_periods,
    written_value,
)
from finloom.textgen._derive import Candidate, candidates, price_ratio
from finloom.textgen._extract import Mention, NumberMention
from finloom.textgen._fact_loader import facts_from_dict
from finloom.textgen._facts import Fact, FactSet, Period, format_value
from finloom.textgen._flows import flipped_net, net_word_before, refund_as_charge
from finloom.textgen._keyed import key_conflicts
from finloom.textgen._lexicon import COMPARATIVE_WORDS, MAGNITUDE_WORDS
from finloom.textgen._metrics import MetricIndex
from finloom.textgen._periods import PeriodMention, month_end, shift_period
from finloom.textgen._shares import stated_as_share
from finloom.textgen._sizes import MOVE_NOUN_BEFORE, bond_prices_for_yields, session_size_move
from finloom.textgen._streaks import unsupported_streaks
from finloom.textgen._template import DEFAULT_DISCLAIMERS
from finloom.textgen._twins import before_after
from finloom.textgen._worded import worded_candidates

__all__ = ["FaithfulnessGuard", "GuardIssue", "GuardReport", "UnfaithfulTextError"]

Policy = Literal["reject", "repair", "fallback"]
MAX_TEXT_CHARS = 200_000
_RATIO_WORDS = re.compile(r"\bratio\b|\bmultiple\b|比值|比率|倍|"  # 金银比约80.2: a ratio named "X比"
                          r"(?<=[\u4e00-\u9fff])(?<![同环占相对较])比(?!\s*\d+(?:\.\d+)?\s*[年月日季号周])"
                          r"(?=\s*(?:约|为|是|达|报|在|\d))", re.I)
_COUNTED = re.compile(r"\s?(?!per\b|pc\b|percent|points?\b|pts?\b|bps?\b|basis\b|ppts?\b|pp\b|and\b|or\b|to\b|of\b|in\b|"
                      r"on\b|at\b|from\b|for\b|by\b|is\b|was\b|were\b|are\b|the\b|a\b|an\b|with\b|than\b|as\b|"
                      r"after\b|before\b|while\b|but\b|so\b|this\b|that\b|it\b)[a-z]{3,}s\b|\s?(?:星|颗|家|个|人|名|户|只|次|笔|张|期|单|吨|桶|盎司|公斤|千克|辆|台)",
                      re.I)
_YEARS = re.compile(r"\s?(?:years?\b|yrs?\b|年(?![\d期]))", re.I)
_MONTH_COUNT = re.compile(r"\b(?:months?|terms?|instal+ments?|tenor)\b", re.I)
_DURATION = re.compile(r"\s?(?:months?\b|years?\b|weeks?\b|个月|年(?![\d期])|周)", re.I)


class UnfaithfulTextError(FinloomError):
    """Generated text states something the facts do not support (policy ``reject``)."""

    status_code = 422

    def __init__(self, message: str, report: GuardReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class GuardIssue:
    """One flagged claim: ``kind`` is unsupported, contradicted or missing_disclaimer.

    ``reason`` says what is wrong (wrong_number, direction, entity, metric, period, basis,
    unsupported_number, unsupported_period); ``replacement`` holds the correctly formatted value
    when the guard knows it (used by repair).

    Examples
    --------
    >>> GuardIssue("unsupported", 0, 4, "9.9%", "no fact supports the number '9.9%'").kind
    'unsupported'
    """

    kind: Literal["unsupported", "contradicted", "missing_disclaimer"]
    start: int
    end: int
    text: str
    explanation: str
    fact_id: str | None = None
    replacement: str | None = None
    reason: str = ""


@dataclass
class GuardReport:
    """The guard's verdict on one text: issues, claim counts and a score in [0, 1].

    Examples
    --------
    >>> r = GuardReport("x", n_claims=4, n_supported=3,
    ...                 issues=[GuardIssue("unsupported", 0, 1, "x", "no fact")])
    >>> r.ok, r.score, r.unsupported_numbers
    (False, 0.75, 1)
    """

    text: str
    issues: list[GuardIssue] = field(default_factory=list)
    n_claims: int = 0
    n_supported: int = 0
    policy_applied: str = "none"

    @property
    def ok(self) -> bool:
        """True when nothing was flagged."""
        return not self.issues

    @property
    def score(self) -> float:
        """Supported claims over all checked items (claims + required disclaimers)."""
        missing = sum(i.kind == "missing_disclaimer" for i in self.issues)
        total = self.n_claims + missing
        return 1.0 if total == 0 else self.n_supported / total

    @property
    def unsupported_numbers(self) -> int:
        """Count of claims flagged as unsupported or contradicted."""
        return sum(i.kind != "missing_disclaimer" for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary for APIs and audit logs."""
        return {"ok": self.ok, "score": self.score, "n_claims": self.n_claims,
                "policy_applied": self.policy_applied,
                "issues": [vars(i) for i in self.issues]}


class FaithfulnessGuard:
    """Check text against facts: numbers, derived numbers, entities, periods, bases and directions.

    Parameters
    ----------
    require_disclaimer : bool
        Also flag a text that lacks the facts' (or default) disclaimer for its language; set it for
        document kinds that need one (finloom's reports do).
    extra_abs_tol, rel_tol : float
        Extra tolerance on top of exact rounding (0 = "rounded to the shown precision" only).
    derive : bool
        Accept numbers one simple step from the facts (differences, relative changes, ratios...).

    Examples
    --------
    >>> from finloom.textgen import Fact
    >>> facts = [Fact("spx:ret", -3.456, unit="%", entity="S&P 500", direction="down")]
    >>> g = FaithfulnessGuard()
    >>> g.check("The S&P 500 fell 3.5% this quarter.", facts).ok
    True
    >>> [i.reason for i in g.check("The S&P 500 rose 3.5%.", facts).issues]
    ['direction']
    >>> g.check("标普500下跌百分之三点五。", facts).ok
    True
    >>> g.check({"company": "Harbor Bank", "period": "2024-Q1", "nim_pct": 1.72},
    ...         "Harbor Bank's net interest margin was 1.72% in the first quarter.").ok
    True
    """

    def __init__(self, *, require_disclaimer: bool = False, extra_abs_tol: float = 0.0,
                 rel_tol: float = 0.0, derive: bool = True) -> None:
        self.require_disclaimer = require_disclaimer
        self.extra_abs_tol = extra_abs_tol
        self.rel_tol = rel_tol
        self.derive = derive

    # -- public --------------------------------------------------------------------------------
    def check(self, text: str | FactSet | Sequence[Fact] | Mapping[str, Any],
              facts: FactSet | Sequence[Fact] | Mapping[str, Any] | str, *, lang: str | None = None,
              aliases: dict[str, list[str]] | None = None) -> GuardReport:
        """Flag unsupported and contradicted claims; return a :class:`GuardReport`.

        ``facts`` may be a :class:`FactSet`, a list of :class:`Fact` or a plain dict (see
        :func:`finloom.textgen.facts_from_dict`); ``check(facts, text)`` is accepted too.
        """
        if isinstance(facts, str) and not isinstance(text, str):
            text, facts = facts, text
        if not isinstance(text, str):
            raise ConfigError(f"text must be a str; got {type(text).__name__}.")
        if len(text) > MAX_TEXT_CHARS:
            raise ConfigError(f"text must be at most {MAX_TEXT_CHARS:,} characters; got {len(text):,}. "
                              "Check long documents section by section.")
        fs = _coerce_facts(facts)
        lang = lang or _detect_lang(text)
        report = GuardReport(text)
        reading = read_text(text, fs, anchor=main_period(fs), extra_aliases=aliases)
        pool = candidates(fs) if self.derive else [c for c in candidates(fs) if c.direct]
        ctx = Context(reading, reading.metric_index or MetricIndex(fs), fs, main_period(fs))
        for claim in reading.claims:
            self._check_claim(claim, pool, ctx, lang, report)
        self._check_periods(reading, fs, report)
        self._check_flows(reading, fs, report)
        self._check_bare_directions(ctx, report)
        self._check_from_to(ctx, report)
        self._check_ranged_moves(ctx, report)
        self._check_bare_comparatives(ctx, report)
        people = [n for e in fs.entities() for n in (e, *fs.aliases(e))] + [d for _, d in fs.descriptors]
        for start, end, _ in wrong_addressees(text, people):  # "王先生您好" of Mr Li's portfolio
            report.issues.append(GuardIssue("contradicted", start, end, text[start:end],
                                            "the text addresses someone the facts are not about", None, None,
                                            "entity"))
        counts = [f.value for f in fs if f.unit not in ("%", "pp", "currency", "date")]
        for start, end, count in unsupported_streaks(text, counts):  # "the third straight monthly increase"
            report.issues.append(GuardIssue("unsupported", start, end, text[start:end],
                                            f"no fact gives a streak of {count} periods", None, None,
                                            "unsupported_number"))
        if self.require_disclaimer:
            self._check_disclaimer(text, fs, lang, report)
        report.issues.sort(key=lambda i: i.start)
        return report

    def enforce(self, text: str, facts: FactSet | Sequence[Fact] | Mapping[str, Any], *,
                policy: Policy = "reject", fallback: str | None = None,
                lang: str | None = None) -> tuple[str, GuardReport]:
        """Apply a policy: ``reject`` raises, ``repair`` fixes contradicted values, ``fallback``
        returns ``fallback`` (the template text). Returns ``(final_text, report_of_input)``."""
        if policy not in ("reject", "repair", "fallback"):
            raise ConfigError(f"policy must be 'reject', 'repair' or 'fallback'; got {policy!r}.")
        report = self.check(text, facts, lang=lang)
        if report.ok:
            return text, report
        if policy == "repair":
            repaired = _repair(text, report.issues)
            if repaired is not None and self.check(repaired, facts, lang=lang).ok:
                report.policy_applied = "repair"
                return repaired, report
        if policy in ("repair", "fallback") and fallback is not None:
            report.policy_applied = "fallback"
            return fallback, report
        first = report.issues[0]
        raise UnfaithfulTextError(
            f"generated text must be supported by the facts; got {len(report.issues)} flagged "
            f"claim(s), first {first.text!r}: {first.explanation}. Use policy='fallback' with the "
            "template text, or fix the facts.", report)

    # -- numbers -------------------------------------------------------------------------------
    def _rounds_to(self, n: NumberMention, value: float) -> bool:
        target = abs(value) / n.scale
        written = abs(n.written)
        if not (math.isfinite(target) and math.isfinite(written)) or max(target, written) > 1e30:
            return False
        exp = Decimal(1).scaleb(-n.decimals)
        with localcontext() as ctx:
            ctx.prec = 60
            rounded = Decimal(f"{target:.12g}").quantize(exp, rounding=ROUND_HALF_UP)
            if rounded == Decimal(f"{written:.12g}").quantize(exp, rounding=ROUND_HALF_UP):
                return True
        extra = self.extra_abs_tol + self.rel_tol * abs(value)
        return extra > 0 and abs(abs(n.value) - abs(value)) <= n.tol + extra

    @staticmethod
    def _within_bound(n: NumberMention, c: Candidate, bound: str) -> bool:
        """"more than double", "over a third", 超过一半: a worded quantity stated as a bound."""
        if n.kind == "times" and c.unit == "ratio" or n.kind == "percent" and c.unit == "%":
            value = abs(c.value)
        elif n.kind == "times" and c.unit == "%" and c.direction == "up":
            value = 1.0 + c.value / 100.0  # "rose 178%, meaning they nearly tripled"
        elif n.kind == "percent" and c.unit == "ratio" and abs(c.value) <= 1.5:
            value = abs(c.value) * 100.0
        else:
            return False
        target = abs(n.value)
        if bound == "near":
            return target - 5.0 <= value < target + 5.0
        return target <= value <= 1.5 * target if bound == "above" else 0.6 * target <= value <= target

    def _value_matches(self, n: NumberMention, c: Candidate, ratio_words: bool = False) -> bool:
        if n.kind == "plain" and not c.direct and c.unit in ("%", "pp", "ratio") and \
                not (ratio_words and c.unit == "ratio"):
            return False  # a bare number is not a derived percentage or multiple
        if n.kind == "times" and c.unit == "%" and c.direct and c.direction is None:
            return self._rounds_to(n, c.value / 100.0)  # a coverage of 248.5% is "2.5倍"
        if n.kind == "times" and c.unit == "count" and c.direct:
            return self._rounds_to(n, c.value)  # "you tapped contactless 57 times": a count of occasions
        if n.kind == "points" and c.how == "complement":
            return self._rounds_to(n, c.value)  # "an underwriting margin of 5.7 points" (100 − 94.3)
        if n.kind == "points" and c.unit == "pp":
            return self._rounds_to(n, c.value)  # "the loss ratio fell 2.8 points"
        if n.kind == "percent" and c.unit == "pp" and c.direct and c.direction is None:
            return self._rounds_to(n, c.value)  # a spread of 275 bp is "2.75%"
        if n.kind == "pp" and c.unit == "" and c.how == "difference" and \
                all(_INDEX_LABEL.search(f.label) or _INDEX_LABEL.search(f.entity or "") for f in c.facts):
            return self._rounds_to(n, c.value)  # PMI 49.8 → 50.1 "回升0.3个百分点": an index moves in points
        if n.kind == "pp" and c.unit == "%" and (c.direct and c.direction is None or c.how == "complement"):
            return self._rounds_to(n, c.value)  # an ongoing charge of 0.22% is "22bp"
        if n.kind != "plain" and c.unit not in UNITS_FOR_KIND[n.kind]:
            # a fraction stated as a percentage (0.0152 → 1.52 %) is a unit conversion
            return n.kind == "percent" and c.unit == "ratio" and abs(c.value) <= 1.5 and not price_ratio(c) \
                and self._rounds_to(n, c.value * 100)
        if n.kind == "currency" and n.currency and c.currency and n.currency != c.currency and \
                not (c.currency in _DOLLARS and _BARE_DOLLAR.search(n.text)):
            return False  # a bare "$" is whichever dollar the facts are in (A$, C$, S$ ...)
        if n.signed and c.direction is None and (n.value < 0) != (c.value < 0) and c.value != 0:
            return False
        return self._rounds_to(n, c.value)

    def _check_claim(self, claim: NumberClaim, pool: list[Candidate], ctx: Context, lang: str,
                     report: GuardReport) -> None:
        report.n_claims += 1
        n = claim.number
        clause = ctx.reading.clause_of(n.start)
        ratio_words = bool(_RATIO_WORDS.search(ctx.reading.text[clause[0] : clause[1]]))
        if n.kind == "plain" and _COUNTED.match(ctx.reading.text, n.end):
            pool = [c for c in pool if c.unit not in ("%", "pp", "currency")]  # "rated 5 stars" is no rounded 4.6%
        if _DURATION.match(ctx.reading.text, n.end):  # $9,000 saved / $3,000 a month "covers 3 months"
            pool = pool + [replace(c, unit="count", how="duration") for c in pool if _money_over_money(c)]
        if _YEARS.match(ctx.reading.text, n.end):  # "剩余168期（即14年）": a count of months stated in years
            pool = pool + [replace(c, value=c.value / 12, unit="count", how="months in years")
                           for c in pool if c.direct and _MONTH_COUNT.search(c.facts[0].label or "")]
        if n.kind == "percent" and (_SHARE_BEFORE.search(ctx.reading.text[max(clause[0], n.start - 12) : n.start])
                                    or stated_as_share(ctx.reading.text, n.start, n.end, clause[0])):
            pool = [c for c in pool if c.how not in ("relative change", "relative difference")]  # 占比约45%: a share
        if self.derive:  # "44 pips", "日均约281元", "the minimum payment (10%) is $1,234.57"
            sentence = next((s for s in ctx.reading.sentences if s[0] <= n.start < s[1]), clause)
            pool = pool + worded_candidates(n, ctx.reading.text, clause, [o.number for o in ctx.reading.claims
                                            if sentence[0] <= o.number.start < sentence[1]], pool, ctx.facts.facts)
        bound = _word_bound(n, ctx.reading.text)
        hits = [c for c in pool if self._value_matches(n, c, ratio_words)
                or (bound is not None and self._within_bound(n, c, bound))]
        if not hits:
            if self._worked_example(claim, pool, ctx):
                report.n_supported += 1
                return
            self._flag_value(claim, pool, ctx, lang, report)
            return
        judged = [(c, conflicts(claim, c, ctx) or key_conflicts(claim, c, ctx)) for c in hits]
        if any(not found for _, found in judged):
            report.n_supported += 1
            return
        c, found = min(judged, key=lambda cj: (len(cj[1]), not cj[0].direct))
        first = found[0]
        report.issues.append(GuardIssue(
            "contradicted", n.start, n.end, n.text,
            f"{n.text!r} matches {c.describe()}, but {first.message}", c.facts[0].id, None, first.reason))

    def _worked_example(self, claim: NumberClaim, pool: list[Candidate], ctx: Context) -> bool:
        """A worked example: an assumed round amount ("a £10,000 investment", 以存一万元为例, "for
        every £100") and what a fact's rate makes of it ("would now be worth £10,784", 利息约215元,
        "12p a year"); "70p in every pound" is a share stated per pound."""
        text, n = ctx.reading.text, claim.number
        sentences = ctx.reading.sentences
        here = next((i for i, s in enumerate(sentences) if s[0] <= n.start < s[1]), None)
        if here is None:
            return False
        lo, hi = sentences[max(0, here - 1)][0], sentences[min(len(sentences) - 1, here + 1)][1]
        others = [o.number for o in ctx.reading.claims if o is not claim and lo <= o.number.start < hi]
        if _assumed_amount(n, text):  # the example's amount: supported when its result is stated too
            rates = _example_rates(pool)
            return any(self._rounds_to(o, abs(n.value) * r) for o in others for r in rates)
        amounts = [o.value for o in others if _assumed_amount(o, text)]
        if any(math.isclose(abs(n.value), abs(a)) for a in amounts):
            return True  # the example's amount named again ("€100 converts to £82.98")
        if _PER_MONTH_AFTER.match(text[n.end : n.end + 16]):
            monthly = [abs(c.value) / 12 for c in pool if c.direct and c.unit == "currency"]
            if any(self._rounds_to(n, v) for v in monthly):
                return True  # "£612.48 in interest … roughly £51 a month"
        if _PER_UNIT_AFTER.match(text[n.end : n.end + 30]):
            amounts.append(1.0)  # "5.8p per pound of income"
        if not amounts:
            return False
        rates = _example_rates(pool)
        return any(self._rounds_to(n, a * r) for a in amounts for r in rates)

    def _flag_value(self, claim: NumberClaim, pool: list[Candidate], ctx: Context, lang: str,
                    report: GuardReport) -> None:
        n = claim.number
        same_kind = [c for c in pool if c.direct and (n.kind == "plain" or c.unit in UNITS_FOR_KIND[n.kind])]
        fitting = [c for c in same_kind if not conflicts(claim, c, ctx, value_only=True)]
        near = [c for c in fitting if c.value and 0.5 <= abs(n.value) / abs(c.value) <= 2.0]
        if near:  # close to a fact it could state: a wrong number, with the right one as the repair
            best = min(near, key=lambda c: abs(abs(c.value) - abs(n.value)))
            fact = best.facts[0]
            shown = _shown(best.value, n)
            report.issues.append(GuardIssue(
                "contradicted", n.start, n.end, n.text,
                f"{n.text!r} does not match fact {fact.id!r} = {fact.value:g}; at the precision written "
                f"it would read {shown}", fact.id, format_value(fact, lang) if n.kind != "pp" else None,
                "wrong_number"))
        elif (slip := self._slip(n, pool)) is not None:
            report.issues.append(GuardIssue("contradicted", n.start, n.end, n.text, slip[1], slip[0].facts[0].id,
                                            None, "wrong_number"))
        else:
            report.issues.append(GuardIssue(
                "unsupported", n.start, n.end, n.text,
                f"no fact supports the number {n.text!r}, directly or by one simple step "
                "(difference, relative change, ratio, share, complement, sum)", None, None,
                "unsupported_number"))

    def _slip(self, n: NumberMention, pool: list[Candidate]) -> tuple[Candidate, str] | None:
        """Typical slips: a wrong scale word (亿 for billion) or percentage points written as %."""
        for c in pool:
            if n.kind == "percent" and c.unit == "pp" and self._rounds_to(n, c.value):
                return c, (f"{n.text!r} is {c.describe()} in percentage points; a change between two "
                           "percentages must be written in points (pp, bp, 个百分点), not %")
        for c in pool:
            if not c.direct or not c.value or (n.kind != "plain" and c.unit not in UNITS_FOR_KIND[n.kind]):
                continue
            for k in (-4, -3, -2, -1, 1, 2, 3, 4):
                if self._rounds_to(n, c.value * 10.0**k):
                    return c, (f"{n.text!r} is {c.describe()} off by a factor of 10^{k}: check the scale word "
                               "(万/亿, thousand/million/billion)")
        return None

    # -- periods and disclaimers ---------------------------------------------------------------
    def _check_periods(self, reading: TextReading, fs: FactSet, report: GuardReport) -> None:
        allowed = allowed_periods(fs)
        if not allowed:
            return
        allowed = allowed + _remainders(allowed)  # H1 and Q2 given: "一季度约355.6亿元" is their difference
        own = {(f.period.start, f.period.end) for f in fs if f.period}
        earlier = {q for f in fs for q in prior_periods(f)} - own
        bases = [a for a in allowed if (a.start, a.end) not in earlier]  # Q2 of "savings_prev_qtr" is no base of Q1
        priors = [Period(*shift_period(a.start, a.end, **shift)) for a in bases if a.start != a.end
                  for shift in ({"years": -1}, {"grains": -1})]
        priors += [Period(a.start.replace(year=a.start.year - 1, month=1, day=1), a.start.replace(year=a.start.year - 1,
                   month=12, day=31)) for a in allowed if a.start == a.end]  # 较上年, said on a date
        priors += [Period(*shift_period(a.start.replace(day=1), month_end(a.start.year, a.start.month), grains=-1))
                   for a in allowed if a.start == a.end]  # "较8月末上升", said on 30 September
        weekly = any(_WEEKLY.search(f.label or "") for f in fs)
        for p in reading.periods:
            report.n_claims += 1
            if weekly and p.relative and _WEEKLY.search(p.text):
                report.n_supported += 1  # "上周" of a "周涨跌幅" figure
                continue
            years = _years_to(reading.text, p)
            if years is not None and not any(a.end.year == p.last.year and a.end.month == p.last.month and
                                             abs((a.end.year - a.start.year) * 12 + a.end.month - a.start.month + 1
                                                 - 12 * years) <= 1 for a in allowed):
                report.issues.append(GuardIssue(
                    "unsupported", p.start, p.end, p.text,
                    f"the text gives {years} years to {p.text!r}, but no fact covers {years} years ending then "
                    f"(facts cover {_describe_periods(allowed)})", None, None, "period"))
                continue
            since = _SINCE.search(reading.text[max(0, p.start - 24) : p.start]) or _SINCE_AFTER.match(reading.text, p.end)
            longer = [a for a in allowed if a.start < p.first <= p.last <= a.end]
            if since and any(a.start == p.first and p.last <= a.end for a in allowed):
                report.n_supported += 1  # "1月以来" of a figure counted from January
                continue
            if since and longer and not any(a.start == p.first for a in allowed):
                report.issues.append(GuardIssue(  # "10月以来" of a figure counted from January
                    "unsupported", p.start, p.end, p.text,
                    f"the text counts from {p.text!r} ({p.first}), but the facts count from {longer[0].start}",
                    None, None, "period"))
                continue
            framing = p.relative or is_base(reading.text, p.start)
            clause = reading.clause_of(p.start)  # "fell 1.8% over the full year" of a half-year figure: not the year
            whole = _WHOLE_YEAR.fullmatch(p.text) and any(clause[0] <= c.number.start < clause[1] for c in reading.claims)
            if any(period_fits(p, a, globally=not whole) for a in allowed + (priors if framing else [])) or \
                    _SINCE.search(reading.text[max(0, p.start - 24) : p.start]) and any(a.start == p.first for a in allowed) \
                    or _dateline(p, reading.text) and any(a.start <= p.first and p.last <= a.end for a in allowed):
                report.n_supported += 1  # "its gain since January" of a year-to-date figure; "Call summary 14 Oct:"
                continue
            report.issues.append(GuardIssue(
                "unsupported", p.start, p.end, p.text,
                f"period {p.text!r} ({p.first}..{p.last}) is not the period of any fact "
                f"(facts cover {_describe_periods(allowed)})", None, None, "period"))

    def _check_flows(self, reading: TextReading, fs: FactSet, report: GuardReport) -> None:
        """A net inflow where money in minus money out is negative; a charge where the facts describe a refund."""
        kinds = [(k, t) for k, t in fs.descriptors if _TRANSACTION_KEY.search(k)]
        for claim in reading.claims:
            n = claim.number
            clause = reading.clause_of(n.start)
            why = refund_as_charge(reading.text[clause[0] : n.start], kinds) if n.kind == "currency" and kinds else None
            word = next((d for d in reading.directions if clause[0] <= d.start and d.end <= n.start
                         and n.start - d.end <= 6), None)
            said = word.text if word is not None else net_word_before(reading.text[clause[0] : n.start])
            why = why or (flipped_net(said, n.value, fs.facts, lambda v, n=n: self._rounds_to(n, v))
                          if said is not None and n.kind in ("currency", "plain") else None)
            if why:
                report.n_claims += 1
                report.issues.append(GuardIssue("contradicted", n.start, n.end, n.text, why, None, None, "direction"))

    def _check_bare_directions(self, ctx: Context, report: GuardReport) -> None:
        """Direction words with no number in their clause ("the yuan weakened", 人民币升值)."""
        reading = ctx.reading
        used = {c.direction_at for c in reading.claims}
        for d in reading.directions:
            if d.start in used or d.value not in ("up", "down") or COMPARATIVE_WORDS.fullmatch(d.text.lower()) \
                    or _RELATIVE_MOVE.fullmatch(d.text.lower()):
                continue
            clause = reading.clause_of(d.start)
            if any(clause[0] <= c.number.start < clause[1] for c in reading.claims):
                continue
            entity = next((e for e in reversed(reading.entities) if clause[0] <= e.start < d.start), None) or \
                next((e for e in reading.entities if d.end <= e.start < clause[1]), None)
            currency = reading.subject_currency(clause, entity)
            names = sorted(ctx.facts.entities())
            if entity is None and len(names) == 1 and _STRONG_MOVE.fullmatch(d.text.lower()):
                entity = Mention(d.start, d.start, names[0], names[0])  # "单季扭亏": about the one company
            if MAGNITUDE_WORDS.fullmatch(d.text.lower()) and MOVE_NOUN_BEFORE.search(reading.text[clause[0] : d.start]):
                moved = session_size_move(ctx.facts.facts)  # "午后涨幅收窄": the size of the day's move, not its way
                if moved is not None:
                    _tally(report, d.value == moved, d,
                           f"the text says the move {'widened' if d.value == 'up' else 'narrowed'} but from the earlier "
                           f"change to the close it {'widened' if moved == 'up' else 'narrowed'}")
                    continue
            sized = ctx.magnitude_moves(clause) if MAGNITUDE_WORDS.fullmatch(d.text.lower()) else set()
            if sized:  # "资金流出有所收敛": did the outflow shrink?
                _tally(report, d.value in sized, d,
                       f"the text says it {'widened' if d.value == 'up' else 'narrowed'} but the facts show it "
                       f"{'widened' if 'up' in sized else 'narrowed'}")
                continue
            if d.text.lower().startswith("deepen"):
                continue  # "losses deepened": a negative figure grew in size, whatever way its value went
            bonds = bond_prices_for_yields(reading.text[clause[0] : d.start], ctx.facts.facts)
            if bonds and entity is None and len(names) == 1:
                entity = Mention(d.start, d.start, names[0], names[0])  # "Treasuries rallied": the one yield given
            expected = ctx.expected_moves(entity, currency, clause) or _start_end_moves(ctx.facts, entity, currency)
            if not expected and entity is None and currency is None:  # "rates eased, with the 30-year rate at 6.42%"
                expected = carried_moves(ctx, d, bool(MAGNITUDE_WORDS.fullmatch(d.text.lower())), self._value_matches)
            if bonds:
                expected = {{"up": "down", "down": "up"}.get(e, e) for e in expected}  # "Treasuries rallied": yields fell
            _tally(report, not expected or d.value in expected, d,
                   f"the text states {'a rise' if d.value == 'up' else 'a fall'} for "
                   f"{(entity.text if entity else 'it')!r} but the facts show "
                   f"{' and '.join(sorted('a rise' if e == 'up' else 'a fall' for e in expected))}")

    def _check_from_to(self, ctx: Context, report: GuardReport) -> None:
        """A move written with both ends ("由3.8%上调至3.55%", "fell from 4.1% to 4.3%") must go their way."""
        reading = ctx.reading
        numbers = sorted((c.number for c in reading.claims), key=lambda n: n.start)
        for d in reading.directions:
            if d.value not in ("up", "down"):
                continue
            for a, b in zip(numbers, numbers[1:], strict=False):
                if a.kind != b.kind or a.currency != b.currency or a.value == b.value:
                    continue
                text = reading.text
                zh = a.end <= d.start and d.end <= b.start and _FROM_ZH.search(text[max(0, a.start - 3) : a.start]) \
                    and _TO_ZH.fullmatch(text[d.end : b.start]) and not text[a.end : d.start].strip("了 ")
                en = d.end <= a.start and _FROM_EN.fullmatch(text[d.end : a.start]) and _TO_EN.fullmatch(text[a.end : b.start])
                back = d.end <= a.start and (_TO_LEAD.fullmatch(text[d.end : a.start]) or
                                             _OBJECT_TO.fullmatch(text[d.end : a.start])) and \
                    _FROM_AFTER.fullmatch(text[a.end : b.start])  # "rose to 5.2% in September from 5.3%"
                if not (zh or en or back):
                    continue
                if back:
                    a, b = b, a
                moved = "up" if b.value > a.value else "down"
                if _quoted_in_other(text[d.end : min(a.start, b.start)], ctx.facts):
                    moved = "down" if moved == "up" else "up"  # "strengthened the yuan fixing to 7.11 per dollar"
                _tally(report, moved == d.value, d, f"the text says {d.text!r} but it goes from {a.text!r} to "
                                                    f"{b.text!r}, {'a rise' if moved == 'up' else 'a fall'}")

    def _check_ranged_moves(self, ctx: Context, report: GuardReport) -> None:
        """"上调了全年指引，由5%-7%调整为2%-4%": an adjustment word must go the way its range moved."""
        reading = ctx.reading
        numbers = sorted((c.number for c in reading.claims), key=lambda n: n.start)
        for d in reading.directions:
            if d.value not in ("up", "down") or (pair := _ranged_move(numbers, d, reading.text)) is None:
                continue
            a, b = pair
            moved = "up" if b.value > a.value else "down"
            _tally(report, moved == d.value, d, f"the text says {d.text!r} but it goes from {a.text!r} to "
                                                f"{b.text!r}, {'a rise' if moved == 'up' else 'a fall'}")

    def _check_bare_comparatives(self, ctx: Context, report: GuardReport) -> None:
        """"A beat B, returning 4.2% against 6.4%": the two figures must bear the comparison out."""
        reading = ctx.reading
        used = {c.direction_at for c in reading.claims}
        for d in reading.directions:
            if not COMPARATIVE_WORDS.fullmatch(d.text.lower()):
                continue
            users = [c for c in reading.claims if c.direction_at == d.start]
            if d.start in used and any(not _is_level(c) for c in users):
                continue  # "outperformed by 3.47 points": the figure itself carries the comparison
            sentence = next((s for s in reading.sentences if s[0] <= d.start < s[1]), None)
            claims = [c for c in reading.claims if sentence and sentence[0] <= c.number.start < sentence[1]]
            if _own_figure(claims, d, reading.text, reading.entities):
                continue  # "Brent lagged at 9.8%": the figure is the subject's own, the benchmark is unnamed
            pair = _around(claims, d, reading.text) or compared_pair(claims, reading.text)
            if pair is None or _bound_of_other(claims, d, pair, reading.text):
                continue
            a, b = (written_value(c) if not c.comparative else c.number.value for c in pair)
            expected = "up" if a > b else "down" if a < b else "flat"
            report.n_claims += 1
            if expected == d.value:
                report.n_supported += 1
                continue
            report.issues.append(GuardIssue(
                "contradicted", d.start, d.end, d.text,
                f"{d.text!r} says the first figure is {'above' if d.value == 'up' else 'below'} the second, but "
                f"{pair[0].number.text!r} vs {pair[1].number.text!r} says otherwise", None, None, "direction"))

    def _check_disclaimer(self, text: str, fs: FactSet, lang: str, report: GuardReport) -> None:
        required = fs.disclaimers.get(lang, DEFAULT_DISCLAIMERS.get(lang, ""))
        if required and _squash(required) not in _squash(text):
            report.issues.append(GuardIssue(
                "missing_disclaimer", len(text), len(text), "",
                f"the required {lang} disclaimer is missing: {required!r}", "disclaimer", required,
                "disclaimer"))


_EXAMPLE_BEFORE = re.compile(
    r"(?:\b(?:a|an|every|each|per|invest(?:ed|ing)?|put in|put|deposit(?:ed|ing)?|sav(?:e|ing)|borrow(?:ed|ing)?|"
    r"spend(?:ing)?|convert(?:ed|ing)?|chang(?:e|ing)|buy(?:ing)?|hold(?:ing)?|if you (?:\w+ )?|for every|on every|"
    r"say|e\.g\.,?|for example,?|how much (?:will|would|does|do) )\s*$"
    r"|(?:例如|比如|譬如|假设|假如|如果|若|以|每|存入?|投入|买入?|购买|换|兑换|汇出|汇入|持有|借|贷|账单|花)\s*$)", re.I)
_EXAMPLE_AFTER = re.compile(r"^\s*(?:investment|invested|deposit|loan|would|you invest|in your|为例|的话|起)", re.I)
_PER_MONTH_AFTER = re.compile(r"^\s*(?:a month|per month|monthly|each month|every month|/month|/mo)\b|^\s*(?:每月|/月)", re.I)
_PER_UNIT_AFTER = re.compile(r"^\s*(?:a year |a month |annually )?(?:(?:in|for|of|out of) every|per|each) "
                             r"(?:pound|dollar|euro|yuan|£1|\$1|€1)\b", re.I)


_DOLLARS = {"USD", "AUD", "CAD", "NZD", "SGD", "HKD", "TWD"}
_BARE_DOLLAR = re.compile(r"(?<![A-Za-z])\$")
_GAP = re.compile(r"[^;；。!?！？\n]{0,40}")
_OWN_LEVEL = re.compile(r"\s*(?:at|to|of)\s+(?:about |around |roughly |just )?|\s*(?:为|达|至|在|到)(?:约|近)?", re.I)


def _own_figure(claims: list[NumberClaim], word: Mention, text: str, entities: Sequence[Mention]) -> bool:
    """Whether the comparative's subject is named after the previous figure, or the next figure is
    introduced as the subject's own level ("..., while Brockley lagged at 10.1%")."""
    before = next((c for c in reversed(claims) if c.number.end <= word.start), None)
    after = next((c for c in claims if c.number.start >= word.end), None)
    return bool(after and _OWN_LEVEL.fullmatch(text[word.end : after.number.start])) or \
        bool(before and any(before.number.end <= e.start < word.start for e in entities))


def _bound_of_other(claims: list[NumberClaim], word: Mention, pair: tuple[NumberClaim, NumberClaim], text: str) -> bool:
    """Whether the comparative bounds the figure right after it, which is not one of the pair: in
    "分红比例超过三成" 超过 says the ratio is above 30 %, it compares no two figures of the sentence."""
    after = next((c for c in claims if c.number.start >= word.end), None)
    return after is not None and after not in pair and not text[word.end : after.number.start].strip(" 了约近达")


def _around(claims: list[NumberClaim], word: Mention, text: str) -> tuple[NumberClaim, NumberClaim] | None:
    """The figures either side of a comparative: "profit of £41.3m beat the £44m consensus",
    "净利润62.8亿元，不及市场预期的60.5亿元" — levels of one kind, close to the word."""
    before = next((c for c in reversed(claims) if c.number.end <= word.start), None)
    after = next((c for c in claims if c.number.start >= word.end), None)
    if before is None or after is None or before.number.kind != after.number.kind:
        return None
    if after.direction is not None and not after.comparative:
        return None  # a change after the word is the comparison's size ("beat by 3 points")
    if before.direction is not None and not before.comparative and \
            not text[word.end : after.number.start].strip(" 了约近达"):
        return None  # "提高0.2个点，比10月高出1个点": two sizes of two comparisons
    # ("a gain of 12.5%, which beat the benchmark's 10.8%": a return set against a level)
    gaps = (text[before.number.end : word.start], text[word.end : after.number.start])
    return (before, after) if all(_GAP.fullmatch(g) for g in gaps) else None


_SHARE_BEFORE = re.compile(r"(?:占比|占|比重|份额)[^，,。；;\d]{0,4}$|\b(?:share (?:of|is|was|at)|accounts? for|accounted for|"
                           r"makes? up|made up)\s+(?:about |around |roughly |nearly |some |just )?$", re.I)
_INDEX_LABEL = re.compile(r"(?<![a-z])pmi(?![a-z])|index|指数|confidence|sentiment|景气", re.I)


def _money_over_money(c: Candidate) -> bool:
    """A ratio of two amounts in one currency: savings over monthly spending is a number of months."""
    return c.how == "ratio" and len(c.facts) == 2 and bool(c.facts[0].currency) and \
        c.facts[0].currency == c.facts[1].currency


def _example_rates(pool: list[Candidate]) -> set[float]:
    """What a worked example multiplies its amount by: a rate (4.6% → 0.046, or 1.046 for growth),
    a price or per-unit figure (0.8298, 每万份收益 0.4383 per 10,000 units)."""
    rates: set[float] = set()
    for c in pool:
        if c.unit == "%" and c.value:
            rates.update({abs(c.value) / 100.0, 1.0 + c.value / 100.0})
        elif c.direct and c.unit in ("", "ratio", "currency") and c.value:
            rates.update({abs(c.value), abs(c.value) / 1e4})
    return rates


def _assumed_amount(n: NumberMention, text: str) -> bool:
    """A round amount a text assumes to work an example ("a £10,000 investment", 以存一万元为例)."""
    value = abs(n.value)
    if n.kind not in ("currency", "plain") or value < 1 or n.signed:
        return False
    mantissa = value / 10 ** math.floor(math.log10(value))
    if not any(math.isclose(mantissa, m) for m in (1.0, 2.0, 2.5, 5.0)):
        return False
    return bool(_EXAMPLE_BEFORE.search(text[max(0, n.start - 24) : n.start])
                or _EXAMPLE_AFTER.match(text[n.end : n.end + 16]))


_RELATIVE_MOVE = re.compile(r"gave back|gives back|give back|gave up|gives up|give up|回吐")  # relative to an intraday high
_STRONG_MOVE = re.compile(r"[\u4e00-\u9fff]{2,}|in the (?:red|black)|into the (?:red|black)")
_ABOVE = re.compile(r"(?:\b(?:more than|over|above|at least|upwards of|well over)\s+(?:a\s+)?|超过|超|逾|多于|不止)$", re.I)
_TENTHS = re.compile(r"成[一二三四五六七八九]?$")
_HEDGE_BELOW = re.compile(r"(?:近|接近|将近)$")
_BELOW = re.compile(r"(?:\b(?:less than|under|below|just under|not quite|nearly|almost|close to)\s+(?:a\s+)?|不到|不足|少于|近|接近|将近)$",
                    re.I)  # for worded quantities only: "nearly tripled", 近一半


def _is_level(claim: NumberClaim) -> bool:
    """Whether a figure states a level rather than a gap: "its benchmark's 1.67%", not "by 25 bp"."""
    return not claim.number.signed and claim.number.kind != "pp" and "个点" not in claim.number.text  # 高出0.2个点


def _word_bound(n: NumberMention, text: str) -> str | None:
    """"above"/"below" when a worded quantity (double, a third, 一半, 三成) follows "more than" / 不到."""
    if re.search(r"\d", n.text) or n.kind not in ("times", "percent"):
        return None
    before = text[max(0, n.start - 16) : n.start]
    if _TENTHS.search(n.text) and _HEDGE_BELOW.search(before):
        return "near"  # 近四成 is four tenths rounded, hedged: a hedge does not widen it (34% is 三成)
    return "above" if _ABOVE.search(before) else "below" if _BELOW.search(before) else None


def _describe_periods(periods: Iterable[Period]) -> str:
    return ", ".join(f"{p.start}..{p.end}" for p in list(periods)[:4])


def _shown(value: float, n: NumberMention) -> str:
    exp = Decimal(1).scaleb(-n.decimals)
    with localcontext() as ctx:
        ctx.prec = 60
        shown = Decimal(f"{abs(value) / n.scale:.12g}").quantize(exp, rounding=ROUND_HALF_UP)
    return f"{shown:f}"


def _coerce_facts(facts: FactSet | Sequence[Fact] | Mapping[str, Any] | str) -> FactSet:
    if isinstance(facts, FactSet):
        return facts
    if isinstance(facts, Mapping):
        return facts_from_dict(facts)
    if isinstance(facts, Sequence) and not isinstance(facts, str) and facts and \
            all(isinstance(f, Mapping) for f in facts):
        return facts_from_dict(list(facts))  # type: ignore[arg-type]
    if isinstance(facts, str):
        raise ConfigError("facts must be a FactSet, a list of Fact or a dict; got a str. "
                          "Parse JSON first (finloom.textgen.facts_from_json).")
    return FactSet.coerce(facts)  # type: ignore[arg-type]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _detect_lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def _repair(text: str, issues: Iterable[GuardIssue]) -> str | None:
    out = text
    for issue in sorted(issues, key=lambda i: i.start, reverse=True):
        if issue.kind == "missing_disclaimer" and issue.replacement:
            out = out.rstrip() + "\n" + issue.replacement
        elif issue.replacement is not None:
            out = out[: issue.start] + issue.replacement + out[issue.end :]
        else:
            return None
    return out


def _tally(report: GuardReport, supported: bool, direction: Mention, why: str) -> None:
    """Count one direction claim; when the facts contradict it, add the issue that says why."""
    report.n_claims += 1
    if supported:
        report.n_supported += 1
    else:
        report.issues.append(GuardIssue("contradicted", direction.start, direction.end, direction.text, why, None,
                                        None, "direction"))


_TRANSACTION_KEY = re.compile(r"transaction|txn|action|event|movement|entry", re.I)
_WHOLE_YEAR = re.compile(r"full[- ]year|whole[- ]year|the full year|全年|全年度", re.I)
_FROM_ZH = re.compile(r"[由从]\s*$")
_TO_ZH = re.compile(r"\s*了?\s*[至到]\s*")
_TO_LEAD = re.compile(r"\s+(?:by [^,;.]{1,20}\s+)?to\s+", re.I)
_FROM_AFTER = re.compile(r"\s+(?:(?:in|on|at|for|per) [^,;.\d]{1,25}?(?:\s\d{4})?\s+)?from\s+", re.I)
_ADJUST = re.compile(r"上调|下调|调升|调降|调高|调低|上修|下修|raised|lowered|lifted|cut|trimmed|upgraded|downgraded", re.I)
_RANGE_JOIN = re.compile(r"\s*[-–~～至到]\s*")
_SET_TO_ZH = re.compile(r"\s*(?:调整|修订|修改|更改|改|变|下调|上调|调)?(?:为|至|到)\s*")


def _ranged_move(numbers: list[NumberMention], d: Mention, text: str) -> tuple[NumberMention, NumberMention] | None:
    """An adjustment word before "由A(-A2)调整为B(-B2)" in its sentence: (A, B), the range's low end before and after."""
    if not _ADJUST.fullmatch(d.text):
        return None
    for i, a in enumerate(numbers):
        if a.start < d.end or a.start - d.end > 40 or re.search(r"[。；;!?！？\n]", text[d.end : a.start]):
            continue
        if not _FROM_ZH.search(text[max(0, a.start - 3) : a.start]):
            continue
        tail = i + 1 if i + 1 < len(numbers) and _RANGE_JOIN.fullmatch(text[a.end : numbers[i + 1].start]) else i
        if tail + 1 < len(numbers) and _SET_TO_ZH.fullmatch(text[numbers[tail].end : numbers[tail + 1].start]):
            b = numbers[tail + 1]
            return (a, b) if a.kind == b.kind and a.value != b.value else None
        return None
    return None


# "strengthened the yuan fixing to 7.1135 from 7.1101": the thing moved, named between the verb and "to"
_OBJECT_TO = re.compile(r"\s+the\s+(?:[A-Za-z]+\s+){1,3}to\s+", re.I)


def _quoted_in_other(words: str, facts: FactSet) -> bool:
    """Whether the words name a currency that the facts' pair quotes in ("the yuan fixing … per dollar"
    of USD/CNY): a rate that goes up is that currency weakening."""
    quotes = {p[1] for f in facts for p in (pair_codes(f.entity or "") or pair_codes(f.label or ""),) if p}
    named = currency_of(words)
    return named is not None and named in quotes


_FROM_EN = re.compile(r"\s+(?:by [^,;.]{1,20}\s+)?from\s+(?:a (?:low|high) of\s+)?", re.I)
_TO_EN = re.compile(r"\s+(?:in [A-Z][a-z]+\s+)?to\s+", re.I)


def _start_end_moves(facts: FactSet, entity: Mention | None, currency: str | None) -> set[str]:
    """Moves of a subject the facts give as a level at the start and at the end of their period (月初 7.19 and
    月末 7.13, rate_start and rate_end): "the yuan strengthened" when USD/CNY went from 7.19 to 7.13."""
    out: set[str] = set()
    for a, b in itertools.combinations(facts.facts, 2):
        pair = before_after(a, b)
        if pair is None or pair[0].value == pair[1].value or pair[0].direction or pair[1].direction:
            continue
        move = "up" if pair[1].value > pair[0].value else "down"
        codes = pair_codes(a.entity or "") or pair_codes(a.label or "")
        if currency and codes and currency in codes:
            out.add(move if currency == codes[0] else "down" if move == "up" else "up")
        elif not currency and entity is not None and entity.value in a.entities:
            out.add(move)
    return out


_NUMBER_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "fifteen": 15, "twenty": 20}
_YEARS_TO = re.compile(r"\b(\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")[- ]years?\s+(?:to|through|ending(?: in)?|until|up to)"
                       r"\s+(?:the end of\s+|end-)?$", re.I)


def _years_to(text: str, p: PeriodMention) -> int | None:
    """N in "over the five years to December 2023": a span of several years ending at the period written."""
    m = _YEARS_TO.search(text[max(0, p.start - 40) : p.start])
    if m is None:
        return None
    word = m.group(1).lower()
    n = int(word) if word.isdigit() else _NUMBER_WORDS[word]
    return n if n >= 2 else None


_SINCE = re.compile(r"(?:\bsince|自|从)\s*(?:the (?:start|beginning) of\s+)?$", re.I)
_WEEKLY = re.compile(r"week|周", re.I)
_SINCE_AFTER = re.compile(r"(?:份)?(?:以来|至今|以后累计)")
_DATELINE_AFTER = re.compile(r"\s*(?:[:：—–|]|-\s)")


def _dateline(p: PeriodMention, text: str) -> bool:
    """A day heading the text ("Call summary 14 Oct: ...", "3月5日 | ..."): when it was written, not a claim."""
    return p.grain == "day" and p.start < 40 and not re.search(r"\d", text[: p.start]) and \
        not re.search(r"[.;。；!?！？\n]", text[: p.start].rstrip()) and bool(_DATELINE_AFTER.match(text, p.end))


def _remainders(periods: list[Period]) -> list[Period]:
    """The rest of a period once a part at its start or end is taken away (H1 − Q2 = Q1, 2024 − H1 = H2)."""
    out = []
    for outer in periods:
        for inner in periods:
            if inner == outer or not (outer.start <= inner.start and inner.end <= outer.end):
                continue
            if inner.start == outer.start and inner.end < outer.end:
                out.append(Period(inner.end + dt.timedelta(days=1), outer.end))
            elif inner.end == outer.end and inner.start > outer.start:
                out.append(Period(outer.start, inner.start - dt.timedelta(days=1)))
    return out

