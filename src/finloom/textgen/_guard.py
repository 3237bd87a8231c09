"""The faithfulness guard: every number, period, entity and direction in a text must match a fact.

A number is supported when a fact — or a value one simple step away from the facts (a difference,
relative change, ratio, share, complement, sum, or the level before a stated change) — rounds,
half away from zero, to the number at the precision the text shows, and nothing the text attaches
to the number (entity, metric, period, comparison basis, direction) contradicts that fact.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from finloom.errors import ConfigError, FinloomError
from finloom.textgen._claims import NumberClaim, TextReading, read_text
from finloom.textgen._derive import Candidate, candidates
from finloom.textgen._extract import NumberMention
from finloom.textgen._fact_loader import facts_from_dict
from finloom.textgen._facts import Fact, FactSet, Period, format_value
from finloom.textgen._metrics import MetricIndex
from finloom.textgen._periods import GRAIN_ORDER, PeriodMention, grain_of, shift_period
from finloom.textgen._template import DEFAULT_DISCLAIMERS

__all__ = ["FaithfulnessGuard", "GuardIssue", "GuardReport", "UnfaithfulTextError"]

Policy = Literal["reject", "repair", "fallback"]
MAX_TEXT_CHARS = 200_000
_UNITS_FOR_KIND = {
    "percent": {"%", ""},
    "pp": {"pp"},
    "currency": {"currency", ""},
    "times": {"ratio", ""},
    "points": {"points", ""},
    "days": {"days", "count", ""},
}
_PAIR = re.compile(r"^([A-Z]{3})\s?/?\s?([A-Z]{3})$")
_SHIFT = {"yoy": {"years": -1}, "qoq": {"grains": -1}, "mom": {"grains": -1}, "seq": {"grains": -1}}


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


@dataclass(frozen=True)
class _Conflict:
    reason: str
    message: str


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
        reading = read_text(text, fs, anchor=_anchor(fs), extra_aliases=aliases)
        pool = candidates(fs) if self.derive else [c for c in candidates(fs) if c.direct]
        metrics = MetricIndex(fs)
        for claim in reading.claims:
            self._check_claim(claim, pool, metrics, lang, report)
        self._check_periods(reading, fs, report)
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
        exp = Decimal(1).scaleb(-n.decimals)
        rounded = Decimal(f"{target:.12g}").quantize(exp, rounding=ROUND_HALF_UP)
        if rounded == Decimal(f"{written:.12g}").quantize(exp, rounding=ROUND_HALF_UP):
            return True
        extra = self.extra_abs_tol + self.rel_tol * abs(value)
        return extra > 0 and abs(abs(n.value) - abs(value)) <= n.tol + extra

    def _value_matches(self, n: NumberMention, c: Candidate) -> bool:
        if n.kind != "plain" and c.unit not in _UNITS_FOR_KIND[n.kind]:
            # a fraction stated as a percentage (0.0152 → 1.52 %) is a unit conversion
            return n.kind == "percent" and c.unit == "ratio" and abs(c.value) <= 1.5 \
                and self._rounds_to(n, c.value * 100)
        if n.kind == "currency" and n.currency and c.currency and n.currency != c.currency:
            return False
        if n.signed and c.direction is None and (n.value < 0) != (c.value < 0) and c.value != 0:
            return False
        return self._rounds_to(n, c.value)

    def _check_claim(self, claim: NumberClaim, pool: list[Candidate], metrics: MetricIndex, lang: str,
                     report: GuardReport) -> None:
        report.n_claims += 1
        n = claim.number
        hits = [c for c in pool if self._value_matches(n, c)]
        if not hits:
            self._flag_value(claim, pool, metrics, lang, report)
            return
        judged = [(c, _conflicts(claim, c, metrics)) for c in hits]
        if any(not conflicts for _, conflicts in judged):
            report.n_supported += 1
            return
        c, conflicts = min(judged, key=lambda cj: (len(cj[1]), not cj[0].direct))
        first = conflicts[0]
        report.issues.append(GuardIssue(
            "contradicted", n.start, n.end, n.text,
            f"{n.text!r} matches {c.describe()}, but {first.message}", c.facts[0].id, None, first.reason))

    def _flag_value(self, claim: NumberClaim, pool: list[Candidate], metrics: MetricIndex, lang: str,
                    report: GuardReport) -> None:
        n = claim.number
        same_kind = [c for c in pool if c.direct and (n.kind == "plain" or c.unit in _UNITS_FOR_KIND[n.kind])]
        fitting = [c for c in same_kind if not _conflicts(claim, c, metrics, value_only=True)]
        if fitting:
            best = min(fitting, key=lambda c: abs(abs(c.value) - abs(n.value)))
            fact = best.facts[0]
            shown = _shown(best.value, n)
            report.issues.append(GuardIssue(
                "contradicted", n.start, n.end, n.text,
                f"{n.text!r} does not match fact {fact.id!r} = {fact.value:g}; at the precision written "
                f"it would read {shown}", fact.id, format_value(fact, lang) if n.kind != "pp" else None,
                "wrong_number"))
        else:
            report.issues.append(GuardIssue(
                "unsupported", n.start, n.end, n.text,
                f"no fact supports the number {n.text!r}, directly or by one simple step "
                "(difference, relative change, ratio, share, complement, sum)", None, None,
                "unsupported_number"))

    # -- periods and disclaimers ---------------------------------------------------------------
    def _check_periods(self, reading: TextReading, fs: FactSet, report: GuardReport) -> None:
        allowed = _allowed_periods(fs)
        if not allowed:
            return
        for p in reading.periods:
            report.n_claims += 1
            if any(_period_fits(p, a, globally=True) for a in allowed):
                report.n_supported += 1
                continue
            report.issues.append(GuardIssue(
                "unsupported", p.start, p.end, p.text,
                f"period {p.text!r} ({p.first}..{p.last}) is not the period of any fact "
                f"(facts cover {_describe_periods(allowed)})", None, None, "period"))

    def _check_disclaimer(self, text: str, fs: FactSet, lang: str, report: GuardReport) -> None:
        required = fs.disclaimers.get(lang, DEFAULT_DISCLAIMERS.get(lang, ""))
        if required and _squash(required) not in _squash(text):
            report.issues.append(GuardIssue(
                "missing_disclaimer", len(text), len(text), "",
                f"the required {lang} disclaimer is missing: {required!r}", "disclaimer", required,
                "disclaimer"))


# -- context checks ----------------------------------------------------------------------------
def _conflicts(claim: NumberClaim, c: Candidate, metrics: MetricIndex, *, value_only: bool = False) -> list[_Conflict]:
    out: list[_Conflict] = []
    ent = claim.entity
    if ent is not None:
        if ent.value.startswith("?"):
            out.append(_Conflict("entity", f"the text attributes it to {ent.text!r}, which no fact is about"))
        elif c.entities and ent.value not in c.entities:
            out.append(_Conflict("entity", f"the text attributes it to {ent.text!r}, not {', '.join(sorted(c.entities))}"))
    metric = _metric_for(claim, metrics)
    if metric is not None:
        ids = metrics.fact_ids(metric)
        if not any(f.id in ids for f in c.facts):
            out.append(_Conflict("metric", f"the text says it is {metric.text!r}, which is another fact"))
    if value_only:
        return out
    if claim.period is not None and c.period is not None and not _period_fits(claim.period, c.period):
        out.append(_Conflict("period", f"the text gives the period {claim.period.text!r} but the value is for "
                                       f"{c.period.start}..{c.period.end}"))
    basis = _candidate_basis(c)
    if claim.basis and basis and not _basis_agrees(claim.basis, basis):
        out.append(_Conflict("basis", f"the text compares {_BASIS_WORDS[claim.basis]} but the value is "
                                      f"{_BASIS_WORDS[basis]}"))
    direction = _text_direction(claim, c)
    if direction and c.direction and direction != c.direction:
        word = {"up": "a rise", "down": "a fall", "flat": "no change"}[direction]
        out.append(_Conflict("direction", f"the text states {word} while the value is "
                                          f"{'a rise' if c.direction == 'up' else 'a fall' if c.direction == 'down' else 'unchanged'}"))
    return out


def _metric_for(claim: NumberClaim, metrics: MetricIndex) -> Any:
    """The nearest metric word whose facts could be written in the number's unit."""
    kind = claim.number.kind
    for m in claim.metrics:
        units = {metrics.units.get(i, "") for i in metrics.fact_ids(m)}
        if kind == "plain" or units & _UNITS_FOR_KIND[kind] or (kind == "pp" and "%" in units):
            return m
    return None


