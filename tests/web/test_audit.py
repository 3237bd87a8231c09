"""What the web pages change is in the audit log once, with the signed-in user as actor."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app
from finloom.services.keys import KeyCreate, create_key
from finloom.store import list_audit

ADMIN_KEY = "fl_auditweb001_" + "a" * 32


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(workspace=tmp_path, bootstrap_admin_key=ADMIN_KEY), executor_mode="thread")
    with TestClient(app) as c:
        key = create_key(app.state.workbench, "admin", KeyCreate(user="ana", role="analyst")).key
        r = c.post("/login", data={"key": key, "next": "/datasets"}, follow_redirects=False)
        assert r.status_code == 303
        r = c.post("/datasets", files={"file": ("d.csv", b"id,amount,segment\n1,1.5,a\n2,2.5,b\n3,3.5,a\n")},
                   data={"name": "d"})
        assert r.status_code == 200, r.text
        yield c


def _events(client, action):
    with client.app.state.workbench.session() as session:
        return [(e.actor, e.target, e.details) for e in list_audit(session, action=action)]


def test_a_job_started_on_a_page_is_audited_once(client):
    r = client.post("/datasets/d/profile", follow_redirects=False)
    assert r.status_code == 303
    job_id = r.headers["location"].rsplit("/", 1)[1]
    assert _events(client, "job.submit") == [("ana", job_id, {"kind": "dataset.profile"})]


def test_a_metadata_edit_on_a_page_is_audited_once(client):
    r = client.post("/datasets/d/metadata", data={"kind:segment": "text", "target": "", "primary_key": "id"},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    assert _events(client, "dataset.metadata") == [("ana", "d", {"version": 2, "rows": 3, "cols": 3})]


def test_an_upload_on_a_page_is_audited_once(client):
    assert _events(client, "dataset.create") == [("ana", "d", {"version": 1, "rows": 3, "cols": 3})]


def test_a_refused_edit_leaves_no_audit_row(client):
    r = client.post("/datasets/d/metadata", data={"kind:segmnt": "text"})
    assert r.status_code == 200 and "segmnt" in r.text
    assert _events(client, "dataset.metadata") == []
