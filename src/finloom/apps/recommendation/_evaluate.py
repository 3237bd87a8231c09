"""Held-out holdings: hide products of some customers, then score top-k lists (recall, nDCG, coverage)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["hold_out", "ranking_metrics"]


def hold_out(
    holdings: pd.DataFrame, *, test_share: float = 0.2, random_state: int | None = None
) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """Visible holdings and the hidden products of the test customers.

    ``test_share`` of the customers holding ≥ 2 products become test customers; each loses one held
    product (two when holding ≥ 4), so every test customer keeps at least one visible holding.

    Examples
    --------
    >>> from finloom.apps.recommendation import generate_holdings
    >>> d = generate_holdings(100, random_state=0)
    >>> visible, hidden = hold_out(d.holdings, random_state=0)
    >>> int(d.holdings.iloc[:, 1:].to_numpy().sum() - visible.iloc[:, 1:].to_numpy().sum()) == sum(map(len, hidden.values()))
    True
    """
    rng = np.random.default_rng(random_state)
    products = [c for c in holdings.columns if c != "customer_id"]
    X = holdings[products].to_numpy()
    candidates = np.flatnonzero(X.sum(axis=1) >= 2)
    test = rng.choice(candidates, size=int(test_share * len(candidates)), replace=False)
    visible = X.copy()
    hidden: dict[str, list[str]] = {}
    for u in sorted(test):
        held = np.flatnonzero(X[u])
        take = rng.choice(held, size=2 if len(held) >= 4 else 1, replace=False)
        visible[u, take] = 0
        hidden[str(holdings["customer_id"].iloc[u])] = [products[j] for j in take]
    out = pd.DataFrame(visible, columns=products)
    out.insert(0, "customer_id", holdings["customer_id"].astype(str).to_numpy())
    return out, hidden


def ranking_metrics(
    recs: pd.DataFrame, hidden: dict[str, list[str]], n_products: int, *, k: int = 5
) -> dict[str, float]:
    """recall@k and nDCG@k (binary relevance, mean over customers) and catalogue coverage of the lists.

    Examples
    --------
    >>> recs = pd.DataFrame({"customer_id": ["a", "a"], "rank": [1, 2], "product_id": ["x", "y"]})
    >>> ranking_metrics(recs, {"a": ["y"]}, 4, k=2)
    {'recall_at_k': 1.0, 'ndcg_at_k': 0.6309297535714575, 'coverage': 0.5}
    """
    lists = recs.sort_values(["customer_id", "rank"]).groupby("customer_id")["product_id"].apply(list).to_dict()
    recall, ndcg = [], []
    for cid, truth in hidden.items():
        gains = [1.0 if p in truth else 0.0 for p in lists.get(cid, [])[:k]]
        recall.append(sum(gains) / len(truth))
        dcg = sum(g / np.log2(i + 2) for i, g in enumerate(gains))
        ideal = sum(1 / np.log2(i + 2) for i in range(min(len(truth), k)))
        ndcg.append(dcg / ideal)
    return {
        "recall_at_k": float(np.mean(recall)) if recall else 0.0,
        "ndcg_at_k": float(np.mean(ndcg)) if ndcg else 0.0,
        "coverage": recs["product_id"].nunique() / n_products if n_products else 0.0,
    }
