"""Leverage without vol of vol (issue 23): the fast leverage factor and the fixed news-impact shift."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.evaluate._stylized import excess_kurtosis
from finloom.synth.market._calibrate import calibrate_shift, path_leverage, window_leverage
from finloom.synth.market._fastlev import simulate_fast
from finloom.synth.market._leverage import calibrate_asymmetry, shift_asymmetry
from finloom.synth.market._newsimpact import hold_bounds, hold_shift, news_impact_variance


def _garch(h: np.ndarray, eps: np.ndarray) -> np.ndarray:
    return 0.02 + 0.08 * eps**2 + 0.9 * h  # GARCH(1,1) in percent, persistence 0.98


def _median_kurtosis(paths: np.ndarray) -> float:
    return float(np.median([excess_kurtosis(p) for p in paths]))


def test_zero_gain_is_the_fitted_recursion_and_a_shock_day_is_kept() -> None:
    z = np.random.default_rng(0).standard_normal((5, 50, 2))
    out = simulate_fast(_garch, np.ones((5, 2)), z, np.array([0.1, 0.0]), np.zeros(2))
    h, manual = np.ones((5, 2)), np.empty_like(z)
    for t in range(50):
        manual[:, t] = 0.1 * np.array([1, 0]) + np.sqrt(h) * z[:, t]
        h = _garch(h, np.sqrt(h) * z[:, t])
    assert np.allclose(out, manual)
    shocked = simulate_fast(_garch, np.ones((5, 2)), z, np.zeros(2), np.array([0.2, 0.2]),
                            shock=(10, np.array([True, False]), np.array([-20.0, -20.0])))
    assert np.all(shocked[:, 10, 0] == -20.0) and not np.any(shocked[:, 10, 1] == -20.0)
    assert np.all(np.abs(shocked[:, 11, 0]) / np.abs(z[:, 11, 0]) > 3.0)  # the variance saw the shock


def test_fast_gain_matches_a_known_process_leverage_and_keeps_its_kurtosis() -> None:
    # the "training series": one long path of GARCH x fast factor (gain 0.3); the model starts from the
    # same GARCH without the factor. Calibrating the gain reaches the target leverage and the kurtosis
    # of the known process's paths; moving the slow response instead (a GJR asymmetry) inflates it.
    g = np.random.default_rng(3)
    true_gain = np.array([0.3])
    real = simulate_fast(_garch, np.ones((1, 1)), g.standard_normal((1, 20_000, 1)), np.zeros(1), true_gain)[0]
    target = np.array([window_leverage(real[:, 0], 1000)])
    assert target[0] < -0.04
    z = g.standard_normal((120, 1000, 1))

    def fast(gain: np.ndarray) -> np.ndarray:
        return simulate_fast(_garch, np.ones((120, 1)), z, np.zeros(1), gain)

    gain = calibrate_shift(fast, target, np.array([-0.3]), np.array([0.6]))
    assert gain[0] == pytest.approx(0.3, abs=0.08)
    paths = fast(gain)[:, :, 0]
    assert abs(float(np.median(path_leverage(paths))) - target[0]) < 0.005
    k_true = _median_kurtosis(fast(true_gain)[:, :, 0])
    assert abs(_median_kurtosis(paths) - k_true) <= 0.2 * abs(k_true) + 0.1

    def gjr(p: np.ndarray) -> np.ndarray:
        _, omega, alpha, gamma, beta = p[0]
        return simulate_fast(lambda h, e: omega + (alpha + gamma * (e < 0)) * e**2 + beta * h,
                             np.ones((120, 1)), z, np.zeros(1), np.zeros(1))

    start = np.array([[0.0, 0.02, 0.08, 0.0, 0.9]])
    shift, _ = calibrate_asymmetry(gjr, start, "GJR", real, 1000)
    k_slow = _median_kurtosis(gjr(shift_asymmetry(start, "GJR", shift))[:, :, 0])
    assert k_slow > _median_kurtosis(paths) + 0.3  # the slow route swings volatility more


@pytest.mark.parametrize("vol", ["GJR", "EGARCH"])
def test_hold_shift_keeps_the_news_impact_variance_and_the_level(vol: str) -> None:
    z = np.random.default_rng(1).standard_t(6, size=(50_000, 1)) / np.sqrt(1.5)
    p = np.array([[0.0, 0.02, 0.10, 0.08 if vol == "GJR" else -0.06, 0.88 if vol == "GJR" else 0.98]])
    lo, hi = hold_bounds(p, vol, z)
    assert lo[0] < 0 < hi[0]
    q = hold_shift(p, vol, np.array([0.5 * hi[0]]), z)
    assert q[0, 2] < p[0, 2]  # less symmetric response ...
    assert abs(q[0, 3]) > abs(p[0, 3])  # ... for more asymmetry
    before, after = (news_impact_variance(x[0, 2], x[0, 3], z[:, 0], vol) for x in (p, q))
    assert after == pytest.approx(before, rel=1e-9)
    if vol == "GJR":  # beta + E n(z): the persistence
        neg = float(np.mean(z[:, 0] ** 2 * (z[:, 0] < 0)))
        pers = [x[0, 4] + x[0, 2] * float(np.mean(z[:, 0] ** 2)) + x[0, 3] * neg for x in (p, q)]
        assert pers[1] == pytest.approx(pers[0], abs=1e-12)
    at_top = hold_shift(p, vol, hi, z)
    assert at_top[0, 2] < 0.05 * p[0, 2]  # the cap: (almost) no symmetric response left
