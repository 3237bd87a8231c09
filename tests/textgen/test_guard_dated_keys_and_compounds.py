"""Long reports: keys that carry their own date or scale (``cpi_2026_04_yoy_pct``, ``loans_cny_100mn``,
``pbt_fy2025_gbp_mn``), fiscal years given with their last day, a share's whole written after "of",
a modifier that names the share ("SME lending makes up 27%"), per-item figures (件均赔付), a report's
word for its own group, pence and ringgit amounts, thresholds in a metric's name, and changes in days.
Each behaviour has a near miss that must still be flagged."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()


def flagged(facts: dict, text: str) -> bool:
    return not G.check(text, facts_from_dict(facts)).ok


LOANS_ZH = {"bank": "青禾农商银行", "period": "2026-06", "loans_cny_100mn": 412.5, "customers_10k": 37.2}
CPI = {"country": "Freedonia", "period": "2026-05", "cpi_yoy_pct": 2.4, "cpi_2026_04_yoy_pct": 2.1}
NPL = {"bank": "Larchmont Bank", "period": "2026-Q1", "npl_pct": 1.42, "npl_2025_q4_pct": 1.51}
KESTREL = {"company": "Kestrel plc", "period": "FY2026 (year to 31 March 2026)", "pbt_gbp_mn": 84.0,
           "pbt_fy2025_gbp_mn": 70.0}
APP = {"lender": "Copperfield Finance", "period": "2026-Q2", "customers": 52000, "app_users_pct": 64}
TAMSIN = {"bank": "Tamsin Bank", "period": "2026-H1", "loans_usd_bn": 12.4, "green_share_pct": 27,
          "loan_growth_yoy_pct": 4.1}
CLAIMS_ZH = {"insurer": "银杉保险", "period": "2026-Q2", "claims_paid_cny_100mn": 6.3, "avg_claim_cny": 2870}
GROUP = {"bank": "Harrowgate Bank", "period": "2026-Q1", "cet1_pct": 14.1, "lcr_pct": 148, "npl_ratio_pct": 1.9}
PELLOW = {"company": "Pellow plc", "period": "2026-H1", "interim_dividend_p": 4.8}
ASHBY = {"lender": "Ashby Mortgages", "period": "2026-Q2", "loans_ltv_above_90_pct": 3.2}
BRILL = {"insurer": "Brill Mutual", "period": "H1 2026", "avg_settlement_days": 4.1, "avg_settlement_days_h1_2025": 5.0}
PPI = {"country": "Ruritania", "period": "2026-05", "ppi_yoy_pct": -1.8, "ppi_2026_04_yoy_pct": -2.3}
MUTIARA = {"company": "Seri Mutiara Berhad", "period": "2026-Q1", "revenue_rm_mn": 845.2}
SEOUL = {"period": "2026-03-02", "foreign_net_sell_krw_bn": 215.4}
TERM_ZH = {"bank": "松江银行", "period": "2026-04-01", "term_2y_rate_pct": 1.35, "term_2y_prev_pct": 1.5}
ACORN = {"app": "Acorn", "period": "2026-05", "ytd_saved_usd": 1800, "goal_usd": 3000}


@pytest.mark.parametrize(("facts", "text", "wrong"), [
    # "_100mn" is 亿 and "_10k" is 万
    (LOANS_ZH, "6月末贷款余额412.5亿元，服务客户37.2万户。", False),
    (LOANS_ZH, "6月末贷款余额4125亿元，服务客户37.2万户。", True),
    # a key with its own year and month is that month's figure
    (CPI, "Inflation picked up to 2.4% in May from 2.1% in April.", False),
    (CPI, "Inflation slowed to 2.4% in May from 2.1% in April.", True),
    (CPI, "Inflation stood at 2.1% in May.", True),
    # a difference between a quarter's figure and its dated predecessor has a direction
    (NPL, "The NPL ratio fell 9 basis points over the quarter to 1.42%.", False),
    (NPL, "The NPL ratio rose 9 basis points over the quarter to 1.42%.", True),
    # a fiscal year given with its last day; "pbt" is profit before tax
    (KESTREL, "Profit before tax rose 20% to £84m in the year to March 2026.", False),
    (KESTREL, "Profit before tax fell 20% to £84m in the year to March 2026.", True),
    # "64% of customers": the customers are the whole, not the share's metric
    (APP, "Some 64% of customers now bank through the app.", False),
    (APP, "Some 46% of customers now bank through the app.", True),
    # "green lending makes up 27%": the modifier names the share
    (TAMSIN, "Green lending makes up 27% of the book, which grew 4.1% over the year.", False),
    (TAMSIN, "Green lending makes up 4.1% of the book.", True),
    # 件均赔付: a per-claim figure, not the quarter's total payout
    (CLAIMS_ZH, "二季度赔付6.3亿元，件均赔付约2870元。", False),
    (CLAIMS_ZH, "二季度赔付6.3亿元，件均赔付约2780元。", True),
    # "the Group" is the report's own group
    (GROUP, "The Group NPL ratio was 1.9%, while CET1 at 14.1% and LCR at 148% stay comfortable.", False),
    (GROUP, "Northgate Bank reported an NPL ratio of 1.9%.", True),
    # "_p" keys are pence
    (PELLOW, "The board declared an interim dividend of 4.8p.", False),
    (PELLOW, "The board declared an interim dividend of 48p.", True),
    # a threshold in the metric's name is part of the name
    (ASHBY, "Only 3.2% of loans carry an LTV above 90%.", False),
    (ASHBY, "Only 3.2% of loans carry an LTV above 95%.", True),
    # a change in days between a half and the same half a year before
    (BRILL, "Claims were settled in 4.1 days, 0.9 days faster than a year earlier.", False),
    (BRILL, "Claims were settled in 4.1 days, 1.9 days faster than a year earlier.", True),
    # deflation that deepened grew in size
    (PPI, "Producer price deflation eased to 1.8% from 2.3% a month before.", False),
    (PPI, "Producer price deflation deepened to 1.8% from 2.3% a month before.", True),
    # ringgit amounts written RM…
    (MUTIARA, "Revenue for the quarter was RM845.2 million.", False),
    (MUTIARA, "Revenue for the quarter was RM84.5 million.", True),
    # a fact keyed as a net sale is selling
    (SEOUL, "Foreign investors were net sellers of KRW215.4 billion of stocks.", False),
    (SEOUL, "Foreign investors were net buyers of KRW215.4 billion of stocks.", True),
    # the rate word names the series: the level before the cut is the same rate
    (TERM_ZH, "两年期定期存款利率由1.50%下调至1.35%。", False),
    (TERM_ZH, "两年期定期存款利率由1.50%上调至1.35%。", True),
    # "saved" names a year-to-date total, not a fall
    (ACORN, "You have saved $1,800 so far this year. Your goal is $3,000.", False),
    (ACORN, "You have saved $1,080 so far this year. Your goal is $3,000.", True),
])
def test_long_report_phrasing(facts: dict, text: str, wrong: bool) -> None:
    assert flagged(facts, text) is wrong, G.check(text, facts_from_dict(facts)).issues


def test_size_of_a_cut_is_no_share() -> None:
    facts = {"product": "安居房贷", "period": "2026-03", "rate_pct": 3.0, "rate_prev_pct": 3.25,
             "payment_cny": 4100.0, "balance_cny": 1_640_000}
    assert not flagged(facts, "贷款利率由3.25%下调至3.0%，降幅为0.25个百分点。")
    assert flagged(facts, "贷款利率由3.25%下调至3.0%，降幅为0.25%。")  # points written as %: a wrong number


FIXING = {"period": "2026-02-11", "usdcny_fixing": 7.0412, "usdcny_fixing_prev": 7.0468}


def test_a_currency_named_before_its_rate_moves_the_other_way() -> None:
    # USD/CNY fixed lower: the yuan was set stronger
    assert not flagged(FIXING, "The central bank set a firmer yuan fixing, 7.0412 per dollar against 7.0468.")
    assert not flagged(FIXING, "The central bank strengthened the yuan fixing to 7.0412 per dollar from 7.0468.")
    assert flagged(FIXING, "The central bank weakened the yuan fixing to 7.0412 per dollar from 7.0468.")


MODELS = {"service": "Ferngate Portfolios", "period": "2026-Q2", "cautious_return_pct": 1.12,
          "growth_return_pct": 3.48, "growth_benchmark_pct": 3.05}


def test_both_things_compared_must_be_the_difference_figures() -> None:
    assert not flagged(MODELS, "Growth beat its benchmark by 43 basis points in the quarter.")
    assert flagged(MODELS, "Cautious beat its benchmark by 43 basis points in the quarter.")


TRIP_ZH = {"customer": "林先生", "period": "2026-04", "travel_cny": 8400, "hotel_cny": 3150, "shopping_cny": 4720}


def test_a_hotel_bill_is_its_own_item() -> None:
    assert not flagged(TRIP_ZH, "林先生，4月出游共花费：机票交通8400元，酒店3150元，购物4720元。")
    assert flagged(TRIP_ZH, "林先生，4月出游共花费：机票交通8400元，酒店4720元，购物3150元。")
