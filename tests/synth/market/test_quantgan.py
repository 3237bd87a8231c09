"""QuantGAN: Lambert W helpers, the estimator contract, input checks, service registration."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.errors import ConfigError, InvalidDataError, NotFittedError
from finloom.synth.market import (
    QuantGANConfig,
    QuantGANSimulator,
    igmm,
    lambertw_gaussianize,
    lambertw_transform,
)
from finloom.synth.market._service import MODELS, fit_and_save, load_model

TINY = {"receptive_field": 15, "channels": 8, "window": 32, "epochs": 2, "batch_size": 64, "eval_every": 1}


def _prices(n: int = 160, assets: int = 1, seed: int = 0) -> pd.DataFrame:
    g = np.random.default_rng(seed)
    idx = pd.bdate_range("2016-01-04", periods=n, name="Date")
    r = g.standard_t(4, size=(n, assets)) * 0.01
    return pd.DataFrame(100 * np.exp(np.cumsum(r, axis=0)), index=idx, columns=[f"A{i}" for i in range(assets)])


@pytest.fixture(scope="module")
def fitted() -> QuantGANSimulator:
    return QuantGANSimulator(config=TINY, random_state=0).fit(_prices())


# ----------------------------------------------------------------- Lambert W x Gaussian
def test_lambertw_round_trip() -> None:
    u = np.random.default_rng(0).normal(size=1000) * 3
    for delta in (0.0, 0.05, 0.3, 1.0):
        np.testing.assert_allclose(lambertw_gaussianize(lambertw_transform(u, delta), delta), u, atol=1e-9)
    assert lambertw_transform(np.array([2.0]), 0.0)[0] == 2.0


def test_lambertw_gaussianize_leaves_input_unchanged() -> None:
    y = np.array([-3.0, 0.5, 4.0])
    before = y.copy()
    lambertw_gaussianize(y, 0.0)
    lambertw_gaussianize(y, 0.2)
    np.testing.assert_array_equal(y, before)


def test_igmm_delta_is_zero_for_gaussian_and_positive_for_heavy_tails() -> None:
    g = np.random.default_rng(1)
    assert igmm(g.normal(size=5000))[2] < 0.02
    _, _, delta_t = igmm(g.standard_t(3, size=5000) * 0.01)
    assert delta_t > 0.1
    mu, sigma, delta = igmm(0.5 + 2.0 * lambertw_transform(g.normal(size=20_000), 0.15))
    assert abs(mu - 0.5) < 0.05 and abs(sigma - 2.0) < 0.05 and abs(delta - 0.15) < 0.02


def test_igmm_gaussianizes_heavy_tails() -> None:
    from scipy import stats

    y = np.random.default_rng(2).standard_t(4, size=4000)
    mu, sigma, delta = igmm(y)
    u = lambertw_gaussianize((y - mu) / sigma, delta)
    assert stats.kurtosis(y) > 1.0
    assert abs(stats.kurtosis(u)) < 0.05


# ----------------------------------------------------------------- the estimator contract
def test_quantgan_contract(fitted: QuantGANSimulator, tmp_path: Path) -> None:
    model = QuantGANSimulator(config=TINY, random_state=0)
    params = model.get_params()
    with pytest.raises(NotFittedError):
        model.sample(2, 5)
    data = _prices()
    before = data.copy()
    messages: list[str] = []
    assert model.fit(data, progress=lambda f, m="": messages.append(m)) is model
    pd.testing.assert_frame_equal(data, before)
    assert model.get_params() == params
    assert len(messages) == TINY["epochs"] and messages[-1].startswith("epoch 2/2")
    a = model.sample(3, 200, random_state=7)
    np.testing.assert_array_equal(a.prices, model.sample(3, 200, random_state=7).prices)
    assert not np.array_equal(a.prices, model.sample(3, 200, random_state=8).prices)
    assert a.prices.shape == (3, 200, 1) and np.isfinite(a.prices).all() and (a.prices > 0).all()
    assert a.index[0] == data.index[-1] + pd.offsets.BDay(1)
    np.testing.assert_array_equal(a.prices, fitted.sample(3, 200, random_state=7).prices)  # same seed, same fit
    model.save(tmp_path / "m")
    loaded = QuantGANSimulator.load(tmp_path / "m")
    np.testing.assert_array_equal(loaded.sample(3, 200, random_state=7).prices, a.prices)


def test_quantgan_training_seed_changes_the_model(fitted: QuantGANSimulator) -> None:
    other = QuantGANSimulator(config={**TINY, "epochs": 1}, random_state=1).fit(_prices())
    assert not np.array_equal(fitted.weights_, other.weights_)


def test_quantgan_samples_any_length(fitted: QuantGANSimulator) -> None:
    for n_days in (1, 7, 500):
        assert fitted.sample(2, n_days, random_state=0).returns.shape == (2, n_days, 1)


def test_quantgan_stays_in_the_fitted_range(fitted: QuantGANSimulator) -> None:
    r = fitted.sample(50, 100, random_state=0).returns
    real = fitted.returns_
    span = real.max() - real.min()
    assert real.min() - 0.1 * span <= r.min() and r.max() <= real.max() + 0.1 * span


def test_quantgan_joint_assets(tmp_path: Path) -> None:
    cfg = {**TINY, "epochs": 1}
    data = _prices(assets=2)
    model = QuantGANSimulator(config=cfg).fit(data)
    paths = model.sample(4, 20, random_state=0)
    assert paths.prices.shape == (4, 20, 2) and model.lambert_.shape == (2, 3)
    assert list(paths.columns) == list(data.columns)
    model.save(tmp_path / "m2")
    np.testing.assert_array_equal(QuantGANSimulator.load(tmp_path / "m2").sample(4, 20, random_state=0).prices,
                                  paths.prices)


def test_quantgan_config_object_is_accepted() -> None:
    model = QuantGANSimulator(config=QuantGANConfig(**{**TINY, "epochs": 1, "eval_every": 0}))
    assert model.fit(_prices()).sample(1, 5, random_state=0).prices.shape == (1, 5, 1)
    assert model.score_history_ == [] and len(model.loss_history_) == 1


def test_quantgan_patience_stops_early() -> None:
    model = QuantGANSimulator(config={**TINY, "epochs": 3, "patience": 1}).fit(_prices())
    assert len(model.loss_history_) == len(model.score_history_) <= 3
    assert model.best_epoch_ == 1 + int(np.argmin(model.score_history_))


# ----------------------------------------------------------------- bad input
def test_quantgan_rejects_nan() -> None:
    data = _prices()
    data.iloc[10, 0] = np.nan
    with pytest.raises(InvalidDataError, match="1 NaN in column 'A0'"):
        QuantGANSimulator(config=TINY).fit(data)


def test_quantgan_rejects_short_series() -> None:
    with pytest.raises(InvalidDataError, match=r"at least max\(2 \* window, 100\) = 100 returns .* got 59"):
        QuantGANSimulator(config=TINY).fit(_prices(60))


@pytest.mark.parametrize(("field", "value", "expect"), [
    ("receptive_field", 100, "'receptive_field' parameter of QuantGANSimulator must be an int of the form 2"),
    ("epochs", 0, "'epochs' parameter of QuantGANSimulator must be an int >= 1; got 0"),
    ("window", 4, "'window' parameter of QuantGANSimulator must be an int >= 8; got 4"),
    ("gp_weight", -1.0, "'gp_weight' parameter of QuantGANSimulator must be a float >= 0"),
    ("lr_g", 0.0, "'lr_g' parameter of QuantGANSimulator must be a float > 0"),
])
def test_quantgan_bad_config(field: str, value: object, expect: str) -> None:
    with pytest.raises(ConfigError, match=expect):
        QuantGANSimulator(config={**TINY, field: value}).fit(_prices())


def test_quantgan_unknown_config_field() -> None:
    with pytest.raises(ConfigError, match="config of QuantGANSimulator must hold QuantGANConfig fields"):
        QuantGANSimulator(config={"epoch": 3}).fit(_prices())


def test_quantgan_rejects_regime_and_shock(fitted: QuantGANSimulator) -> None:
    with pytest.raises(ConfigError, match="regime must be None for QuantGANSimulator.*got 'stressed'"):
        fitted.sample(2, 10, regime="stressed")
    with pytest.raises(ConfigError, match="shock must be None for QuantGANSimulator"):
        fitted.sample(2, 10, shock={"day": 2, "size": -0.1})


# ----------------------------------------------------------------- integration
def test_quantgan_is_registered_in_the_service(tmp_path: Path) -> None:
    assert MODELS["quantgan"] is QuantGANSimulator
    csv = tmp_path / "px.csv"
    _prices(200).to_csv(csv)
    steps: list[float] = []
    out = fit_and_save({"model": "quantgan", "data": str(csv), "model_params": {"config": {**TINY, "epochs": 1}}},
                       progress=lambda f, m="": steps.append(f), out_dir=tmp_path)
    assert out["kind"] == "QuantGANSimulator" and steps == sorted(steps) and steps[-1] == 1.0
    assert isinstance(load_model(out["model_path"]), QuantGANSimulator)


def test_import_market_does_not_import_torch() -> None:
    code = "import sys, finloom.synth.market; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
