"""The offer book saved and loaded, profile look-ups (cold start, unknown products), the fit job's check."""

from __future__ import annotations

import pytest

from finloom.apps.recommendation import CustomerProfile, OfferBook, make_recommender
from finloom.apps.recommendation.service import evaluate, offers_for_profile
from finloom.errors import InvalidDataError


def test_offer_book_round_trip(data, tmp_path):
    book = OfferBook(make_recommender("item_knn")).fit(data.customers, data.holdings, data.catalogue)
    book.save(tmp_path / "book")
    again = OfferBook.load(tmp_path / "book")
    assert [o.product_id for o in again.offers("C000010", k=4)] == [o.product_id for o in book.offers("C000010", k=4)]
    assert again.held("C000010") == book.held("C000010")


def test_profile_without_holdings_is_a_cold_start(data):
    book = OfferBook(make_recommender("popularity")).fit(data.customers, data.holdings)
    held, offers = offers_for_profile(book, CustomerProfile(age=70, income=3.0, risk_level="C1"), k=5)
    assert held == [] and offers and all(o.risk == "R1" for o in offers)


def test_profile_with_an_unknown_product_is_refused(data):
    book = OfferBook(make_recommender("popularity")).fit(data.customers, data.holdings)
    with pytest.raises(InvalidDataError, match="holdings must be product ids of the catalogue; got 'fund_bonds'. "
                                               "Did you mean 'fund_bond'"):
        offers_for_profile(book, CustomerProfile(age=40, income=9, risk_level="C3", holdings=["fund_bonds"]))


def test_evaluate_compares_with_popularity(data):
    m = evaluate(data, "item_knn", seed=0)
    assert 0 <= m["popularity_recall_at_5"] <= 1 and 0 <= m["recall_at_5"] <= 1 and m["test_customers"] > 0
