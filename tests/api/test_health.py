"""Health routes: liveness, readiness and a summary that is 503 while the database is down."""

from __future__ import annotations

import contextlib

import pytest

from finloom.errors import ServiceError


@pytest.fixture
def database_down(client, monkeypatch):
    @contextlib.contextmanager
    def unreachable():
        raise ServiceError("the database must be reachable; got OperationalError. Check FINLOOM_DATABASE_URL.")
        yield

    monkeypatch.setattr(client.app.state.workbench, "session", unreachable)


def test_health_ok_reports_database_and_assistant(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "version": r.json()["version"], "database": "ok", "assistant": "idle"}
    assert client.get("/api/health/ready").status_code == 200
    assert client.get("/api/health/live").json() == {"status": "ok"}


def test_health_is_503_while_the_database_is_down(client, database_down):
    r = client.get("/api/health")
    assert r.status_code == 503 and r.json()["status"] == "degraded" and r.json()["database"] == "unavailable"
    r = client.get("/api/health/ready")
    assert r.status_code == 503 and r.json()["database"] == "unavailable"
    assert client.get("/api/health/live").status_code == 200  # alive: restarting would not help
