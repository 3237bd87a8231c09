"""A documented generative process for demo customers and card/account transactions.

Process (all draws from one seeded Generator):

1. Customers: a segment (student 25%, retail 50%, affluent 15%, business 10%), a home country
   (GB 60%, DE 15%, FR 15%, NL 10%), an age (segment-dependent normal, clipped 18-90), an account
   opening date, 1-3 devices and a personal amount level (lognormal, sd 0.3, on top of the segment's).
2. Activity: each account spends as a Poisson process whose daily rate is lognormal around the
   segment's mean (student 1.5, retail 2, affluent 3, business 6 per day), scaled by a weekday
   profile (weekends 0.7x for business, 1.2x otherwise); 8% of accounts have a dormant spell of
   20-60 days with almost no activity. Times of day follow the account's own mixture of a lunch
   peak (around 12:30), an evening peak (around 19:00) and a night share (0-6 h, about 3%),
   wrapped around midnight (no clipping, so no pile-up at 23:59).
3. Each spend picks a merchant category from the account's own Dirichlet-perturbed mix of the
   segment's category weights and, 85% of the time, one of the account's usual merchants of that
   category; the amount is lognormal with a category median (groceries 35, restaurants 28, fuel 55,
   online retail 60, travel 300, utilities 90, cash 100, transfers 400) times the segment multiplier
   and the account's level; ATM cash is a multiple of 20. The channel follows the category.
4. Travel: 30% of accounts take a 3-10 day trip abroad; card payments during it happen there.
   Another 1% of events are online purchases abroad. Devices: one event in ~300 uses a new device.
5. Money in: a monthly salary (business: none), incoming transfers from other people (0.1 per day;
   business accounts 2 per day from many payers) and, for business accounts, cash deposits
   (0.3 per day, lognormal median 2,500 — some reach the 10,000 reporting threshold).
6. Micro-payments: 40% of accounts now and then (about once a month) make a burst of 2-6 small
   online payments (0.50-10: in-app purchases, transit, parking) within minutes, at merchants they
   rarely use — the innocent twin of card testing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from finloom._base import check_random_state

__all__ = ["CATEGORIES", "CHANNELS", "make_demo_tables"]

SEGMENTS = {
    "student": (0.25, 1.5, 22, 0.6),
    "retail": (0.50, 2.0, 42, 1.0),
    "affluent": (0.15, 3.0, 52, 2.2),
    "business": (0.10, 6.0, 45, 3.0),
}
SALARY = {"student": 900.0, "retail": 2600.0, "affluent": 7000.0, "business": 0.0}
COUNTRIES = {"GB": 0.6, "DE": 0.15, "FR": 0.15, "NL": 0.1}
FOREIGN = ["ES", "IT", "US", "PT", "IE", "GB", "DE", "FR", "NL"]
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
COLUMNS = [
    "transaction_id",
    "account_id",
    "timestamp",
    "amount",
    "merchant_category",
    "channel",
    "country",
    "device_id",
    "direction",
    "counterparty",
]
_MIX = {
    "student": [5, 4, 1, 5, 1, 1, 2, 1],
    "retail": [6, 3, 2, 3, 1, 2, 2, 1],
    "affluent": [4, 4, 2, 3, 2, 2, 1, 2],
    "business": [2, 3, 3, 2, 3, 3, 1, 5],
}
_MERCHANTS_PER_CATEGORY = 3000


def _customers(n: int, start: pd.Timestamp, rng: np.random.Generator) -> pd.DataFrame:
    names = list(SEGMENTS)
    segment = rng.choice(names, size=n, p=[SEGMENTS[s][0] for s in names])
    mean_age = np.array([SEGMENTS[s][2] for s in segment])
    return pd.DataFrame(
        {
            "account_id": [f"A{i:06d}" for i in range(n)],
            "segment": segment,
            "home_country": rng.choice(list(COUNTRIES), size=n, p=list(COUNTRIES.values())),
            "age": np.clip(rng.normal(mean_age, 8), 18, 90).round().astype(np.int64),
            "opened": start - pd.to_timedelta(rng.integers(30, 3000, size=n), unit="D"),
        }
    )


def _day_rates(
    segment: str, days: int, dates: pd.DatetimeIndex, rng: np.random.Generator
) -> np.ndarray:
    daily = SEGMENTS[segment][1] * np.exp(rng.normal(0, 0.4))
    weekend = dates.dayofweek >= 5
    rate = daily * np.where(weekend, 0.7 if segment == "business" else 1.2, 1.0)
    if rng.random() < 0.08:  # a dormant spell
        first = int(rng.integers(0, max(days - 20, 1)))
        rate[first : first + int(rng.integers(20, 61))] *= 0.02
    return rate


def _times(day_idx: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Seconds since the start: the account's own lunch/evening/night mixture, wrapped at midnight."""
    n = len(day_idx)
    lunch, evening, night = 12.5 + rng.normal(0, 1.0), 19.0 + rng.normal(0, 1.5), rng.beta(1.5, 50)
    u = rng.random(n)
    hours = np.where(u < 0.42, rng.normal(lunch, 1.5, n), rng.normal(evening, 2.5, n))
    hours = np.where(u > 1 - night, rng.uniform(0, 6, n), hours) % 24.0
    return day_idx * 86400 + np.floor(hours * 3600)


