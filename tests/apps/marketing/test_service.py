"""A campaign end to end on a small table: metrics on the hold-out, contacts at the budget, segments,
copy with checks; bad parameters refused with clear messages."""

from __future__ import annotations

import datetime as dt

import pytest

from finloom.apps.marketing import CampaignParams, run_campaign
from finloom.errors import ConfigError, InvalidDataError
from tests.apps.marketing.data import campaign_table


def _params(**kw):
    base = {"dataset": "d", "target": "y", "id_column": "customer", "budget": 100.0, "cost": 2.0, "margin": 40.0,
            "k_max": 3, "bootstrap": 2, "segment_features": ["age", "job", "balance"]}
    return CampaignParams(**{**base, **kw})


def test_campaign_on_a_small_table():
    df = campaign_table(700, seed=2)
    out = run_campaign(df, _params(), today=dt.date(2026, 1, 1))
    s = out["summary"]
    assert s["contacts"] == 50 and len(out["contacts"]) == 50
    assert out["contacts"]["id"].str.startswith("C").all()
    assert s["propensity"]["auc"] > 0.6 and s["propensity"]["dropped_leaky"] == ["duration"]
    assert s["profit"]["contacts_at_budget"] == 50
    assert out["contacts"]["probability"].is_monotonic_decreasing
    assert s["segments"]["k"] >= 2 and len(out["segments"]["profiles"]) == s["segments"]["k"]
    assert s["copy"]["accepted"] > 0 and s["copy"]["unsupported_numbers_in_accepted"] == 0


def test_bad_campaigns_are_refused():
    df = campaign_table(300, seed=3)
    with pytest.raises(InvalidDataError, match="target must have two classes"):
        run_campaign(df.assign(y="no"), _params())
    with pytest.raises(InvalidDataError, match="target must be a column of the data; got 'resp'"):
        run_campaign(df, _params(target="resp"))
    with pytest.raises(ConfigError, match="budget must be a positive amount that pays for at least one contact"):
        run_campaign(df, _params(budget=1.0, cost=2.0))
    with pytest.raises(ValueError, match="greater than 0"):
        _params(budget=0)


def test_contacts_are_scored_by_models_that_never_saw_them():
    import numpy as np

    from finloom.apps.marketing import PropensityModel, feature_frame
    from finloom.apps.marketing._propensity import binary_outcome
    from finloom.apps.marketing.service import _out_of_fold

    df = campaign_table(900, seed=4)
    X = feature_frame(df, "y", id_column="customer")
    y = binary_outcome(df["y"], None)
    model = PropensityModel(random_state=0).fit(X, y)
    oof, how = _out_of_fold(X, y, model, seed=0)
    assert how == "out of fold (3 folds)" and oof.shape == (len(y),) and np.isfinite(oof).all()
    assert not np.allclose(oof, model.predict_proba(X))  # not the in-sample scores of the fitted model
    small, how_small = _out_of_fold(X.head(60), y[:60], model, seed=0)
    assert how_small.startswith("hold-out model") and small.shape == (60,)
