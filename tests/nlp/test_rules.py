"""Rule-based recognisers and span merging."""

from __future__ import annotations

import pytest

from finloom.nlp import Span, find_rule_spans, merge_spans


@pytest.mark.parametrize(
    ("text", "label", "found"),
    [
        ("fees of $1,250.50 apply", "MONEY", "$1,250.50"),
        ("raised EUR 3 million", "MONEY", "EUR 3 million"),
        ("paid 500 dollars", "MONEY", "500 dollars"),
        ("rates rose 25 basis points", "PERCENT", "25 basis points"),
        ("margin of 4.5 percent", "PERCENT", "4.5 percent"),
        ("due on January 31, 2025", "DATE", "January 31, 2025"),
        ("signed 3 March 2024", "DATE", "3 March 2024"),
        ("results for Q3 2024", "DATE", "Q3 2024"),
        ("on 12/31/2023 we", "DATE", "12/31/2023"),
        ("listed as NYSE: JPM today", "TICKER", "NYSE: JPM"),
        ("bullish on $TSLA", "TICKER", "$TSLA"),
    ],
)
def test_find_rule_spans_recognises(text, label, found):
    spans = find_rule_spans(text)
    assert (label, found) in {(s.label, s.text) for s in spans}


def test_find_rule_spans_ignores_plain_numbers():
    assert find_rule_spans("there are 3 cards and 12 accounts") == []


def test_merge_spans_prefers_longer_then_rule():
    model = [Span("ORG", 0, 9, "Acme Corp", "model")]
    rules = [Span("TICKER", 0, 4, "Acme"), Span("MONEY", 15, 18, "$5m")]
    merged = merge_spans(model, rules)
    assert [(s.label, s.source) for s in merged] == [("ORG", "model"), ("MONEY", "rule")]
    tie = merge_spans([Span("ORG", 0, 3, "abc", "model")], [Span("MONEY", 0, 3, "abc")])
    assert tie[0].source == "rule"
