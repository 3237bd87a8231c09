"""Daily product returns from asset prices (baskets, fees) and fixed-rate products."""

from __future__ import annotations

import numpy as np
import pandas as pd

from finloom.apps.advisor._shelf import Product
from finloom.errors import InvalidDataError

__all__ = ["RATE_JITTER", "fixed_daily", "product_returns", "products_from_assets"]

TRADING_DAYS = 252
RATE_JITTER = (
    1e-5  # daily sd given to fixed-rate products for the optimisers only (≈0.016 % a year)
)


def fixed_daily(rate: float) -> float:
    """The daily simple return of an annual ``rate``.

    Examples
    --------
    >>> round(fixed_daily(0.0252) * 252, 4)
    0.0249
    """
    return float((1.0 + rate) ** (1.0 / TRADING_DAYS) - 1.0)


def products_from_assets(
    asset_returns: np.ndarray, columns: list[str], products: list[Product]
) -> np.ndarray:
    """Product returns (..., P) from asset simple returns (..., A), net of fees; fixed-rate products
    earn their rate net of fees.

    Examples
    --------
    >>> from finloom.apps.advisor._shelf import load_shelf
    >>> shelf = load_shelf()
    >>> out = products_from_assets(np.zeros((2, 1)), ["SP500"], [shelf.by_id("ETF-SP500")])
    >>> out.shape
    (2, 1)
    """
    missing = sorted({a for p in products for a in p.assets} - set(columns))
    if missing:
        raise InvalidDataError(
            f"prices must have a column for every product asset; got none for {missing}. "
            f"Columns: {columns}."
        )
    out = np.empty((*asset_returns.shape[:-1], len(products)))
    for j, p in enumerate(products):
        if p.rate is not None:
            out[..., j] = fixed_daily(p.rate - p.fee)
        else:
            mix = np.zeros(len(columns))
            for a, w in p.assets.items():
                mix[columns.index(a)] = w
            out[..., j] = asset_returns @ mix - p.fee / TRADING_DAYS
    return out


def product_returns(
    prices: pd.DataFrame, products: list[Product], *, jitter: bool = True, seed: int = 0
) -> pd.DataFrame:
    """Daily simple returns of ``products`` on the dates of ``prices``; fixed-rate products get a tiny
    deterministic jitter (``RATE_JITTER``) when ``jitter`` so every optimiser sees a positive-definite risk.

    Examples
    --------
    >>> from finloom.apps.advisor._shelf import load_shelf
    >>> idx = pd.bdate_range("2024-01-01", periods=5)
    >>> px = pd.DataFrame({"SP500": [100, 101, 100, 102, 103.0]}, index=idx)
    >>> shelf = load_shelf()
    >>> r = product_returns(px, [shelf.by_id("ETF-SP500"), shelf.by_id("DEP-1Y")])
    >>> list(r.columns), len(r)
    (['ETF-SP500', 'DEP-1Y'], 4)
    """
    simple = prices.pct_change().iloc[1:]
    out = products_from_assets(simple.to_numpy(), [str(c) for c in prices.columns], products)
    if jitter:
        rng = np.random.default_rng(seed)
        for j, p in enumerate(products):
            if p.rate is not None:
                out[:, j] += rng.normal(0.0, RATE_JITTER, len(out))
    return pd.DataFrame(out, index=simple.index, columns=[p.id for p in products])
