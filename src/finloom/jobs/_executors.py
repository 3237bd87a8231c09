"""Where jobs run: ``LocalExecutor`` (threads or one child process per job) or ``DaskExecutor``."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal, Protocol

from finloom._logging import configure_logging
from finloom.jobs._kinds import JOB_KINDS, JobKind
from finloom.jobs._runner import run_job, with_db_retries
from finloom.jobs._workers import bind_to_parent, forget_worker, record_worker, signal_worker

__all__ = ["DaskExecutor", "Executor", "LocalExecutor"]

log = logging.getLogger("finloom.jobs")
OnExit = Callable[[str, str], None]  # (job_id, reason) when a worker dies without finishing the job


class Executor(Protocol):
    """Runs ``run_job(job_id, config)`` somewhere and can stop it."""

    def submit(self, job_id: str, config: Mapping[str, Any]) -> None: ...

    def cancel(self, job_id: str) -> None: ...

    def shutdown(self) -> None: ...


def _child_main(job_id: str, config: dict[str, Any], kinds: dict[str, JobKind], parent_pid: int | None = None) -> None:
    """A worker process: bound to the server's life, logging masked, then the job."""
    if parent_pid is not None:
        bind_to_parent(parent_pid)
    configure_logging()
    run_job(job_id, config, kinds)


def _dask_main(job_id: str, config: dict[str, Any], kinds: dict[str, JobKind]) -> str:
    """The job on a Dask worker, with finloom's masked logging configured there."""
    configure_logging()
    return run_job(job_id, config, kinds)


def _report_exit(on_exit: OnExit | None, job_id: str, reason: str) -> None:
    """Tell ``on_exit`` that a worker died, retrying through a database outage; never raises
    (what cannot be recorded now is found by the periodic reconcile)."""
    if on_exit is None:
        return
    try:
        with_db_retries(lambda: on_exit(job_id, reason), what=f"recording that job {job_id} ended")
    except Exception:
        log.exception("could not record that job %s ended; the periodic reconcile will", job_id)


def _record(config: Mapping[str, Any], job_id: str, pid: int | None) -> Path | None:
    if pid is None or not config.get("workspace"):
        return None
    try:
        return record_worker(str(config["workspace"]), job_id, pid)
    except OSError as exc:
        log.warning("could not record worker %s of job %s: %s", pid, job_id, exc)
        return None


