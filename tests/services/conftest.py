"""A workbench on a temporary workspace (jobs in threads) and an audit log that can be made to fail."""

from __future__ import annotations

import pytest

from finloom.config import Settings
from finloom.errors import ServiceError
from finloom.store import _audit, list_audit
from finloom.workbench import Workbench


@pytest.fixture
def wb(tmp_path):
    workbench = Workbench(Settings(workspace=tmp_path / "ws"), executor_mode="thread").start()
    yield workbench
    workbench.close()


@pytest.fixture
def broken_audit(monkeypatch):
    """Recording an audit event fails (as a full disk or a lost connection would)."""

    def fail(*args, **kwargs):
        raise ServiceError("the audit log must accept events; got a failure. Try again.")

    monkeypatch.setattr(_audit, "record_audit", fail)


def events(workbench, action=None):
    with workbench.session() as session:
        return [(e.actor, e.action, e.target) for e in list_audit(session, action=action)]
