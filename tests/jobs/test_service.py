"""Jobs end to end on the local executor (threads and child processes) and on SQLite/PostgreSQL."""

from __future__ import annotations

import os
import signal
import socket
import time

import pandas as pd
import pytest

from finloom.errors import ConfigError, ConflictError, NotFoundError
from finloom.jobs import (
    InvalidParamsError,
    Job,
    JobService,
    JobSummary,
    LocalExecutor,
    WorkerConfig,
    run_job,
)
from finloom.store import Job as JobRow
from finloom.store import session_scope


def _service(db_url, tmp_path, mode="thread"):
    return JobService(
        _factory(db_url), WorkerConfig(db_url, str(tmp_path)), LocalExecutor(max_workers=2, mode=mode)
    )


def _factory(db_url):
    from finloom.store import make_engine, make_session_factory

    return make_session_factory(make_engine(db_url))


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_job_succeeds_with_progress_and_result(db_url, tmp_path):
    service = _service(db_url, tmp_path)
    job = service.submit("demo.count", {"steps": 3, "delay": 0.01}, created_by="ana")
    done = service.wait(job.id, timeout=30)
    assert isinstance(done, Job) and done.status == "succeeded" and done.progress == 1.0
    assert done.result == {"counted": 3} and done.created_by == "ana"
    assert done.params == {"steps": 3, "delay": 0.01, "fail_at": None, "write": False}
    assert done.started_at and done.finished_at


def test_crashing_job_ends_failed_with_its_error(db_url, tmp_path):
    service = _service(db_url, tmp_path)
    job = service.submit("demo.count", {"steps": 3, "delay": 0, "fail_at": 1})
    done = service.wait(job.id, timeout=30)
    assert done.status == "failed"
    assert done.error == "RuntimeError: demo failure at step 1"


class _Held:
    """An executor that only records what it is given (the test runs the job itself)."""

    on_exit = None

    def __init__(self):
        self.submitted = []

    def submit(self, job_id, config):
        self.submitted.append((job_id, dict(config)))

    def cancel(self, job_id):
        pass

    def shutdown(self):
        pass


def test_finloom_error_message_is_kept(db_url, tmp_path):
    service = JobService(_factory(db_url), WorkerConfig(db_url, str(tmp_path)), _Held())
    service.context().datasets().add("tiny", pd.DataFrame({"x": [1, 2]}))
    job = service.submit("dataset.profile", {"dataset": "tiny"})
    service.context().datasets().delete("tiny")  # gone before the job runs
    assert run_job(*service.executor.submitted[0]) == "failed"
    assert service.get(job.id).error.startswith("dataset must be a registered dataset; got 'tiny'")


def test_bad_params_are_refused_before_anything_is_stored(db_url, tmp_path):
    service = _service(db_url, tmp_path)
    with pytest.raises(InvalidParamsError) as err:
        service.submit("demo.count", {"steps": 0})
    assert err.value.status_code == 422
    assert err.value.message == "steps must be greater than or equal to 1; got 0. Number of steps to count."
    with pytest.raises(NotFoundError, match="dataset must be a registered dataset; got 'nope'"):
        service.submit("dataset.profile", {"dataset": "nope"})
    assert service.list() == [] and service.count() == 0


def test_cancel_running_thread_job_is_cooperative(db_url, tmp_path):
    service = _service(db_url, tmp_path)
    job = service.submit("demo.count", {"steps": 200, "delay": 0.05})
    assert _wait_for(lambda: service.get(job.id).status == "running")
    service.cancel(job.id)
    assert service.wait(job.id, timeout=30).status == "cancelled"
    with pytest.raises(ConflictError, match="got status 'cancelled'"):
        service.cancel(job.id)


def test_unknown_kind_and_unknown_id_are_clear_errors(db_url, tmp_path):
    service = _service(db_url, tmp_path)
    with pytest.raises(ConfigError, match="Did you mean 'demo.count'"):
        service.submit("demo.cont")
    with pytest.raises(NotFoundError, match="job id must be an existing job; got 'nope'"):
        service.get("nope")
    assert service.list() == []


def test_list_gives_summaries_newest_first_in_pages(db_url, tmp_path):
    service = _service(db_url, tmp_path)
    ids = [service.submit("demo.count", {"steps": 1, "delay": 0}).id for _ in range(3)]
    for job_id in ids:
        service.wait(job_id, timeout=30)
    page = service.list(limit=2)
    assert all(type(j) is JobSummary for j in page) and not hasattr(page[0], "params")
    assert {j.id for j in page + service.list(limit=2, offset=2)} == set(ids)
    assert service.count(status="succeeded") == 3 and service.list(status="failed") == []
    assert service.find(ids[0][:8]).id == ids[0]


def test_killed_worker_process_ends_failed(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    from finloom.store import make_engine, upgrade_database

    upgrade_database(make_engine(url))
    executor = LocalExecutor(max_workers=1, mode="process")
    service = JobService(_factory(url), WorkerConfig(url, str(tmp_path)), executor)
    job = service.submit("demo.count", {"steps": 500, "delay": 0.05})
    assert _wait_for(lambda: service.get(job.id).status == "running", timeout=60)
    os.kill(executor.pid_of(job.id), signal.SIGKILL)
    done = service.wait(job.id, timeout=30)
    assert done.status == "failed"
    assert "exited with code -9" in done.error
    assert not (tmp_path / "artifacts").exists()


def test_cancel_process_job_terminates_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    from finloom.store import make_engine, upgrade_database

    upgrade_database(make_engine(url))
    executor = LocalExecutor(max_workers=1, mode="process")
    service = JobService(_factory(url), WorkerConfig(url, str(tmp_path)), executor)
    job = service.submit("demo.count", {"steps": 500, "delay": 0.05})
    assert _wait_for(lambda: service.get(job.id).status == "running", timeout=60)
    pid = executor.pid_of(job.id)
    assert service.cancel(job.id).status == "cancelled"
    assert _wait_for(lambda: executor.pid_of(job.id) is None, timeout=10)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_recover_orphans_fails_jobs_of_dead_processes(db_url, tmp_path):
    service = _service(db_url, tmp_path)
    dead_pid = 2**22 + 12345  # above the default pid_max: never alive
    with session_scope(service.factory) as s:
        s.add(JobRow(id="orphan", kind="demo.count", status="running", worker=f"{socket.gethostname()}:{dead_pid}"))
        s.add(JobRow(id="alive", kind="demo.count", status="running", worker=f"{socket.gethostname()}:{os.getpid()}"))
        s.add(JobRow(id="elsewhere", kind="demo.count", status="running", worker=f"other-host:{dead_pid}"))
    assert service.recover_orphans() == 1
    assert service.get("orphan").status == "failed"
    assert "stopped before it finished" in service.get("orphan").error
    assert service.get("alive").status == "running"
    assert service.get("elsewhere").status == "running"