class LocalExecutor:
    """Run jobs on this machine: each in its own child process (default), in a thread pool, or
    in a detached process that outlives the submitter (``mode="detached"``, what the CLI uses).

    A child process that dies (killed, out of memory) is noticed by its supervisor thread and the
    job is ended ``failed`` through ``on_exit``; cancelling a running job terminates its process
    group. Children die with the server (see :mod:`finloom.jobs._workers`) and are recorded in the
    workspace so that a restarted server can reap those that survived it.

    A detached worker (``python -m finloom.jobs._detached``) leads its own session, records
    itself in the workspace and keeps running when the command that submitted it exits; the
    job service cancels it from any process of this host through that record.
    """

    def __init__(
        self,
        *,
        max_workers: int = 2,
        mode: Literal["process", "thread", "detached"] = "process",
        on_exit: OnExit | None = None,
        kinds: Mapping[str, JobKind] = JOB_KINDS,
    ) -> None:
        self.max_workers = max_workers
        self.mode = mode
        self.on_exit = on_exit
        self.kinds = dict(kinds)
        self._slots = threading.BoundedSemaphore(max_workers)
        self._threads = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="finloom-job")
        self._processes: dict[str, Any] = {}
        self._detached: dict[str, subprocess.Popen[bytes]] = {}
        self._lock = threading.Lock()

    def submit(self, job_id: str, config: Mapping[str, Any]) -> None:
        if self.mode == "thread":
            self._threads.submit(self._run_in_thread, job_id, dict(config))
        elif self.mode == "detached":
            self._start_detached(job_id, dict(config))
        else:
            threading.Thread(
                target=self._supervise, args=(job_id, dict(config)), name=f"finloom-sup-{job_id[:8]}", daemon=True
            ).start()

    def _run_in_thread(self, job_id: str, config: dict[str, Any]) -> None:
        try:
            run_job(job_id, config, self.kinds)
        except Exception as exc:  # the job's end could not be recorded (database outage)
            log.exception("job %s could not be run to its end", job_id)
            _report_exit(self.on_exit, job_id, f"the job could not be run to its end ({type(exc).__name__})")

    def _supervise(self, job_id: str, config: dict[str, Any]) -> None:
        with self._slots:
            ctx = multiprocessing.get_context("spawn")
            process = ctx.Process(target=_child_main, args=(job_id, config, self.kinds, os.getpid()), daemon=True)
            with self._lock:
                self._processes[job_id] = process
            process.start()
            record = _record(config, job_id, process.pid)
            process.join()
            with self._lock:
                self._processes.pop(job_id, None)
            forget_worker(record)
        if process.exitcode != 0:
            _report_exit(
                self.on_exit, job_id,
                f"the worker process exited with code {process.exitcode} before finishing the job "
                "(killed or out of memory); no result was kept",
            )

    def _start_detached(self, job_id: str, config: dict[str, Any]) -> None:
        """Start ``python -m finloom.jobs._detached`` in its own session; the job id, config and
        kinds go through its stdin (never its command line, which others can read)."""
        kinds = {name: [k.function, k.params] for name, k in self.kinds.items()}
        process = subprocess.Popen(
            [sys.executable, "-m", "finloom.jobs._detached"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True, close_fds=True,
        )
        if process.stdin is not None:  # always, with stdin=PIPE
            process.stdin.write(json.dumps({"job_id": job_id, "config": config, "kinds": kinds}).encode())
            process.stdin.close()
        with self._lock:
            self._detached[job_id] = process
        threading.Thread(target=self._reap, args=(job_id, process), name=f"finloom-reap-{job_id[:8]}",
                         daemon=True).start()

    def _reap(self, job_id: str, process: subprocess.Popen[bytes]) -> None:
        """While the submitter lives: collect the detached worker and report it if it died early."""
        code = process.wait()
        with self._lock:
            self._detached.pop(job_id, None)
        if code != 0:
            _report_exit(self.on_exit, job_id, f"the worker process exited with code {code} before finishing "
                                               "the job (killed or out of memory); no result was kept")

    def pid_of(self, job_id: str) -> int | None:
        """The child process id running ``job_id`` (process and detached modes), if any."""
        with self._lock:
            process = self._processes.get(job_id) or self._detached.get(job_id)
        return None if process is None else process.pid

    def cancel(self, job_id: str) -> None:
        with self._lock:
            process = self._processes.get(job_id)
        if process is not None and process.is_alive():
            signal_worker(process.pid)

    def shutdown(self) -> None:
        with self._lock:
            processes = list(self._processes.values())
        for process in processes:
            if process.is_alive():
                signal_worker(process.pid)
        self._threads.shutdown(wait=False, cancel_futures=True)


class DaskExecutor:
    """Run the same job function on a Dask distributed cluster (``FINLOOM_DASK_ADDRESS``)."""

    def __init__(
        self, address: str | Any, *, on_exit: OnExit | None = None, kinds: Mapping[str, JobKind] = JOB_KINDS
    ) -> None:
        from finloom._optional import require

        distributed = require("distributed", feature="running jobs on Dask")
        self.client = address if isinstance(address, distributed.Client) else distributed.Client(address)
        self.on_exit = on_exit
        self.kinds = dict(kinds)
        self._futures: dict[str, Any] = {}

    def submit(self, job_id: str, config: Mapping[str, Any]) -> None:
        future = self.client.submit(
            _dask_main, job_id, dict(config), self.kinds, key=f"finloom-job-{job_id}", pure=False, retries=0
        )
        self._futures[job_id] = future
        future.add_done_callback(lambda fut, jid=job_id: self._done(jid, fut))

    def _done(self, job_id: str, future: Any) -> None:
        self._futures.pop(job_id, None)
        if future.status == "error":
            _report_exit(self.on_exit, job_id, f"the Dask worker failed: {future.exception()!r}")

    def cancel(self, job_id: str) -> None:
        future = self._futures.get(job_id)
        if future is not None:
            future.cancel()

    def shutdown(self) -> None:
        self.client.close()
