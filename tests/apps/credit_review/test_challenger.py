"""The challenger: SHAP points add up to the score, monotone constraints hold, save/load, calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.apps.credit_review import Challenger


def test_challenger_shap_points_sum_to_the_score(fitted, applications):
    ch = fitted.challenger
    out = ch.score(applications.head(200))
    total = ch.base_points_ + out.contributions.sum(axis=1).to_numpy()
    assert np.max(np.abs(total - out.score)) < 1e-6
    assert np.allclose(out.prob, ch.predict_proba(applications.head(200)), atol=1e-9)


def test_challenger_respects_the_scorecards_monotone_directions(fitted, applications):
    ch = fitted.challenger
    assert dict(zip(ch.columns_, ch.monotone_, strict=True))["PAY_0"] == 1
    grid = pd.concat([applications.head(30).assign(PAY_0=d) for d in range(5)], ignore_index=True)
    risk = ch.predict_proba(grid).reshape(5, 30)
    assert np.all(np.diff(risk, axis=0) >= -1e-12)  # more delays never lower the risk


def test_challenger_save_load_gives_identical_scores(tmp_path, fitted, applications):
    fitted.challenger.save(tmp_path / "ch")
    again = Challenger.load(tmp_path / "ch")
    X = applications.head(50)
    assert np.allclose(again.score(X).score, fitted.challenger.score(X).score, atol=1e-9)
    text = (tmp_path / "ch" / "config.json").read_text(encoding="utf-8")
    assert "tree_sizes" in text  # LightGBM's own text model, no pickle


def test_challenger_is_close_to_the_scorecard_on_the_holdout(fitted):
    holdout = fitted.info["holdout"]
    assert set(holdout) == {"scorecard", "challenger"}
    for m in holdout.values():
        assert 0.6 < m["auc"] < 1 and m["ks"] > 0.1 and 0 < m["brier"] < 0.25
        assert len(m["calibration"]) == 10 and sum(m["score_distribution"]["bad"]) > 0


def test_challenger_reasons_point_at_the_features_that_lowered_the_score(fitted, applications):
    ch = fitted.challenger
    risky = applications[applications["PAY_0"] == 4].head(20)
    out = ch.score(risky)
    assert (out.lost["PAY_0"] > 0).mean() > 0.9
    with pytest.raises(Exception, match="must have the model's column 'income'"):
        ch.score(risky.drop(columns=["income"]))


def test_challenger_same_seed_same_model_and_input_untouched(applications):
    X = applications[["PAY_0", "income", "home"]].head(400)
    before = X.copy()
    a = Challenger({"n_estimators": 20}, random_state=3).fit(X, applications["bad"].head(400))
    b = Challenger({"n_estimators": 20}, random_state=3).fit(X, applications["bad"].head(400))
    assert np.array_equal(a.score(X).score, b.score(X).score)
    pd.testing.assert_frame_equal(X, before)
