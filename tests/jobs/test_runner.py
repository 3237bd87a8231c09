"""run_job: errors stored masked, the end recorded through a database outage, progress that survives one."""

from __future__ import annotations

import contextlib
import uuid

import pytest

from finloom.errors import ConfigError, ServiceError
from finloom.jobs import (
    DbProgress,
    JobContext,
    JobKind,
    JobParams,
    JobService,
    LocalExecutor,
    WorkerConfig,
    _runner,
    run_job,
)
from finloom.store import Job, session_scope


class NoParams(JobParams):
    """The test kinds take no parameters."""


KINDS = {
    name: JobKind(f"tests.jobs.test_runner:{function}", "tests.jobs.test_runner:NoParams")
    for name, function in [("test.leak", "leaky_job"), ("test.leak_config", "leaky_config_job"),
                           ("test.ok", "ok_job"), ("test.logging", "logging_job"), ("test.csv", "csv_job")]
}


def leaky_job(ctx: JobContext, p: NoParams) -> dict:
    raise RuntimeError("card 4111 1111 1111 1111 of ana.lopez@example.com was declined")


def leaky_config_job(ctx: JobContext, p: NoParams) -> dict:
    raise ConfigError("account must exist; got 'GB82 WEST 1234 5698 7654 32'. Check the IBAN.")


def ok_job(ctx: JobContext, p: NoParams) -> dict:
    return {"ok": True}


def csv_job(ctx: JobContext, p: NoParams) -> dict:
    import pandas as pd

    from finloom.data import write_csv

    return {"csv": write_csv(pd.DataFrame({"a": ["=1+1"]}), index=False)}


def logging_job(ctx: JobContext, p: NoParams) -> dict:
    import logging

    from finloom._logging import PiiMaskingFilter

    handlers = logging.getLogger().handlers
    return {"masked": bool(handlers) and all(any(isinstance(f, PiiMaskingFilter) for f in h.filters) for h in handlers)}


def _add_job(factory, kind: str) -> str:
    job_id = str(uuid.uuid4())
    with session_scope(factory) as s:
        s.add(Job(id=job_id, kind=kind, status="queued"))
    return job_id


def _row(factory, job_id: str) -> Job:
    with session_scope(factory) as s:
        return s.get(Job, job_id)


@pytest.mark.parametrize(
    ("kind", "error"),
    [
        ("test.leak", "RuntimeError: card **** **** **** 1111 of a***@example.com was declined"),
        ("test.leak_config", "account must exist; got 'GB** **** **** **** **54 32'. Check the IBAN."),
    ],
)
def test_job_errors_are_stored_masked(session_factory, db_url, tmp_path, kind, error):
    job_id = _add_job(session_factory, kind)
    assert run_job(job_id, WorkerConfig(db_url, str(tmp_path)).to_dict(), KINDS) == "failed"
    assert _row(session_factory, job_id).error == error


@pytest.mark.parametrize(("guard", "csv"), [(True, "a\n'=1+1\n"), (False, "a\n=1+1\n")])
def test_jobs_write_csv_with_the_servers_formula_guard_setting(session_factory, db_url, tmp_path, monkeypatch,
                                                                guard, csv):
    monkeypatch.setenv("FINLOOM_CSV_FORMULA_GUARD", str(not guard).lower())  # the worker's environment is ignored
    job_id = _add_job(session_factory, "test.csv")
    assert run_job(job_id, WorkerConfig(db_url, str(tmp_path), csv_formula_guard=guard).to_dict(), KINDS) == "succeeded"
    assert _row(session_factory, job_id).result == {"csv": csv}


def _flaky_session_scope(monkeypatch, fail_calls: set[int]) -> list[int]:
    """Make session_scope in the runner raise a database outage on the given call numbers."""
    calls: list[int] = []
    real = _runner.session_scope

    @contextlib.contextmanager
    def flaky(factory):
        calls.append(len(calls) + 1)
        if len(calls) in fail_calls:
            raise ServiceError("the database must be reachable; got OperationalError.")
        with real(factory) as session:
            yield session

    monkeypatch.setattr(_runner, "session_scope", flaky)
    monkeypatch.setattr(_runner, "DB_RETRY_DELAYS", (0.01, 0.01, 0.01))
    return calls


def test_the_end_of_a_job_is_recorded_through_a_database_outage(session_factory, db_url, tmp_path, monkeypatch):
    job_id = _add_job(session_factory, "test.ok")
    calls = _flaky_session_scope(monkeypatch, fail_calls={2, 3})  # 1: start; 2, 3: the end fails twice
    assert run_job(job_id, WorkerConfig(db_url, str(tmp_path)).to_dict(), KINDS) == "succeeded"
    assert len(calls) == 4
    row = _row(session_factory, job_id)
    assert row.status == "succeeded" and row.result == {"ok": True}


def test_a_long_outage_still_raises_after_the_retries(session_factory, db_url, tmp_path, monkeypatch):
    job_id = _add_job(session_factory, "test.ok")
    _flaky_session_scope(monkeypatch, fail_calls={2, 3, 4, 5, 6})
    with pytest.raises(ServiceError):
        run_job(job_id, WorkerConfig(db_url, str(tmp_path)).to_dict(), KINDS)


def test_progress_survives_a_database_outage(session_factory, monkeypatch):
    job_id = _add_job(session_factory, "test.ok")
    _flaky_session_scope(monkeypatch, fail_calls={1})
    progress = DbProgress(session_factory, job_id, min_interval=0)
    progress(0.3, "outage: not saved")  # no exception: the job goes on
    progress(0.6, "saved")
    assert _row(session_factory, job_id).message == "saved"


def test_process_workers_log_through_the_masking_filter(tmp_path):
    from finloom.store import make_engine, make_session_factory, upgrade_database

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade_database(make_engine(url))
    factory = make_session_factory(make_engine(url))
    service = JobService(factory, WorkerConfig(url, str(tmp_path)), LocalExecutor(mode="process", kinds=KINDS), kinds=KINDS)
    job_id = _add_job(factory, "test.logging")
    service.executor.submit(job_id, service.config.to_dict())
    assert service.wait(job_id, timeout=60)  # any shape: read the row itself
    row = _row(factory, job_id)
    assert row.status == "succeeded" and row.result == {"masked": True}
