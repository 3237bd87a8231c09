"""Job worker processes: they end with the server, are recorded on disk, and are reaped after a crash.

A worker leads its own process group and asks Linux to kill it when its parent (the server) dies
(``prctl(PR_SET_PDEATHSIG)``); a watchdog thread that notices the re-parenting covers other systems.
The supervisor records each worker in ``<workspace>/.workers/<host>/<job id>.json``; at start-up
(and periodically) :func:`reap_orphaned_workers` stops workers whose server is gone.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from finloom._io import atomic_write_text

__all__ = [
    "pid_alive",
    "WorkerRecord",
    "bind_to_parent",
    "forget_worker",
    "reap_orphaned_workers",
    "record_worker",
    "signal_recorded_worker",
    "signal_worker",
]

log = logging.getLogger("finloom.jobs")
WATCHDOG_INTERVAL = 1.0  # seconds between the watchdog's looks at the parent
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class WorkerRecord:
    """A running worker as its supervisor recorded it."""

    job_id: str
    pid: int
    supervisor_pid: int
    started: int | None  # kernel start time of the process (guards against pid reuse), when known


def _proc_stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of ``pid`` from /proc, or None (gone, or no /proc)."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[19])


def pid_alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, already ended, counts as gone)."""
    stat = _proc_stat(pid)
    if stat is not None:
        return stat[0] not in ("Z", "X")
    if Path("/proc/self/stat").exists():  # /proc works: no entry means no process
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _end_own_group() -> None:
    """Kill this worker and, when it leads a group, the processes it started."""
    if os.getpgrp() == os.getpid():
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


def _set_parent_death_signal() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watchdog(parent_pid: int, interval: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(interval)
    _end_own_group()


def bind_to_parent(parent_pid: int, *, interval: float = WATCHDOG_INTERVAL) -> None:
    """In a worker: lead a new process group and die when ``parent_pid`` (the server) dies.

    Linux delivers SIGKILL at the parent's death (``PR_SET_PDEATHSIG``); a daemon thread also
    checks ``os.getppid()`` every ``interval`` seconds (the fallback elsewhere).
    """
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    armed = _set_parent_death_signal()
    if os.getppid() != parent_pid:  # the server died before the signal was armed
        _end_own_group()
    threading.Thread(target=_watchdog, args=(parent_pid, interval), name="finloom-watchdog", daemon=True).start()
    log.debug("worker %d bound to server %d (parent-death signal %s)", os.getpid(), parent_pid, armed)


def _registry(workspace: str | os.PathLike[str]) -> Path:
    return Path(workspace) / ".workers" / socket.gethostname()


def record_worker(workspace: str | os.PathLike[str], job_id: str, pid: int) -> Path:
    """Write down that this process supervises worker ``pid`` running ``job_id`` (``pid`` may be
    this process: a detached worker supervises itself)."""
    stat = _proc_stat(pid)
    record = WorkerRecord(job_id, pid, os.getpid(), None if stat is None else stat[2])
    return atomic_write_text(_registry(workspace) / f"{job_id}.json", json.dumps(asdict(record)))


def forget_worker(path: Path | None) -> None:
    """Remove a worker's record once its supervisor saw it end."""
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def signal_worker(pid: int, sig: int = signal.SIGTERM) -> None:
    """Send ``sig`` to a worker's whole process group (or to the worker alone if it leads none)."""
    try:
        if os.getpgid(pid) == pid:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except ProcessLookupError:
        pass


def signal_recorded_worker(workspace: str | os.PathLike[str], job_id: str, sig: int = signal.SIGTERM) -> bool:
    """Send ``sig`` to the recorded worker of ``job_id`` on this host, whoever started it (a
    detached CLI job, another server); False when there is no such live worker."""
    record = _read(_registry(workspace) / f"{job_id}.json")
    if record is None or not _same_process(record):
        return False
    signal_worker(record.pid, sig)
    return True


def _supervised(record: WorkerRecord) -> bool:
    """Whether the worker's server still runs and is still its parent (a detached worker, its
    own supervisor, only needs to run)."""
    if record.supervisor_pid == record.pid:
        return pid_alive(record.pid)
    if not pid_alive(record.supervisor_pid):
        return False
    stat = _proc_stat(record.pid)
    return stat is None or stat[1] == record.supervisor_pid


def _same_process(record: WorkerRecord) -> bool:
    stat = _proc_stat(record.pid)
    return pid_alive(record.pid) and (stat is None or record.started is None or stat[2] == record.started)


def _stop(pid: int, grace: float) -> None:
    signal_worker(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    signal_worker(pid, signal.SIGKILL)


def _read(path: Path) -> WorkerRecord | None:
    try:
        return WorkerRecord(**json.loads(path.read_text()))
    except (OSError, ValueError, TypeError):
        return None


def reap_orphaned_workers(workspace: str | os.PathLike[str], *, grace: float = 5.0) -> dict[str, str]:
    """Stop the recorded workers of this host whose server is gone; return ``{job id: reason}``.

    A worker still supervised by a running server is left alone. An orphan is stopped (its
    process group: SIGTERM, then SIGKILL after ``grace`` seconds) rather than adopted, so that
    ``FINLOOM_MAX_WORKERS`` holds after a restart; the caller marks its job failed.
    """
    ended: dict[str, str] = {}
    folder = _registry(workspace)
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        record = _read(path)
        if record is None:
            forget_worker(path)
            continue
        if _supervised(record):
            continue
        if _same_process(record):
            log.warning("stopping worker %d of job %s: its server (pid %d) is gone",
                        record.pid, record.job_id, record.supervisor_pid)
            _stop(record.pid, grace)
        elif not pid_alive(record.pid):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(record.pid, signal.SIGKILL)  # processes the dead worker started, if any
        ended[record.job_id] = (
            f"the server stopped while this job ran (worker process {record.pid} was stopped); run it again"
        )
        forget_worker(path)
    return ended
