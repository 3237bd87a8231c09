"""One contract for every recommender: fit/recommend/save/load, filters, determinism, cold start, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finloom.apps.recommendation import (
    RECOMMENDERS,
    OfferBook,
    eligibility_matrix,
    generate_holdings,
)
from finloom.errors import ConfigError, InvalidDataError, NotFittedError, NotFoundError
from tests.apps.recommendation.conftest import build

NAMES = sorted(RECOMMENDERS)


@pytest.mark.parametrize("name", NAMES)
def test_recommender_output_is_suitable_and_not_held(fitted, data, name):
    recs = fitted[name].recommend(data.customers, data.holdings, k=5)
    cust = data.customers.set_index("customer_id")
    cat = data.catalogue.set_index("product_id")
    held = data.holdings.set_index("customer_id")
    assert len(recs) > 0 and recs.groupby("customer_id").size().max() <= 5
    for row in recs.itertuples():
        c, p = cust.loc[row.customer_id], cat.loc[row.product_id]
        assert int(c["risk_level"][1]) >= p["risk"]
        assert p["min_age"] <= c["age"] <= p["max_age"] and c["income"] >= p["min_income"]
        assert held.at[row.customer_id, row.product_id] == 0


_profiles = st.fixed_dictionaries({
    "age": st.integers(16, 100),
    "income": st.floats(0, 80, allow_nan=False),
    "risk_level": st.sampled_from(["C1", "C2", "C3", "C4", "C5"]),
    "life_stage": st.sampled_from(["student", "family", "retiree", "unknown_stage"]),
    "held": st.lists(st.integers(0, 44), max_size=6),
})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(profile=_profiles)
def test_no_recommender_ever_offers_an_unsuitable_product(fitted, data, profile):
    products = list(data.catalogue["product_id"])
    customer = pd.DataFrame([{"customer_id": "x", "age": profile["age"], "income": profile["income"],
                              "risk_level": profile["risk_level"], "life_stage": profile["life_stage"],
                              "region": "east", "tenure": 1.0}])
    holdings = pd.DataFrame([{"customer_id": "x", **{p: int(j in profile["held"]) for j, p in enumerate(products)}}])
    allowed = eligibility_matrix(customer, data.catalogue)[0]
    for model in fitted.values():
        recs = model.recommend(customer, holdings, k=10)
        for p in recs["product_id"]:
            j = products.index(p)
            assert allowed[j] and j not in profile["held"], (type(model).__name__, p)


@pytest.mark.parametrize("name", NAMES)
def test_fit_is_deterministic_and_leaves_input_unchanged(data, name):
    before = data.holdings.copy(), data.customers.copy()
    a = build(name, seed=3).fit(data.customers, data.holdings).recommend(data.customers.head(20), data.holdings.head(20))
    b = build(name, seed=3).fit(data.customers, data.holdings).recommend(data.customers.head(20), data.holdings.head(20))
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(data.holdings, before[0])
    pd.testing.assert_frame_equal(data.customers, before[1])


@pytest.mark.parametrize("name", NAMES)
def test_save_load_round_trip_without_pickle(fitted, data, name, tmp_path):
    model = fitted[name]
    model.save(tmp_path / "m")
    again = type(model).load(tmp_path / "m")
    np.testing.assert_allclose(again.score(data.customers.head(30), data.holdings.head(30)),
                               model.score(data.customers.head(30), data.holdings.head(30)))
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["config.json", "model.safetensors"]


@pytest.mark.parametrize("name", NAMES)
def test_cold_start_customer_gets_offers(fitted, data, name):
    new = data.customers.head(2).assign(customer_id=["n1", "n2"])
    recs = fitted[name].recommend(new, None, k=3)
    assert recs.groupby("customer_id").size().to_dict() == {"n1": 3, "n2": 3}


def test_cold_start_uses_the_life_stage(fitted, data):
    base = data.customers.iloc[[0]].assign(age=40, income=30.0, risk_level="C5")
    student = base.assign(customer_id="s", life_stage="student")
    retiree = base.assign(customer_id="r", life_stage="retiree")
    knn = fitted["item_knn"]
    assert not np.allclose(knn.score(student), knn.score(retiree))


@pytest.mark.parametrize("name", NAMES)
def test_recommend_before_fit_is_refused(data, name):
    with pytest.raises(NotFittedError, match="must be fitted first"):
        build(name).recommend(data.customers.head(1))


@pytest.mark.parametrize("k", [0, -1, 1000, 2.5, True])
def test_bad_k_is_refused(fitted, data, k):
    with pytest.raises(ConfigError, match=r"k must be an int in \[1, 100\]"):
        fitted["popularity"].recommend(data.customers.head(1), k=k)


def test_empty_holdings_table_is_refused(data):
    empty = data.holdings.iloc[:0]
    with pytest.raises(InvalidDataError, match="must have at least one row; got an empty table"):
        build("item_knn").fit(data.customers, empty)
    zeros = data.holdings.assign(**{p: 0 for p in data.catalogue["product_id"]})
    with pytest.raises(InvalidDataError, match="must hold at least one product; got all zeros"):
        build("item_knn").fit(data.customers, zeros)


def test_unknown_product_column_is_refused_with_a_hint(data):
    bad = data.holdings.rename(columns={"fund_bond": "fund_bonds"})
    with pytest.raises(InvalidDataError, match="holdings column 'fund_bonds' must be a product of the catalogue; "
                                               "got an unknown product. Did you mean 'fund_bond'"):
        build("popularity").fit(data.customers, bad)


def test_missing_customer_column_is_refused(data):
    with pytest.raises(InvalidDataError, match="must have a column 'risk_level'"):
        build("popularity").fit(data.customers.drop(columns="risk_level"), data.holdings)


def test_unknown_customer_is_a_not_found_error_with_a_hint(fitted, data):
    book = OfferBook(fitted["item_knn"])
    book.customers_, book.holdings_ = data.customers, data.holdings.iloc[:, 1:].to_numpy(dtype=float)
    with pytest.raises(NotFoundError, match="customer_id must be a customer of this model; got 'C00000'"):
        book.offers("C00000")


def test_generators_are_seeded_and_differ():
    a = generate_holdings(100, random_state=1)
    assert a.holdings.equals(generate_holdings(100, random_state=1).holdings)
    assert not a.holdings.equals(generate_holdings(100, random_state=2).holdings)
    b = generate_holdings(100, generator="rules", random_state=1)
    assert not a.holdings.equals(b.holdings)
    for d in (a, b):  # every holding is a suitable product: held products are fair hidden targets
        X = d.holdings.iloc[:, 1:].to_numpy() > 0
        assert not (X & ~eligibility_matrix(d.customers, d.catalogue)).any()
    with pytest.raises(ConfigError, match="generator must be one of"):
        generate_holdings(100, generator="zipf")  # type: ignore[arg-type]


def test_als_with_the_implicit_package_fits_saves_and_recommends(tmp_path):
    pytest.importorskip("implicit")
    from finloom.apps.recommendation import ALSRecommender, generate_holdings

    d = generate_holdings(300, random_state=3)
    model = ALSRecommender(implementation="implicit", factors=4, iterations=5, random_state=0)
    model.fit(d.customers, d.holdings, d.catalogue)
    assert model.item_factors_.shape == (len(d.catalogue), 4) and np.isfinite(model.item_factors_).all()
    few = d.customers.head(20)
    held = d.holdings[d.holdings["customer_id"].isin(few["customer_id"])]
    recs = model.recommend(few, held, k=3)
    assert len(recs) > 0
    reloaded = ALSRecommender.load(model.save(tmp_path / "als"))
    again = reloaded.recommend(few, held, k=3)
    assert recs["product_id"].tolist() == again["product_id"].tolist()


def test_als_refuses_an_unknown_implementation():
    from finloom.apps.recommendation import ALSRecommender, generate_holdings
    from finloom.errors import ConfigError

    d = generate_holdings(50, random_state=0)
    with pytest.raises(ConfigError, match="implementation"):
        ALSRecommender(implementation="spark").fit(d.customers, d.holdings, d.catalogue)
