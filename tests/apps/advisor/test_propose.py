"""End to end on small synthetic prices: suitability whatever the optimiser returns, letters, bad prices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.apps.advisor import (
    InfeasibleConstraintsError,
    Plan,
    SuitabilityRules,
    load_questionnaire,
    load_shelf,
    load_suitability,
    product_returns,
    propose,
    rebalancing_notice,
)
from finloom.errors import InvalidDataError
from finloom.synth.market import load_prices

from .conftest import ANSWERS_C1, ANSWERS_C4

PLAN = Plan(initial=100_000, goal=104_000, years=2, n_paths=60, backtest_years=1, customer_id="c-1")


def _rogue(raw_weights):
    """An optimiser that ignores the limits and loads the riskiest products of the whole shelf."""

    def optimiser(returns, method, constraints):
        return pd.Series(raw_weights)

    return optimiser


@pytest.mark.parametrize(
    "raw",
    [
        {"NOTE-OIL": 0.6, "FUND-BANKS": 0.4},
        {"ETF-NASDAQ": 0.5, "FUND-ENERGY": 0.3, "DEP-CURRENT": 0.2},
        {p.id: 0.1 for p in load_shelf().products},
    ],
)
def test_c1_never_receives_r4_or_r5_whatever_the_optimiser_returns(prices, raw) -> None:
    profile = load_questionnaire().score(ANSWERS_C1)
    out = propose(profile, PLAN, prices=prices, optimiser=_rogue(raw), langs=("en",))
    assert profile.level == "C1"
    assert set(out["weights"]) <= {"DEP-CURRENT", "MMF-CASH", "DEP-1Y"}
    assert all(out["ratings"][pid] == "R1" for pid in out["weights"])
    assert (
        abs(sum(out["weights"].values()) - 1) < 1e-5 and max(out["weights"].values()) <= 0.6 + 1e-6
    )


def test_proposal_figures_and_letters(prices) -> None:
    profile = load_questionnaire().score(ANSWERS_C4)
    out = propose(profile, Plan(**{**PLAN.__dict__, "method": "cvar"}), prices=prices)
    shelf = load_shelf()
    assert all(shelf.by_id(pid).risk_level <= 4 for pid in out["weights"])
    growth = sum(w for pid, w in out["weights"].items() if shelf.by_id(pid).risk_level >= 3)
    assert out["limits"]["min_growth"] - 1e-6 <= growth <= out["limits"]["max_growth"] + 1e-6
    sim = out["simulation"]
    assert (
        sim["n_paths"] == 60 and 0 <= sim["prob_goal"] <= 1 and sim["cvar95"] >= sim["var95"] >= 0
    )
    assert (
        sim["terminal_quantiles"]["p5"]
        <= sim["terminal_quantiles"]["p50"]
        <= sim["terminal_quantiles"]["p95"]
    )
    assert out["backtest"]["days"] > 0 and out["charts"]["fan"] and out["charts"]["allocation"]
    for lang in ("en", "zh"):
        assert out["letters"][lang]["unsupported_numbers"] == 0, out["letters"][lang]["guard"]
        assert out["letters"][lang]["guard"]["ok"]
    assert [g["max_growth"] for g in out["glide_path"]] == sorted(
        g["max_growth"] for g in out["glide_path"]
    )[::-1]


def test_infeasible_profile_names_the_binding_constraint(prices) -> None:
    rules = load_suitability()
    tight = SuitabilityRules(
        matrix=rules.matrix,
        limits={**rules.limits, "C1": {"max_weight": 0.2, "max_growth": 0.0}},
        liquid_days=rules.liquid_days,
        glide=rules.glide,
    )
    with pytest.raises(InfeasibleConstraintsError, match="Binding constraint: max_weight"):
        propose(load_questionnaire().score(ANSWERS_C1), PLAN, prices=prices, rules=tight)


def test_bad_plan_lists_every_problem(prices) -> None:
    with pytest.raises(InvalidDataError) as err:
        propose(
            load_questionnaire().score(ANSWERS_C1), Plan(initial=-1, method="magic"), prices=prices
        )
    assert "initial amount must be > 0" in str(err.value) and "method must be one of" in str(
        err.value
    )


def test_prices_with_gaps_or_negative_values_are_refused(prices) -> None:
    bad = prices.copy()
    bad.iloc[5, 0] = np.nan
    bad.iloc[7, 1] = -3.0
    with pytest.raises(InvalidDataError) as err:
        load_prices(bad)
    assert "got 1 NaN in column 'SP500'" in str(
        err.value
    ) and "zero or negative values in column 'NASDAQ'" in str(err.value)


def test_a_single_asset_table_cannot_serve_the_shelf(prices) -> None:
    with pytest.raises(InvalidDataError, match="prices must have a column for every product asset"):
        product_returns(prices[["SP500"]], load_shelf().products)
    with pytest.raises(InvalidDataError, match="prices must have a column for every product asset"):
        propose(load_questionnaire().score(ANSWERS_C4), PLAN, prices=prices[["SP500"]])


def test_rebalancing_notice_in_both_languages() -> None:
    names = {"A": {"en": "Fund A", "zh": "基金A"}, "B": {"en": "Fund B", "zh": "基金B"}}
    en = rebalancing_notice({"A": 0.5, "B": 0.5}, {"A": 0.6, "B": 0.4}, band=0.05, names=names)
    zh = rebalancing_notice(
        {"A": 0.5, "B": 0.5}, {"A": 0.6, "B": 0.4}, band=0.05, names=names, lang="zh"
    )
    assert (
        en["needed"]
        and en["guard_ok"]
        and "Fund A: current weight 60.0%, target weight 50.0%." in en["text"]
    )
    assert zh["guard_ok"] and "基金A：当前权重60.0%，目标权重50.0%。" in zh["text"]
    assert [t["trade"] for t in en["trades"]] == pytest.approx([-0.1, 0.1])
