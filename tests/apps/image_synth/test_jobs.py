"""The images.fit and images.sample jobs on a workbench: bundled digits, an uploaded zip, bad sources."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from finloom.config import Settings
from finloom.jobs import InvalidParamsError
from finloom.services import images as service
from finloom.workbench import Workbench

FAST = {"epochs": 1, "width": 8, "latent": 4, "batch_size": 32}


@pytest.fixture
def wb(tmp_path):
    workbench = Workbench(Settings(workspace=tmp_path / "ws"), executor_mode="thread").start()
    yield workbench
    workbench.close()


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for label, value in (("cat", 30), ("dog", 220)):
            for i in range(4):
                png = io.BytesIO()
                Image.new("RGB", (12, 12), (value, i * 20, 0)).save(png, "PNG")
                zf.writestr(f"pets/{label}/{i}.png", png.getvalue())
    return buf.getvalue()


def test_fit_on_digits_saves_model_and_grid_then_sample_job_writes_pngs(wb) -> None:
    job = wb.jobs.wait(
        service.start_image_fit(wb, "ana", {"source": "digits", "model": "vae", "params": FAST}).id
    )
    assert job.status == "succeeded", job.error
    assert job.result["model"] == "images-digits-vae" and job.result["classes"][:2] == ["0", "1"]
    assert {f.name for f in wb.jobs.files(job.id)} >= {"grid.png"}
    assert [m.name for m in service.image_models(wb)] == ["images-digits-vae"]
    png = service.model_grid_png(wb, "images-digits-vae")
    assert png == wb.jobs.file_path(job.id, "grid.png").read_bytes()  # the fit job's grid is reused
    assert service.model_grid_png(wb, "images-digits-vae", per_class=2, seed=1)[:4] == b"\x89PNG"
    sample = wb.jobs.wait(
        service.start_image_sample(
            wb, "ana", {"model": "images-digits-vae", "n": 5, "labels": ["3", "4"]}
        ).id
    )
    assert sample.status == "succeeded", sample.error
    names = sorted(zipfile.ZipFile(wb.jobs.file_path(sample.id, "samples.zip")).namelist())
    assert names == ["3/00000.png", "3/00002.png", "3/00004.png", "4/00001.png", "4/00003.png"]


def test_fit_on_an_uploaded_zip_resizes_and_labels(wb) -> None:
    source = service.store_image_upload(wb, "ana", _zip(), "pets.zip")
    job = wb.jobs.wait(
        service.start_image_fit(
            wb,
            "ana",
            {
                "source": source,
                "model": "gan",
                "image_size": 8,
                "params": {"epochs": 1, "width": 8, "batch_size": 4},
            },
        ).id
    )
    assert job.status == "succeeded", job.error
    assert job.result["classes"] == ["cat", "dog"] and job.result["image_shape"] == [3, 8, 8]
    assert job.result["model"] == "images-pets-gan"


def test_fit_refuses_a_source_outside_the_imports_and_bad_params(wb, tmp_path) -> None:
    with pytest.raises(
        InvalidParamsError,
        match=r"source must be 'digits' or 'mnist', or a .zip or folder of images "
        r"inside the workspace's imports folder; got '/etc'",
    ):
        service.start_image_fit(wb, "ana", {"source": "/etc"})
    with pytest.raises(
        InvalidParamsError,
        match=r"params must only hold fields of ConvVAEConfig .*; got 'epoch'\. "
        r"Did you mean 'epochs'\?",
    ):
        service.start_image_fit(wb, "ana", {"source": "digits", "params": {"epoch": 3}})


def test_fit_on_a_zip_with_mixed_sizes_fails_with_the_reason(wb) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i, size in enumerate((8, 8, 10)):
            png = io.BytesIO()
            Image.new("L", (size, size)).save(png, "PNG")
            zf.writestr(f"{i}.png", png.getvalue())
    source = service.store_image_upload(wb, "ana", buf.getvalue(), "mixed.zip")
    job = wb.jobs.wait(service.start_image_fit(wb, "ana", {"source": source}).id)
    assert (
        job.status == "failed"
        and "images must all have the same size when image_size is not given" in job.error
    )
    assert service.image_models(wb) == []
