"""Synthetic-data routes: validation up front, jobs started, kinds listed."""

from __future__ import annotations

import time

CSV = "id,amount,segment,default\n" + "".join(f"{i},{i * 1.5 % 97},{'ab'[i % 2]},{int(i % 5 == 0)}\n" for i in range(1, 60))


def test_synth_models_lists_families(client, viewer):
    names = [m["name"] for m in client.get("/api/synth/models", headers=viewer).json()]
    assert {"copula", "gan", "vae", "diffusion"} <= set(names) and names[0] == "auto"


def test_fit_and_sample_through_the_api(client, analyst):
    client.post("/api/datasets", headers=analyst, files={"file": ("d.csv", CSV.encode())}, data={"name": "d", "target": "default"})
    r = client.post("/api/synth/fit", headers=analyst, json={"dataset": "d", "model": "copula", "name": "d-cop"})
    assert r.status_code == 202
    job_id = r.json()["id"]
    deadline = time.monotonic() + 120
    while client.get(f"/api/jobs/{job_id}", headers=analyst).json()["status"] not in ("succeeded", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert client.get(f"/api/jobs/{job_id}", headers=analyst).json()["status"] == "succeeded"
    names = [f["name"] for f in client.get(f"/api/jobs/{job_id}/files", headers=analyst).json()]
    assert "report.html" in names and "sample.csv" in names
    r = client.post("/api/synth/sample", headers=analyst, json={"model": "d-cop", "rows": 10})
    assert r.status_code == 202


def test_fit_unknown_dataset_or_model_is_rejected_early(client, analyst, viewer):
    r = client.post("/api/synth/fit", headers=analyst, json={"dataset": "nope"})
    assert r.status_code == 404
    r = client.post("/api/synth/fit", headers=analyst, json={"dataset": "x", "model": "gann"})
    assert r.status_code == 422 and r.json()["detail"] == (
        "model must be 'auto', 'copula', 'gan', 'vae', 'diffusion' or 'ar'; got 'gann'. Did you mean 'gan'? "
        "Synthesizer family (GET /api/synth/models); 'auto' (the default everywhere) fits the candidate families "
        "on a validation split of the training rows and keeps the best; its params are AutoConfig fields "
        "(time_budget, candidates)."
    )
    r = client.post("/api/synth/fit", headers=analyst, json={"dataset": "x", "params": {"epoch": 5}})
    assert r.status_code == 404  # the dataset is checked first
    assert client.post("/api/synth/sample", headers=analyst, json={"model": "nope"}).status_code == 404
    assert client.post("/api/synth/fit", headers=viewer, json={"dataset": "x"}).status_code == 403
