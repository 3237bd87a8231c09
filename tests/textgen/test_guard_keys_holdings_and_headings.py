"""Key suffixes an analyst writes (``_musd``, ``_trn``, ``_百分点``, ``亿股``, ``货币对``), holdings valued at a
NAV, figures set against a target or an initial level, rates of no named pair, names that carry numbers,
a dateline, "since January", emoji and dash breaks: faithful forms, and the near-misses still flagged."""

from __future__ import annotations

import pytest

from finloom.textgen import FaithfulnessGuard
from finloom.textgen._fact_loader import parse_key

GUARD = FaithfulnessGuard()


def _ok(text: str, facts: dict) -> bool:
    return GUARD.check(text, facts).ok


@pytest.mark.parametrize(("key", "unit", "currency", "scale"), [
    ("sales_musd", "currency", "USD", 1e6),
    ("assets_bnusd", "currency", "USD", 1e9),
    ("loans_eurm", "currency", "EUR", 1e6),
    ("turnover_trn_cny", "currency", "CNY", 1e12),
    ("加息幅度_百分点", "pp", None, 1.0),
    ("总股本_亿股", "count", None, 1e8),
])
def test_scale_and_unit_suffixes(key: str, unit: str, currency: str | None, scale: float) -> None:
    spec = parse_key(key)
    assert (spec.unit, spec.currency, spec.scale) == (unit, currency, scale)


EARNINGS = {"company": "Larkspur Foods", "period": "2025-H1", "profit_musd": 450, "shares_outstanding_m": 180}


@pytest.mark.parametrize(("text", "ok"), [
    ("Larkspur Foods earned $450 million in the first half, about $2.50 a share.", True),
    ("Larkspur Foods earned $0.45 billion in the first half.", True),
    ("Larkspur Foods earned $450 billion in the first half.", False),  # the wrong scale
    ("Larkspur Foods earned $450 million in the first half, about $2.60 a share.", False),
])
def test_an_amount_in_millions_and_its_value_per_share(text: str, ok: bool) -> None:
    assert _ok(text, EARNINGS) is ok


def test_a_chinese_share_count_in_yi_gives_earnings_per_share() -> None:
    facts = {"公司": "青岚电子", "period": "2025-H1", "净利润_亿元": 18.0, "总股本_亿股": 15}
    assert _ok("青岚电子上半年净利润18亿元，每股收益约1.20元。", facts)
    assert not _ok("青岚电子上半年净利润18亿元，每股收益约1.30元。", facts)


def test_a_cut_given_in_percentage_points() -> None:
    facts = {"政策": "下调存款准备金率", "period": "2025-03-01", "下调幅度_百分点": 0.25}
    assert _ok("央行下调存款准备金率0.25个百分点。", facts)
    assert not _ok("央行下调存款准备金率0.5个百分点。", facts)


FUND = {"fund": "Meridian Balanced B", "period": "2025-06", "nav_end": 2.4025, "units_held": 3000, "currency": "USD"}


@pytest.mark.parametrize(("text", "ok"), [
    ("Meridian Balanced B closed June at a NAV of 2.4025, so your 3,000 units are worth about $7,208.", True),
    ("Meridian Balanced B closed June at a NAV of 2.4025, so your 3,000 units are worth about $7,280.", False),
])
def test_a_holding_valued_at_the_nav(text: str, ok: bool) -> None:
    assert _ok(text, FUND) is ok


def test_a_holding_valued_at_the_nav_in_chinese() -> None:
    facts = {"基金": "稳盈债券C", "period": "2025-06", "月末净值": 1.2312, "持有份额": 20000}
    assert _ok("稳盈债券C月末净值1.2312，您持有的2万份市值约2.46万元。", facts)
    assert not _ok("稳盈债券C月末净值1.2312，您持有的2万份市值约2.64万元。", facts)


ALLOCATION = {"client": "Ms. Okoro", "period": "2025-Q2", "bonds_pct": 45, "target_bonds_pct": 40, "cash_pct": 10}


@pytest.mark.parametrize(("text", "ok"), [
    ("Ms Okoro, bonds are now 45% of the portfolio, 12.5% above their target weight.", True),
    ("Ms Okoro, bonds are now 45% of the portfolio, 5 points above target.", True),
    ("Ms Okoro, bonds are now 45% of the portfolio, 11.1% above target.", False),  # measured against the 45
])
def test_a_weight_set_against_its_target(text: str, ok: bool) -> None:
    assert _ok(text, ALLOCATION) is ok


def test_two_unrelated_percentages_give_no_relative_difference() -> None:
    assert not _ok("Ms Okoro, cash is 350% below bonds.", ALLOCATION)


NOTE = {"client": "Mr. Vance", "product": "Autocall AC-7", "period": "2025-06-30", "underlying": "FTSE 100",
        "underlying_vs_initial_pct": 108.3, "barrier_pct": 65}


