"""Response model and segmenter: the estimator contract, leaky columns kept out, clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.apps.marketing import (
    PropensityModel,
    Segmenter,
    binary_outcome,
    feature_frame,
    profile_segments,
)
from finloom.errors import InvalidDataError, NotFittedError
from tests.apps.marketing.data import campaign_table


@pytest.fixture(scope="module")
def table():
    return campaign_table(800, seed=1)


def test_propensity_ranks_responders_first_and_round_trips(table, tmp_path):
    before = table.copy()
    X, y = feature_frame(table, "y", id_column="customer"), binary_outcome(table["y"])
    assert "duration" not in X.columns and "customer" not in X.columns
    m = PropensityModel({"n_estimators": 80}, random_state=0).fit(X, y)
    p = m.predict_proba(X)
    assert ((p >= 0) & (p <= 1)).all() and p[y == 1].mean() > p[y == 0].mean() + 0.05
    m.save(tmp_path / "m")
    assert np.allclose(PropensityModel.load(tmp_path / "m").predict_proba(X), p)
    assert not list(tmp_path.rglob("*.pkl"))
    pd.testing.assert_frame_equal(table, before)  # the caller's data untouched


def test_a_leaky_column_passed_anyway_is_not_used(table):
    X = table[["age", "job", "duration"]]
    m = PropensityModel({"n_estimators": 20}, random_state=0).fit(X, binary_outcome(table["y"]))
    assert m.columns_ == ["age", "job"] and m.dropped_ == ["duration"]


def test_same_seed_same_model_and_not_fitted_error(table):
    X, y = feature_frame(table, "y", id_column="customer"), binary_outcome(table["y"])
    a = PropensityModel({"n_estimators": 30}, random_state=3).fit(X, y).predict_proba(X)
    b = PropensityModel({"n_estimators": 30}, random_state=3).fit(X, y).predict_proba(X)
    assert np.array_equal(a, b)
    with pytest.raises(NotFittedError):
        PropensityModel().predict_proba(X)


def test_a_target_with_one_class_is_refused():
    with pytest.raises(InvalidDataError, match="target must have two classes .* got only 'no'"):
        binary_outcome(pd.Series(["no"] * 50))


def test_segments_find_the_two_planted_groups_stably(table, tmp_path):
    seg = Segmenter({"k_max": 4, "bootstrap": 3, "sample": 400}, features=["age", "job"], random_state=0).fit(table)
    labels = seg.predict(table)
    assert seg.k_ == 2 and seg.stability_ > 0.9
    young = (table["age"] < 43).to_numpy()
    assert len(set(labels[young])) == 1 and len(set(labels[~young])) == 1
    seg.save(tmp_path / "s")
    assert np.array_equal(Segmenter.load(tmp_path / "s").predict(table), labels)


def test_profiles_state_only_supported_numbers_in_both_languages(table):
    labels = (table["age"] >= 43).to_numpy().astype(int)
    out = profile_segments(table, labels, numeric=["age", "balance"], categorical=["job"],
                           outcome=binary_outcome(table["y"]))
    assert [p.segment for p in out] == ["A", "B"] and all(p.unsupported_numbers == 0 for p in out)
    assert "customers" in out[0].text_en and "位客户" in out[0].text_zh and "响应率" in out[0].text_zh
    assert out[1].distinctive[0]["feature"] in ("age", "job")


def test_a_segment_with_one_customer_is_refused(table):
    labels = np.zeros(len(table), dtype=int)
    labels[5] = 1
    with pytest.raises(InvalidDataError, match="segment B must have at least 2 customers to be profiled; got 1"):
        profile_segments(table, labels, numeric=["age"], categorical=["job"])


def test_too_few_customers_to_segment_is_refused(table):
    with pytest.raises(InvalidDataError, match="data must have at least 4 customers"):
        Segmenter().fit(table.head(3))
