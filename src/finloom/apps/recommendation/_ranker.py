"""A LightGBM lambdarank ranker on customer × product features (hybrid: features + co-holdings).

Training: for every customer one held product is hidden (seeded); the ranker learns to put it above
the other suitable products the customer does not hold, from the customer's features, the product's
and the collaborative signals of the remaining holdings (computed leaving the customer out, so a
customer's own row never leaks its hidden product). Customers left with no holdings teach cold start.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from finloom._optional import require
from finloom.apps.recommendation._base import Recommender
from finloom.apps.recommendation._filters import eligibility_matrix, risk_number

__all__ = ["FEATURES", "RankerRecommender"]

FEATURES = (
    "age", "log_income", "risk_level", "life_stage", "region", "tenure", "n_held",
    "product", "category", "product_risk", "risk_gap", "co_holding", "segment_share", "popularity",
)
_CATEGORICAL = ("life_stage", "region", "product", "category")


def _cosine_scores(X: np.ndarray, R: np.ndarray, co: np.ndarray, *, block: int = 1024) -> np.ndarray:
    """Σ_j R[u, j]·cos(j, i) where customer u's own co-holdings X[u]ᵀX[u] are taken out of ``co``'s
    off-diagonal counts (the norms keep them, so a hidden product looks like any other product)."""
    if len(X) > block:
        parts = [_cosine_scores(X[i : i + block], R[i : i + block], co) for i in range(0, len(X), block)]
        return np.concatenate(parts)
    norms = np.sqrt(np.diag(co))
    denom = np.outer(norms, norms)
    co_u = co[None] - X[:, :, None] * X[:, None, :]  # (n, m, m)
    sim = np.divide(co_u, denom[None], out=np.zeros_like(co_u), where=denom[None] > 0)
    idx = np.arange(X.shape[1])
    sim[:, idx, idx] = 0.0
    scores: np.ndarray = np.einsum("nj,nji->ni", R, sim)
    return scores


class RankerRecommender(Recommender):
    """LightGBM lambdarank on customer × product features; scores customers without holdings too.

    Examples
    --------
    >>> from finloom.apps.recommendation import generate_holdings
    >>> d = generate_holdings(150, random_state=0)
    >>> m = RankerRecommender(n_estimators=5, random_state=0).fit(d.customers, d.holdings)
    >>> m.recommend(d.customers.head(1), k=2)["rank"].tolist()
    [1, 2]
    """

    name: ClassVar[str] = "ranker"
    uses_features: ClassVar[bool] = True

    def __init__(
        self,
        *,
        n_estimators: int = 200,
        learning_rate: float = 0.05,
        num_leaves: int = 15,
        min_child_samples: int = 20,
        random_state: int | None = None,
    ) -> None:
        super().__init__(random_state=random_state)
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.min_child_samples = min_child_samples

    def _params(self) -> dict[str, Any]:
        return {
            "n_estimators": self.n_estimators,
            "learning_rate": self.learning_rate,
            "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples,
        }

    # -- features -------------------------------------------------------------------------------
    def _features(self, cust: pd.DataFrame, X: np.ndarray, R: np.ndarray, own: np.ndarray) -> pd.DataFrame:
        """One row per (customer, product), customer-major. ``R`` = holdings the customer shows,
        ``own`` = the customer's row inside the fitted co-holding counts (zeros when scoring).
        Shares are the fitted ones for everybody: taking a customer's own row out of them would mark
        the hidden product of a training row with a tell-tale lower value."""
        n, m = R.shape
        seg_index = {s: i for i, s in enumerate(self.segments_)}
        seg = cust["life_stage"].astype(str).map(lambda s: seg_index.get(s, -1)).to_numpy()
        counts = np.where(seg[:, None] >= 0, self.segment_counts_[np.maximum(seg, 0)], self.popularity_ * 0)
        sizes = np.where(seg >= 0, self.segment_sizes_[np.maximum(seg, 0)], 0.0)
        seg_share = np.divide(counts, sizes[:, None], out=np.tile(self.popularity_, (n, 1)),
                              where=sizes[:, None] > 0)
        pop = np.tile(self.popularity_, (n, 1))
        risk = risk_number(cust["risk_level"])
        region_index = {r: i for i, r in enumerate(self.regions_)}
        region = cust["region"].astype(str).map(lambda r: region_index.get(r, -1)).to_numpy()
        cat = self.catalogue_
        category = pd.factorize(cat["category"], sort=True)[0]
        cols = {
            "age": np.repeat(cust["age"].to_numpy(dtype=float), m),
            "log_income": np.repeat(np.log1p(np.maximum(cust["income"].to_numpy(dtype=float), 0.0)), m),
            "risk_level": np.repeat(risk, m),
            "life_stage": np.repeat(seg, m),
            "region": np.repeat(region, m),
            "tenure": np.repeat(cust["tenure"].to_numpy(dtype=float), m),
            "n_held": np.repeat(R.sum(axis=1), m),
            "product": np.tile(np.arange(m), n),
            "category": np.tile(category, n),
            "product_risk": np.tile(cat["risk"].to_numpy(), n),
            "risk_gap": (risk[:, None] - cat["risk"].to_numpy()[None]).ravel(),
            "co_holding": _cosine_scores(own, R, self.cooc_).ravel(),
            "segment_share": seg_share.ravel(),
            "popularity": pop.ravel(),
        }
        return pd.DataFrame(cols, columns=list(FEATURES))

    # -- fit / score ----------------------------------------------------------------------------
    def _fit(self, cust: pd.DataFrame, X: np.ndarray) -> None:
        lgb = require("lightgbm", feature="the recommendation ranker")
        rng = np.random.default_rng(self.random_state)
        self.n_fitted_ = len(X)
        self.regions_ = sorted(map(str, cust["region"].unique()))
        hidden = np.full(len(X), -1)
        for u in np.flatnonzero(X.sum(axis=1) > 0):
            hidden[u] = rng.choice(np.flatnonzero(X[u]))
        users = np.flatnonzero(hidden >= 0)
        Xu, cu = X[users], cust.iloc[users].reset_index(drop=True)
        R = Xu.copy()
        R[np.arange(len(users)), hidden[users]] = 0.0
        feats = self._features(cu, Xu, R, Xu)
        label = np.zeros_like(R)
        label[np.arange(len(users)), hidden[users]] = 1.0
        candidate = (eligibility_matrix(cu, self.catalogue_) & (R == 0)) | (label == 1)
        keep = candidate.ravel()
        data = lgb.Dataset(
            feats[keep], label=label.ravel()[keep], group=candidate.sum(axis=1),
            categorical_feature=list(_CATEGORICAL), free_raw_data=True,
        )
        params = {
            "objective": "lambdarank", "metric": "ndcg", "eval_at": [5],
            "learning_rate": self.learning_rate, "num_leaves": self.num_leaves,
            "min_child_samples": self.min_child_samples, "seed": self.random_state or 0,
            "deterministic": True, "force_row_wise": True, "num_threads": 1, "verbose": -1,
        }
        self.booster_ = lgb.train(params, data, num_boost_round=int(self.n_estimators))

    def _score(self, cust: pd.DataFrame, X: np.ndarray) -> np.ndarray:
        feats = self._features(cust, X, X, np.zeros_like(X))
        scores: np.ndarray = self.booster_.predict(feats, num_threads=1).reshape(X.shape)
        return scores

    def contributions(self, customers: pd.DataFrame, holdings: pd.DataFrame | None = None) -> np.ndarray:
        """Per-feature contributions to each score (customers × products × features), LightGBM's SHAP values.

        Examples
        --------
        >>> from finloom.apps.recommendation import generate_holdings
        >>> d = generate_holdings(150, random_state=0)
        >>> m = RankerRecommender(n_estimators=5, random_state=0).fit(d.customers, d.holdings)
        >>> m.contributions(d.customers.head(2), d.holdings.head(2)).shape
        (2, 45, 14)
        """
        cust, X = self._inputs(customers, holdings)
        feats = self._features(cust, X, X, np.zeros_like(X))
        contrib = self.booster_.predict(feats, pred_contrib=True, num_threads=1)[:, : len(FEATURES)]
        return np.asarray(contrib).reshape(len(cust), X.shape[1], len(FEATURES))

    def feature_values(self, customers: pd.DataFrame, holdings: pd.DataFrame | None = None) -> pd.DataFrame:
        """The ranker's input rows (customer-major, one per product), to quote next to contributions."""
        cust, X = self._inputs(customers, holdings)
        return self._features(cust, X, X, np.zeros_like(X))

    def _config(self) -> dict[str, Any]:
        return {"booster": self.booster_.model_to_string(), "regions": self.regions_, "n_fitted": self.n_fitted_}

    def _restore(self, config: dict[str, Any], tensors: dict[str, np.ndarray]) -> None:
        lgb = require("lightgbm", feature="the recommendation ranker")
        self.booster_ = lgb.Booster(model_str=config["booster"])
        self.regions_ = list(config["regions"])
        self.n_fitted_ = int(config["n_fitted"])
