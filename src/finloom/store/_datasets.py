"""The dataset registry: validated tables stored as Parquet + metadata JSON, one folder per version."""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from finloom.data import DatasetFiles, Metadata
from finloom.errors import ConfigError, ConflictError, NotFoundError, did_you_mean
from finloom.store._artifacts import check_name
from finloom.store._audit import AuditEntry
from finloom.store._db import session_scope
from finloom.store._models import PENDING, READY, Dataset, DatasetVersion, utcnow
from finloom.store._publish import remove_stale_temp, retry_reservation, write_version

__all__ = ["DatasetInfo", "DatasetRegistry"]


def _check_text(text: str, what: str) -> str:
    """Free text goes into the database as is; PostgreSQL refuses NUL characters."""
    if "\x00" in text:
        raise ConfigError(
            f"{what} must not contain NUL characters; got one at position {text.index(chr(0))}. "
            "Remove it."
        )
    return text


class _Mode(Enum):
    CREATE = "create"  # a new dataset name
    APPEND = "append"  # a new version of an existing dataset


@dataclass(frozen=True)
class _Entry:
    """The free-text fields of a stored version."""

    description: str
    source: str
    licence: str
    created_by: str


@dataclass
class DatasetInfo:
    """One dataset version as the registry describes it."""

    name: str
    version: int
    n_rows: int
    n_cols: int
    content_hash: str
    metadata: Metadata
    path: Path
    description: str = ""
    source: str = ""
    licence: str = ""
    size_bytes: int = 0
    created_at: dt.datetime | None = None
    created_by: str = ""
    n_versions: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "n_versions": self.n_versions,
            "n_rows": self.n_rows,
            "n_cols": self.n_cols,
            "content_hash": self.content_hash,
            "size_bytes": self.size_bytes,
            "description": self.description,
            "source": self.source,
            "licence": self.licence,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "created_by": self.created_by,
            "metadata": self.metadata.to_dict(),
        }


