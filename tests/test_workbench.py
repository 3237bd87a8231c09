"""The Workbench after a crash: workers do not outlive a killed server, orphans are reaped and failed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid

import pytest

from finloom.config import Settings
from finloom.jobs import _workers
from finloom.store import Job, session_scope
from finloom.workbench import Workbench
from tests.jobs.test_workers import DEAD_PID, _sleeper, _write_record, python_env, wait_until

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process semantics")

_SERVER = """
import sys, time
from finloom.config import Settings
from finloom.store import Job, session_scope
from finloom.workbench import Workbench

wb = Workbench(Settings(workspace=sys.argv[1], max_workers=1)).start()
job = wb.jobs.submit("demo.count", {"steps": 2000, "delay": 0.05})
job_id = job["id"] if isinstance(job, dict) else job.id
while True:
    with session_scope(wb.session_factory) as s:
        running = s.get(Job, job_id).status == "running"
    pid = wb.jobs.executor.pid_of(job_id)
    if running and pid:
        break
    time.sleep(0.05)
print(job_id, pid, flush=True)
time.sleep(600)
"""


def _row(wb, job_id):
    with session_scope(wb.session_factory) as s:
        return s.get(Job, job_id)


@linux_only
def test_workers_die_with_a_killed_server_and_restart_fails_their_jobs(tmp_path):
    server = subprocess.Popen([sys.executable, "-c", _SERVER, str(tmp_path)], stdout=subprocess.PIPE, text=True,
                              env=python_env())
    line = server.stdout.readline()
    os.kill(server.pid, signal.SIGKILL)
    server.wait(timeout=10)
    job_id, worker = line.split()
    try:
        assert wait_until(lambda: not _workers.pid_alive(int(worker)), timeout=10), "the worker outlived the server"
    finally:
        if _workers.pid_alive(int(worker)):
            os.kill(int(worker), signal.SIGKILL)
    wb = Workbench(Settings(workspace=tmp_path, max_workers=1)).start()
    try:
        row = _row(wb, job_id)
        assert row.status == "failed" and "run it again" in row.error
        assert not list((tmp_path / ".workers").rglob("*.json"))
        fresh = wb.jobs.submit("demo.count", {"steps": 2, "delay": 0})
        fresh_id = fresh["id"] if isinstance(fresh, dict) else fresh.id
        assert wait_until(lambda: _row(wb, fresh_id).status == "succeeded", timeout=60)
    finally:
        wb.close()


@linux_only
def test_start_stops_a_worker_that_outlived_its_server_and_fails_its_job(tmp_path):
    orphan = _sleeper()  # stands for a worker that survived (no parent-death signal, watchdog stuck)
    try:
        _write_record(tmp_path, "j1", orphan.pid, DEAD_PID, _workers._proc_stat(orphan.pid)[2])
        wb = Workbench(Settings(workspace=tmp_path), executor_mode="thread").migrate()
        with session_scope(wb.session_factory) as s:
            s.add(Job(id="j1", kind="demo.count", status="running", worker=f"{socket.gethostname()}:{orphan.pid}"))
        wb.start()
        assert orphan.wait(timeout=10) == -signal.SIGTERM
        row = _row(wb, "j1")
        assert row.status == "failed"
        assert row.error == f"the server stopped while this job ran (worker process {orphan.pid} was stopped); run it again"
        wb.close()
    finally:
        orphan.kill()


def test_jobs_whose_worker_vanished_are_failed_periodically(tmp_path):
    wb = Workbench(Settings(workspace=tmp_path), executor_mode="thread", reconcile_every=0.1).start()
    try:
        job_id = str(uuid.uuid4())  # e.g. the supervisor could not record the worker's death (database outage)
        with session_scope(wb.session_factory) as s:
            s.add(Job(id=job_id, kind="demo.count", status="running", worker=f"{socket.gethostname()}:{DEAD_PID}"))
        assert wait_until(lambda: _row(wb, job_id).status == "failed", timeout=10), "the job stayed running"
        assert "stopped before it finished" in _row(wb, job_id).error
    finally:
        wb.close()


def test_periodic_reconcile_survives_a_database_outage(tmp_path, monkeypatch, caplog):
    from finloom.errors import ServiceError

    wb = Workbench(Settings(workspace=tmp_path), executor_mode="thread", reconcile_every=0.05).start()
    calls = []

    def outage():
        calls.append(1)
        raise ServiceError("the database must be reachable; got OperationalError.")

    monkeypatch.setattr(wb, "reconcile", outage)
    try:
        assert wait_until(lambda: len(calls) >= 3, timeout=10), "the reconcile loop died on the first outage"
        assert "reconciling jobs failed (ServiceError)" in caplog.text
    finally:
        wb.close()
