"""One error body across the API: ``{"detail": str, "request_id": str}`` (+ ``problems``), whatever failed."""

from __future__ import annotations

import pytest


def _shape(response) -> dict:
    body = response.json()
    assert set(body) <= {"detail", "request_id", "problems"}, body
    assert isinstance(body["detail"], str) and body["detail"], body
    assert body["request_id"] == response.headers["X-Request-ID"], body
    return body


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), [
    ("get", "/api/nope", {}, 404),  # no such route
    ("patch", "/api/datasets", {}, 405),  # no such method
    ("get", "/api/datasets/nope", {}, 404),  # a finloom error
    ("post", "/api/jobs", {"json": {"kind": "demo.count", "params": {"steps": 0}}}, 422),  # params model
    ("post", "/api/keys", {"json": {"user": "a b"}}, 422),  # request validation
    ("post", "/api/jobs", {"content": b"{", "headers": {"content-type": "application/json"}}, 422),  # bad JSON
    ("post", "/api/jobs", {"content": b"x" * (9 * 2**20), "headers": {"content-type": "application/json"}}, 413),
])
def test_every_error_has_the_same_body(client, admin, method, path, kwargs, status):
    headers = {**admin, **kwargs.pop("headers", {})}
    response = getattr(client, method)(path, headers=headers, **kwargs)
    assert response.status_code == status, response.text
    body = _shape(response)
    if status == 422:
        assert body["problems"] and body["detail"].startswith(body["problems"][0].split(";")[0][:10])


def test_unauthenticated_and_cross_origin_errors_have_the_same_body(client, admin):
    _shape(client.get("/api/datasets"))  # 401
    refused = client.post("/api/jobs", headers={**admin, "Sec-Fetch-Site": "cross-site"}, json={"kind": "demo.count"})
    assert refused.status_code == 403
    body = refused.json()
    assert set(body) == {"detail", "request_id"} and "cross-origin" in body["detail"]
