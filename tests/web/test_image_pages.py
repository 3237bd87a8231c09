"""The image synthesizer page: fit on bundled digits or an uploaded zip, saved models shown as grids."""

from __future__ import annotations

import io
import zipfile

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from finloom.config import Settings
from finloom.server import create_app

KEY = "fl_imgsimgsimgs_" + "i" * 32


@pytest.fixture
def client(tmp_path):
    app = create_app(Settings(workspace=tmp_path), executor_mode="thread")
    with TestClient(app) as c:
        app.state.workbench.ensure_key("admin", "admin", KEY)
        c.post("/login", data={"key": KEY})
        yield c


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for label in ("x", "y"):
            for i in range(3):
                png = io.BytesIO()
                Image.new("L", (8, 8), color=50 * i).save(png, "PNG")
                zf.writestr(f"{label}/{i}.png", png.getvalue())
    return buf.getvalue()


def test_images_page_fits_an_uploaded_zip_and_shows_its_grid(client):
    r = client.get("/images")
    assert r.status_code == 200 and 'action="/images/fit"' in r.text
    assert '<a class="tile" href="/images"' in client.get("/").text
    r = client.post(
        "/images/fit",
        data={"source": "upload", "model": "vae", "epochs": "1"},
        files={"file": ("mine.zip", _zip(), "application/zip")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    job = client.app.state.workbench.jobs.wait(r.headers["location"].rsplit("/", 1)[1], timeout=120)
    assert job.status == "succeeded", job.error
    page = client.get("/images").text
    assert (
        "images-mine-vae" in page
        and 'src="/images/models/images-mine-vae/grid.png?version=1"' in page
    )
    png = client.get("/images/models/images-mine-vae/grid.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"


def test_images_page_shows_problems(client):
    r = client.post(
        "/images/fit",
        data={"source": "upload", "model": "vae"},
        files={"file": ("bad.zip", b"not a zip", "application/zip")},
    )
    assert r.status_code == 422 and "upload must be a zip file of PNG or JPEG images" in r.text
    r = client.post("/images/fit", data={"source": "digits", "model": "vae", "epochs": "many"})
    assert (
        r.status_code == 422
        and "epochs must be a whole number &gt;= 1; got &#39;many&#39;." in r.text
    )


def test_image_job_page_shows_figures_and_grid_in_chinese(client):
    client.cookies.set("lang", "zh")
    r = client.post(
        "/images/fit",
        data={"source": "digits", "model": "vae", "epochs": "1"},
        follow_redirects=False,
    )
    job_id = r.headers["location"].rsplit("/", 1)[1]
    assert client.app.state.workbench.jobs.wait(job_id, timeout=120).status == "succeeded"
    page = client.get(f"/jobs/{job_id}").text
    assert "训练图像生成器" in page and "图像数" in page and "1,797" in page
    assert f'src="/api/jobs/{job_id}/files/grid.png"' in page
