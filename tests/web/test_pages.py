"""Server-rendered pages through TestClient: sign-in, languages, upload errors, job pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app

KEY = "fl_webwebwebweb_" + "w" * 32


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(workspace=tmp_path, bootstrap_admin_key=KEY), executor_mode="thread")
    with TestClient(app) as c:
        yield c


def _login(client):
    r = client.post("/login", data={"key": KEY, "next": "/datasets"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/datasets"


def test_pages_redirect_to_login(client):
    r = client.get("/datasets", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/datasets"


def test_wrong_key_shows_error(client):
    r = client.post("/login", data={"key": "fl_nope_nope"})
    assert r.status_code == 401 and "That key was not accepted" in r.text


def test_home_has_tiles_and_switches_to_chinese(client):
    _login(client)
    page = client.get("/").text
    assert "Datasets" in page and "Synthetic tables" in page
    assert page.count("coming soon") == page.count("class=\"tile off\"") and "<a class=\"tile\" href=\"/datasets\"" in page
    client.get("/lang/zh")
    page = client.get("/").text
    assert "数据集" in page and 'lang="zh-CN"' in page


def test_upload_problems_are_listed(client):
    _login(client)
    r = client.post("/datasets", files={"file": ("x.csv", b"a,a\n1,2\n")}, data={"name": "x"})
    assert r.status_code == 422
    assert "The file was not accepted" in r.text and "duplicate" in r.text.lower()


def test_upload_preview_and_profile_job(client):
    _login(client)
    csv = b"id,amount,segment\n1,1.5,a\n2,2.5,b\n3,3.5,a\n"
    r = client.post("/datasets", files={"file": ("d.csv", csv)}, data={"name": "d"})
    assert r.status_code == 200 and '<table id="preview"' in r.text and "3.5" in r.text
    r = client.post("/datasets/d/profile")
    assert r.status_code == 200 and "dataset.profile" in r.text
    job_id = str(r.url).rsplit("/", 1)[1]
    client.app.state.workbench.jobs.wait(job_id, timeout=30)
    state = client.get(f"/jobs/{job_id}/state").text
    assert "succeeded" in state and "100%" in state and "hx-get" not in state


def test_metadata_editor_saves_new_version(client):
    _login(client)
    client.post("/datasets", files={"file": ("d.csv", b"id,amount\n1,2\n2,3\n")}, data={"name": "d"})
    r = client.post("/datasets/d/metadata", data={"kind:amount": "categorical", "target": "amount", "primary_key": "id"})
    assert r.status_code == 200 and "Saved as version" in r.text and "v2" in r.text


def test_locales_have_the_same_keys():
    root = Path(__import__("finloom.web", fromlist=["x"]).__file__).with_name("locales")
    en = json.loads((root / "en.json").read_text())
    zh = json.loads((root / "zh.json").read_text())
    assert set(en) == set(zh)
