"""Synthetic futures: the joint simulator keeps cross-asset correlation and its rise in crises."""

from __future__ import annotations

import numpy as np

from finloom.apps.advisor import fan_chart_png, load_shelf, simulate_futures
from finloom.synth.market import JointFHSSimulator, label_regimes


def _mean_corr(r: np.ndarray) -> float:
    c = np.corrcoef(r.T)
    return float(c[np.triu_indices(len(c), 1)].mean())


def test_joint_simulation_keeps_correlation_and_crisis_rise(prices) -> None:
    sim = JointFHSSimulator(regimes="markov").fit(prices)
    paths = sim.sample(30, 400, random_state=0, regime="stressed").returns
    calm = sim.sample(30, 400, random_state=1, regime="calm").returns
    real = np.diff(np.log(prices.to_numpy()), axis=0)
    lab = label_regimes(real / real.std(axis=0))
    synth_all = np.mean([_mean_corr(p) for p in sim.sample(30, 400, random_state=2).returns])
    assert synth_all > 0.3  # resampling assets apart would leave about 0
    first_stressed = np.mean([_mean_corr(p[:20]) for p in paths])
    first_calm = np.mean([_mean_corr(p[:20]) for p in calm])
    assert _mean_corr(real[lab == 1]) > _mean_corr(real[lab == 0])
    assert first_stressed > first_calm


def test_joint_simulator_contract(prices, tmp_path) -> None:
    original = prices.copy()
    sim = JointFHSSimulator().fit(prices)
    a = sim.sample(3, 20, random_state=5).returns
    assert np.array_equal(a, sim.sample(3, 20, random_state=5).returns)
    assert not np.array_equal(a, sim.sample(3, 20, random_state=6).returns)
    sim.save(tmp_path / "m")
    again = JointFHSSimulator.load(tmp_path / "m")
    assert np.array_equal(a, again.sample(3, 20, random_state=5).returns)
    assert prices.equals(original)
    assert not list(tmp_path.rglob("*.pkl"))


def test_futures_statistics_and_fan_chart(prices) -> None:
    shelf = load_shelf()
    products = [shelf.by_id("ETF-SP500"), shelf.by_id("DEP-1Y")]
    sim = JointFHSSimulator().fit(prices[["SP500"]])
    st = simulate_futures(
        sim, np.array([0.7, 0.3]), products, initial=1000, goal=1050, years=1, n_paths=80, chunk=30
    )
    assert st.n_paths == 80 and len(st.fan["p50"]) == len(st.fan["month"])
    assert st.cvar95 >= st.var95 >= 0 and 0 <= st.time_under_water <= 1
    assert fan_chart_png(st)[:4] == b"\x89PNG"
