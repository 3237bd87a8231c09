"""Leverage-calibrated EGARCH and the FHS hybrid with a simulated volatility level (issue 19, item 6)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.errors import ConfigError
from finloom.evaluate._market_oos import memorisation_check
from finloom.synth.market import AsymmetricGARCHSimulator, GARCHSimulator, HybridFHSSimulator
from finloom.synth.market._calibrate import (
    path_clustering,
    path_leverage,
    window_leverage,
    window_statistic,
)

FAST = {"calibration_days": 250, "calibration_paths": 60}


def _gjr_prices(n: int = 2500, gamma: float = 0.15, seed: int = 0) -> pd.DataFrame:
    """A GJR-GARCH(1,1,1) series with t(6) shocks: negative returns raise the next variance."""
    g = np.random.default_rng(seed)
    omega, alpha, beta = 0.02, 0.02, 0.88
    var, out = omega / (1 - alpha - gamma / 2 - beta), np.empty(n)
    z = g.standard_t(6, n) / np.sqrt(1.5)
    for t in range(n):
        eps = np.sqrt(var) * z[t]
        out[t] = eps
        var = omega + (alpha + gamma * (eps < 0)) * eps**2 + beta * var
    idx = pd.bdate_range("2005-01-03", periods=n, name="Date")
    return pd.DataFrame({"A": 100 * np.exp(np.cumsum(out / 100))}, index=idx)


MODELS = [
    lambda: AsymmetricGARCHSimulator(**FAST),
    lambda: AsymmetricGARCHSimulator(innovations="parametric", **FAST),
    lambda: HybridFHSSimulator(**FAST),
    lambda: HybridFHSSimulator(clustering="calibrate", **FAST),
]


@pytest.mark.parametrize("make", MODELS)
def test_fit_sample_save_load_roundtrip_with_seeds(make, tmp_path: Path) -> None:
    model = make().fit(_gjr_prices(900))
    a = model.sample(4, 60, random_state=3)
    np.testing.assert_array_equal(a.returns, model.sample(4, 60, random_state=3).returns)
    assert not np.array_equal(a.returns, model.sample(4, 60, random_state=4).returns)
    model.save(tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["config.json", "model.safetensors"]
    json.loads((tmp_path / "m" / "config.json").read_text(encoding="utf-8"))
    loaded = type(model).load(tmp_path / "m")
    assert loaded.get_params() == model.get_params()
    np.testing.assert_allclose(loaded.sample(4, 60, random_state=3).returns, a.returns)


@pytest.mark.parametrize("make", MODELS)
def test_leverage_is_negative_and_calibrated_on_a_gjr_series(make) -> None:
    prices = _gjr_prices()
    real = np.diff(np.log(prices["A"].to_numpy()))
    target = window_leverage(real, 250)
    assert target < -0.03  # the simulated GJR series has a clear leverage effect
    model = make().fit(prices)
    lev = float(np.median(path_leverage(model.sample(300, 250, random_state=0).returns[:, :, 0])))
    assert lev < 0
    assert abs(lev - target) <= 0.3 * abs(target)


def test_calibration_moves_the_egarch_asymmetry_towards_more_leverage_when_the_fit_falls_short() -> None:
    prices = _gjr_prices(gamma=0.18)
    fitted = AsymmetricGARCHSimulator(leverage="fit", **FAST).fit(prices)
    calibrated = AsymmetricGARCHSimulator(**FAST).fit(prices)
    assert fitted.gamma_shift_[0] == 0.0
    gap_fit = abs(fitted.leverage_fitted_[0] - fitted.leverage_target_[0])
    paths = calibrated.sample(300, 250, random_state=1).returns[:, :, 0]
    gap_cal = abs(float(np.median(path_leverage(paths))) - calibrated.leverage_target_[0])
    assert gap_cal <= max(gap_fit, 0.01)


def test_hybrid_with_a_simulated_level_is_not_flagged_as_memorising() -> None:
    prices = _gjr_prices(3000, seed=1)
    train = np.diff(np.log(prices["A"].to_numpy()))
    reference = GARCHSimulator(vol="GJR", dist="t").fit(prices).sample(150, 504, random_state=10_000)
    ref = reference.returns[:, :, 0]
    simulated = HybridFHSSimulator(**FAST).fit(prices).sample(150, 504, random_state=0).returns[:, :, 0]
    out = memorisation_check(train, simulated, ref)
    assert not out["flagged"]
    assert out["vol_path_score"] < 0.5
    replayed = HybridFHSSimulator(level="bootstrap", leverage="fit").fit(prices)
    old = memorisation_check(train, replayed.sample(150, 504, random_state=0).returns[:, :, 0], ref)
    assert old["vol_path_score"] > out["vol_path_score"]


def test_hybrid_calibration_needs_egarch() -> None:
    with pytest.raises(ConfigError, match="leverage='calibrate' needs vol='EGARCH'"):
        HybridFHSSimulator(vol="GJR").fit(_gjr_prices(900))
    HybridFHSSimulator(vol="GJR", leverage="fit").fit(_gjr_prices(900))


def test_hybrid_clustering_calibration_matches_the_training_windows_clustering() -> None:
    prices = _gjr_prices(seed=2)
    real = np.diff(np.log(prices["A"].to_numpy()))
    target = window_statistic(real, 250, path_clustering)
    fitted = HybridFHSSimulator(**FAST).fit(prices)
    calibrated = HybridFHSSimulator(clustering="calibrate", **FAST).fit(prices)
    assert fitted.level_scale_[0] == 1.0
    assert calibrated.clustering_target_[0] == pytest.approx(target)
    assert calibrated.level_scale_[0] != 1.0

    def gap(model: HybridFHSSimulator) -> float:
        paths = model.sample(300, 250, random_state=5).returns[:, :, 0]
        return abs(float(np.median(path_clustering(paths))) - target)

    assert gap(calibrated) <= max(gap(fitted), 0.01)
    assert gap(calibrated) < 0.02


def test_hybrid_clustering_calibration_needs_a_simulated_level() -> None:
    with pytest.raises(ConfigError, match="clustering='calibrate' needs level='ar'"):
        HybridFHSSimulator(level="bootstrap", leverage="fit", clustering="calibrate").fit(_gjr_prices(900))
