"""Every CLI test runs in its own temporary workspace; the long commands' jobs run in threads
(fast), except in the tests that check the detached workers themselves."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def cli_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("FINLOOM_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("FINLOOM_DATABASE_URL", raising=False)
    monkeypatch.delenv("FINLOOM_DASK_ADDRESS", raising=False)
    monkeypatch.setattr("finloom.cli._jobs.EXECUTOR_MODE", "thread")
    return tmp_path / "ws"
