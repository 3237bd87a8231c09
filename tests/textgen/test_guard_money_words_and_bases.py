"""Currency words after the number, cents per dollar, month ranges, "the same quarter of 2023",
levels a year before a change, relative changes of two rates and flow verbs — each with a near miss.
Texts written for these tests, not taken from any labelled set."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()
BANK = {"entity": "Kestrel Bank", "period": "FY2023", "revenue_usd_bn": 12.4, "revenue_yoy_pct": 5.1}
PROFIT = {"entity": "Kestrel Bank", "period": "2024-Q1", "net_profit_usd_mn": 523.4, "net_profit_yoy_pct": -3.4}
NPL = {"entity": "Kestrel Bank", "period": "2024-Q1", "npl_ratio_pct": 1.52, "npl_ratio_prev_pct": 1.61}
HALF = {"entity": "Kestrel Bank", "periods": {"2024-H1": {"net_profit_usd_mn": 1410.0},
                                               "2023-H1": {"net_profit_usd_mn": 1326.5}}}
CLAIMS = {"company": "Osprey Mutual", "period": "FY2023", "claims_paid_usd_mn": 1520.0, "premiums_usd_mn": 2000.0}
FLOWS = {"period": "2024-03", "entities": {"Osprey Income Fund": {"net_flow_usd_mn": -120.5}}}


def flagged(facts: dict, text: str, lang: str = "en") -> list[str]:
    return [i.text for i in G.check(text, facts_from_dict(facts), lang=lang).issues]


FAITHFUL = [
    (BANK, "In FY23 Kestrel Bank's revenue rose 5.1% to 12.4 billion dollars."),
    (BANK, "Kestrel Bank's revenue came to 12.4 billion US dollars in 2023, 5.1% more than in 2022."),
    (CLAIMS, "Osprey Mutual paid out roughly 76 cents of every premium dollar in claims in FY2023."),
    (HALF, "Kestrel earned $1.41bn in January to June 2024, up about $84m on the same half of 2023."),
    (PROFIT, "Kestrel Bank earned $523.4 million in Q1 2024, against about $541.8 million in Q1 2023."),
    (PROFIT, "Kestrel Bank earned $523.4m in Q1 2024. In the same quarter of 2023 it had earned $541.8m."),
    (PROFIT, "Kestrel Bank's net profit fell short of last year's by 3.4% in Q1 2024."),
    (NPL, "Kestrel Bank's NPL ratio fell from 1.61% to 1.52%, a relative decline of 5.6%."),
]
ERRORS = [
    (BANK, "In FY23 Kestrel Bank's revenue rose 5.1% to 12.4 billion euros.", "12.4 billion euros"),
    (CLAIMS, "Osprey Mutual paid out roughly 67 cents of every premium dollar in claims in FY2023.", "67 cents"),
    (PROFIT, "Kestrel Bank earned $523.4m in Q1 2024. In the same quarter of 2022 it had earned $541.8m.", "$541.8m"),
    (PROFIT, "Kestrel Bank earned $523.4 million in Q1 2024, against about $541.8 million in Q1 2024.", "$541.8 million"),
    (NPL, "Kestrel Bank's NPL ratio fell from 1.61% to 1.52%, a relative decline of 6.5%.", "6.5%"),
    (FLOWS, "Investors poured a net $120.5 million into the Osprey Income Fund in March 2024.", "$120.5 million"),
]


@pytest.mark.parametrize(("facts", "text"), FAITHFUL)
def test_faithful_text_passes(facts: dict, text: str) -> None:
    assert flagged(facts, text) == []


@pytest.mark.parametrize(("facts", "text", "wrong"), ERRORS)
def test_planted_error_is_flagged(facts: dict, text: str, wrong: str) -> None:
    assert any(wrong in f or f in wrong for f in flagged(facts, text)), flagged(facts, text)


def test_chinese_same_period_of_a_year_and_inflow_slang() -> None:
    facts = {"entity": "鹭岛银行", "period": "2024-Q1", "net_profit_cny_yi": 52.3, "net_profit_yoy_pct": 4.1}
    assert flagged(facts, "鹭岛银行2024年一季度净利润52.3亿元，2023年同期约为50.2亿元。", "zh") == []
    assert flagged(facts, "鹭岛银行2024年一季度净利润52.3亿元，2022年同期约为50.2亿元。", "zh")
    flows = {"period": "2024-03", "entities": {"鹭岛成长基金": {"net_flow_cny_yi": -1.2}}}
    assert flagged(flows, "鹭岛成长基金3月吸金1.2亿元。", "zh")
    assert flagged(flows, "鹭岛成长基金3月资金净流出1.2亿元。", "zh") == []


def test_phone_numbers_service_hours_and_list_counters_are_not_figures() -> None:
    assert flagged(PROFIT, "Kestrel Bank made $523.4m in Q1 2024 (-3.4% y/y). Call 800-555-0199 for the release.") == []
    assert flagged(PROFIT, "Kestrel Bank's Q1 2024 in brief: 1) profit $523.4m; 2) 3.4% below a year earlier.") == []
    assert flagged(PROFIT, "Kestrel Bank made $523.4m in Q1 2024. Our 24/7 team can help.") == []
    zh = {"entity": "鹭岛银行", "period": "2024-Q1", "net_profit_cny_yi": 52.3}
    assert flagged(zh, "鹭岛银行一季度净利润约52亿元，详询客服热线95577，7×24小时在线。", "zh") == []
    # near misses: a wrong figure beside a phone number is still caught
    assert flagged(PROFIT, "Kestrel Bank made $523.4m in Q1 2024, down 4.3%. Call 800-555-0199 for details.")
    assert flagged(PROFIT, "Kestrel Bank made $523.4m in Q1 2024; the 1) target price is $55.")


def test_tenths_of_a_point_and_moves_with_both_ends() -> None:
    jobs = {"entity": "United States", "period": "2024-09", "unemployment_rate_pct": 4.1,
            "unemployment_rate_change_pp": -0.1}
    assert flagged(jobs, "The US unemployment rate dipped a tenth of a point to 4.1% in September 2024.") == []
    assert flagged(jobs, "The US unemployment rate edged up a tenth of a point to 4.1% in September 2024.")
    rate = {"customer": "王女士", "as_of": "2024-10-31", "mortgage_rate_pct": 3.55, "previous_mortgage_rate_pct": 3.8}
    assert flagged(rate, "王女士，您的房贷执行利率已由3.8%下调至3.55%。", "zh") == []
    assert flagged(rate, "王女士，您的房贷执行利率已由3.8%上调至3.55%。", "zh")
    uk = {"entity": "UK", "period": "2024-09", "unemployment_pct": 4.0, "unemployment_prev_pct": 4.1}
    assert flagged(uk, "UK unemployment fell from 4.1% to 4.0% in September 2024.") == []
    assert flagged(uk, "UK unemployment rose from 4.1% to 4.0% in September 2024.")


def test_the_rest_of_a_half_less_inflow_and_a_level_named_longer() -> None:
    bank = {"bank": "鹭岛银行", "periods": {"2024-H1": {"net_profit_cny_yi": 612.4}, "2024-Q2": {"net_profit_cny_yi": 320.1}}}
    assert flagged(bank, "鹭岛银行上半年净利润612.4亿元，其中二季度320.1亿元，推算一季度约292.3亿元。", "zh") == []
    flows = {"entity": "北向资金", "periods": {"2024-10": {"net_inflow_cny_yi": 502.4}, "2024-09": {"net_inflow_cny_yi": 560.0}}}
    assert flagged(flows, "10月北向资金净流入502.4亿元，较9月少流入约58亿元。", "zh") == []
    assert flagged(flows, "10月北向资金净流入502.4亿元，较9月多流入约58亿元。", "zh")
    book = {"entity": "Kestrel Bank", "period": "2024-Q3", "mortgage_book_usd_bn": 96.3, "mortgage_qoq_pct": 1.2}
    assert flagged(book, "Kestrel's mortgage book was about $95.2bn at the end of Q2 2024 and $96.3bn by the end of Q3.") == []
    assert flagged(book, "Kestrel's mortgage book was about $94.2bn at the end of Q2 2024 and $96.3bn by the end of Q3.")


def test_contract_short_names_month_end_bases_and_cash_withdrawals() -> None:
    metals = {"period": "2024-05", "entities": {"沪锌主力": {"change_pct": 3.21}, "沪镍主力": {"change_pct": -1.4}}}
    assert flagged(metals, "5月沪锌主力月涨3.21%，沪镍跌1.4%。", "zh") == []
    assert flagged(metals, "5月沪锌主力月涨3.21%，沪镍跌3.21%。", "zh")
    fx = {"entity": "国家外汇储备", "as_of": "2024-10-31", "reserves_usd_yi": 32611, "mom_change_usd_yi": -553}
    assert flagged(fx, "截至10月末，外汇储备约3.26万亿美元，较9月末下降553亿美元。", "zh") == []
    card = {"bank": "Kestrel Bank", "as_of": "2024-05-01", "cash_advance_fee_pct": 3, "late_fee_gbp": 12}
    assert flagged(card, "From 1 May 2024 cash withdrawals cost 3% and a late payment costs £12.") == []
    spend = {"customer": "Ms Osei", "period": "2024-08", "entities": {"Groceries": {"spend_gbp": 301.5},
                                                                     "Fuel": {"spend_gbp": 88.4}}}
    assert flagged(spend, "In August 2024 you spent £301.50 on groceries and £88.40 on fuel.") == []
    assert flagged(spend, "In August 2024 you spent £88.40 on groceries and £301.50 on fuel.")


def test_a_change_measured_from_the_wrong_quarter_end_or_basis() -> None:
    bank = {"bank": "鹭岛农商银行", "periods": {"2024-Q1": {"deposits_cny_yi": 1284.6}, "2023-Q4": {"deposits_cny_yi": 1231.0}}}
    assert flagged(bank, "截至2024年一季度末，存款余额1284.6亿元，较2023年末增加53.6亿元。", "zh") == []
    assert flagged(bank, "截至2024年一季度末，存款余额1284.6亿元，较2023年三季度末增加53.6亿元。", "zh")
    pmi = {"entity": "中国", "period": "2024-12", "manufacturing_pmi": 50.1, "manufacturing_pmi_prev_month": 50.3}
    assert flagged(pmi, "12月制造业PMI为50.1，较上月回落0.2。", "zh") == []
    assert flagged(pmi, "12月制造业PMI为50.1，较去年同期回落0.2。", "zh")


def test_chinese_change_metrics_hedges_after_a_number_bonuses_and_names_with_numbers() -> None:
    trade = {"facts": [{"entity": "中国", "metric": "进口同比", "value": -1.9, "unit": "%", "period": "2024-03"}]}
    assert flagged(trade, "3月进口同比下降1.9%。", "zh") == []
    assert flagged(trade, "3月进口同比增长1.9%。", "zh")
    hsi = {"index": "恒生指数", "period": "2024-09", "change_pct": 17.48, "close_points": 21133.68}
    assert flagged(hsi, "恒指9月大涨17.5%，收在21,100点附近。", "zh") == []
    assert flagged(hsi, "恒指9月大涨17.5%，收在21,200点附近。", "zh")
    saver = {"name": "Kestrel Saver", "as_of": "2024-06-01", "rate_pct": 3.75, "bonus_rate_pct": 0.5}
    assert flagged(saver, "From 1 June 2024 it pays 3.75%, or 4.25% in a month with no withdrawals thanks to a 0.5% bonus.") == []
    assert flagged(saver, "From 1 June 2024 it pays 3.75%, or 4.35% in a month with no withdrawals thanks to a 0.5% bonus.")
    cards = {"facts": [{"entity": "卡中心", "metric": "30天以上逾期率", "value": 2.17, "unit": "%", "period": "2024-09"},
                       {"entity": "卡中心", "metric": "平均催收天数", "value": 23, "unit": "days", "period": "2024-09"}]}
    assert flagged(cards, "9月卡中心30天以上逾期率2.17%，平均催收天数23天。", "zh") == []
