"""A small synthetic campaign log for tests: customers with age, job, balance and a response that
depends on them (seeded), plus a ``duration`` column that leaks the response."""

from __future__ import annotations

import numpy as np
import pandas as pd


def campaign_table(n: int = 600, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    young = rng.random(n) < 0.5
    age = np.where(young, rng.normal(28, 3, n), rng.normal(58, 4, n)).round()
    job = np.where(young, rng.choice(["student", "clerk"], n, p=[0.7, 0.3]),
                   rng.choice(["retired", "manager"], n, p=[0.7, 0.3]))
    balance = rng.gamma(2.0, 1500.0, n).round(2)
    logit = -3.2 + 2.8 * (job == "retired") + 1.6 * (job == "student") + 0.0003 * balance
    y = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame({
        "customer": [f"C{i:04d}" for i in range(n)],
        "age": age, "job": job, "balance": balance,
        "duration": np.where(y, rng.integers(200, 900, n), rng.integers(0, 200, n)),
        "y": np.where(y, "yes", "no"),
    })


def campaign_csv(n: int = 600, seed: int = 0) -> bytes:
    return campaign_table(n, seed).to_csv(index=False).encode()
