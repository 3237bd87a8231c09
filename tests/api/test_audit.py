"""Every change made through the API is in the audit log once, with the key's user as actor."""

from __future__ import annotations

from finloom.store import list_audit


def _events(client, action):
    with client.app.state.workbench.session() as session:
        return [(e.actor, e.target, e.details) for e in list_audit(session, action=action)]


def test_a_report_job_is_audited_once(client, analyst):
    r = client.post("/api/reports/market", headers=analyst, json={"tickers": ["SP500"], "start": "2018-01-02",
                                                                   "end": "2018-01-31"})
    assert r.status_code == 202, r.text
    assert _events(client, "job.submit") == [("analyst-user", r.json()["id"], {"kind": "report.market"})]
    r = client.post("/api/reports/portfolio", headers=analyst, json={"weights": {"SP500": 1.0}})
    assert r.status_code == 202, r.text
    assert [e[2]["kind"] for e in _events(client, "job.submit")] == ["report.portfolio", "report.market"]


def test_a_job_the_api_refuses_is_not_audited(client, analyst):
    r = client.post("/api/jobs", headers=analyst, json={"kind": "dataset.profile", "params": {"dataset": "nope"}})
    assert r.status_code == 404
    assert _events(client, "job.submit") == []


def test_key_creation_and_revocation_are_audited_once_each(client, admin):
    created = client.post("/api/keys", headers=admin, json={"user": "bo", "role": "viewer"}).json()
    assert client.delete(f"/api/keys/{created['id']}", headers=admin).status_code == 204
    assert _events(client, "key.create") == [("admin", created["id"], {"user": "bo", "role": "viewer"})]
    assert _events(client, "key.revoke") == [("admin", created["id"], {"user": "bo"})]


def test_dataset_upload_edit_and_delete_are_audited_once_each(client, admin):
    csv = b"id,amount,segment\n1,1.5,a\n2,2.5,b\n3,3.5,a\n"
    assert client.post("/api/datasets", headers=admin, files={"file": ("d.csv", csv)}, data={"name": "d"}).status_code == 201
    assert client.put("/api/datasets/d/metadata", headers=admin, json={"primary_key": "id"}).status_code == 200
    assert client.delete("/api/datasets/d", headers=admin).status_code == 204
    assert _events(client, "dataset.create") == [("admin", "d", {"version": 1, "rows": 3, "cols": 3})]
    assert _events(client, "dataset.metadata") == [("admin", "d", {"version": 2, "rows": 3, "cols": 3})]
    assert _events(client, "dataset.delete") == [("admin", "d", {"versions": 2})]
