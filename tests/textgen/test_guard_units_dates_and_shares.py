"""Units, dates and shares as writers give them (faithfulness dev16-dev18 residuals): US cents and 块六,
day-first and short dates, fiscal years, an index's number in its name, the base of a ratio, sums that
make sense, segment names in the plural, and each behaviour with its near miss."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict
from finloom.textgen._extract import extract_numbers
from finloom.textgen._periods import find_periods

G = FaithfulnessGuard()


def issues(facts: dict, text: str) -> list[str]:
    return [i.text for i in G.check(text, facts_from_dict(facts)).issues]


FAITHFUL = [
    ({"as_of": "2024-11-29", "entities": {"NZD/USD": {"close": 0.5912, "change_pct": 0.35}}},
     "The kiwi added 0.35% to close at 59.12 US cents."),
    ({"customer": "陈先生", "period": "2024-11", "water_electric_cny": 236.4, "gas_cny": 88.0},
     "陈先生您好，11月水电费236.4元、燃气费88元，合计三百二十四块四。"),
    ({"entity": "Riverside SME book", "as_of": "2024-06-30", "balance_gbp_mn": 3150, "arrears_90plus_pct": 1.4},
     "As at 30/06/2024 the SME book stood at £3.15bn with 90+ day arrears at 1.4%."),
    ({"customer": "Ms P. Okafor", "period": {"start": "2024-04-06", "end": "2025-04-05"}, "isa_contributions_gbp": 15000},
     "In the 2024/25 tax year you paid £15,000 into your ISA."),
    ({"entity": "UK CPI", "period": "2024-10", "yoy_pct": 2.3, "core_yoy_pct": 3.3},
     "CPI (Oct-24): headline 2.3% y/y, core 3.3%."),
    ({"as_of": "2024-11-18", "entities": {"10年期国债": {"yield_pct": 2.09}, "30年期国债": {"yield_pct": 2.29}}},
     "早盘（11/18）：10年期收益率2.09%，30年期2.29%，30Y-10Y利差20bp。"),
    ({"customer": "周女士", "fund": "华信沪深300ETF联接C", "as_of": "2024-12-02", "market_value_cny": 15600, "cost_cny": 15000},
     "周女士，您持有的沪深300联接C市值15600元，投入15000元，浮盈600元。"),
    ({"company": "Larkfield Mutual", "period": "2024-Q2", "persistency_13m_pct": 89.5},
     "13-month persistency was 89.5%, so 10.5% of policies lapsed before month 13."),
    ({"entity": "Cardholder", "period": "2024-10", "contactless_count": 42, "spend_total_gbp": 1210.0},
     "You tapped contactless 42 times in October and spent £1,210 in all."),
    ({"company": "Ashby Insurance", "period": "2024-H1", "loss_ratio_pct": 64.1, "expense_ratio_pct": 29.6},
     "A loss ratio of 64.1% and expenses of 29.6% give a combined ratio of 93.7%."),
    ({"customer": "赵先生", "period": "2024-12", "dining_cny": 2400, "dining_prev_month_cny": 1200},
     "赵先生，您12月餐饮支出2400元，是11月的两倍。"),
    ({"entity": "中国制造业PMI", "periods": {"2024-11": {"value": 50.3}, "2024-10": {"value": 50.1}}},
     "11月制造业PMI为50.3，比上月提高0.2个百分点。"),
    ({"bank": "Marlow Bank", "period": "2024-Q3", "deposits_gbp_bn": 84.2, "deposits_qoq_pct": 0.9},
     "Marlow grew deposits 0.9% over the third quarter to £84.2bn."),
    ({"index": "Nikkei 225", "periods": {"2024-09": {"change_pct": -1.9}, "2024-08": {"change_pct": -1.2}}},
     "The Nikkei 225 slipped 1.9% in September, a 1.9% drop on top of August's 1.2% decline."),
    ({"period": "2024-12-10", "entities": {"沪深两市": {"turnover_cny_yi": 15240}, "上证指数": {"change_pct": 0.59}},
      "aliases": {"上证指数": ["沪指"]}},
     "沪指涨0.59%。两市成交额约1.52万亿元。"),
    ({"period": "2024-Q3", "facts": [
        {"entity": "Mortgage book", "metric": "NPL ratio", "value": 0.51, "unit": "%", "period": "2024-Q3"},
        {"entity": "Credit card book", "metric": "NPL ratio", "value": 2.84, "unit": "%", "period": "2024-Q3"}]},
     "Mortgages remain clean at 0.51% while cards sit at 2.84%."),
    ({"fund": "Osprey Income Fund", "period": "2024-Q2", "gross_subscriptions_gbp_mn": 40.5,
      "gross_redemptions_gbp_mn": 52.0},
     "Redemptions of £52.0m outstripped £40.5m of subscriptions, a net outflow of £11.5m."),
]

ERRORS = [
    # the share is 3014 / 5480 = 55 %, not the 45 % that the relative difference gives
    ({"bank": "西岭银行", "as_of": "2024-06-30", "deposits_cny_yi": 5480.0, "personal_deposits_cny_yi": 3014.0},
     "西岭银行6月末存款5480亿元，其中个人存款3014亿元，占比约45%。", "45%"),
    # two yields do not add up to a growth rate
    ({"company": "安和人寿", "period": "2024-H1", "investment_yield_pct": 2.9, "comprehensive_yield_pct": 5.1},
     "安和人寿上半年总投资收益率2.9%，综合投资收益率5.1%，总资产较年初增长8%。", "8%"),
    # a charge-off rate that rose did not improve
    ({"entity": "Card book", "periods": {"2024-Q3": {"net_chargeoff_rate_pct": 3.9}, "2024-Q2": {"net_chargeoff_rate_pct": 3.7}}},
     "Card NCOs improved 20bp to 3.9% in Q3.", "improved"),
    # a positive growth rate did not contract
    ({"entity": "Japan", "period": "2024-Q3", "gdp_qoq_annualized_pct": 1.2},
     "Japan's economy contracted at a 1.2% annualised pace in Q3.", "contracted"),
    # the grocery figure is dining's
    ({"customer": "王先生", "period": "2024-08", "dining_cny": 1830.0, "groceries_cny": 960.0},
     "王先生，您8月在商超类消费1830元。", "商超"),
    # the auto book's ratio given to the cards
    ({"period": "2024-Q3", "facts": [
        {"entity": "Credit card book", "metric": "NPL ratio", "value": 2.84, "unit": "%", "period": "2024-Q3"},
        {"entity": "Auto loan book", "metric": "NPL ratio", "value": 1.12, "unit": "%", "period": "2024-Q3"}]},
     "Cards are the weak spot at 1.12%.", "1.12%"),
]


@pytest.mark.parametrize(("facts", "text"), FAITHFUL)
def test_faithful_text_passes(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


@pytest.mark.parametrize(("facts", "text", "wrong"), ERRORS)
def test_planted_error_is_flagged(facts: dict, text: str, wrong: str) -> None:
    found = issues(facts, text)
    assert found, f"nothing flagged; expected {wrong!r}"


def test_colloquial_yuan_and_tenths_are_one_amount() -> None:
    assert [(n.text, n.value) for n in extract_numbers("合计七百九十二块六，另付3块5")] == [
        ("七百九十二块六", 792.6), ("3块5", 3.5)]


def test_a_quarter_of_a_percent_and_a_quarter_of_contrasts() -> None:
    assert [n.value for n in extract_numbers("up a quarter of a percent")] == [0.25]
    assert extract_numbers("Q3 was a quarter of contrasts") == [] or \
        all(n.text != "a quarter" for n in extract_numbers("Q3 was a quarter of contrasts"))


def test_day_first_dates_fiscal_years_and_short_months() -> None:
    found = {p.text: (p.first.isoformat(), p.last.isoformat())
             for p in find_periods("On 30/09/2024, for 2024/25 and in Nov-24")}
    assert found == {"30/09/2024": ("2024-09-30", "2024-09-30"), "2024/25": ("2024-04-01", "2025-04-05"),
                     "Nov-24": ("2024-11-01", "2024-11-30")}


def test_a_commodity_key_names_the_entity_and_raised_is_a_rise() -> None:
    gold = {"commodity": "Gold", "period": "2024", "close_usd": 2624.5, "annual_change_pct": 27.2}
    assert issues(gold, "Gold closed 2024 at $2,624.50, up 27% for the year.") == []
    rate = {"bank": "Fenton BS", "as_of": "2024-11-14", "two_year_fixed_change_bp": -15, "two_year_fixed_rate_pct": 4.24}
    assert issues(rate, "Fenton BS has cut its two-year fix by 15 basis points to 4.24%.") == []
    assert issues(rate, "Fenton BS has raised its two-year fix by 15 basis points to 4.24%.")
