"""The faithfulness guard: every number, date, entity and direction in a text must match a fact."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from finloom.errors import ConfigError, FinloomError
from finloom.textgen._extract import (
    DateMention,
    Mention,
    NumberMention,
    extract_dates,
    extract_directions,
    extract_numbers,
    find_mentions,
)
from finloom.textgen._facts import Fact, FactSet, format_value
from finloom.textgen._template import DEFAULT_DISCLAIMERS

__all__ = ["FaithfulnessGuard", "GuardIssue", "GuardReport", "UnfaithfulTextError"]

Policy = Literal["reject", "repair", "fallback"]
KNOWN_ENTITIES = (
    "Dow Jones", "FTSE 100", "Nikkei 225", "Nikkei", "Hang Seng", "DAX", "CAC 40", "Euro Stoxx 50",
    "Russell 2000", "Brent", "Gold", "Bitcoin", "道琼斯", "恒生指数", "日经225", "富时100", "沪深300",
    "上证指数", "黄金", "比特币", "布伦特原油",
)  # names the guard recognises even when no fact mentions them (so a swap to them is caught)
_BOUNDARY = re.compile(r"[。！？!?\n]|\.(?=\s|$)")
_CLAUSE = re.compile(r"[,;:，；：（）()]|\d")
_SEPARATOR = re.compile(r"[,;，；]")
_LOOKAHEAD = 12
_UNIT_OK = {
    "percent": {"%", "pp"},
    "currency": {"currency"},
    "times": {"ratio", ""},
    "days": {"days", "count"},
    "points": {"points", ""},
    "plain": {"", "points", "ratio", "count", "days", "currency"},
}


class UnfaithfulTextError(FinloomError):
    """Generated text states something the facts do not support (policy ``reject``)."""

    status_code = 422

    def __init__(self, message: str, report: GuardReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class GuardIssue:
    """One flagged claim: ``kind`` is unsupported, contradicted or missing_disclaimer.

    ``replacement`` holds the correctly formatted value when the guard knows it (used by repair).

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
        """Count of number claims flagged as unsupported or contradicted."""
        return sum(i.kind != "missing_disclaimer" for i in self.issues)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able summary for APIs and audit logs."""
        return {"ok": self.ok, "score": self.score, "n_claims": self.n_claims,
                "policy_applied": self.policy_applied,
                "issues": [vars(i) for i in self.issues]}


@dataclass
class _Sentence:
    start: int
    end: int
    entities: list[Mention]


class FaithfulnessGuard:
    """Check generated text against facts with explicit rounding tolerances.

    A number written with ``d`` decimals matches a fact when they differ by at most half a unit
    in the last written digit (times the scale word: "1.2 billion" allows ±0.05 billion), plus
    ``extra_abs_tol`` and ``rel_tol`` × |fact|. Directions (rose/fell, 上涨/下跌) must agree with
    the fact's direction; a number must match a fact of the entity it is written next to; dates must
    be a fact's period bound or date (months, quarters and years must overlap a period).

    Parameters
    ----------
    require_disclaimer : bool
        Flag texts that do not contain the facts' (or default) disclaimer for their language.
    extra_abs_tol, rel_tol : float
        Extra tolerance on top of the rounding tolerance.

    Examples
    --------
    >>> from finloom.textgen import Fact
    >>> facts = [Fact("spx:ret", -3.456, unit="%", entity="S&P 500", direction="down")]
    >>> g = FaithfulnessGuard(require_disclaimer=False)
    >>> g.check("The S&P 500 fell 3.5% this quarter.", facts).ok
    True
    >>> [i.kind for i in g.check("The S&P 500 rose 3.5%.", facts).issues]
    ['contradicted']
    >>> g.check("标普500下跌百分之三点五。", facts, aliases={"S&P 500": ["标普500"]}).ok
    True
    """

    def __init__(self, *, require_disclaimer: bool = True, extra_abs_tol: float = 0.0,
                 rel_tol: float = 0.0) -> None:
        self.require_disclaimer = require_disclaimer
        self.extra_abs_tol = extra_abs_tol
        self.rel_tol = rel_tol

    # -- public --------------------------------------------------------------------------------
    def check(self, text: str, facts: FactSet | Sequence[Fact], *, lang: str | None = None,
              aliases: dict[str, list[str]] | None = None) -> GuardReport:
        """Flag unsupported and contradicted claims in ``text``; return a :class:`GuardReport`."""
        if not isinstance(text, str):
            raise ConfigError(f"text must be a str; got {type(text).__name__}.")
        fs = FactSet.coerce(facts)
        lang = lang or _detect_lang(text)
        report = GuardReport(text)
        entities = self._entities(text, fs, aliases or {})
        dates = extract_dates(text)
        skip = [(e.start, e.end) for e in entities] + [(d.start, d.end) for d in dates]
        numbers = extract_numbers(text, skip=skip)
        directions = extract_directions(text, skip=skip)
        for sentence in _sentences(text, entities):
            in_s = [n for n in numbers if sentence.start <= n.start < sentence.end]
            for n in in_s:
                self._check_number(n, sentence, directions, in_s, fs, lang, report)
        known = set(fs.entities())
        for e in entities:
            report.n_claims += 1
            if e.value in known:
                report.n_supported += 1
            else:
                report.issues.append(GuardIssue("unsupported", e.start, e.end, e.text,
                                                f"entity {e.text!r} is not named by any fact"))
        for d in dates:
            self._check_date(d, fs, report)
        if self.require_disclaimer:
            self._check_disclaimer(text, fs, lang, report)
        report.issues.sort(key=lambda i: i.start)
        return report

    def enforce(self, text: str, facts: FactSet | Sequence[Fact], *, policy: Policy = "reject",
                fallback: str | None = None, lang: str | None = None) -> tuple[str, GuardReport]:
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

    # -- steps ---------------------------------------------------------------------------------
    def _entities(self, text: str, fs: FactSet, aliases: dict[str, list[str]]) -> list[Mention]:
        names: list[tuple[str, str]] = []
        for e in fs.entities():
            names += [(a, e) for a in [*fs.aliases(e), *aliases.get(e, [])]]
        known_surfaces = {s for s, _ in names}
        names += [(k, "?" + k) for k in KNOWN_ENTITIES if k not in known_surfaces]
        return find_mentions(text, names)

    def _tolerance(self, n: NumberMention, fact: Fact) -> float:
        return n.tol * (1 + 1e-9) + 1e-12 + self.extra_abs_tol + self.rel_tol * abs(fact.value)

    def _matches(self, n: NumberMention, fact: Fact) -> bool:
        if fact.unit not in _UNIT_OK[n.kind]:
            return False
        if n.currency and fact.currency and n.currency != fact.currency:
            return False
        written = n.value if n.signed and fact.direction is None else abs(n.value)
        target = fact.value if n.signed and fact.direction is None else abs(fact.value)
        return abs(written - target) <= self._tolerance(n, fact)

    def _check_number(self, n: NumberMention, s: _Sentence, directions: list[Mention],
                      numbers: list[NumberMention], fs: FactSet, lang: str,
                      report: GuardReport) -> None:
        report.n_claims += 1
        attached = _attached_entity(n, s.entities)
        mentioned = {e.value for e in s.entities}
        cands = [f for f in fs if _is_candidate(f, attached, mentioned)]
        hits = [f for f in cands if self._matches(n, f)]
        if not hits:
            self._flag_number(n, fs, cands, lang, report)
            return
        text_dir = _direction_of(n, directions, numbers, report.text)
        agree = [f for f in hits if _direction_agrees(text_dir, f)]
        if agree:
            report.n_supported += 1
            return
        fact = hits[0]
        word = {"up": "a rise", "down": "a fall", "flat": "no change"}[text_dir or "flat"]
        report.issues.append(GuardIssue(
            "contradicted", n.start, n.end, n.text,
            f"the text states {word} but fact {fact.id!r} is {fact.direction or 'signed'} "
            f"({fact.value:g})", fact.id, None))

    def _flag_number(self, n: NumberMention, fs: FactSet, cands: list[Fact], lang: str,
                     report: GuardReport) -> None:
        others = [f for f in fs if f not in cands and self._matches(n, f)]
        same_kind = [f for f in cands if f.entities and f.unit in _UNIT_OK[n.kind]]
        if others:
            report.issues.append(GuardIssue(
                "contradicted", n.start, n.end, n.text,
                f"{n.text!r} matches fact {others[0].id!r} of another entity, not the one named here",
                others[0].id))
        elif same_kind:
            best = min(same_kind, key=lambda f: abs(abs(f.value) - abs(n.value)))
            report.issues.append(GuardIssue(
                "contradicted", n.start, n.end, n.text,
                f"{n.text!r} differs from fact {best.id!r} = {best.value:g} beyond rounding "
                f"tolerance {n.tol:g}", best.id, format_value(best, lang)))
        else:
            report.issues.append(GuardIssue("unsupported", n.start, n.end, n.text,
                                            f"no fact supports the number {n.text!r}"))

    def _check_date(self, d: DateMention, fs: FactSet, report: GuardReport) -> None:
        report.n_claims += 1
        exact_days = {f.date for f in fs if f.date} | {
            day for f in fs if f.period for day in (f.period.start, f.period.end)}
        periods = [f.period for f in fs if f.period]
        if d.exact:
            ok = d.first in exact_days
        else:
            ok = any(p.start <= d.last and d.first <= p.end for p in periods) or any(
                d.first <= day <= d.last for day in exact_days)
        if ok:
            report.n_supported += 1
        else:
            report.issues.append(GuardIssue("unsupported", d.start, d.end, d.text,
                                            f"date {d.text!r} is not a period or date of any fact"))

    def _check_disclaimer(self, text: str, fs: FactSet, lang: str, report: GuardReport) -> None:
        required = fs.disclaimers.get(lang, DEFAULT_DISCLAIMERS.get(lang, ""))
        if required and _squash(required) not in _squash(text):
            report.issues.append(GuardIssue(
                "missing_disclaimer", len(text), len(text), "",
                f"the required {lang} disclaimer is missing: {required!r}", "disclaimer", required))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()


def _detect_lang(text: str) -> str:
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def _sentences(text: str, entities: list[Mention]) -> list[_Sentence]:
    cuts = [0] + [m.end() for m in _BOUNDARY.finditer(text)] + [len(text)]
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if b > a:
            out.append(_Sentence(a, b, [e for e in entities if a <= e.start < b]))
    return out


def _attached_entity(n: NumberMention, entities: list[Mention]) -> str | None:
    before = [e for e in entities if e.end <= n.start]
    if before:
        return before[-1].value
    after = [e for e in entities if e.start >= n.end]
    return after[0].value if after else None


def _is_candidate(f: Fact, attached: str | None, mentioned: set[str]) -> bool:
    if not f.entities:
        return True
    if attached is None:
        return True
    return attached in f.entities and set(f.entities) <= mentioned


def _direction_of(n: NumberMention, directions: list[Mention], numbers: list[NumberMention],
                  text: str) -> str | None:
    if n.signed and n.value < 0:
        return "down"
    prev_end = max((m.end for m in numbers if m.end <= n.start), default=-1)
    words = [d for d in directions if prev_end <= d.start and d.end <= n.start
             and not _SEPARATOR.search(text[d.end : n.start])]
    if words:
        return words[-1].value
    # "a 3.5% drop", "3.5% lower": a direction word right after the number, in the same clause
    after = [d for d in directions if n.end <= d.start <= n.end + _LOOKAHEAD
             and not _CLAUSE.search(text[n.end : d.start])]
    return after[0].value if after else None


def _direction_agrees(text_dir: str | None, fact: Fact) -> bool:
    if text_dir is None or fact.direction is None:
        return True
    return text_dir == fact.direction


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