@pytest.mark.parametrize(("text", "ok"), [
    ("Mr Vance, the FTSE 100 sits about 8% above its initial level on your AC-7, well clear of the 65% barrier.", True),
    ("Mr Vance, the FTSE 100 sits about 9% above its initial level on your AC-7.", False),
    ("Mr Vance, the FTSE 100 sits about 8% above its initial level on your AC-9.", False),  # a code the facts lack
])
def test_a_level_relative_to_the_initial_one_and_a_product_code(text: str, ok: bool) -> None:
    assert _ok(text, NOTE) is ok


def test_the_underlying_a_product_is_linked_to_names_it() -> None:
    facts = {"客户": "周先生", "产品": "挂钩沪深300的雪球产品", "period": "2025-06-30", "标的现价相对期初_pct": 91.2,
             "敲入线_pct": 70}
    assert _ok("周先生，沪深300比期初低了约8.8%，距70%的敲入线还远。", facts)
    assert not _ok("周先生，沪深300比期初低了约8.2%，距70%的敲入线还远。", facts)


def test_a_rate_of_no_named_pair_converts_the_amount() -> None:
    facts = {"业务": "结汇", "period": "2025-06-12", "金额_欧元": 2000, "成交汇率": 7.8125}
    assert _ok("您已结汇2,000欧元，成交汇率7.8125，入账人民币15,625.00元。", facts)
    assert not _ok("您已结汇2,000欧元，成交汇率7.8125，入账人民币15,652.00元。", facts)


def test_a_chinese_pair_name_in_a_key_is_an_exchange_rate() -> None:
    facts = {"客户": "钱女士", "period": "2025-06", "英镑兑人民币": 9.6, "所需人民币_元": 480000}
    assert _ok("钱女士，按9.6的汇率，48万人民币约合5万英镑。", facts)
    assert not _ok("钱女士，按9.6的汇率，48万人民币约合6万英镑。", facts)


def test_a_currency_pair_key_names_the_entity() -> None:
    facts = {"货币对": "英镑兑美元", "period": "2025-06", "月初": 1.2710, "月末": 1.2650}
    assert _ok("6月英镑走弱，英镑兑美元收于1.2650。", facts)
    assert not _ok("6月英镑走弱，美元兑日元收于1.2650。", facts)


def test_the_number_of_an_index_name_is_no_claim() -> None:
    facts = {"period": "2025-06-13", "日经225涨跌幅_pct": -0.89, "纳斯达克100涨跌幅_pct": -1.3}
    assert _ok("当日纳斯达克100跌1.3%，日经225跌0.89%。", facts)
    assert not _ok("当日纳斯达克100跌1.3%，日经225跌0.98%。", facts)


def test_a_number_named_by_the_metric_key_is_no_claim() -> None:
    facts = {"entity": "Card book", "period": "2025-Q2", "overdue_60d_count": 212}
    assert _ok("The card book had 212 accounts more than 60 days past due at end-Q2.", facts)
    assert not _ok("The card book had 212 accounts more than 30 days past due at end-Q2.", facts)


def test_a_certain_fund_is_named_without_its_prefix() -> None:
    facts = {"fund": "某医药主题基金", "period": "2024", "return_pct": -18.2}
    assert _ok("去年买的医药主题基金，全年亏了18.2%。", facts)
    assert not _ok("去年买的医药主题基金，全年亏了12.8%。", facts)


SPOT = {"commodity": "Silver spot", "period": "2025-06-20", "price_usd_oz": 36.1, "ytd_change_pct": 24.9}


@pytest.mark.parametrize(("text", "ok"), [
    ("Silver is at $36.10 an ounce, up almost 25% since January.", True),
    ("Silver is at $36.10 an ounce, up almost 25% since March.", False),  # no figure starts in March
])
def test_a_year_to_date_figure_since_january(text: str, ok: bool) -> None:
    assert _ok(text, SPOT) is ok


DEPOSIT = {"client": "Ms. Aalto", "product": "6-month deposit", "period": "2025-06", "rate_old_pct": 1.6,
           "rate_new_pct": 1.45}


@pytest.mark.parametrize(("text", "ok"), [
    ("Call note 11 Jun: told Ms Aalto the 6-month deposit rate goes from 1.60% to 1.45%.", True),
    ("Call note 11 Jul: told Ms Aalto the 6-month deposit rate goes from 1.60% to 1.45%.", False),
    ("Ms Aalto's rate is 1.45% and on 11 Jun it was 1.60%.", False),  # a date inside the text is a claim
])
def test_a_dateline_inside_the_facts_period(text: str, ok: bool) -> None:
    assert _ok(text, DEPOSIT) is ok


def test_the_day_of_the_month_written_as_an_ordinal() -> None:
    facts = {"name": "GBP/USD", "as_of": "2025-06-27", "close": 1.3721}
    assert _ok("Sterling finished the week at 1.3721 against the dollar on the 27th.", facts)
    assert not _ok("Sterling finished the week at 1.3721 against the dollar on the 26th.", facts)


