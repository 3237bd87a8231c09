"""Sibling names told apart by one word or a tenor, names in brackets after a figure, periods named
in a fact's key, the subject of an outperformance, and currency pairs named by their currencies
(faithfulness dev10/dev14 residuals): each behaviour with its near miss."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict
from finloom.textgen._claims import _currencies_by_position
from finloom.textgen._conflicts import pair_codes

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


DEPOSITS = {"as_of": "2024-10-01", "entities": {"3-month TD": {"rate_pct": 4.6}, "6-month TD": {"rate_pct": 4.85},
                                                "12-month TD": {"rate_pct": 4.7}, "Bonus saver": {"rate_pct": 5.25}}}
MORTGAGES = {"as_of": "2024-10-01", "entities": {
    "Average two-year fixed mortgage": {"rate_pct": 5.45, "month_change_pp": -0.14},
    "Average five-year fixed mortgage": {"rate_pct": 5.09, "month_change_pp": -0.15}}}
FORECAST = {"bank": "Reserve Bank of Australia", "as_of": "2024-02-06", "cash_rate_pct": 4.35,
            "trimmed_mean_forecast_dec_2024_pct": 3.2}
PORTFOLIOS = {"period": {"start": "2024-12-16", "end": "2024-12-20"},
              "entities": {"组合C（稳健）": {"weekly_return_pct": 0.11}, "沪深300": {"weekly_return_pct": -0.14}},
              "aliases": {"组合C（稳健）": ["稳健组合"]}}
ZH_PAIRS = {"as_of": "2024-11-20", "entities": {"澳元兑人民币": {"rate": 4.7215}, "加元兑人民币": {"rate": 5.1784},
                                                "美元兑人民币": {"rate": 7.2381}},
            "aliases": {"澳元兑人民币": ["AUD/CNY"], "加元兑人民币": ["CAD/CNY"], "美元兑人民币": ["USD/CNY"]}}
AUD = {"entity": "AUD/CNY", "periods": {"2024-09-30": {"close": 4.8512}, "2024-12-31": {"close": 4.5218}}}
CROSSES = {"as_of": "2024-11-15", "entities": {"AUD/USD": {"close": 0.6462, "change_pct": 0.32},
                                               "NZD/USD": {"close": 0.5871, "change_pct": 0.29}}}

FLOWS = {"period": "2024-Q4", "entities": {"Crescent Global Equity Fund": {"net_flow_usd_mn": -88.5, "return_pct": 2.1},
                                           "Crescent Asia Income Fund": {"net_flow_usd_mn": 41.2, "return_pct": -4.3}}}
TRACKERS = {"period": "2024", "entities": {
    "Lighthouse S&P 500 Tracker": {"return_pct": 24.82, "tracking_difference_pct": -0.09},
    "Beacon US Large Cap Fund": {"return_pct": 21.37, "tracking_difference_pct": -3.54}}}
MONEY_FUNDS = {"as_of": "2025-01-03", "entities": {
    "鑫享货币A": {"annualized_yield_pct": 1.512, "per_10k_units_income_cny": 0.4123},
    "鑫享货币B": {"annualized_yield_pct": 1.754, "per_10k_units_income_cny": 0.4781}}}


@pytest.mark.parametrize(("facts", "text"), [
    (DEPOSITS, "Rates today: Bonus saver 5.25%; term deposits 4.6% (3-month), 4.85% (6-month), 4.7% (12-month). "
               "The 6-month beats the 12-month by 15bp."),
    (MORTGAGES, "The average two-year fixed mortgage rate eased 0.14 percentage points over the month to 5.45%, "
                "while the five-year equivalent fell 15 basis points to 5.09%."),
    (FORECAST, "RBA on 6 Feb: cash rate steady at 4.35%. New forecasts to Dec 2024 — trimmed mean 3.2%."),
    (PORTFOLIOS, "本周稳健组合小幅收涨0.11%；同期沪深300跌0.14%，稳健组合跑赢约0.25个百分点。"),
    (ZH_PAIRS, "今日汇率：AUD/CNY 4.7215，CAD/CNY 5.1784，USD/CNY 7.2381。加元比澳元每单位多换约0.46元人民币。"),
    ({"entity": "CAD/CNY", "as_of": "2024-12-20", "rate": 5.0712, "change_pct": -0.31},
     "FX alert: CAD/CNY eased 0.31% to 5.0712, so the loonie buys a little less yuan today."),
    (AUD, "The Aussie dollar weakened against the yuan in Q4: AUD/CNY went from 4.8512 to 4.5218."),
    (CROSSES, "Into the weekend, the Aussie climbed 0.32% to $0.6462."),
    ({"index": "Bitcoin", "period": {"start": "2024-11-04", "end": "2024-11-10"}, "change_pct": 16.7},
     "Bitcoin ripped 16.7% in the week of 4–10 Nov 2024."),
    ({"period": "2024", "entities": {"Cocoa": {"change_pct": 178.0}, "Coffee (Arabica)": {"change_pct": 70.3}}},
     "Cocoa prices rose 178% and Arabica coffee added 70.3%."),
    ({"customer": "Zoe", "period": "2024-10", "emergency_fund_usd": 9000, "monthly_expenses_usd": 3000},
     "You've got $9,000 set aside and spend about $3,000 a month, so your emergency fund covers 3 months."),
    ({"customer": "赵女士", "as_of": "2024-05-20", "remaining_terms_count": 168}, "剩余168期（即14年）。"),
    (FLOWS, "Asia Income took in $41.2m despite a 4.3% loss, and Global Equity saw outflows of $88.5m even though "
            "it gained 2.1%."),
    (TRACKERS, "In 2024 the Lighthouse S&P 500 Tracker returned 24.8%, while Beacon US Large Cap Fund made 21.4%. "
               "The tracker trailed its index by just 0.09%."),
    (MONEY_FUNDS, "鑫享货币A年化收益率1.512%，B类1.754%；每万份收益分别约为0.41元和0.48元。"),
    ({"period": "2024-03-14", "entities": {"Hang Seng Index": {"change_pct": -1.46},
                                           "Hang Seng China Enterprises Index": {"change_pct": -1.82}}},
     "The Hang Seng Index shed about 1.5%, while the China Enterprises gauge lost 1.8%."),
    ({"period": "2024-05", "entities": {"CSI 300": {"change_pct": -0.68}, "Hang Seng Index": {"change_pct": 1.78}}},
     "May: CSI 300 -0.68%, Hang Seng +1.8%. Hang Seng beat the CSI 300 by ~2.5 pts."),
    ({"index": "DAX", "period": "2024-06-13", "change_pct": -0.85, "close": 18265.68},
     "The DAX posted a 0.85% loss to 18,266."),
    ({"period": "2024-12", "entities": {"US CPI": {"cpi_yoy_pct": 2.9}, "UK CPI": {"cpi_yoy_pct": 2.5}}},
     "US inflation ran at 2.9% and UK inflation at 2.5%."),
    ({"entity": "财新中国服务业PMI", "periods": {"2024-11": {"pmi": 51.5}, "2024-10": {"pmi": 52.0}}},
     "11月财新中国服务业PMI为51.5，较10月回落0.5。"),
    ({"bank": "江南商业银行", "periods": {"2024-12": {"总资产_cny_yi": 102500}, "2023-12": {"总资产_cny_yi": 95800}}},
     "截至2024年末，全行总资产10.25万亿元，比上年末增加6700亿元。"),
    ({"customer": "Hannah", "as_of": "2024-08-20", "remaining_term_months": 258},
     "There are 258 months left, which is 21 and a half years."),
    ({"customer": "何静", "as_of": "2024-09-05", "installment_amount_cny": 12000, "monthly_fee_rate_pct": 0.6},
     "您申请的1.2万元账单分期，每期手续费率0.6%，即每月手续费72元。"),
    ({"company": "Tidewater", "period": "2024-H1", "combined_ratio_pct": 98.7, "combined_ratio_change_pp": 2.1},
     "Tidewater's combined ratio worsened by 2.1 points to 98.7% in the first half."),
    ({"period": "2024-Q3", "entities": {"Harlow Bank": {"net_profit_gbp_mn": 640}, "Quayside Bank": {"net_profit_gbp_mn": 256}}}, "Harlow earned two and a half times as much as Quayside in Q3 2024 (£640m vs £256m)."),
    ({"period": "FY2023", "entities": {"Wexford Life": {"solvency_ratio_pct": 187}, "Calder Re": {"solvency_ratio_pct": 214}}},
     "Calder Re had the stronger balance sheet, with a solvency ratio of 214% against 187% for Wexford."),
])
def test_faithful_text_passes(facts: dict, text: str) -> None:
    assert reasons(facts, text) == []


@pytest.mark.parametrize(("facts", "text"), [
    (DEPOSITS, "Rates today: Bonus saver 5.25%; term deposits 4.85% (3-month), 4.6% (6-month)."),  # swapped
    (MORTGAGES, "The two-year fixed rate eased 0.14 points to 5.45%, while the five-year equivalent fell to 5.45%."),
    (FORECAST, "RBA on 6 Feb: cash rate steady at 4.35%. New forecasts to Dec 2025 — trimmed mean 3.2%."),
    (PORTFOLIOS, "本周稳健组合小幅收涨0.11%；同期沪深300跌0.14%，稳健组合跑输约0.25个百分点。"),
    (AUD, "The Aussie dollar strengthened against the yuan in Q4: AUD/CNY went from 4.8512 to 4.5218."),
    (CROSSES, "Into the weekend, the kiwi dollar climbed 0.32% to $0.6462."),
    ({"period": "2024", "entities": {"MSCI World": {"return_pct": 17.0}, "MSCI Emerging Markets": {"return_pct": 5.05}}},
     "In 2024 the MSCI World returned 17.00%, more than three times the 5.05% gained by MSCI China."),
    ({"customer": "Zoe", "period": "2024-10", "emergency_fund_usd": 9000, "monthly_expenses_usd": 3000},
     "You've got $9,000 set aside and spend about $3,000 a month, so your emergency fund covers 4 months."),
    ({"customer": "赵女士", "as_of": "2024-05-20", "remaining_terms_count": 168}, "剩余168期（即15年）。"),
    (FLOWS, "Asia Income took in $41.2m despite a 4.3% loss, and Global Equity saw outflows of $88.5m even though "
            "it lost 2.1%."),
    (TRACKERS, "In 2024 the Lighthouse S&P 500 Tracker returned 24.8%, while Beacon US Large Cap Fund made 21.4%. "
               "The tracker trailed its index by 3.54%."),
    (MONEY_FUNDS, "鑫享货币A年化收益率1.512%，B类1.754%；每万份收益分别约为0.48元和0.41元。"),
    ({"fund": "Blue Harbor Dividend Fund", "period": "2023", "dividend_yield_pct": 4.6},
     "The Blue Harbor Dividend Fund yields 4.6% and is rated 5 stars by our clients."),
    ({"fund": "景行成长精选", "period": "2024", "return_pct": 21.35}, "景行成长精选2024年收益21.35%，管理规模超百亿元。"),
    ({"index": "DAX", "period": "2024-06-13", "change_pct": -0.85, "close": 18265.68},
     "The DAX posted a 0.85% gain to 18,266."),
    ({"period": "2024-05", "entities": {"CSI 300": {"change_pct": -0.68}, "Hang Seng Index": {"change_pct": 1.78}}},
     "May: CSI 300 -0.68%, Hang Seng +1.8%. Hang Seng beat the CSI 300 by ~3.5 pts."),
    ({"period": "2024-12", "entities": {"US CPI": {"cpi_yoy_pct": 2.9}, "UK CPI": {"cpi_yoy_pct": 2.5}}},
     "US inflation ran at 2.5% and UK inflation at 2.9%."),
    ({"entity": "财新中国服务业PMI", "periods": {"2024-11": {"pmi": 51.5}, "2024-10": {"pmi": 52.0}}},
     "11月财新中国服务业PMI为51.5，较9月回落0.5。"),
    ({"as_of": "2024-12-20", "entities": {"HKD/CNY": {"rate": 0.9386, "change_ytd_pct": 3.2}, "USD/CNY": {"rate": 7.2993}}},
     "截至12月20日，美元兑人民币报0.9386，港币年内对人民币升值约3.2%。"),
    ({"customer": "Hannah", "as_of": "2024-08-20", "remaining_term_months": 258},
     "There are 258 months left, which is 22 and a half years."),
    ({"customer": "何静", "as_of": "2024-09-05", "installment_amount_cny": 12000, "monthly_fee_rate_pct": 0.6},
     "您申请的1.2万元账单分期，每期手续费率0.6%，即每月手续费82元。"),
    ({"name": "金穗白金信用卡", "period": "2024", "annual_fee_cny": 580, "cash_advance_fee_pct": 1},
     "年费580元，年内刷满6笔可免次年年费；取现手续费为1%。"),
    ({"company": "Tidewater", "period": "2024-H1", "combined_ratio_pct": 98.7, "combined_ratio_change_pp": 2.1},
     "Tidewater's combined ratio improved by 2.1 points to 98.7% in the first half."),
    ({"period": "2024-Q3", "entities": {"Harlow Bank": {"net_profit_gbp_mn": 640}, "Quayside Bank": {"net_profit_gbp_mn": 256}}}, "Harlow earned two and a half times as much as Quayside in Q3 2024 (£256m vs £640m)."),
])
def test_near_miss_is_flagged(facts: dict, text: str) -> None:
    assert reasons(facts, text)


def test_a_longer_currency_name_hides_the_shorter_one() -> None:
    assert [code for _, code in _currencies_by_position("the aussie dollar rose against the yuan")] == ["AUD", "CNY"]
    assert {code for _, code in _currencies_by_position("the dollar rose against the loonie")} == {"USD", "CAD"}


def test_pair_codes_read_chinese_pairs_and_ignore_words() -> None:
    assert pair_codes("加元兑人民币") == ("CAD", "CNY")
    assert pair_codes("Harbor Bank") is None
