"""Rule-based recognisers for money amounts, percentages, dates and tickers; span merging."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Span", "find_rule_spans", "merge_spans", "word_offsets"]

_SCALE = r"(?:\s?(?:million|billion|thousand|trillion|mn|bn|m|k)\b)?"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|"
          r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
PATTERNS: dict[str, re.Pattern[str]] = {
    "MONEY": re.compile(
        rf"(?:US\$|[$€£¥]|\b(?:USD|EUR|GBP|JPY|CNY|RMB|CHF)\s?)(?:{_NUM}){_SCALE}"
        rf"|\b(?:{_NUM}){_SCALE}\s?(?:dollars|euros|pounds|yuan|USD|EUR|GBP|CNY|RMB)\b",
        re.IGNORECASE,
    ),
    "PERCENT": re.compile(
        rf"(?<![\w.])(?:{_NUM})\s?(?:%|percent\b|per cent\b|basis points\b|bps\b)", re.IGNORECASE
    ),
    "DATE": re.compile(
        rf"\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
        rf"|\b{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTH}\s\d{{4}}\b"
        rf"|\b(?:Q[1-4]|H[12]|FY)\s?\d{{4}}\b|\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?"
    ),
    "TICKER": re.compile(
        r"(?<![\w$])\$[A-Z]{1,5}(?:\.[A-Z]{1,2})?\b"
        r"|\b(?:NYSE|NASDAQ|Nasdaq|LSE|HKEX|TSX):\s?[A-Z0-9]{1,6}(?:\.[A-Z]{1,2})?\b"
    ),
}
_WORD = re.compile(r"\w+(?:[.,'’&-]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Span:
    """A typed character span ``text[start:end]`` found by a rule or a model."""

    label: str
    start: int
    end: int
    text: str
    source: str = "rule"


def find_rule_spans(text: str, *, labels: Iterable[str] | None = None) -> list[Span]:
    """Find money amounts, percentages, dates and tickers in ``text`` (non-overlapping).

    Examples
    --------
    >>> [(s.label, s.text) for s in find_rule_spans("$AAPL rose 3.5% to $1.2 billion on 2024-01-31")]
    [('TICKER', '$AAPL'), ('PERCENT', '3.5%'), ('MONEY', '$1.2 billion'), ('DATE', '2024-01-31')]
    """
    wanted = set(PATTERNS) if labels is None else set(labels)
    found = [
        Span(label, m.start(), m.end(), m.group(0))
        for label, pattern in PATTERNS.items()
        if label in wanted
        for m in pattern.finditer(text)
    ]
    return merge_spans([], found)


def merge_spans(model_spans: Iterable[Span], rule_spans: Iterable[Span]) -> list[Span]:
    """Merge spans without overlaps: longer spans win; on equal length the (high-precision) rule wins.

    Examples
    --------
    >>> m = [Span("ORG", 0, 4, "Acme", "model")]
    >>> r = [Span("MONEY", 10, 13, "$5m"), Span("TICKER", 0, 3, "Acm")]
    >>> [(s.label, s.start) for s in merge_spans(m, r)]
    [('ORG', 0), ('MONEY', 10)]
    """
    candidates = [*model_spans, *rule_spans]
    ranked = sorted(candidates, key=lambda s: (-(s.end - s.start), s.source == "model", s.start))
    kept: list[Span] = []
    for span in ranked:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: (s.start, s.end))


def word_offsets(text: str) -> list[tuple[str, int, int]]:
    """Split ``text`` into words and punctuation with character offsets.

    Examples
    --------
    >>> word_offsets("Acme, Inc. pays")
    [('Acme', 0, 4), (',', 4, 5), ('Inc', 6, 9), ('.', 9, 10), ('pays', 11, 15)]
    """
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
