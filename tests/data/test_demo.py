"""Demo tables: seeded synthetic credit data and tables shipped by PyPI packages."""

from __future__ import annotations

import pytest

from finloom.data import validate_table
from finloom.data.demo import DEMO_DATASETS, credit_applications, load_demo
from finloom.errors import NotFoundError


def test_credit_applications_is_seeded_and_plausible():
    df = credit_applications(500, random_state=3)
    assert df.equals(credit_applications(500, random_state=3))
    assert not df.equals(credit_applications(500, random_state=4))
    assert df.columns.tolist() == [
        "application_id",
        "age",
        "employment",
        "income",
        "region",
        "credit_limit",
        "balance",
        "late_payments",
        "application_date",
        "default",
    ]
    assert df["application_id"].is_unique and df["application_id"].iloc[0] == "000001"
    assert df["age"].between(21, 75).all()
    assert (df["balance"] <= df["credit_limit"]).all()
    assert 0.05 < df["default"].mean() < 0.3
    assert 0 < df["income"].isna().sum() < 30


def test_load_demo_credit_applications_validates_clean():
    df, meta = load_demo("credit_applications")
    assert df.shape == (2000, 10)
    assert (meta.primary_key, meta.target) == ("application_id", "default")
    assert meta.kind_of("application_date").value == "datetime"
    assert validate_table(df, meta).ok


@pytest.mark.parametrize("name", ["sp500_prices", "sp500_returns", "us_macro"])
def test_load_demo_package_tables(name):
    pytest.importorskip("arch")
    pytest.importorskip("statsmodels")
    df, meta = load_demo(name)
    assert len(df) > 100
    assert validate_table(df, meta).ok
    assert DEMO_DATASETS[name].source


def test_sp500_returns_are_log_returns_of_prices():
    pytest.importorskip("arch")
    prices, _ = load_demo("sp500_prices")
    returns, _ = load_demo("sp500_returns")
    assert prices.columns.tolist() == [
        "date",
        "open",
        "high",
        "low",
        "close",
        "adj_close",
        "volume",
    ]
    assert len(returns) == len(prices) - 1
    assert returns["log_return_pct"].abs().max() < 15


def test_load_demo_unknown_name():
    with pytest.raises(NotFoundError) as info:
        load_demo("credit_aplications")
    assert str(info.value) == (
        "demo dataset must be one of credit_applications, sp500_prices, sp500_returns, us_macro; "
        "got 'credit_aplications'. Did you mean 'credit_applications'?"
    )
