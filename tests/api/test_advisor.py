"""``/api/advisor``: questionnaire, profiles (roles, validation), proposal errors."""

from __future__ import annotations

ANSWERS = {
    "age": "under_30",
    "horizon": "over_10y",
    "goal": "aggressive",
    "income_stability": "very_stable",
    "liquidity": "low",
    "experience": "derivatives",
    "loss_tolerance": "over_30",
}


def test_questionnaire_in_chinese(client, viewer) -> None:
    r = client.get("/api/advisor/questionnaire?lang=zh", headers=viewer)
    assert r.status_code == 200 and r.json()["questions"][0]["text"] == "您的年龄是？"


def test_profile_roles_and_errors(client, viewer, analyst) -> None:
    body = {"customer_id": "c-1", "answers": ANSWERS}
    assert client.post("/api/advisor/profiles", json=body, headers=viewer).status_code == 403
    r = client.post("/api/advisor/profiles", json=body, headers=analyst)
    assert r.status_code == 201, r.text
    assert r.json()["level"] == "C5"
    listed = client.get("/api/advisor/profiles?customer_id=c-1", headers=viewer).json()
    assert [p["id"] for p in listed] == [r.json()["id"]]
    bad = client.post(
        "/api/advisor/profiles",
        json={**body, "answers": {**ANSWERS, "age": "old"}},
        headers=analyst,
    )
    assert bad.status_code == 422 and "answer 'age' must be one of" in bad.json()["detail"]
    missing = client.post("/api/advisor/proposals", json={"profile_id": "nope"}, headers=analyst)
    assert (
        missing.status_code == 404
        and "profile_id must name a stored profile" in missing.json()["detail"]
    )
    wrong = client.post(
        "/api/advisor/proposals", json={"profile_id": "x", "method": "magic"}, headers=analyst
    )
    assert wrong.status_code == 422
