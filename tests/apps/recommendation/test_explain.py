"""Explanations: the numbers they quote are counts in the fitted holdings; both languages; ranker features."""

from __future__ import annotations

import numpy as np

from finloom.apps.recommendation import OfferBook, explain_offers
from finloom.apps.recommendation._explain import MIN_SUPPORT


def test_co_holding_numbers_trace_to_the_holdings(fitted, data):
    model = fitted["item_knn"]
    c, h = data.customers.head(40), data.holdings.head(40)
    offers = explain_offers(model, c, h, model.recommend(c, h, k=3))
    checked = 0
    X = data.holdings.set_index("customer_id")
    stage = data.customers.set_index("customer_id")["life_stage"]
    for o in offers:
        ev = o.evidence
        if ev.get("kind") != "co_holding":
            continue
        same = X if ev["scope"] == "all" else X[stage.reindex(X.index) == stage[o.customer_id]]
        assert ev["n_held"] == int(same[ev["held"]].sum()) >= MIN_SUPPORT
        assert ev["n_both"] == int((same[ev["held"]] * same[o.product_id]).sum())
        assert f"{ev['n_both']} of {ev['n_held']}" in o.explanation_en
        assert f"{ev['n_held']}位客户里有{ev['n_both']}位" in o.explanation_zh
        checked += 1
    assert checked > 0


def test_cold_start_explanation_quotes_the_life_stage_share(fitted, data):
    model = fitted["popularity"]
    new = data.customers.head(1).assign(customer_id="new")
    o = explain_offers(model, new, None, model.recommend(new, None, k=1))[0]
    stage = data.customers["life_stage"] == new["life_stage"].iloc[0]
    n = int(data.holdings.loc[stage.to_numpy(), o.product_id].sum())
    assert o.evidence == {"kind": "segment_share", "scope": "segment", "n_segment": int(stage.sum()), "n_product": n}
    assert f"{n} of {int(stage.sum())}" in o.explanation_en and "适当性" in o.explanation_zh


def test_ranker_explanations_name_its_top_features(fitted, data):
    book = OfferBook(fitted["ranker"])
    book.customers_, book.holdings_ = data.customers, data.holdings.iloc[:, 1:].to_numpy(dtype=float)
    offers = book.offers("C000003", k=3)
    reasons = [r for o in offers for r in o.evidence.get("ranker_features", [])]
    assert reasons and all(r["contribution"] > 0 for r in reasons)
    assert any("Ranker's top features" in o.explanation_en for o in offers)
    assert any("排序模型主要依据" in o.explanation_zh for o in offers)
    assert np.all([o.risk.startswith("R") for o in offers])
