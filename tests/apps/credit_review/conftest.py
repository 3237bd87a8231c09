"""Small deterministic credit tables for the credit review tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def make_applications(n: int = 800, seed: int = 0) -> pd.DataFrame:
    """Delays raise risk, income lowers it, a categorical housing column, an id and a protected attribute."""
    rng = np.random.default_rng(seed)
    delays = rng.integers(0, 5, n)
    income = np.round(rng.lognormal(10, 0.4, n), -2)
    home = rng.choice(["rent", "own", "mortgage"], n, p=[0.4, 0.3, 0.3])
    logit = -2.2 + 0.7 * delays - 0.8 * np.log(income / 20_000) + np.where(home == "rent", 0.5, 0.0)
    bad = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    return pd.DataFrame(
        {
            "app_id": [f"A{i:04d}" for i in range(n)],
            "PAY_0": delays,
            "income": income,
            "home": home,
            "sex": rng.choice(["f", "m"], n),
            "bad": bad,
        }
    )


@pytest.fixture(scope="session")
def applications() -> pd.DataFrame:
    return make_applications()


@pytest.fixture(scope="session")
def fitted(applications):
    """A fitted credit model (scorecard + small challenger) shared by the read-only tests."""
    from finloom.apps.credit_review import fit_credit_model

    return fit_credit_model(
        applications,
        "bad",
        id_column="app_id",
        protected="sex",
        challenger={"n_estimators": 60},
        random_state=0,
    )
