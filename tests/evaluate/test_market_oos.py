"""Out-of-sample market-path judgement: per-path z-scores, memorisation check, discriminator."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.errors import InvalidDataError
from finloom.evaluate._market_oos import (
    discriminate_windows,
    memorisation_check,
    path_statistics,
    per_path_scores,
    stationary_bootstrap,
)


def gjr_t(n_paths: int, n_days: int, seed: int, *, omega: float = 0.02, alpha: float = 0.02,
          gamma: float = 0.14, beta: float = 0.88, nu: float = 6.0) -> np.ndarray:
    """A known GJR-GARCH(1,1,1) with unit-variance Student-t shocks, returns in decimals."""
    g = np.random.default_rng(seed)
    z = g.standard_t(nu, (n_paths, n_days)) / np.sqrt(nu / (nu - 2))
    var = np.full(n_paths, omega / (1 - alpha - gamma / 2 - beta))
    out = np.empty((n_paths, n_days))
    for t in range(n_days):
        eps = np.sqrt(var) * z[:, t]
        out[:, t] = eps
        var = omega + (alpha + gamma * (eps < 0)) * eps**2 + beta * var
    return out / 100


def test_path_statistics_per_path_match_a_direct_computation() -> None:
    x = np.random.default_rng(1).standard_t(5, (3, 300))
    s = path_statistics(x, acf_lags=5, leverage_lags=3, cluster_lags=4)
    p = x[1]
    c = p - p.mean()
    assert s["kurtosis"][1] == pytest.approx((c**4).mean() / (c**2).mean() ** 2 - 3)
    a = np.abs(p) - np.abs(p).mean()
    assert s["abs_acf"][1, 1] == pytest.approx((a[:-2] * a[2:]).sum() / (a**2).sum())
    lev = [(c[:-k] * a[k:]).sum() / np.sqrt((c**2).sum() * (a**2).sum()) for k in (1, 2, 3)]
    assert s["leverage"][1] == pytest.approx(np.mean(lev))
    assert s["vol_clustering"][1] == pytest.approx(s["abs_acf"][1, :4].mean())
    with pytest.raises(InvalidDataError, match="longer than the largest lag"):
        path_statistics(x[:, :40])


def test_a_true_gjr_model_scored_against_its_own_paths_has_small_z() -> None:
    model, reference = gjr_t(300, 504, seed=1), gjr_t(300, 504, seed=2)
    zs = np.array([list(per_path_scores(gjr_t(1, 504, seed=100 + i)[0], model, reference)["per_path_z"].values())
                   for i in range(8)])
    assert np.abs(zs).mean() < 1.2
    assert (np.abs(zs) <= 2.5).mean() >= 0.9
    # a model without volatility clustering or leverage is told apart from the same real paths
    iid = np.random.default_rng(3).permuted(model, axis=1)
    wrong = np.array([list(per_path_scores(gjr_t(1, 504, seed=100 + i)[0], iid, reference)["per_path_z"].values())
                      for i in range(8)])
    # (kurtosis is unchanged by shuffling; clustering, leverage and the |r| ACF are not)
    assert np.abs(wrong[:, 1:]).mean() > 1.5 * np.abs(zs[:, 1:]).mean()
    assert np.median(np.abs(wrong[:, 2:])) > 1.5


def test_memorisation_check_flags_a_bootstrap_of_real_windows_and_not_an_independent_model() -> None:
    train = gjr_t(1, 2500, seed=5)[0]
    reference, independent = gjr_t(100, 504, seed=6), gjr_t(100, 504, seed=7)
    copied = stationary_bootstrap(train, 100, 504, block=20.0, random_state=8)
    out = memorisation_check(train, copied, reference)
    assert out["flagged"] and out["window_score"] > 0.7 and out["exact_copy_rate"] > 0.2
    replayed = stationary_bootstrap(train, 100, 504, block=500.0, random_state=9)  # a replayed volatility path
    assert memorisation_check(train, replayed, reference)["vol_path_score"] > 0.5
    clean = memorisation_check(train, independent, reference)
    assert not clean["flagged"] and abs(clean["window_score"]) < 0.3 and clean["exact_copy_rate"] == 0.0
    with pytest.raises(InvalidDataError, match="training series must be longer"):
        memorisation_check(train[:300], independent, reference)


def test_discriminator_is_at_chance_on_iid_copies_and_one_sided() -> None:
    g = np.random.default_rng(0)
    out = discriminate_windows(g.standard_t(4, 504), g.standard_t(4, (400, 504)), random_state=1)
    assert abs(out["balanced_accuracy"] - 0.5) < 0.1
    assert out["excess"] == max(0.0, out["balanced_accuracy"] - 0.5)
    scaled = discriminate_windows(g.standard_t(4, 504), 3 * g.standard_t(4, (400, 504)), random_state=1)
    assert scaled["balanced_accuracy"] > 0.8  # a wrong volatility level is found


def test_discriminator_does_not_key_on_exact_zero_returns() -> None:
    g = np.random.default_rng(2)
    real = g.standard_t(4, 504) * 0.01
    real[g.random(504) < 0.08] = 0.0  # price ticks: 8 % of days unchanged
    synth = g.standard_t(4, (400, 504)) * 0.01
    robust = discriminate_windows(real, synth, random_state=3)
    naive = discriminate_windows(real, synth, grid=1e-9, match_zeros=False, random_state=3)  # zeros stay exact
    assert robust["balanced_accuracy"] < 0.62
    assert naive["balanced_accuracy"] > robust["balanced_accuracy"] + 0.05
    with pytest.raises(InvalidDataError, match="at least 3 real windows per fold"):
        discriminate_windows(real[:80], synth)
