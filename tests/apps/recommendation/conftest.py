"""Small generated holdings and one fitted instance of every recommender, shared by the module's tests."""

from __future__ import annotations

import pytest

from finloom.apps.recommendation import generate_holdings, make_recommender

FAST = {"ranker": {"n_estimators": 20}, "als": {"iterations": 4}}


def build(name: str, seed: int = 0):
    model = make_recommender(name, random_state=seed)
    for key, value in FAST.get(name, {}).items():
        setattr(model, key, value)
    return model


@pytest.fixture(scope="package")
def data():
    return generate_holdings(300, random_state=0)


@pytest.fixture(scope="package")
def fitted(data):
    return {name: build(name).fit(data.customers, data.holdings, data.catalogue)
            for name in ("popularity", "item_knn", "als", "ranker")}
