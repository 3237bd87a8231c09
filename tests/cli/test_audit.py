"""`finloom keys create|revoke` and the other CLI changes leave one audit row each, with the local user."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from finloom.cli._common import local_actor
from finloom.cli.main import app
from finloom.config import Settings
from finloom.store import list_audit
from finloom.workbench import Workbench

runner = CliRunner()


@pytest.fixture(autouse=True)
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("FINLOOM_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("FINLOOM_DATABASE_URL", raising=False)
    return tmp_path / "ws"


def _events(workspace, action):
    wb = Workbench(Settings(workspace=workspace)).migrate()
    try:
        with wb.session() as session:
            return [(e.actor, e.target, e.details) for e in list_audit(session, action=action)]
    finally:
        wb.close()


def test_keys_create_and_revoke_are_audited_once_each(workspace):
    r = runner.invoke(app, ["keys", "create", "--user", "ana", "--role", "viewer"])
    assert r.exit_code == 0, r.output
    key_id = re.search(r"id (\w+)\.", r.stdout).group(1)
    assert _events(workspace, "key.create") == [(local_actor(), key_id, {"user": "ana", "role": "viewer"})]
    r = runner.invoke(app, ["keys", "revoke", key_id])
    assert r.exit_code == 0, r.output
    assert _events(workspace, "key.revoke") == [(local_actor(), key_id, {"user": "ana"})]


def test_a_refused_key_leaves_no_audit_row(workspace):
    r = runner.invoke(app, ["keys", "create", "--user", "ana", "--role", "boss"])
    assert r.exit_code == 1 and r.stderr.startswith("error: role must be")
    assert _events(workspace, "key.create") == []


def test_datasets_add_is_audited_with_the_local_user(workspace, tmp_path):
    csv = tmp_path / "loans.csv"
    csv.write_text("id,amount\n1,10\n2,12\n")
    assert runner.invoke(app, ["datasets", "add", str(csv)]).exit_code == 0
    assert _events(workspace, "dataset.create") == [(local_actor(), "loans", {"version": 1, "rows": 2, "cols": 2})]
