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


# A sixth author (faithfulness dev5): longer texts with several entities and periods.
CRESCENT = {"period": "2024-Q4", "entities": {
    "Crescent Asia Income Fund": {"return_pct": -4.3, "net_flow_usd_mn": 41.2},
    "Crescent Global Equity Fund": {"return_pct": 2.1, "net_flow_usd_mn": -88.5}}}
SPX = {"index": "S&P 500", "periods": {"2024-11": {"change_pct": 5.73, "close": 6032.38},
                                        "2024-10": {"change_pct": -0.99, "close": 5705.45}}}


@pytest.mark.parametrize(("facts", "text"), [
    (CRESCENT, "Q4 flows at Crescent ran against performance: Asia Income took in $41.2m despite a 4.3% loss, "
               "and Global Equity saw outflows of $88.5m even though it gained 2.1%."),
    ({"index": "Euro Stoxx 50", "period": "2024-Q1", "change_pct": 12.43},
     "In the three months to March the Euro Stoxx 50 climbed 12.4%."),
    ({"customer": "Okafor", "periods": {"2025-01": {"payment_gbp": 1184.32}, "2024-12": {"payment_gbp": 1247.9}}},
     "From January 2025 your monthly payment will be £1,184.32, which is £63.58 less than you paid in December."),
    ({"bank": "江南商业银行", "periods": {"2024-H1": {"new_loans_cny_yi": 1520}, "2024-Q1": {"new_loans_cny_yi": 980}}},
     "江南商业银行上半年新增贷款1520亿元，其中一季度980亿元，二季度新增540亿元。"),
    ({"company": "瑞丰财险", "period": "2024", "combined_ratio_pct": 98.6},
     "瑞丰财险综合成本率98.6%，承保端仍有1.4个百分点的利润空间。"),
    ({"bank": "江北农商行", "periods": {"2024-12": {"deposits_cny_yi": 2865.4}, "2023-12": {"deposits_cny_yi": 2612.8}}},
     "12月末全行各项存款余额2865.4亿元，较年初增加252.6亿元。"),
    ({"bank": "Harbor", "as_of": "2024-06-30", "npl_ratio_pct": 2.15},
     "The NPL ratio was 2.15% at the end of June 2024; average approval time is now three and a half days."),
    ({"period": "2024-H2", "entities": {"GBP/USD": {"change_pct": -3.21, "close": 1.2516},
                                        "GBP/JPY": {"change_pct": -3.05, "close": 196.7}}},
     "In the second half of 2024 sterling lost 3.21% against the dollar, with GBP/USD ending at 1.2516, "
     "and gave up about 3.1% against the yen."),
    ({"as_of": "2025-01-03", "entities": {"鑫享货币A": {"annualized_yield_pct": 1.512},
                                          "鑫享货币B": {"annualized_yield_pct": 1.754}}},
     "2025年1月3日，鑫享货币A年化收益率1.512%，B类1.754%。"),
])
def test_faithful_long_texts_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


@pytest.mark.parametrize(("facts", "text", "reason"), [
    (SPX, "Markets update: the S&P 500 climbed 5.73% in October, closing at 6,032.38.", "period"),
    ({"bank": "江南商业银行", "periods": {"2024": {"dividend_per_share_cny": 0.36}, "2023": {"dividend_per_share_cny": 0.34}}},
     "二〇二三年度我行每股派发现金红利0.36元。", "period"),
    ({"bank": "Harbor Bank", "period": "2024-Q4", "nps_change_points": -4, "nps_points": 31},
     "Net Promoter Score improved 4 points to 31.", "direction"),
])
def test_planted_errors_in_long_texts_are_caught(facts: dict, text: str, reason: str) -> None:
    assert reason in issues(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    ({"period": "2024", "entities": {"MSCI World": {"total_return_pct": 18.7},
                                     "MSCI Emerging Markets": {"total_return_pct": 7.5}}},
     "MSCI World returned 18.7% in 2024, more than double emerging markets' 7.5%."),
    ({"fund": "安盈稳健理财A", "periods": {"2024": {"max_drawdown_pct": -0.21}, "2023": {"max_drawdown_pct": -0.35}}},
     "2024年、2023年最大回撤分别仅0.21%和0.35%。"),
    ({"facts": [{"entity": "Harbor Rewards Card", "metric": "cashback on groceries", "value": 3, "unit": "%"},
                {"entity": "Harbor Rewards Card", "metric": "cashback on other purchases", "value": 1, "unit": "%"}]},
     "Earn three times the cashback on your weekly shop: 3% back on groceries and 1% on everything else."),
])
def test_bounds_lists_and_rates_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


