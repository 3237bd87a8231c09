"""Finance prose the guard must read generally (faithfulness dev34 residuals, sentences of our own):
amounts keyed in cents, monthly fees stated a year, measures and rankings whose names hold numbers,
a bound after a comparative, a currency written as a figure's unit, a fact keyed "prev day" in yuan,
a to-date period, central banks and account kinds told apart, and a share that is no rise or fall.
Each behaviour comes with its near miss."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard, facts_from_dict
from finloom.textgen._fact_loader import parse_key

G = FaithfulnessGuard()


def issues(facts: dict, text: str) -> list[str]:
    return [i.text for i in G.check(text, facts_from_dict(facts)).issues]


FAITHFUL = [
    ({"period": "FY2025", "eps_cents": 61.5, "eps_prev_cents": 55.0},
     "Earnings per share rose 11.8% to 61.5 cents for FY2025."),
    ({"product": "Flexi Saver", "currency": "GBP", "monthly_charge": 3.25},
     "Flexi Saver has a £3.25 monthly charge, or £39 a year."),
    ({"desk": "Credit", "var_measure": "10-day 97.5% VaR", "as_of": "2025-06-30", "var_usd_mn": 8.2},
     "Credit desk 10-day 97.5% VaR was $8.2m at 30 June."),
    ({"as_of": "2025-03-31", "top20_deposits_pct": 18.4},
     "Our Top-20 depositors held 18.4% of deposits at the end of March."),
    ({"period": "2024", "payout_pct": 40.6, "dividend_total_100m_yuan": 52.3},
     "全年拟派现52.3亿元，派息比例超过四成。"),
    ({"pair": "USD/JPY", "period": "week to 2025-06-13", "open": 143.2, "close": 144.8},
     "The yen softened on the week as USD/JPY gained 1.60 yen to 144.80."),
    ({"date": "2025-06-12", "turnover_yuan": 1_450_000_000_000, "turnover_prev_day_yuan": 1_310_000_000_000},
     "6月12日沪深两市成交额1.45万亿元，较前一交易日增加1400亿元。"),
    ({"period": "2025 YTD (to 30 Apr)", "account_return_pct": 1.84, "fund_a": "Lindale Income", "fund_a_ytd_pct": 2.6},
     "Your account is up 1.8% so far this year, and Lindale Income has gained 2.6% year to date."),
    ({"period": "2025-06", "ppi_yoy_pct": -3.6, "ppi_yoy_prev_pct": -3.3},
     "6月PPI同比下降3.6%，降幅较上月扩大0.3个百分点。"),
    ({"period": "2025-06", "currency": "USD", "budget": 900, "spent": 712.5, "days_left": 12},
     "You have $187.50 left for the remaining 12 days of June."),
]


@pytest.mark.parametrize(("facts", "text"), FAITHFUL)
def test_faithful(facts: dict, text: str) -> None:
    assert issues(facts, text) == []


ERRORS = [
    # the savings balance given to the current account
    ({"customer": "Mr Ito", "current_account_balance_gbp": 940.3, "savings_account_balance_gbp": 7200.0},
     "Mr Ito's current account holds £7,200.", "£7,200"),
    # another central bank's rate
    ({"date": "2025-06-05", "ecb_deposit_rate_pct": 2.0, "boe_bank_rate_pct": 4.25},
     "The Bank of England kept its rate at 2.00%.", "2.00%"),
    # a clause that goes on to give the figure of another index
    ({"date": "2025-06-05", "hsi_change_pct": -0.4, "hstech_change_pct": -1.3, "hscei_change_pct": -0.7},
     "恒指跌0.4%，国企指数表现最弱，达1.3%。", "1.3%"),
    # one fund's gap to its benchmark given to the other
    ({"period": "2025-Q2", "fund_a": "Corran Japan Fund", "fund_a_return_pct": 4.1, "fund_a_benchmark_pct": 3.9,
      "fund_b": "Corran Gilt Fund", "fund_b_return_pct": 1.0, "fund_b_benchmark_pct": 1.4},
     "The Japan Fund lagged its benchmark by 40 basis points.", "40 basis points"),
    # a rise of the price written as a fall; the other price's share must not rescue it
    ({"date": "2025-06-05", "copper_usd_t": 9800.0, "copper_prev_usd_t": 9700.0, "aluminium_usd_t": 98.0},
     "Copper dipped 1% to $9,800 a tonne.", "1%"),
]


@pytest.mark.parametrize(("facts", "text", "span"), ERRORS)
def test_error(facts: dict, text: str, span: str) -> None:
    assert span in issues(facts, text)


def test_near_misses() -> None:
    # the right account and bank are fine
    assert issues(ERRORS[0][0], "Mr Ito's savings account holds £7,200.") == []
    assert issues(ERRORS[1][0], "The ECB kept its deposit rate at 2.00%.") == []
    # a percentage outside a name is still a claim, and "top 10%" is no name
    assert issues({"fund": "Ardley Value", "period": "2025", "return_pct": 6.1},
                  "Ardley Value returned 6.1%, which puts it in the top 10% of peers.") == ["10%"]
    # a yearly figure that is not twelve months of the fee
    assert issues({"product": "Flexi Saver", "currency": "GBP", "monthly_charge": 3.25},
                  "Flexi Saver costs £3.25 a month, or £40 a year.") == ["£40"]


def test_key_units() -> None:
    k = parse_key("dps_pence")
    assert (k.unit, k.currency, k.scale) == ("currency", "GBP", 0.01)
    assert parse_key("volume_prev_day_usd").unit == "currency"
    assert parse_key("days_overdue").unit == ""


NET_AND_ABOVE = {"period": "2025-05", "currency": "GBP", "dining_spend": 210.0, "dining_spend_prev_month": 250.0}


def test_above_or_below_a_period_is_a_direction() -> None:
    assert issues(NET_AND_ABOVE, "Dining came to £210, £40 below April.") == []
    assert issues(NET_AND_ABOVE, "Dining came to £210, £40 above April.") == ["£40"]
    # a level against a limit is no change: "below" there says nothing about April
    assert issues({"as_of": "2025-05-31", "ltv_pct": 61.0}, "LTV stood at 61%, below the 80% cap.") == ["80%"]


def test_money_put_in_or_taken_out_net() -> None:
    flows = {"date": "2025-05-20", "net_flow_usd_bn": -1.3}
    assert issues(flows, "Funds pulled a net $1.3 billion out of the market.") == []
    assert issues(flows, "Investors put a net $1.3 billion into the market.") == ["$1.3 billion"]
