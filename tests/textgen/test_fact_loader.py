"""Facts from plain dicts: entity, period, unit, scale, currency, basis and direction from key names."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from finloom.errors import InvalidDataError
from finloom.textgen import facts_from_dict, facts_from_json
from finloom.textgen._fact_loader import parse_key


@pytest.mark.parametrize(
    ("key", "metric", "unit", "currency", "scale", "basis", "change"),
    [
        ("net_profit_yoy_pct", "net profit", "%", None, 1.0, "yoy", True),
        ("revenue_usd_mn", "revenue", "currency", "USD", 1e6, None, False),
        ("deposits_cny_yi", "deposits", "currency", "CNY", 1e8, None, False),
        ("users_wan", "users", "", None, 1e4, None, False),
        ("nim_change_bp", "nim change", "pp", None, 0.01, None, True),
        ("npl_ratio_pp", "npl ratio", "pp", None, 1.0, None, False),
        ("branches_count", "branches", "count", None, 1.0, None, False),
        ("leverage_x", "leverage", "ratio", None, 1.0, None, False),
        ("close_points", "close", "points", None, 1.0, None, False),
        ("cpi_mom_pct", "cpi", "%", None, 1.0, "mom", True),
        ("netInflowUsdBn", "net inflow", "currency", "USD", 1e9, None, True),
        ("净利润_亿元", "净利润", "currency", "CNY", 1e8, None, False),
    ],
)
def test_parse_key_reads_units_scales_and_bases(key, metric, unit, currency, scale, basis, change) -> None:
    spec = parse_key(key)
    assert (spec.metric, spec.unit, spec.currency, spec.basis, spec.change) == (metric, unit, currency, basis, change)
    assert math.isclose(spec.scale, scale)


def test_flat_object_one_entity_and_period() -> None:
    fs = facts_from_dict({"company": "Harbor Bank", "period": "2024-Q1", "net_profit_cny_yi": 52.3,
                          "net_profit_yoy_pct": -3.4, "branches_count": 312})
    profit, growth, branches = fs
    assert profit.value == pytest.approx(5.23e9) and profit.currency == "CNY" and profit.entity == "Harbor Bank"
    assert growth.direction == "down" and growth.basis == "yoy"
    assert branches.unit == "count" and branches.direction is None
    assert profit.period is not None and profit.period.end == dt.date(2024, 3, 31)


def test_entities_periods_and_record_shapes() -> None:
    multi = facts_from_dict({"period": "2024-03", "entities": {"S&P 500": {"change_pct": -2.37},
                                                               "Nasdaq": {"change_pct": 1.1}}})
    assert multi.entities() == ["S&P 500", "Nasdaq"]
    periods = facts_from_dict({"entity": "B", "periods": {"2024-Q1": {"nim_pct": 1.72}, "2023-Q1": {"nim_pct": 1.85}}})
    assert sorted(f.period.start.year for f in periods if f.period) == [2023, 2024]
    records = facts_from_dict({"facts": [{"entity": "X", "metric": "deposits", "value": 1.2, "unit": "CNY",
                                          "scale": "yi", "period": "2024-H1"}]})
    (f,) = records
    assert f.value == pytest.approx(1.2e8) and f.period is not None and f.period.end == dt.date(2024, 6, 30)


def test_aliases_ytd_periods_and_negative_keys() -> None:
    fs = facts_from_dict({"fund": "F", "as_of": "2024-11-30", "ytd_return_pct": -12.6, "net_outflow_cny_yi": 3,
                          "aliases": {"F": ["the fund"]}})
    ytd, outflow = fs
    assert ytd.period is not None and ytd.period.start == dt.date(2024, 1, 1)  # year to date runs from 1 January
    assert outflow.direction == "down"
    assert "the fund" in fs.aliases("F")


@pytest.mark.parametrize("bad", [{}, {"note": "nothing numeric"}, {"x_pct": float("nan")}, {"x": float("inf")}])
def test_bad_facts_get_one_clear_error(bad) -> None:
    with pytest.raises(InvalidDataError, match="must"):
        facts_from_dict(bad)


def test_facts_from_json_string_and_malformed() -> None:
    assert len(facts_from_json('{"index": "S&P 500", "change_pct": -2.37}')) == 1
    with pytest.raises(InvalidDataError, match="valid JSON"):
        facts_from_json('{"index": ')


def test_chinese_key_names_give_the_entity() -> None:
    fs = facts_from_dict({"指数": "创业板指", "period": "2024-05-06", "收盘点位": 1850.2, "涨跌幅_pct": 1.1})
    assert fs.entities() == ["创业板指"]


def test_other_names_of_the_entity_become_aliases_but_peers_do_not() -> None:
    fs = facts_from_dict({"client": "Mr Poole", "product": "Autocall Note 7", "underlying": "FTSE 100",
                          "peer_fund": "Rival Income Fund", "period": "2024-06", "coupon_pct": 7.5})
    (entity,) = fs.entities()  # the first entity key present names the entity, the others are aliases
    assert {entity, *fs.alias_names[entity]} == {"Mr Poole", "Autocall Note 7", "FTSE 100"}
    assert "Rival Income Fund" not in fs.alias_names[entity]


def test_a_range_written_as_a_string_gives_its_two_bounds() -> None:
    fs = facts_from_dict({"产品": "安盈理财B", "period": "2024-Q2", "业绩比较基准": "2.1%-2.9%"})
    values = sorted((f.value, f.unit) for f in fs.facts)
    assert values == [(2.1, "%"), (2.9, "%")]


def test_guard_accepts_the_product_and_underlying_names_of_a_client() -> None:
    from finloom.textgen import FaithfulnessGuard

    facts = facts_from_dict({"client": "Mr Poole", "product": "Autocall Note 7", "underlying": "FTSE 100",
                             "period": "2024-06-28", "barrier_pct": 65, "coupon_pct": 7.5})
    guard = FaithfulnessGuard()
    assert guard.check("Your Autocall Note 7 pays a 7.5% coupon while the FTSE 100 stays above the 65% barrier.",
                       facts, lang="en").ok
    assert not guard.check("Your Autocall Note 7 pays an 8.5% coupon.", facts, lang="en").ok


@pytest.mark.parametrize(
    ("key", "metric", "unit", "currency", "pair"),
    [
        ("eur_amount", "amount", "currency", "EUR", None),  # a code in front: an amount in that currency
        ("usd_index", "usd index", "", None, None),  # the dollar index is no dollar amount
        ("gbp_jpy", "gbp jpy", "", None, ("GBP", "JPY")),  # a pair: a rate
        ("fx_jpy_per_usd", "fx jpy per usd", "", None, ("USD", "JPY")),  # yen per dollar is USD/JPY
        ("eurusd_close", "eurusd close", "", None, ("EUR", "USD")),
        ("price_gbp_per_oz", "price", "currency", "GBP", None),  # a price per ounce is in pounds
        ("settle_usd_bbl", "settle", "currency", "USD", None),
        ("coupon_pct_pa", "coupon pa", "%", None, None),  # read past "pa"
        ("points_per_usd", "points per usd", "", None, None),  # one code is no pair
    ],
)
def test_parse_key_reads_codes_pairs_prices_and_qualifiers(key, metric, unit, currency, pair) -> None:
    spec = parse_key(key)
    assert (spec.metric, spec.unit, spec.currency, spec.pair) == (metric, unit, currency, pair)


def test_a_pair_key_is_about_the_pair_unless_the_object_names_an_entity() -> None:
    (rate,) = facts_from_dict({"period": "2025-05-02", "eur_usd": 1.085})
    assert (rate.entity, rate.unit, rate.currency) == ("EUR/USD", "", None)
    fs = facts_from_dict({"customer": "Ms Lee", "spend_eur": 250, "rate_gbp_per_eur": 0.8512})
    assert {f.entity for f in fs} == {"Ms Lee"}


@pytest.mark.parametrize(
    ("period", "start", "end"),
    [
        ("billing cycle 2025-03", dt.date(2025, 3, 1), dt.date(2025, 3, 31)),
        ("2024 YTD to 2024-06-30", dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
        ("2024-07至2025-06", dt.date(2024, 7, 1), dt.date(2025, 6, 30)),
    ],
)
def test_a_period_value_with_words_around_it(period, start, end) -> None:
    (fact,) = facts_from_dict({"customer": "Mr Hale", "period": period, "spend_gbp": 10})
    assert (fact.period.start, fact.period.end) == (start, end)


def test_a_period_value_without_a_date_gives_no_period() -> None:
    (fact,) = facts_from_dict({"customer": "Mr Hale", "period": "next renewal", "spend_gbp": 10})
    assert fact.period is None
