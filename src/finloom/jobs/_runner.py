"""Run one job by id: the same function runs in a thread, a child process or on a Dask worker."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from finloom._serialization import to_jsonable
from finloom.errors import FinloomError
from finloom.jobs._context import JobCancelled, JobContext, WorkerConfig
from finloom.jobs._kinds import JOB_KINDS, resolve_kind
from finloom.store._db import make_engine, make_session_factory, session_scope
from finloom.store._models import Job, utcnow

__all__ = ["DbProgress", "run_job", "worker_id"]

log = logging.getLogger("finloom.jobs")
TERMINAL = ("succeeded", "failed", "cancelled")


def worker_id() -> str:
    """``host:pid`` of the current process (how orphaned jobs are recognised)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class DbProgress:
    """Progress callback that writes to the job row (throttled) and raises on cancellation."""

    def __init__(self, factory: sessionmaker[Session], job_id: str, min_interval: float = 0.25) -> None:
        self.factory = factory
        self.job_id = job_id
        self.min_interval = min_interval
        self._last = 0.0

    def __call__(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if fraction < 1.0 and now - self._last < self.min_interval:
            return
        self._last = now
        fraction = min(max(float(fraction), 0.0), 1.0)
        with session_scope(self.factory) as session:
            job = session.get(Job, self.job_id)
            if job is None or job.cancel_requested:
                raise JobCancelled(self.job_id)
            job.progress = fraction
            job.message = message[:2000]


def _finish(factory: sessionmaker[Session], job_id: str, **values: Any) -> None:
    with session_scope(factory) as session:
        session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status.not_in(TERMINAL))
            .values(finished_at=utcnow(), **values)
        )


def _set_threads(n: int) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", str(n))
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(n)


def run_job(
    job_id: str, config: Mapping[str, Any], kinds: Mapping[str, str] = JOB_KINDS
) -> str:
    """Run job ``job_id`` to a terminal status and return that status.

    A :class:`FinloomError` or any other exception ends the job ``failed`` with its message;
    cancellation (raised by the progress callback) ends it ``cancelled``.
    """
    cfg = WorkerConfig(**dict(config))
    factory = make_session_factory(make_engine(cfg.database_url))
    with session_scope(factory) as session:
        job = session.get(Job, job_id)
        if job is None or job.status in TERMINAL:
            return job.status if job else "missing"
        if job.cancel_requested:
            job.status, job.finished_at = "cancelled", utcnow()
            return "cancelled"
        job.status, job.started_at, job.worker = "running", utcnow(), worker_id()
        kind, params, created_by = job.kind, dict(job.params or {}), job.created_by
    _set_threads(cfg.torch_threads)
    if cfg.encoder_path:  # engines read the default encoder from the environment
        os.environ["FINLOOM_ENCODER_PATH"] = cfg.encoder_path
    ctx = JobContext(
        job_id=job_id,
        params=params,
        workspace=Path(cfg.workspace),
        progress=DbProgress(factory, job_id),
        database_url=cfg.database_url,
        created_by=created_by,
    )
    try:
        result = resolve_kind(kind, kinds)(ctx)
    except JobCancelled:
        _finish(factory, job_id, status="cancelled", message="cancelled by user")
        return "cancelled"
    except FinloomError as exc:
        _finish(factory, job_id, status="failed", error=exc.message)
        return "failed"
    except Exception as exc:
        log.exception("job %s (%s) crashed", job_id, kind)
        _finish(factory, job_id, status="failed", error=f"{type(exc).__name__}: {exc}")
        return "failed"
    _finish(factory, job_id, status="succeeded", progress=1.0, result=to_jsonable(result or {}))
    return "succeeded"
