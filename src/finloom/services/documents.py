"""Documents: upload pages to check (a ``documents.check`` job), generate samples, read a check's results."""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from finloom.apps.documents import (
    RESULTS_FILE,
    DocumentCheckOptions,
    DocumentCheckParams,
    DocumentGenerateParams,
)
from finloom.errors import ConfigError
from finloom.jobs import IMPORTS_DIR, Job, output_dir
from finloom.services.jobs import import_local_path, submit_job
from finloom.workbench import Workbench

__all__ = ["UPLOADS", "check_results", "start_check", "start_check_paths", "start_generate"]

UPLOADS = "documents"  # <workspace>/imports/documents/<id>/: pages uploaded for checking
MAX_FILES = 50


def _safe_name(name: str, index: int) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or f"page-{index}"
    return f"{index:03d}-{stem[:80]}"


def _store_uploads(workbench: Workbench, uploads: Sequence[tuple[str, bytes]]) -> list[str]:
    """Write the uploaded files into a new folder of the imports area (each to a temporary name, then renamed)."""
    if not 1 <= len(uploads) <= MAX_FILES:
        raise ConfigError(
            f"files must be 1 to {MAX_FILES} images or PDFs; got {len(uploads)}. Upload fewer files."
        )
    folder = workbench.workspace / IMPORTS_DIR / UPLOADS / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True)
    paths = []
    for i, (name, data) in enumerate(uploads, start=1):
        target = folder / _safe_name(name, i)
        fd, tmp = tempfile.mkstemp(prefix=".upload.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        paths.append(str(target.relative_to(workbench.workspace / IMPORTS_DIR)))
    return paths


def start_check(
    workbench: Workbench,
    actor: str,
    uploads: Sequence[tuple[str, bytes]],
    options: DocumentCheckOptions,
) -> Job:
    """Store uploaded images/PDFs and submit the ``documents.check`` job that reads and checks them
    (audited ``job.submit``).

    Examples
    --------
    >>> import io, tempfile
    >>> from PIL import Image
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start()
    >>> buffer = io.BytesIO(); Image.new("L", (50, 40), 255).save(buffer, "PNG")
    >>> job = start_check(wb, "ana", [("blank.png", buffer.getvalue())], DocumentCheckOptions())
    >>> wb.jobs.wait(job.id).status, check_results(wb, job.id)["summary"]["pages"]
    ('succeeded', 1)
    >>> wb.close()
    """
    files = _store_uploads(workbench, uploads)
    params = DocumentCheckParams(files=files, **options.model_dump())
    return submit_job(workbench, actor, "documents.check", params)


def start_check_paths(
    workbench: Workbench,
    actor: str,
    paths: Sequence[str | os.PathLike[str]],
    options: DocumentCheckOptions,
) -> Job:
    """Submit ``documents.check`` for local files (the CLI: each is brought into the imports folder first)."""
    files = [import_local_path(workbench, actor, p, "FILE") for p in paths]
    return submit_job(
        workbench,
        actor,
        "documents.check",
        DocumentCheckParams(files=files, **options.model_dump()),
    )


def start_generate(workbench: Workbench, actor: str, params: DocumentGenerateParams) -> Job:
    """Submit ``documents.generate`` (audited ``job.submit``)."""
    return submit_job(workbench, actor, "documents.generate", params)


def check_results(workbench: Workbench, job_id: str) -> dict[str, Any] | None:
    """The ``results.json`` of a succeeded ``documents.check`` job, or ``None`` while it has none."""
    job = workbench.jobs.get(job_id)
    path = output_dir(workbench.workspace, job.id) / RESULTS_FILE
    if job.kind != "documents.check" or not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
