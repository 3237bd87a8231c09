"""Points scaling: a score of ``base_score`` at good:bad odds ``base_odds``; ``pdo`` points double the odds."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["PointsScale"]


@dataclass(frozen=True)
class PointsScale:
    """Score = offset + factor · ln(odds of good) = offset − factor · logit(P(bad)).

    Examples
    --------
    >>> s = PointsScale(base_score=600, pdo=20, base_odds=50)
    >>> round(s.factor, 4), round(s.offset, 4)
    (28.8539, 487.1229)
    >>> round(float(s.score_from_logit(np.array([-math.log(50)]))[0]), 6)
    600.0
    >>> round(float(s.score_from_logit(np.array([-math.log(100)]))[0]), 6)
    620.0
    """

    base_score: float = 600.0
    pdo: float = 20.0
    base_odds: float = 50.0

    @property
    def factor(self) -> float:
        """Points per unit of log-odds."""
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        """The score at even odds (1:1)."""
        return self.base_score - self.factor * math.log(self.base_odds)

    def score_from_logit(self, logit_bad: np.ndarray) -> np.ndarray:
        """Scores from log-odds of being bad."""
        return self.offset - self.factor * np.asarray(logit_bad, dtype=float)

    def pd_from_score(self, score: np.ndarray) -> np.ndarray:
        """Probability of default that a score stands for."""
        logit = (self.offset - np.asarray(score, dtype=float)) / self.factor
        return 1.0 / (1.0 + np.exp(-logit))

    def validate(self, owner: str) -> None:
        """Refuse a scale that cannot work (PDO or odds not positive)."""
        from finloom._base import validate_param

        validate_param(owner, "pdo", self.pdo, lambda v: v > 0, "a positive number")
        validate_param(owner, "base_odds", self.base_odds, lambda v: v > 0, "a positive number")
