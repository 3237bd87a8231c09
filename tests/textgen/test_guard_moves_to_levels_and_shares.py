"""Moves stated by the level they reached, earlier-period keys, shares and streaks, titled people and
named benchmarks (faithfulness dev36 residuals, in sentences of our own). Each behaviour is paired
with a near miss that must stay clean (or stay flagged)."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict

G = FaithfulnessGuard()


def reasons(facts: dict, text: str) -> list[str]:
    return [i.reason for i in G.check(text, facts_from_dict(facts)).issues]


TIER1 = {"period": "2025-Q2", "prev_period": "2025-Q1", "bank": "Oakridge Bank", "tier1_pct": 14.2,
         "tier1_prev_pct": 14.9}
LOSS = {"period": "2025-Q2", "prev_period": "2025-Q1", "company": "Halden Mining", "net_income_musd": -48.0,
        "net_income_prev_musd": -20.5}
YIELD = {"period": "2025-06", "prev_period": "2025-05", "indicator": "UK 30-year fixed mortgage rate",
         "rate_pct": 5.12, "rate_prev_pct": 5.31}
PPI = {"period": "2025-06", "prev_period": "2025-05", "indicator": "PPI同比", "value_pct": -1.1, "prev_pct": -2.0}
SUBS = {"period": "2025-Q2", "prev_period": "2025-Q1", "company": "Tallis Stream", "subscribers_m": 12.4,
        "subscribers_prev_m": 13.0}


@pytest.mark.parametrize("facts, text", [
    (TIER1, "Oakridge Bank's Tier 1 ratio slipped to 14.2% in Q2."),
    (LOSS, "Halden Mining's quarterly loss deepened to $48.0M in Q2."),
    (YIELD, "Mortgage rates fell in June, with the 30-year fixed rate at 5.12%."),
    (PPI, "6月PPI同比降幅收窄至1.1%。"),
    (SUBS, "Tallis Stream lost subscribers in Q2, ending at 12.4M."),
])
def test_a_move_to_the_level_it_reached_agrees_with_the_earlier_value(facts: dict, text: str) -> None:
    assert "direction" not in reasons(facts, text)


@pytest.mark.parametrize("facts, text", [
    (TIER1, "Oakridge Bank's Tier 1 ratio strengthened to 14.2% in Q2."),  # it fell from 14.9
    (LOSS, "Halden Mining's quarterly loss narrowed to $48.0M in Q2."),  # from 20.5: it widened
    (YIELD, "Mortgage rates climbed in June, with the 30-year fixed rate at 5.12%."),  # from 5.31: a fall
    (PPI, "6月PPI同比回落至-1.1%。"),  # from −2.0 it rose
    (SUBS, "Tallis Stream grew its subscribers to 12.4M in Q2."),  # from 13.0: a fall
])
def test_a_move_to_a_level_against_the_earlier_value_is_flagged(facts: dict, text: str) -> None:
    assert "direction" in reasons(facts, text)


def test_the_earlier_period_key_dates_the_prev_figure() -> None:
    fs = facts_from_dict({"period": "2025-06", "prev_period": "2025-05", "fuel_gbp": 142.1, "fuel_prev_gbp": 128.0})
    assert [(f.label, str(f.period.start)) for f in fs] == [("fuel", "2025-06-01"), ("fuel prev", "2025-05-01")]
    assert G.check("You spent £142.10 on fuel in June, against £128 in May.", fs).ok
    # near miss: May's figure given to June
    assert "period" in reasons({"period": "2025-06", "prev_period": "2025-05", "fuel_gbp": 142.1,
                                "fuel_prev_gbp": 128.0}, "Fuel came to £128 in June.")


def test_a_headline_in_capitals_reads_months_basis_points_and_tenors() -> None:
    facts = {"period": "2025-07-31", "prev_period": "2025-06-30", "bond": "2-year gilt", "yield_pct": 3.86,
             "yield_prev_pct": 3.97}
    assert G.check("2Y GILT YIELD DROPS 11BP IN JULY TO 3.86%", facts).ok
    assert "period" in reasons(facts, "2Y GILT YIELD AT 3.86% IN JUNE")
    assert "direction" in reasons(facts, "2Y GILT YIELD JUMPS 11BP IN JULY TO 3.86%")


def test_a_share_of_income_is_no_relative_difference() -> None:
    facts = {"period": "2025-06", "income_gbp": 4000, "spending_gbp": 3400}
    assert "unsupported_number" in reasons(facts, "You put aside 15% of your income in June.")  # two steps
    assert "unsupported_number" in reasons({"period": "2025-06", "收入_cny": 20000, "支出_cny": 15000},
                                           "您6月的储蓄率为25%。")
    # near misses: a ratio and a relative difference stated as such are one step
    assert G.check("You spent 85% of your income in June.", facts).ok
    assert G.check("Your spending was 15% below your income in June.", facts).ok


def test_an_ordinal_streak_needs_a_count_in_the_facts() -> None:
    two = {"period": "2025-06", "prev_period": "2025-05", "indicator": "Eurozone CPI", "value_pct": 2.4,
           "prev_pct": 2.2}
    assert "unsupported_number" in reasons(two, "Eurozone CPI rose to 2.4% in June, a fourth straight increase.")
    counted = {"as_of": "2025-06-18", "bank": "Bank of England", "bank_rate_pct": 4.25, "holds_in_row_count": 4}
    assert G.check("The Bank of England held Bank Rate at 4.25%, its fourth consecutive hold.", counted).ok


def test_a_hedged_round_figure_shows_the_tens_it_ends_in() -> None:
    facts = {"period": "2025-06", "category": "travel", "travel_gbp": 287.4}
    assert G.check("You spent about £290 on travel in June.", facts).ok
    assert not G.check("You spent £290 on travel in June.", facts).ok  # unhedged 290 is exact
    assert not G.check("You spent about £280 on travel in June.", facts).ok


def test_a_style_word_inside_a_fund_name_tells_siblings_apart() -> None:
    facts = {"period": "2025-Q2", "alder_value_fund_return_pct": 3.75, "alder_income_fund_return_pct": 1.8}
    assert "entity" in reasons(facts, "Alder Value Fund returned 1.8% in Q2.")
    assert G.check("Alder Value Fund returned 3.75% in Q2.", facts).ok


def test_a_titled_person_must_be_the_customer_of_the_facts() -> None:
    facts = {"period": "2025-06-30", "client": "陈女士", "return_ytd_pct": 3.9}
    assert "entity" in reasons(facts, "周女士您好，截至6月末您的组合今年以来收益3.9%。")
    assert G.check("陈女士您好，截至6月末您的组合今年以来收益3.9%。", facts).ok
    en = {"period": "2025-06-30", "customer": "Mr. Tomas Ruiz", "balance_usd": 18250}
    assert G.check("Dear Mr Ruiz, your balance was $18,250 at the end of June.", en).ok
    assert "entity" in reasons(en, "Dear Mr Reyes, your balance was $18,250 at the end of June.")


def test_a_benchmark_named_by_a_descriptor_is_its_return_s_own_name() -> None:
    facts = {"period": "2025-Q2", "fund": "Larch Asia Fund", "return_pct": 2.6, "benchmark": "MSCI AC Asia",
             "benchmark_return_pct": 3.1}
    assert G.check("Larch Asia Fund returned 2.6% in Q2 against 3.1% for the MSCI AC Asia.", facts).ok
    assert "entity" in reasons(facts, "Larch Asia Fund returned 2.6% in Q2 against 3.1% for the Hang Seng.")


def test_a_move_of_a_loss_or_outflow_to_a_level_speaks_of_its_size() -> None:
    flows = {"period": "2025-06", "prev_period": "2025-05", "fund": "Birch Bond Fund", "net_flow_musd": -42,
             "net_flow_prev_musd": -65}
    assert G.check("Birch Bond Fund outflows eased to $42M in June.", flows).ok
    assert "direction" in reasons(flows, "Birch Bond Fund outflows rose to $42M in June.")
    assert G.check("Halden Mining's net loss rose to $48.0M in Q2.", LOSS).ok  # from 20.5: a bigger loss
    assert "direction" in reasons(LOSS, "Halden Mining's net loss fell to $48.0M in Q2.")
