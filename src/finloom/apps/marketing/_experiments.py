"""A/B tests of two conversion rates: the planner (sample size, minimum detectable effect) and the
analyser (difference with a confidence interval, p-value, and a warning when results were peeked at).

The planner uses Cohen's arcsine effect size ``h = 2·asin(√p2) − 2·asin(√p1)`` with the normal
approximation (as statsmodels' ``NormalIndPower`` with ``proportion_effectsize``); the analyser uses
the pooled two-proportion z-test (as ``proportions_ztest``) and the unpooled Wald interval.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from scipy.stats import norm

from finloom.errors import ConfigError

__all__ = ["ABPlan", "ABResult", "analyse_test", "minimum_detectable_effect", "peeking_error_rate", "plan_test"]


_MAX_ARM = 1e12  # more customers per arm than any bank has


def _check_rate(name: str, value: float) -> None:
    if not (isinstance(value, int | float) and 0 < value < 1):
        raise ConfigError(f"{name} must be a rate strictly between 0 and 1; got {value!r}. E.g. {name}=0.05.")


def _check_alpha_power(alpha: float, power: float) -> None:
    if not 0 < alpha < 0.5:
        raise ConfigError(f"alpha must be in (0, 0.5); got {alpha!r}. The usual value is 0.05.")
    if not 0.5 <= power < 1:
        raise ConfigError(f"power must be in [0.5, 1); got {power!r}. The usual value is 0.8.")


def _z(alpha: float, two_sided: bool) -> float:
    return float(norm.ppf(1 - alpha / 2 if two_sided else 1 - alpha))


@dataclass(frozen=True)
class ABPlan:
    """How many customers each arm needs to detect ``baseline → target`` at ``alpha`` and ``power``."""

    baseline: float
    target: float
    alpha: float
    power: float
    ratio: float
    n_control: int
    n_treatment: int
    effect_size_h: float

    @property
    def total(self) -> int:
        """Both arms together."""
        return self.n_control + self.n_treatment

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return {**asdict(self), "total": self.total}


def plan_test(baseline: float, *, target: float | None = None, mde: float | None = None, alpha: float = 0.05,
              power: float = 0.8, ratio: float = 1.0, two_sided: bool = True) -> ABPlan:
    """Sample size per arm for a change of conversion from ``baseline`` to ``target`` (or by ``mde``).

    Parameters
    ----------
    baseline : control conversion rate.
    target, mde : the treatment rate, or the absolute lift ``target - baseline``; give one.
    alpha, power : type I error and probability of detecting the effect.
    ratio : treatment size over control size.

    Examples
    --------
    >>> plan = plan_test(0.10, mde=0.02)
    >>> plan.n_control, plan.n_treatment
    (3835, 3835)
    >>> plan_test(0.10)
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: target or mde must be given (the change to detect); got neither. E.g. mde=0.01 for one percentage point.
    """
    _check_rate("baseline", baseline)
    _check_alpha_power(alpha, power)
    if (target is None) == (mde is None):
        got = "both" if target is not None else "neither"
        raise ConfigError(f"target or mde must be given (the change to detect); got {got}. "
                          "E.g. mde=0.01 for one percentage point.")
    goal = float(target) if target is not None else float(baseline) + float(mde or 0.0)
    _check_rate("target", goal)
    if goal == baseline:
        raise ConfigError("target must differ from baseline; got the same rate. Give a non-zero mde.")
    if not 0.01 <= ratio <= 100:
        raise ConfigError(f"ratio must be in [0.01, 100] (treatment over control size); got {ratio!r}.")
    h = 2 * math.asin(math.sqrt(goal)) - 2 * math.asin(math.sqrt(baseline))
    n1 = ((_z(alpha, two_sided) + float(norm.ppf(power))) / abs(h)) ** 2 * (1 + 1 / ratio) if h else math.inf
    if not n1 <= _MAX_ARM:
        raise ConfigError(f"the change from {baseline!r} to {goal!r} is too small to detect: it needs more than "
                          f"{_MAX_ARM:.0e} customers per arm. Give a larger mde or target.")
    n_control = math.ceil(n1 - 1e-9)
    return ABPlan(float(baseline), goal, alpha, power, ratio, n_control, math.ceil(n_control * ratio - 1e-9), h)


def minimum_detectable_effect(baseline: float, n_control: int, *, alpha: float = 0.05, power: float = 0.8,
                              ratio: float = 1.0, two_sided: bool = True) -> float:
    """Smallest absolute rise of conversion over ``baseline`` detectable with ``n_control`` per arm.

    Examples
    --------
    >>> round(minimum_detectable_effect(0.10, 3835), 4)
    0.02
    """
    _check_rate("baseline", baseline)
    _check_alpha_power(alpha, power)
    if not isinstance(n_control, int) or n_control < 2:
        raise ConfigError(f"n_control must be an int >= 2; got {n_control!r}.")
    if not 0.01 <= ratio <= 100:
        raise ConfigError(f"ratio must be in [0.01, 100] (treatment over control size); got {ratio!r}.")
    h = (_z(alpha, two_sided) + float(norm.ppf(power))) * math.sqrt((1 + 1 / ratio) / n_control)
    angle = math.asin(math.sqrt(baseline)) + h / 2
    if angle >= math.pi / 2:
        return 1.0 - baseline
    return math.sin(angle) ** 2 - baseline


def peeking_error_rate(looks: int, alpha: float = 0.05, *, sims: int = 20_000, seed: int = 0) -> float:
    """Chance of a false positive when a null test is checked ``looks`` times (equally spaced) at
    the nominal two-sided ``alpha`` and stopped at the first significant look (simulated).

    Examples
    --------
    >>> peeking_error_rate(1) < 0.06 < peeking_error_rate(5)
    True
    """
    if not isinstance(looks, int) or looks < 1:
        raise ConfigError(f"looks must be an int >= 1; got {looks!r}.")
    rng = np.random.default_rng(seed)
    paths = rng.standard_normal((sims, looks)).cumsum(axis=1)  # sums of equal blocks under the null
    z = paths / np.sqrt(np.arange(1, looks + 1))
    return float((np.abs(z) > _z(alpha, True)).any(axis=1).mean())


@dataclass(frozen=True)
class ABResult:
    """Observed conversions of both arms, their difference with a confidence interval, and warnings."""

    rate_control: float
    rate_treatment: float
    difference: float
    ci_low: float
    ci_high: float
    relative_lift: float | None
    z: float
    p_value: float
    alpha: float
    significant: bool
    looks: int
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form."""
        return asdict(self)


