"""Tiny fixtures shared by the tabular synthesizer tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.synth.tabular import (
    ARConfig,
    ARSynthesizer,
    CopulaConfig,
    DiffusionConfig,
    DiffusionSynthesizer,
    GANConfig,
    GANSynthesizer,
    GaussianCopulaSynthesizer,
    VAEConfig,
    VAESynthesizer,
)

# every synthesizer with the smallest config that still trains (epochs=1)
FAST = {
    "ar": lambda **kw: ARSynthesizer(ARConfig(epochs=1, hidden=32, embed=4, bins=8), **kw),
    "copula": lambda **kw: GaussianCopulaSynthesizer(CopulaConfig(), **kw),
    "gan": lambda **kw: GANSynthesizer(GANConfig(epochs=1, batch_size=40, pac=4, hidden=32, noise_dim=16), **kw),
    "vae": lambda **kw: VAESynthesizer(VAEConfig(epochs=1, batch_size=40, hidden=32, latent=8), **kw),
    "diffusion": lambda **kw: DiffusionSynthesizer(
        DiffusionConfig(epochs=1, batch_size=40, hidden=32, depth=1, timesteps=4), **kw),
}


def make_table(n: int = 120, seed: int = 0) -> pd.DataFrame:
    """A small table with every column kind, nulls, a value grid and a binary target."""
    rng = np.random.default_rng(seed)
    balance = rng.gamma(2.0, 500.0, n).round(2)
    balance[rng.random(n) < 0.1] = np.nan
    city = rng.choice(np.array(["Paris", "Lyon", "Nice"], dtype=object), n)
    city[rng.random(n) < 0.1] = None
    return pd.DataFrame({
        "customer_id": np.arange(n, dtype=np.int64) + 1000,
        "limit": rng.choice([10_000, 20_000, 50_000, 100_000], n).astype(np.int64),
        "balance": balance,
        "city": pd.Series(city, dtype="str"),
        "grade": pd.Categorical(rng.choice(["A", "B", "C"], n), categories=["A", "B", "C", "D"]),
        "active": rng.random(n) < 0.7,
        "opened": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
        "default": (rng.random(n) < 0.25).astype(np.int64),
    })


@pytest.fixture(scope="session")
def table() -> pd.DataFrame:
    return make_table()


@pytest.fixture(scope="session")
def metadata(table: pd.DataFrame) -> Metadata:
    return Metadata.infer(table, target="default")
