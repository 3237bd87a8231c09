"""Dates read in the year of date-only facts, periods named by other keys, fiscal years that do not follow
the calendar, net fund flows against subscriptions and redemptions, and a day's move that shrank or grew
into the close — each with a near miss the guard must still flag."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard

GUARD = FaithfulnessGuard()


def _ok(text: str, facts: dict) -> bool:
    return GUARD.check(text, facts).ok


# -- facts that give only dates: a day written without a year is a day of that year ------------------
RESET = {"lender": "Kestrel Bank", "product": "two-year fixed saver", "effective_date": "2026-06-15",
         "old_rate_pct": 2.10, "new_rate_pct": 1.95}
CALL = {"client": "周先生", "product": "一年期定期存款", "maturity_date": "2026-03-08", "principal_cny": 50000,
        "rate_pct": 1.35}


@pytest.mark.parametrize(("text", "facts", "ok"), [
    ("From June 15 the two-year fixed saver pays 1.95% instead of 2.10%.", RESET, True),
    ("From July 15 the two-year fixed saver pays 1.95% instead of 2.10%.", RESET, False),  # not that day
    ("From June 15 the two-year fixed saver pays 1.85% instead of 2.10%.", RESET, False),
    ("周先生的5万元一年期定期存款将于3月8日到期，利率1.35%。", CALL, True),
    ("周先生的5万元一年期定期存款将于4月8日到期，利率1.35%。", CALL, False),
])
def test_a_day_without_a_year_is_read_in_the_year_of_the_facts_dates(text: str, facts: dict, ok: bool) -> None:
    assert _ok(text, facts) is ok


def test_a_month_before_the_yen_is_still_a_month() -> None:
    facts = {"pair": "100日元兑人民币中间价", "period": "2026-02", "month_start": 4.7302, "month_end": 4.6918}
    assert _ok("2月日元对人民币走弱，100日元兑人民币中间价由4.7302降至4.6918。", facts)
    assert not _ok("3月日元对人民币走弱，100日元兑人民币中间价由4.7302降至4.6918。", facts)


# -- a period under another key name; a month a key names itself -------------------------------------
SALES = {"series": "社会消费品零售总额", "period_ytd": "2026-01至2026-05", "ytd_yoy_pct": 4.1, "may_yoy_pct": 3.6}


@pytest.mark.parametrize(("text", "ok"), [
    ("1-5月社会消费品零售总额同比增长4.1%；其中5月同比增长3.6%。", True),
    ("1-5月社会消费品零售总额同比增长4.1%；其中4月同比增长3.6%。", False),  # the monthly figure is May's
    ("1-4月社会消费品零售总额同比增长4.1%；其中5月同比增长3.6%。", False),
])
def test_a_period_key_with_a_suffix_and_a_month_named_in_a_key(text: str, ok: bool) -> None:
    assert _ok(text, SALES) is ok


# -- a fiscal year that runs April to March --------------------------------------------------------------
FISCAL = {"insurer": "Lotus Assurance", "fiscal_year": "FY2026 (April 2025 – March 2026)",
          "net_premiums_bn_inr": 142.0, "prior_fy_bn_inr": 128.0}


@pytest.mark.parametrize(("text", "ok"), [
    ("Lotus Assurance booked INR142bn of net premiums in the financial year ended March 2026.", True),
    ("Lotus Assurance booked INR142bn of net premiums in FY2026, against INR128bn a year before.", True),
    ("Lotus Assurance booked INR142bn of net premiums in calendar 2026.", False),  # not the calendar year
    ("Lotus Assurance booked INR142bn of net premiums in the financial year ended March 2025.", False),
])
def test_a_fiscal_year_is_read_from_its_months(text: str, ok: bool) -> None:
    assert _ok(text, FISCAL) is ok


# -- net flows against subscriptions and redemptions ------------------------------------------------------
FUND = {"fund": "Larkspur Short Duration Fund", "period": "2026-Q1", "subscriptions_musd": 96.4,
        "redemptions_musd": 120.9}
FUND_ZH = {"fund": "青松稳健债券", "period": "2026-Q1", "subscriptions_yi": 3.2, "redemptions_yi": 1.9}


@pytest.mark.parametrize(("text", "facts", "ok"), [
    ("Larkspur Short Duration Fund saw net redemptions of $24.5m in Q1.", FUND, True),
    ("Larkspur Short Duration Fund saw net subscriptions of $24.5m in Q1.", FUND, False),  # more went out
    ("青松稳健债券一季度净申购1.3亿元。", FUND_ZH, True),
    ("青松稳健债券一季度净赎回1.3亿元。", FUND_ZH, False),  # more came in
])
def test_a_net_fund_flow_must_go_the_way_subscriptions_minus_redemptions_go(text: str, facts: dict, ok: bool) -> None:
    assert _ok(text, facts) is ok


# -- a day's move that shrank or grew into the close -----------------------------------------------------
UP_DAY = {"index": "沪深300", "date": "2026-04-02", "intraday_high_change_pct": 1.64, "close_change_pct": 0.41}
DOWN_DAY = {"index": "FTSE 100", "date": "2026-04-02", "midday_change_pct": -0.35, "close_change_pct": -1.12}


@pytest.mark.parametrize(("text", "facts", "ok"), [
    ("沪深300盘中一度涨1.64%，随后涨幅收窄，收涨0.41%。", UP_DAY, True),
    ("沪深300盘中一度涨1.64%，随后涨幅扩大，收涨0.41%。", UP_DAY, False),  # the gain shrank
    ("The FTSE 100 was off 0.35% at midday; losses widened in the afternoon and it closed down 1.12%.", DOWN_DAY, True),
    ("The FTSE 100 was off 0.35% at midday; losses narrowed in the afternoon and it closed down 1.12%.", DOWN_DAY, False),
])
def test_a_move_that_narrowed_or_widened_is_about_its_size_not_its_way(text: str, facts: dict, ok: bool) -> None:
    assert _ok(text, facts) is ok


# -- spans that say where they start: "since October", 今年以来, "last week" -----------------------------------
SINCE_JAN = {"pair": "欧元兑人民币", "period": "2026-01-01至2026-06-30", "start": 7.8120, "end": 8.0415}


@pytest.mark.parametrize(("text", "ok"), [
    ("今年以来欧元兑人民币由7.8120升至8.0415。", True),
    ("1月以来欧元兑人民币由7.8120升至8.0415。", True),
    ("6月以来欧元兑人民币由7.8120升至8.0415。", False),  # the move is counted from January
])
def test_a_span_counted_from_a_month_must_start_where_the_facts_start(text: str, ok: bool) -> None:
    assert _ok(text, SINCE_JAN) is ok


QUARTER_FLOWS = {"category": "Asia bond funds", "period": "2026-Q2", "net_inflow_bn_usd": 18.4}
HALF_FLOWS = {"category": "Asia bond funds", "period": "2026-H1", "net_inflow_bn_usd": 18.4}


@pytest.mark.parametrize(("text", "facts", "ok"), [
    ("Asia bond funds took in $18.4bn in the second quarter.", QUARTER_FLOWS, True),
    ("Asia bond funds took in $18.4bn so far this year.", QUARTER_FLOWS, False),  # a quarter is not the year to date
    ("Asia bond funds took in $18.4bn so far this year.", HALF_FLOWS, True),
])
def test_year_to_date_needs_a_figure_counted_from_january(text: str, facts: dict, ok: bool) -> None:
    assert _ok(text, facts) is ok


MONTHLY = {"index": "Nikkei 225", "period": "2026-05", "monthly_change_pct": 3.1, "close": 38920.5}
WEEKLY = {"index": "Nikkei 225", "week_ending": "2026-05-15", "weekly_change_pct": 1.2, "close": 38920.5}


@pytest.mark.parametrize(("text", "facts", "ok"), [
    ("The Nikkei 225 rose 3.1% in May to close at 38,920.5.", MONTHLY, True),
    ("The Nikkei 225 rose 3.1% last week to close at 38,920.5.", MONTHLY, False),  # a monthly move
    ("The Nikkei 225 rose 1.2% last week to close at 38,920.5.", WEEKLY, True),
])
def test_last_week_is_a_week(text: str, facts: dict, ok: bool) -> None:
    assert _ok(text, facts) is ok


# -- tenths (成) stay rounded after a hedge; a real bound (不到) still bounds ------------------------------
SHARE = {"bank": "锦江银行", "period": "2026-H1", "total_loans_yi": 2150.0, "mortgage_yi": 688.0}  # 32.0 %


@pytest.mark.parametrize(("text", "ok"), [
    ("锦江银行上半年贷款2150亿元，其中按揭688亿元，约占三成。", True),
    ("锦江银行上半年贷款2150亿元，其中按揭688亿元，占比不到四成。", True),  # a bound, and true
    ("锦江银行上半年贷款2150亿元，其中按揭688亿元，占比近四成。", False),  # 32% is three tenths, not four
])
def test_a_hedged_tenth_is_still_rounded(text: str, ok: bool) -> None:
    assert _ok(text, SHARE) is ok


# -- bond prices move against their yields ---------------------------------------------------------------
GILT = {"instrument": "10-year gilt yield", "date": "2026-02-11", "prev_close_pct": 4.52, "close_pct": 4.44}


@pytest.mark.parametrize(("text", "ok"), [
    ("Gilts rallied on February 11, with the 10-year yield down 8 bp at 4.44%.", True),
    ("Gilts sold off on February 11, with the 10-year yield moving 8 bp to 4.44%.", False),  # yields fell: prices rose
    ("Gilts weakened on February 11, the 10-year yield ending 8 bp lower at 4.44%.", False),
])
def test_bond_prices_move_against_the_yield_the_facts_give(text: str, ok: bool) -> None:
    assert _ok(text, GILT) is ok


MIX = {"bank": "云岭银行", "period": "2026-H1", "retail_loan_share_pct": 36.2, "card_share_of_retail_pct": 61.3}


@pytest.mark.parametrize(("text", "ok"), [
    ("云岭银行上半年信用卡占零售贷款近六成。", True),  # 61.3% rounds to six tenths; 零售贷款 is the base
    ("云岭银行上半年信用卡占零售贷款近七成。", False),
])
def test_the_word_after_zhan_is_the_base_of_the_share(text: str, ok: bool) -> None:
    assert _ok(text, MIX) is ok


# -- "last month" counted from the day a note was written ------------------------------------------------
NOTE = {"fund": "Tidewater Income Fund", "period": "2026-03", "report_date": "2026-04-02",
        "subscriptions_musd": 210.5, "redemptions_musd": 188.0}
NOTE_UNDATED = {k: v for k, v in NOTE.items() if k != "report_date"}


@pytest.mark.parametrize(("text", "facts", "ok"), [
    ("Tidewater Income Fund took $210.5m of subscriptions last month against $188.0m of redemptions.", NOTE, True),
    ("Tidewater Income Fund took $210.5m of subscriptions in February against $188.0m of redemptions.", NOTE, False),
    ("Tidewater Income Fund took $210.5m of subscriptions in March against $188.0m of redemptions.", NOTE, True),
    ("Tidewater Income Fund took $210.5m of subscriptions in March against $188.0m of redemptions.", NOTE_UNDATED, True),
])
def test_last_month_may_count_from_the_report_date(text: str, facts: dict, ok: bool) -> None:
    assert _ok(text, facts) is ok


def test_last_month_is_read_from_the_report_date_only_when_that_names_a_fact_period() -> None:
    from finloom.textgen._claims import read_text
    from finloom.textgen._fact_loader import facts_from_dict

    text = "Tidewater Income Fund took $210.5m of subscriptions last month."
    (dated,) = read_text(text, facts_from_dict(NOTE)).periods
    (undated,) = read_text(text, facts_from_dict(NOTE_UNDATED)).periods
    assert (str(dated.first), str(undated.first)) == ("2026-03-01", "2026-02-01")


def test_trailing_windows_end_at_the_facts_end() -> None:
    import datetime as dt

    from finloom.textgen._periods import find_periods

    week = (dt.date(2018, 12, 21), dt.date(2018, 12, 28))
    (p,) = find_periods("over the last week it rose", week)
    assert (p.first, p.last) == week  # the facts' own week, trading days and all
    year = (dt.date(2017, 12, 28), dt.date(2018, 12, 28))
    (q,) = find_periods("in the past year", year)
    assert (q.first, q.last) == year
    (r,) = find_periods("最近一个月下跌", (dt.date(2018, 11, 28), dt.date(2018, 12, 28)))
    assert r.last == dt.date(2018, 12, 28)
    # near miss: a bare "last month" is still the previous calendar month
    (s,) = find_periods("up from last month", (dt.date(2024, 3, 1), dt.date(2024, 3, 31)))
    assert (s.first, s.last) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
