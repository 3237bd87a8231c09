"""Quotes moved in points, quotes turned round, figures filed under the current period that belong to an earlier
one, real rates, quantities in a key's scale, and moves read from "to … from" or an adjusted range — each with a
near miss the guard must still flag."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard

GUARD = FaithfulnessGuard()


def _ok(text: str, facts: dict) -> bool:
    return GUARD.check(text, facts).ok


# -- a currency pair's move in points (pips) ---------------------------------------------------------
FIXING = {"date": "2025-03-11", "usdcny": 7.2460, "usdcny_prev": 7.2531, "gbpcny": 9.3120}


@pytest.mark.parametrize(("text", "ok"), [
    ("2025年3月11日美元兑人民币报7.2460，较前一交易日下行71点。", True),
    ("2025年3月11日美元兑人民币报7.2460，较前一交易日下行17点。", False),  # the size is wrong
    ("2025年3月11日美元兑人民币报7.2460，较前一交易日上行71点。", False),  # the pair fell, not rose
])
def test_a_pair_moving_in_points_is_a_move_in_pips(text: str, ok: bool) -> None:
    assert _ok(text, FIXING) is ok


PARITY = {"period": "2025-03-12", "usdcny_central_parity": 7.1840, "prev_central_parity": 7.1875}


@pytest.mark.parametrize(("text", "ok"), [
    ("3月12日人民币对美元中间价报7.1840，较上日调升35个基点。", True),  # the parity fell: the yuan was raised
    ("3月12日人民币对美元中间价报7.1840，较上日调升53个基点。", False),
    ("3月12日人民币对美元中间价报7.1840，较上日调贬35个基点。", False),
])
def test_a_parity_beside_its_nameless_previous_fixing_moves_in_pips(text: str, ok: bool) -> None:
    assert _ok(text, PARITY) is ok


def test_a_hundred_yen_is_the_unit_a_rate_is_quoted_per() -> None:
    facts = {"date": "2025-03-11", "cny_per_100jpy": 4.9012}
    assert _ok("2025年3月11日，100日元兑人民币4.9012。", facts)
    assert not _ok("2025年3月11日，100日元兑人民币4.9102。", facts)


# -- a rate quoted the other way ----------------------------------------------------------------------
@pytest.mark.parametrize(("text", "ok"), [
    ("On 3 March 2025 GBP/USD stood at 1.2705, so a dollar bought about 0.7871 pounds.", True),
    ("On 3 March 2025 GBP/USD stood at 1.2705, so a dollar bought about 0.7781 pounds.", False),
])
def test_a_rate_turned_round_is_one_over_the_rate(text: str, ok: bool) -> None:
    assert _ok(text, {"period": "2025-03-03", "gbpusd": 1.2705}) is ok


# -- figures filed under the current period that belong to an earlier one -----------------------------
@pytest.mark.parametrize(("text", "ok"), [
    ("Orchard Foods earned $2.40 a share in Q1 2025, against $2.05 a year earlier.", True),
    ("Orchard Foods earned $2.40 a share in Q1 2025, against $2.50 a year earlier.", False),
])
def test_a_prev_year_key_is_the_year_ago_figure(text: str, ok: bool) -> None:
    facts = {"company": "Orchard Foods", "period": "2025-Q1", "eps_usd": 2.40, "eps_prev_year_usd": 2.05}
    assert _ok(text, facts) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("Exports grew 2.1% in Q3 2025 after contracting 0.8% in Q2.", True),
    ("Exports grew 2.1% in Q3 2025 after contracting 0.8% in Q1.", False),  # the prior quarter is Q2
])
def test_a_prior_qtr_key_is_the_quarter_before(text: str, ok: bool) -> None:
    facts = {"period": "2025-Q3", "exports_qoq_pct": 2.1, "prior_qtr_pct": -0.8}
    assert _ok(text, facts) is ok


def test_a_change_from_the_prev_qtr_key_is_not_year_on_year() -> None:
    facts = {"company": "Fenwick Stores", "period": "2025-Q2", "sales_usd_bn": 8.4, "sales_prev_qtr_usd_bn": 8.0}
    assert _ok("Fenwick Stores' Q2 2025 sales of $8.4bn were up 5.0% quarter on quarter.", facts)
    assert not _ok("Fenwick Stores' Q2 2025 sales of $8.4bn were up 5.0% year on year.", facts)


def test_a_bare_prior_key_is_the_figure_the_change_is_taken_from() -> None:
    facts = {"bank": "长丰银行", "period": "2025-H1", "net_profit_yuan": 8_640_000_000, "net_profit_prior_yuan": 8_000_000_000}
    assert _ok("长丰银行2025年上半年净利润86.4亿元，较上年同期的80亿元增长8%。", facts)
    assert not _ok("长丰银行2025年上半年净利润86.4亿元，较上年同期的86亿元增长8%。", facts)


def test_the_metric_of_a_prior_year_key_still_names_it() -> None:
    facts = {"period": "2025-06", "m2_yoy_pct": 8.3, "m2_yoy_prior_year_pct": 6.2}
    assert _ok("M2 grew 8.3% y/y in June 2025, up from 6.2% a year earlier.", facts)
    assert not _ok("M2 grew 8.3% y/y in June 2025, up from 6.8% a year earlier.", facts)


# -- words for a figure --------------------------------------------------------------------------------
def test_the_word_before_a_generic_noun_says_whose_price_it_is() -> None:
    facts = {"period": "2025-04", "ring_price_cny_g": 1020.0, "spot_gold_cny_g": 760.5}
    assert _ok("In April 2025 the ring cost 1,020 yuan a gram; the spot price was 760.5.", facts)
    assert not _ok("In April 2025 the ring cost 1,020 yuan a gram; the spot price was 1,020.", facts)


def test_close_taken_from_the_earlier_quote_names_today_s_quote_too() -> None:
    facts = {"period": "2025-04-02", "eurcny_spot": 7.8420, "eurcny_prev_close": 7.8311}
    assert _ok("2025年4月2日欧元兑人民币收于7.8420，前一日为7.8311。", facts)
    assert not _ok("2025年4月2日欧元兑人民币收于7.8402，前一日为7.8311。", facts)


def test_hicp_is_inflation() -> None:
    facts = {"period": "2025-05", "euro_area_hicp_yoy_pct": 1.9, "ecb_deposit_rate_pct": 2.25}
    assert _ok("Euro-area inflation slowed to 1.9% in May 2025, below the ECB's 2.25% deposit rate.", facts)
    assert not _ok("Euro-area inflation slowed to 2.25% in May 2025, below the ECB's 1.9% deposit rate.", facts)


def test_a_mid_rate_is_the_market_mid() -> None:
    facts = {"period": "2025-04-09", "rate_applied_usdcny": 7.3300, "market_mid_usdcny": 7.2100}
    assert _ok("On 9 Apr 2025 I was charged 7.3300 although the mid-rate was 7.2100.", facts)
    assert not _ok("On 9 Apr 2025 I was charged 7.2100 although the mid-rate was 7.3300.", facts)


# -- a real rate and a ratio of two prices -------------------------------------------------------------
@pytest.mark.parametrize(("text", "ok"), [
    ("2025年6月一年期存款利率1.10%，CPI同比下降0.1%，实际利率约1.20%。", True),
    ("2025年6月一年期存款利率1.10%，CPI同比下降0.1%，实际利率约1.00%。", False),  # deflation adds to it
])
def test_a_real_rate_is_the_rate_less_inflation(text: str, ok: bool) -> None:
    facts = {"period": "2025-06", "deposit_rate_1y_pct": 1.10, "cpi_yoy_pct": -0.1}
    assert _ok(text, facts) is ok


def test_a_change_between_two_rates_is_still_not_a_percentage_without_the_real_rate_words() -> None:
    facts = {"period": "2025-06", "deposit_rate_1y_pct": 1.10, "cpi_yoy_pct": -0.1}
    assert not _ok("2025年6月一年期存款利率1.10%，CPI同比下降0.1%，两者相差1.20%。", facts)


def test_a_ratio_named_with_bi() -> None:
    facts = {"period": "2025-05-20", "spot_gold_usd_oz": 3290.0, "spot_silver_usd_oz": 32.9}
    assert _ok("2025年5月20日金银比约100：黄金报3290美元/盎司，白银报32.9美元/盎司。", facts)
    assert not _ok("2025年5月20日金银比约90：黄金报3290美元/盎司，白银报32.9美元/盎司。", facts)


# -- quantities ----------------------------------------------------------------------------------------
def test_a_quantity_in_the_key_s_scale() -> None:
    facts = {"period": "2025-05", "coal_output_mn_t": 403.2}
    assert _ok("2025年5月原煤产量4.03亿吨。", facts)
    assert not _ok("2025年5月原煤产量4.30亿吨。", facts)


def test_tonnes_are_not_a_price_rounded() -> None:
    facts = {"period": "2025-05-06", "shfe_aluminium_cny_t": 19870}
    assert _ok("2025年5月6日沪铝报19870元/吨。", facts)
    assert not _ok("2025年5月6日沪铝报19870元/吨，库存约2万吨。", facts)  # no fact gives the stock


# -- directions ----------------------------------------------------------------------------------------
def test_a_narrowing_decline_between_twins_is_a_rise() -> None:
    facts = {"period": "2025-05", "ppi_yoy_pct": -3.3, "ppi_yoy_prev_month_pct": -2.7}
    assert not _ok("2025年5月PPI同比降幅收窄0.6个百分点。", facts)  # it widened
    assert _ok("2025年5月PPI同比降幅扩大0.6个百分点。", facts)


def test_less_growth_than_a_year_earlier_is_a_fall() -> None:
    facts = {"period": "2025-05", "new_loans_yuan": 620_000_000_000, "new_loans_prior_year_yuan": 950_000_000_000}
    assert _ok("2025年5月新增贷款6200亿元，同比少增3300亿元。", facts)
    assert not _ok("2025年5月新增贷款6200亿元，同比多增3300亿元。", facts)


@pytest.mark.parametrize(("text", "ok"), [
    ("The jobless rate fell to 4.1% in May 2025 from 4.3% in April.", True),
    ("The jobless rate rose to 4.1% in May 2025 from 4.3% in April.", False),
])
def test_a_move_written_to_then_from(text: str, ok: bool) -> None:
    facts = {"period": "2025-05", "unemployment_pct": 4.1, "prev_month_pct": 4.3}
    assert _ok(text, facts) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("Alder Tools下调了2025年利润率指引，由6%-8%调整为3%-5%。", True),
    ("Alder Tools上调了2025年利润率指引，由6%-8%调整为3%-5%。", False),
])
def test_an_adjusted_range_moves_with_its_low_end(text: str, ok: bool) -> None:
    facts = {"period": "2025", "company": "Alder Tools", "guidance_low_pct": 3.0, "guidance_high_pct": 5.0,
             "prev_guidance_low_pct": 6.0, "prev_guidance_high_pct": 8.0}
    assert _ok(text, facts) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("In Q2 2025 the DAX's 7.9% gain outpaced the FTSE's 1.9% rise.", True),
    ("In Q2 2025 the FTSE's 1.9% gain outpaced the DAX's 7.9% rise.", False),
])
def test_outpaced_compares_its_two_figures(text: str, ok: bool) -> None:
    facts = {"period": "2025-Q2", "dax_qtr_chg_pct": 7.9, "ftse_qtr_chg_pct": 1.9}
    assert _ok(text, facts) is ok


@pytest.mark.parametrize(("text", "ok"), [
    ("In May 2025 the bangle cost 980 yuan a gram against a spot price of 800, a markup of about 22.5%.", True),
    ("In May 2025 the bangle cost 980 yuan a gram against a spot price of 800, a markup of about 18.4%.", False),
])
def test_a_markup_is_taken_over_the_reference_quote(text: str, ok: bool) -> None:
    facts = {"period": "2025-05", "bangle_price_cny_g": 980.0, "spot_gold_cny_g": 800.0}
    assert _ok(text, facts) is ok
