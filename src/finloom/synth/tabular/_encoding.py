"""Matrix encoding for neural synthesizers: mode-specific normalisation and one-hot blocks.

Every modelled column becomes one *block*: discrete columns a one-hot over their codes (null
included); continuous columns a scalar in [-1, 1] followed by a one-hot over "modes" = null,
spikes (point masses such as 0 or round amounts) and the components of a variational Bayesian
Gaussian mixture (``numerical="gmm"``) or one quantile-normalised component (``"quantile"``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special, stats

from finloom.synth.tabular._columns import CONTINUOUS, ColumnPlan, TablePlan

__all__ = ["Block", "TableEncoder"]

_N_KNOTS = 1001
_STD_SCALE = 4.0  # CTGAN: normalised value = (x - mean) / (4 std)


@dataclass(frozen=True)
class Block:
    """Position of one column in the encoded matrix."""

    name: str
    start: int  # first column of the block
    scalar: bool  # True: a scalar at ``start``, then the one-hot
    width: int  # width of the one-hot part

    @property
    def onehot_start(self) -> int:
        return self.start + int(self.scalar)

    @property
    def end(self) -> int:
        return self.onehot_start + self.width


def _fit_modes(values: np.ndarray, numerical: str, rng: np.random.Generator) -> dict[str, Any]:
    if len(values) < 2 or np.ptp(values) == 0:
        center = float(values.mean()) if len(values) else 0.0
        return {"means": [center], "stds": [1.0], "weights": [1.0]}
    if numerical == "quantile":
        knots = np.quantile(values, np.linspace(0, 1, _N_KNOTS))
        return {"knots": knots.tolist()}
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.mixture import BayesianGaussianMixture

    sub = values if len(values) <= 5000 else rng.choice(values, 5000, replace=False)
    n_comp = int(min(10, len(np.unique(sub))))
    gmm = BayesianGaussianMixture(
        n_components=n_comp, weight_concentration_prior_type="dirichlet_process",
        weight_concentration_prior=1e-3, max_iter=100, n_init=1,
        random_state=int(rng.integers(2**31 - 1)),
    )
    with warnings.catch_warnings():  # a capped max_iter is intended: modes only need to be rough
        warnings.simplefilter("ignore", ConvergenceWarning)
        gmm.fit(sub.reshape(-1, 1))
    keep = gmm.weights_ > 0.005
    stds = np.sqrt(gmm.covariances_.reshape(-1))[keep]
    return {
        "means": gmm.means_.reshape(-1)[keep].tolist(),
        "stds": np.maximum(stds, 1e-6 * (np.ptp(values) + 1)).tolist(),
        "weights": (gmm.weights_[keep] / gmm.weights_[keep].sum()).tolist(),
    }


def _n_components(modes: dict[str, Any]) -> int:
    return 1 if "knots" in modes else len(modes["means"])


class TableEncoder:
    """Encode a table into a float matrix of blocks and decode model output back to a table.

    Examples
    --------
    >>> import pandas as pd
    >>> from finloom.data import Metadata
    >>> df = pd.DataFrame({"x": np.arange(300.0) ** 1.5, "c": ["a", "b", "c"] * 100})
    >>> enc = TableEncoder(numerical="quantile").fit(df, Metadata.infer(df), random_state=0)
    >>> m = enc.encode(df, random_state=0)
    >>> m.shape[0], enc.blocks[1].width
    (300, 3)
    >>> back = enc.decode(m)
    >>> bool((back["c"] == df["c"]).all()), float((back["x"] - df["x"]).abs().max()) < 50
    (True, True)
    """

    def __init__(self, *, numerical: str = "gmm", max_discrete: int = 100) -> None:
        self.numerical = numerical
        self.max_discrete = max_discrete

    def fit(self, df: Any, metadata: Any, *, random_state: Any = None) -> TableEncoder:
        rng = np.random.default_rng(random_state)
        self.plan = TablePlan.fit(df, metadata, max_discrete=self.max_discrete)
        parts = self.plan.split(df)
        self.modes: dict[str, dict[str, Any]] = {}
        for col in self.plan.modelled:
            if col.role == CONTINUOUS:
                rest = _continuous_rest(parts[col.name], col)
                self.modes[col.name] = _fit_modes(rest, self.numerical, rng)
        self._build_blocks()
        return self

    def _build_blocks(self) -> None:
        self.blocks: list[Block] = []
        start = 0
        for col in self.plan.modelled:
            if col.role == CONTINUOUS:
                width = int(col.has_null) + len(col.values) + _n_components(self.modes[col.name])
                block = Block(col.name, start, True, width)
            else:
                block = Block(col.name, start, False, max(col.n_codes, 1))
            self.blocks.append(block)
            start = block.end
        self.width = start

    def state(self) -> dict[str, Any]:
        return {"numerical": self.numerical, "max_discrete": self.max_discrete,
                "plan": self.plan.to_dict(), "modes": self.modes}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TableEncoder:
        enc = cls(numerical=state["numerical"], max_discrete=state["max_discrete"])
        enc.plan = TablePlan.from_dict(state["plan"])
        enc.modes = state["modes"]
        enc._build_blocks()
        return enc

    def encode(self, df: Any, *, random_state: Any = None) -> np.ndarray:
        """Return the (n, width) float32 matrix; GMM modes are sampled from their posterior."""
        rng = np.random.default_rng(random_state)
        parts = self.plan.split(df)
        out = np.zeros((len(df), self.width), dtype=np.float32)
        rows = np.arange(len(df))
        for block in self.blocks:
            col = self.plan.column(block.name)
            if not block.scalar:
                out[rows, block.start + np.minimum(parts[col.name], block.width - 1)] = 1.0
                continue
            mode, scalar = self._encode_continuous(parts[col.name], col, rng)
            out[:, block.start] = scalar
            out[rows, block.onehot_start + mode] = 1.0
        return out

    def _encode_continuous(
        self, x: np.ndarray, col: ColumnPlan, rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        n_special = int(col.has_null) + len(col.values)
        mode = np.full(len(x), -1, dtype=np.int64)
        if col.has_null:
            mode[np.isnan(x)] = 0
        for i, v in enumerate(col.values):
            mode[x == v] = int(col.has_null) + i
        free = mode < 0
        scalar = np.zeros(len(x), dtype=np.float64)
        comp, scalar[free] = self._normalise(x[free], self.modes[col.name], rng)
        mode[free] = n_special + comp
        return mode, scalar

    def _normalise(
        self, x: np.ndarray, modes: dict[str, Any], rng: np.random.Generator
    ) -> tuple[np.ndarray, np.ndarray]:
        if "knots" in modes:
            u = np.interp(x, modes["knots"], np.linspace(0, 1, _N_KNOTS))
            z = stats.norm.ppf(np.clip(u, 1e-4, 1 - 1e-4)) / _STD_SCALE
            return np.zeros(len(x), dtype=np.int64), z
        means, stds = np.asarray(modes["means"]), np.asarray(modes["stds"])
        logp = np.log(modes["weights"]) + stats.norm.logpdf(x[:, None], means, stds)
        prob = special.softmax(logp, axis=1)
        comp = (prob.cumsum(axis=1) < rng.random((len(x), 1))).sum(axis=1)
        comp = np.minimum(comp, len(means) - 1)
        z = np.clip((x - means[comp]) / (_STD_SCALE * stds[comp]), -0.99, 0.99)
        return comp, z

    def decode(self, matrix: np.ndarray) -> Any:
        """Turn model output (scalars + one-hot or probability blocks) into a table (argmax)."""
        parts: dict[str, np.ndarray] = {}
        for block in self.blocks:
            col = self.plan.column(block.name)
            code = matrix[:, block.onehot_start : block.end].argmax(axis=1)
            if not block.scalar:
                parts[col.name] = code
                continue
            parts[col.name] = self._decode_continuous(code, matrix[:, block.start], col)
        return self.plan.merge(parts, n=len(matrix))

    def _decode_continuous(self, mode: np.ndarray, scalar: np.ndarray, col: ColumnPlan) -> np.ndarray:
        special_values = ([np.nan] if col.has_null else []) + list(col.values)
        n_special = len(special_values)
        out = np.empty(len(mode), dtype=np.float64)
        is_special = mode < n_special
        out[is_special] = np.asarray(special_values, dtype=float)[mode[is_special]]
        free = ~is_special
        modes = self.modes[col.name]
        s = np.clip(scalar[free].astype(np.float64), -1.0, 1.0)
        if "knots" in modes:
            u = stats.norm.cdf(s * _STD_SCALE)
            out[free] = np.interp(u, np.linspace(0, 1, _N_KNOTS), modes["knots"])
        else:
            comp = mode[free] - n_special
            out[free] = s * _STD_SCALE * np.asarray(modes["stds"])[comp] + np.asarray(modes["means"])[comp]
        return out


def _continuous_rest(x: np.ndarray, col: ColumnPlan) -> np.ndarray:
    """Non-null values of a continuous column that are not spikes."""
    rest = x[~np.isnan(x)]
    if col.values:
        rest = rest[~np.isin(rest, col.values)]
    return rest
