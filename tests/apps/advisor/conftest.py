"""Small synthetic prices with the columns the demo shelf needs (fast, offline, seeded)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

ASSETS = ["SP500", "NASDAQ", "WTI", "JNJ", "KO", "PG", "XOM", "JPM"]
ANSWERS_C4 = {
    "age": "30_45",
    "horizon": "5_10y",
    "goal": "growth",
    "income_stability": "stable",
    "liquidity": "low",
    "experience": "equities",
    "loss_tolerance": "up_to_15",
}
ANSWERS_C1 = {
    "age": "over_70",
    "horizon": "1_3y",
    "goal": "preserve",
    "income_stability": "none",
    "liquidity": "high",
    "experience": "none",
    "loss_tolerance": "none",
}


def make_prices(n_days: int = 900, seed: int = 0) -> pd.DataFrame:
    """Correlated GARCH-free log-normal prices with a calm and a stressed stretch."""
    rng = np.random.default_rng(seed)
    n = len(ASSETS)
    calm = 0.3 * np.ones((n, n)) + 0.7 * np.eye(n)
    crisis = 0.8 * np.ones((n, n)) + 0.2 * np.eye(n)
    vol = np.linspace(0.008, 0.02, n)
    half = n_days // 2
    r = np.vstack(
        [
            rng.multivariate_normal(np.full(n, 3e-4), calm * np.outer(vol, vol), half),
            rng.multivariate_normal(
                np.full(n, -2e-4), crisis * np.outer(3 * vol, 3 * vol), n_days // 6
            ),
            rng.multivariate_normal(
                np.full(n, 3e-4), calm * np.outer(vol, vol), n_days - half - n_days // 6
            ),
        ]
    )
    idx = pd.bdate_range("2010-01-01", periods=n_days)
    return pd.DataFrame(100 * np.exp(np.cumsum(r, axis=0)), index=idx, columns=ASSETS)


@pytest.fixture(scope="session")
def prices() -> pd.DataFrame:
    return make_prices()
