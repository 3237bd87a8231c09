"""Rule-based recognisers for money amounts, percentages, dates and tickers; span merging."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Span", "find_rule_spans", "merge_spans", "word_offsets"]

_SCALE_EN = r"\s?(?:million|billion|thousand|trillion|mn|bn|m|k)(?![A-Za-z])"
_SCALE_ZH = r"\s?(?:万亿|亿|万|千)"
_SCALE = rf"(?:{_SCALE_EN})?"
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|Jun(?:e)?|Jul(?:y)?|"
          r"Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
# Boundaries are ASCII-only lookarounds rather than \b: Chinese characters count as word
# characters, so \b finds no edge in "支付5%利息" or "于2025-01-31".
_NOT_AFTER_NUM = r"(?<![0-9A-Za-z.])"
_SYMBOL = r"[A-Z]{2,5}(?:\.[A-Z]{1,2})?(?![A-Za-z0-9])"
# upper-case words that are not symbols: currencies, titles, company forms, common abbreviations
_NOT_TICKERS = (r"(?:USD|EUR|GBP|JPY|CNY|RMB|CHF|HKD|CEO|CFO|COO|CTO|LLC|LP|INC|LTD|PLC|CO|GDP|CPI|PMI|ETF|IPO|ESG|"
                r"API|USA|UK|EU|US|AI|OK|FY|VAT|ATM|PIN|SMS|FX|NYSE|NASDAQ|LSE|HKEX|SEC|FED|ECB|PBOC|ID|PDF|IBAN|"
                r"APR|AML|KYC|LIBOR|SOFR|TBD|NA|QE|EPS|PE|YOY|QOQ)(?![A-Za-z0-9])")
_MARKET_VERBS = (r"shares?|stock|stocks|rose|fell|gained|dropped|climbed|slid|jumped|closed|opened|traded|rallied|"
                 r"surged|plunged|sank|soared|rebounded|declined|advanced|lost|added|is up|is down|was up|was down|"
                 r"up \d|down \d|\+\d|-\d")
PATTERNS: dict[str, re.Pattern[str]] = {
    "MONEY": re.compile(
        rf"(?:US\$|HK\$|[$€£¥]|(?<![A-Za-z])(?:USD|EUR|GBP|JPY|CNY|RMB|CHF|HKD)\s?|人民币|美元|港币|港元)"
        rf"\s?(?:{_NUM})(?:{_SCALE_ZH}元?|元|{_SCALE_EN})?"
        rf"|{_NOT_AFTER_NUM}(?:{_NUM}){_SCALE}\s?(?:dollars|euros|pounds|yuan|USD|EUR|GBP|CNY|RMB)(?![A-Za-z])"
        rf"|{_NOT_AFTER_NUM}(?:{_NUM})(?:{_SCALE_ZH})?\s?(?:元|美元|欧元|英镑|港元|港币|人民币)",
        re.IGNORECASE,
    ),
    "PERCENT": re.compile(
        rf"{_NOT_AFTER_NUM}(?:{_NUM})\s?(?:%|％|个百分点|个基点|基点|percent\b|per cent\b|basis points\b|bps\b)"
        rf"|百分之(?:{_NUM})",
        re.IGNORECASE,
    ),
    "DATE": re.compile(
        rf"(?<![0-9])\d{{4}}-\d{{2}}-\d{{2}}(?![0-9])|(?<![0-9A-Za-z/])\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?![0-9A-Za-z/])"
        rf"|\b{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}(?![0-9])"
        rf"|(?<![0-9])\d{{1,2}}(?:st|nd|rd|th)?\s{_MONTH}\s\d{{4}}(?![0-9])"
        rf"|(?<![A-Za-z])(?:Q[1-4]|H[12]|FY)\s?\d{{4}}(?![0-9])|\d{{4}}年\d{{1,2}}月(?:\d{{1,2}}日)?"
        rf"|\d{{4}}年第?[一二三四1-4]季度"
    ),
    "TICKER": re.compile(
        r"(?<![A-Za-z0-9$])\$[A-Z]{1,5}(?:\.[A-Z]{1,2})?(?![A-Za-z0-9])"
        r"|(?<![A-Za-z])(?:NYSE|NASDAQ|Nasdaq|LSE|HKEX|TSX|SSE|SZSE):\s?[A-Z0-9]{1,6}(?:\.[A-Z]{1,2})?(?![A-Za-z0-9])"
        # a bare symbol where the words around it say it is one: "AAPL rose", "(MSFT)", "shares of TSLA"
        rf"|(?<![A-Za-z0-9$.])(?P<bare>(?!{_NOT_TICKERS}){_SYMBOL})(?=\s(?:{_MARKET_VERBS})(?![A-Za-z]))"
        rf"|(?<=\()(?P<paren>(?!{_NOT_TICKERS}){_SYMBOL})(?=\))"
        rf"|(?:(?<=shares of )|(?<=ticker )|(?<=symbol )|(?<=stock )|(?<=股票)|(?<=代码))(?P<named>(?!{_NOT_TICKERS}){_SYMBOL})"
    ),
}
# Han characters are one token each, as Chinese NER corpora (MSRA, Weibo, Resume) are labelled
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(rf"[{_HAN}]|[^\W{_HAN}]+(?:[.,'’&-][^\W{_HAN}]+)*|[^\w\s]")


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
    >>> [s.text for s in find_rule_spans("AAPL rose while Microsoft (MSFT) slid; the CEO (USD) view")]
    ['AAPL', 'MSFT']
    """
    wanted = set(PATTERNS) if labels is None else set(labels)
    found = [_span(label, m) for label, pattern in PATTERNS.items() if label in wanted for m in pattern.finditer(text)]
    return merge_spans([], found)


def _span(label: str, match: re.Match[str]) -> Span:
    """The span of a match: its named group when the pattern matched a symbol inside its context."""
    group = next((name for name, value in match.groupdict().items() if value is not None), 0)
    return Span(label, match.start(group), match.end(group), match.group(group))


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
    """Split ``text`` into words and punctuation with character offsets; each Han character is
    a token of its own.

    Examples
    --------
    >>> word_offsets("Acme, Inc. pays")
    [('Acme', 0, 4), (',', 4, 5), ('Inc', 6, 9), ('.', 9, 10), ('pays', 11, 15)]
    >>> [w for w, _, _ in word_offsets("向Acme付5%")]
    ['向', 'Acme', '付', '5', '%']
    """
    return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)]
