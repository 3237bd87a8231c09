"""Insights route: a job with the report files; unknown datasets and viewers refused up front."""

from __future__ import annotations

import time

import numpy as np

_rng = np.random.default_rng(0)
_ROWS = [
    (f"2024-{1 + i % 6:02d}-{1 + i % 27:02d}", "NS"[i % 2], 100 + 20 * (i % 2) + _rng.normal())
    for i in range(240)
]
CSV = "date,region,amount\n" + "".join(f"{d},{r},{a:.2f}\n" for d, r, a in _ROWS)


def test_insights_job_through_the_api(client, analyst, viewer):
    client.post(
        "/api/datasets",
        headers=analyst,
        files={"file": ("d.csv", CSV.encode())},
        data={"name": "d"},
    )
    r = client.post("/api/insights", headers=analyst, json={"dataset": "d", "lang": "zh"})
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    deadline = time.monotonic() + 120
    while client.get(f"/api/jobs/{job_id}", headers=analyst).json()["status"] not in (
        "succeeded",
        "failed",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    job = client.get(f"/api/jobs/{job_id}", headers=analyst).json()
    assert job["status"] == "succeeded", job
    assert job["result"]["insights"] >= 1 and job["result"]["unsupported_numbers"] == 0
    assert "region = S" in job["result"]["sentences"][0]
    names = {f["name"] for f in client.get(f"/api/jobs/{job_id}/files", headers=analyst).json()}
    assert {"summary.html", "summary.pdf", "report.html", "report.pdf", "insights.json"} <= names
    assert (
        client.post("/api/insights", headers=analyst, json={"dataset": "nope"}).status_code == 404
    )
    assert client.post("/api/insights", headers=viewer, json={"dataset": "d"}).status_code == 403
    bad = client.post("/api/insights", headers=analyst, json={"dataset": "d", "alpha": 2})
    assert bad.status_code == 422
