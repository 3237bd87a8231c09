"""The A/B planner and analyser agree with statsmodels; peeking is warned about."""

from __future__ import annotations

import math

import pytest

from finloom.apps.marketing import (
    analyse_test,
    minimum_detectable_effect,
    peeking_error_rate,
    plan_test,
)
from finloom.errors import ConfigError

sm_power = pytest.importorskip("statsmodels.stats.power")
sm_prop = pytest.importorskip("statsmodels.stats.proportion")


@pytest.mark.parametrize(("p1", "p2", "alpha", "power", "ratio"), [
    (0.10, 0.12, 0.05, 0.8, 1.0), (0.03, 0.04, 0.05, 0.9, 1.0), (0.20, 0.15, 0.01, 0.8, 2.0),
])
def test_sample_size_matches_statsmodels(p1, p2, alpha, power, ratio):
    h = sm_prop.proportion_effectsize(p2, p1)
    n_sm = sm_power.NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=ratio)
    plan = plan_test(p1, target=p2, alpha=alpha, power=power, ratio=ratio)
    assert abs(plan.n_control - math.ceil(n_sm)) <= 1
    assert plan.n_treatment == math.ceil(plan.n_control * ratio - 1e-9)


def test_mde_inverts_the_sample_size():
    plan = plan_test(0.05, mde=0.01)
    assert minimum_detectable_effect(0.05, plan.n_control) == pytest.approx(0.01, abs=2e-4)
    assert minimum_detectable_effect(0.05, 4 * plan.n_control) < 0.006  # 4x the size: about half the effect


def test_analysis_matches_the_statsmodels_z_test():
    r = analyse_test(120, 2400, 156, 2400)
    z, p = sm_prop.proportions_ztest([156, 120], [2400, 2400])
    assert r.z == pytest.approx(z) and r.p_value == pytest.approx(p)
    low, high = sm_prop.confint_proportions_2indep(156, 2400, 120, 2400, method="wald")
    assert (r.ci_low, r.ci_high) == pytest.approx((low, high))
    assert r.difference == pytest.approx(0.015) and r.significant and r.warnings == []


def test_peeking_warns_and_judges_at_the_adjusted_alpha():
    r = analyse_test(100, 1000, 130, 1000, looks=5)
    assert not r.significant  # p = 0.036 is not below 0.05 / 5
    assert "looked at 5 times" in r.warnings[0] and "0.0100" in r.warnings[0]
    assert 0.12 < peeking_error_rate(5) < 0.17  # Armitage et al.: about 14% for 5 looks at 5%


def test_bad_plans_are_refused():
    with pytest.raises(ConfigError, match="target or mde must be given"):
        plan_test(0.1)
    with pytest.raises(ConfigError, match="baseline must be a rate strictly between 0 and 1"):
        plan_test(1.5, mde=0.1)
    with pytest.raises(ConfigError, match="treatment conversions must be an int between 0 and its size 10"):
        analyse_test(1, 10, 11, 10)
    with pytest.raises(ConfigError, match="too small to detect"):  # would need ~1e20 customers per arm
        plan_test(0.5, target=0.5000000001)
