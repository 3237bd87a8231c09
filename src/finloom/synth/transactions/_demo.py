"""A documented generative process for demo customers and card/account transactions.

Process (all draws from one seeded Generator):

1. Customers: a segment (student 25%, retail 50%, affluent 15%, business 10%), a home country
   (GB 60%, DE 15%, FR 15%, NL 10%), an age (segment-dependent normal, clipped 18-90) and an
   account opening date.
2. Activity: each account makes transactions as a Poisson process whose daily rate is lognormal
   around the segment's mean (student 1.5, retail 2, affluent 3, business 6 per day), scaled by a
   weekday profile (weekends 0.7x for business, 1.2x otherwise); times of day follow a mixture
   of a lunch peak (12:30) and an evening peak (19:00).
3. Each transaction picks a merchant category from the account's own Dirichlet-perturbed mix of
   the segment's category weights; the amount is lognormal with a category median (groceries 35,
   restaurants 28, fuel 55, online retail 60, travel 300, utilities 90, cash 100, transfers 400)
   times a segment multiplier; the channel follows the category (e.g. online retail → online).
4. 3% of transactions happen abroad (a country other than home).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finloom._base import check_random_state

__all__ = ["CATEGORIES", "CHANNELS", "make_demo_tables"]

SEGMENTS = {"student": (0.25, 1.5, 22, 0.6), "retail": (0.50, 2.0, 42, 1.0),
            "affluent": (0.15, 3.0, 52, 2.2), "business": (0.10, 6.0, 45, 3.0)}
COUNTRIES = {"GB": 0.6, "DE": 0.15, "FR": 0.15, "NL": 0.1}
FOREIGN = ["ES", "IT", "US", "PT", "IE"]
CATEGORIES = {  # median amount, channel weights (pos, online, atm, transfer)
    "groceries": (35.0, (0.9, 0.1, 0.0, 0.0)),
    "restaurants": (28.0, (0.95, 0.05, 0.0, 0.0)),
    "fuel": (55.0, (1.0, 0.0, 0.0, 0.0)),
    "online_retail": (60.0, (0.0, 1.0, 0.0, 0.0)),
    "travel": (300.0, (0.2, 0.8, 0.0, 0.0)),
    "utilities": (90.0, (0.0, 0.3, 0.0, 0.7)),
    "cash": (100.0, (0.0, 0.0, 1.0, 0.0)),
    "transfer": (400.0, (0.0, 0.4, 0.0, 0.6)),
}
CHANNELS = ("pos", "online", "atm", "transfer")
_MIX = {"student": [5, 4, 1, 5, 1, 1, 2, 1], "retail": [6, 3, 2, 3, 1, 2, 2, 1],
        "affluent": [4, 4, 2, 3, 2, 2, 1, 2], "business": [2, 3, 3, 2, 3, 3, 1, 5]}


def _customers(n: int, start: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    names = list(SEGMENTS)
    segment = rng.choice(names, size=n, p=[SEGMENTS[s][0] for s in names])
    mean_age = np.array([SEGMENTS[s][2] for s in segment])
    return pd.DataFrame({
        "account_id": [f"A{i:06d}" for i in range(n)],
        "segment": segment,
        "home_country": rng.choice(list(COUNTRIES), size=n, p=list(COUNTRIES.values())),
        "age": np.clip(rng.normal(mean_age, 8), 18, 90).round().astype(np.int64),
        "opened": start - pd.to_timedelta(rng.integers(30, 3000, size=n), unit="D"),
    })


def _account_events(row: pd.Series, days: int, start: pd.Timestamp,
                     rng: np.random.Generator) -> pd.DataFrame:
    share, rate, _, mult = SEGMENTS[row["segment"]]
    daily = rate * np.exp(rng.normal(0, 0.4))
    dates = pd.date_range(start, periods=days, freq="D")
    weekend = dates.dayofweek >= 5
    factor = np.where(weekend, 0.7 if row["segment"] == "business" else 1.2, 1.0)
    counts = rng.poisson(daily * factor)
    day_idx = np.repeat(np.arange(days), counts)
    n = len(day_idx)
    hours = np.where(rng.random(n) < 0.45, rng.normal(12.5, 1.5, n), rng.normal(19.0, 2.5, n))
    seconds = np.clip(hours, 0.0, 23.99) * 3600
    mix = rng.dirichlet(np.array(_MIX[row["segment"]], dtype=float) * 5)
    cats = rng.choice(list(CATEGORIES), size=n, p=mix)
    median = np.array([CATEGORIES[c][0] for c in cats])
    amount = np.round(median * mult * np.exp(rng.normal(0, 0.7, n)), 2)
    channel = [CHANNELS[rng.choice(4, p=CATEGORIES[c][1])] for c in cats]
    abroad = rng.random(n) < 0.03
    country = np.where(abroad, rng.choice(FOREIGN, size=n), row["home_country"])
    return pd.DataFrame({
        "account_id": row["account_id"],
        "timestamp": dates[day_idx] + pd.to_timedelta(seconds.round(), unit="s"),
        "amount": amount, "merchant_category": cats, "channel": channel, "country": country,
    })


def make_demo_tables(
    n_customers: int = 200,
    *,
    days: int = 90,
    start: str = "2024-01-01",
    random_state: int | np.random.Generator | None = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build demo ``customers`` and ``transactions`` tables with the process in the module doc.

    Examples
    --------
    >>> customers, tx = make_demo_tables(5, days=7, random_state=0)
    >>> list(tx.columns)
    ['transaction_id', 'account_id', 'timestamp', 'amount', 'merchant_category', 'channel', 'country']
    >>> bool(tx["account_id"].isin(customers["account_id"]).all())
    True
    """
    rng = check_random_state(random_state)
    first = pd.Timestamp(start)
    customers = _customers(int(n_customers), first, rng)
    parts = [_account_events(row, int(days), first, rng) for _, row in customers.iterrows()]
    tx = pd.concat(parts, ignore_index=True).sort_values(["timestamp", "account_id"], kind="stable")
    tx = tx.reset_index(drop=True)
    tx.insert(0, "transaction_id", [f"T{i:08d}" for i in range(len(tx))])
    return customers, tx