def test_a_bound_is_still_checked() -> None:
    facts = {"period": "2024", "entities": {"MSCI World": {"total_return_pct": 18.7},
                                            "MSCI Emerging Markets": {"total_return_pct": 7.5}}}
    assert issues(facts, "MSCI World returned 18.7% in 2024, more than triple emerging markets' 7.5%.")
    assert "period" in issues({"fund": "安盈稳健理财A", "periods": {"2024": {"max_drawdown_pct": -0.21},
                                                                    "2023": {"max_drawdown_pct": -0.35}}},
                              "2023年、2024年最大回撤分别仅0.21%和0.35%。")


@pytest.mark.parametrize(("facts", "text"), [
    ({"fund": "Aldgate Balanced Fund", "period": "2024", "return_pct": 7.84},
     "The Aldgate Balanced Fund returned 7.84% in 2024, so a £10,000 investment would now be worth £10,784."),
    ({"product": "安享三年期定期存款", "period": "2024-10", "rate_pct": 2.15},
     "安享三年期定期存款年利率为2.15%。以存一万元为例，一年利息约为215元。"),
    ({"fund": "Cairn Index Tracker", "period": "2024", "ocf_pct": 0.12},
     "The Cairn Index Tracker's ongoing charge is 0.12%, just 12p a year for every £100 you invest."),
    ({"bank": "Thistle Bank", "period": "2024-H1", "income_gbp_bn": 2.6, "nii_gbp_bn": 1.82},
     "Thistle Bank's income was £2.6bn, of which net interest income made up £1.82bn, or 70p in every pound."),
])
def test_worked_examples_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


def test_an_invented_round_amount_is_still_unsupported() -> None:
    facts = {"name": "Harbor Rewards Card", "as_of": "2024-06-01", "annual_fee_usd": 95, "cashback_rate_pct": 1.5}
    assert "unsupported_number" in issues(facts, "The annual fee is $95 and new members get a $200 welcome bonus.")
    assert issues({"fund": "Aldgate", "period": "2024", "return_pct": 7.84},
                  "Aldgate returned 7.84% in 2024, so a £10,000 investment would now be worth £10,884.")


@pytest.mark.parametrize(("facts", "text"), [
    ({"fund": "活期宝货币A", "as_of": "2024-09-30", "yield_7d_pct": 1.65}, "截至2024年9月30日，活期宝货币A七日年化收益率约1.65%。"),
    ({"product": "悦享30天持有", "period": "2024", "annualized_return_pct": 2.48}, "悦享系列30天持有产品2024年年化收益2.48%。"),
    ({"entity": "安康重疾险（30岁男性）", "period": "2024", "annual_premium_cny": 5680},
     "30岁男性投保安康重疾险，年交保费5680元。"),
    ({"entity": "Harbourview Managed Portfolio 3", "as_of": "2024-06-30", "equity_allocation_pct": 62},
     "As at 30 June 2024, Portfolio 3 held 62% in shares."),
    ({"entity": "Bank of England Bank Rate", "periods": {"2024-08": {"rate_pct": 5.0}, "2024-07": {"rate_pct": 5.25}}},
     "The Bank of England trimmed Bank Rate by 25 basis points in August 2024 to 5.00%."),
    ({"bank": "滨海银行", "period": "2024-Q3", "provision_coverage_pct": 248.5}, "滨海银行拨备覆盖率248.5%，即拨备接近不良贷款的2.5倍。"),
    ({"customer": "小王", "period": "2024-09", "total_spend_cny": 6850, "dining_cny": 1920}, "九月一共花了6850块，吃饭1920。"),
    ({"pair": "USD/CNY", "period": "2024-Q2", "change_pct": 0.6, "close": 7.2672},
     "The yuan weakened: USD/CNY rose about 0.6% to 7.2672, so each dollar bought more yuan."),
    ({"branch": "临港支行", "period": "2024-12", "new_customers_count": 1264, "complaints_count": 3},
     "临港支行当月新增客户1264户，客户投诉3起。"),
    ({"fund": "Global Tech Fund (USD)", "period": "2024-11", "return_pct": 6.84}, "Global Tech Fund 11月 return 为+6.84%。"),
    ({"entity": "中国PPI", "periods": {"2024-12": {"ppi_yoy_pct": -2.3}, "2024-11": {"ppi_yoy_pct": -2.5}}},
     "12月PPI同比下降2.3%，降幅较11月的2.5%收窄0.2个百分点。"),
])
def test_labels_and_restatements_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


