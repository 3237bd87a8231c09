"""Metric words in text ("net profit", 不良率, "dining") and the facts each one can refer to."""

from __future__ import annotations

import re
from collections.abc import Iterable

from finloom.textgen._extract import Mention, find_mentions
from finloom.textgen._facts import Fact, FactSet
from finloom.textgen._lexicon import EXCLUSIVE_CATEGORIES, METRIC_SYNONYMS

__all__ = ["MetricIndex", "metric_terms"]

# Words too generic to tie a number to one metric.
_GENERIC = {"ratio", "rate", "total", "value", "level", "change", "amount", "net", "share", "growth", "index",
            "avg", "average", "end", "period", "monthly", "annual", "yoy", "qoq", "mom", "ytd", "chg", "pct",
            "of", "the", "and", "per", "in", "on", "to", "by", "for", "a", "an", "month", "quarter", "year",
            "daily", "weekly", "current", "latest", "prior", "previous", "last", "new", "number", "count",
            "return", "returns", "performance", "move", "price", "close", "closing", "gain", "loss", "flow",
            "flows", "income", "balance", "fee", "fees", "spending", "spend", "cost", "costs", "ending", "paid", "week",
            "received", "used"}
_GENERIC_TERMS = {"change", "move", "moved", "变动", "变化", "涨跌", "total", "in all", "overall", "合计", "总计",
                  "总共", "总额", "income", "收入", "收益", "表现", "performance", "资金", "规模"}


def metric_terms(fact: Fact) -> set[str]:
    """Surface forms (English and Chinese) of a fact's metric name.

    Examples
    --------
    >>> sorted(metric_terms(Fact("x", 1.0, label="dining")))
    ['dining', 'eating out', 'food and drink', 'meals', 'restaurants', 'takeaways', '下馆子', '吃饭', '外卖', '美食', '餐饮']
    """
    label = fact.label.strip().lower()
    if not label:
        return set()
    tokens = re.split(r"[\s_]+", label)
    terms: set[str] = set()
    if label not in _GENERIC and not label.isdigit():
        terms.add(label)
    for i in range(len(tokens)):
        for j in range(len(tokens), i, -1):
            key = "_".join(tokens[i:j])
            if key in METRIC_SYNONYMS:
                terms.update(METRIC_SYNONYMS[key])
            elif j - i == 1 and len(key) >= 4 and key not in _GENERIC and key.isalpha():
                terms.add(key)
    stem = " ".join(t for t in tokens if t not in _CHANGE_WORDS)
    if stem and stem != label and stem not in _GENERIC:
        terms.add(stem)  # "bank rate change" is also about "bank rate"
        if stem.replace(" ", "_") in METRIC_SYNONYMS:
            terms.update(METRIC_SYNONYMS[stem.replace(" ", "_")])
    if _PRIOR_WORDS & set(tokens):  # "m1_yoy_prior_year" is still M1, a year back
        earlier = " ".join(t for t in tokens if t not in _PRIOR_WORDS | _GRAIN_WORDS | _CHANGE_WORDS)
        if earlier and earlier not in _GENERIC:
            terms.add(earlier)
    return {v for t in terms if t not in _GENERIC_TERMS for v in _inflections(t)}


_PRIOR_WORDS = {"prior", "prev", "previous", "last", "earlier"}
_GRAIN_WORDS = {"year", "yr", "y", "month", "mo", "m", "quarter", "qtr", "q", "week", "wk", "day", "period"}


_CHANGE_WORDS = {"change", "chg", "delta", "diff", "growth", "yoy", "qoq", "mom", "ytd", "move", "cut", "hike"}
_SUFFIX = re.compile(r"(?:ments?|ions?|als?)$")


def _inflections(term: str) -> set[str]:
    """A one-word English term with its common inflections: settlement → settled, settles, settling."""
    if " " in term or not term.isascii() or not term.isalpha() or len(term) < 6 or not _SUFFIX.search(term):
        return {term}
    base = _SUFFIX.sub("", term)
    if len(base) < 5:
        return {term}
    stem = base[:-1] if base.endswith("e") else base
    return {term, base, stem + "ed", stem + "es", stem + "ing", base + "s"}


_BLOCK = "\x01"
_LEXICON_TERMS = {t.lower() for terms in METRIC_SYNONYMS.values() for t in terms}


class MetricIndex:
    """Maps metric words in text to the ids of the facts they can name.

    Examples
    --------
    >>> fs = FactSet([Fact("d", 120.0, label="dining"), Fact("g", 80.0, label="groceries")])
    >>> idx = MetricIndex(fs)
    >>> [(m.text, sorted(idx.fact_ids(m))) for m in idx.find("Dining cost 120 and groceries 80.")]
    [('Dining', ['d']), ('groceries', ['g'])]
    """

    def __init__(self, facts: FactSet) -> None:
        self.by_term: dict[str, set[str]] = {}
        self.units = {f.id: f.unit for f in facts}
        self.labels = {f.id: f.label or "" for f in facts}
        self._with_terms: set[str] = set()
        self.category: dict[str, str] = {}  # spending-category word -> category, for words no fact uses
        for f in facts:
            for t in metric_terms(f):
                self.by_term.setdefault(t.lower(), set()).add(f.id)
                self._with_terms.add(f.id)
        self.fact_category = {f.id: c for f in facts for c in EXCLUSIVE_CATEGORIES
                              if c in re.split(r"[\s_]+", f.label.lower())
                              or any(t in metric_terms(f) for t in METRIC_SYNONYMS[c][:1])}
        for c in EXCLUSIVE_CATEGORIES:
            for t in METRIC_SYNONYMS[c]:
                self.category.setdefault(t.lower(), c)
        terms = {t: t for t in self.by_term} | {t: t for t in self.category if t not in self.by_term}
        # a longer lexicon phrase no fact uses still hides a term inside it (剩余额度 is no 余额); one that
        # starts or ends with a fact's term is that term qualified (核心CPI) and hides nothing
        terms |= {t: _BLOCK for t in _LEXICON_TERMS if t not in terms and any(x in t for x in self.by_term)
                  and not any(t.startswith(x) or t.endswith(x) for x in self.by_term)}
        self._surfaces = list(terms.items())  # what find() looks for, fixed by the facts

    def find(self, text: str, *, skip: Iterable[tuple[int, int]] = ()) -> list[Mention]:
        """Metric words in ``text`` (longest first, outside ``skip`` spans), and spending-category words
        that no fact uses (so "spent $248 on public transport" can be told from a fuel fact)."""
        blocked = list(text)
        for a, b in skip:
            blocked[a:b] = ["\x00"] * (b - a)
        masked = "".join(blocked)
        return [m for m in find_mentions(masked, self._surfaces) if "\x00" not in m.text and m.value != _BLOCK]

    def other_category(self, mention: Mention, fact_ids: Iterable[str]) -> str | None:
        """The spending category a word names when it is not the category of the given facts."""
        cat = self.category.get(mention.value.lower())
        if cat is None or self.by_term.get(mention.value.lower()):
            return None
        cats = {self.fact_category.get(i) for i in fact_ids} - {None}
        return cat if cats and cat not in cats else None

    def has_terms(self, fact_id: str) -> bool:
        """Whether any metric word names this fact (a generic label such as "change" has none)."""
        return fact_id in self._with_terms

    def fact_ids(self, mention: Mention) -> set[str]:
        """Ids of the facts a metric mention can refer to."""
        return self.by_term.get(mention.value.lower(), set())
