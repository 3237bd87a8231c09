"""Run one job by id: the same function runs in a thread, a child process or on a Dask worker."""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import update
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from finloom._logging import mask_sensitive
from finloom._serialization import to_jsonable
from finloom.errors import FinloomError, ServiceError
from finloom.jobs._context import JobCancelled, JobContext, WorkerConfig
from finloom.jobs._kinds import JOB_KINDS, JobKind, resolve_kind
from finloom.store._db import make_engine, make_session_factory, session_scope
from finloom.store._models import Job, utcnow

__all__ = ["DbProgress", "run_job", "with_db_retries", "worker_id"]

log = logging.getLogger("finloom.jobs")
TERMINAL = ("succeeded", "failed", "cancelled")
DB_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # about a minute of database outage
T = TypeVar("T")


def with_db_retries(fn: Callable[[], T], *, what: str, delays: Sequence[float] | None = None) -> T:
    """Call ``fn``; while the database is unreachable, wait and try again (back-off ``delays``).

    The last failure is raised once the delays are used up.

    Examples
    --------
    >>> calls = []
    >>> def flaky():
    ...     calls.append(1)
    ...     if len(calls) < 3:
    ...         raise ServiceError("the database must be reachable; got OperationalError.")
    ...     return "saved"
    >>> with_db_retries(flaky, what="saving", delays=(0, 0, 0)), len(calls)
    ('saved', 3)
    """
    waits = list(DB_RETRY_DELAYS if delays is None else delays)
    while True:
        try:
            return fn()
        except (ServiceError, OperationalError, InterfaceError) as exc:
            if not waits:
                raise
            delay = waits.pop(0)
            log.warning("%s failed (%s); retrying in %.1f s", what, type(exc).__name__, delay)
            time.sleep(delay)


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
        try:
            with session_scope(self.factory) as session:
                job = session.get(Job, self.job_id)
                if job is None or job.cancel_requested:
                    raise JobCancelled(self.job_id)
                job.progress = fraction
                job.message = message[:2000]
        except ServiceError:  # a database outage does not stop the work; the next update retries
            log.warning("progress of job %s not saved: the database is unreachable", self.job_id)


def _finish(factory: sessionmaker[Session], job_id: str, **values: Any) -> None:
    """Record the job's end (unless it already has one), retrying through a database outage."""

    def write() -> None:
        with session_scope(factory) as session:
            session.execute(
                update(Job)
                .where(Job.id == job_id, Job.status.not_in(TERMINAL))
                .values(finished_at=utcnow(), **values)
            )

    with_db_retries(write, what=f"recording the end of job {job_id}")


def _set_threads(n: int) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", str(n))
    try:
        import torch
    except ImportError:
        return
    torch.set_num_threads(n)


def run_job(
    job_id: str, config: Mapping[str, Any], kinds: Mapping[str, JobKind] = JOB_KINDS
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
    ctx = JobContext(
        job_id=job_id,
        params=params,
        workspace=Path(cfg.workspace),
        progress=DbProgress(factory, job_id),
        database_url=cfg.database_url,
        created_by=created_by,
        extra_import_roots=tuple(cfg.import_roots),
        encoder_path=cfg.encoder_path,
    )
    from finloom.data._export import formula_guard_setting

    try:
        with formula_guard_setting(cfg.csv_formula_guard):  # the server's setting, not the worker's environment
            result = resolve_kind(kind, kinds)(ctx)
    except JobCancelled:
        _finish(factory, job_id, status="cancelled", message="cancelled by user")
        return "cancelled"
    except FinloomError as exc:
        _finish(factory, job_id, status="failed", error=mask_sensitive(exc.message))
        return "failed"
    except Exception as exc:
        log.exception("job %s (%s) crashed", job_id, kind)
        _finish(factory, job_id, status="failed", error=mask_sensitive(f"{type(exc).__name__}: {exc}"))
        return "failed"
    _finish(factory, job_id, status="succeeded", progress=1.0, result=to_jsonable(result or {}))
    return "succeeded"