class DatasetRegistry:
    """Register, version, read and delete datasets in ``<workspace>/datasets/<name>/v<N>/``.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> engine = make_engine("sqlite://"); upgrade_database(engine)
    >>> reg = DatasetRegistry(tempfile.mkdtemp(), make_session_factory(engine))
    >>> df = pd.DataFrame({"id": [1, 2, 3], "amount": [10.0, 12.5, 9.0], "default": [0, 1, 0]})
    >>> info = reg.add("loans", df, target="default")
    >>> info.version, info.n_rows, info.metadata.target
    (1, 3, 'default')
    >>> reg.load("loans")[0].shape
    (3, 3)
    """

    def __init__(self, workspace: str | Path, session_factory: sessionmaker[Session]) -> None:
        self.workspace = Path(workspace)
        self.root = self.workspace / "datasets"
        self.session_factory = session_factory

    # -- writing -------------------------------------------------------------------------
    def add(
        self,
        name: str,
        source: Any,
        *,
        metadata: Metadata | None = None,
        target: str | None = None,
        primary_key: str | None = None,
        description: str = "",
        source_label: str = "",
        licence: str = "",
        created_by: str = "",
        new_version: bool = False,
        read_options: dict[str, Any] | None = None,
        audit: AuditEntry | None = None,
    ) -> DatasetInfo:
        """Read, validate and store ``source`` as dataset ``name`` (a new version if asked).

        Concurrent calls are safe: of several requests creating one new name, one succeeds and
        the others raise :class:`ConflictError`; concurrent new versions get distinct numbers.
        ``audit`` is recorded in the transaction that publishes the version.
        """
        from finloom.data import prepare_table

        check_name(name, "dataset name")
        for what, text in (("description", description), ("source label", source_label), ("licence", licence)):
            _check_text(text, what)
        with session_scope(self.session_factory) as session:  # fail fast, before reading the file
            self._check_mode(session, name, _Mode.APPEND if new_version else _Mode.CREATE)
        prepared = prepare_table(
            source, metadata=metadata, target=target, primary_key=primary_key, **(read_options or {})
        )
        label = source_label or (str(source) if isinstance(source, str | Path) else type(source).__name__)
        entry = _Entry(description, label[:500], licence, created_by)
        mode = _Mode.APPEND if new_version else _Mode.CREATE
        return self._store(name, prepared.df, prepared.metadata, entry, mode, audit)

    def update_metadata(
        self, name: str, metadata: Metadata, *, created_by: str = "", audit: AuditEntry | None = None
    ) -> DatasetInfo:
        """Store edited metadata as a new version over the same data (validated again); ``audit``
        is recorded in the transaction that publishes it."""
        from finloom.data import check_table, coerce_table

        df, _ = self.load(name)
        check_table(df, metadata)
        df = coerce_table(df, metadata)
        current = self.get(name)
        entry = _Entry(current.description, current.source, current.licence, created_by)
        return self._store(name, df, metadata, entry, _Mode.APPEND, audit)

    def _check_mode(self, session: Session, name: str, mode: _Mode) -> Dataset | None:
        dataset = session.scalar(select(Dataset).where(Dataset.name == name))
        if dataset is not None and mode is _Mode.CREATE:
            raise ConflictError(
                f"dataset name must be new; got {name!r}, which exists. "
                "Pick another name, or add a new version of it."
            )
        if dataset is None and mode is _Mode.APPEND:
            self._missing(session, name)
        return dataset

    def _reserve_once(self, name: str, entry: _Entry, mode: _Mode) -> tuple[int, int]:
        """Commit a pending version row (and the dataset row for a new name)."""
        with session_scope(self.session_factory) as session:
            dataset = self._check_mode(session, name, mode)
            if dataset is None:
                dataset = Dataset(name=name, description=entry.description, created_by=entry.created_by)
                session.add(dataset)
                session.flush()  # a racing creator of the same name fails here and retries
            newest = session.scalar(
                select(func.max(DatasetVersion.version)).where(DatasetVersion.dataset_id == dataset.id)
            )
            version = (newest or 0) + 1
            session.add(
                DatasetVersion(
                    dataset_id=dataset.id, version=version, state=PENDING,
                    path=str((self.root / name / f"v{version}").relative_to(self.workspace)),
                    content_hash="", n_rows=0, n_cols=0, source=entry.source, licence=entry.licence,
                )
            )
            session.flush()  # unique (dataset_id, version): a racing writer fails and retries
            return dataset.id, version

    def _finish(
        self, name: str, version_id: tuple[int, int], files: DatasetFiles, metadata: Metadata,
        audit: AuditEntry | None,
    ) -> None:
        dataset_id, version = version_id
        with session_scope(self.session_factory) as session:
            row = session.scalar(
                select(DatasetVersion).where(
                    DatasetVersion.dataset_id == dataset_id,
                    DatasetVersion.version == version,
                    DatasetVersion.state == PENDING,
                )
            )
            if row is None:
                raise ConflictError(
                    "dataset must still exist when its new version is stored; got it deleted "
                    "while the version was written. Register it again."
                )
            row.state, row.content_hash = READY, files.content_hash
            row.n_rows, row.n_cols, row.size_bytes = files.n_rows, files.n_cols, files.size_bytes
            row.table_metadata = metadata.to_dict()
            if audit is not None:
                audit.record(session, target=name, version=version, rows=files.n_rows, cols=files.n_cols)

    def _release(self, dataset_id: int, version: int, mode: _Mode) -> None:
        """Drop this request's pending row, and the dataset row it created if nothing else uses it."""
        with session_scope(self.session_factory) as session:
            session.execute(
                delete(DatasetVersion).where(
                    DatasetVersion.dataset_id == dataset_id,
                    DatasetVersion.version == version,
                    DatasetVersion.state == PENDING,
                )
            )
            left = session.scalar(
                select(func.count()).select_from(DatasetVersion).where(DatasetVersion.dataset_id == dataset_id)
            )
            if mode is _Mode.CREATE and not left:
                session.execute(delete(Dataset).where(Dataset.id == dataset_id))

    def _store(
        self, name: str, df: pd.DataFrame, metadata: Metadata, entry: _Entry, mode: _Mode, audit: AuditEntry | None
    ) -> DatasetInfo:
        """Reserve the next version, write its folder privately, publish it, mark it ready."""
        from finloom.data import write_dataset_version

        dataset_id, version = retry_reservation(
            lambda: self._reserve_once(name, entry, mode), f"dataset {name!r}"
        )
        try:
            write_version(
                self.root / name / f"v{version}",
                lambda staged: write_dataset_version(df, metadata, staged, validate=False),
                lambda files: self._finish(name, (dataset_id, version), files, metadata, audit),
            )
        except BaseException:
            self._release(dataset_id, version, mode)
            raise
        return self.get(name, version)

    def remove_partial(self, older_than: float = 3600.0) -> int:
        """Clean up after killed writers: pending rows and temporary folders older than ``older_than`` s.

        Returns how many rows and folders were removed.
        """
        cutoff = utcnow() - dt.timedelta(seconds=older_than)
        with session_scope(self.session_factory) as session:
            stale = session.scalars(
                select(DatasetVersion).where(DatasetVersion.state == PENDING, DatasetVersion.created_at < cutoff)
            ).all()
            for row in stale:
                shutil.rmtree(self.workspace / row.path, ignore_errors=True)
                session.delete(row)
            session.flush()
            empty = session.scalars(
                select(Dataset).where(~Dataset.versions.any(), Dataset.created_at < cutoff)
            ).all()
            for dataset in empty:
                session.delete(dataset)
        return len(stale) + len(empty) + remove_stale_temp(self.root, older_than)

    # -- reading -------------------------------------------------------------------------
    def _missing(self, session: Session, name: str) -> None:
        names = session.scalars(select(Dataset.name).where(Dataset.versions.any(DatasetVersion.state == READY))).all()
        raise NotFoundError(f"dataset must be a registered dataset; got {name!r}.{did_you_mean(name, names)}")

    @staticmethod
    def _ready(dataset: Dataset) -> list[DatasetVersion]:
        """Versions whose files are complete (pending ones are still being written)."""
        return [v for v in dataset.versions if v.state == READY]

    def _info(self, dataset: Dataset, row: DatasetVersion) -> DatasetInfo:
        return DatasetInfo(
            name=dataset.name,
            version=row.version,
            n_rows=row.n_rows,
            n_cols=row.n_cols,
            content_hash=row.content_hash,
            metadata=Metadata.from_dict(row.table_metadata),
            path=self.workspace / row.path,
            description=dataset.description,
            source=row.source,
            licence=row.licence,
            size_bytes=row.size_bytes,
            created_at=row.created_at,
            created_by=dataset.created_by,
            n_versions=len(self._ready(dataset)),
        )

    def get(self, name: str, version: int | None = None) -> DatasetInfo:
        """Info on a dataset version (the newest when ``version`` is None)."""
        with session_scope(self.session_factory) as session:
            dataset = session.scalar(select(Dataset).where(Dataset.name == name))
            ready = self._ready(dataset) if dataset is not None else []
            if dataset is None or not ready:
                self._missing(session, name)
                raise AssertionError  # unreachable: _missing raises
            rows = [v for v in ready if version is None or v.version == version]
            if not rows:
                raise NotFoundError(
                    f"version must be one of {[v.version for v in ready]}; got {version}."
                )
            return self._info(dataset, rows[-1])

    def list(self) -> list[DatasetInfo]:
        """The newest version of every dataset, by name."""
        with session_scope(self.session_factory) as session:
            datasets = session.scalars(select(Dataset).order_by(Dataset.name)).all()
            return [self._info(d, self._ready(d)[-1]) for d in datasets if self._ready(d)]

    def load(self, name: str, version: int | None = None) -> tuple[pd.DataFrame, Metadata]:
        """The stored table and its metadata."""
        from finloom.data import read_dataset_version

        info = self.get(name, version)
        df, _ = read_dataset_version(info.path)
        return df, info.metadata

    def preview(self, name: str, rows: int = 20, version: int | None = None) -> pd.DataFrame:
        """The first ``rows`` rows (read from Parquet); ``rows`` must be >= 0."""
        if isinstance(rows, bool) or not isinstance(rows, int) or rows < 0:
            raise ConfigError(f"rows must be a whole number >= 0; got {rows!r}. Pass rows=5, for example.")
        return self.load(name, version)[0].head(rows)

    def delete(self, name: str, *, audit: AuditEntry | None = None) -> None:
        """Delete a dataset with all its versions and files (rows first, then their folders);
        ``audit`` is recorded in the transaction that deletes the rows."""
        with session_scope(self.session_factory) as session:
            dataset = session.scalar(select(Dataset).where(Dataset.name == name))
            if dataset is None:
                self._missing(session, name)
                raise AssertionError  # unreachable: _missing raises
            paths = [self.workspace / v.path for v in dataset.versions]
            session.delete(dataset)
            if audit is not None:
                audit.record(session, target=name, versions=len(paths))
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        with contextlib.suppress(OSError):  # left in place while another upload is writing there
            (self.root / name).rmdir()
