"""Versioned model artifacts in the workspace: safetensors + JSON directories with a manifest."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from finloom._serialization import to_jsonable
from finloom.errors import ConfigError, ConflictError, NotFoundError
from finloom.store._audit import AuditEntry
from finloom.store._db import session_scope
from finloom.store._models import PENDING, READY, Artifact
from finloom.store._publish import remove_stale_temp, retry_reservation, write_version

__all__ = ["ArtifactInfo", "ArtifactRegistry", "SavableModel"]

MANIFEST = "manifest.json"
MODEL_DIR = "model"
_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")


class SavableModel(Protocol):
    def save(self, path: Any) -> Any: ...


@dataclass
class ArtifactInfo:
    """What the registry knows about one stored model version."""

    name: str
    version: int
    kind: str
    path: Path
    manifest: dict[str, Any] = field(default_factory=dict)
    job_id: str | None = None
    created_at: dt.datetime | None = None
    created_by: str = ""

    @property
    def model_path(self) -> Path:
        return self.path / MODEL_DIR

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "kind": self.kind,
            "job_id": self.job_id,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "created_by": self.created_by,
            "metrics": self.manifest.get("metrics", {}),
            "lineage": self.manifest.get("lineage", {}),
            "licences": self.manifest.get("licences", []),
            "description": self.manifest.get("description", ""),
        }


def check_name(name: str, what: str = "model name") -> str:
    """Names become directory names: letters, digits, '-', '_' and '.' only."""
    if not name or len(name) > 120 or not set(name) <= _NAME_CHARS or name.startswith("."):
        raise ConfigError(
            f"{what} must be 1-120 letters, digits, '-', '_' or '.' (not starting with '.'); got {name!r}."
        )
    return name


class ArtifactRegistry:
    """Save and load versioned models under ``<workspace>/artifacts/<name>/v<N>/``.

    Each version holds ``model/`` (the estimator's own ``save`` output: safetensors + JSON) and
    ``manifest.json`` (kind, metrics, dataset lineage, data licences). Writes are atomic and safe
    under concurrency: a crash leaves no half-written version visible, and concurrent saves of
    one name get distinct versions.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.store import make_engine, make_session_factory, upgrade_database
    >>> from finloom._serialization import save_state
    >>> class Tiny:
    ...     def save(self, path):
    ...         save_state(path, kind="Tiny", config={"k": 1})
    >>> engine = make_engine("sqlite://"); upgrade_database(engine)
    >>> reg = ArtifactRegistry(tempfile.mkdtemp(), make_session_factory(engine))
    >>> info = reg.save("tiny", Tiny(), metrics={"auc": 0.9})
    >>> info.version, reg.get("tiny").manifest["metrics"]
    (1, {'auc': 0.9})
    """

    def __init__(self, workspace: str | Path, session_factory: sessionmaker[Session]) -> None:
        self.root = Path(workspace) / "artifacts"
        self.session_factory = session_factory

    def import_dir(self, name: str, path: str | Path, *, kind: str, class_path: str, **info: Any) -> ArtifactInfo:
        """Store a model directory that an engine already wrote (copied, then versioned like ``save``)."""
        source = Path(path)
        if not source.is_dir():
            raise NotFoundError(f"model directory must exist; got '{source}'.")

        class _Copied:
            def save(self, target: Path) -> None:
                shutil.copytree(source, target)

        _Copied.__name__ = _Copied.__qualname__ = kind
        _Copied.__module__ = class_path.partition(":")[0]
        return self.save(name, _Copied(), **info)

    def save(
        self,
        name: str,
        model: SavableModel,
        *,
        metrics: dict[str, Any] | None = None,
        lineage: dict[str, Any] | None = None,
        licences: list[str] | None = None,
        description: str = "",
        job_id: str | None = None,
        created_by: str = "",
    ) -> ArtifactInfo:
        """Store ``model`` as the next version of ``name`` and return its info.

        Concurrent saves of one name get distinct versions: the version row is reserved first,
        the files are written into a private folder and renamed into place, then the row is
        marked ready; a failed save removes only its own row and files.
        """
        check_name(name)
        cls = type(model)
        class_path = f"{cls.__module__}:{cls.__qualname__}"
        version = retry_reservation(
            lambda: self._reserve_once(name, cls.__name__, class_path, job_id, created_by), f"model {name!r}"
        )
        manifest = to_jsonable(
            {
                "name": name,
                "version": version,
                "kind": cls.__name__,
                "class_path": class_path,
                "metrics": metrics or {},
                "lineage": lineage or {},
                "licences": licences or [],
                "description": description,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            }
        )

        def write(staged: Path) -> None:
            staged.mkdir()
            model.save(staged / MODEL_DIR)
            (staged / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))

        try:
            write_version(self.root / name / f"v{version}", write, lambda _: self._finish(name, version, manifest))
        except BaseException:
            self._release(name, version)
            raise
        return self.get(name, version)

    def _reserve_once(self, name: str, kind: str, class_path: str, job_id: str | None, created_by: str) -> int:
        with session_scope(self.session_factory) as session:
            newest = session.scalar(select(func.max(Artifact.version)).where(Artifact.name == name))
            version = (newest or 0) + 1
            session.add(
                Artifact(
                    name=name, version=version, kind=kind, class_path=class_path, state=PENDING,
                    path=str((self.root / name / f"v{version}").relative_to(self.root.parent)),
                    manifest={}, job_id=job_id, created_by=created_by,
                )
            )
            session.flush()  # unique (name, version): a racing save fails here and retries
            return version

    def _finish(self, name: str, version: int, manifest: dict[str, Any]) -> None:
        with session_scope(self.session_factory) as session:
            row = session.scalar(
                select(Artifact).where(Artifact.name == name, Artifact.version == version, Artifact.state == PENDING)
            )
            if row is None:
                raise ConflictError(
                    f"model {name!r} v{version} must still be reserved when its files are in place; "
                    "got it deleted meanwhile. Save again."
                )
            row.state, row.manifest = READY, manifest

    def _release(self, name: str, version: int) -> None:
        with session_scope(self.session_factory) as session:
            session.execute(
                delete(Artifact).where(Artifact.name == name, Artifact.version == version, Artifact.state == PENDING)
            )

    def _row(self, session: Session, name: str, version: int | None) -> Artifact:
        query = select(Artifact).where(Artifact.name == name, Artifact.state == READY)
        query = query.where(Artifact.version == version) if version else query.order_by(Artifact.version.desc())
        row = session.scalars(query.limit(1)).first()
        if row is None:
            names = session.scalars(select(Artifact.name).where(Artifact.state == READY).distinct()).all()
            from finloom.errors import did_you_mean

            wanted = f"{name!r}" + (f" v{version}" if version else "")
            raise NotFoundError(f"model must be a saved model; got {wanted}.{did_you_mean(name, names)}")
        return row

    def _info(self, row: Artifact) -> ArtifactInfo:
        return ArtifactInfo(
            name=row.name,
            version=row.version,
            kind=row.kind,
            path=self.root.parent / row.path,
            manifest=dict(row.manifest or {}),
            job_id=row.job_id,
            created_at=row.created_at,
            created_by=row.created_by,
        )

    def get(self, name: str, version: int | None = None) -> ArtifactInfo:
        """Info on ``name`` at ``version`` (newest when None); NotFoundError if absent."""
        with session_scope(self.session_factory) as session:
            return self._info(self._row(session, name, version))

    def list(self, name: str | None = None) -> list[ArtifactInfo]:
        """Every stored version, newest first (optionally of one name)."""
        with session_scope(self.session_factory) as session:
            query = select(Artifact).where(Artifact.state == READY)
            query = query.order_by(Artifact.created_at.desc(), Artifact.version.desc())
            if name:
                query = query.where(Artifact.name == name)
            return [self._info(r) for r in session.scalars(query)]

    def load(self, name: str, version: int | None = None) -> Any:
        """Rebuild the stored estimator with its class's ``load`` (finloom classes only)."""
        info = self.get(name, version)
        module_name, _, qualname = str(info.manifest.get("class_path", "")).partition(":")
        if not module_name.startswith("finloom."):
            raise ConfigError(
                f"model class must live in the finloom package; got {module_name!r}. "
                "Load it yourself from info.model_path."
            )
        cls: Any = importlib.import_module(module_name)
        for part in qualname.split("."):
            cls = getattr(cls, part)
        return cls.load(info.model_path)

    def delete(self, name: str, version: int | None = None, *, audit: AuditEntry | None = None) -> int:
        """Delete one version (or all versions when ``version`` is None); returns how many.

        Rows go first, then their folders; saves still in progress are left alone. ``audit`` is
        recorded in the transaction that deletes the rows.
        """
        with session_scope(self.session_factory) as session:
            query = select(Artifact).where(Artifact.name == name, Artifact.state == READY)
            if version:
                query = query.where(Artifact.version == version)
            rows = list(session.scalars(query))
            if not rows:
                self._row(session, name, version)  # raises NotFoundError with a hint
            paths = [self.root.parent / row.path for row in rows]
            for row in rows:
                session.delete(row)
            if audit is not None:
                audit.record(session, target=name, versions=sorted(row.version for row in rows))
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
        return len(rows)

    def remove_partial(self, older_than: float = 3600.0) -> int:
        """Clean up after killed saves: pending rows and temporary folders older than ``older_than`` s.

        Saves still running (here or in another process) are younger and are left alone.
        Returns how many rows and folders were removed.
        """
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=older_than)
        with session_scope(self.session_factory) as session:
            stale = session.scalars(
                select(Artifact).where(Artifact.state == PENDING, Artifact.created_at < cutoff)
            ).all()
            for row in stale:
                shutil.rmtree(self.root.parent / row.path, ignore_errors=True)
                session.delete(row)
        return len(stale) + remove_stale_temp(self.root, older_than)
