"""The scorecard: points against a hand-computed case, monotonic bins, persistence, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from finloom.apps.credit_review import Scorecard, ScorecardConfig
from finloom.errors import InvalidDataError, NotFittedError


def test_scorecard_points_match_a_hand_computed_case():
    # one binary feature: 10 bads in 100 at x=0, 40 in 100 at x=1; an unpenalised regression on
    # WOE reproduces the bins' odds, so points = base + pdo * log2(odds_good / base_odds)
    x = np.r_[np.zeros(100), np.ones(100)]
    y = np.r_[np.ones(10), np.zeros(90), np.ones(40), np.zeros(60)].astype(int)
    sc = Scorecard(ScorecardConfig(C=1e6, min_iv=0.0)).fit(pd.DataFrame({"x": x}), y)
    expected = [
        600 + 20 * math.log2((90 / 10) / 50),
        600 + 20 * math.log2((60 / 40) / 50),
    ]  # 550.52, 498.82
    out = sc.score(pd.DataFrame({"x": [0.0, 1.0]}))
    assert out.score == pytest.approx(expected, abs=1e-3)
    assert out.score[0] == pytest.approx(550.5208, abs=1e-3)
    assert out.lost["x"].tolist() == pytest.approx([0.0, expected[0] - expected[1]], abs=1e-3)


def test_scorecard_integer_points_sum_to_the_score(applications):
    sc = Scorecard({"integer_points": True}).fit(
        applications[["PAY_0", "income", "home"]], applications["bad"]
    )
    out = sc.score(applications.head(20))
    assert np.all(out.contributions.to_numpy() == np.round(out.contributions.to_numpy()))
    assert np.allclose(out.contributions.sum(axis=1), out.score, atol=1e-9)


def test_scorecard_bins_follow_a_monotonic_risk_trend(applications):
    sc = Scorecard().fit(applications[["PAY_0", "income", "home"]], applications["bad"])
    directions = sc.monotone_directions()
    assert directions["PAY_0"] == 1 and directions["income"] == -1 and directions["home"] == 0
    for feature in ("PAY_0", "income"):
        points = np.asarray(sc.points_[feature][:-1])  # the missing bin last
        step = np.diff(points)
        assert np.all(step <= 1e-9) if directions[feature] == 1 else np.all(step >= -1e-9)
    table = sc.table()
    assert set(table["feature"]) == {"PAY_0", "income", "home"}
    assert table.groupby("feature")["iv"].first().gt(0.02).all()


def test_scorecard_leaves_out_features_without_information(applications):
    rng = np.random.default_rng(3)
    X = applications[["PAY_0"]].assign(noise=rng.integers(0, 2, len(applications)))
    sc = Scorecard().fit(X, applications["bad"])
    assert sc.selected_ == ["PAY_0"] and sc.iv_["noise"] < 0.02


def test_scorecard_save_load_gives_identical_scores(tmp_path, applications):
    X = applications[["PAY_0", "income", "home"]]
    sc = Scorecard().fit(X, applications["bad"])
    sc.save(tmp_path / "sc")
    assert not list(tmp_path.glob("**/*.pkl"))
    again = Scorecard.load(tmp_path / "sc")
    assert np.array_equal(again.score(X).score, sc.score(X).score)


def test_scorecard_leaves_the_input_unchanged(applications):
    X = applications[["PAY_0", "income", "home"]].copy()
    before = X.copy()
    Scorecard().fit(X, applications["bad"]).score(X)
    pd.testing.assert_frame_equal(X, before)


def test_scorecard_refuses_a_target_with_one_class(applications):
    with pytest.raises(InvalidDataError, match="target must have two classes"):
        Scorecard().fit(applications[["PAY_0"]], np.zeros(len(applications), dtype=int))


def test_scorecard_refuses_a_feature_that_is_all_missing(applications):
    X = applications[["PAY_0"]].assign(empty=np.nan)
    with pytest.raises(
        InvalidDataError, match="feature 'empty' must have at least one value; got all 800 missing"
    ):
        Scorecard().fit(X, applications["bad"])


def test_scorecard_refuses_text_in_a_number_column(applications):
    X = applications[["PAY_0"]].astype(object)
    X.loc[5, "PAY_0"] = "n/a"
    with pytest.raises(InvalidDataError, match="feature 'PAY_0' must hold numbers; got text 'n/a'"):
        Scorecard().fit(X, applications["bad"])
    sc = Scorecard().fit(applications[["PAY_0"]], applications["bad"])
    with pytest.raises(InvalidDataError, match="got text 'two' in row 1"):
        sc.score(pd.DataFrame({"PAY_0": ["1", "two"]}))


def test_scorecard_refuses_unseen_categories_unless_asked(applications):
    sc = Scorecard().fit(applications[["PAY_0", "home"]], applications["bad"])
    new = pd.DataFrame({"PAY_0": [1, 2], "home": ["rent", "boat"]})
    with pytest.raises(
        InvalidDataError,
        match=r"feature 'home' must hold a category seen in training; got unseen \['boat'\]",
    ):
        sc.score(new)
    missing = sc.score(new, unseen="missing")
    assert missing.contributions["home"].iloc[1] == pytest.approx(sc.points_["home"][-1])


def test_scorecard_scores_nothing_before_fit():
    with pytest.raises(NotFittedError):
        Scorecard().score(pd.DataFrame({"a": [1]}))


def test_scorecard_checks_its_settings(applications):
    with pytest.raises(
        Exception, match="The 'pdo' parameter of Scorecard must be a positive number; got 0"
    ):
        Scorecard({"pdo": 0}).fit(applications[["PAY_0"]], applications["bad"])
