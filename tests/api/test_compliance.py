"""The compliance text routes: one text, and a batch of texts."""

from __future__ import annotations


def test_audit_one_text(client, viewer) -> None:
    r = client.post("/api/compliance/text", json={"text": "Guaranteed 8% returns! Card 4111 1111 1111 1111."},
                    headers=viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert {f["category"] for f in body["findings"]} >= {"promissory", "pii"}
    assert "4111 1111 1111 1111" not in body["masked_text"]


def test_audit_one_text_rejects_bad_input(client, viewer) -> None:
    r = client.post("/api/compliance/text", json={"text": "hi", "lang": "fr"}, headers=viewer)
    assert r.status_code == 422


def test_audit_batch(client, viewer) -> None:
    texts = ["全城最好的理财，保本保收益！", "Open a current account today.", "Card 4111 1111 1111 1111"]
    r = client.post("/api/compliance/audit-text", json={"texts": texts, "ids": ["a", "b", "c"]}, headers=viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(x["text_id"], x["categories"]) for x in body["results"]] == [
        ("a", ["promissory", "risk_disclosure", "superlative"]), ("b", []), ("c", ["pii"])]
    assert body["texts_with_findings"] == 2
    assert body["per_category"] == {"pii": 1, "promissory": 1, "risk_disclosure": 1, "superlative": 1}
    assert "4111 1111 1111 1111" not in r.text  # spans of personal data are masked


def test_audit_batch_limits_and_auth(client, viewer) -> None:
    assert client.post("/api/compliance/audit-text", json={"texts": ["x"]}).status_code == 401
    empty = client.post("/api/compliance/audit-text", json={"texts": []}, headers=viewer)
    assert empty.status_code == 422
    too_many = client.post("/api/compliance/audit-text", json={"texts": ["x"] * 501}, headers=viewer)
    assert too_many.status_code == 422
    too_long = client.post("/api/compliance/audit-text", json={"texts": ["x" * 100_000] * 21}, headers=viewer)
    assert too_long.status_code == 422 and "at most 2000000 characters in all; got 2100000" in too_long.text
    ids = client.post("/api/compliance/audit-text", json={"texts": ["a", "b"], "ids": ["1"]}, headers=viewer)
    assert ids.status_code == 422 and "ids must have one entry per text; got 1 ids for 2 texts" in ids.text
