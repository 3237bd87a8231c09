"""Stylized-facts metrics on processes with known answers, and the report."""

from __future__ import annotations

import json

import numpy as np
import pytest

from finloom.errors import InvalidDataError
from finloom.evaluate._stylized import (
    abs_acf,
    acf,
    correlation_error,
    discriminative_score,
    excess_kurtosis,
    hill_tail_index,
    leverage_effect,
    predictive_score,
)
from finloom.evaluate._stylized_report import stylized_facts_report


def _gjr(n_paths: int, n_days: int, seed: int = 0) -> np.ndarray:
    """A GJR-GARCH(1,1) with normal shocks: clustering and a leverage effect by construction."""
    g = np.random.default_rng(seed)
    var = np.full(n_paths, 1e-4)
    out = np.empty((n_paths, n_days))
    for t in range(n_days):
        eps = np.sqrt(var) * g.standard_normal(n_paths)
        out[:, t] = eps
        var = 2e-6 + (0.02 + 0.15 * (eps < 0)) * eps**2 + 0.88 * var
    return out


def test_iid_normal_has_no_structure() -> None:
    x = np.random.default_rng(0).normal(size=(20, 1000))
    assert np.abs(acf(x, 20)).max() < 0.03
    assert np.abs(abs_acf(x, 20)).max() < 0.03
    assert abs(excess_kurtosis(x)) < 0.15  # raw kurtosis ≈ 3
    assert abs(leverage_effect(x).mean()) < 0.01


def test_garch_shows_clustering_and_leverage() -> None:
    x = _gjr(50, 1000)
    assert abs_acf(x, 10).mean() > 0.1
    assert np.abs(acf(x, 10)).max() < 0.05
    assert leverage_effect(x).mean() < -0.02
    assert excess_kurtosis(x) > 0.5


def test_hill_index_orders_tails() -> None:
    g = np.random.default_rng(0)
    heavy = hill_tail_index(g.standard_t(2, 50_000))
    light = hill_tail_index(g.standard_t(6, 50_000))
    assert heavy < light


def test_correlation_error_needs_two_assets() -> None:
    with pytest.raises(InvalidDataError, match="at least 2 assets"):
        correlation_error(np.zeros((100, 1)), np.zeros((100, 1)))


def test_discriminative_score_separates_different_processes() -> None:
    g = np.random.default_rng(0)
    real = g.normal(0, 0.01, 3000)
    assert discriminative_score(real, g.normal(0, 0.01, (40, 500)), repeats=1) < 0.08
    assert discriminative_score(real, g.normal(0, 0.03, (40, 500)), repeats=1) > 0.3


def test_predictive_score_prefers_matching_dynamics() -> None:
    real = _gjr(1, 3000, seed=1)[0]
    same = predictive_score(real, _gjr(20, 500, seed=2))
    iid = predictive_score(real, np.random.default_rng(3).normal(0, real.std(), (20, 500)))
    assert same["tstr_mae"] < iid["tstr_mae"]


def test_bad_returns_raise() -> None:
    with pytest.raises(InvalidDataError, match="finite"):
        acf(np.array([0.1, np.nan, 0.2] * 30), 2)
    with pytest.raises(InvalidDataError, match="longer than max_lag"):
        acf(np.zeros(10), 20)


def test_report_dict_and_html() -> None:
    g = np.random.default_rng(0)
    real = g.normal(0, 0.01, (1500, 2))
    synth = g.normal(0, 0.01, (20, 300, 2))
    prices = 100 * np.exp(np.cumsum(synth, axis=1))
    report = stylized_facts_report(real, synth, synthetic_prices=prices)
    data = report.to_dict()
    json.dumps(data)
    assert {"abs_acf_mae", "disc_score", "w1", "ks", "correlation_error"} <= set(data["scores"])
    assert len(data["abs_acf_real"]) == 50
    page = report.to_html()
    assert page.count("<img") == 3 and "Fan chart" in page
