"""The challenger's batch TreeSHAP (one explanation per split pattern of each tree) gives the numbers
the shap library's tree explainer and LightGBM's own ``pred_contrib`` give, on a fixed table with
categories, missing values, zeros, unseen-as-missing and values equal to split thresholds."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from finloom.apps.credit_review import Challenger
from finloom.apps.credit_review._treeshap import tree_contributions, tree_splits


def _table(n: int = 1_500, seed: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    delay = rng.integers(0, 5, n).astype(float)
    income = np.round(rng.lognormal(10, 0.5, n), -2)
    income[rng.random(n) < 0.08] = np.nan  # missing
    balance = np.where(rng.random(n) < 0.2, 0.0, rng.normal(3_000, 1_500, n))  # zeros
    home = rng.choice(["rent", "own", "mortgage", "other"], n, p=[0.4, 0.3, 0.25, 0.05]).astype(object)
    home[rng.random(n) < 0.05] = None
    region = rng.choice([f"r{i}" for i in range(12)], n)
    logit = -2 + 0.6 * delay - 0.5 * np.nan_to_num(np.log(income / 20_000)) + (home == "rent") * 0.4
    y = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    X = pd.DataFrame(
        {"delay": delay, "income": income, "balance": balance, "home": home, "region": region}
    )
    return X, y


@pytest.fixture(scope="module")
def model() -> tuple[Challenger, pd.DataFrame]:
    X, y = _table()
    ch = Challenger(
        {"n_estimators": 60, "early_stopping_rounds": 60}, monotone={"delay": 1}, random_state=0
    ).fit(X, y)
    return ch, X


def _scoring_rows(ch: Challenger, X: pd.DataFrame) -> pd.DataFrame:
    """The fixed table plus rows sitting exactly on split thresholds and an unseen category."""
    thresholds = [t for s in tree_splits(ch.booster_, ch._n_trees()) for t in s.numerical.get(1, [])]
    on_split = X.head(len(thresholds)).assign(income=thresholds)
    return pd.concat([X, on_split, X.head(3).assign(region="r99")], ignore_index=True)


def test_batch_treeshap_equals_the_shap_librarys_tree_explainer(model):
    shap = pytest.importorskip("shap")
    ch, X = model
    rows = _scoring_rows(ch, X)
    data = ch.prepare(rows, unseen="missing")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # shap's note on LightGBM's output format
        explainer = shap.TreeExplainer(ch.booster_, model_output="raw")
        reference = np.asarray(explainer.shap_values(data))
    fast = ch.shap_values(rows, unseen="missing")
    assert fast.shape == reference.shape == (len(rows), len(ch.columns_))
    assert np.max(np.abs(fast - reference)) < 1e-9
    assert abs(ch._expected() - float(np.ravel(explainer.expected_value)[-1])) < 1e-12


def test_batch_treeshap_equals_lightgbm_pred_contrib_tree_by_tree(model):
    ch, X = model
    matrix = ch._lgb_matrix(ch.prepare(_scoring_rows(ch, X), unseen="missing"))
    n = ch._n_trees()
    fast = tree_contributions(ch.booster_, matrix, tree_splits(ch.booster_, n))
    full = ch.booster_.predict(matrix, pred_contrib=True, num_iteration=n)
    assert np.max(np.abs(fast - full)) < 1e-12


def test_challenger_scores_are_the_old_scores_and_reasons_sum_to_them(model):
    shap = pytest.importorskip("shap")
    ch, X = model
    out = ch.score(X)
    assert np.max(np.abs(ch.base_points_ + out.contributions.sum(axis=1).to_numpy() - out.score)) < 1e-6
    with warnings.catch_warnings():  # the score as it was computed before: shap's values, Platt, points
        warnings.simplefilter("ignore", UserWarning)
        explainer = shap.TreeExplainer(ch.booster_, model_output="raw")
        values = np.asarray(explainer.shap_values(ch.prepare(X)))
    a, b = ch.platt_
    logit = a * (float(np.ravel(explainer.expected_value)[-1]) + values.sum(axis=1)) + b
    assert np.max(np.abs(ch.config_.scale.score_from_logit(logit) - out.score)) < 1e-9
    assert np.max(np.abs(-ch.config_.scale.factor * a * values - out.contributions.to_numpy())) < 1e-9


def test_an_empty_batch_scores_to_nothing(model):
    ch, X = model
    out = ch.score(X.head(0))
    assert out.score.shape == (0,) and out.contributions.shape == (0, len(ch.columns_))