@pytest.mark.parametrize(("facts", "text", "reason"), [
    ({"fund": "恒远价值精选", "period": "2024", "return_pct": -4.6, "benchmark_return_pct": -7.3},
     "恒远价值精选2024年收益率为-4.6%，同期业绩比较基准为-7.3%，基金跑输基准2.7个百分点。", "direction"),
    ({"bank": "Beacon Bank", "periods": {"2024-H1": {"new_customers_count": 182000},
                                         "2023-H1": {"new_customers_count": 205000}}},
     "Beacon Bank welcomed 182,000 new customers in H1 2024, comfortably ahead of the 205,000 a year earlier.", "direction"),
    ({"company": "北江银行", "period": "2024-H1", "net_profit_yoy_pct": 1.35}, "北江银行上半年净利润负增长1.35%。", "direction"),
])
def test_comparisons_with_benchmarks_and_bases_are_checked(facts: dict, text: str, reason: str) -> None:
    assert reason in issues(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    ({"period": "2024-03", "entities": {"Gold": {"change_pct": 9.1, "close_usd": 2229.87},
                                        "Brent": {"change_pct": 6.3, "close_usd": 87.48},
                                        "WTI": {"change_pct": 6.3, "close_usd": 83.17}}},
     "Gold rose 9.1% to $2,229.87, while Brent and WTI gained 6.3% apiece, settling at $87.48 and $83.17 respectively."),
    ({"as_of": "2024-06-30", "entities": {"普惠小微贷款": {"balance_cny_yi": 1286.4, "npl_ratio_pct": 1.86},
                                          "个人住房贷款": {"balance_cny_yi": 2410.9, "npl_ratio_pct": 0.62}}},
     "普惠小微贷款和个人住房贷款余额分别为1286.4亿元和2410.9亿元。两者不良率分别为1.86%和0.62%。"),
    ({"period": "2024-05", "entities": {"DAX": {"change_pct": 3.2, "close": 18497.9},
                                        "FTSE 100": {"change_pct": 1.6}}},
     "Germany's DAX gained about 3.2%, roughly double the FTSE 100's 1.6% advance, and finished the month at 18,498."),
])
def test_lists_and_possessives_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


def test_a_respectively_list_in_the_wrong_order_is_caught() -> None:
    facts = {"period": "2024-03", "entities": {"Brent": {"close_usd": 87.48}, "WTI": {"close_usd": 83.17}}}
    assert "entity" in issues(facts, "Brent and WTI settled at $83.17 and $87.48 respectively.")


@pytest.mark.parametrize(("facts", "text"), [
    ({"fund": "Crestline Income Fund", "period": "2024-Q2", "return_pct": 1.42, "benchmark_return_pct": 1.67},
     "Crestline Income Fund returned 1.42% in the second quarter of 2024, outperforming its benchmark's 1.67% by 25 basis points."),
    ({"customer": "Mr Moreau", "periods": {"2024-10": {"card_balance_gbp": 2140.8}, "2024-09": {"card_balance_gbp": 1685.3}}},
     "Confirmed the balance has come down since September's £1,685.30 statement and now stands at £2,140.80."),
])
def test_comparisons_away_from_the_figure_are_caught(facts: dict, text: str) -> None:
    assert issues(facts, text), text


