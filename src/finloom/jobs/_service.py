"""Submit, list, cancel and recover jobs; the API, CLI and web call this, never the executors."""

from __future__ import annotations

import builtins
import socket
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, defer, sessionmaker

from finloom.errors import ConflictError, NotFoundError
from finloom.jobs._context import JobContext, WorkerConfig
from finloom.jobs._executors import Executor
from finloom.jobs._files import discard_outputs, list_outputs, output_file, remove_partial_outputs
from finloom.jobs._kinds import JOB_KINDS, JobKind, resolve_params
from finloom.jobs._log import LOG_NAME
from finloom.jobs._params import JobParams, parse_params
from finloom.jobs._records import TERMINAL_STATUSES, Job, JobFile, JobStatus, JobSummary
from finloom.jobs._runner import worker_id
from finloom.jobs._workers import pid_alive, signal_recorded_worker
from finloom.store._audit import AuditEntry
from finloom.store._db import session_scope
from finloom.store._models import Job as JobRow
from finloom.store._models import utcnow

__all__ = ["JobService"]

_LIVE = ("queued", "running")


class JobService:
    """The jobs front door: validates parameters, persists a row, hands it to the executor.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> from finloom.jobs import LocalExecutor, WorkerConfig
    >>> url = f"sqlite:///{tempfile.mkdtemp()}/db.sqlite"
    >>> engine = make_engine(url); upgrade_database(engine)
    >>> service = JobService(make_session_factory(engine), WorkerConfig(url, tempfile.mkdtemp()),
    ...                      LocalExecutor(mode="thread"))
    >>> job = service.submit("demo.count", {"steps": 2, "delay": 0})
    >>> service.wait(job.id, timeout=10).status
    'succeeded'
    """

    def __init__(
        self,
        factory: sessionmaker[Session],
        config: WorkerConfig,
        executor: Executor,
        kinds: Mapping[str, JobKind] = JOB_KINDS,
    ) -> None:
        self.factory = factory
        self.config = config
        self.executor = executor
        self.kinds = kinds
        if getattr(executor, "on_exit", "absent") is None:
            executor.on_exit = self.mark_died  # type: ignore[attr-defined]

    @property
    def workspace(self) -> Path:
        return Path(self.config.workspace)

    def context(self, job_id: str = "", params: Mapping[str, Any] | None = None) -> JobContext:
        """A job context on this service's database (what ``JobParams.check`` verifies against)."""
        return JobContext(job_id, dict(params or {}), self.workspace, database_url=self.config.database_url,
                          extra_import_roots=tuple(self.config.import_roots), factory=self.factory,
                          encoder_path=self.config.encoder_path)

    def validate(self, kind: str, params: Mapping[str, Any] | BaseModel | None = None) -> JobParams:
        """Parse ``params`` into ``kind``'s model and check what they name; raise a FinloomError if wrong.

        Unknown kinds, unknown or wrong fields (422), oversized params (413), missing datasets
        or models (404) and files outside the import folders (422) are refused here.
        """
        parsed = parse_params(resolve_params(kind, self.kinds), params if params is not None else {})
        parsed.check(self.context())
        return parsed

    def submit(
        self, kind: str, params: Mapping[str, Any] | BaseModel | None = None, *, created_by: str = "",
        audit: AuditEntry | None = None,
    ) -> Job:
        """Validate ``params`` for ``kind`` (see :meth:`validate`), store the job and queue it.

        ``audit`` is recorded in the transaction that stores the job (target: the job id).
        """
        parsed = self.validate(kind, params)
        row = JobRow(
            id=str(uuid.uuid4()), kind=kind, params=parsed.model_dump(mode="json"), status="queued",
            message="queued", worker=f"queued@{worker_id()}", created_by=created_by,
        )
        with session_scope(self.factory) as session:
            session.add(row)
            session.flush()
            if audit is not None:
                audit.record(session, target=row.id, kind=kind)
            job = Job.from_row(row)
        self.executor.submit(job.id, self.config.to_dict())
        self._note_detached_worker(job.id)
        return job

    def _note_detached_worker(self, job_id: str) -> None:
        """A detached worker outlives the submitter: name it as the queued job's owner, so that a
        server does not end the job as an orphan once the submitting command has exited."""
        pid_of = getattr(self.executor, "pid_of", None)
        pid = pid_of(job_id) if getattr(self.executor, "mode", "") == "detached" and pid_of else None
        if pid is None:
            return
        with session_scope(self.factory) as session:
            session.execute(update(JobRow).where(JobRow.id == job_id, JobRow.status == "queued")
                            .values(worker=f"queued@{socket.gethostname()}:{pid}"))

    def _get(self, session: Session, job_id: str) -> JobRow:
        row = session.get(JobRow, job_id)
        if row is None:
            raise NotFoundError(f"job id must be an existing job; got {job_id!r}. List jobs with 'finloom jobs list'.")
        return row

    def get(self, job_id: str) -> Job:
        """One job with its parameters and result; NotFoundError for unknown ids."""
        with session_scope(self.factory) as session:
            return Job.from_row(self._get(session, job_id))

    def find(self, id_or_prefix: str) -> Job:
        """The job whose id is or starts with ``id_or_prefix`` (for the CLI's short ids)."""
        with session_scope(self.factory) as session:
            rows = session.scalars(select(JobRow).where(JobRow.id.startswith(id_or_prefix, autoescape=True)).limit(2)).all()
            if len(rows) == 1 and id_or_prefix:
                return Job.from_row(rows[0])
        return self.get(id_or_prefix)

    def list(self, *, status: JobStatus | None = None, limit: int = 50, offset: int = 0) -> list[JobSummary]:
        """Job summaries (no params, no result), newest first, one page of ``limit`` from ``offset``."""
        query = (select(JobRow).options(defer(JobRow.params), defer(JobRow.result))
                 .order_by(JobRow.created_at.desc(), JobRow.id).limit(limit).offset(offset))
        if status:
            query = query.where(JobRow.status == status)
        with session_scope(self.factory) as session:
            return [JobSummary.from_row(row) for row in session.scalars(query)]

    def count(self, *, status: JobStatus | None = None) -> int:
        """How many jobs there are (with ``status``): the total behind :meth:`list`'s pages."""
        query = select(func.count()).select_from(JobRow)
        if status:
            query = query.where(JobRow.status == status)
        with session_scope(self.factory) as session:
            return int(session.scalar(query) or 0)

    def cancel(self, job_id: str, *, audit: AuditEntry | None = None) -> Job:
        """Cancel a queued or running job; finished jobs cannot be cancelled (ConflictError).

        ``audit`` is recorded in the transaction that asks for the cancellation.
        """
        with session_scope(self.factory) as session:
            row = self._get(session, job_id)
            if row.status in TERMINAL_STATUSES:
                raise ConflictError(f"job must be queued or running to cancel; got status '{row.status}'.")
            row.cancel_requested = True
            if audit is not None:
                audit.record(session, target=job_id, kind=row.kind)
            if row.status == "queued":
                row.status, row.finished_at, row.message = "cancelled", utcnow(), "cancelled by user"
        self.executor.cancel(job_id)
        signal_recorded_worker(self.workspace, job_id)  # a worker another process started (a CLI job)
        with session_scope(self.factory) as session:
            row = self._get(session, job_id)
            if row.status == "running" and getattr(self.executor, "mode", "") == "process":
                row.status, row.finished_at, row.message = "cancelled", utcnow(), "cancelled by user"
                discard_outputs(self.workspace, job_id)
            return Job.from_row(row)

    def mark_died(self, job_id: str, reason: str) -> None:
        """End a job whose worker vanished, dropping its partial files; a finished job is left as it is."""
        with session_scope(self.factory) as session:
            row = session.get(JobRow, job_id)
            if row is not None and row.status not in TERMINAL_STATUSES:
                if row.cancel_requested:
                    row.status, row.message = "cancelled", "cancelled by user"
                else:
                    row.status, row.error = "failed", reason
                row.finished_at = utcnow()
            succeeded = row is not None and row.status == "succeeded"
        if not succeeded:  # the worker is gone: what it left half-written goes too
            discard_outputs(self.workspace, job_id)

    def recover_orphans(self) -> int:
        """At start-up: end jobs whose process on this host is gone and drop partial files; returns how many."""
        host = socket.gethostname()
        ended = 0
        with session_scope(self.factory) as session:
            rows = session.scalars(select(JobRow).where(JobRow.status.in_(_LIVE))).all()
            for row in rows:
                owner = (row.worker or "").removeprefix("queued@")
                owner_host, _, pid = owner.rpartition(":")
                if owner_host != host or not pid.isdigit() or pid_alive(int(pid)):
                    continue
                session.execute(
                    update(JobRow).where(JobRow.id == row.id).values(
                        status="failed", finished_at=utcnow(),
                        error=f"the process running this job ({owner}) stopped before it finished; run it again",
                    )
                )
                ended += 1
        remove_partial_outputs(self.workspace, self._is_over)
        return ended

    def _is_over(self, job_id: str) -> bool:
        """Whether a job is gone or finished (so nothing may still write its files)."""
        with session_scope(self.factory) as session:
            status = session.scalar(select(JobRow.status).where(JobRow.id == job_id))
        return status not in _LIVE

    def files(self, job_id: str) -> builtins.list[JobFile]:
        """The files a job produced; only a succeeded job has outputs, a finished one may keep its
        progress log (404 for unknown ids)."""
        job = self.get(job_id)
        if job.status == "succeeded":
            return list_outputs(self.workspace, job_id)
        return [f for f in list_outputs(self.workspace, job_id) if f.name == LOG_NAME] if job.finished else []

    def file_path(self, job_id: str, name: str) -> Path:
        """The path of one of a succeeded job's files, or of a finished job's progress log (no escaping
        its folder); NotFoundError otherwise."""
        job = self.get(job_id)
        allowed = job.status == "succeeded" or (job.finished and name == LOG_NAME)
        path = output_file(self.workspace, job_id, name) if allowed else None
        if path is None:
            raise NotFoundError(f"file must be one of the job's files; got {name!r}. List them with GET /api/jobs/{job_id}/files.")
        return path

    def wait(self, job_id: str, timeout: float = 60.0, poll: float = 0.05) -> Job:
        """Block until the job is finished or ``timeout`` seconds passed (for the CLI and tests)."""
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job.finished or time.monotonic() > deadline:
                return job
            time.sleep(poll)