def _spend(row: pd.Series, rate: np.ndarray, level: float, rng: np.random.Generator) -> dict:
    counts = rng.poisson(rate)
    day_idx = np.repeat(np.arange(len(rate)), counts)
    n = len(day_idx)
    mix = rng.dirichlet(np.array(_MIX[row["segment"]], dtype=float) * 5)
    cat_idx = rng.choice(len(CATEGORIES), size=n, p=mix)
    cats = np.array(list(CATEGORIES), dtype=object)[cat_idx]
    median = np.array([v[0] for v in CATEGORIES.values()])[cat_idx]
    amount = median * SEGMENTS[row["segment"]][3] * level * np.exp(rng.normal(0, 0.7, n))
    weights = np.array([v[1] for v in CATEGORIES.values()])[cat_idx]
    channel_idx = (rng.random(n)[:, None] > np.cumsum(weights, axis=1)).sum(axis=1).clip(0, 3)
    channel = np.array(CHANNELS, dtype=object)[channel_idx]
    amount = np.where(channel == "atm", np.maximum(20.0, np.round(amount / 20) * 20), amount)
    usual = rng.integers(
        0, _MERCHANTS_PER_CATEGORY, size=(len(CATEGORIES), int(rng.integers(3, 9)))
    )
    pick = usual[cat_idx, rng.integers(0, usual.shape[1], n)]
    merchant = np.where(rng.random(n) < 0.85, pick, rng.zipf(1.3, n) % _MERCHANTS_PER_CATEGORY)
    counterparty = np.array(
        [f"M{c}-{m:04d}" for c, m in zip(cat_idx, merchant, strict=True)], dtype=object
    )
    is_transfer = cats == "transfer"
    counterparty[is_transfer] = [
        f"P{v:06d}" for v in rng.integers(0, 10**6, int(is_transfer.sum()))
    ]
    return {
        "t": _times(day_idx, rng),
        "amount": amount,
        "merchant_category": cats,
        "channel": channel,
        "direction": np.full(n, "out", dtype=object),
        "counterparty": counterparty,
    }


def _micro(days: int, rng: np.random.Generator) -> dict:
    bursts = rng.poisson(days / 30) if rng.random() < 0.4 else 0
    sizes = rng.integers(2, 7, bursts)
    n = int(sizes.sum())
    starts = np.repeat(_times(rng.integers(0, days, bursts), rng), sizes)
    t = starts + rng.integers(0, 2400, n)
    return {
        "t": t,
        "amount": rng.uniform(0.5, 10.0, n),
        "merchant_category": np.full(n, "online_retail", dtype=object),
        "channel": np.full(n, "online", dtype=object),
        "direction": np.full(n, "out", dtype=object),
        "counterparty": np.array(
            [f"M3-{m:04d}" for m in rng.integers(0, _MERCHANTS_PER_CATEGORY, n)], dtype=object
        ),
    }


