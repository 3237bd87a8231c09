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
