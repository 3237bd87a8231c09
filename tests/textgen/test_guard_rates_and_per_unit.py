"""Exchange rates (conversions, cross rates, pips), amounts per unit or per period, and a written percentage
of an amount: derivations one step from the facts, and the near-misses that must still be flagged."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard

GUARD = FaithfulnessGuard()


def _flags(text: str, facts: dict) -> list[tuple[str, str]]:
    return [(i.text, i.reason) for i in GUARD.check(text, facts).issues]


CARD_ABROAD = {"customer": "Ms Lee", "period": "2025-05-02", "spend_eur": 250, "rate_gbp_per_eur": 0.8512}


@pytest.mark.parametrize(("text", "ok"), [
    ("Your €250 purchase came to £212.80 at a rate of 0.8512.", True),
    ("Your €250 purchase came to £218.20 at a rate of 0.8512.", False),  # digits swapped
    ("Your €250 purchase came to $212.80 at a rate of 0.8512.", False),  # the wrong currency
])
def test_an_amount_converted_at_the_facts_rate(text: str, ok: bool) -> None:
    assert (not _flags(text, CARD_ABROAD)) is ok


def test_a_currency_code_in_front_of_a_key_is_an_amount_in_that_currency() -> None:
    facts = {"period": "2025-05-02", "eur_amount": 4000, "rate_usd_per_eur": 1.0850}
    assert not _flags("换汇4000欧元，按1.0850折合约4340美元。", facts)
    assert _flags("换汇4000欧元，按1.0850折合约4430美元。", facts)


CROSS = {"period": "2025-05-02", "gbp_usd": 1.25, "usd_jpy": 150.0}


@pytest.mark.parametrize(("text", "ok"), [
    ("With GBP/USD at 1.25 and USD/JPY at 150.0, a pound fetches about 187.5 yen.", True),
    ("With GBP/USD at 1.25 and USD/JPY at 150.0, a pound fetches about 178.5 yen.", False),
])
def test_a_cross_rate_of_two_rates_that_share_a_currency(text: str, ok: bool) -> None:
    assert (not _flags(text, CROSS)) is ok


EURUSD = {"pair": "EUR/USD", "period": "2025-05-02", "opening_rate": 1.0850, "closing_rate": 1.0812}


@pytest.mark.parametrize(("text", "reason"), [
    ("EUR/USD slipped 38 pips on the day to 1.0812.", None),
    ("EUR/USD gained 38 pips on the day to 1.0812.", "direction"),
    ("EUR/USD slipped 83 pips on the day to 1.0812.", "unsupported_number"),
])
def test_a_move_of_a_pair_in_pips(text: str, reason: str | None) -> None:
    assert [r for _, r in _flags(text, EURUSD)] == ([reason] if reason else [])


def test_pips_of_a_yen_pair_are_hundredths() -> None:
    facts = {"pair": "USD/JPY", "period": "2025-05-02", "prev_fix": 150.20, "fix": 150.65}
    assert not _flags("USD/JPY was fixed 45 pips higher at 150.65.", facts)
    assert _flags("USD/JPY was fixed 4500 pips higher at 150.65.", facts)


def test_a_fixing_move_in_basis_points_said_of_the_yuan_in_a_later_clause() -> None:
    facts = {"pair": "USD/CNY", "period": "2025-05-06", "fixing": 7.2000, "prev_fixing": 7.1970}
    assert not _flags("人民币对美元中间价报7.2000，较上一交易日贬值30个基点。", facts)
    assert [r for _, r in _flags("人民币对美元中间价报7.2000，较上一交易日升值30个基点。", facts)] == ["direction"]


def test_a_pair_key_makes_a_rate_of_that_pair_not_an_amount() -> None:
    facts = {"period": "2025-05-02", "usd_cny": 7.2, "spend_usd": 100}
    assert not _flags("USD/CNY was at 7.2 and your $100 came to ¥720.", facts)
    assert _flags("EUR/CNY was at 7.2.", facts)


SPEND = {"customer": "Mr Park", "period": "2025-04", "grocery_spend_gbp": 915.0}


@pytest.mark.parametrize(("text", "ok"), [
    ("In April you spent £915 on groceries, about £30.50 a day.", True),
    ("In April you spent £915 on groceries, about £35.50 a day.", False),
    ("In April you spent £915 on groceries, £30.50 of it on fruit.", False),  # no 'per' wording: no division
])
def test_an_amount_per_day_of_the_period(text: str, ok: bool) -> None:
    assert (not _flags(text, SPEND)) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("分24期偿还6000元，每期还款250元。", True),
    ("分24期偿还6000元，每期还款260元。", False),
])
def test_an_amount_per_instalment(text: str, ok: bool) -> None:
    assert (not _flags(text, {"customer": "Ms Wu", "plan_total_cny": 6000, "terms": 24})) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("Gold is at $2,400 an ounce, or about $77.16 per gram.", True),
    ("Gold is at $2,400 an ounce, or about $77.61 per gram.", False),
    ("Gold is at 2,400元 an ounce.", False),  # the price is in dollars
])
def test_a_price_per_ounce_read_from_the_key_and_per_gram(text: str, ok: bool) -> None:
    facts = {"commodity": "gold", "period": "2025-05-02", "price_usd_oz": 2400.0, "grams_per_ounce": 31.1035}
    assert (not _flags(text, facts)) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("Your cover costs £1,800 a year, roughly £150 a month.", True),
    ("Your cover costs £1,800 a year, roughly £180 a month.", False),
])
def test_a_yearly_amount_per_month(text: str, ok: bool) -> None:
    assert (not _flags(text, {"policyholder": "Mr Tan", "annual_premium_gbp": 1800})) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("Your balance is $2,480 and the minimum due (5%) is $124.", True),
    ("Your balance is $2,480 and the minimum due (5%) is $142.", False),
])
def test_a_written_percentage_of_an_amount(text: str, ok: bool) -> None:
    facts = {"customer": "Ms Roy", "period": "2025-03", "statement_balance_usd": 2480, "minimum_due_pct": 5}
    assert (not _flags(text, facts)) is ok


def test_a_yearly_percentage_key_with_pa_is_a_percentage() -> None:
    facts = {"fund": "Birch Bond Fund", "period": "2025", "ongoing_charge_pct_pa": 0.8, "holding_gbp": 40000}
    assert not _flags("On £40,000 the 0.8% ongoing charge comes to about £320 a year.", facts)
    assert _flags("On £40,000 the 0.8% ongoing charge comes to about £230 a year.", facts)


@pytest.mark.parametrize(("text", "ok"), [
    ("From 1 June your rate falls by 25 basis points to 3.85%.", True),
    ("From 1 July your rate falls by 25 basis points to 3.85%.", False),
])
def test_a_period_written_with_words_around_it(text: str, ok: bool) -> None:
    facts = {"customer": "Mr Hale", "period": "rate change effective 2025-06-01", "rate_old_pct": 4.1,
             "rate_new_pct": 3.85}
    assert (not _flags(text, facts)) is ok


@pytest.mark.parametrize(("text", "facts", "ok"), [
    ("日利率0.05%，折合年化约18.25%。", {"product": "cash loan", "daily_rate_pct": 0.05}, True),
    ("日利率0.05%，折合年化约18.52%。", {"product": "cash loan", "daily_rate_pct": 0.05}, False),
    ("A daily rate of 0.05%, or 18.25% in fees.", {"product": "cash loan", "daily_rate_pct": 0.05}, False),  # no 'a year'
    ("The 18% annual rate works out to 1.5% a month.", {"product": "card", "annual_rate_pct": 18.0}, True),
    ("The 18% annual rate works out to 1.8% a month.", {"product": "card", "annual_rate_pct": 18.0}, False),
])
def test_a_rate_per_day_month_or_year_restated_per_another(text: str, facts: dict, ok: bool) -> None:
    assert (not _flags(text, facts)) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("You bought 150 units at a NAV of ¥2.40, ¥360 in all.", True),
    ("You bought 150 units at a NAV of ¥2.40, ¥380 in all.", False),
])
def test_a_price_times_a_count_of_the_facts(text: str, ok: bool) -> None:
    facts = {"customer": "Ms Yu", "period": "2025-05-06", "units_count": 150, "nav_cny": 2.4}
    assert (not _flags(text, facts)) is ok
