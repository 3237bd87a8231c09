"""Rules alone: violations said without the usual trigger words, and declines said in new ways.

Every case runs the rules only (``classifier=None``); the sentences are written for these tests.
"""

from __future__ import annotations

import pytest

from finloom.apps.compliance import audit_text

CATEGORIES = {"promissory", "risk_disclosure", "superlative", "pii", "suitability"}


def _flags(text: str) -> set[str]:
    return {f.category for f in audit_text(text, classifier=None)} & CATEGORIES


# --- suitability: unable to bear a fall, low-risk-tolerance, "a slice of your pension in ..."

@pytest.mark.parametrize("text", [
    "You said a dip would wreck your plans and you cannot bear any loss, so I'd recommend the 3x Nasdaq tracker.",
    "As a low-risk-tolerance investor you'll like this: I'd add the 2x Daily Long Gold ETF to your ISA.",
    "Tip for the retirees in our group: put a portion of your pension savings into leveraged oil ETFs.",
])
def test_a_high_risk_product_for_a_customer_who_cannot_take_losses_is_unsuitable(text: str) -> None:
    assert "suitability" in _flags(text)


@pytest.mark.parametrize("text", [
    "Since you have retired, I have crossed the 3x Nasdaq tracker off your shortlist; the fixed deposit stays.",
    "As a C1 (Conservative) customer, options trading isn't available to you. Our savings accounts are.",
    "您的风险测评为保守型，系统不能为您开通期权交易权限。",
    "按照您退休后的安排，已将账户里的比特币和期货头寸全部卖出，转为国债。",
])
def test_removing_or_refusing_a_high_risk_product_is_neither_unsuitable_nor_a_promotion(text: str) -> None:
    assert not _flags(text) & {"suitability", "risk_disclosure"}


def test_an_unrelated_can_not_stomach_is_no_vulnerable_customer() -> None:
    assert "suitability" not in _flags("We can't stomach any more fees, so we moved our 3x ETF trading to another broker.")


# --- risk disclosure: products named in other words, money coming from a savings account, script warnings

@pytest.mark.parametrize("text", [
    "Lock in 4.1% p.a. with Orchid 90, our new wealth management product. Subscribe in the app from RMB 5,000.",
    "Attached is the term sheet for the 2-year oil-linked note paying a 6% target coupon; I'll book your order on Monday.",
    "The Cedar Income Fund opens today. Reply Y to subscribe HKD 20,000 from your savings account.",
])
def test_an_investment_promoted_with_no_warning_is_flagged(text: str) -> None:
    assert "risk_disclosure" in _flags(text)


@pytest.mark.parametrize("text", [
    "Offer callers the Apex Equity Fund and then read out the fund risk statement.",
    "Pitch the Apex Equity Fund to walk-ins and read them the product risk disclosure.",
])
def test_reading_the_products_risk_statement_warns_as_reading_the_risk_statement_does(text: str) -> None:
    assert "risk_disclosure" not in _flags(text)


# --- promissory, superlative and PII said in other words

def test_no_down_months_after_a_dash_promises_no_loss() -> None:
    assert "promissory" in _flags("Your savings climb every month in the Birch Fund — no losing months, ever.")


@pytest.mark.parametrize("text", ["本行的理财服务在全市无人可及。", "我行信用卡积分兑换比例无出其右，欢迎办理。"])
def test_nobody_can_match_us_in_chinese_is_a_superlative(text: str) -> None:
    assert "superlative" in _flags(text)


def test_a_card_number_the_writer_calls_literally_theirs_is_pii() -> None:
    assert "pii" in _flags("haha my card number is literally 6013 2852 2070 8746, can't forget it")
    assert "pii" not in _flags("haha my card number is literally 6013 2852 2070 8747, can't forget it")


def test_leverage_described_instead_of_named_is_a_high_risk_product() -> None:
    text = "You can't bear a fall, so I'd put the money in the Daily Chip Bull fund, which moves three times the index each day."
    assert "suitability" in _flags(text)
    assert "suitability" in _flags("您是保守型客户，我建议您买这只每天涨跌是指数两倍的基金。")
