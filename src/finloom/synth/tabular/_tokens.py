"""Column tokens for the autoregressive synthesizer: one integer per cell.

Discrete columns use their plan codes. Continuous columns use null, spike values and ``bins``
equal-mass bins of the other values; decoding draws inside a bin from ``sub`` quantiles per
bin, so the marginal is reproduced closely and then snapped to the column's grid.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from finloom.data import ColumnKind
from finloom.synth.tabular._columns import CONTINUOUS, ColumnPlan, TablePlan

__all__ = ["Tokenizer"]

_SUB = 8  # quantile knots per bin
MIN_CALIBRATE = 200  # fewest binned values of a column in one batch for the quantile calibration


class Tokenizer:
    """Map split columns to tokens and back.

    Examples
    --------
    >>> import pandas as pd
    >>> from finloom.data import Metadata
    >>> df = pd.DataFrame({"x": np.arange(500.0), "c": ["a", "b"] * 250})
    >>> plan = TablePlan.fit(df, Metadata.infer(df))
    >>> tok = Tokenizer(plan, bins=10).fit(plan.split(df))
    >>> t = tok.encode(plan.split(df))
    >>> tok.sizes, int(t[:, 0].max())
    ([10, 2], 9)
    >>> back = tok.decode(t, np.random.default_rng(0))
    >>> bool(np.abs(back["x"] - df["x"]).max() <= 51)
    True
    """

    def __init__(self, plan: TablePlan, *, bins: int = 64) -> None:
        self.plan = plan
        self.bins = bins
        self.knots: dict[str, list[float]] = {}

    @property
    def columns(self) -> list[ColumnPlan]:
        return self.plan.modelled

    def _specials(self, col: ColumnPlan) -> list[float]:
        return ([np.nan] if col.has_null else []) + [float(v) for v in col.values]

    def fit(self, parts: dict[str, np.ndarray]) -> Tokenizer:
        for col in self.columns:
            if col.role != CONTINUOUS:
                continue
            x = parts[col.name]
            rest = x[~np.isnan(x)]
            rest = rest[~np.isin(rest, col.values)] if col.values else rest
            if len(rest) == 0:
                rest = np.array([col.low])
            knots = np.quantile(rest, np.linspace(0, 1, self.bins * _SUB + 1))
            self.knots[col.name] = knots.tolist()
        return self

    @property
    def sizes(self) -> list[int]:
        """Vocabulary size of each column."""
        return [len(self._specials(c)) + self.bins if c.role == CONTINUOUS else max(c.n_codes, 1)
                for c in self.columns]

    def encode(self, parts: dict[str, np.ndarray]) -> np.ndarray:
        """(n, n_columns) int64 tokens."""
        n = len(next(iter(parts.values()))) if parts else 0
        out = np.zeros((n, len(self.columns)), dtype=np.int64)
        for j, col in enumerate(self.columns):
            x = parts[col.name]
            if col.role != CONTINUOUS:
                out[:, j] = x
                continue
            specials = self._specials(col)
            edges = np.asarray(self.knots[col.name])[_SUB::_SUB][:-1]  # (bins - 1,) inner edges
            tok = len(specials) + np.minimum(np.searchsorted(edges, x, "right"), self.bins - 1)
            if col.has_null:
                tok = np.where(np.isnan(x), 0, tok)
            for i, v in enumerate(col.values):
                tok = np.where(x == v, int(col.has_null) + i, tok)
            out[:, j] = tok
        return out

    def decode(self, tokens: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
        parts: dict[str, np.ndarray] = {}
        for j, col in enumerate(self.columns):
            tok = tokens[:, j]
            if col.role != CONTINUOUS:
                parts[col.name] = tok
                continue
            specials = np.asarray(self._specials(col), dtype=float)
            knots = np.asarray(self.knots[col.name])
            b = np.clip(tok - len(specials), 0, self.bins - 1)
            pos = (b + rng.random(len(tok))) * _SUB  # position in knot index space
            i = np.minimum(pos.astype(np.int64), len(knots) - 2)
            value = knots[i] + (pos - i) * (knots[i + 1] - knots[i])
            is_special = tok < len(specials)
            value[is_special] = specials[tok[is_special]]
            parts[col.name] = value
        return parts

    def calibrate(self, parts: dict[str, np.ndarray], tokens: np.ndarray) -> dict[str, np.ndarray]:
        """Map the binned values of each continuous column to the training quantiles, keeping their ranks.

        Only cells drawn from a bin move (nulls and spike values keep theirs); the i-th smallest
        of ``m`` such values becomes the training quantile ``(i + 0.5) / m`` of the column's
        non-spike values, so the batch's marginal matches the training one while the row order
        of every column, hence the dependence the model sampled, is unchanged. Columns with
        fewer than ``MIN_CALIBRATE`` binned cells in the batch are left as they are. Returns
        new arrays; ``parts`` is not modified.
        """
        out = dict(parts)
        for j, col in enumerate(self.columns):
            if col.role != CONTINUOUS:
                continue
            binned = tokens[:, j] >= len(self._specials(col))
            m = int(binned.sum())
            if m < MIN_CALIBRATE:
                continue
            knots = np.asarray(self.knots[col.name])
            x = parts[col.name].astype(float)  # a copy
            ranks = np.argsort(np.argsort(x[binned], kind="stable"), kind="stable")
            x[binned] = np.interp((ranks + 0.5) / m, np.linspace(0.0, 1.0, len(knots)), knots)
            out[col.name] = x
        return out

    def rank_scores(self, parts: dict[str, np.ndarray], tokens: np.ndarray) -> list[list[float]]:
        """Per column, each token's mean normal score of the training values it holds.

        Ordered columns (continuous, numerical or datetime codes, ordered categoricals) get the
        mean of ``ndtri((rank + 0.5) / n)`` over the rows of each token, so tokens next to each
        other in value get close scores; nulls, unseen tokens and unordered columns get 0.
        """
        out = []
        for j, col in enumerate(self.columns):
            size = self.sizes[j]
            ordered = col.role == CONTINUOUS or col.ordered or (
                col.categories is None and col.source_kind in (ColumnKind.NUMERICAL, ColumnKind.DATETIME))
            if not ordered or len(tokens) == 0:
                out.append([0.0] * size)
                continue
            x = parts[col.name].astype(float)
            if col.role != CONTINUOUS:
                x = np.where(x >= len(col.values), np.nan, x)  # the null code
            seen = ~np.isnan(x)
            z = np.zeros(len(x))
            ranks = np.argsort(np.argsort(x[seen], kind="stable"), kind="stable")
            z[seen] = special.ndtri((ranks + 0.5) / max(seen.sum(), 1))
            tok = tokens[:, j]
            sums = np.bincount(tok[seen], weights=z[seen], minlength=size)
            counts = np.bincount(tok[seen], minlength=size)
            out.append((sums / np.maximum(counts, 1)).tolist())
        return out

    def state(self) -> dict[str, Any]:
        return {"bins": self.bins, "knots": self.knots}

    @classmethod
    def from_state(cls, plan: TablePlan, state: dict[str, Any]) -> Tokenizer:
        tok = cls(plan, bins=state["bins"])
        tok.knots = state["knots"]
        return tok
