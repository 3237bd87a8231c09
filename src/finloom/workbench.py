"""One object that wires the platform together for a workspace: database, registries and jobs."""

from __future__ import annotations

import logging
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Any

from finloom.config import Settings

__all__ = ["Workbench"]

log = logging.getLogger("finloom")


class Workbench:
    """The platform for one workspace, shared by the CLI, the API and the web pages.

    ``start()`` creates the workspace, migrates the database, cleans up after a crash
    (orphaned jobs, partial artifacts) and starts the executor (Dask when ``dask_address``).

    Examples
    --------
    >>> import tempfile
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start()
    >>> job = wb.jobs.submit("demo.count", {"steps": 2, "delay": 0})
    >>> wb.jobs.wait(job["id"])["status"]
    'succeeded'
    >>> wb.close()
    """

    def __init__(self, settings: Settings, *, executor_mode: str = "process") -> None:
        self.settings = settings
        self.executor_mode = executor_mode
        self._started = False

    @property
    def workspace(self) -> Path:
        return self.settings.workspace

    @cached_property
    def engine(self) -> Any:
        from finloom.store import make_engine

        return make_engine(self.settings.resolved_database_url())

    @cached_property
    def session_factory(self) -> Any:
        from finloom.store import make_session_factory

        return make_session_factory(self.engine)

    @cached_property
    def datasets(self) -> Any:
        from finloom.store import DatasetRegistry

        return DatasetRegistry(self.workspace, self.session_factory)

    @cached_property
    def artifacts(self) -> Any:
        from finloom.store import ArtifactRegistry

        return ArtifactRegistry(self.workspace, self.session_factory)

    @cached_property
    def jobs(self) -> Any:
        from finloom.jobs import DaskExecutor, JobService, LocalExecutor, WorkerConfig

        config = WorkerConfig(
            database_url=self.settings.resolved_database_url(),
            workspace=str(self.workspace),
            torch_threads=self.settings.torch_threads,
            encoder_path=str(self.settings.encoder_path) if self.settings.encoder_path else None,
        )
        executor: Any
        if self.settings.dask_address:
            executor = DaskExecutor(self.settings.dask_address)
        else:
            executor = LocalExecutor(max_workers=self.settings.max_workers, mode=self.executor_mode)  # type: ignore[arg-type]
        return JobService(self.session_factory, config, executor)

    def session(self) -> Any:
        """A context manager yielding a database session that commits on success."""
        from finloom.store import session_scope

        return session_scope(self.session_factory)

    def migrate(self) -> Workbench:
        """Create the workspace folder and bring the database schema up to date."""
        from finloom.store import upgrade_database

        self.workspace.mkdir(parents=True, exist_ok=True)
        upgrade_database(self.engine)
        return self

    def start(self) -> Workbench:
        """Migrate, recover from a previous crash and start the executor (idempotent)."""
        if self._started:
            return self
        self.migrate()
        orphans = self.jobs.recover_orphans()
        partial = self.artifacts.remove_partial() + self.datasets.remove_partial()
        if orphans or partial:
            log.warning("recovered %d orphaned jobs and %d partial artifacts", orphans, partial)
        if self.settings.bootstrap_admin_key is not None:
            self.ensure_key("admin", "admin", self.settings.bootstrap_admin_key.get_secret_value())
        self._started = True
        return self

    def ensure_key(self, user: str, role: str, secret: str) -> None:
        """Make sure an API key with value ``secret`` exists (used for bootstrap keys)."""
        from finloom.errors import AuthenticationError
        from finloom.store import authenticate, create_api_key

        with self.session() as session:
            try:
                authenticate(session, secret)
            except AuthenticationError:
                create_api_key(session, user=user, role=role, label="bootstrap", secret=secret)

    def secret_key(self) -> str:
        """The key that signs web sessions: from settings, else a random one kept in the workspace."""
        if self.settings.secret_key is not None:
            return self.settings.secret_key.get_secret_value()
        path = self.workspace / ".secret_key"
        if not path.exists():
            from finloom._io import atomic_write_text

            atomic_write_text(path, secrets.token_urlsafe(48))
            os.chmod(path, 0o600)
        return path.read_text().strip()

    def close(self) -> None:
        """Stop the executor and release database connections."""
        if "jobs" in self.__dict__:
            self.jobs.executor.shutdown()
        if "engine" in self.__dict__:
            self.engine.dispose()
