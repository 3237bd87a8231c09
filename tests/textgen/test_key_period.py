"""The period a fact key's own date names, and fiscal periods given with their last day."""

from __future__ import annotations

import datetime as dt

from finloom.textgen._facts import Period
from finloom.textgen._key_period import period_in_key
from finloom.textgen._periods import parse_period

MAY = Period(dt.date(2026, 5, 1), dt.date(2026, 5, 31))
Q3 = Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
FY = Period(dt.date(2025, 7, 1), dt.date(2026, 6, 30))


def test_year_and_month_in_a_key() -> None:
    assert period_in_key("m2_2026_04_yoy_pct", MAY) == Period(dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert period_in_key("m2_yoy_pct", MAY) is None  # no date of its own
    assert period_in_key("m2_2026_07_yoy_pct", MAY) is None  # later than the data: no earlier figure


def test_quarter_half_and_fiscal_year_in_a_key() -> None:
    assert period_in_key("claims_2025_q3", Q3) == Period(dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert period_in_key("sales_h2_2025_usd_bn", Q3) == Period(dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert period_in_key("ebit_fy2025_aud_mn", FY) == Period(dt.date(2024, 7, 1), dt.date(2025, 6, 30))
    assert period_in_key("ebit_fy2026_aud_mn", FY) is None  # the main period itself
    assert period_in_key("cgb_10y_pct", Q3) is None  # a tenor, not a year


def test_bare_year_under_a_quarter_is_that_calendar_year() -> None:
    assert period_in_key("loans_2025_usd_bn", Q3) == Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


def test_fiscal_periods_with_their_last_day() -> None:
    assert parse_period("FY2026 (year to 30 June 2026)") == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert parse_period("Q1 FY2027 (quarter ended 30 September 2026)") == (dt.date(2026, 7, 1),
                                                                            dt.date(2026, 9, 30))
    assert parse_period("2026财年（截至2026-06-30）") == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    # a calendar year's note still gives the year so far
    assert parse_period("2026年度（截至2026-06-30）") == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert parse_period("9M 2026 (January-September 2026)") == (dt.date(2026, 1, 1), dt.date(2026, 9, 30))
