"""Labelled fraud and AML typologies planted inside a transactions table.

Each typology is planted into ``round(rate * n_accounts)`` distinct accounts (default 0.3% each),
and borrows what it can from the account's own behaviour, so that no single rule isolates it:

* ``card_testing``: 3-10 online payments at new merchants within minutes, amounts from the low end
  of the account's own amounts (scaled down), often from a new device, sometimes abroad;
* ``account_takeover``: a new device, then 1-4 outgoing transfers to new payees within two hours,
  at one of the account's usual hours, amounts 1-4x the account's own transfer amounts;
* ``mule``: fan-in of 4-12 incoming transfers from distinct new payers over 1-3 days, then
  fan-out of 80-95% of the money to 1-4 new payees (or ATM cash) within a day;
* ``structuring``: 3-6 cash deposits over 2-10 days at 60-99% of ``threshold`` (business accounts
  deposit such amounts as a matter of course);
* ``bust_out``: a first-party spree of 5-15 payments over 1-5 days at 1-3x the account's own upper
  amounts, on its own devices, at home, partly at its usual merchants.

Columns a pattern fills but the table lacks are dropped; the table needs ``account_id``,
``timestamp`` and ``amount``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from finloom._base import check_random_state
from finloom.errors import ConfigError, InvalidDataError

__all__ = ["ANOMALY_TYPES", "inject_anomalies"]

ANOMALY_TYPES = ("card_testing", "account_takeover", "mule", "structuring", "bust_out")
_ONLINE_ABROAD = ["US", "IE", "NL", "DE", "LT", "CY"]


@dataclass(frozen=True)
class _Profile:
    """What a pattern may borrow from the account's own history."""

    amounts: np.ndarray  # sorted outgoing amounts
    hours: np.ndarray
    home: str
    devices: list[str]
    merchants: list[str]


def _new_ids(prefix: str, n: int, rng: np.random.Generator) -> list[str]:
    return [f"{prefix}{v:07d}" for v in rng.integers(0, 10**7, n)]


def _offsets(t0: pd.Timestamp, n: int, span_s: int, rng: np.random.Generator) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(
        t0 + pd.to_timedelta(np.sort(rng.integers(0, max(span_s, 1), n)), unit="s")
    )


