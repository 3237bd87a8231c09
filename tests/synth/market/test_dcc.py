"""DCC(1,1): the filter follows Engle's recursion and the quasi-likelihood fit finds the dynamics (issue 23)."""

from __future__ import annotations

import numpy as np

from finloom.synth.market._dcc import dcc_correlations, dcc_neg_loglik, dcc_step, fit_dcc


def _simulate_dcc(a: float, b: float, n_days: int, seed: int) -> np.ndarray:
    g = np.random.default_rng(seed)
    qbar = np.array([[1.0, 0.4], [0.4, 1.0]])
    q, z = qbar[None].copy(), np.empty((n_days, 2))
    for t in range(n_days):
        d = 1.0 / np.sqrt(np.diag(q[0]))
        z[t] = np.linalg.cholesky(q[0] * np.outer(d, d)) @ g.standard_normal(2)
        q = dcc_step(q, z[t][None], qbar, a, b)
    return z


def test_dcc_correlations_follow_the_recursion() -> None:
    z = np.random.default_rng(0).normal(size=(200, 3))
    a, b = 0.07, 0.9
    qbar = np.corrcoef(z.T)
    q, expected = qbar.copy(), []
    for t in range(len(z)):
        d = 1.0 / np.sqrt(np.diag(q))
        expected.append(q * np.outer(d, d))
        q = (1 - a - b) * qbar + a * np.outer(z[t], z[t]) + b * q
    assert np.allclose(dcc_correlations(z, a, b), np.array(expected), atol=1e-12)


def test_fit_dcc_finds_dynamics_only_where_there_are_some() -> None:
    a, b = fit_dcc(_simulate_dcc(0.06, 0.9, 2500, seed=1))
    assert a > 0.03 and a + b > 0.8
    a0, _ = fit_dcc(np.random.default_rng(2).normal(size=(2500, 2)))
    assert a0 < 0.02
    z = _simulate_dcc(0.06, 0.9, 1500, seed=3)
    assert dcc_neg_loglik(z, *fit_dcc(z)) <= dcc_neg_loglik(z, 0.0, 0.0)
