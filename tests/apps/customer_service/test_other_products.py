"""Other companies' products, cards that are not payment cards and money subjects outside the
bank's business (tax rules, insurance shopping, shop arithmetic, landlords), with the Loom Bank
questions that share their words. Sentences are written for these tests (not from any eval set)."""

from __future__ import annotations

import pytest

from finloom.apps.customer_service._other_products import (
    is_outside_money_subject,
    names_other_company,
    names_other_product,
)


@pytest.mark.parametrize("text", [
    "does Starling let you round up purchases?", "my Afterpay instalment bounced",
    "is the American Express Gold card worth it", "微众银行的存款利率高吗", "京东白条能分几期",
    "how many points are on my coffee shop loyalty card?", "my railcard expired last week",
    "超市储值卡里的钱能取出来吗", "which lender gives the lowest rate on a car loan?",
    "compare credit cards for me", "哪家银行的房贷利率最低",
])
def test_other_companies_and_non_bank_cards(text: str) -> None:
    assert names_other_company(text)


@pytest.mark.parametrize("text", [
    "can someone chase up my missing transfer?", "would it be wise to pay off my card early?",
    "which of your credit cards has no annual fee?", "which bank ATMs can I use for free?",
    "how do I add my debit card to Google Pay?", "what rewards do I earn on the Platinum card?",
])
def test_loom_questions_that_share_their_words_are_not_other_companies(text: str) -> None:
    assert not names_other_company(text)


@pytest.mark.parametrize(("text", "theirs"), [
    ("I think I dropped my Halifax card on the bus", True), ("my Klarna plan says payment overdue", True),
    ("我的支付宝余额不见了", True), ("lost my gym membership card", True), ("地铁卡丢了", True),
    ("Netflix took two payments this month", False), ("the Uber charge was double", False),
    ("please freeze my Loom credit card", False), ("我的借记卡丢了", False),
])
def test_another_companys_product_is_told_from_a_shop_a_payment_went_to(text: str, theirs: bool) -> None:
    assert names_other_product(text) is theirs


@pytest.mark.parametrize("text", [
    "how is inheritance tax worked out on a house left to me?", "when is my self-assessment due?",
    "what VAT do builders charge?", "卖房子要交多少税", "专项附加扣除怎么填",
    "who does the cheapest van insurance?", "is pet cover worth getting for an old cat?", "重疾险哪家好",
    "a sofa is 900 with 15% off, what's the final price?", "how do four of us split the bill fairly?",
    "衣服原价300打七折多少钱", "can a landlady refuse to return the deposit?",
])
def test_money_subjects_outside_the_bank(text: str) -> None:
    assert is_outside_money_subject(text)


@pytest.mark.parametrize("text", [
    "is the interest on my saver taxed?", "where do I find my annual interest statement for my tax return?",
    "does deposit insurance cover my joint account?", "是否需要为存款利息缴纳个税",
    "does your Gold card include travel insurance?", "how do I pay rent to my landlord by standing order?",
    "what discount do students get on the account fee?",
])
def test_loom_questions_about_tax_insurance_rent_and_discounts_stay_in_scope(text: str) -> None:
    assert not is_outside_money_subject(text)