def _card_testing(
    t0: pd.Timestamp, p: _Profile, threshold: float, rng: np.random.Generator
) -> dict:
    n = int(rng.integers(3, 11))
    low = p.amounts[: max(1, len(p.amounts) // 3)]
    amount = np.maximum(0.5, rng.choice(low, n) * rng.uniform(0.05, 0.6, n)).round(2)
    abroad = rng.random() < 0.4
    return {
        "timestamp": _offsets(t0, n, int(rng.integers(300, 3600)), rng),
        "amount": amount,
        "merchant_category": "online_retail",
        "channel": "online",
        "direction": "out",
        "country": str(rng.choice(_ONLINE_ABROAD)) if abroad else p.home,
        "device_id": _new_ids("D", 1, rng)[0] if rng.random() < 0.7 else rng.choice(p.devices),
        "counterparty": [f"M3-{v:04d}" for v in rng.integers(0, 3000, n)],
    }


def _takeover(t0: pd.Timestamp, p: _Profile, threshold: float, rng: np.random.Generator) -> dict:
    n = int(rng.integers(1, 5))
    start = t0.normalize() + pd.Timedelta(hours=float(rng.choice(p.hours)))
    base = p.amounts[len(p.amounts) // 2 :]
    return {
        "timestamp": _offsets(start, n, 7200, rng),
        "amount": (rng.choice(base, n) * rng.uniform(1.0, 4.0, n)).round(2),
        "merchant_category": "transfer",
        "channel": "online",
        "direction": "out",
        "country": p.home if rng.random() < 0.8 else str(rng.choice(_ONLINE_ABROAD)),
        "device_id": _new_ids("D", 1, rng)[0],
        "counterparty": _new_ids("P", n, rng),
    }


def _mule(t0: pd.Timestamp, p: _Profile, threshold: float, rng: np.random.Generator) -> dict:
    k, m = int(rng.integers(4, 13)), int(rng.integers(1, 5))
    t_in = _offsets(t0, k, int(rng.integers(1, 4)) * 86400, rng)
    amount_in = np.exp(rng.normal(np.log(600.0), 0.6, k)).round(2)
    t_out = _offsets(t_in[-1] + pd.Timedelta(minutes=10), m, int(rng.integers(2, 24)) * 3600, rng)
    share = rng.dirichlet(np.ones(m)) * amount_in.sum() * rng.uniform(0.80, 0.95)
    cash = rng.random() < 0.3
    amount_out = np.round(share / 20) * 20 if cash else share.round(2)
    own_device = rng.choice(p.devices)
    return {
        "timestamp": t_in.append(t_out),
        "amount": np.concatenate([amount_in, amount_out]),
        "merchant_category": ["transfer"] * k + ["cash" if cash else "transfer"] * m,
        "channel": ["transfer"] * k + ["atm" if cash else "online"] * m,
        "direction": ["in"] * k + ["out"] * m,
        "country": [p.home] * k
        + [p.home if rng.random() < 0.5 else str(rng.choice(_ONLINE_ABROAD))] * m,
        "device_id": own_device,
        "counterparty": _new_ids("P", k, rng) + _new_ids("P", m, rng),
    }


def _structuring(t0: pd.Timestamp, p: _Profile, threshold: float, rng: np.random.Generator) -> dict:
    n = int(rng.integers(3, 7))
    amount = threshold * rng.uniform(0.60, 0.99, n)
    amount = np.where(rng.random(n) < 0.5, np.round(amount / 10) * 10, amount.round(2))
    return {
        "timestamp": _offsets(t0, n, int(rng.integers(2, 11)) * 86400, rng),
        "amount": amount,
        "merchant_category": "cash_deposit",
        "channel": "branch",
        "direction": "in",
        "country": p.home,
        "device_id": rng.choice(p.devices),
        "counterparty": "CASH",
    }


def _bust_out(t0: pd.Timestamp, p: _Profile, threshold: float, rng: np.random.Generator) -> dict:
    n = int(rng.integers(5, 16))
    high = p.amounts[3 * len(p.amounts) // 4 :]
    cats = rng.choice(["travel", "online_retail", "cash", "online_retail"], n)
    usual = rng.random(n) < 0.5
    merchant = [
        str(rng.choice(p.merchants)) if u else f"M{v % 8}-{v % 3000:04d}"
        for u, v in zip(usual, rng.integers(0, 10**6, n), strict=True)
    ]
    return {
        "timestamp": _offsets(t0, n, int(rng.integers(1, 6)) * 86400, rng),
        "amount": (rng.choice(high, n) * rng.uniform(1.0, 3.0, n)).round(2),
        "merchant_category": cats,
        "channel": np.where(cats == "cash", "atm", "online"),
        "direction": "out",
        "country": p.home,
        "device_id": rng.choice(p.devices, n),
        "counterparty": merchant,
    }


_PATTERNS: dict[str, Callable[..., dict]] = {
    "card_testing": _card_testing,
    "account_takeover": _takeover,
    "mule": _mule,
    "structuring": _structuring,
    "bust_out": _bust_out,
}


def _profile(rows: pd.DataFrame) -> _Profile:
    out = rows[rows["direction"] == "out"] if "direction" in rows else rows
    amounts = np.sort(out["amount"].to_numpy(dtype=float)) if len(out) else np.array([50.0])
    hours = rows["timestamp"].dt.hour.to_numpy() if len(rows) else np.array([12])
    home = str(rows["country"].mode().iloc[0]) if "country" in rows and len(rows) else ""
    devices = (
        list(map(str, rows["device_id"].value_counts().index[:3])) if "device_id" in rows else []
    )
    merchants = (
        list(map(str, out["counterparty"].value_counts().index[:10]))
        if "counterparty" in out
        else []
    )
    return _Profile(amounts, hours, home, devices or ["D0"], merchants or ["M0-0000"])


def _check(transactions: pd.DataFrame, rates: dict[str, float]) -> None:
    for name, rate in rates.items():
        if name not in _PATTERNS:
            raise ConfigError(f"anomaly type must be one of {list(ANOMALY_TYPES)}; got {name!r}.")
        if not 0.0 <= float(rate) <= 1.0:
            raise ConfigError(f"the rate of {name} must be in [0, 1]; got {rate}.")
    missing = {"account_id", "timestamp", "amount"} - set(transactions.columns)
    if missing:
        raise InvalidDataError(
            f"transactions must have columns {sorted(missing)}; got "
            f"{list(transactions.columns)}. Rename your columns."
        )


def inject_anomalies(
    transactions: pd.DataFrame,
    *,
    rates: Mapping[str, float] | None = None,
    threshold: float = 10_000.0,
    after: str | pd.Timestamp | None = None,
    random_state: int | np.random.Generator | None = 0,
) -> pd.DataFrame:
    """Return a copy of ``transactions`` with planted typologies and label columns.

    Adds ``is_anomaly`` (bool) and ``anomaly_type`` (``"none"`` for normal rows). ``rates`` maps
    each typology to the fraction of accounts receiving it (default 0.3% each); every planted
    account gets one typology. ``after`` keeps the planted episodes after a warm-up time.

    Examples
    --------
    >>> from finloom.synth.transactions import make_demo_tables
    >>> _, tx = make_demo_tables(100, days=10, random_state=0)
    >>> out = inject_anomalies(tx, rates={"structuring": 0.05}, random_state=0)
    >>> out.loc[out.is_anomaly, "account_id"].nunique()
    5
    """
    rates = dict.fromkeys(ANOMALY_TYPES, 0.003) if rates is None else dict(rates)
    _check(transactions, rates)
    rng = check_random_state(random_state)
    tx = transactions.copy()
    tx["timestamp"] = pd.to_datetime(tx["timestamp"])
    accounts = rng.permutation(np.array(sorted(tx["account_id"].unique())))
    lo = (
        max(tx["timestamp"].min(), pd.Timestamp(after))
        if after is not None
        else tx["timestamp"].min()
    )
    hi = tx["timestamp"].max()
    counts = [int(round(float(rate) * len(accounts))) for rate in rates.values()]
    if sum(counts) > len(accounts):
        raise ConfigError(
            f"the rates must sum to at most 1; got {sum(rates.values())}. Lower them."
        )
    groups = tx.groupby("account_id", sort=False).indices
    new_rows, used = [], 0
    for name, count in zip(rates, counts, strict=True):
        for account in accounts[used : used + count]:
            t0 = lo + (hi - lo) * float(rng.random()) * 0.9
            rows = pd.DataFrame(
                _PATTERNS[name](t0, _profile(tx.iloc[groups[account]]), float(threshold), rng)
            )
            rows["account_id"], rows["anomaly_type"] = account, name
            new_rows.append(rows)
        used += count
    tx["anomaly_type"] = "none"
    out = pd.concat([tx, *new_rows], ignore_index=True)
    out = out[
        [c for c in dict.fromkeys([*transactions.columns, "anomaly_type"]) if c in out.columns]
    ]
    out["is_anomaly"] = out["anomaly_type"] != "none"
    out = out.sort_values(["timestamp", "account_id"], kind="stable").reset_index(drop=True)
    if "transaction_id" in out:  # original ids are kept; injected rows get their own
        injected = out["transaction_id"].isna()
        out.loc[injected, "transaction_id"] = [f"INJ{i:07d}" for i in range(int(injected.sum()))]
    return out
