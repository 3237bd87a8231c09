"""Job worker processes die with their server and are reaped after a crash (Linux process semantics)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

import finloom
from finloom.jobs import _workers
from finloom.jobs._workers import reap_orphaned_workers, record_worker

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux process semantics")
DEAD_PID = 2**22 + 4321  # above the default pid_max: never alive


def python_env() -> dict[str, str]:
    """The environment for a child Python that imports this finloom."""
    src = str(Path(finloom.__file__).resolve().parents[1])
    return {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}


def wait_until(predicate, timeout=15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


_GRANDCHILD = """
import sys, time, pathlib
from finloom.jobs import _workers
_workers._set_parent_death_signal = lambda: False  # as on a system without prctl
_workers.bind_to_parent(int(sys.argv[1]), interval=0.1)
pathlib.Path(sys.argv[2]).write_text("bound")
time.sleep(120)
"""
_MIDDLE = """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", sys.argv[1], str(os.getpid()), sys.argv[2]])
print(child.pid, flush=True)
time.sleep(120)
"""


def test_watchdog_ends_a_worker_whose_server_died_without_a_parent_death_signal(tmp_path):
    ready = tmp_path / "bound"
    server = subprocess.Popen([sys.executable, "-c", _MIDDLE, _GRANDCHILD, str(ready)], stdout=subprocess.PIPE,
                              text=True, env=python_env())
    try:
        worker = int(server.stdout.readline())
        assert wait_until(ready.exists), "the worker never bound itself to its server"
        assert _workers.pid_alive(worker)
        os.kill(server.pid, signal.SIGKILL)
        server.wait(timeout=10)
        assert wait_until(lambda: not _workers.pid_alive(worker), timeout=10), "the worker outlived its server"
    finally:
        server.kill()


def _sleeper() -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)


def _write_record(workspace: Path, job_id: str, pid: int, supervisor: int, started: int | None) -> Path:
    path = workspace / ".workers" / socket.gethostname() / f"{job_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"job_id": job_id, "pid": pid, "supervisor_pid": supervisor, "started": started}))
    return path


def test_reap_stops_a_worker_whose_server_is_gone(tmp_path):
    orphan = _sleeper()
    try:
        started = _workers._proc_stat(orphan.pid)[2]
        record = _write_record(tmp_path, "job-1", orphan.pid, DEAD_PID, started)
        ended = reap_orphaned_workers(tmp_path, grace=2)
        assert list(ended) == ["job-1"] and "the server stopped while this job ran" in ended["job-1"]
        assert orphan.wait(timeout=10) == -signal.SIGTERM
        assert not record.exists()
    finally:
        orphan.kill()


def test_reap_leaves_supervised_workers_and_reused_pids_alone(tmp_path):
    supervised, stranger = _sleeper(), _sleeper()
    try:
        record_worker(tmp_path, "mine", supervised.pid)  # supervised by this (live) process
        _write_record(tmp_path, "reused", stranger.pid, DEAD_PID, started=1)  # pid now names another process
        ended = reap_orphaned_workers(tmp_path, grace=1)
        assert list(ended) == ["reused"]
        assert supervised.poll() is None and stranger.poll() is None
        assert [p.stem for p in (tmp_path / ".workers").rglob("*.json")] == ["mine"]
    finally:
        supervised.kill()
        stranger.kill()


def test_reap_tolerates_a_missing_or_broken_registry(tmp_path):
    assert reap_orphaned_workers(tmp_path) == {}
    broken = _write_record(tmp_path, "x", 1, 1, None)
    broken.write_text("{not json")
    assert reap_orphaned_workers(tmp_path) == {} and not broken.exists()