def _money_in(row: pd.Series, days: int, level: float, rng: np.random.Generator) -> dict:
    segment = row["segment"]
    business = segment == "business"
    n_p2p = rng.poisson((2.0 if business else 0.1) * days)
    n_cash = rng.poisson(0.3 * days) if business else rng.poisson(0.01 * days)
    paydays = np.arange(24, days, 30) if SALARY[segment] > 0 else np.arange(0)
    t = np.concatenate(
        [
            paydays * 86400 + 6 * 3600 + rng.integers(0, 3600, len(paydays)),
            _times(rng.integers(0, days, n_p2p), rng),
            _times(rng.integers(0, days, n_cash), rng),
        ]
    )
    amount = np.concatenate(
        [
            SALARY[segment] * level * np.exp(rng.normal(0, 0.05, len(paydays))),
            np.exp(rng.normal(np.log(300.0 if business else 60.0), 0.9, n_p2p)) * level,
            np.exp(rng.normal(np.log(2500.0 if business else 400.0), 0.9, n_cash)),
        ]
    )
    cats = ["salary"] * len(paydays) + ["transfer"] * n_p2p + ["cash_deposit"] * n_cash
    payers = [f"P{v:06d}" for v in rng.integers(0, 10**6, n_p2p)]
    counterparty = [f"EMP{row['account_id'][1:]}"] * len(paydays) + payers
    return {
        "t": t,
        "amount": amount,
        "merchant_category": np.array(cats, dtype=object),
        "channel": np.array(
            ["transfer"] * (len(paydays) + n_p2p) + ["branch"] * n_cash, dtype=object
        ),
        "direction": np.full(len(t), "in", dtype=object),
        "counterparty": np.array(counterparty + ["CASH"] * n_cash, dtype=object),
    }


def _place(
    row: pd.Series, t: np.ndarray, channel: np.ndarray, days: int, rng: np.random.Generator
) -> tuple:
    """Countries (home, trips abroad, some online abroad) and devices (own, rarely a new one)."""
    country = np.full(len(t), row["home_country"], dtype=object)
    if rng.random() < 0.3:
        start = rng.uniform(0, days) * 86400
        away = rng.choice([c for c in FOREIGN if c != row["home_country"]])
        trip = (
            (t >= start)
            & (t < start + rng.integers(3, 11) * 86400)
            & np.isin(channel, ["pos", "atm"])
        )
        country[trip] = away
    online_abroad = (channel == "online") & (rng.random(len(t)) < 0.03)
    country[online_abroad] = rng.choice(["US", "IE", "NL", "DE"], size=int(online_abroad.sum()))
    own = [
        f"D{row['account_id'][1:]}-{k}"
        for k in range(int(rng.choice([1, 2, 3], p=[0.7, 0.25, 0.05])))
    ]
    device = np.array(own, dtype=object)[rng.integers(0, len(own), len(t))]
    new = rng.random(len(t)) < 1 / 300
    device[new] = [f"D{v:07d}" for v in rng.integers(0, 10**7, int(new.sum()))]
    return country, device


def _account_events(
    row: pd.Series, days: int, start: pd.Timestamp, rng: np.random.Generator
) -> pd.DataFrame:
    dates = pd.date_range(start, periods=days, freq="D")
    level = float(np.exp(rng.normal(0, 0.3)))
    parts = [
        _spend(row, _day_rates(row["segment"], days, dates, rng), level, rng),
        _money_in(row, days, level, rng),
        _micro(days, rng),
    ]
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    country, device = _place(row, cols["t"], cols["channel"], days, rng)
    return pd.DataFrame(
        {
            "account_id": row["account_id"],
            "timestamp": start + pd.to_timedelta(cols.pop("t"), unit="s"),
            "amount": np.round(cols.pop("amount"), 2),
            "merchant_category": cols["merchant_category"],
            "channel": cols["channel"],
            "country": country,
            "device_id": device,
            "direction": cols["direction"],
            "counterparty": cols["counterparty"],
        }
    )


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
    >>> list(tx.columns)  # doctest: +NORMALIZE_WHITESPACE
    ['transaction_id', 'account_id', 'timestamp', 'amount', 'merchant_category', 'channel',
     'country', 'device_id', 'direction', 'counterparty']
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
    return customers, tx[COLUMNS]
