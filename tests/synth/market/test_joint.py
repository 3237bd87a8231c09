"""JointFHSSimulator keeps the cross-asset correlation of the returns it was fitted on (issue 23)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.errors import ConfigError
from finloom.synth.market import JointFHSSimulator
from finloom.synth.market._joint import nearest_correlation, weighted_correlation


def _prices(rho_calm: float, rho_crisis: float, seed: int = 0, n_days: int = 900) -> pd.DataFrame:
    """Two assets: a calm stretch, a crisis with 3x the volatility, calm again."""
    g = np.random.default_rng(seed)
    vol = np.array([0.01, 0.012])

    def block(rho: float, scale: float, n: int) -> np.ndarray:
        cov = np.array([[1.0, rho], [rho, 1.0]]) * np.outer(vol, vol) * scale**2
        return g.multivariate_normal([2e-4, 2e-4], cov, n)

    r = np.vstack(
        [block(rho_calm, 1.0, 450), block(rho_crisis, 3.0, 150), block(rho_calm, 1.0, n_days - 600)]
    )
    idx = pd.bdate_range("2012-01-02", periods=n_days)
    return pd.DataFrame(100 * np.exp(np.cumsum(r, axis=0)), index=idx, columns=["A", "B"])


def _path_corr(sim: JointFHSSimulator, n_days: int) -> float:
    paths = sim.sample(40, n_days, random_state=3).returns
    return float(np.mean([np.corrcoef(p.T)[0, 1] for p in paths]))


def test_simulated_correlation_matches_returns_when_crises_correlate_more() -> None:
    # the correlation of returns weighs the volatile crisis days most; the residual vectors do not,
    # so paths driven by them alone (the old behaviour) came out about 0.2 less correlated
    px = _prices(0.3, 0.9)
    real = float(np.corrcoef(np.diff(np.log(px.to_numpy()), axis=0).T)[0, 1])
    fixed = _path_corr(JointFHSSimulator(regimes="none").fit(px), len(px) - 1)
    assert abs(fixed - real) <= 0.05
    old = _path_corr(JointFHSSimulator(regimes="none", correlation="residuals").fit(px), len(px) - 1)
    assert real - old > 0.1


@pytest.mark.parametrize("regimes", ["none", "markov"])
def test_two_highly_correlated_assets_stay_correlated(regimes: str) -> None:
    px = _prices(0.9, 0.9, seed=1)
    real = float(np.corrcoef(np.diff(np.log(px.to_numpy()), axis=0).T)[0, 1])
    sim = JointFHSSimulator(regimes=regimes).fit(px)
    assert abs(_path_corr(sim, len(px) - 1) - real) <= 0.05
    assert sim.calibration_error_[-1] < sim.calibration_error_[0] + 1e-12


def test_recent_weighting_targets_the_latest_correlation(tmp_path) -> None:
    g = np.random.default_rng(2)
    r = np.vstack(
        [
            g.multivariate_normal([0, 0], [[1e-4, 2e-5], [2e-5, 1e-4]], 800),
            g.multivariate_normal([0, 0], [[1e-4, 8e-5], [8e-5, 1e-4]], 400),
        ]
    )
    both = pd.DataFrame(
        100 * np.exp(np.cumsum(r, axis=0)), index=pd.bdate_range("2012-01-02", periods=1200),
        columns=["A", "B"],
    )
    sim = JointFHSSimulator(regimes="none", corr_halflife=60).fit(both)
    assert sim.target_corr_[0, 1] > 0.7
    assert _path_corr(sim, 400) > 0.65
    sim.save(tmp_path / "m")
    again = JointFHSSimulator.load(tmp_path / "m")
    assert np.array_equal(
        sim.sample(2, 30, random_state=0).returns, again.sample(2, 30, random_state=0).returns
    )


def test_single_asset_and_bad_parameters() -> None:
    px = _prices(0.5, 0.5)[["A"]]
    sim = JointFHSSimulator().fit(px)
    assert sim.recolour_.shape == (1, 1) and sim.sample(2, 10, random_state=0).returns.shape == (2, 10, 1)
    with pytest.raises(ConfigError, match="correlation"):
        JointFHSSimulator(correlation="pearson").fit(px)
    with pytest.raises(ConfigError, match="corr_halflife"):
        JointFHSSimulator(corr_halflife=0).fit(px)


def test_correlation_helpers() -> None:
    g = np.random.default_rng(0)
    r = g.normal(size=(500, 3))
    assert np.allclose(weighted_correlation(r), np.corrcoef(r.T))
    c = nearest_correlation(np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]))
    assert np.linalg.eigvalsh(c).min() > 0 and np.allclose(np.diag(c), 1.0)
