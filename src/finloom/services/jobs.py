"""Jobs: submit and cancel, each recorded in the audit log with the job row."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from finloom.errors import ConfigError
from finloom.jobs import IMPORTS_DIR, Job, import_roots, inside_roots
from finloom.store import AuditEntry
from finloom.workbench import Workbench

__all__ = ["cancel_job", "import_local_path", "submit_job"]

LOCAL_IMPORTS = "local"  # <workspace>/imports/local/<id>/: files the CLI brought into the workspace


def submit_job(
    workbench: Workbench, actor: str, kind: str, params: Mapping[str, Any] | BaseModel | None = None
) -> Job:
    """Validate ``params`` with ``kind``'s params model, store and queue the job, audit ``job.submit``.

    The audit event is written in the transaction that stores the job row.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start()
    >>> job = submit_job(wb, "ana", "demo.count", {"steps": 1, "delay": 0})
    >>> wb.jobs.wait(job.id).status, job.created_by
    ('succeeded', 'ana')
    >>> wb.close()
    """
    return workbench.jobs.submit(kind, params, created_by=actor, audit=AuditEntry(actor, "job.submit"))


def cancel_job(workbench: Workbench, actor: str, job_id: str) -> Job:
    """Cancel a queued or running job (409 once it finished) and audit ``job.cancel``."""
    return workbench.jobs.cancel(job_id, audit=AuditEntry(actor, "job.cancel"))


def import_local_path(workbench: Workbench, actor: str, path: str | os.PathLike[str], what: str = "file") -> str:
    """Bring a local file or folder into the workspace so that job parameters may name it; audit ``file.import``.

    A path already inside an import root (``<workspace>/imports`` or ``FINLOOM_IMPORT_ROOTS``) is
    used where it is. Anything else is copied into ``<workspace>/imports/local/<id>/`` (written to
    a temporary name, then renamed). Returns the path to put in the parameters. The API never
    takes local paths: only this explicit copy, made by the local user, widens what a job can read.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> src = Path(tempfile.mkdtemp()) / "loans.csv"; _ = src.write_text("id,amount\\n1,2\\n")
    >>> rel = import_local_path(wb, "ana", src, "DATA")
    >>> rel.startswith("local/") and rel.endswith("/loans.csv"), (wb.workspace / "imports" / rel).is_file()
    (True, True)
    >>> import_local_path(wb, "ana", src.parent / "missing.csv", "DATA")
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: DATA must be an existing file or folder; got 'missing.csv'. Check the path.
    """
    source = Path(path).expanduser()
    if not source.exists():
        raise ConfigError(f"{what} must be an existing file or folder; got {source.name!r}. Check the path.")
    roots = import_roots(workbench.workspace, workbench.settings.import_roots)
    if inside_roots(str(source.resolve()), roots) is not None:
        return str(source.resolve())
    folder = workbench.workspace / IMPORTS_DIR / LOCAL_IMPORTS / uuid.uuid4().hex[:12]
    folder.mkdir(parents=True)
    staged = folder / f".{source.name}.tmp"
    if source.is_dir():
        shutil.copytree(source, staged)
    else:
        shutil.copyfile(source, staged)
    os.replace(staged, folder / source.name)
    relative = f"{LOCAL_IMPORTS}/{folder.name}/{source.name}"
    size = sum(p.stat().st_size for p in (folder / source.name).rglob("*") if p.is_file()) if source.is_dir() \
        else (folder / source.name).stat().st_size
    with workbench.session() as session:
        AuditEntry(actor, "file.import").record(session, target=relative, bytes=size)
    return relative
