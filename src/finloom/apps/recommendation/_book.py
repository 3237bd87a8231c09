"""An offer book: a fitted recommender together with the customers and holdings it knows, so offers
can be asked for by customer id (the workbench's saved model)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Self

import numpy as np
import pandas as pd

from finloom._io import atomic_dir
from finloom._serialization import load_state, save_state
from finloom.apps.recommendation._base import Recommender, check_k
from finloom.apps.recommendation._explain import Offer, explain_offers
from finloom.apps.recommendation._models import (
    ALSRecommender,
    ItemKNNRecommender,
    PopularityRecommender,
)
from finloom.apps.recommendation._ranker import RankerRecommender
from finloom.apps.recommendation._validate import CUSTOMER_COLUMNS, check_customers, holdings_matrix
from finloom.errors import InvalidDataError, NotFoundError, did_you_mean

__all__ = ["RECOMMENDERS", "OfferBook", "make_recommender"]

RECOMMENDERS: dict[str, type[Recommender]] = {
    "popularity": PopularityRecommender,
    "item_knn": ItemKNNRecommender,
    "als": ALSRecommender,
    "ranker": RankerRecommender,
}


def make_recommender(name: str, *, random_state: int | None = None) -> Recommender:
    """A recommender by name with its default settings.

    Examples
    --------
    >>> type(make_recommender("als")).__name__
    'ALSRecommender'
    >>> make_recommender("svd")
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: recommender must be one of ['popularity', 'item_knn', 'als', 'ranker']; got 'svd'.
    """
    cls = RECOMMENDERS.get(name)
    if cls is None:
        raise InvalidDataError(f"recommender must be one of {list(RECOMMENDERS)}; got {name!r}.{did_you_mean(name, RECOMMENDERS)}")
    return cls(random_state=random_state)


class OfferBook:
    """A recommender plus the customers and holdings it was fitted on; offers by customer id.

    Examples
    --------
    >>> from finloom.apps.recommendation import generate_holdings
    >>> d = generate_holdings(200, random_state=0)
    >>> book = OfferBook(make_recommender("item_knn")).fit(d.customers, d.holdings, d.catalogue)
    >>> [o.rank for o in book.offers("C000001", k=2)]
    [1, 2]
    """

    def __init__(self, recommender: Recommender) -> None:
        self.recommender = recommender

    def fit(self, customers: pd.DataFrame, holdings: pd.DataFrame, catalogue: pd.DataFrame | None = None) -> Self:
        """Fit the recommender and keep the customers and their holdings for look-ups."""
        self.recommender.fit(customers, holdings, catalogue)
        self.customers_ = check_customers(customers)[list(CUSTOMER_COLUMNS)]
        self.holdings_ = holdings_matrix(holdings, self.recommender.products_, self.customers_["customer_id"])
        return self

    @property
    def products(self) -> list[str]:
        """The catalogue's product ids in column order."""
        return list(self.recommender.products_)

    def customer(self, customer_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The customer's feature row and holdings row; NotFoundError naming a close id otherwise."""
        ids = self.customers_["customer_id"]
        hit = np.flatnonzero(ids.to_numpy() == str(customer_id))
        if not len(hit):
            raise NotFoundError(
                f"customer_id must be a customer of this model; got {str(customer_id)[:64]!r}."
                f"{did_you_mean(str(customer_id), ids.head(5000))} List them with GET /api/recommendation/{{model}}/customers."
            )
        row = self.customers_.iloc[hit].reset_index(drop=True)
        held = pd.DataFrame(self.holdings_[hit], columns=self.products)
        held.insert(0, "customer_id", row["customer_id"].to_numpy())
        return row, held

    def offers(self, customer_id: str, *, k: int = 5) -> list[Offer]:
        """Top-``k`` suitable offers for a known customer, each with EN/ZH explanations."""
        row, held = self.customer(customer_id)
        return self.offers_for(row, held, k=k)

    def offers_for(self, customers: pd.DataFrame, holdings: pd.DataFrame | None, *, k: int = 5) -> list[Offer]:
        """Offers for customers given as rows (a new customer: cold start when ``holdings`` is None)."""
        k = check_k(k)
        recs = self.recommender.recommend(customers, holdings, k=k)
        return explain_offers(self.recommender, customers, holdings, recs)

    def held(self, customer_id: str) -> list[str]:
        """Product ids the customer holds."""
        _, held = self.customer(customer_id)
        return [p for p in self.products if held[p].iloc[0] > 0]

    def save(self, path: str | Path) -> Path:
        """``book/`` (customers as JSON, holdings as safetensors) and ``recommender/``."""
        with atomic_dir(path, overwrite=True) as tmp:
            save_state(
                tmp / "book", kind="OfferBook",
                config={"recommender": self.recommender.name, "customers": self.customers_.to_dict(orient="list")},
                tensors={"holdings": self.holdings_.astype(np.float32)},
            )
            self.recommender.save(tmp / "recommender")
        return Path(path)

    @classmethod
    def load(cls, path: str | Path) -> Self:
        """Rebuild a book written by :meth:`save`."""
        state = load_state(Path(path) / "book", kind="OfferBook")
        config: dict[str, Any] = state["config"]
        recommender = RECOMMENDERS[config["recommender"]].load(Path(path) / "recommender")
        book = cls(recommender)
        book.customers_ = pd.DataFrame(config["customers"])
        book.holdings_ = state["tensors"]["holdings"].astype(np.float64)
        return book
