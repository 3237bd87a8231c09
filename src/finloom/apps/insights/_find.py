"""Run every candidate generator on a table, control false discoveries, rank what is left."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom.apps.insights import _cross, _time
from finloom.apps.insights._roles import Roles, infer_roles, prepare_frame
from finloom.apps.insights._stats import Candidate, benjamini_hochberg
from finloom.data import Metadata
from finloom.errors import ConfigError

__all__ = ["InsightSet", "find_insights", "rank"]

MIN_EFFECT = 0.2  # Cohen's d below this is too small to tell anyone, however significant
_TIME_FAMILY = {"trend": "time", "trend_break": "time"}


@dataclass
class InsightSet:
    """The ranked insights of one table, and what was tested to find them.

    Examples
    --------
    >>> InsightSet(Roles(measures=("x",)), [], n_candidates=12, n_rows=100).empty
    True
    """

    roles: Roles
    insights: list[Candidate]
    n_candidates: int
    n_rows: int
    alpha: float = 0.05
    grain: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list, repr=False)

    @property
    def empty(self) -> bool:
        """True when nothing passed the false-discovery control: the data shows no clear structure."""
        return not self.insights

    def to_dict(self) -> dict[str, Any]:
        """JSON-able view."""
        return {
            "roles": self.roles.to_dict(),
            "n_candidates": self.n_candidates,
            "n_rows": self.n_rows,
            "alpha": self.alpha,
            "grain": self.grain,
            "filters": dict(self.filters),
            "insights": [c.to_dict() for c in self.insights],
        }


def _score(c: Candidate) -> float:
    sure = min(-math.log10(max(c.q_value, 1e-300)), 10.0) / 10.0
    return sure * min(c.effect, 2.0) / 2.0 * (0.5 + 0.5 * min(c.coverage, 1.0))


def rank(candidates: Sequence[Candidate], *, alpha: float = 0.05, top: int = 10) -> list[Candidate]:
    """Benjamini–Hochberg over all candidates, then the ones with q <= alpha and a visible
    effect, scored by significance × effect × coverage, one per subject, best first.

    Examples
    --------
    >>> cs = [Candidate("segment", "y", 1e-9, 1.0, 0.2), Candidate("segment", "x", 0.4, 1.0, 0.2)]
    >>> [c.measure for c in rank(cs)]
    ['y']
    """
    candidates = list(candidates)
    for c, q in zip(candidates, benjamini_hochberg([c.p_value for c in candidates]), strict=True):
        c.q_value = float(q)
        c.score = _score(c)
    kept = _best_time_model(
        [c for c in candidates if c.q_value <= alpha and c.effect >= MIN_EFFECT]
    )
    kept.sort(key=lambda c: c.score, reverse=True)
    out: list[Candidate] = []
    seen: set[tuple[Any, ...]] = set()
    for c in kept:
        key = (_TIME_FAMILY.get(c.kind, c.kind), c.measure, c.dimension or c.other)
        if key in seen or _repeats(c, out):
            continue
        seen.add(key)
        out.append(c)
    return out[:top]


def _best_time_model(kept: list[Candidate]) -> list[Candidate]:
    """Of a series' significant trend and trend break, keep the one that fits its periods better."""
    best: dict[str, Candidate] = {}
    for c in kept:
        if c.kind in _TIME_FAMILY and c.fit_error is not None:
            other = best.get(c.measure)
            if other is None or c.fit_error < (other.fit_error or 0.0):
                best[c.measure] = c
    return [c for c in kept if c.kind not in _TIME_FAMILY or best.get(c.measure) is c]


def _repeats(c: Candidate, chosen: list[Candidate]) -> bool:
    """A period change that only restates an anomaly or a break already chosen for that period."""
    if c.kind != "period_change":
        return False
    return any(
        o.measure == c.measure
        and o.period
        and c.period
        and o.period[1] >= c.period[0]
        and o.kind in ("anomaly", "trend_break")
        and o.direction == c.direction
        for o in chosen
    )


def _check_options(alpha: float, top: int, min_support: float) -> None:
    if not 0 < alpha < 1:
        raise ConfigError(f"alpha must be between 0 and 1; got {alpha}. Use 0.05.")
    if top < 1:
        raise ConfigError(f"top must be at least 1; got {top}. Use 10.")
    if not 0 < min_support < 0.5:
        raise ConfigError(f"min_support must be between 0 and 0.5; got {min_support}. Use 0.05.")


def find_insights(
    df: pd.DataFrame,
    metadata: Metadata | None = None,
    *,
    measures: Sequence[str] | None = None,
    time: str | None = None,
    dimensions: Sequence[str] | None = None,
    target: str | None = None,
    alpha: float = 0.05,
    top: int = 10,
    min_support: float = 0.05,
    seed: int = 0,
    progress: ProgressCallback = noop_progress,
) -> InsightSet:
    """Find, test and rank insights in ``df`` (roles given or inferred from ``metadata``).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> df = pd.DataFrame({"region": rng.choice(["N", "S", "E"], 600), "amount": rng.normal(100, 10, 600)})
    >>> df.loc[df.region == "N", "amount"] += 15
    >>> found = find_insights(df)
    >>> [(c.kind, c.dimension, c.value) for c in found.insights]
    [('segment', 'region', 'N')]
    >>> find_insights(df.assign(amount=rng.normal(100, 10, 600))).empty
    True
    """
    _check_options(alpha, top, min_support)
    roles = infer_roles(
        df, metadata, measures=measures, time=time, dimensions=dimensions, target=target
    )
    data = prepare_frame(df, roles)
    progress(0.1, "roles: " + ", ".join(f"{k}={v}" for k, v in roles.to_dict().items() if v))
    candidates: list[Candidate] = []
    grain = None
    if roles.time and data[roles.time].notna().sum() >= 10:
        periods = _time.make_periods(data[roles.time])
        grain = periods.grain
        found, flagged = _time.anomalies(data, roles, periods)
        candidates += found
        progress(0.25, "anomalies tested")
        candidates += _time.trend_breaks(data, roles, periods, flagged)
        candidates += _time.period_change(data, roles, periods)
        progress(0.4, "trends tested")
        candidates += _time.contributors(data, roles, periods)
        progress(0.55, "changes decomposed")
    candidates += _cross.segments(data, roles, min_support=min_support)
    progress(0.7, "segments tested")
    candidates += _cross.drivers(data, roles, seed=seed)
    progress(0.85, "drivers tested")
    candidates += _cross.correlations(data, roles, seed=seed)
    insights = rank(candidates, alpha=alpha, top=top)
    progress(1.0, f"{len(insights)} insight(s) from {len(candidates)} candidates")
    return InsightSet(
        roles, insights, len(candidates), len(df), alpha, grain, candidates=candidates
    )