FX = {"as_of": "2025-06-27", "entities": {"EUR/USD": {"close": 1.17, "ytd_change_pct": 13.0},
                                          "GBP/USD": {"close": 1.372, "ytd_change_pct": -0.4}}}


def test_held_up_is_no_rise() -> None:
    assert _ok("The euro is up 13% this year at 1.17; sterling has held up less well, off 0.4% at 1.372.", FX)
    assert not _ok("The euro is up 13% this year at 1.17; sterling has risen, off 0.4% at 1.372.", FX)


def test_an_emoji_ends_a_sentence() -> None:
    facts = {"period": "2025-06", "entities": {"Gold": {"close_usd": 3307.7, "change_pct": 0.4},
                                               "Silver": {"change_pct": 9.6}}}
    assert _ok("Gold edged 0.4% higher in June to ~$3,308/oz 📈 Silver +9.6%.", facts)
    assert not _ok("Gold edged 0.4% higher in June 📈 Silver +9.6% to ~$3,308/oz.", facts)


def test_a_spaced_dash_starts_a_new_clause() -> None:
    facts = {"card": "Gold ****1234", "period": "2025-Q2", "total_spend_usd": 4000.0, "dining_spend_usd": 900.0,
             "transactions": 120}
    assert _ok("You spent $4,000 across 120 transactions — dining made up about 22.5% of it.", facts)
    assert not _ok("You spent $4,000 across 120 transactions — dining made up about 25% of it.", facts)


def test_mobile_banking_users_are_their_own_metric() -> None:
    facts = {"bank": "青湾农商银行", "period": "2024-Q4", "new_customers_count": 52000, "mobile_users_wan": 148}
    assert _ok("四季度新增客户五万二千户，手机银行用户达一百四十八万户。", facts)
    assert not _ok("四季度新增客户五万二千户，手机银行用户达一百八十四万户。", facts)


def test_a_change_key_with_a_prefix_keeps_its_sign() -> None:
    spec = parse_key("周涨跌幅_pct")
    assert spec.change and spec.unit == "%"
    facts = {"指数": "恒生指数", "period": "2025-06", "周涨跌幅_pct": -1.4}
    assert _ok("本周恒生指数下跌1.4%。", facts)
    assert not _ok("本周恒生指数上涨1.4%。", facts)


PAIR_MONTH = {"货币对": "欧元兑美元", "period": "2025-06", "月初": 1.1350, "月末": 1.1790}


@pytest.mark.parametrize(("text", "ok"), [
    ("6月欧元兑美元由1.1350升至1.1790，欧元走强。", True),
    ("6月欧元兑美元由1.1350升至1.1790，欧元走弱。", False),  # the pair rose: the euro strengthened
    ("6月欧元兑美元由1.1350升至1.1790，美元走弱。", True),
    ("6月欧元兑美元收于1.1790，较月初上涨约3.9%。", True),
    ("6月欧元兑美元收于1.1790，较月初下跌约3.9%。", False),
])
def test_levels_at_the_start_and_end_of_the_month_give_the_move(text: str, ok: bool) -> None:
    assert _ok(text, PAIR_MONTH) is ok


def test_a_rate_before_and_after_an_adjustment() -> None:
    facts = {"政策": "1年期LPR", "period": "2025-05", "调整前_pct": 3.1, "调整后_pct": 3.0}
    assert _ok("1年期LPR下调10个基点至3.0%。", facts)
    assert not _ok("1年期LPR上调10个基点至3.0%。", facts)


def test_social_financing_and_money_supply_are_told_apart() -> None:
    facts = {"indicator": "China credit", "period": "2025-06", "m2_yoy_pct": 8.3, "tsf_stock_yoy_pct": 8.9}
    assert _ok("Total social financing grew 8.9% on the year and M2 rose 8.3%.", facts)
    assert not _ok("Total social financing grew 8.3% on the year.", facts)


def test_monthly_active_users_are_not_all_users() -> None:
    facts = {"bank": "临江银行", "period": "2024-Q4", "mobile_banking_users_count": 12400000, "mau_count": 5100000}
    assert _ok("临江银行手机银行用户1240万户，月活跃用户510万户。", facts)
    assert not _ok("临江银行手机银行用户510万户。", facts)


THREE_YEARS = {"fund": "Alder Income Fund", "period": {"start": "2022-01-01", "end": "2024-12-31"},
               "cumulative_return_pct": 14.2}


@pytest.mark.parametrize(("text", "ok"), [
    ("Alder Income Fund returned 14.2% over the three years to December 2024.", True),
    ("Alder Income Fund returned 14.2% over the five years to December 2024.", False),
    ("Alder Income Fund returned 14.2% over the three years to December 2023.", False),
])
def test_a_span_of_years_ending_at_a_period(text: str, ok: bool) -> None:
    assert _ok(text, THREE_YEARS) is ok
