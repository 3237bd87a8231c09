"""What a facts object describes in words (a product, segment, card, merchant, indicator, share class)
and the siblings a text may put in its place; which way money went (net flows, refunds); periods
written as "full year" or noted "(截至 date)". Each behaviour with its near miss."""

from __future__ import annotations

import datetime as dt

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict
from finloom.textgen._descriptors import descriptors_of
from finloom.textgen._periods import parse_period

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


AUTO = {"customer": "Ms Park", "product": "auto loan", "period": "2024-05", "balance_usd": 9120.5}
LIFE = {"policyholder": "孙先生", "product": "终身寿险", "period": "2024-06", "annual_premium_cny": 8800}
SEGMENT = {"bank": "北岭银行", "segment": "公司金融", "period": "2024-H1", "profit_cny_yi": 52.4}
UK_CPI = {"indicator": "UK CPI yoy", "period": "2024-05", "value_pct": 2.0}
UK_CPI_AND_CORE = {"entity": "UK CPI", "period": "2024-05", "cpi_yoy_pct": 2.0, "core_cpi_yoy_pct": 3.5}
ZH_CLASS = {"fund": "明川价值混合A", "as_of": "2024-07-12", "nav_cny": 1.2345}
EN_CLASS = {"fund": "Harbor Growth Fund C", "as_of": "2024-07-12", "nav_gbp": 2.118}
GERMANY = {"indicator": "Germany manufacturing PMI", "period": "2024-06", "value": 43.5}
BIRCH = {"fund": "Birch Europe Income Fund", "period": "2024", "return_pct": 4.2}
RETAIL = {"indicator": "Canada retail sales yoy", "period": "2024-04", "value_pct": -1.1}
JOBLESS = {"indicator": "Canada unemployment rate", "period": "2024-04", "value_pct": 6.1}
BUDGET_EN = {"customer": "Ms Lee", "period": "2024-07", "income_usd": 4200, "spending_usd": 4650}
BUDGET_ZH = {"customer": "马先生", "period": "2024-07", "income_cny": 9800, "spending_cny": 8900}
REFUND = {"customer": "周女士", "period": "2024-08-02", "transaction": "退货退款", "merchant": "苏宁", "amount_cny": 560}
SHOP = {"customer": "吴女士", "merchant": "山姆会员店", "period": "2024-08", "amount_cny": 2300}
HALF = {"pair": "EUR/USD", "period": "2024-H1", "change_pct": -3.0}
SO_FAR = {"insurer": "青松人寿", "period": "2024年度（截至2024-06-30）", "claims_paid_cny_yi": 18.6}


@pytest.mark.parametrize(("facts", "text", "flagged"), [
    (AUTO, "Your mortgage balance is $9,120.50.", True),
    (AUTO, "Your auto loan balance is $9,120.50.", False),
    (AUTO, "Your loan balance is $9,120.50.", False),  # "loan" alone is every loan
    (LIFE, "孙先生，您的意外险年缴保费8800元。", True),
    (LIFE, "孙先生，您的寿险年缴保费8800元。", False),
    (SEGMENT, "上半年北岭银行零售金融业务利润52.4亿元。", True),
    (SEGMENT, "上半年北岭银行公司金融业务利润52.4亿元。", False),
    (UK_CPI, "UK core inflation was 2.0% in May.", True),
    (UK_CPI, "UK inflation was 2.0% in May.", False),
    (UK_CPI_AND_CORE, "Core inflation was 3.5% in May, headline 2.0%.", False),  # the facts cover core too
    (ZH_CLASS, "明川价值混合C最新单位净值1.2345元。", True),
    (ZH_CLASS, "明川价值混合A最新单位净值1.2345元。", False),
    (EN_CLASS, "Harbor Growth Fund A shares were priced at £2.118.", True),
    (EN_CLASS, "Harbor Growth Fund C shares were priced at £2.118.", False),
    (GERMANY, "France's manufacturing PMI fell to 43.5 in June.", True),
    (GERMANY, "Germany's manufacturing PMI was 43.5 in June; contact us for the full note.", False),
    (BIRCH, "Birch Japan Income Fund returned 4.2% in 2024.", True),
    (BIRCH, "Birch Europe Income returned 4.2% in 2024.", False),
])
def test_a_sibling_of_what_the_facts_describe_is_another_entity(facts: dict, text: str, flagged: bool) -> None:
    assert ("entity" in reasons(facts, text)) is flagged


