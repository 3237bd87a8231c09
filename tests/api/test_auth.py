"""Authentication and roles on the API."""

from __future__ import annotations


def test_health_is_public(client):
    r = client.get("/api/health")
    assert r.status_code == 200 and r.json()["database"] == "ok"
    assert r.headers["X-Request-ID"]


def test_missing_key_is_401(client):
    r = client.get("/api/datasets")
    assert r.status_code == 401
    assert r.json()["detail"].startswith("an API key must be sent as")


def test_wrong_key_is_401(client):
    r = client.get("/api/datasets", headers={"Authorization": "Bearer fl_abcdefabcdef_" + "x" * 30})
    assert r.status_code == 401 and "the API key is wrong" in r.json()["detail"]


def test_key_is_shown_once_and_works(client, admin):
    created = client.post("/api/keys", json={"user": "ana", "role": "analyst", "label": "laptop"}, headers=admin).json()
    assert created["key"].startswith("fl_")
    listed = client.get("/api/keys", headers=admin).json()
    assert all("key" not in k for k in listed)
    assert client.get("/api/me", headers={"X-API-Key": created["key"]}).json() == {
        "user": "ana", "role": "analyst", "key_id": created["id"]
    }


def test_revoked_key_stops_working(client, admin, viewer):
    key_id = client.get("/api/me", headers=viewer).json()["key_id"]
    assert client.delete(f"/api/keys/{key_id}", headers=admin).status_code == 204
    r = client.get("/api/me", headers=viewer)
    assert r.status_code == 401 and "revoked" in r.json()["detail"]


def test_viewer_cannot_delete_or_create(client, viewer, admin):
    r = client.delete("/api/datasets/anything", headers=viewer)
    assert r.status_code == 403
    assert r.json()["detail"] == "DELETE /api/datasets/anything needs the 'admin' role; your key has 'viewer'. Ask an admin."
    assert client.post("/api/keys", json={"user": "x"}, headers=viewer).status_code == 403
    assert client.post("/api/jobs", json={"kind": "demo.count"}, headers=viewer).status_code == 403


def test_audit_log_records_key_creation(client, admin, analyst):
    events = client.get("/api/audit", headers=admin).json()
    assert any(e["action"] == "key.create" and e["details"]["role"] == "analyst" for e in events)


def test_bootstrap_admin_key_cannot_be_revoked_while_configured(client, admin):
    from tests.api.conftest import ADMIN_KEY

    key_id = ADMIN_KEY.split("_")[1]
    r = client.delete(f"/api/keys/{key_id}", headers=admin)
    assert r.status_code == 409
    assert r.json()["detail"] == (
        f"key id must not be the bootstrap admin key while FINLOOM_BOOTSTRAP_ADMIN_KEY is set; got '{key_id}'. "
        "Unset FINLOOM_BOOTSTRAP_ADMIN_KEY and restart the server, then revoke it."
    )
    assert client.get("/api/me", headers=admin).status_code == 200


def test_server_starts_with_a_revoked_bootstrap_key_and_keeps_it_revoked(tmp_path, caplog):
    from fastapi.testclient import TestClient

    from finloom.config import Settings
    from finloom.server import create_app
    from finloom.store import revoke_api_key
    from finloom.workbench import Workbench
    from tests.api.conftest import ADMIN_KEY

    settings = Settings(workspace=tmp_path / "ws", bootstrap_admin_key=ADMIN_KEY)
    wb = Workbench(settings, executor_mode="thread").start()
    with wb.session() as session:  # revoked outside the API (CLI without the setting, or an older version)
        revoke_api_key(session, ADMIN_KEY.split("_")[1])
    wb.close()
    with TestClient(create_app(settings, executor_mode="thread")) as client:
        assert client.get("/api/health").status_code == 200
        r = client.get("/api/me", headers={"X-API-Key": ADMIN_KEY})
        assert r.status_code == 401 and "revoked" in r.json()["detail"]
    assert "the bootstrap admin key adminadmin0 was revoked and stays so" in caplog.text