def _check_counts(name: str, conversions: int, n: int) -> None:
    if not isinstance(n, int) or n < 1:
        raise ConfigError(f"{name} size must be an int >= 1; got {n!r}.")
    if not isinstance(conversions, int) or not 0 <= conversions <= n:
        raise ConfigError(f"{name} conversions must be an int between 0 and its size {n}; got {conversions!r}.")


def analyse_test(conv_control: int, n_control: int, conv_treatment: int, n_treatment: int, *,
                 alpha: float = 0.05, looks: int = 1) -> ABResult:
    """Compare two conversion rates: treatment − control with a ``1 − alpha`` Wald interval and the
    pooled z-test's two-sided p-value; ``looks > 1`` (results checked before the planned end) adds a
    warning with the inflated false-positive rate and a Bonferroni-adjusted alpha.

    Examples
    --------
    >>> r = analyse_test(100, 1000, 130, 1000)
    >>> round(r.difference, 3), round(r.p_value, 4), r.significant
    (0.03, 0.0355, True)
    >>> analyse_test(100, 1000, 130, 1000, looks=4).warnings[0][:40]
    'The results were looked at 4 times: stop'
    """
    _check_counts("control", conv_control, n_control)
    _check_counts("treatment", conv_treatment, n_treatment)
    _check_alpha_power(alpha, 0.8)
    if not isinstance(looks, int) or looks < 1:
        raise ConfigError(f"looks must be an int >= 1 (how many times results were checked); got {looks!r}.")
    pa, pb = conv_control / n_control, conv_treatment / n_treatment
    diff = pb - pa
    se = math.sqrt(pa * (1 - pa) / n_control + pb * (1 - pb) / n_treatment)
    zc = _z(alpha, True)
    pooled = (conv_control + conv_treatment) / (n_control + n_treatment)
    se0 = math.sqrt(pooled * (1 - pooled) * (1 / n_control + 1 / n_treatment))
    z = diff / se0 if se0 > 0 else 0.0
    p_value = float(2 * norm.sf(abs(z))) if se0 > 0 else 1.0
    warnings: list[str] = []
    significant = p_value < alpha
    if looks > 1:
        inflated = peeking_error_rate(looks, alpha)
        adjusted = alpha / looks
        significant = p_value < adjusted
        warnings.append(
            f"The results were looked at {looks} times: stopping at the first significant look raises the "
            f"false-positive rate from {alpha:.0%} to about {inflated:.1%}. Judge significance at the "
            f"Bonferroni-adjusted alpha {adjusted:.4f} (or plan a sequential design with a spending boundary)."
        )
    if min(conv_control, n_control - conv_control, conv_treatment, n_treatment - conv_treatment) < 5:
        warnings.append("Fewer than 5 conversions or non-conversions in an arm: the normal approximation is rough.")
    return ABResult(pa, pb, diff, diff - zc * se, diff + zc * se, diff / pa if pa > 0 else None,
                      float(z), p_value, alpha, significant, looks, warnings)
