"""An app on a temporary workspace with one key per role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app

ADMIN_KEY = "fl_adminadmin0_" + "a" * 32


@pytest.fixture
def app(tmp_path):
    settings = Settings(workspace=tmp_path / "ws", bootstrap_admin_key=ADMIN_KEY, max_upload_mb=1)
    return create_app(settings, executor_mode="thread")


@pytest.fixture
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture
def admin():
    return {"Authorization": f"Bearer {ADMIN_KEY}"}


def _key(client, admin, role):
    r = client.post("/api/keys", json={"user": f"{role}-user", "role": role}, headers=admin)
    assert r.status_code == 201, r.text
    return {"X-API-Key": r.json()["key"]}


@pytest.fixture
def analyst(client, admin):
    return _key(client, admin, "analyst")


@pytest.fixture
def viewer(client, admin):
    return _key(client, admin, "viewer")
