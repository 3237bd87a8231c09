"""One object that wires the platform together for a workspace: database, registries and jobs."""

from __future__ import annotations

import functools
import logging
import os
import secrets
import threading
from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from finloom._warmup import Warmup
from finloom.config import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

    from finloom.apps.customer_service import CustomerServiceAssistant
    from finloom.apps.customer_service._speech import SpeechRecognizer
    from finloom.jobs import Executor, JobService
    from finloom.store import ArtifactRegistry, DatasetRegistry

ExecutorMode = Literal["process", "thread", "detached"]

__all__ = ["Workbench"]

log = logging.getLogger("finloom")


class Workbench:
    """The platform for one workspace, shared by the CLI, the API and the web pages.

    ``start()`` creates the workspace, migrates the database, cleans up after a crash
    (orphaned jobs and workers, partial artifacts) and starts the executor (Dask when
    ``dask_address``); every ``reconcile_every`` seconds it ends jobs whose worker vanished.

    Examples
    --------
    >>> import tempfile
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start()
    >>> job = wb.jobs.submit("demo.count", {"steps": 2, "delay": 0})
    >>> wb.jobs.wait(job.id).status
    'succeeded'
    >>> wb.close()
    """

    def __init__(
        self, settings: Settings, *, executor_mode: ExecutorMode = "process", reconcile_every: float = 30.0
    ) -> None:
        self.settings = settings
        self.executor_mode = executor_mode
        self.reconcile_every = reconcile_every
        self._started = False
        self._stopping = threading.Event()

    @property
    def workspace(self) -> Path:
        return self.settings.workspace

    @cached_property
    def engine(self) -> Engine:
        from finloom.store import make_engine

        return make_engine(self.settings.resolved_database_url())

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        from finloom.store import make_session_factory

        return make_session_factory(self.engine)

    @cached_property
    def datasets(self) -> DatasetRegistry:
        from finloom.store import DatasetRegistry

        return DatasetRegistry(self.workspace, self.session_factory)

    @cached_property
    def artifacts(self) -> ArtifactRegistry:
        from finloom.store import ArtifactRegistry

        return ArtifactRegistry(self.workspace, self.session_factory)

    @cached_property
    def jobs(self) -> JobService:
        from finloom.jobs import DaskExecutor, JobService, LocalExecutor, WorkerConfig

        config = WorkerConfig(
            database_url=self.settings.resolved_database_url(),
            workspace=str(self.workspace),
            torch_threads=self.settings.torch_threads,
            encoder_path=str(self.settings.encoder_path) if self.settings.encoder_path else None,
            import_roots=tuple(str(p) for p in self.settings.import_roots),
            csv_formula_guard=self.settings.csv_formula_guard,
        )
        executor: Executor
        if self.settings.dask_address:
            executor = DaskExecutor(self.settings.dask_address)
        else:
            executor = LocalExecutor(max_workers=self.settings.max_workers, mode=self.executor_mode)
        return JobService(self.session_factory, config, executor)

    def session(self) -> AbstractContextManager[Session]:
        """A context manager yielding a database session that commits on success."""
        from finloom.store import session_scope

        return session_scope(self.session_factory)

    def migrate(self) -> Workbench:
        """Create the workspace folder and bring the database schema up to date."""
        from finloom.jobs import IMPORTS_DIR
        from finloom.store import upgrade_database

        (self.workspace / IMPORTS_DIR).mkdir(parents=True, exist_ok=True)  # files job params may name
        upgrade_database(self.engine)
        return self

    def start(self) -> Workbench:
        """Migrate, recover from a previous crash and start the executor (idempotent)."""
        if self._started:
            return self
        self.migrate()
        orphans = self.reconcile()
        partial = self.artifacts.remove_partial() + self.datasets.remove_partial()
        if orphans or partial:
            log.warning("recovered %d orphaned jobs and %d partial artifacts", orphans, partial)
        if self.settings.bootstrap_admin_key is not None:
            self.ensure_key("admin", "admin", self.settings.bootstrap_admin_key.get_secret_value())
        threading.Thread(target=self._reconcile_loop, name="finloom-reconcile", daemon=True).start()
        self._started = True
        return self

    def reconcile(self) -> int:
        """End jobs whose worker is gone; returns how many were found.

        Local workers that outlived their server are stopped (not adopted, so that
        ``max_workers`` holds) and their jobs marked failed; so is every job whose process on
        this host has vanished.
        """
        from finloom.jobs._runner import with_db_retries
        from finloom.jobs._workers import reap_orphaned_workers

        reaped = {} if self.settings.dask_address else reap_orphaned_workers(self.workspace)
        for job_id, reason in reaped.items():
            with_db_retries(functools.partial(self.jobs.mark_died, job_id, reason), what=f"ending job {job_id}")
        return len(reaped) + int(self.jobs.recover_orphans())

    def _reconcile_loop(self) -> None:
        while not self._stopping.wait(self.reconcile_every):
            try:
                found = self.reconcile()
            except Exception as exc:  # a database outage: try again next round
                log.warning("reconciling jobs failed (%s); trying again in %.0f s", type(exc).__name__, self.reconcile_every)
                continue
            if found:
                log.warning("ended %d jobs whose worker had vanished", found)

    @property
    def bootstrap_key_id(self) -> str | None:
        """The id of the configured bootstrap admin key (``FINLOOM_BOOTSTRAP_ADMIN_KEY``), if any."""
        from finloom.store import key_id_of

        key = self.settings.bootstrap_admin_key
        return None if key is None else key_id_of(key.get_secret_value())

    def ensure_key(self, user: str, role: str, secret: str) -> None:
        """Make sure an API key with value ``secret`` exists (used for bootstrap keys).

        A revoked or expired key is never revived, and a key whose id is taken is not created:
        the server starts and logs a warning saying what to change.
        """
        from finloom.store import ensure_api_key, key_id_of

        with self.session() as session:
            outcome = ensure_api_key(session, user=user, role=role, label="bootstrap", secret=secret)
        key_id = key_id_of(secret)
        if outcome in ("revoked", "expired"):
            log.warning("the bootstrap admin key %s was %s and stays so; unset FINLOOM_BOOTSTRAP_ADMIN_KEY "
                        "or set a new value to get a working admin key", key_id, outcome)
        elif outcome == "conflict":
            log.warning("FINLOOM_BOOTSTRAP_ADMIN_KEY was not created: its id %s belongs to another key; "
                        "choose another value", key_id)

    @cached_property
    def assistant_warmup(self) -> Warmup[CustomerServiceAssistant]:
        """The customer-service assistant, built in the background (``.start()`` begins)."""
        return Warmup(self._build_assistant, what="the assistant")

    def assistant(self) -> CustomerServiceAssistant:
        """The assistant over the workspace database; raises ``WarmingUpError`` until it is built."""
        return self.assistant_warmup.get()

    def _build_assistant(self) -> CustomerServiceAssistant:
        from finloom.apps.customer_service import build_demo_assistant
        from finloom.apps.customer_service._sql_store import SqlConversationStore

        return build_demo_assistant(
            store=SqlConversationStore(self.session_factory), dense=self.settings.assistant_dense,
            intents_path=self.settings.assistant_intents,
        )

    @cached_property
    def speech_recognizer(self) -> SpeechRecognizer:
        """The offline English recogniser of voice messages, built on first use (~1 s)."""
        from finloom.apps.customer_service.service import build_speech_recognizer

        return build_speech_recognizer()

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
        self._stopping.set()
        if "jobs" in self.__dict__:
            self.jobs.executor.shutdown()
        if "engine" in self.__dict__:
            self.engine.dispose()
