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
        # Chinese text has no \b between a character and a digit
        ("向借款人支付5%利息", "PERCENT", "5%"),
        ("利率下调25个基点", "PERCENT", "25个基点"),
        ("增长3.5个百分点", "PERCENT", "3.5个百分点"),
        ("年化收益百分之4.2", "PERCENT", "百分之4.2"),
        ("贷款金额为人民币500万元", "MONEY", "人民币500万元"),
        ("罚款1,200.50元整", "MONEY", "1,200.50元"),
        ("融资3亿美元用于扩张", "MONEY", "3亿美元"),
        ("支付USD 300给对方", "MONEY", "USD 300"),
        ("于2025-01-31到期", "DATE", "2025-01-31"),
        ("2024年第三季度营收", "DATE", "2024年第三季度"),
        ("看好$TSLA走势", "TICKER", "$TSLA"),
        ("在HKEX:0700上市", "TICKER", "HKEX:0700"),
    ],
)
def test_find_rule_spans_recognises(text, label, found):
    spans = find_rule_spans(text)
    assert (label, found) in {(s.label, s.text) for s in spans}


def test_find_rule_spans_ignores_plain_numbers():
    assert find_rule_spans("there are 3 cards and 12 accounts") == []
    assert find_rule_spans("我有3张卡和12个账户") == []
    assert find_rule_spans("order A12/3/2024B and id 123-45-6789") == []


def test_merge_spans_prefers_longer_then_rule():
    model = [Span("ORG", 0, 9, "Acme Corp", "model")]
    rules = [Span("TICKER", 0, 4, "Acme"), Span("MONEY", 15, 18, "$5m")]
    merged = merge_spans(model, rules)
    assert [(s.label, s.source) for s in merged] == [("ORG", "model"), ("MONEY", "rule")]
    tie = merge_spans([Span("ORG", 0, 3, "abc", "model")], [Span("MONEY", 0, 3, "abc")])
    assert tie[0].source == "rule"


def test_bare_tickers_are_found_from_their_context_only():
    from finloom.nlp._rules import find_rule_spans

    text = "AAPL rose 2% and shares of TSLA fell, while Microsoft (MSFT) slid. The CEO (LLC) said USD rates rose."
    assert [s.text for s in find_rule_spans(text, labels=["TICKER"])] == ["AAPL", "TSLA", "MSFT"]
    assert find_rule_spans("THE BORROWER SHALL PAY", labels=["TICKER"]) == []
