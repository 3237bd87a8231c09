"""Image synthesizers: store an uploaded zip of images, start fit and sample jobs, list models, draw grids.

Uploads are written whole under ``<workspace>/imports/uploads/<id>/`` (temp name, then renamed)
and audited as ``file.upload``; jobs are submitted (and audited) through :func:`submit_job`.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import zipfile
from collections.abc import Mapping
from typing import Any

from finloom.errors import InvalidDataError, NotFoundError
from finloom.jobs import IMPORTS_DIR, Job
from finloom.services.jobs import submit_job
from finloom.store import ArtifactInfo, AuditEntry
from finloom.workbench import Workbench

__all__ = [
    "IMAGE_KINDS",
    "image_models",
    "model_grid_png",
    "start_image_fit",
    "sample_images_to_files",
    "start_image_sample",
    "store_image_upload",
]

UPLOADS = "uploads"  # <workspace>/imports/uploads/<id>/<name>.zip
IMAGE_KINDS = ("DCGANSynthesizer", "ConvVAESynthesizer", "DDPMSynthesizer")


def _safe_name(filename: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", os.path.basename(filename or "images.zip")).strip("-.")
    stem = stem[:-4] if stem.lower().endswith(".zip") else stem
    return (stem[:80] or "images") + ".zip"


def store_image_upload(workbench: Workbench, actor: str, data: bytes, filename: str) -> str:
    """Keep an uploaded zip of images for ``images.fit``; audit ``file.upload``; returns its ``source`` path.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> buf = io.BytesIO()
    >>> with zipfile.ZipFile(buf, "w") as zf:
    ...     zf.writestr("a/1.png", b"not checked here")
    >>> store_image_upload(wb, "ana", buf.getvalue(), "my digits.zip").endswith("/my-digits.zip")
    True
    >>> store_image_upload(wb, "ana", b"hello", "x.zip")
    Traceback (most recent call last):
    ...
    finloom.errors.InvalidDataError: upload must be a zip file of PNG or JPEG images; got 5 bytes that are not a zip. Zip the image folder and upload the .zip.
    """
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise InvalidDataError(
            f"upload must be a zip file of PNG or JPEG images; got {len(data)} bytes that are not "
            "a zip. Zip the image folder and upload the .zip."
        )
    folder = workbench.workspace / IMPORTS_DIR / UPLOADS / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True)
    name = _safe_name(filename)
    staged = folder / f".{name}.tmp"
    staged.write_bytes(data)
    os.replace(staged, folder / name)
    relative = f"{UPLOADS}/{folder.name}/{name}"
    with workbench.session() as session:
        AuditEntry(actor, "file.upload").record(session, target=relative, bytes=len(data))
    return relative


def start_image_fit(workbench: Workbench, actor: str, params: Mapping[str, Any] | Any) -> Job:
    """Submit an ``images.fit`` job (checked by :class:`~finloom.apps.image_synth.ImageFitParams`)."""
    return submit_job(workbench, actor, "images.fit", params)


def start_image_sample(workbench: Workbench, actor: str, params: Mapping[str, Any] | Any) -> Job:
    """Submit an ``images.sample`` job (checked by :class:`~finloom.apps.image_synth.ImageSampleParams`)."""
    return submit_job(workbench, actor, "images.sample", params)


def image_models(workbench: Workbench) -> list[ArtifactInfo]:
    """The saved image synthesizers, newest first.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> image_models(Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate())
    []
    """
    return [a for a in workbench.artifacts.list() if a.kind in IMAGE_KINDS]


def model_grid_png(
    workbench: Workbench,
    name: str,
    version: int | None = None,
    *,
    per_class: int = 8,
    seed: int = 0,
) -> bytes:
    """A PNG grid, one row of ``per_class`` samples per class, of image model ``name``.

    The grid its fit job drew is reused when it matches (``per_class`` 8, ``seed`` 0 drawn at fit
    with the job's seed); otherwise the model is loaded and sampled.
    """
    from finloom.apps.image_synth import grid_png

    info = workbench.artifacts.get(name, version)
    if info.kind not in IMAGE_KINDS:
        raise InvalidDataError(
            f"model must be an image synthesizer ({', '.join(IMAGE_KINDS)}); got '{name}' "
            f"({info.kind}). Pick one from GET /api/images/models."
        )
    if info.job_id and per_class == 8 and seed == 0:
        try:
            job = workbench.jobs.get(info.job_id)
            drawn = workbench.jobs.file_path(info.job_id, "grid.png")
        except NotFoundError:  # the job's files were removed: draw the grid again
            drawn = None
        if (
            drawn is not None
            and job.params.get("per_class", 8) == 8
            and job.params.get("seed", 0) == 0
        ):
            return drawn.read_bytes()
    return grid_png(workbench.artifacts.load(name, version), per_class=per_class, seed=seed)


def sample_images_to_files(
    model_dir: str | os.PathLike[str],
    n: int,
    out: str | os.PathLike[str],
    *,
    labels: list[str] | None = None,
    seed: int = 0,
    grid: str | os.PathLike[str] | None = None,
    per_class: int = 8,
    progress: Any = None,
) -> dict[str, Any]:
    """Draw ``n`` images from the model folder ``model_dir`` into the zip ``out`` (one PNG per image);
    with ``grid``, also write a PNG grid of ``per_class`` samples per class. Returns a summary.

    ``labels`` are drawn in turn (empty: the training mix of classes).
    """
    import time
    from pathlib import Path

    from finloom._io import atomic_write_bytes
    from finloom.apps.image_synth import grid_png
    from finloom.errors import ConfigError
    from finloom.synth.images import load_image_synthesizer, write_pngs_zip

    if Path(out).suffix.lower() != ".zip":
        raise ConfigError(
            f"output path must end in .zip; got '{Path(out).name}'. Name it e.g. samples.zip."
        )
    synth = load_image_synthesizer(model_dir)
    wanted = [labels[i % len(labels)] for i in range(n)] if labels else None
    start = time.perf_counter()
    data = synth.sample(n, labels=wanted, random_state=seed, progress=progress)
    seconds = time.perf_counter() - start
    write_pngs_zip(data, out)
    if grid is not None:
        atomic_write_bytes(grid, grid_png(synth, per_class=per_class, seed=seed))
    return {
        "images": data.n,
        "path": str(out),
        "classes": list(data.classes),
        "image_shape": list(data.shape),
        "images_per_s": round(data.n / seconds, 1) if seconds > 0 else None,
    }
