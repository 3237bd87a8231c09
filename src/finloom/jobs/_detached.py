"""A detached job worker: ``python -m finloom.jobs._detached`` runs one job read from stdin.

The CLI starts it in its own session, so the job keeps running after the command exits (or
when it is run with ``--no-wait``). The worker records itself in the workspace (so that the
job service can cancel it from any process, and a server does not take it for an orphan) and
reads SIGTERM as the cancellation of its job.
"""

from __future__ import annotations

import json
import signal
import sys
from types import FrameType
from typing import Any

from finloom._logging import configure_logging
from finloom.jobs._context import JobCancelled
from finloom.jobs._kinds import JobKind
from finloom.jobs._runner import run_job
from finloom.jobs._workers import forget_worker, record_worker

__all__ = ["main"]


def _cancel(signum: int, frame: FrameType | None) -> None:
    raise JobCancelled(f"signal {signum}")


def main(payload: dict[str, Any]) -> str:
    """Run the job ``payload`` names (``job_id``, ``config``, ``kinds``) and return its end status.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.jobs import JobService, WorkerConfig
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> class Hold:  # an executor that leaves the job queued, for main() to run
    ...     def submit(self, job_id, config): pass
    ...     def cancel(self, job_id): pass
    ...     def shutdown(self): pass
    >>> ws = tempfile.mkdtemp(); url = f"sqlite:///{ws}/db.sqlite"
    >>> engine = make_engine(url); upgrade_database(engine)
    >>> service = JobService(make_session_factory(engine), WorkerConfig(url, ws), Hold())
    >>> job = service.submit("demo.count", {"steps": 1, "delay": 0})
    >>> main({"job_id": job.id, "config": service.config.to_dict()}), service.get(job.id).status
    ('succeeded', 'succeeded')
    """
    import os

    config = dict(payload["config"])
    kinds = {name: JobKind(*entry) for name, entry in payload.get("kinds", {}).items()}
    record = record_worker(config["workspace"], payload["job_id"], os.getpid())
    try:
        return run_job(payload["job_id"], config, kinds) if kinds else run_job(payload["job_id"], config)
    finally:
        forget_worker(record)


if __name__ == "__main__":  # pragma: no cover - run by LocalExecutor(mode="detached")
    configure_logging()
    signal.signal(signal.SIGTERM, _cancel)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C belongs to the command that waits, not to the job
    status = main(json.loads(sys.stdin.read()))
    sys.exit(0 if status in ("succeeded", "failed", "cancelled") else 1)
