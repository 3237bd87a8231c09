"""Optimisers respect every limit; clashing limits name the binding constraint."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.apps.advisor import (
    METHODS,
    Constraints,
    InfeasibleConstraintsError,
    check_feasible,
    optimise,
)
from finloom.errors import ConfigError


def _returns(n: int = 6, seed: int = 0) -> pd.DataFrame:
    g = np.random.default_rng(seed)
    return pd.DataFrame(
        g.normal(3e-4, np.linspace(0.002, 0.02, n), (400, n)), columns=[f"P{i}" for i in range(n)]
    )


LIMITS = Constraints(
    max_weight=0.35,
    min_liquid=0.3,
    max_growth=0.6,
    min_growth=0.2,
    liquid=np.array([True, True, False, False, True, False]),
    growth=np.array([False, False, False, True, True, True]),
)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_meets_the_limits(method: str) -> None:
    w = optimise(_returns(), method, LIMITS)
    assert list(w.index) == list(_returns().columns)
    assert LIMITS.violations(w.to_numpy()) == []


@pytest.mark.parametrize(
    ("change", "binding"),
    [
        ({"max_weight": 0.15}, "max_weight"),
        ({"min_liquid": 0.9, "max_weight": 0.25}, "min_liquid"),
        ({"min_growth": 0.0, "max_growth": 0.05, "max_weight": 0.3}, "max_growth"),
        ({"min_growth": 0.95, "max_growth": 1.0, "max_weight": 0.3}, "min_growth"),
    ],
)
def test_infeasible_limits_name_the_binding_constraint(change: dict, binding: str) -> None:
    limits = Constraints(**{**LIMITS.__dict__, **change})
    with pytest.raises(InfeasibleConstraintsError, match=f"Binding constraint: {binding} "):
        check_feasible(limits)
    with pytest.raises(InfeasibleConstraintsError, match=f"Binding constraint: {binding} "):
        optimise(_returns(), "hrp", limits)


def test_unknown_method_suggests_one() -> None:
    with pytest.raises(ConfigError, match="Did you mean 'min_variance'"):
        optimise(_returns(), "min_varianse", LIMITS)


def test_same_input_same_weights() -> None:
    a = optimise(_returns(), "cvar", LIMITS)
    b = optimise(_returns(), "cvar", LIMITS)
    assert np.allclose(a, b, atol=1e-6)


def _cvxpy_reference(objective: str, target: np.ndarray, c: Constraints) -> np.ndarray:
    """The same programme written in cvxpy (the formulation the fast path replaced)."""
    import cvxpy as cp

    x = cp.Variable(c.n)
    cons = [cp.sum(x) == 1, x >= 0, x <= c.max_weight]
    if c.liquid.any() and c.min_liquid > 0:
        cons.append(cp.sum(x[np.flatnonzero(c.liquid)]) >= c.min_liquid)
    if c.growth.any():
        cons += [
            cp.sum(x[np.flatnonzero(c.growth)]) <= c.max_growth,
            cp.sum(x[np.flatnonzero(c.growth)]) >= c.min_growth,
        ]
    if objective == "variance":
        goal = cp.quad_form(x, cp.psd_wrap(target))
    else:
        goal = cp.sum_squares(x - target)
    cp.Problem(cp.Minimize(goal), cons).solve(
        solver="CLARABEL", tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12
    )
    return np.asarray(x.value)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_min_variance_fast_path_equals_cvxpy(seed: int) -> None:
    from finloom.apps.advisor._optimise import _ledoit_wolf

    g = np.random.default_rng(seed)
    n = 20
    factor = g.normal(0, 0.01, (504, 1)) @ g.uniform(0.2, 1.5, (1, n))
    rets = pd.DataFrame(factor + g.normal(0, 0.01, (504, n)) * g.uniform(0.3, 2.0, n))
    limits = Constraints(
        max_weight=0.15,
        min_liquid=0.4,
        max_growth=0.5,
        min_growth=0.2,
        liquid=g.random(n) < 0.5,
        growth=g.random(n) < 0.5,
    )
    w = optimise(rets, "min_variance", limits).to_numpy()
    ref = _cvxpy_reference("variance", _ledoit_wolf(rets).to_numpy(), limits)
    assert np.abs(w - ref).max() < 1e-6
    assert limits.violations(w) == []


def test_projection_equals_cvxpy() -> None:
    from finloom.apps.advisor import project

    w = np.random.default_rng(4).dirichlet(np.ones(6) * 0.3)
    ref = _cvxpy_reference("distance", w, LIMITS)
    assert np.abs(project(w, LIMITS) - ref).max() < 1e-6


def test_ledoit_wolf_equals_scikit_learn() -> None:
    from sklearn.covariance import ledoit_wolf

    from finloom.apps.advisor._optimise import ledoit_wolf_cov

    x = _returns(8, seed=3).to_numpy()
    assert np.allclose(ledoit_wolf_cov(x), ledoit_wolf(x)[0], rtol=1e-10, atol=1e-16)
