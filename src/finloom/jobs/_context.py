"""What a job function receives: its parameters, a progress callback and workspace access."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from finloom._base import ProgressCallback, noop_progress

__all__ = ["JobCancelled", "JobContext", "WorkerConfig"]


class JobCancelled(Exception):
    """Raised inside a job by its progress callback once the user asked to cancel it."""


@dataclass(frozen=True)
class WorkerConfig:
    """The part of the settings a worker process needs (plain values, safe to send to Dask)."""

    database_url: str
    workspace: str
    torch_threads: int = 1
    encoder_path: str | None = None  # the default text encoder (FINLOOM_ENCODER_PATH) in workers

    def to_dict(self) -> dict[str, Any]:
        return {"database_url": self.database_url, "workspace": self.workspace, "torch_threads": self.torch_threads,
                "encoder_path": self.encoder_path}


@dataclass
class JobContext:
    """Handed to every job function: ``fn(ctx) -> dict`` (a JSON-able result).

    Examples
    --------
    >>> ctx = JobContext(job_id="j1", params={"n": 3}, workspace=Path("/tmp/ws"))
    >>> ctx.params["n"], ctx.progress(0.5, "half")
    (3, None)
    """

    job_id: str
    params: dict[str, Any]
    workspace: Path
    progress: ProgressCallback = noop_progress
    database_url: str = "sqlite://"
    created_by: str = ""
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        from finloom.jobs._log import LOG_NAME, logged_progress

        self.progress = logged_progress(self.progress, lambda: self.output_dir() / LOG_NAME)  # + log.txt

    @cached_property
    def session_factory(self) -> Any:
        from finloom.store import make_engine, make_session_factory

        return make_session_factory(make_engine(self.database_url))

    def artifacts(self) -> Any:
        """The workspace's :class:`~finloom.store.ArtifactRegistry`."""
        from finloom.store import ArtifactRegistry

        return ArtifactRegistry(self.workspace, self.session_factory)

    def datasets(self) -> Any:
        """The workspace's :class:`~finloom.store.DatasetRegistry`."""
        from finloom.store import DatasetRegistry

        return DatasetRegistry(self.workspace, self.session_factory)

    def output_dir(self, *parts: str) -> Path:
        """A directory for this job's files (reports, samples): ``<workspace>/jobs/<id>/...``."""
        path = self.workspace.joinpath("jobs", self.job_id, *parts)
        path.mkdir(parents=True, exist_ok=True)
        return path
