"""LocalExecutor: a worker's death is recorded through a database outage; workers are registered."""

from __future__ import annotations

import os
import signal
import socket
import uuid

import pytest

from finloom.errors import ServiceError
from finloom.jobs import JobService, LocalExecutor, WorkerConfig, _executors, _runner
from finloom.store import Job, make_engine, make_session_factory, session_scope, upgrade_database
from tests.jobs.test_workers import wait_until


@pytest.fixture
def url(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade_database(make_engine(url))
    return url


@pytest.fixture
def factory(url):
    return make_session_factory(make_engine(url))


def _status(factory, job_id):
    with session_scope(factory) as s:
        row = s.get(Job, job_id)
        return row.status, row.error


def _queue(factory, service, steps=500):
    job_id = str(uuid.uuid4())
    with session_scope(factory) as s:
        s.add(Job(id=job_id, kind="demo.count", params={"steps": steps, "delay": 0.05}, status="queued"))
    service.executor.submit(job_id, service.config.to_dict())
    return job_id


def test_a_killed_worker_is_recorded_failed_through_a_database_outage(factory, url, tmp_path, monkeypatch):
    monkeypatch.setattr(_runner, "DB_RETRY_DELAYS", (0.05, 0.05, 0.05))
    executor = LocalExecutor(max_workers=1, mode="process")
    service = JobService(factory, WorkerConfig(url, str(tmp_path)), executor)
    calls = []

    def outage_then_ok(job_id, reason):  # the supervisor's own write meets a database outage twice
        calls.append(job_id)
        if len(calls) <= 2:
            raise ServiceError("the database must be reachable; got OperationalError.")
        service.mark_died(job_id, reason)

    executor.on_exit = outage_then_ok
    job_id = _queue(factory, service)
    assert wait_until(lambda: _status(factory, job_id)[0] == "running", timeout=60)
    os.kill(executor.pid_of(job_id), signal.SIGKILL)
    assert wait_until(lambda: _status(factory, job_id)[0] == "failed", timeout=20), "the job stayed running"
    assert len(calls) == 3 and "exited with code -9" in _status(factory, job_id)[1]


def test_a_thread_job_whose_end_cannot_be_recorded_is_reported(factory, url, tmp_path, monkeypatch):
    def outage(job_id, config, kinds):
        raise ServiceError("the database must be reachable; got OperationalError.")

    monkeypatch.setattr(_executors, "run_job", outage)
    service = JobService(factory, WorkerConfig(url, str(tmp_path)), LocalExecutor(mode="thread"))
    job_id = _queue(factory, service, steps=1)
    assert wait_until(lambda: _status(factory, job_id)[0] == "failed", timeout=20)
    assert _status(factory, job_id)[1] == "the job could not be run to its end (ServiceError)"


def test_process_workers_are_registered_while_they_run(factory, url, tmp_path):
    executor = LocalExecutor(max_workers=1, mode="process")
    service = JobService(factory, WorkerConfig(url, str(tmp_path)), executor)
    job_id = _queue(factory, service)
    record = tmp_path / ".workers" / socket.gethostname() / f"{job_id}.json"
    assert wait_until(record.exists, timeout=60)
    pid = executor.pid_of(job_id)
    assert f'"pid": {pid}' in record.read_text() and f'"supervisor_pid": {os.getpid()}' in record.read_text()
    assert wait_until(lambda: os.getpgid(pid) == pid, timeout=10), "the worker does not lead its own process group"
    service.cancel(job_id)
    assert wait_until(lambda: not record.exists(), timeout=20)