def test_descriptors_are_the_word_values_of_the_facts() -> None:
    assert descriptors_of(SHOP) == (("customer", "吴女士"), ("merchant", "山姆会员店"))
    assert facts_from_dict(AUTO).descriptors == (("customer", "Ms Park"), ("product", "auto loan"))


def test_an_indicator_named_as_a_change_gives_its_value_a_direction() -> None:
    assert "direction" in reasons(RETAIL, "Canadian retail sales grew 1.1% year on year in April.")
    assert reasons(RETAIL, "Canadian retail sales fell 1.1% year on year in April.") == []
    assert [f.direction for f in facts_from_dict(JOBLESS)] == [None]  # a rate is a level
    assert reasons(JOBLESS, "Canada's unemployment rate was 6.1% in April.") == []


@pytest.mark.parametrize(("facts", "text", "flagged"), [
    (BUDGET_EN, "July: income $4,200, spending $4,650. That is a net outflow of $450.", False),
    (BUDGET_EN, "July: income $4,200, spending $4,650. That is a net inflow of $450.", True),
    (BUDGET_ZH, "马先生7月收入9800元，支出8900元，结余900元。", False),
    (BUDGET_ZH, "马先生7月收入9800元，支出8900元，净流出900元。", True),
])
def test_a_net_flow_must_go_the_way_money_in_minus_money_out_goes(facts: dict, text: str, flagged: bool) -> None:
    assert ("direction" in reasons(facts, text)) is flagged


def test_a_refund_is_no_charge() -> None:
    assert "direction" in reasons(REFUND, "周女士，您的信用卡于8月2日在苏宁扣款560元。")
    assert reasons(REFUND, "周女士，您在苏宁的退款560元已于8月2日入账。") == []


@pytest.mark.parametrize(("text", "flagged"), [
    ("吴女士，您8月在沃尔玛消费2300元。", True),
    ("吴女士，您8月在山姆消费2300元。", False),  # a short form of the facts' merchant
    ("吴女士，您8月在超市消费2300元。", False),  # a kind of shop, not a name
])
def test_a_merchant_the_facts_do_not_name(text: str, flagged: bool) -> None:
    assert ("entity" in reasons(SHOP, text)) is flagged


def test_the_full_year_beside_a_figure_is_the_whole_year() -> None:
    assert "period" in reasons(HALF, "EUR/USD fell 3.0% over the full year 2024.")
    assert reasons(HALF, "EUR/USD fell 3.0% in the first half of 2024.") == []
    assert reasons(HALF, "EUR/USD fell 3.0% in H1 2024. The full-year outlook is unchanged.") == []


def test_a_period_noted_as_running_to_a_date() -> None:
    assert parse_period("2024年度（截至2024-06-30）") == (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert parse_period("2024 (unaudited)") == (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert "period" in reasons(SO_FAR, "青松人寿2023年度累计赔付18.6亿元。")
    assert reasons(SO_FAR, "青松人寿2024年上半年累计赔付18.6亿元。") == []


def test_a_country_in_a_merchant_name_does_not_make_the_facts_about_a_country() -> None:
    airline = {"customer": "Mr Wang", "merchant": "China Eastern Airlines", "period": "2024-08", "amount_usd": 820}
    assert reasons(airline, "While in Japan you paid $820 to China Eastern Airlines.") == []
    assert "entity" in reasons(GERMANY, "In Japan the manufacturing PMI was 43.5 in June.")


EXPORTS = {"indicator": "中国出口同比", "period": "2024-05", "value_pct": 7.6}
ZH_FUND = {"customer": "许女士", "fund": "澜石稳健增利债券", "as_of": "2024-05-31", "nav_cny": 1.0562}


@pytest.mark.parametrize(("facts", "text", "flagged"), [
    (EXPORTS, "5月进口同比增长7.6%。", True),
    (EXPORTS, "5月出口同比增长7.6%。", False),
    (ZH_FUND, "许女士，澜石纯债增利债券最新净值1.0562元。", True),
    (ZH_FUND, "许女士，澜石稳健债券最新净值1.0562元。", False),  # a word left out is the same fund
])
def test_an_indicator_or_fund_with_another_middle_word(facts: dict, text: str, flagged: bool) -> None:
    assert ("entity" in reasons(facts, text)) is flagged
