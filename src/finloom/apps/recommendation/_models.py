"""Collaborative recommenders: popularity, item-kNN (cosine on the holdings matrix) and implicit ALS."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from finloom._optional import require
from finloom.apps.recommendation._base import Recommender
from finloom.errors import ConfigError

__all__ = ["ALSRecommender", "ItemKNNRecommender", "PopularityRecommender", "cosine_similarity"]


def cosine_similarity(X: np.ndarray, *, shrink: float = 0.0) -> np.ndarray:
    """Item × item cosine similarity of a 0/1 holdings matrix, diagonal zero; ``shrink`` damps rare pairs.

    Examples
    --------
    >>> X = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 0]], dtype=float)
    >>> cosine_similarity(X).round(3).tolist()
    [[0.0, 0.816, 0.577], [0.816, 0.0, 0.0], [0.577, 0.0, 0.0]]
    """
    co = X.T @ X
    norms = np.sqrt(np.diag(co))
    denom = np.outer(norms, norms) + shrink
    sim = np.divide(co, denom, out=np.zeros_like(co), where=denom > 0)
    np.fill_diagonal(sim, 0.0)
    return sim


class PopularityRecommender(Recommender):
    """The share of customers holding each product, the same for everyone (the baseline).

    Examples
    --------
    >>> from finloom.apps.recommendation import generate_holdings
    >>> d = generate_holdings(200, random_state=0)
    >>> m = PopularityRecommender().fit(d.customers, d.holdings)
    >>> len(m.recommend(d.customers.head(2), d.holdings.head(2), k=3))
    6
    """

    name: ClassVar[str] = "popularity"

    def _fit(self, cust: pd.DataFrame, X: np.ndarray) -> None:
        return None

    def _score(self, cust: pd.DataFrame, X: np.ndarray) -> np.ndarray:
        return np.tile(self.popularity_, (len(cust), 1))

    def _raw_scores(self, cust: pd.DataFrame, X: np.ndarray) -> np.ndarray:
        return self._score(cust, X)  # no segment fallback: the plain baseline


class ItemKNNRecommender(Recommender):
    """Score of a product = sum of its cosine similarities to the products the customer holds.

    Examples
    --------
    >>> from finloom.apps.recommendation import generate_holdings
    >>> d = generate_holdings(200, random_state=0)
    >>> m = ItemKNNRecommender().fit(d.customers, d.holdings)
    >>> m.similarity_.shape
    (45, 45)
    """

    name: ClassVar[str] = "item_knn"

    def __init__(self, *, shrink: float = 5.0, random_state: int | None = None) -> None:
        super().__init__(random_state=random_state)
        self.shrink = shrink

    def _params(self) -> dict[str, Any]:
        return {"shrink": self.shrink}

    def _fit(self, cust: pd.DataFrame, X: np.ndarray) -> None:
        self.similarity_ = cosine_similarity(X, shrink=float(self.shrink))

    def _score(self, cust: pd.DataFrame, X: np.ndarray) -> np.ndarray:
        scores: np.ndarray = X @ self.similarity_ + 1e-6 * self.popularity_  # popularity breaks ties
        return scores

    def _state(self) -> dict[str, np.ndarray]:
        return {"similarity": self.similarity_}

    def _restore(self, config: dict[str, Any], tensors: dict[str, np.ndarray]) -> None:
        self.similarity_ = tensors["similarity"]


class ALSRecommender(Recommender):
    """Implicit-feedback matrix factorisation (Hu, Koren & Volinsky 2008), alternating least squares in numpy.

    Confidence ``c = 1 + alpha·x``, preference ``p = x``; each half-step solves, for every customer
    (then every product), the regularised weighted least-squares problem exactly
    ``(YᵀY + Yᵀ(Cᵤ − I)Y + λI) xᵤ = YᵀCᵤpᵤ`` — the system the ``implicit`` package approximates with a
    few conjugate-gradient steps; with a catalogue of tens of products the exact solve is cheaper.
    Customers are scored by folding their holdings into the learned product factors.
    ``implementation="implicit"`` fits the product factors with the ``implicit`` package's CPU ALS
    (conjugate-gradient half-steps, ``finloom[recommendation]``) instead; scoring is the same fold-in.

    Examples
    --------
    >>> from finloom.apps.recommendation import generate_holdings
    >>> d = generate_holdings(200, random_state=0)
    >>> m = ALSRecommender(factors=4, iterations=3, random_state=0).fit(d.customers, d.holdings)
    >>> m.item_factors_.shape
    (45, 4)
    """

    name: ClassVar[str] = "als"

    def __init__(
        self,
        *,
        factors: int = 4,
        iterations: int = 15,
        regularization: float = 1.0,
        alpha: float = 5.0,
        implementation: str = "numpy",
        random_state: int | None = None,
    ) -> None:
        super().__init__(random_state=random_state)
        self.factors = factors
        self.iterations = iterations
        self.regularization = regularization
        self.alpha = alpha
        self.implementation = implementation

    def _params(self) -> dict[str, Any]:
        return {
            "factors": self.factors,
            "iterations": self.iterations,
            "regularization": self.regularization,
            "alpha": self.alpha,
            "implementation": self.implementation,
        }

    def _solve(self, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
        """Rows' factors given the other side's ``Y`` (one exact ALS half-step).  X: (n, m), Y: (m, f)."""
        f = Y.shape[1]
        gram = Y.T @ Y + self.regularization * np.eye(f)  # (f, f)
        A = gram[None] + self.alpha * np.einsum("ni,if,ig->nfg", X, Y, Y)  # (n, f, f)
        b = (1.0 + self.alpha) * (X @ Y)  # (n, f)
        solved: np.ndarray = np.linalg.solve(A, b[..., None])[..., 0]
        return solved

    def _fit(self, cust: pd.DataFrame, X: np.ndarray) -> None:
        if self.implementation not in ("numpy", "implicit"):
            raise ConfigError(f"implementation must be 'numpy' or 'implicit'; got {self.implementation!r}")
        if self.implementation == "implicit":
            self.item_factors_ = self._fit_implicit(X)
            return
        rng = np.random.default_rng(self.random_state)
        n, m = X.shape
        U = rng.normal(0.0, 0.01, size=(n, int(self.factors)))
        Y = rng.normal(0.0, 0.01, size=(m, int(self.factors)))
        for _ in range(int(self.iterations)):
            U = self._solve(X, Y)
            Y = self._solve(X.T, U)
        self.item_factors_ = Y

    def _fit_implicit(self, X: np.ndarray) -> np.ndarray:
        """Product factors from ``implicit``'s CPU ALS (same confidence model, CG half-steps)."""
        from scipy import sparse

        als = require("implicit.cpu.als", feature="ALS with the implicit package")
        model = als.AlternatingLeastSquares(
            factors=int(self.factors), regularization=float(self.regularization), alpha=float(self.alpha),
            iterations=int(self.iterations), random_state=self.random_state, num_threads=1,
            calculate_training_loss=False,
        )
        model.fit(sparse.csr_matrix(X.astype(np.float32)), show_progress=False)
        return np.asarray(model.item_factors, dtype=np.float64)

    def _score(self, cust: pd.DataFrame, X: np.ndarray) -> np.ndarray:
        U = self._solve(X, self.item_factors_)
        scores: np.ndarray = U @ self.item_factors_.T + 1e-6 * self.popularity_
        return scores

    def _state(self) -> dict[str, np.ndarray]:
        return {"item_factors": self.item_factors_}

    def _restore(self, config: dict[str, Any], tensors: dict[str, np.ndarray]) -> None:
        self.item_factors_ = tensors["item_factors"]
