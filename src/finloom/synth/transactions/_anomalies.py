"""Labelled anomaly injection into a transactions table (fraud and AML patterns).

Each pattern is injected into ``round(rate * n_accounts)`` distinct accounts:

* ``card_testing``: 5-15 online payments of 0.50-2.00 within ~10 minutes;
* ``account_takeover``: 3-8 large online transfers abroad within an hour;
* ``structuring``: 3-6 cash/transfer deposits at 90-99% of ``threshold`` over a few days;
* ``unusual_geography``: 1-3 card payments in a country the account has never used.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from finloom._base import check_random_state
from finloom.errors import ConfigError, InvalidDataError

__all__ = ["ANOMALY_TYPES", "inject_anomalies"]

ANOMALY_TYPES = ("card_testing", "account_takeover", "structuring", "unusual_geography")
_FAR_COUNTRIES = ["NG", "BR", "RU", "VN", "KH", "PA"]


def _card_testing(t0: pd.Timestamp, home: str, threshold: float, rng: np.random.Generator) -> dict:
    n = int(rng.integers(5, 16))
    return {"timestamp": t0 + pd.to_timedelta(np.sort(rng.integers(0, 600, n)), unit="s"),
            "amount": rng.uniform(0.5, 2.0, n).round(2), "merchant_category": "online_retail",
            "channel": "online", "country": home}


def _takeover(t0: pd.Timestamp, home: str, threshold: float, rng: np.random.Generator) -> dict:
    n = int(rng.integers(3, 9))
    return {"timestamp": t0 + pd.to_timedelta(np.sort(rng.integers(0, 3600, n)), unit="s"),
            "amount": rng.uniform(800, 3000, n).round(2), "merchant_category": "transfer",
            "channel": "online", "country": rng.choice(_FAR_COUNTRIES)}


def _structuring(t0: pd.Timestamp, home: str, threshold: float, rng: np.random.Generator) -> dict:
    n = int(rng.integers(3, 7))
    return {"timestamp": t0 + pd.to_timedelta(np.sort(rng.integers(0, 5 * 86400, n)), unit="s"),
            "amount": (threshold * rng.uniform(0.90, 0.99, n)).round(2), "merchant_category": "cash",
            "channel": "atm", "country": home}


def _geography(t0: pd.Timestamp, home: str, threshold: float, rng: np.random.Generator) -> dict:
    n = int(rng.integers(1, 4))
    return {"timestamp": t0 + pd.to_timedelta(np.sort(rng.integers(0, 7200, n)), unit="s"),
            "amount": np.exp(rng.normal(4.0, 0.6, n)).round(2), "merchant_category": "restaurants",
            "channel": "pos", "country": rng.choice(_FAR_COUNTRIES)}


_PATTERNS: dict[str, Callable[..., dict]] = {
    "card_testing": _card_testing, "account_takeover": _takeover,
    "structuring": _structuring, "unusual_geography": _geography,
}


def inject_anomalies(
    transactions: pd.DataFrame,
    *,
    rates: Mapping[str, float] | None = None,
    threshold: float = 10_000.0,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Return a copy of ``transactions`` with injected anomalies and label columns.

    Adds ``is_anomaly`` (bool) and ``anomaly_type`` (``"none"`` for normal rows). ``rates`` maps
    each pattern to the fraction of accounts receiving it (default 1% each).

    Examples
    --------
    >>> from finloom.synth.transactions import make_demo_tables
    >>> _, tx = make_demo_tables(100, days=10, random_state=0)
    >>> out = inject_anomalies(tx, rates={"structuring": 0.05}, random_state=0)
    >>> out.loc[out.is_anomaly, "account_id"].nunique()
    5
    """
    rates = dict.fromkeys(ANOMALY_TYPES, 0.01) if rates is None else dict(rates)
    for name, rate in rates.items():
        if name not in _PATTERNS:
            raise ConfigError(f"anomaly type must be one of {list(ANOMALY_TYPES)}; got {name!r}.")
        if not 0.0 <= float(rate) <= 1.0:
            raise ConfigError(f"the rate of {name} must be in [0, 1]; got {rate}.")
    missing = {"account_id", "timestamp", "amount"} - set(transactions.columns)
    if missing:
        raise InvalidDataError(f"transactions must have columns {sorted(missing)}; got "
                               f"{list(transactions.columns)}. Rename your columns.")
    rng = check_random_state(random_state)
    tx = transactions.copy()
    tx["timestamp"] = pd.to_datetime(tx["timestamp"])
    accounts = np.array(sorted(tx["account_id"].unique()))
    home = tx.groupby("account_id")["country"].agg(lambda s: s.mode().iloc[0]) if "country" in tx else None
    lo, hi = tx["timestamp"].min(), tx["timestamp"].max()
    new_rows = []
    for name, rate in rates.items():
        chosen = rng.choice(accounts, size=int(round(float(rate) * len(accounts))), replace=False)
        for account in chosen:
            t0 = lo + (hi - lo) * float(rng.random())
            country = str(home[account]) if home is not None else ""
            rows = pd.DataFrame(_PATTERNS[name](t0, country, float(threshold), rng))
            rows["account_id"], rows["anomaly_type"] = account, name
            new_rows.append(rows)
    tx["anomaly_type"] = "none"
    out = pd.concat([tx, *new_rows], ignore_index=True)
    out = out[[c for c in [*transactions.columns, "anomaly_type"] if c in out.columns]]
    out["is_anomaly"] = out["anomaly_type"] != "none"
    out = out.sort_values(["timestamp", "account_id"], kind="stable").reset_index(drop=True)
    if "transaction_id" in out:  # original ids are kept; injected rows get their own
        injected = out["transaction_id"].isna()
        out.loc[injected, "transaction_id"] = [f"INJ{i:07d}" for i in range(int(injected.sum()))]
    return out