def test_a_comparison_borne_out_passes() -> None:
    facts = {"fund": "Crestline Income Fund", "period": "2024-Q2", "return_pct": 1.92, "benchmark_return_pct": 1.67}
    assert issues(facts, "Crestline Income Fund returned 1.92% in Q2 2024, outperforming its benchmark's 1.67% "
                         "by 25 basis points.") == []


@pytest.mark.parametrize(("facts", "text"), [
    ({"entity": "中国", "period": "2024-12", "gold_reserves_oz_wan": 7329, "gold_reserves_mom_oz_wan": 33},
     "12月末黄金储备7329万盎司，较上月末增加33万盎司。"),
    ({"entity": "原油(SC)主力", "as_of": "2024-11-26", "change_pct": -2.1, "price_cny": 532.4}, "原油主力跌2.1%，报532.4元/桶。"),
    ({"entity": "India", "period": "2024-Q2", "gdp_yoy_pct": 6.7}, "India's economy grew 6.7% year on year in April–June."),
    ({"entity": "US labor market", "period": "2024-11", "payrolls_k": 227, "prior_month_payrolls_k": 36},
     "US payrolls rose by 227k in November, from just 36k in October."),
    ({"entity": "中国", "period": "2024-10", "fai_ytd_yoy_pct": 3.4}, "1—10月全国固定资产投资同比增长3.4%。"),
    ({"customer": "Grant", "as_of": "2024-10-31", "fixed_rate_pct": 4.79, "fixed_rate_end": "2026-03-31"},
     "You are on a fixed rate of 4.79% until 31 March 2026."),
    ({"customer": "周女士", "as_of": "2025-01-15", "annual_premium_cny": 1386, "premium_change_pct": 8.5},
     "续保后年缴保费为1,386元，较上年上涨8.5%。"),
    ({"period": "2024-03", "entities": {"Dining out": {"spend_gbp": 189.25, "mom_pct": 22.8}}},
     "Dining out jumped about 23% on February to £189.25."),
])
def test_metric_names_and_period_words_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


@pytest.mark.parametrize(("facts", "text"), [
    ({"entity": "中国人民银行", "period": "2024-11", "黄金储备_wan": 7296, "黄金储备月度变动_wan": 16}, "11月末央行黄金储备7296万盎司，环比减持16万盎司。"),
    ({"entity": "中国外汇储备", "periods": {"2024-12": {"usdcny_close": 7.2993}, "2024-11": {"usdcny_close": 7.2437}}},
     "月内美元兑人民币由7.2437升至7.2993，人民币升值。"),
])
def test_changes_named_in_chinese_keys_are_checked(facts: dict, text: str) -> None:
    assert "direction" in issues(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    ({"company": "Northgate", "periods": {"2024-H1": {"net_profit_gbp_mn": 14.2}, "2023-H1": {"net_profit_gbp_mn": -6.8}}},
     "Northgate swung back into the black in H1 2024, posting a £14.2m profit after a £6.8m loss a year earlier."),
    ({"index": "FTSE 100", "period": "2024-06-12", "intraday_high_change_pct": 0.9, "change_pct": 0.12},
     "The FTSE 100 gave back most of its intraday gains, closing up just 0.12% after rising as much as 0.9%."),
    ({"customer": "尾号3317客户", "period": "2024-12", "total_spend_cny": 3186.4}, "尾号3317的您，12月消费合计3186.40元。"),
    ({"bank": "Kestrel Bank", "periods": {"2024-06": {"mortgage_rate_pct": 5.12}, "2024-09": {"mortgage_rate_pct": 4.79}}},
     "Our headline mortgage rate came down 33bp between June and September, to 4.79%."),
    ({"name": "Fixed Saver 1 Year", "period": "2024-11", "rate_pct": 4.25, "easy_access_rate_pct": 3.5},
     "Our 1 Year Fixed Saver pays 4.25% AER, 0.75 percentage points more than our easy-access account at 3.5%."),
    ({"period": "2024-11", "entities": {"EUR/USD": {"change_pct": -2.76}, "USD/JPY": {"change_pct": -1.21}}},
     "The dollar firmed against the euro in November (EUR/USD -2.76%) but lost ground to the yen, with USD/JPY down 1.2%."),
])
def test_idioms_and_objects_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


