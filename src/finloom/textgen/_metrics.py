"""Metric words in text ("net profit", 不良率, "dining") and the facts each one can refer to."""

from __future__ import annotations

import re
from collections.abc import Iterable

from finloom.textgen._extract import Mention, find_mentions
from finloom.textgen._facts import Fact, FactSet
from finloom.textgen._lexicon import METRIC_SYNONYMS

__all__ = ["MetricIndex", "metric_terms"]

# Words too generic to tie a number to one metric.
_GENERIC = {"ratio", "rate", "total", "value", "level", "change", "amount", "net", "share", "growth", "index",
            "avg", "average", "end", "period", "monthly", "annual", "yoy", "qoq", "mom", "ytd", "chg", "pct",
            "of", "the", "and", "per", "in", "on", "to", "by", "for", "a", "an", "month", "quarter", "year",
            "daily", "weekly", "current", "latest", "prior", "previous", "last", "new", "number", "count",
            "return", "returns", "performance", "move", "price", "close", "closing", "gain", "loss", "flow",
            "flows", "income", "balance", "fee", "fees", "spending", "spend", "cost", "costs", "ending"}
_GENERIC_TERMS = {"change", "move", "moved", "变动", "变化", "涨跌", "total", "in all", "overall", "合计", "总计",
                  "总共", "总额", "income", "收入", "收益", "表现", "performance", "资金", "规模"}


def metric_terms(fact: Fact) -> set[str]:
    """Surface forms (English and Chinese) of a fact's metric name.

    Examples
    --------
    >>> sorted(metric_terms(Fact("x", 1.0, label="dining")))
    ['dining', 'eating out', 'food and drink', 'meals', 'restaurants', '吃饭', '外卖', '下馆子', '餐饮']
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
    return {t for t in terms if t not in _GENERIC_TERMS}


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
        for f in facts:
            for t in metric_terms(f):
                self.by_term.setdefault(t.lower(), set()).add(f.id)

    def find(self, text: str, *, skip: Iterable[tuple[int, int]] = ()) -> list[Mention]:
        """Metric words in ``text`` (longest first, outside ``skip`` spans)."""
        blocked = list(text)
        for a, b in skip:
            blocked[a:b] = ["\x00"] * (b - a)
        masked = "".join(blocked)
        return [m for m in find_mentions(masked, [(t, t) for t in self.by_term]) if "\x00" not in m.text]

    def fact_ids(self, mention: Mention) -> set[str]:
        """Ids of the facts a metric mention can refer to."""
        return self.by_term.get(mention.value.lower(), set())
