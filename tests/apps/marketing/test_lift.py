"""Gains, lift, profit curve and contact list against a small case computed by hand."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.apps.marketing import (
    contact_list,
    contacts_for_budget,
    gains_table,
    profit_curve,
    top_decile_lift,
)
from finloom.errors import ConfigError, InvalidDataError

# 10 customers ranked by score; responders at ranks 1, 3 and 7 (3 of 10: base rate 0.3)
Y = [1, 0, 1, 0, 0, 0, 1, 0, 0, 0]
S = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]


def test_gains_table_matches_the_hand_computed_quintiles():
    t = gains_table(Y[::-1], S[::-1], bins=5)  # input order does not matter, only the scores
    # quintiles of 2 rows: responders 1, 1, 0, 1, 0 -> rates .5 .5 0 .5 0 -> lift rate/.3
    assert t["responders"].tolist() == [1, 1, 0, 1, 0]
    assert np.allclose(t["response_rate"], [0.5, 0.5, 0.0, 0.5, 0.0])
    assert np.allclose(t["lift"], [0.5 / 0.3, 0.5 / 0.3, 0, 0.5 / 0.3, 0])
    assert np.allclose(t["cum_gain"], [1 / 3, 2 / 3, 2 / 3, 1, 1])
    assert np.allclose(t["cum_lift"], [(1 / 2) / 0.3, (2 / 4) / 0.3, (2 / 6) / 0.3, (3 / 8) / 0.3, 1.0])


def test_top_decile_lift_of_a_perfect_ranking_is_one_over_the_base_rate():
    y = np.r_[np.ones(10), np.zeros(90)]
    assert top_decile_lift(y, -np.arange(100.0)) == pytest.approx(10.0)


def test_profit_curve_by_hand():
    # p = .5, .2, .1 with cost 1 and margin 10: values 4, 1, 0 -> cumulative 0, 4, 5, 5
    curve = profit_curve([0.1, 0.5, 0.2], cost=1.0, margin=10.0)
    assert curve["contacts"].tolist() == [0, 1, 2, 3]
    assert np.allclose(curve["expected_profit"], [0.0, 4.0, 5.0, 5.0])
    assert np.allclose(curve["expected_responses"], [0.0, 0.5, 0.7, 0.8])


def test_contact_list_takes_the_top_by_expected_profit_within_budget():
    out = contact_list(["a", "b", "c", "d"], [0.05, 0.5, 0.2, 0.3], budget=7.5, cost=2.5, margin=10)
    assert out["id"].tolist() == ["b", "d", "c"]
    assert np.allclose(out["expected_profit"], [2.5, 0.5, -0.5])
    assert np.allclose(out["cum_expected_profit"], [2.5, 3.0, 2.5])
    assert contacts_for_budget(10**9, 1, 4) == 4


@pytest.mark.parametrize("budget", [0, -5, 1.0])
def test_a_budget_that_pays_for_nobody_is_refused(budget):
    with pytest.raises(ConfigError, match="budget must be a positive amount that pays for at least one contact"):
        contact_list(["a"], [0.5], budget=budget, cost=2, margin=10)


def test_bad_inputs_name_what_is_wrong():
    with pytest.raises(InvalidDataError, match="outcomes must be 0 or 1"):
        gains_table([0, 2], [0.1, 0.2], bins=2)
    with pytest.raises(InvalidDataError, match="scores must be finite"):
        gains_table([0, 1], [np.nan, 0.2], bins=2)
    with pytest.raises(ConfigError, match="cost must be a positive number"):
        profit_curve([0.5], cost=0, margin=1)
