"""Where jobs run: ``LocalExecutor`` (threads or one child process per job) or ``DaskExecutor``."""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal, Protocol

from finloom.jobs._kinds import JOB_KINDS
from finloom.jobs._runner import run_job

__all__ = ["DaskExecutor", "Executor", "LocalExecutor"]

log = logging.getLogger("finloom.jobs")
OnExit = Callable[[str, str], None]  # (job_id, reason) when a worker dies without finishing the job


class Executor(Protocol):
    """Runs ``run_job(job_id, config)`` somewhere and can stop it."""

    def submit(self, job_id: str, config: Mapping[str, Any]) -> None: ...

    def cancel(self, job_id: str) -> None: ...

    def shutdown(self) -> None: ...


def _child_main(job_id: str, config: dict[str, Any], kinds: dict[str, str]) -> None:
    run_job(job_id, config, kinds)


class LocalExecutor:
    """Run jobs on this machine: each in its own child process (default) or in a thread pool.

    A child process that dies (killed, out of memory) is noticed by its supervisor thread and the
    job is ended ``failed`` through ``on_exit``; cancelling a running job terminates its process.
    """

    def __init__(
        self,
        *,
        max_workers: int = 2,
        mode: Literal["process", "thread"] = "process",
        on_exit: OnExit | None = None,
        kinds: Mapping[str, str] = JOB_KINDS,
    ) -> None:
        self.max_workers = max_workers
        self.mode = mode
        self.on_exit = on_exit
        self.kinds = dict(kinds)
        self._slots = threading.BoundedSemaphore(max_workers)
        self._threads = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="finloom-job")
        self._processes: dict[str, Any] = {}
        self._lock = threading.Lock()

    def submit(self, job_id: str, config: Mapping[str, Any]) -> None:
        if self.mode == "thread":
            self._threads.submit(run_job, job_id, dict(config), self.kinds)
        else:
            threading.Thread(
                target=self._supervise, args=(job_id, dict(config)), name=f"finloom-sup-{job_id[:8]}", daemon=True
            ).start()

    def _supervise(self, job_id: str, config: dict[str, Any]) -> None:
        with self._slots:
            ctx = multiprocessing.get_context("spawn")
            process = ctx.Process(target=_child_main, args=(job_id, config, self.kinds), daemon=True)
            with self._lock:
                self._processes[job_id] = process
            process.start()
            process.join()
            with self._lock:
                self._processes.pop(job_id, None)
        if process.exitcode != 0 and self.on_exit is not None:
            self.on_exit(
                job_id,
                f"the worker process exited with code {process.exitcode} before finishing the job "
                "(killed or out of memory); no result was kept",
            )

    def pid_of(self, job_id: str) -> int | None:
        """The child process id running ``job_id`` (process mode), if any."""
        with self._lock:
            process = self._processes.get(job_id)
        return None if process is None else process.pid

    def cancel(self, job_id: str) -> None:
        with self._lock:
            process = self._processes.get(job_id)
        if process is not None and process.is_alive():
            process.terminate()

    def shutdown(self) -> None:
        with self._lock:
            processes = list(self._processes.values())
        for process in processes:
            if process.is_alive():
                process.terminate()
        self._threads.shutdown(wait=False, cancel_futures=True)


class DaskExecutor:
    """Run the same job function on a Dask distributed cluster (``FINLOOM_DASK_ADDRESS``)."""

    def __init__(
        self, address: str | Any, *, on_exit: OnExit | None = None, kinds: Mapping[str, str] = JOB_KINDS
    ) -> None:
        from finloom._optional import require

        distributed = require("distributed", feature="running jobs on Dask")
        self.client = address if isinstance(address, distributed.Client) else distributed.Client(address)
        self.on_exit = on_exit
        self.kinds = dict(kinds)
        self._futures: dict[str, Any] = {}

    def submit(self, job_id: str, config: Mapping[str, Any]) -> None:
        future = self.client.submit(
            run_job, job_id, dict(config), self.kinds, key=f"finloom-job-{job_id}", pure=False, retries=0
        )
        self._futures[job_id] = future
        future.add_done_callback(lambda fut, jid=job_id: self._done(jid, fut))

    def _done(self, job_id: str, future: Any) -> None:
        self._futures.pop(job_id, None)
        if future.status == "error" and self.on_exit is not None:
            self.on_exit(job_id, f"the Dask worker failed: {future.exception()!r}")

    def cancel(self, job_id: str) -> None:
        future = self._futures.get(job_id)
        if future is not None:
            future.cancel()

    def shutdown(self) -> None:
        self.client.close()
