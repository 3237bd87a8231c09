"""What a job function receives: its parameters, a progress callback and workspace access."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finloom._base import ProgressCallback, noop_progress
from finloom.jobs._files import import_roots, partial_dir, resolve_import_file

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from finloom.store import ArtifactRegistry, DatasetRegistry

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
    import_roots: tuple[str, ...] = ()  # FINLOOM_IMPORT_ROOTS: folders besides <workspace>/imports
    csv_formula_guard: bool = True  # FINLOOM_CSV_FORMULA_GUARD: neutralise formula cells in CSV files

    def to_dict(self) -> dict[str, Any]:
        return {"database_url": self.database_url, "workspace": self.workspace, "torch_threads": self.torch_threads,
                "encoder_path": self.encoder_path, "import_roots": list(self.import_roots),
                "csv_formula_guard": self.csv_formula_guard}


@dataclass
class JobContext:
    """Handed to every job function with its parameters: ``fn(ctx, params) -> dict`` (JSON-able).

    Files a job writes go to :meth:`output_dir`, a partial folder that becomes the job's files
    only when it succeeds; files it reads from parameters go through :meth:`resolve_import`.

    Examples
    --------
    >>> ctx = JobContext(job_id="j1", params={"n": 3}, workspace=Path("/tmp/ws"))
    >>> ctx.params["n"], ctx.progress(0.5, "half")
    (3, None)
    >>> ctx.resolve_import("/etc/passwd", "test_path")
    Traceback (most recent call last):
    ...
    finloom.jobs._params.InvalidParamsError: test_path must be a file inside the workspace's imports folder or a FINLOOM_IMPORT_ROOTS folder; got '/etc/passwd'. Copy the file into the imports folder and pass its path relative to it.
    """

    job_id: str
    params: dict[str, Any]
    workspace: Path
    progress: ProgressCallback = noop_progress
    database_url: str = "sqlite://"
    created_by: str = ""
    extra_import_roots: tuple[str, ...] = ()
    factory: sessionmaker[Session] | None = field(default=None, repr=False)
    encoder_path: str | None = None  # the workspace's default text encoder (None: the bundled MiniLM)

    def __post_init__(self) -> None:
        from finloom.jobs._log import LOG_NAME, logged_progress

        self.progress = logged_progress(self.progress, lambda: self.output_dir() / LOG_NAME)  # + log.txt

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        if self.factory is not None:
            return self.factory
        from finloom.store import make_engine, make_session_factory

        return make_session_factory(make_engine(self.database_url))

    def artifacts(self) -> ArtifactRegistry:
        """The workspace's :class:`~finloom.store.ArtifactRegistry`."""
        from finloom.store import ArtifactRegistry

        return ArtifactRegistry(self.workspace, self.session_factory)

    def datasets(self) -> DatasetRegistry:
        """The workspace's :class:`~finloom.store.DatasetRegistry`."""
        from finloom.store import DatasetRegistry

        return DatasetRegistry(self.workspace, self.session_factory)

    @property
    def import_roots(self) -> tuple[Path, ...]:
        """Folders parameters may name files in: ``<workspace>/imports``, then FINLOOM_IMPORT_ROOTS."""
        return import_roots(self.workspace, self.extra_import_roots)

    def resolve_import(self, value: str, field: str) -> Path:
        """The file ``value`` (parameter ``field``) names inside the import roots, else an error."""
        return resolve_import_file(value, field=field, roots=self.import_roots)

    def output_dir(self, *parts: str) -> Path:
        """A folder for this job's files (reports, samples); they are published when the job succeeds."""
        path = partial_dir(self.workspace, self.job_id).joinpath(*parts)
        path.mkdir(parents=True, exist_ok=True)
        return path
