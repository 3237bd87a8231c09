"""Model-specific behaviour: domain-agnostic run, DP-SGD epsilon, light import, class balance."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.synth.tabular import (
    GANConfig,
    GANSynthesizer,
    GaussianCopulaSynthesizer,
    VAEConfig,
    VAESynthesizer,
    dp_guarantee,
)

from .conftest import FAST


@pytest.fixture(scope="module")
def cancer() -> pd.DataFrame:
    from sklearn.datasets import load_breast_cancer

    frame = load_breast_cancer(as_frame=True).frame
    return frame.iloc[:, [0, 1, 2, 10, 20, 30]].sample(200, random_state=0).reset_index(drop=True)


@pytest.mark.parametrize("name", sorted(FAST))
def test_synthesizer_runs_on_non_financial_table(name: str, cancer: pd.DataFrame) -> None:
    meta = Metadata.infer(cancer, target="target")
    out = FAST[name](random_state=0).fit(cancer, meta).sample(100, random_state=0)
    assert out.shape == (100, cancer.shape[1])
    assert out.dtypes.to_dict() == cancer.dtypes.to_dict()
    assert set(out["target"]) <= {0, 1}
    assert out.notna().all().all()


@pytest.mark.parametrize(
    "synth",
    [
        VAESynthesizer(VAEConfig(epochs=1, batch_size=40, hidden=16, latent=4, dp=True), random_state=0),
        GANSynthesizer(GANConfig(epochs=1, batch_size=40, hidden=16, noise_dim=8, dp=True), random_state=0),
    ],
    ids=["vae", "gan"],
)
def test_dp_training_reports_epsilon(synth, table: pd.DataFrame, metadata: Metadata) -> None:
    synth.fit(table, metadata)
    assert 0 < synth.epsilon_ < 100
    assert synth.sample(10, random_state=0).shape == (10, table.shape[1])
    guarantee = dp_guarantee(synth)  # epsilon is stated with what it does not cover
    assert guarantee is not None and guarantee.epsilon == synth.epsilon_
    assert "not differentially private as a whole" in guarantee.statement()
    assert any("value grid" in item for item in guarantee.not_covered)
    if isinstance(synth, GANSynthesizer):
        assert guarantee.covers.startswith("the critic's")
        assert any("exact row count of every category" in item for item in guarantee.not_covered)


def test_a_model_trained_without_dp_claims_no_guarantee(table: pd.DataFrame, metadata: Metadata) -> None:
    assert dp_guarantee(FAST["gan"](random_state=0).fit(table, metadata)) is None


def test_dp_more_noise_spends_less_epsilon(table: pd.DataFrame, metadata: Metadata) -> None:
    def eps(noise: float) -> float:
        cfg = VAEConfig(epochs=1, batch_size=40, hidden=8, latent=4, dp=True, noise_multiplier=noise)
        return VAESynthesizer(cfg, random_state=0).fit(table, metadata).epsilon_

    assert eps(2.0) < eps(0.8)


def test_gan_keeps_target_rate_from_marginal(table: pd.DataFrame, metadata: Metadata) -> None:
    synth = FAST["gan"](random_state=0).fit(table, metadata)
    out = synth.sample(2000, random_state=0)
    assert abs(out["default"].mean() - table["default"].mean()) < 0.03


def test_copula_sampling_without_conditions_draws_exactly_n(table: pd.DataFrame) -> None:
    synth = GaussianCopulaSynthesizer(random_state=0).fit(table)
    assert len(synth.sample(12_345, random_state=0, chunk_size=5_000)) == 12_345


def test_import_is_light() -> None:
    code = "import sys, finloom.synth.tabular; print(sorted({'torch', 'sklearn', 'dask'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_fit_is_deterministic_for_torch_models(table: pd.DataFrame, metadata: Metadata) -> None:
    a = FAST["vae"](random_state=4).fit(table, metadata).sample(30, random_state=0)
    b = FAST["vae"](random_state=4).fit(table, metadata).sample(30, random_state=0)
    pd.testing.assert_frame_equal(a, b)
    assert np.isfinite(a["balance"].dropna()).all()


def test_ar_keeps_target_rate_and_learns_dependence() -> None:
    from finloom.synth.tabular import ARConfig, ARSynthesizer

    rng = np.random.default_rng(0)
    x = rng.normal(size=1500)
    df = pd.DataFrame({"x": x.round(3), "c": np.where(x > 0, "pos", "neg"),
                       "y": (x + rng.normal(size=1500) > 1).astype(np.int64)})
    synth = ARSynthesizer(ARConfig(epochs=10, batch_size=100, hidden=64, bins=16, patience=0), random_state=0)
    out = synth.fit(df, Metadata.infer(df, target="y")).sample(3000, random_state=0)
    assert abs(out["y"].mean() - df["y"].mean()) < 0.02
    agree = ((out["x"] > 0) == (out["c"] == "pos")).mean()
    assert agree > 0.9  # a copula-free model still ties the sign of x to c
