"""The fast leverage factor on the single-asset simulators (issue 19 item 6, from issue 23's option)."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError
from finloom.synth.market import AsymmetricGARCHSimulator, GARCHSimulator, HybridFHSSimulator
from finloom.synth.market._calibrate import path_leverage, window_leverage


def _asymmetric_series(n_days: int = 3000, seed: int = 0) -> pd.DataFrame:
    """t(5) shocks whose log variance rises after falls over the last few days (memory 0.7 a day)."""
    g = np.random.default_rng(seed)
    z = g.standard_t(5, n_days) / np.sqrt(5 / 3)
    log_var, memory, out = 0.0, 0.0, np.empty(n_days)
    for t in range(n_days):
        out[t] = np.exp(log_var / 2) * z[t]
        memory = 0.7 * memory + 0.3 * z[t]
        log_var = 0.97 * log_var + 0.08 * (abs(z[t]) - 0.8) - 0.25 * memory
    idx = pd.bdate_range("2005-01-03", periods=n_days, name="Date")
    return pd.DataFrame({"A": 100 * np.exp(np.cumsum(out / 100))}, index=idx)


def _median_leverage(model: GARCHSimulator | HybridFHSSimulator, n_days: int) -> float:
    paths = model.sample(150, n_days, random_state=1).returns[:, :, 0]
    return float(np.median(path_leverage(paths)))


@pytest.fixture(scope="module")
def series() -> tuple[pd.DataFrame, np.ndarray]:
    px = _asymmetric_series()
    return px, np.diff(np.log(px["A"].to_numpy()))


@pytest.mark.parametrize("vol", ["GARCH", "GJR"])
def test_garch_fast_factor_recovers_a_known_leverage_and_gain_zero_is_the_fit(vol: str, series) -> None:
    px, returns = series
    target = window_leverage(returns, 1260)
    assert target < -0.04  # the training series has a clear leverage effect
    fitted = GARCHSimulator(vol=vol, dist="t").fit(px)
    fast = GARCHSimulator(vol=vol, dist="t", leverage="fast").fit(px)
    assert np.array_equal(fast.params_, fitted.params_)  # the fitted variance model is kept
    assert fast.leverage_target_[0] == pytest.approx(target)
    assert fast.leverage_gain_[0] > (0.1 if vol == "GARCH" else 0.0)  # a symmetric fit needs it all
    assert abs(_median_leverage(fast, 1260) - target) <= 0.012
    assert _median_leverage(fitted, 1260) > target + 0.015  # the fit alone falls short
    # gain 0 reproduces the fitted model path for path, shocks and regimes included
    off = copy.deepcopy(fast)
    off.leverage_gain_ = np.zeros(1)
    for kw in ({}, {"regime": "stressed", "shock": {"day": 3, "size": -0.1}}):
        assert np.array_equal(off.sample(5, 50, random_state=2, **kw).returns,
                              fitted.sample(5, 50, random_state=2, **kw).returns)


def test_hybrid_fast_factor_recovers_a_known_leverage_and_gain_zero_is_the_fit(series) -> None:
    px, returns = series
    target = window_leverage(returns, 504)
    fitted = HybridFHSSimulator(leverage="fit").fit(px)
    fast = HybridFHSSimulator(leverage="fast").fit(px)
    assert np.array_equal(fast.fast_params_, fitted.fast_params_)
    assert np.array_equal(fast.level_rho_, np.zeros(1))  # the slow level keeps its fitted AR(1)
    assert fast.leverage_gain_[0] > 0.0
    assert abs(_median_leverage(fast, 504) - target) <= 0.015
    assert abs(_median_leverage(fast, 504) - target) < abs(_median_leverage(fitted, 504) - target)
    off = copy.deepcopy(fast)
    off.leverage_gain_ = np.zeros(1)
    for kw in ({}, {"regime": "calm", "shock": {"day": 3, "size": -0.1}}):
        assert np.array_equal(off.sample(5, 50, random_state=2, **kw).returns,
                              fitted.sample(5, 50, random_state=2, **kw).returns)


def test_options_validate_round_trip_and_older_saves_load(series, tmp_path) -> None:
    px = series[0].iloc[:900]
    with pytest.raises(ConfigError, match="leverage"):
        GARCHSimulator(leverage="calibrate").fit(px)
    with pytest.raises(ConfigError, match="leverage"):
        AsymmetricGARCHSimulator(leverage="fast").fit(px)
    with pytest.raises(ConfigError, match="leverage"):
        HybridFHSSimulator(leverage="slow").fit(px)
    for model in (GARCHSimulator(vol="GJR", leverage="fast"),
                  HybridFHSSimulator(leverage="fast", calibration_days=250, calibration_paths=50)):
        model.fit(px)
        model.save(tmp_path / "m")
        again = type(model).load(tmp_path / "m")
        assert again.get_params()["leverage"] == "fast"
        assert np.array_equal(again.leverage_gain_, model.leverage_gain_)
        assert np.array_equal(model.sample(3, 40, random_state=5).returns, again.sample(3, 40, random_state=5).returns)
    # a GARCH model saved before the option loads without a fast factor and samples alike
    fit = GARCHSimulator(vol="GJR").fit(px)
    fit.save(tmp_path / "f")
    state = load_state(tmp_path / "f", kind="GARCHSimulator")
    config = dict(state["config"])
    config["params"] = {k: v for k, v in config["params"].items() if k != "leverage"}
    tensors = {k: v for k, v in state["tensors"].items() if not k.startswith("leverage_")}
    save_state(tmp_path / "old", kind="GARCHSimulator", config=config, tensors=tensors)
    old = GARCHSimulator.load(tmp_path / "old")
    assert np.array_equal(old.leverage_gain_, np.zeros(1))
    assert np.array_equal(fit.sample(2, 30, random_state=0).returns, old.sample(2, 30, random_state=0).returns)
