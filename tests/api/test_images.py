"""Image synthesizer routes: upload a zip, fit on it as a job, list models, get the grid PNG."""

from __future__ import annotations

import io
import time
import zipfile

from PIL import Image


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for label in ("0", "1"):
            for i in range(4):
                png = io.BytesIO()
                Image.new("L", (8, 8), color=60 * i).save(png, "PNG")
                zf.writestr(f"{label}/{i}.png", png.getvalue())
    return buf.getvalue()


def _wait(client, headers, job_id: str) -> dict:
    deadline = time.monotonic() + 120
    while (job := client.get(f"/api/jobs/{job_id}", headers=headers).json())["status"] not in (
        "succeeded",
        "failed",
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return job


def test_upload_fit_list_and_grid(client, analyst, viewer):
    r = client.post(
        "/api/images/uploads", headers=analyst, files={"file": ("d.zip", _zip(), "application/zip")}
    )
    assert r.status_code == 201, r.text
    body = {
        "source": r.json()["source"],
        "model": "vae",
        "name": "tiny",
        "params": {"epochs": 1, "width": 8, "latent": 2, "batch_size": 4},
    }
    r = client.post("/api/images/fit", headers=analyst, json=body)
    assert r.status_code == 202, r.text
    job = _wait(client, analyst, r.json()["id"])
    assert job["status"] == "succeeded", job
    assert [m["name"] for m in client.get("/api/images/models", headers=viewer).json()] == ["tiny"]
    r = client.get("/api/images/models/tiny/grid.png", headers=viewer)
    assert (
        r.status_code == 200
        and r.headers["content-type"] == "image/png"
        and r.content[:4] == b"\x89PNG"
    )
    assert (
        client.post(
            "/api/images/sample", headers=analyst, json={"model": "tiny", "n": 3}
        ).status_code
        == 202
    )


def test_bad_uploads_and_params_are_refused(client, analyst, viewer):
    r = client.post(
        "/api/images/uploads",
        headers=analyst,
        files={"file": ("d.zip", b"nope", "application/zip")},
    )
    assert r.status_code == 422 and r.json()["detail"].startswith(
        "upload must be a zip file of PNG or JPEG images"
    )
    r = client.post("/api/images/fit", headers=analyst, json={"model": "gann"})
    assert r.status_code == 422 and "got 'gann'. Did you mean 'gan'?" in r.json()["detail"]
    assert client.post("/api/images/fit", headers=viewer, json={}).status_code == 403
    r = client.post("/api/images/fit", headers=analyst, json={"model": "vae"})
    assert r.status_code == 422 and r.json()["detail"].startswith(
        "source must be given; got nothing."
    )
    assert client.get("/api/images/models/nope/grid.png", headers=viewer).status_code == 404
    assert [k["name"] for k in client.get("/api/images/kinds", headers=viewer).json()] == [
        "gan",
        "vae",
        "ddpm",
    ]
