"""Numbers that belong to names, ranges, comparisons with a benchmark figure, and the basis of a
change between two dated balances (faithfulness dev12): each behaviour with its near miss."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


PAIRS = {"period": "2024-06", "entities": {"EUR/CNY": {"close": 7.7621, "change_pct": -1.21},
                                           "GBP/CNY": {"close": 9.1934, "change_pct": -0.44}}}
RESULTS = {"bank": "Kestrel Bank", "period": "2024-Q2", "pretax_profit_gbp_mn": 63.2,
           "consensus_pretax_profit_gbp_mn": 58.9, "net_interest_income_gbp_mn": 201.7}
ZH_RESULTS = {"bank": "东岭银行", "period": "FY2023", "net_profit_cny_yi": 41.6, "consensus_net_profit_cny_yi": 44.0}
BALANCES = {"fund": "安泰现金宝", "periods": {"2024-09-30": {"aum_cny_yi": 96.3}, "2024-06-30": {"aum_cny_yi": 90.1}},
            }
YEARLY = {"fund": "安泰现金宝", "periods": {"2024-09-30": {"aum_cny_yi": 96.3}, "2023-09-30": {"aum_cny_yi": 90.1}}}


@pytest.mark.parametrize(("facts", "text"), [
    (PAIRS, "6月欧元兑人民币下跌1.21%，英镑兑人民币跌0.44%，收于9.1934。"),
    ({"period": "2024-05", "entities": {"FTSE All-Share": {"change_pct": 1.6, "close": 4571.3},
                                        "Nikkei Stock Average 225": {"change_pct": -0.4}}},
     "May: All-Share +1.6% to 4,571.3 while the Nikkei 225 slipped 0.4%."),
    ({"entity": "US 2Y Treasury yield", "periods": {"2024-12-31": {"yield_pct": 4.24}, "2024-09-30": {"yield_pct": 3.64}}},
     "2y yields rose 60bp in Q4 to 4.24%."),
    ({"bank": "Ashby Mutual", "period": "2024-H1", "arrears_6m_plus_pct": 0.31, "shibor_3m_pct": 1.9},
     "Ashby's 6m+ arrears were 0.31% in H1, with 3个月SHIBOR at 1.9%."),
    ({"product": "稳盈90天", "period": "2024-Q2", "return_pct": 2.41, "benchmark_low_pct": 2.2, "benchmark_high_pct": 2.8},
     "稳盈90天二季度年化2.41%，处于2.2%-2.8%的业绩基准之间。"),
    ({"fund": "启明ETF", "period": {"start": "2024-10-08", "end": "2024-10-18"}, "return_pct": 5.2},
     "10月8日至18日，启明ETF上涨5.2%。"),
    (RESULTS, "Kestrel's Q2 pre-tax profit of £63.2m beat the £58.9m consensus; NII was £201.7m."),
    (ZH_RESULTS, "东岭银行2023年净利润41.6亿元，低于市场预期的44.0亿元。"),
    (BALANCES, "安泰现金宝三季度末规模96.3亿，环比增加6.2亿。"),
    (YEARLY, "安泰现金宝三季度末规模96.3亿，同比增加6.2亿。"),
])
def test_names_ranges_and_comparisons_pass(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []


@pytest.mark.parametrize(("facts", "text", "reason"), [
    (PAIRS, "6月英镑兑人民币下跌1.21%，收于9.1934。", "entity"),  # EUR/CNY's move given to GBP/CNY
    (RESULTS, "Kestrel's Q2 pre-tax profit of £63.2m missed the £58.9m consensus; NII was £201.7m.", "direction"),
    (ZH_RESULTS, "东岭银行2023年净利润41.6亿元，超出市场预期的44.0亿元。", "direction"),
    (BALANCES, "安泰现金宝三季度末规模96.3亿，同比增加6.2亿。", "basis"),  # the balances are a quarter apart
    ({"period": "2024-05", "entities": {"FTSE All-Share": {"change_pct": 1.6, "close": 4571.3},
                                        "Nikkei Stock Average 225": {"change_pct": -0.4}}},
     "May: All-Share +1.6% to 4,571.3 while the Nikkei 225 slipped 0.4% to 38,488.", "unsupported_number"),
])
def test_planted_errors_are_caught(facts: dict, text: str, reason: str) -> None:
    assert reason in reasons(facts, text)


def test_a_figure_after_the_subject_is_not_the_benchmark() -> None:
    facts = {"period": "FY2023", "entities": {"Ardley Bank": {"roe_pct": 12.1}, "Brockwell Bank": {"roe_pct": 9.8}}}
    assert reasons(facts, "Ardley earned an ROE of 12.1%, while Brockwell lagged at 9.8%.") == []


CPI = {"entity": "Eastland CPI", "period": "2024-08", "cpi_yoy_pct": 0.4, "cpi_mom_pct": -0.4, "core_yoy_pct": 1.1,
       "ppi_yoy_pct": -1.5}


def test_a_plus_sign_states_a_rise() -> None:
    facts = {"bank": "Fernhill Bank", "period": "2024-Q2", "fee_income_usd_mn": 420.5, "fee_income_yoy_pct": -2.7}
    assert reasons(facts, "Fernhill Q2: fee income $420.5mn (+2.7% YoY).") == ["direction"]
    assert reasons(facts, "Fernhill Q2: fee income $420.5mn (-2.7% YoY).") == []


def test_a_gap_between_two_year_on_year_rates_is_no_month_on_month_change() -> None:
    assert reasons(CPI, "8月CPI同比上涨0.4%，环比下降0.4%，核心CPI同比上涨1.1%，PPI同比下降1.5%。") == []
    assert "basis" in reasons(CPI, "8月CPI同比上涨0.4%，环比上涨0.4%，核心CPI同比上涨1.1%，PPI同比下降1.5%。")


def test_prices_of_different_things_have_ratios_but_no_shares() -> None:
    fx = {"as_of": "2024-11-15", "entities": {"EUR/USD": {"close": 1.0541, "change_pct": 0.22},
                                              "USD/JPY": {"close": 154.3, "change_pct": -1.02}}}
    assert reasons(fx, "The yen weakened about 1%, leaving USD/JPY at 154.3.")  # a fall of USD/JPY is a firmer yen
    metals = {"as_of": "2024-05-31", "entities": {"Gold": {"price_usd": 2327.33}, "Silver": {"price_usd": 30.42}}}
    assert reasons(metals, "Gold at $2,327.33 and silver at $30.42 put the gold/silver ratio near 76.5.") == []


@pytest.mark.parametrize(("facts", "text"), [
    ({"company": "海岳证券", "period": "2024-Q2", "brokerage_fee_cny_yi": 8.7, "brokerage_fee_yoy_pct": -6.3},
     "海岳证券Q2经纪手续费8.7亿元，同比-6.3%。"),  # 同比 is a basis, not "比" introducing a base figure
    ({"facts": [{"entity": "Westland CPI", "metric": "yoy", "value": 3.1, "unit": "%", "period": "2024-05"},
                {"entity": "Westland CPI", "metric": "yoy", "value": 3.4, "unit": "%", "period": "2024-04"}]},
     "Inflation eased to 3.1% y/y in May from 3.4% in April, a 0.3-point drop."),
    ({"customer": "Priya", "as_of": "2024-07-09", "amount_usd": 61.5, "due_date": "2024-07-15"},
     "Priya, your $61.50 phone bill is due in 6 days (Jul 15)."),
    ({"as_of": "2024-03-28", "entities": {"US 10-year Treasury yield": {"level_pct": 4.2, "change_bp": -3},
                                          "Brent": {"close_usd": 87.48}}},
     "Brent settled at $87.48. The 10-year yield slipped 3bp to 4.20%."),
    ({"period": "2024-09", "entities": {"Northland CPI": {"yoy_pct": 2.2}, "Northland core CPI": {"yoy_pct": 3.0}}},
     "Headline CPI eased to 2.2% in September while core held at 3.0%."),
    ({"bank": "Larkfield Bank", "period": "2024-Q3", "npl_ratio_pct": 1.31}, "Larkfield 3Q: NPL ratio 1.31%."),
])
def test_bases_dates_and_short_names_pass(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []


def test_a_wrong_day_count_and_a_wrong_quarter_are_caught() -> None:
    facts = {"customer": "Priya", "as_of": "2024-07-09", "amount_usd": 61.5, "due_date": "2024-07-15"}
    assert reasons(facts, "Priya, your $61.50 phone bill is due in 5 days (Jul 15).")
    assert "period" in reasons({"bank": "Larkfield Bank", "period": "2024-Q3", "npl_ratio_pct": 1.31},
                               "Larkfield 2Q: NPL ratio 1.31%.")


def test_chinese_abbreviations_and_used_limit_are_read() -> None:
    facts = {"period": "2024-08", "entities": {"人民币贷款": {"new_cny_yi": 9000}, "社会融资规模": {"increment_cny_yi": 30300}}}
    assert reasons(facts, "8月人民币贷款增加9000亿元，社融增量3.03万亿元。") == []
    assert "entity" in reasons(facts, "8月人民币贷款增加3.03万亿元，社融增量9000亿元。")
    card = {"customer": "孙女士", "as_of": "2024-06-30", "credit_limit_cny": 30000, "balance_cny": 8400}
    assert reasons(card, "孙女士您好，截至6月30日您已用额度8400元，总额度3万元。") == []


@pytest.mark.parametrize(("facts", "text"), [
    ({"customer": "Ms Ng", "as_of": "2024-06-30", "super_balance_aud": 184250, "fees_aud": 1120},
     "Hi Ms Ng, your super balance is $184.3k and fees were about $1.1k."),
    ({"customer": "Mr Roy", "as_of": "2024-02-29", "rrsp_balance_cad": 96400}, "Mr Roy's RRSP sits at C$96.4k."),
    ({"index": "S&P/ASX 200", "period": "2024-08-05", "change_points": -279.2, "close": 7649.6},
     "ASX 200 sheds 279 points to finish at 7,650."),
    ({"period": "2024-12", "entities": {"稳健组合": {"weekly_return_pct": 0.11}}}, "【周报 12.16-12.20】稳健组合收涨0.11%。"),
    ({"fund": "红利低波ETF", "period": "2024", "dividend_per_10_units_cny": 0.52}, "红利低波ETF 2024年每10份累计派0.52元。"),
    ({"customer": "王先生", "as_of": "2024-12-31", "tfsa_balance_cad": 95000, "tfsa_room_cad": 7000},
     "王先生您好，您的TFSA余额9.5万加元，剩余额度还有7000加元。"),
])
def test_dollars_index_names_dotted_days_and_quotation_units_pass(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []


def test_a_bare_dollar_still_checks_the_amount() -> None:
    facts = {"customer": "Ms Ng", "as_of": "2024-06-30", "super_balance_aud": 184250}
    assert reasons(facts, "Your super balance is $148.3k.")
    assert reasons(facts, "Your super balance is €184.3k.")  # another currency altogether


def test_a_closing_level_may_be_stated_for_the_period_it_ends() -> None:
    facts = {"entity": "Harbourside benchmark price", "period": "2024-12", "benchmark_price_cad": 1170700}
    assert reasons(facts, "Harbourside's benchmark price ended 2024 at $1.17mn.") == []
    flow = {"entity": "Eastland", "period": "2024-06", "trade_balance_usd_bn": 99.0}
    assert "period" in reasons(flow, "Eastland posted a second-quarter trade surplus of $99.0bn.")  # a flow is not a level