@pytest.mark.parametrize(("facts", "text"), [
    ({"period": "2024-05-20", "entities": {"上证指数": {"change_pct": -0.43, "close": 3171.15}}}, "今天沪指飘红0.43%，收在3171点。"),
    ({"company": "华东精工", "periods": {"2024-Q1": {"net_profit_cny_yi": -1.35}, "2023-Q1": {"net_profit_cny_yi": 0.82}}},
     "华东精工一季报：归母净利润-1.35亿元，上年同期为0.82亿元，单季扭亏。"),
    ({"period": "2024-05-03", "entities": {"Ridgeway Motors": {"change_pct": 4.6, "close_usd": 182.4}}},
     "Ridgeway closed deep in the red today, 4.6% at $182.40."),
    ({"period": "2024-10", "entities": {"尾号3318信用卡": {"statement_cny": 4210.55}, "尾号7702信用卡": {"statement_cny": 1388.0}}},
     "尾号3318的卡片账单金额为1388.00元。"),
])
def test_idiom_flips_are_caught(facts: dict, text: str) -> None:
    assert issues(facts, text)


@pytest.mark.parametrize(("facts", "text"), [
    ({"company": "Halden", "period": "FY2023", "combined_ratio_pct": 94.3},
     "The combined ratio came in at 94.3% (an underwriting margin of 5.7 points)."),
    ({"bank": "Kestrel Bank", "period": "2024-Q3", "loans_gbp_bn": 48.6, "deposits_gbp_bn": 54.0},
     "Kestrel's £48.6bn loan book is funded by £54bn of customer deposits."),
    ({"as_of": "2024-12-31", "entities": {"USD/CNY": {"close": 7.2993, "ytd_change_pct": 2.78}}},
     "12月31日，在岸人民币兑美元收报7.2993，全年累计贬值约2.8%。"),
    ({"as_of": "2024-04-12", "entities": {"COMEX黄金": {"change_pct": -1.4}, "上期所螺纹钢": {"change_pct": 1.55}}},
     "周五，COMEX黄金期货下跌1.4%；国内螺纹钢主力合约则收涨约1.6%。"),
    ({"as_of": "2024-10-01", "entities": {"Average two-year fixed mortgage": {"rate_pct": 5.45, "month_change_pp": -0.14}}},
     "The average two-year fixed mortgage rate eased 0.14 percentage points over the month to 5.45%."),
])
def test_media_phrasings_pass(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


@pytest.mark.parametrize(("facts", "text"), [
    ({"as_of": "2024-07-12", "entities": {"USD/CNY": {"close": 7.2683, "change_pct": -0.05}}},
     "The yuan closed 0.05% weaker against the dollar at 7.2683 per dollar."),
    ({"customer": "Mrs Whitfield", "as_of": "2024-09-02", "rate_old_pct": 3.5, "rate_new_pct": 3.25},
     "From 2 September 2024 the interest rate on your Instant Saver will increase by 0.25 percentage points to 3.25%."),
    ({"customer": "Ms Nwosu", "period": "2024", "overpayments_gbp": 3000, "term_change_months": -14},
     "Thanks to the £3,000 you overpaid in 2024, your mortgage term has been extended by 14 months."),
    ({"period": "2024", "entities": {"Cocoa futures": {"year_change_pct": 178}, "Arabica coffee futures": {"year_change_pct": 70}}},
     "Coffee surged 178% in 2024."),
])
def test_media_flips_are_caught(facts: dict, text: str) -> None:
    assert issues(facts, text)
