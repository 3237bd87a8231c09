"""Marketing routes: a campaign as a job with its files; the A/B planner and analyser in the request;
bad input and wrong roles refused with clear messages."""

from __future__ import annotations

import time

from tests.apps.marketing.data import campaign_csv

CAMPAIGN = {"dataset": "camp", "target": "y", "id_column": "customer", "budget": 60, "cost": 2, "margin": 40,
            "k_max": 3, "bootstrap": 2, "segment_features": ["age", "job", "balance"], "channels": ["sms"]}


def _wait(client, headers, job_id):
    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/jobs/{job_id}", headers=headers).json())["status"] not in ("succeeded", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return job


def test_campaign_job_through_the_api(client, analyst, viewer):
    r = client.post("/api/datasets", headers=analyst, files={"file": ("c.csv", campaign_csv(400, 4))},
                    data={"name": "camp"})
    assert r.status_code in (200, 201), r.text
    r = client.post("/api/marketing/campaigns", headers=analyst, json=CAMPAIGN)
    assert r.status_code == 202, r.text
    job = _wait(client, analyst, r.json()["id"])
    assert job["status"] == "succeeded", job
    result = job["result"]
    assert result["contacts"] == 30 and len(result["top_contacts"]) == 30
    assert result["propensity"]["dropped_leaky"] == ["duration"]
    assert result["copy"]["unsupported_numbers_in_accepted"] == 0 and result["copy"]["accepted"] > 0
    names = {f["name"] for f in client.get(f"/api/jobs/{job['id']}/files", headers=analyst).json()}
    assert {"contacts.csv", "gains.png", "profit.png", "copy.json", "segments.csv"} <= names
    listed = client.get("/api/marketing/campaigns", headers=viewer).json()
    assert listed[0]["job_id"] == job["id"] and listed[0]["contacts"] == 30
    assert client.get(f"/api/marketing/campaigns/{job['id']}", headers=viewer).json()["segments"]["k"] >= 2
    assert client.post("/api/marketing/campaigns", headers=viewer, json=CAMPAIGN).status_code == 403
    assert client.post("/api/marketing/campaigns", headers=analyst,
                       json={**CAMPAIGN, "dataset": "nope"}).status_code == 404
    assert client.post("/api/marketing/campaigns", headers=analyst, json={**CAMPAIGN, "budget": 0}).status_code == 422


def test_a_campaign_with_a_one_class_target_fails_with_the_reason(client, analyst):
    csv = campaign_csv(120, 5).replace(b",yes\n", b",no\n")
    client.post("/api/datasets", headers=analyst, files={"file": ("c.csv", csv)}, data={"name": "flat"})
    r = client.post("/api/marketing/campaigns", headers=analyst, json={**CAMPAIGN, "dataset": "flat"})
    job = _wait(client, analyst, r.json()["id"])
    assert job["status"] == "failed" and "target must have two classes" in job["error"]


def test_planner_and_analyser(client, viewer):
    r = client.post("/api/marketing/tests/plan", headers=viewer, json={"baseline": 0.1, "mde": 0.02})
    assert r.status_code == 200 and r.json()["n_control"] == 3835
    r = client.post("/api/marketing/tests/plan", headers=viewer, json={"baseline": 0.1, "n_control": 3835})
    assert abs(r.json()["mde"] - 0.02) < 1e-3
    r = client.post("/api/marketing/tests/analyse", headers=viewer,
                    json={"conv_control": 100, "n_control": 1000, "conv_treatment": 130, "n_treatment": 1000,
                          "looks": 3})
    assert r.status_code == 200 and "looked at 3 times" in r.json()["warnings"][0]
    bad = client.post("/api/marketing/tests/plan", headers=viewer, json={"baseline": 0.1})
    assert bad.status_code == 400 or bad.status_code == 422
    assert "target or mde" in bad.json()["detail"]
    over = client.post("/api/marketing/tests/analyse", headers=viewer,
                       json={"conv_control": 11, "n_control": 10, "conv_treatment": 1, "n_treatment": 10})
    assert over.status_code in (400, 422) and "control conversions must be an int between 0 and its size 10" in over.text
    assert client.post("/api/marketing/tests/plan", json={"baseline": 0.1, "mde": 0.02}).status_code == 401
