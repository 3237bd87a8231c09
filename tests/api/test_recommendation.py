"""Recommendation routes: the fit job, offers for a known customer and for a profile, clear errors."""

from __future__ import annotations

import time


def _fit(client, headers, **params):
    r = client.post("/api/recommendation/fit", headers=headers,
                    json={"recommender": "item_knn", "n_customers": 200, "name": "nbo", **params})
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/jobs/{job_id}", headers=headers).json())["status"] not in ("succeeded", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["status"] == "succeeded", job
    return job["result"]


def test_fit_then_offers_through_the_api(client, analyst, viewer):
    result = _fit(client, analyst)
    assert result["model"] == "nbo" and result["customers"] == 200 and 0 <= result["metrics"]["recall_at_5"] <= 1
    assert [m["name"] for m in client.get("/api/recommendation/models", headers=viewer).json()] == ["nbo"]
    customers = client.get("/api/recommendation/nbo/customers?limit=3", headers=viewer).json()
    assert [c["customer_id"] for c in customers] == ["C000000", "C000001", "C000002"]
    r = client.get("/api/recommendation/nbo/customers/C000001?k=3", headers=viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["recommender"] == "item_knn" and 1 <= len(body["offers"]) <= 3 and body["profile"]["age"] > 0
    assert all(o["product_id"] not in body["held"] and o["explanation_zh"] for o in body["offers"])
    cold = client.post("/api/recommendation/nbo/recommend", headers=viewer,
                       json={"customer": {"age": 30, "income": 8, "risk_level": "C3"}, "k": 2})
    assert cold.status_code == 200 and cold.json()["held"] == [] and len(cold.json()["offers"]) == 2


def test_bad_requests_get_clear_errors(client, analyst, viewer):
    _fit(client, analyst)
    missing = client.get("/api/recommendation/nbo/customers/X1", headers=viewer)
    assert missing.status_code == 404 and "customer_id must be a customer of this model; got 'X1'" in missing.json()["detail"]
    assert client.get("/api/recommendation/nbo/customers/C000001?k=0", headers=viewer).status_code == 422
    assert client.get("/api/recommendation/nope/customers/C000001", headers=viewer).status_code == 404
    bad = client.post("/api/recommendation/nbo/recommend", headers=viewer,
                      json={"customer": {"age": 30, "income": 8, "risk_level": "C3", "holdings": ["fund_bonds"]}})
    assert bad.status_code == 422 and "Did you mean 'fund_bond'" in bad.json()["detail"]
    assert client.post("/api/recommendation/fit", headers=viewer, json={}).status_code == 403
    one = client.post("/api/recommendation/fit", headers=analyst, json={"customers_dataset": "c"})
    assert one.status_code in (400, 422) and "must be given together" in one.json()["detail"]


def test_recommendation_page_lists_offers_in_both_languages(client, analyst):
    from tests.api.conftest import ADMIN_KEY

    _fit(client, analyst)
    client.post("/login", data={"key": ADMIN_KEY, "next": "/"})
    en = client.get("/recommendation?model=nbo&customer=C000001&k=3")
    assert en.status_code == 200 and 'id="offers-table"' in en.text and "Suitable:" in en.text and 'id="profile"' in en.text
    client.cookies.set("lang", "zh")
    zh = client.get("/recommendation?model=nbo&customer=C000001&k=3")
    assert "适当性" in zh.text and "推荐理由" in zh.text
    assert client.get("/recommendation?model=nbo&customer=nobody").status_code == 422
    r = client.post("/recommendation/fit", data={"recommender": "popularity", "n_customers": "100", "name": "p"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")


def test_fit_on_registered_tables(client, analyst, viewer):
    from finloom.apps.recommendation import generate_holdings

    d = generate_holdings(120, random_state=1)
    for name, table in (("cust", d.customers), ("hold", d.holdings)):
        r = client.post("/api/datasets", headers=analyst, files={"file": (f"{name}.csv", table.to_csv(index=False).encode())},
                        data={"name": name})
        assert r.status_code == 201, r.text
    result = _fit(client, analyst, recommender="popularity", customers_dataset="cust", holdings_dataset="hold", name="own")
    assert result["customers"] == 120 and result["products"] == 45
    held = client.get("/api/recommendation/own/customers/C000007", headers=viewer).json()["held"]
    assert held == [p for p in d.catalogue["product_id"] if d.holdings.set_index("customer_id").at["C000007", p]]
