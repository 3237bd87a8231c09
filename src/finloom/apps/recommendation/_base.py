"""The recommender contract: fit on customers + holdings, score, recommend(k) through the filters,
save/load as safetensors + JSON; segment popularity for cold start and co-holding counts for explanations."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
import pandas as pd

from finloom._serialization import load_state, save_state
from finloom.apps.recommendation._filters import eligibility_matrix
from finloom.apps.recommendation._generate import default_catalogue
from finloom.apps.recommendation._validate import check_catalogue, check_customers, holdings_matrix
from finloom.errors import ConfigError, InvalidDataError, NotFittedError

__all__ = ["Recommender"]

MAX_K = 100


def check_k(k: Any) -> int:
    """``k`` as a positive int, or a ConfigError naming the fix.

    Examples
    --------
    >>> check_k(5)
    5
    >>> check_k(0)
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: k must be an int in [1, 100]; got 0. Ask for e.g. k=5 offers.
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= int(k) <= MAX_K:
        raise ConfigError(f"k must be an int in [1, {MAX_K}]; got {k!r}. Ask for e.g. k=5 offers.")
    return int(k)


class Recommender:
    """Base of every recommender: one interface, the filters always applied.

    Subclasses implement ``_fit(customers, X)``, ``_score(customers, X)`` (higher is better) and
    ``_state()/_restore()`` for their learned arrays. ``uses_features`` recommenders score customers
    without holdings themselves; the others fall back to the popularity of the customer's life stage.

    Examples
    --------
    >>> from finloom.apps.recommendation import ItemKNNRecommender, generate_holdings
    >>> d = generate_holdings(200, random_state=0)
    >>> model = ItemKNNRecommender().fit(d.customers, d.holdings)
    >>> list(model.recommend(d.customers.head(1), d.holdings.head(1), k=2).columns)
    ['customer_id', 'rank', 'product_id', 'score']
    """

    name: ClassVar[str] = "base"
    uses_features: ClassVar[bool] = False

    def __init__(self, *, random_state: int | None = None) -> None:
        self.random_state = random_state

    # -- contract -------------------------------------------------------------------------------
    def fit(self, customers: pd.DataFrame, holdings: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> Self:
        """Learn from ``customers`` (features) and ``holdings`` (customer_id + one 0/1 column per product)."""
        cust = check_customers(customers)
        cat = check_catalogue(default_catalogue() if catalogue is None else catalogue)
        products = list(cat["product_id"])
        X = holdings_matrix(holdings, products, cust["customer_id"])
        if X.sum() == 0:
            raise InvalidDataError("the holdings table must hold at least one product; got all zeros.")
        self.catalogue_ = cat
        self.products_ = products
        self._fit_stats(cust, X)
        self._fit(cust, X)
        return self

    def score(self, customers: pd.DataFrame, holdings: pd.DataFrame | None = None) -> np.ndarray:
        """Raw scores (customers × products), before the filters; cold-start rows from segment popularity."""
        cust, X = self._inputs(customers, holdings)
        return self._raw_scores(cust, X)

    def _raw_scores(self, cust: pd.DataFrame, X: np.ndarray) -> np.ndarray:
        scores = self._score(cust, X)
        cold = X.sum(axis=1) == 0
        if cold.any() and not self.uses_features:
            scores[cold] = self._segment_rates(cust.loc[cold, "life_stage"])
        return scores

    def recommend(self, customers: pd.DataFrame, holdings: pd.DataFrame | None = None, k: int = 5) -> pd.DataFrame:
        """Top-``k`` suitable offers per customer: rows customer_id, rank, product_id, score.

        Only products that pass every filter appear (risk, age, income, not held); a customer may get
        fewer than ``k`` when fewer products are suitable.
        """
        k = check_k(k)
        cust, X = self._inputs(customers, holdings)
        scores = self._raw_scores(cust, X)
        allowed = eligibility_matrix(cust, self.catalogue_) & (X == 0)
        masked = np.where(allowed, scores, -np.inf)
        order = np.argsort(-masked, axis=1, kind="stable")[:, :k]
        rows = []
        for u, cid in enumerate(cust["customer_id"]):
            for rank, j in enumerate(order[u], start=1):
                if np.isfinite(masked[u, j]):
                    rows.append((cid, rank, self.products_[j], float(scores[u, j])))
        return pd.DataFrame(rows, columns=["customer_id", "rank", "product_id", "score"])

    def save(self, path: str | Path) -> Path:
        """Write ``config.json`` + ``model.safetensors`` (no pickle)."""
        self._check_fitted()
        config = {
            "params": {"random_state": self.random_state, **self._params()},
            "catalogue": self.catalogue_.to_dict(orient="list"),
            "segments": self.segments_,
            **self._config(),
        }
        tensors = {
            "cooc": self.cooc_,
            "segment_cooc": self.segment_cooc_,
            "segment_counts": self.segment_counts_,
            "segment_sizes": self.segment_sizes_,
            "popularity": self.popularity_,
            **self._state(),
        }
        return save_state(path, kind=type(self).__name__, config=config, tensors=tensors)

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Rebuild a recommender written by :meth:`save`."""
        state = load_state(path, kind=cls.__name__)
        config, tensors = state["config"], state["tensors"]
        model = cls(**config["params"])
        model.catalogue_ = pd.DataFrame(config["catalogue"])
        model.products_ = list(model.catalogue_["product_id"])
        model.segments_ = list(config["segments"])
        for key in ("cooc", "segment_cooc", "segment_counts", "segment_sizes", "popularity"):
            setattr(model, f"{key}_", tensors[key])
        model._restore(config, tensors)
        return model

    # -- shared statistics ----------------------------------------------------------------------
    def _fit_stats(self, cust: pd.DataFrame, X: np.ndarray) -> None:
        """Counts that explanations cite: co-holdings overall and per life stage, segment popularity."""
        self.segments_ = sorted(map(str, cust["life_stage"].unique()))
        seg = cust["life_stage"].astype(str).map({s: i for i, s in enumerate(self.segments_)}).to_numpy()
        self.popularity_ = X.mean(axis=0)
        self.cooc_ = X.T @ X
        S, m = len(self.segments_), X.shape[1]
        self.segment_cooc_ = np.zeros((S, m, m))
        self.segment_counts_ = np.zeros((S, m))
        self.segment_sizes_ = np.zeros(S)
        for s in range(S):
            Xs = X[seg == s]
            self.segment_cooc_[s] = Xs.T @ Xs
            self.segment_counts_[s] = Xs.sum(axis=0)
            self.segment_sizes_[s] = len(Xs)

    def _segment_rates(self, stages: pd.Series) -> np.ndarray:
        """Share of each life stage holding each product (global share for an unseen stage)."""
        index = {s: i for i, s in enumerate(self.segments_)}
        out = np.tile(self.popularity_, (len(stages), 1))
        for row, stage in enumerate(stages.astype(str)):
            s = index.get(stage)
            if s is not None and self.segment_sizes_[s] > 0:
                out[row] = self.segment_counts_[s] / self.segment_sizes_[s] + 1e-6 * self.popularity_
        return out

    def _inputs(self, customers: pd.DataFrame, holdings: pd.DataFrame | None) -> tuple[pd.DataFrame, np.ndarray]:
        self._check_fitted()
        cust = check_customers(customers)
        if holdings is None:
            return cust, np.zeros((len(cust), len(self.products_)))
        return cust, holdings_matrix(holdings, self.products_, cust["customer_id"])

    def _check_fitted(self) -> None:
        if not hasattr(self, "products_"):
            raise NotFittedError(f"{type(self).__name__} must be fitted first; call fit(customers, holdings).")

    # -- hooks ----------------------------------------------------------------------------------
    def _params(self) -> dict[str, Any]:
        return {}

    def _config(self) -> dict[str, Any]:
        return {}

    def _fit(self, cust: pd.DataFrame, X: np.ndarray) -> None:
        raise NotImplementedError

    def _score(self, cust: pd.DataFrame, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _state(self) -> dict[str, np.ndarray]:
        return {}

    def _restore(self, config: dict[str, Any], tensors: dict[str, np.ndarray]) -> None:
        return None
