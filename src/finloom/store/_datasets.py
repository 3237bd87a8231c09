"""The dataset registry: validated tables stored as Parquet + metadata JSON, one folder per version."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from finloom.data import Metadata
from finloom.errors import ConfigError, ConflictError, NotFoundError, did_you_mean
from finloom.store._artifacts import check_name
from finloom.store._db import session_scope
from finloom.store._models import Dataset, DatasetVersion

__all__ = ["DatasetInfo", "DatasetRegistry"]


def _check_text(text: str, what: str) -> str:
    """Free text goes into the database as is; PostgreSQL refuses NUL characters."""
    if "\x00" in text:
        raise ConfigError(
            f"{what} must not contain NUL characters; got one at position {text.index(chr(0))}. "
            "Remove it."
        )
    return text


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
    ) -> DatasetInfo:
        """Read, validate and store ``source`` as dataset ``name`` (a new version if asked)."""
        from finloom.data import prepare_table

        check_name(name, "dataset name")
        for what, text in (("description", description), ("source label", source_label), ("licence", licence)):
            _check_text(text, what)
        with session_scope(self.session_factory) as session:
            existing = session.scalar(select(Dataset).where(Dataset.name == name))
            if existing is not None and not new_version:
                raise ConflictError(
                    f"dataset name must be new; got {name!r}, which exists. "
                    "Pick another name, or add a new version of it."
                )
            if existing is None and new_version:
                self._missing(session, name)
        prepared = prepare_table(
            source, metadata=metadata, target=target, primary_key=primary_key, **(read_options or {})
        )
        df, metadata = prepared.df, prepared.metadata
        label = source_label or (str(source) if isinstance(source, str | Path) else type(source).__name__)
        return self._store(name, df, metadata, description, label, licence, created_by)

    def update_metadata(self, name: str, metadata: Metadata, *, created_by: str = "") -> DatasetInfo:
        """Store edited metadata as a new version over the same data (validated again)."""
        from finloom.data import check_table, coerce_table

        df, _ = self.load(name)
        check_table(df, metadata)
        df = coerce_table(df, metadata)
        current = self.get(name)
        return self._store(
            name, df, metadata, current.description, current.source, current.licence, created_by
        )

    def _store(
        self,
        name: str,
        df: pd.DataFrame,
        metadata: Metadata,
        description: str,
        source: str,
        licence: str,
        created_by: str,
    ) -> DatasetInfo:
        from finloom.data import write_dataset_version

        with session_scope(self.session_factory) as session:
            dataset = session.scalar(select(Dataset).where(Dataset.name == name))
            version = 1 + max((v.version for v in dataset.versions), default=0) if dataset else 1
        directory = self.root / name / f"v{version}"
        files = write_dataset_version(df, metadata, directory, validate=False)
        try:
            with session_scope(self.session_factory) as session:
                dataset = session.scalar(select(Dataset).where(Dataset.name == name))
                if dataset is None:
                    dataset = Dataset(name=name, description=description, created_by=created_by)
                    session.add(dataset)
                    session.flush()
                session.add(
                    DatasetVersion(
                        dataset_id=dataset.id,
                        version=version,
                        path=str(directory.relative_to(self.workspace)),
                        content_hash=files.content_hash,
                        n_rows=files.n_rows,
                        n_cols=files.n_cols,
                        size_bytes=files.size_bytes,
                        source=source[:500],
                        licence=licence,
                        table_metadata=metadata.to_dict(),
                    )
                )
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
        return self.get(name, version)

    # -- reading -------------------------------------------------------------------------
    def _missing(self, session: Session, name: str) -> None:
        names = session.scalars(select(Dataset.name)).all()
        raise NotFoundError(f"dataset must be a registered dataset; got {name!r}.{did_you_mean(name, names)}")

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
            n_versions=len(dataset.versions),
        )

    def get(self, name: str, version: int | None = None) -> DatasetInfo:
        """Info on a dataset version (the newest when ``version`` is None)."""
        with session_scope(self.session_factory) as session:
            dataset = session.scalar(select(Dataset).where(Dataset.name == name))
            if dataset is None or not dataset.versions:
                self._missing(session, name)
                raise AssertionError  # unreachable: _missing raises
            rows = [v for v in dataset.versions if version is None or v.version == version]
            if not rows:
                raise NotFoundError(
                    f"version must be one of {[v.version for v in dataset.versions]}; got {version}."
                )
            return self._info(dataset, rows[-1])

    def list(self) -> list[DatasetInfo]:
        """The newest version of every dataset, by name."""
        with session_scope(self.session_factory) as session:
            datasets = session.scalars(select(Dataset).order_by(Dataset.name)).all()
            return [self._info(d, d.versions[-1]) for d in datasets if d.versions]

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

    def delete(self, name: str) -> None:
        """Delete a dataset with all its versions and files."""
        with session_scope(self.session_factory) as session:
            dataset = session.scalar(select(Dataset).where(Dataset.name == name))
            if dataset is None:
                self._missing(session, name)
            session.delete(dataset)
        shutil.rmtree(self.root / name, ignore_errors=True)
