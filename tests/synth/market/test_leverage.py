"""Shifting and calibrating the asymmetry of a fitted GJR / EGARCH model (issue 23, leverage)."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import ConfigError
from finloom.synth.market._calibrate import path_leverage
from finloom.synth.market._leverage import asymmetry_bounds, calibrate_asymmetry, shift_asymmetry

PARAMS = np.array([[0.05, 0.02, 0.03, 0.10, 0.88], [0.0, 0.01, 0.10, -0.05, 0.97]])


def _gjr_paths(params: np.ndarray, z: np.ndarray) -> np.ndarray:
    """GJR recursion of the first asset's parameters driven by shocks ``z`` (P, T): returns (P, T, 1)."""
    _, omega, alpha, gamma, beta = params[0]
    var, out = np.full(len(z), omega / max(1 - alpha - gamma / 2 - beta, 1e-3)), np.empty((*z.shape, 1))
    for t in range(z.shape[1]):
        eps = np.sqrt(var) * z[:, t]
        out[:, t, 0] = eps
        var = omega + (alpha + gamma * (eps < 0)) * eps**2 + beta * var
    return out


def test_gjr_shift_keeps_the_persistence_and_egarch_shift_moves_the_sign_term() -> None:
    d = np.array([0.06, 0.04])
    gjr = shift_asymmetry(PARAMS, "GJR", d)
    persistence = PARAMS[:, 2] + PARAMS[:, 3] / 2 + PARAMS[:, 4]
    assert np.allclose(gjr[:, 2] + gjr[:, 3] / 2 + gjr[:, 4], persistence)
    assert np.allclose(gjr[:, 3], PARAMS[:, 3] + d)
    eg = shift_asymmetry(PARAMS, "EGARCH", d)
    assert np.allclose(eg[:, 3], PARAMS[:, 3] - d)
    assert np.array_equal(eg[:, [0, 1, 2, 4]], PARAMS[:, [0, 1, 2, 4]])
    assert np.array_equal(shift_asymmetry(PARAMS, "GJR", np.zeros(2)), PARAMS)  # the input is not changed


def test_a_positive_shift_gives_more_leverage() -> None:
    z = np.random.default_rng(0).standard_normal((100, 800))
    before = np.median(path_leverage(_gjr_paths(PARAMS, z)[:, :, 0]))
    after = np.median(path_leverage(_gjr_paths(shift_asymmetry(PARAMS, "GJR", np.array([0.1, 0.0])), z)[:, :, 0]))
    assert after < before - 0.02


def test_bounds_keep_gjr_terms_non_negative_and_symmetric_models_are_refused() -> None:
    lo, hi = asymmetry_bounds(PARAMS, "GJR")
    assert np.allclose(lo, -PARAMS[:, 3]) and np.all(hi > 0)
    assert np.all(shift_asymmetry(PARAMS[:1], "GJR", lo[:1])[:, 3] >= 0)
    lo, hi = asymmetry_bounds(PARAMS, "EGARCH")
    assert np.all(lo < 0) and np.all(hi > 0)
    with pytest.raises(ConfigError, match="asymmetric volatility model"):
        shift_asymmetry(PARAMS, "GARCH", np.zeros(2))


def test_calibration_recovers_the_asymmetry_of_a_known_gjr_process() -> None:
    # the "training series" is one long path (30,000 days, so its windows' median leverage is precise)
    # of a GJR process with gamma 0.15; calibration starts from a symmetric model with the same persistence
    # and should land near +0.15 with the target leverage reached
    g = np.random.default_rng(1)
    true = np.array([[0.0, 0.02, 0.02, 0.15, 0.88]])
    real = _gjr_paths(true, g.standard_normal((1, 30_000)))[0]
    z = g.standard_normal((150, 1000))

    def simulate(p: np.ndarray) -> np.ndarray:
        return _gjr_paths(p, z)

    start = true.copy()
    start[0, 3], start[0, 4] = 0.0, 0.88 + 0.075  # same persistence, no asymmetry
    shift, target = calibrate_asymmetry(simulate, start, "GJR", real, 1000)
    assert target[0] < -0.04
    assert 0.12 < shift[0] < 0.19
    reached = np.median(path_leverage(simulate(shift_asymmetry(start, "GJR", shift))[:, :, 0]))
    assert abs(reached - target[0]) < 0.005
