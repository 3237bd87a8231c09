"""Known-answer tests for column shapes and pair trends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.evaluate import (
    contingency_similarity,
    correlation_similarity,
    evaluate_fidelity,
    ks_complement,
    tv_complement,
)


def _mixed_table(n: int = 600, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame({
        "x": x,
        "y": 2.0 * x + 0.2 * rng.normal(size=n),
        "grade": np.where(x > 0, "high", "low"),
        "flag": np.where(x + 0.1 * rng.normal(size=n) > 0, "yes", "no"),
    })


def test_evaluate_fidelity_identical_data_scores_one() -> None:
    df = _mixed_table()
    res = evaluate_fidelity(df, df.copy(), Metadata.infer(df))
    assert res.column_shapes_score == 1.0
    assert res.pair_trends_score == pytest.approx(1.0)
    assert res.score == pytest.approx(1.0)


def test_evaluate_fidelity_shuffled_columns_low_pair_trends() -> None:
    df = _mixed_table()
    rng = np.random.default_rng(1)
    shuffled = df.apply(lambda s: pd.Series(rng.permutation(s.to_numpy()), index=s.index))
    res = evaluate_fidelity(df, shuffled, Metadata.infer(df))
    assert res.column_shapes_score == 1.0  # marginals untouched
    assert res.pair_trends_score < 0.6  # every strong relation destroyed
    assert res.score < 0.8


def test_evaluate_fidelity_shifted_marginal_lowers_column_shape() -> None:
    df = _mixed_table()
    res = evaluate_fidelity(df, df.assign(x=df["x"] + 100.0), Metadata.infer(df))
    scores = {r["column"]: r["score"] for r in res.column_shapes}
    assert scores["x"] == 0.0
    assert scores["y"] == 1.0


def test_evaluate_fidelity_does_not_mutate_inputs() -> None:
    df = _mixed_table(100)
    syn = _mixed_table(100, seed=5)
    before_real, before_syn = df.copy(), syn.copy()
    evaluate_fidelity(df, syn, Metadata.infer(df))
    pd.testing.assert_frame_equal(df, before_real)
    pd.testing.assert_frame_equal(syn, before_syn)


def test_evaluate_fidelity_zero_thresholds_count_every_pair() -> None:
    df = _mixed_table(200)
    res = evaluate_fidelity(df, df, Metadata.infer(df), correlation_threshold=0.0, association_threshold=0.0)
    assert all(not np.isnan(r["score"]) for r in res.pair_trends)
    assert len(res.pair_trends) == 6


def test_ks_complement_ignores_nulls() -> None:
    real = pd.Series([1.0, 2.0, np.nan, 3.0])
    assert ks_complement(real, pd.Series([1.0, 2.0, 3.0])) == 1.0


def test_tv_complement_known_value() -> None:
    real = pd.Series(["a"] * 50 + ["b"] * 50)
    syn = pd.Series(["a"] * 80 + ["b"] * 20)
    assert tv_complement(real, syn) == pytest.approx(0.7)


def test_correlation_similarity_below_threshold_is_nan() -> None:
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, -1.0, 1.0, 1.0]})
    assert np.isnan(correlation_similarity(df, df, real_threshold=0.5)["score"])
    assert correlation_similarity(df, df)["score"] == 1.0


def test_contingency_similarity_known_value() -> None:
    real = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["u", "u", "v", "v"]})
    syn = pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["u", "v", "v", "v"]})
    assert contingency_similarity(real, syn)["score"] == pytest.approx(0.75)


def test_all_pairs_variant_counts_the_unrelated_pairs_the_default_leaves_out() -> None:
    rng = np.random.default_rng(3)
    n = 800
    x = rng.normal(size=n)
    real = pd.DataFrame({"x": x, "y": x + 0.1 * rng.normal(size=n),  # one strong relation
                         "w": rng.normal(size=n) + 0.2 * x})  # weak relation to x and y (|r| < 0.5)
    syn = real.assign(w=rng.permutation(real["w"].to_numpy()))  # the weak relations lost
    res = evaluate_fidelity(real, syn, Metadata.infer(real))
    assert res.pair_trends_score == pytest.approx(1.0, abs=0.01)  # only (x, y) counts by default
    assert res.pair_trends_all_pairs_score < res.pair_trends_score - 0.03  # every pair counts
    assert res.score_all_pairs == pytest.approx((res.column_shapes_score + res.pair_trends_all_pairs_score) / 2)
    counted = [r for r in res.pair_trends if not np.isnan(r["score"])]
    assert len(counted) == 1 and len(res.pair_trends) == 3
    assert all(not np.isnan(r["score_all"]) for r in res.pair_trends)


def test_all_pairs_variant_equals_zero_thresholds() -> None:
    df = _mixed_table(300)
    syn = _mixed_table(300, seed=4)
    default = evaluate_fidelity(df, syn, Metadata.infer(df))
    zero = evaluate_fidelity(df, syn, Metadata.infer(df), correlation_threshold=0.0, association_threshold=0.0)
    assert default.score_all_pairs == pytest.approx(zero.score, abs=1e-12)
    assert zero.score_all_pairs == pytest.approx(zero.score, abs=1e-12)


def test_zero_threshold_counts_an_exactly_uncorrelated_pair() -> None:
    real = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0, -1.0, -1.0, 1.0]})  # Pearson r = 0
    assert correlation_similarity(real, real)["score"] == 1.0
    assert np.isnan(correlation_similarity(real, real, real_threshold=0.5)["score"])
