"""Job and model routes: submit, follow (SSE), cancel, unknown ids; model listing and deletion."""

from __future__ import annotations

import json
import time

import numpy as np

from finloom._serialization import save_state


def _wait(client, headers, job_id, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError("job did not finish")


def test_submit_and_follow_a_job(client, analyst):
    r = client.post("/api/jobs", headers=analyst, json={"kind": "demo.count", "params": {"steps": 4, "delay": 0.02}})
    assert r.status_code == 202
    job_id = r.json()["id"]
    with client.stream("GET", f"/api/jobs/{job_id}/events", headers=analyst) as stream:
        events = [line for line in stream.iter_lines() if line.startswith("data:")]
    final = json.loads(events[-1][5:])
    assert final["status"] == "succeeded" and final["progress"] == 1.0 and final["result"] == {"counted": 4}
    assert [j["id"] for j in client.get("/api/jobs?status=succeeded", headers=analyst).json()] == [job_id]


def test_failed_job_reports_error(client, analyst):
    r = client.post("/api/jobs", headers=analyst, json={"kind": "demo.count", "params": {"steps": 2, "delay": 0, "fail_at": 0}})
    job = _wait(client, analyst, r.json()["id"])
    assert job["status"] == "failed" and job["error"] == "RuntimeError: demo failure at step 0"


def test_cancel_and_unknown_jobs(client, analyst):
    job_id = client.post("/api/jobs", headers=analyst, json={"kind": "demo.count", "params": {"steps": 500, "delay": 0.02}}).json()["id"]
    assert client.post(f"/api/jobs/{job_id}/cancel", headers=analyst).status_code == 200
    assert _wait(client, analyst, job_id)["status"] == "cancelled"
    assert client.post(f"/api/jobs/{job_id}/cancel", headers=analyst).status_code == 409
    r = client.get("/api/jobs/does-not-exist", headers=analyst)
    assert r.status_code == 404 and r.json()["detail"].startswith("job id must be an existing job")
    r = client.post("/api/jobs", headers=analyst, json={"kind": "nope"})
    assert r.status_code == 400 and "job kind must be one of the known kinds" in r.json()["detail"]


class _Tiny:
    def save(self, path):
        save_state(path, kind="Tiny", config={}, tensors={"w": np.zeros(2)})


def test_models_list_show_delete(app, client, analyst, admin):
    app.state.workbench.artifacts.save("credit-gan", _Tiny(), metrics={"quality": 0.91})
    models = client.get("/api/models", headers=analyst).json()
    assert [(m["name"], m["version"], m["metrics"]) for m in models] == [("credit-gan", 1, {"quality": 0.91})]
    assert client.get("/api/models/credit-gan", headers=analyst).json()["kind"] == "_Tiny"
    assert client.delete("/api/models/credit-gan", headers=analyst).status_code == 403
    assert client.delete("/api/models/credit-gan", headers=admin).status_code == 204
    assert client.get("/api/models/credit-gan", headers=admin).status_code == 404


def test_unexpected_error_is_500_without_traceback(app, client, analyst, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(app.state.workbench.datasets, "list", boom)
    r = client.get("/api/datasets", headers=analyst)
    assert r.status_code == 500
    body = r.json()
    assert "secret internals" not in r.text and "Traceback" not in r.text
    assert body["request_id"] == r.headers["X-Request-ID"]


def test_job_files_list_and_download(app, client, analyst):
    job_id = client.post("/api/jobs", headers=analyst, json={"kind": "demo.count", "params": {"steps": 1, "delay": 0}}).json()["id"]
    assert _wait(client, analyst, job_id)["status"] == "succeeded"
    out = app.state.workbench.workspace / "jobs" / job_id
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.html").write_text("<h1>ok</h1>")
    files = client.get(f"/api/jobs/{job_id}/files", headers=analyst).json()
    assert [f["name"] for f in files] == ["log.txt", "report.html"]  # the job's progress log, then its output
    assert files[1] == {"name": "report.html", "size_bytes": 11}
    r = client.get(f"/api/jobs/{job_id}/files/report.html", headers=analyst)
    assert r.status_code == 200 and r.text == "<h1>ok</h1>"
    assert client.get(f"/api/jobs/{job_id}/files/..%2F..%2Ffinloom.db", headers=analyst).status_code == 404
    assert client.get(f"/api/jobs/{job_id}/files/nope.csv", headers=analyst).status_code == 404
