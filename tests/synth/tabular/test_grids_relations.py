"""Issue 19 item 4: value grids robust to float32 artefacts, joint missing-value patterns and
relations between columns (sums, differences, ratios, date orders) kept in every sample."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.synth.tabular import (
    ARConfig,
    ARSynthesizer,
    GaussianCopulaSynthesizer,
    load_synthesizer,
)
from finloom.synth.tabular._columns import TablePlan, _decimals
from finloom.synth.tabular._relations import detect_relations

from .conftest import FAST

MODELS = {
    "copula": lambda: GaussianCopulaSynthesizer(random_state=0),
    "ar": lambda: ARSynthesizer(ARConfig(epochs=8, hidden=64, embed=8, bins=16), random_state=0),
}


def float32_amounts(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """96 % whole amounts, 3 % with one decimal, 1 % odd values, all stored through float32."""
    rng = np.random.default_rng(seed)
    amount = np.round(rng.gamma(2.0, 800.0, n))
    one_dec = rng.random(n) < 0.03
    amount[one_dec] = np.round(rng.gamma(2.0, 800.0, one_dec.sum()), 1)
    odd = rng.random(n) < 0.01
    amount[odd] = rng.gamma(2.0, 800.0, odd.sum())
    return pd.DataFrame({"amount": amount.astype(np.float32).astype(np.float64),
                         "y": (rng.random(n) < 0.3).astype(np.int64)})


def whole_share(x: pd.Series) -> float:
    v = x.dropna().to_numpy(dtype=float)
    return float(np.mean(np.abs(v - np.round(v)) < 1e-6))


def test_decimals_ignore_float32_artefacts_and_stray_values() -> None:
    df = float32_amounts()
    assert float(np.float32(965.9)) == 965.9000244140625  # the artefact of the issue
    assert _decimals(df["amount"].to_numpy()) == 1  # was 15: rounding switched off
    plan = TablePlan.fit(df, Metadata.infer(df)).column("amount")
    assert plan.decimals == 1 and 1.0 in plan.levels


@pytest.mark.parametrize("model", list(FAST))
def test_whole_number_share_is_kept_by_every_model(model: str) -> None:
    df = float32_amounts()
    real = whole_share(df["amount"])
    out = FAST[model](random_state=0).fit(df).sample(1500, random_state=1)
    assert real > 0.95
    assert abs(whole_share(out["amount"]) - real) < 0.03


def co_missing_table(n: int = 1500, seed: int = 0) -> pd.DataFrame:
    """Income and employer are missing together (15 %); phone alone (10 %)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({
        "income": rng.gamma(3.0, 1e4, n).round(2),
        "employer": rng.choice(np.array(["bank", "shop", "state", "farm"], dtype=object), n),
        "phone": rng.integers(0, 5, n).astype(float),
        "age": rng.integers(18, 80, n),
    })
    both = rng.random(n) < 0.15
    df.loc[both, ["income", "employer"]] = None
    df.loc[rng.random(n) < 0.10, "phone"] = np.nan
    return df


@pytest.mark.parametrize("model", list(MODELS))
def test_co_missing_columns_stay_co_missing(model: str) -> None:
    df = co_missing_table()
    out = MODELS[model]().fit(df).sample(3000, random_state=1)
    inc, emp, phone = out["income"].isna(), out["employer"].isna(), out["phone"].isna()
    assert (inc == emp).all()  # never one without the other
    assert abs(inc.mean() - df["income"].isna().mean()) < 0.03
    assert abs(phone.mean() - df["phone"].isna().mean()) < 0.03
    assert abs((inc & phone).mean() - inc.mean() * phone.mean()) < 0.02  # independent, as in training


def loan_table(n: int = 800, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    price = rng.integers(80, 600, n) * 1000.0
    loan = np.round(price * rng.uniform(0.5, 0.95, n), -2)
    fee = rng.integers(1, 50, n) * 25.0
    opened = pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    return pd.DataFrame({
        "price": price, "loan": loan, "fee": fee, "total": loan + fee, "down": price - loan,
        "ltv": np.round(100 * loan / price, 2), "opened": opened,
        "closed": opened + pd.to_timedelta(rng.integers(1, 400, n), unit="D"),
        "y": (rng.random(n) < 0.2).astype(np.int64),
    })


def test_relations_are_detected_on_the_training_table() -> None:
    df = loan_table()
    meta = Metadata.infer(df, target="y")
    found = {r.formula() for r in detect_relations(df, TablePlan.fit(df, meta), meta)}
    assert {"ltv = 100 * loan / price", "total = loan + fee", "down = price - loan",
            "opened <= closed"} <= found


def test_no_relation_is_found_between_independent_columns() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({c: rng.gamma(2.0, 100.0, 500).round(2) for c in "abcd"})
    meta = Metadata.infer(df)
    assert detect_relations(df, TablePlan.fit(df, meta), meta) == []


@pytest.mark.parametrize("model", [*MODELS, "vae"])
def test_samples_satisfy_relations_exactly(model: str, tmp_path) -> None:
    df = loan_table()
    synth = (MODELS[model]() if model in MODELS else FAST[model](random_state=0))
    synth.fit(df, Metadata.infer(df, target="y"))
    assert len(synth.summary()["relations"]) >= 4
    synth.save(tmp_path / "m")
    out = load_synthesizer(tmp_path / "m").sample(1000, random_state=2)
    pd.testing.assert_frame_equal(out, synth.sample(1000, random_state=2))
    assert (out["total"] == out["loan"] + out["fee"]).all()
    assert (out["price"] == out["loan"] + out["down"]).all()
    assert (out["ltv"] == np.round(100 * out["loan"] / out["price"], 2)).all()
    assert (out["opened"] <= out["closed"]).all()


def test_relations_can_be_switched_off() -> None:
    df = loan_table()
    synth = GaussianCopulaSynthesizer(random_state=0, relations=False).fit(df)
    assert synth.summary()["relations"] == []
    out = synth.sample(500, random_state=0)
    assert not (out["total"] == out["loan"] + out["fee"]).all()
