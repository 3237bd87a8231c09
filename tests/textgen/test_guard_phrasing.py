"""Phrasings a new author brought (faithfulness dev4): each class with its near miss.

Currency subjects (人民币兑美元升值 is said of the yuan), sign nouns (盈利 / loss / net redemptions),
verdict words whose direction depends on the metric ("the cost/income ratio improved"), changes
stated from a base figure (较10月的956.7亿美元有所收窄), labels and tenors that are not claims
(Stage 3, 90+ day, 10年期), and words that only look like numbers (便宜一点, over the half).
"""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()


def issues(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


FX = {"as_of": "2024-10-23", "entities": {"USD/CNY": {"close": 7.1305, "change_pct": 0.14}}}
GBP = {"as_of": "2024-09-30", "entities": {"GBP/USD": {"close": 1.3375, "change_pct": -0.17},
                                           "EUR/GBP": {"close": 0.8322, "change_pct": 0.24}}}
AIRLINE = {"company": "蓝湾航空", "periods": {"2024-Q3": {"net_profit_cny_yi": -0.8},
                                              "2023-Q3": {"net_profit_cny_yi": -5.6}}}
TRADE = {"entity": "中国", "periods": {"2024-11": {"trade_balance_usd_yi": 974.4},
                                       "2024-10": {"trade_balance_usd_yi": 956.7}}}
COST = {"bank": "Westmere Bank plc", "periods": {"2024": {"cost_income_ratio_pct": 52.1},
                                                 "2023": {"cost_income_ratio_pct": 54.8}}}
FUND = {"fund": "Atlas Short Treasury ETF", "period": "2024-04", "net_flow_usd_mn": 812, "aum_usd_bn": 14.6}


@pytest.mark.parametrize(("facts", "text"), [
    (FX, "今日美元兑人民币上涨0.14%，人民币小幅贬值，美元/人民币收于7.1305。"),
    (FX, "Today the yuan slipped 0.14% against the dollar; USD/CNY closed at 7.1305."),
    (GBP, "Sterling slipped about 0.2% against the dollar to 1.3375 and lost 0.24% against the euro (EUR/GBP 0.8322)."),
    (AIRLINE, "蓝湾航空三季度亏损0.8亿元，同比减亏4.8亿元。"),
    (TRADE, "11月贸易顺差974.4亿美元，较10月的956.7亿美元有所扩大。"),
    (COST, "Westmere's cost/income ratio improved 2.7 points to 52.1% in 2024."),
    (FUND, "Atlas Short Treasury ETF pulled in $812 million of net new money in April, taking assets to $14.6 billion."),
    ({"entity": "SME book", "as_of": "2024-06-30", "stage3_ratio_pct": 2.9, "arrears_90d_pct": 0.84},
     "Stage 3 loans made up 2.9% of the SME book; 90+ day arrears were 0.84%."),
    ({"period": "2024-11", "entities": {"10年期国债": {"yield_pct": 2.02}, "1年期国债": {"yield_pct": 1.41}}},
     "11月10年期国债收益率为2.02%，10年与1年期限利差约61个基点。"),
    ({"as_of": "2024-11-22", "entities": {"EUR/CNY": {"rate": 7.5321, "change_pct": -0.64}}},
     "今天欧元兑人民币7.5321，跌了0.64%，换欧元比前一天便宜一点。"),
    ({"index": "DAX", "period": "2024", "close": 19909.14}, "The DAX ended 2024 just shy of 19,910."),
    ({"company": "Brightpath", "period": "2024", "claims_paid_count": 48210, "avg_settlement_days": 6.4},
     "In 2024 Brightpath paid 48,210 claims and settled claims in about 6 days on average."),
    ({"customer": "黄女士", "as_of": "2024-12-31", "cash_value_cny": 86420.5},
     "截至2024年12月31日，您的保单现金价值为86420.50元。"),
])
def test_faithful_phrasings_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


@pytest.mark.parametrize(("facts", "text", "reason"), [
    (FX, "【汇率提醒】今日人民币兑美元升值0.14%，美元/人民币收于7.1305。", "direction"),
    ({"as_of": "2024-08-05", "entities": {"USD/JPY": {"close": 144.18, "change_pct": -1.5}}},
     "8月5日日元大幅走弱，美元兑日元收于144.18。", "direction"),
    ({"company": "蓝湾航空", "period": "2024-Q1", "net_profit_cny_yi": -3.4}, "蓝湾航空一季度盈利3.4亿元。", "direction"),
    (AIRLINE, "蓝湾航空三季度盈利0.8亿元。", "direction"),
    (TRADE, "11月贸易顺差974.4亿美元，较10月的956.7亿美元有所收窄。", "direction"),
    ({"bank": "Westmere Bank plc", "periods": {"2024": {"cost_income_ratio_pct": 56.8},
                                               "2023": {"cost_income_ratio_pct": 54.1}}},
     "Westmere's cost/income ratio improved 2.7 points to 56.8% in 2024.", "direction"),
    ({**FUND, "net_flow_usd_mn": -812}, "Atlas Short Treasury ETF pulled in $812 million in April.", "direction"),
    ({"fund": "Cautious Income", "period": "2024-Q3", "net_flow_gbp_mn": 58.3},
     "Cautious Income saw £58.3m of net redemptions in Q3.", "direction"),
    ({"period": "2024", "entities": {"Evergreen Balanced Fund A": {"return_pct": 7.84},
                                     "Evergreen Balanced Fund C": {"return_pct": 8.62}}},
     "Evergreen Balanced C returned 7.84% in 2024.", "entity"),
    ({"company": "Cobalt Neobank", "period": "2024-Q1", "new_customers_count": 410000},
     "Cobalt added 410k customers in H1.", "period"),
    ({"customer": "Mr Novak", "period": "2024-11", "groceries_eur": 388.9, "fuel_eur": 142.3},
     "In November €142.30 of that went on groceries.", "metric"),
])
def test_planted_errors_are_caught(facts: dict, text: str, reason: str) -> None:
    assert reason in issues(facts, text)
