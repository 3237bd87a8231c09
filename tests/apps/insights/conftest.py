"""Tiny hand-made tables, each with one known pattern (or none)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

MONTHS = 24


def monthly(rows_per_month: int = 60, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Rows spread over 24 months with a region, a channel, two noise measures and a 0/1 default."""
    rng = np.random.default_rng(seed)
    month = np.repeat(np.arange(MONTHS), rows_per_month)
    n = len(month)
    starts = pd.date_range("2023-01-01", periods=MONTHS, freq="MS")
    df = pd.DataFrame(
        {
            "date": starts[month] + pd.to_timedelta(rng.integers(0, 28, n), "D"),
            "region": rng.choice(["North", "South", "East"], n),
            "channel": rng.choice(["branch", "online"], n),
            "amount": rng.normal(100, 10, n).round(2),
            "balance": rng.normal(50, 5, n).round(2),
            "default": (rng.random(n) < 0.1).astype(int),
        }
    )
    return df, month


@pytest.fixture
def table() -> tuple[pd.DataFrame, np.ndarray]:
    return monthly()