_BASIS_WORDS = {"yoy": "year on year", "qoq": "quarter on quarter", "mom": "month on month",
                "seq": "with the previous period (环比)", "ytd": "year to date", "wow": "week on week"}


def _basis_agrees(text_basis: str, fact_basis: str) -> bool:
    if text_basis == fact_basis:
        return True
    sequential = {"qoq", "mom", "seq", "wow"}
    return "seq" in (text_basis, fact_basis) and text_basis in sequential and fact_basis in sequential


def _candidate_basis(c: Candidate) -> str | None:
    if c.direct:
        return c.facts[0].basis
    if c.how in ("difference", "relative change") and len(c.facts) == 2:
        a, b = (f.period for f in c.facts)
        if a and b and a != b:
            if shift_period(a.start, a.end, years=1) == (b.start, b.end):
                return "yoy"
            if shift_period(a.start, a.end, grains=1) == (b.start, b.end):
                return {"quarter": "qoq", "month": "mom"}.get(grain_of(a.start, a.end), "seq")
    return None


def _text_direction(claim: NumberClaim, c: Candidate) -> str | None:
    direction = claim.direction
    if direction is None or not claim.subject_currency:
        return direction
    for e in c.entities:
        m = _PAIR.match(e.upper().replace("USDCNH", "USDCNY"))
        if m and claim.subject_currency == m.group(2):
            return {"up": "down", "down": "up"}.get(direction, direction)
    return direction


def _period_fits(p: PeriodMention, period: Period, *, globally: bool = False) -> bool:
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


def _allowed_periods(fs: FactSet) -> list[Period]:
    out: dict[tuple, Period] = {}
    for f in fs:
        if f.period:
            out[(f.period.start, f.period.end)] = f.period
            if f.basis in _SHIFT:
                prior = shift_period(f.period.start, f.period.end, **_SHIFT[f.basis])
                out[prior] = Period(*prior)
        if f.date:
            out[(f.date, f.date)] = Period(f.date, f.date)
    return list(out.values())


def _describe_periods(periods: Iterable[Period]) -> str:
    return ", ".join(f"{p.start}..{p.end}" for p in list(periods)[:4])


def _anchor(fs: FactSet) -> tuple | None:
    periods = Counter((f.period.start, f.period.end) for f in fs if f.period)
    if not periods:
        return None
    top = max(periods.values())
    return max((p for p, k in periods.items() if k == top), key=lambda p: p[1])


def _shown(value: float, n: NumberMention) -> str:
    exp = Decimal(1).scaleb(-n.decimals)
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
