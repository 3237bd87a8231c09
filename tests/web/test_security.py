"""Cross-site request forgery and sign-out: forms refuse other origins; a signed-out cookie is dead."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from finloom.config import Settings
from finloom.server import create_app

KEY = "fl_csrfcsrfcsrf_" + "c" * 32
CSV = b"id,amount\n1,2\n2,3\n"
REFUSED = "a request that changes data must come from finloom's own pages; got a cross-origin request"


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(workspace=tmp_path, bootstrap_admin_key=KEY), executor_mode="thread")
    with TestClient(app, base_url="http://127.0.0.1:8000") as c:
        r = c.post("/login", data={"key": KEY}, follow_redirects=False)
        assert r.status_code == 303
        yield c


def _datasets(client):
    return [d["name"] for d in client.get("/api/datasets", headers={"X-API-Key": KEY}).json()]


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:9999"},  # another port, same site
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Origin": "http://127.0.0.1:9999"},  # a browser without Fetch Metadata
        {"Origin": "null"},  # a sandboxed frame or a data: page
    ],
)
def test_cross_origin_form_post_is_refused(client, headers):
    r = client.post("/datasets", files={"file": ("d.csv", CSV)}, data={"name": "forged"}, headers=headers)
    assert r.status_code == 403 and REFUSED in r.text
    assert "forged" not in _datasets(client)


def test_cross_origin_htmx_post_and_logout_are_refused(client):
    site = {"Sec-Fetch-Site": "same-site", "HX-Request": "true"}
    r = client.post("/compliance/text", data={"text": "guaranteed return"}, headers=site)
    assert r.status_code == 403 and REFUSED in r.text
    assert client.post("/logout", headers={"Sec-Fetch-Site": "same-site"}).status_code == 403
    assert client.get("/datasets", follow_redirects=False).status_code == 200  # still signed in


def test_same_origin_form_post_is_accepted(client):
    same = {"Sec-Fetch-Site": "same-origin", "Origin": "http://127.0.0.1:8000"}
    r = client.post("/datasets", files={"file": ("d.csv", CSV)}, data={"name": "mine"}, headers=same, follow_redirects=False)
    assert r.status_code == 303 and "mine" in _datasets(client)
    r = client.post("/datasets", files={"file": ("d.csv", CSV)}, data={"name": "mine2"}, headers={"Origin": "http://127.0.0.1:8000"})
    assert r.status_code == 200 and "mine2" in _datasets(client)


def test_cross_origin_sign_in_is_refused(client):
    r = client.post("/login", data={"key": KEY}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403


def test_api_refuses_a_no_cors_upload_with_the_session_cookie(client):
    # what fetch("/api/datasets", {method: "POST", mode: "no-cors", credentials: "include"}) sends
    r = client.post("/api/datasets", files={"file": ("d.csv", CSV)}, data={"name": "stolen"},
                    headers={"Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:9999"})
    assert r.status_code == 403 and r.json()["detail"].startswith(REFUSED)
    assert "stolen" not in _datasets(client)


def test_api_writes_need_the_key_header_not_the_cookie(client):
    r = client.post("/api/datasets", files={"file": ("d.csv", CSV)}, data={"name": "cookie-only"})
    assert r.status_code == 401
    assert r.json()["detail"] == (
        "an API key must be sent as 'Authorization: Bearer <key>' or 'X-API-Key' for POST requests; "
        "got only the web session cookie. Send the key in a header."
    )
    assert client.get("/api/datasets").status_code == 200  # reading with the cookie is fine (file links)
    r = client.post("/api/datasets", files={"file": ("d.csv", CSV)}, data={"name": "with-key"}, headers={"X-API-Key": KEY})
    assert r.status_code == 201


def test_sign_out_ends_the_session_for_a_copied_cookie(client):
    stolen = client.cookies.get("finloom_session")
    assert client.get("/datasets", follow_redirects=False).status_code == 200
    assert client.post("/logout", follow_redirects=False).status_code == 303
    with TestClient(client.app, base_url="http://127.0.0.1:8000") as thief:
        thief.cookies.set("finloom_session", stolen)
        r = thief.get("/datasets", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
        assert thief.get("/api/me").status_code == 401


def test_revoking_a_key_ends_its_web_sessions(client):
    created = client.post("/api/keys", headers={"X-API-Key": KEY}, json={"user": "vic", "role": "viewer"}).json()
    with TestClient(client.app, base_url="http://127.0.0.1:8000") as other:
        other.post("/login", data={"key": created["key"]})
        assert other.get("/datasets", follow_redirects=False).status_code == 200
        assert client.delete(f"/api/keys/{created['id']}", headers={"X-API-Key": KEY}).status_code == 204
        assert other.get("/datasets", follow_redirects=False).status_code == 303
