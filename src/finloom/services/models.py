"""Models (stored artifacts): deletion, recorded in the audit log with the rows it removes."""

from __future__ import annotations

from finloom.store import AuditEntry
from finloom.workbench import Workbench

__all__ = ["delete_model"]


def delete_model(workbench: Workbench, actor: str, name: str, version: int | None = None) -> int:
    """Delete one version of model ``name`` (every version when ``version`` is None); audit
    ``model.delete``. Returns how many versions went.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").migrate()
    >>> delete_model(wb, "ana", "nope")
    Traceback (most recent call last):
    ...
    finloom.errors.NotFoundError: model must be a saved model; got 'nope'.
    """
    return workbench.artifacts.delete(name, version, audit=AuditEntry(actor, "model.delete", details={"version": version}))
