"""JointFHSSimulator keeps the cross-asset correlation of the returns it was fitted on (issue 23)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom._serialization import load_state, save_state
from finloom.errors import ConfigError
from finloom.evaluate._stylized import excess_kurtosis
from finloom.synth.market import JointFHSSimulator, label_regimes
from finloom.synth.market._calibrate import path_leverage, window_leverage
from finloom.synth.market._joint import (
    nearest_correlation,
    shrink_correlation,
    weighted_correlation,
)


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
    # a model saved before the shrinkage / DCC options still loads, samples alike and saves again
    state = load_state(tmp_path / "m", kind="JointFHSSimulator")
    config = dict(state["config"])
    config["params"] = {
        k: v for k, v in config["params"].items()
        if k not in ("corr_shrink", "shrink_target", "corr_dynamics")
    }
    tensors = {k: v for k, v in state["tensors"].items() if k not in ("whiten_", "qbar_", "dcc_params_")}
    save_state(tmp_path / "old", kind="JointFHSSimulator", config=config, tensors=tensors)
    old = JointFHSSimulator.load(tmp_path / "old")
    assert np.array_equal(
        sim.sample(2, 30, random_state=0).returns, old.sample(2, 30, random_state=0).returns
    )
    old.save(tmp_path / "resaved")


def test_single_asset_and_bad_parameters() -> None:
    px = _prices(0.5, 0.5)[["A"]]
    sim = JointFHSSimulator().fit(px)
    assert sim.recolour_.shape == (1, 1) and sim.sample(2, 10, random_state=0).returns.shape == (2, 10, 1)
    with pytest.raises(ConfigError, match="correlation"):
        JointFHSSimulator(correlation="pearson").fit(px)
    with pytest.raises(ConfigError, match="corr_halflife"):
        JointFHSSimulator(corr_halflife=0).fit(px)
    with pytest.raises(ConfigError, match="The 'corr_shrink' parameter .* must be a number in \\[0, 1\\]"):
        JointFHSSimulator(corr_shrink=1.5).fit(px)
    with pytest.raises(ConfigError, match="shrink_target"):
        JointFHSSimulator(shrink_target="identity").fit(px)
    with pytest.raises(ConfigError, match="'corr_dynamics' parameter .* 'constant' or 'dcc'"):
        JointFHSSimulator(corr_dynamics="garch").fit(px)
    dcc = JointFHSSimulator(corr_dynamics="dcc").fit(px)
    assert dcc.sample(2, 10, random_state=0).returns.shape == (2, 10, 1)


def test_correlation_helpers() -> None:
    g = np.random.default_rng(0)
    r = g.normal(size=(500, 3))
    assert np.allclose(weighted_correlation(r), np.corrcoef(r.T))
    c = nearest_correlation(np.array([[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]))
    assert np.linalg.eigvalsh(c).min() > 0 and np.allclose(np.diag(c), 1.0)


def _three_assets(seed: int = 4, n_days: int = 900) -> pd.DataFrame:
    g = np.random.default_rng(seed)
    corr = np.array([[1.0, 0.8, 0.1], [0.8, 1.0, 0.2], [0.1, 0.2, 1.0]])
    r = g.multivariate_normal(np.zeros(3), corr * 1e-4, n_days)
    return pd.DataFrame(
        100 * np.exp(np.cumsum(r, axis=0)), index=pd.bdate_range("2012-01-02", periods=n_days),
        columns=["A", "B", "C"],
    )


def test_shrinkage_moves_the_target_and_the_paths_towards_the_mean_correlation() -> None:
    px = _three_assets()
    returns = np.diff(np.log(px.to_numpy()), axis=0)
    own = weighted_correlation(returns)
    iu = np.triu_indices(3, 1)
    full = JointFHSSimulator(regimes="none", corr_shrink=1.0).fit(px)
    assert np.allclose(full.target_corr_[iu], own[iu].mean())
    half = JointFHSSimulator(regimes="none", corr_shrink=0.5).fit(px)
    assert np.allclose(half.target_corr_, shrink_correlation(own, 0.5))
    paths = full.sample(30, 899, random_state=1).returns
    mean = np.mean([np.corrcoef(p.T)[iu] for p in paths], axis=0)
    assert np.ptp(mean) < 0.1 < np.ptp(own[iu])  # pairs 0.8 / 0.1 / 0.2 come out alike
    none = JointFHSSimulator(regimes="none", corr_shrink=0.0).fit(px)
    assert np.allclose(none.target_corr_, own)


def test_longrun_target_blends_recent_and_whole_window_correlation() -> None:
    g = np.random.default_rng(2)
    r = np.vstack(
        [
            g.multivariate_normal([0, 0], [[1e-4, 2e-5], [2e-5, 1e-4]], 800),
            g.multivariate_normal([0, 0], [[1e-4, 8e-5], [8e-5, 1e-4]], 400),
        ]
    )
    px = pd.DataFrame(
        100 * np.exp(np.cumsum(r, axis=0)), index=pd.bdate_range("2012-01-02", periods=1200),
        columns=["A", "B"],
    )
    returns = np.diff(np.log(px.to_numpy()), axis=0)
    sim = JointFHSSimulator(regimes="none", corr_halflife=60, corr_shrink=0.5, shrink_target="longrun")
    sim.fit(px)
    recent, longrun = weighted_correlation(returns, 60.0)[0, 1], weighted_correlation(returns)[0, 1]
    assert sim.target_corr_[0, 1] == pytest.approx(0.5 * recent + 0.5 * longrun)
    assert longrun < sim.target_corr_[0, 1] < recent


def _calm_and_stressed_correlation(sim: JointFHSSimulator) -> tuple[float, float]:
    """Mean over paths of the correlation on calm and on stressed days (labelled as the benchmark does)."""
    out = []
    for p in sim.sample(30, 800, random_state=3).returns:
        lab = label_regimes(p / p.std(axis=0))
        out.append((np.corrcoef(p[lab == 0].T)[0, 1], np.corrcoef(p[lab == 1].T)[0, 1]))
    calm, stressed = np.mean(out, axis=0)
    return float(calm), float(stressed)


def test_dcc_makes_stressed_days_more_correlated_than_calm_days() -> None:
    # the data's crisis is both more volatile and more correlated (0.9 against 0.3)
    px = _prices(0.3, 0.9, n_days=1200)
    dcc = JointFHSSimulator(regimes="none", corr_dynamics="dcc").fit(px)
    a, b = dcc.dcc_params_
    assert a > 0.01 and a + b < 1.0
    calm, stressed = _calm_and_stressed_correlation(dcc)
    const_calm, const_stressed = _calm_and_stressed_correlation(
        JointFHSSimulator(regimes="none").fit(px)
    )
    assert stressed - calm > 0.12
    assert stressed - calm > (const_stressed - const_calm) + 0.05


def test_dcc_paths_are_deterministic_keep_the_correlation_and_round_trip(tmp_path) -> None:
    px = _prices(0.6, 0.6, seed=5)
    real = float(np.corrcoef(np.diff(np.log(px.to_numpy()), axis=0).T)[0, 1])
    sim = JointFHSSimulator(regimes="markov", corr_dynamics="dcc").fit(px)
    first = sim.sample(3, 50, random_state=7).returns
    assert first.shape == (3, 50, 2)
    assert np.array_equal(first, sim.sample(3, 50, random_state=7).returns)
    assert not np.array_equal(first, sim.sample(3, 50, random_state=8).returns)
    assert abs(_path_corr(sim, len(px) - 1) - real) <= 0.05
    sim.save(tmp_path / "dcc")
    again = JointFHSSimulator.load(tmp_path / "dcc")
    assert again.get_params()["corr_dynamics"] == "dcc"
    assert np.array_equal(first, again.sample(3, 50, random_state=7).returns)


def test_gjr_asymmetry_reaches_the_simulated_paths() -> None:
    # a GJR series whose variance reacts to falls only: the simulated paths keep its leverage effect,
    # a symmetric GARCH fitted to the same data much less of it
    g = np.random.default_rng(0)
    var, r = 1.0, np.empty(2500)
    for t in range(len(r)):
        r[t] = np.sqrt(var) * g.standard_normal()
        var = 0.05 + 0.25 * r[t] ** 2 * (r[t] < 0) + 0.83 * var
    px = pd.DataFrame(
        {"A": 100 * np.exp(np.cumsum(r * 0.01))}, index=pd.bdate_range("2010-01-01", periods=len(r))
    )

    def leverage(vol: str) -> float:
        sim = JointFHSSimulator(vol=vol, regimes="none").fit(px)
        return float(np.median(path_leverage(sim.sample(40, 1000, random_state=0).returns[:, :, 0])))

    assert leverage("GJR") < -0.05
    assert leverage("GJR") < leverage("GARCH") - 0.02


def _asymmetric_pair(n_days: int = 2000, seed: int = 0) -> pd.DataFrame:
    """Two correlated assets with t(5) shocks; A's log-variance rises after falls over the last days, B's
    does not depend on the sign (an asymmetric and a symmetric process)."""
    g = np.random.default_rng(seed)
    z = g.standard_t(5, (n_days, 2)) / np.sqrt(5 / 3)
    z[:, 1] = 0.6 * z[:, 0] + 0.8 * z[:, 1]
    log_var, memory, out = np.zeros(2), np.zeros(2), np.empty((n_days, 2))
    for t in range(n_days):
        out[t] = np.exp(log_var / 2) * z[t]
        memory = 0.7 * memory + 0.3 * z[t]
        log_var = 0.97 * log_var + 0.08 * (np.abs(z[t]) - 0.8) - np.array([0.25, 0.0]) * memory
    idx = pd.bdate_range("2005-01-03", periods=n_days, name="Date")
    return pd.DataFrame(100 * np.exp(np.cumsum(out / 100, axis=0)), index=idx, columns=["A", "B"])


@pytest.mark.parametrize("vol", ["EGARCH", "GJR"])
def test_leverage_calibration_keeps_a_known_asymmetric_process_leverage(vol: str) -> None:
    px = _asymmetric_pair()
    returns = np.diff(np.log(px.to_numpy()), axis=0)
    target = window_leverage(returns[:, 0], 1260)
    assert target < -0.04  # the training series has a clear leverage effect

    def simulated(leverage: str) -> tuple[JointFHSSimulator, float, float]:
        sim = JointFHSSimulator(vol=vol, regimes="markov", leverage=leverage).fit(px)
        paths = sim.sample(100, 1260, random_state=1).returns
        corr = float(np.mean([np.corrcoef(p.T)[0, 1] for p in paths]))
        return sim, float(np.median(path_leverage(paths[:, :, 0]))), corr

    fitted, lev_fit, _ = simulated("fit")
    calibrated, lev_cal, corr = simulated("calibrate")
    assert lev_cal < -0.04
    assert abs(lev_cal - target) <= 0.01
    # no further from the target than the fitted asymmetry (the EGARCH fit overshoots it by ~0.015)
    assert abs(lev_cal - target) <= max(abs(lev_fit - target), 0.005)
    assert calibrated.leverage_target_[0] == pytest.approx(target)
    assert np.array_equal(fitted.leverage_shift_, np.zeros(2))
    # the correlation is calibrated again after the asymmetry moved
    assert abs(corr - float(np.corrcoef(returns.T)[0, 1])) <= 0.03


def test_leverage_option_validates_round_trips_and_loads_older_models(tmp_path) -> None:
    px = _asymmetric_pair(900, seed=2)
    with pytest.raises(ConfigError, match="'leverage' parameter .* 'calibrate' / 'hold' with vol 'GJR' or 'EGARCH'"):
        JointFHSSimulator(vol="GARCH", leverage="calibrate").fit(px)
    with pytest.raises(ConfigError, match="leverage"):
        JointFHSSimulator(leverage="match").fit(px)
    sim = JointFHSSimulator(vol="EGARCH", regimes="none", leverage="calibrate").fit(px)
    first = sim.sample(3, 40, random_state=5).returns
    sim.save(tmp_path / "m")
    again = JointFHSSimulator.load(tmp_path / "m")
    assert again.get_params()["leverage"] == "calibrate"
    assert np.array_equal(again.leverage_shift_, sim.leverage_shift_)
    assert np.array_equal(first, again.sample(3, 40, random_state=5).returns)
    # a model saved before the leverage option loads with the fitted asymmetry and samples alike
    fit = JointFHSSimulator(vol="EGARCH", regimes="none").fit(px)
    fit.save(tmp_path / "f")
    state = load_state(tmp_path / "f", kind="JointFHSSimulator")
    config = dict(state["config"])
    config["params"] = {k: v for k, v in config["params"].items() if k != "leverage"}
    tensors = {k: v for k, v in state["tensors"].items() if not k.startswith("leverage_")}
    save_state(tmp_path / "old", kind="JointFHSSimulator", config=config, tensors=tensors)
    old = JointFHSSimulator.load(tmp_path / "old")
    assert np.array_equal(old.leverage_shift_, np.zeros(2))
    assert np.array_equal(
        fit.sample(2, 30, random_state=0).returns, old.sample(2, 30, random_state=0).returns
    )


@pytest.mark.parametrize("vol", ["GARCH", "EGARCH"])
def test_fast_leverage_factor_reaches_the_target_keeps_kurtosis_and_round_trips(vol: str, tmp_path) -> None:
    # the known process has a short-lived leverage memory (0.7 a day): the fast factor reaches its
    # leverage without making the paths' kurtosis drift from the fitted model's
    px = _asymmetric_pair()
    returns = np.diff(np.log(px.to_numpy()), axis=0)
    target = window_leverage(returns[:, 0], 1260)
    fitted = JointFHSSimulator(vol=vol, regimes="none").fit(px)
    fast = JointFHSSimulator(vol=vol, regimes="none", leverage="fast").fit(px)
    assert fast.leverage_gain_.shape == (2,) and fast.leverage_gain_[0] != 0
    assert vol != "GARCH" or fast.leverage_gain_[0] > 0.1  # a symmetric model needs all its leverage from it
    assert np.array_equal(fast.params_, fitted.params_)  # the fitted variance model is kept
    paths, base = (m.sample(100, 1260, random_state=1).returns[:, :, 0] for m in (fast, fitted))
    assert abs(float(np.median(path_leverage(paths))) - target) <= 0.01
    kurt = [float(np.median([excess_kurtosis(p) for p in x])) for x in (paths, base)]
    assert abs(kurt[0] - kurt[1]) <= 0.25 * abs(kurt[1]) + 0.2
    fast.save(tmp_path / "m")
    again = JointFHSSimulator.load(tmp_path / "m")
    assert np.array_equal(again.leverage_gain_, fast.leverage_gain_)
    assert np.array_equal(fast.sample(3, 40, random_state=5).returns, again.sample(3, 40, random_state=5).returns)
