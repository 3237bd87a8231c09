"""Bad input gives one clear message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.apps.insights import find_insights
from finloom.errors import ConfigError, InvalidDataError


def test_no_numeric_column():
    df = pd.DataFrame({"region": ["N", "S"] * 10, "name": [f"n{i}" for i in range(20)]})
    with pytest.raises(InvalidDataError, match="at least one numeric column"):
        find_insights(df)


def test_one_row():
    with pytest.raises(InvalidDataError, match="at least 10 rows for insights; got 1"):
        find_insights(pd.DataFrame({"amount": [1.5], "x": [2.0]}))


def test_date_column_with_mixed_formats():
    dates = ["2024-01-05", "2024-02-11", "03/15/2024", "2024-04-02"] * 5
    df = pd.DataFrame({"date": dates, "amount": np.arange(20.0)})
    with pytest.raises(
        InvalidDataError, match=r"time column 'date' must use one date format; got 5 of 20 values"
    ):
        find_insights(df, time="date")


def test_two_thousand_columns():
    df = pd.DataFrame(
        np.random.default_rng(0).normal(size=(30, 2000)), columns=[f"c{i}" for i in range(2000)]
    )
    with pytest.raises(InvalidDataError, match="at most 500 columns for insights; got 2,000"):
        find_insights(df)


def test_unknown_role_column_and_options():
    df = pd.DataFrame({"amount": np.arange(20.0), "g": list("ab") * 10})
    with pytest.raises(
        ConfigError,
        match="target must name a column of the dataset; got 'amout'. Did you mean 'amount'",
    ):
        find_insights(df, target="amout")
    with pytest.raises(ConfigError, match="alpha must be between 0 and 1; got 2"):
        find_insights(df, alpha=2)
