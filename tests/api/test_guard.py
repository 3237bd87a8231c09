"""``POST /api/guard/check`` (single and batch): auth, results, limits."""

from __future__ import annotations

FACTS = {"index": "S&P 500", "change_pct": -2.37}


def test_guard_check_single(client, viewer) -> None:
    r = client.post("/api/guard/check", json={"facts": FACTS, "text": "The S&P 500 rose 2.37%."}, headers=viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is False and body["issues"][0]["reason"] == "direction"


def test_guard_check_batch_keeps_ids(client, viewer) -> None:
    items = [{"id": "a", "facts": FACTS, "text": "The S&P 500 fell 2.37%."},
             {"id": "b", "facts": {"note": "nothing"}, "text": "x"}]
    r = client.post("/api/guard/check/batch", json={"items": items}, headers=viewer)
    assert r.status_code == 200, r.text
    assert [(o["id"], o["ok"]) for o in r.json()] == [("a", True), ("b", False)]
    assert r.json()[1]["issues"][0]["reason"] == "invalid_facts"


def test_guard_check_needs_a_key_and_valid_body(client, viewer) -> None:
    assert client.post("/api/guard/check", json={"facts": FACTS, "text": "x"}).status_code == 401
    r = client.post("/api/guard/check", json={"facts": FACTS, "text": "x", "extra": 1}, headers=viewer)
    assert r.status_code == 422
    r = client.post("/api/guard/check/batch", json={"items": []}, headers=viewer)
    assert r.status_code == 422
