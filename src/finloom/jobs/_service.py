"""Submit, list, cancel and recover jobs; the API, CLI and web call this, never the executors."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from finloom.errors import ConflictError, NotFoundError
from finloom.jobs._context import WorkerConfig
from finloom.jobs._executors import Executor
from finloom.jobs._kinds import JOB_KINDS, resolve_kind
from finloom.jobs._runner import TERMINAL, worker_id
from finloom.store._db import session_scope
from finloom.store._models import Job, utcnow

__all__ = ["JobService", "job_to_dict"]


def job_to_dict(job: Job) -> dict[str, Any]:
    """The public view of a job row."""
    return {
        "id": job.id,
        "kind": job.kind,
        "params": job.params,
        "status": job.status,
        "progress": round(float(job.progress or 0.0), 4),
        "message": job.message,
        "result": job.result,
        "error": job.error,
        "created_by": job.created_by,
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobService:
    """The jobs front door: persists a row, hands it to the executor, tracks its fate.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> from finloom.jobs import LocalExecutor, WorkerConfig
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/db.sqlite"
    >>> engine = make_engine(url); upgrade_database(engine)
    >>> service = JobService(make_session_factory(engine), WorkerConfig(url, "/tmp"),
    ...                      LocalExecutor(mode="thread"))
    >>> job = service.submit("demo.count", {"steps": 2, "delay": 0})
    >>> service.wait(job["id"], timeout=10)["status"]
    'succeeded'
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        config: WorkerConfig,
        executor: Executor,
        kinds: Mapping[str, str] = JOB_KINDS,
    ) -> None:
        self.factory = factory
        self.config = config
        self.executor = executor
        self.kinds = kinds
        if getattr(executor, "on_exit", "absent") is None:
            executor.on_exit = self.mark_died  # type: ignore[attr-defined]

    def submit(self, kind: str, params: dict[str, Any] | None = None, *, created_by: str = "") -> dict[str, Any]:
        """Queue a job of ``kind``; unknown kinds are refused before anything is stored."""
        resolve_kind(kind, self.kinds)
        job = Job(
            id=str(uuid.uuid4()),
            kind=kind,
            params=params or {},
            status="queued",
            message="queued",
            worker=f"queued@{worker_id()}",
            created_by=created_by,
        )
        with session_scope(self.factory) as session:
            session.add(job)
        self.executor.submit(job.id, self.config.to_dict())
        return job_to_dict(job)

    def _get(self, session: Session, job_id: str) -> Job:
        job = session.get(Job, job_id)
        if job is None:
            raise NotFoundError(f"job id must be an existing job; got {job_id!r}. List jobs with 'finloom jobs list'.")
        return job

    def get(self, job_id: str) -> dict[str, Any]:
        with session_scope(self.factory) as session:
            return job_to_dict(self._get(session, job_id))

    def list(self, *, status: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        with session_scope(self.factory) as session:
            query = select(Job).order_by(Job.created_at.desc()).limit(limit)
            if status:
                query = query.where(Job.status == status)
            return [job_to_dict(j) for j in session.scalars(query)]

    def cancel(self, job_id: str) -> dict[str, Any]:
        """Cancel a queued or running job; finished jobs cannot be cancelled (ConflictError)."""
        with session_scope(self.factory) as session:
            job = self._get(session, job_id)
            if job.status in TERMINAL:
                raise ConflictError(f"job must be queued or running to cancel; got status '{job.status}'.")
            job.cancel_requested = True
            if job.status == "queued":
                job.status, job.finished_at, job.message = "cancelled", utcnow(), "cancelled by user"
        self.executor.cancel(job_id)
        with session_scope(self.factory) as session:
            job = self._get(session, job_id)
            if job.status == "running" and getattr(self.executor, "mode", "") == "process":
                job.status, job.finished_at, job.message = "cancelled", utcnow(), "cancelled by user"
            return job_to_dict(job)

    def mark_died(self, job_id: str, reason: str) -> None:
        """End a job whose worker vanished; a job already finished is left as it is."""
        with session_scope(self.factory) as session:
            job = session.get(Job, job_id)
            if job is None or job.status in TERMINAL:
                return
            if job.cancel_requested:
                job.status, job.message = "cancelled", "cancelled by user"
            else:
                job.status, job.error = "failed", reason
            job.finished_at = utcnow()

    def recover_orphans(self) -> int:
        """At start-up: end jobs whose process on this host is gone; returns how many."""
        host = socket.gethostname()
        ended = 0
        with session_scope(self.factory) as session:
            jobs = session.scalars(select(Job).where(Job.status.in_(("queued", "running")))).all()
            for job in jobs:
                owner = (job.worker or "").removeprefix("queued@")
                owner_host, _, pid = owner.rpartition(":")
                if owner_host != host or not pid.isdigit() or _pid_alive(int(pid)):
                    continue
                session.execute(
                    update(Job)
                    .where(Job.id == job.id)
                    .values(
                        status="failed",
                        finished_at=utcnow(),
                        error=f"the process running this job ({owner}) stopped before it finished; run it again",
                    )
                )
                ended += 1
        return ended

    def wait(self, job_id: str, timeout: float = 60.0, poll: float = 0.05) -> dict[str, Any]:
        """Block until the job is finished (for the CLI and tests)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job["status"] in TERMINAL or time.monotonic() > deadline:
                return job
            time.sleep(poll)
