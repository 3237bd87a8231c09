"""The noise floor of the market bands: a true model scored against its own paths."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.evaluate._market_floor import noise_floor
from finloom.evaluate._market_oos import path_statistics

from .test_market_oos import gjr_t


def test_noise_floor_of_a_true_gjr_model_is_above_the_issue_acf_band() -> None:
    out = noise_floor(gjr_t(300, 504, seed=0))
    assert out["n_paths"] == 300
    assert out["abs_acf_mae_floor"] > 0.03  # the 0.03 band is below what a true model scores at 504 days
    assert out["pass_rate"]["abs_acf_mae"] < 0.5
    assert 0.1 < out["kurtosis_rel_floor"] < 1.0
    assert out["pass_rate"]["all"] <= min(v for k, v in out["pass_rate"].items() if k != "all")


def test_noise_floor_matches_a_direct_computation_for_one_path() -> None:
    x = gjr_t(50, 300, seed=1)
    s = path_statistics(x)
    out = noise_floor(x, bands={"kurtosis_rel": 0.5})
    kurt_rel = np.abs(np.median(s["kurtosis"]) - s["kurtosis"]) / np.abs(s["kurtosis"])
    gap = np.abs(s["abs_acf"] - s["abs_acf"].mean(axis=0)).mean(axis=1)
    assert out["kurtosis_rel_floor"] == pytest.approx(np.median(kurt_rel))
    assert out["abs_acf_mae_floor"] == pytest.approx(np.median(gap))
    assert out["pass_rate"]["kurtosis"] == pytest.approx((kurt_rel <= 0.5).mean())


def test_noise_floor_bands_loosen_the_pass_rates() -> None:
    x = gjr_t(100, 504, seed=2)
    tight, loose = noise_floor(x), noise_floor(x, bands={"abs_acf_mae": 0.08, "leverage_rel": 1.0})
    assert loose["pass_rate"]["abs_acf_mae"] >= tight["pass_rate"]["abs_acf_mae"]
    assert loose["pass_rate"]["leverage"] >= tight["pass_rate"]["leverage"]
    assert loose["abs_acf_mae_floor"] == tight["abs_acf_mae_floor"]
