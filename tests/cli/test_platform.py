"""CLI commands: one success and one failure each (CliRunner, temporary workspace)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from finloom.cli.main import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("FINLOOM_WORKSPACE", str(tmp_path / "ws"))
    monkeypatch.delenv("FINLOOM_DATABASE_URL", raising=False)
    return tmp_path / "ws"


def test_db_upgrade():
    r = runner.invoke(app, ["db", "upgrade"])
    assert r.exit_code == 0 and re.search(r"revision \d{4} \(sqlite\)", r.output)


def test_datasets_add_list_show(tmp_path):
    csv = tmp_path / "loans.csv"
    csv.write_text("id,amount,default\n1,10,0\n2,12,1\n3,9,0\n")
    r = runner.invoke(app, ["datasets", "add", str(csv), "--target", "default"])
    assert r.exit_code == 0, r.output
    assert "registered loans v1: 3 rows × 3 columns" in r.output
    listed = json.loads(runner.invoke(app, ["datasets", "list", "--json"]).stdout)
    assert [d["name"] for d in listed] == ["loans"]
    shown = runner.invoke(app, ["datasets", "show", "loans"])
    assert shown.exit_code == 0 and "(target)" in shown.output


def test_datasets_add_bad_file_is_an_error(tmp_path):
    csv = tmp_path / "empty.csv"
    csv.write_text("")
    r = runner.invoke(app, ["datasets", "add", str(csv)])
    assert r.exit_code == 1
    assert r.stderr.startswith("error: ") and "empty file" in r.stderr


def test_datasets_show_unknown_is_an_error():
    r = runner.invoke(app, ["datasets", "show", "nope"])
    assert r.exit_code == 1 and "dataset must be a registered dataset; got 'nope'" in r.stderr


def test_keys_create_prints_key_once():
    r = runner.invoke(app, ["keys", "create", "--user", "ana", "--role", "analyst"])
    assert r.exit_code == 0
    key = r.stdout.strip().splitlines()[-1]
    assert key.startswith("fl_")
    listed = runner.invoke(app, ["keys", "list"])
    assert "ana" in listed.output and key not in listed.output


def test_keys_create_bad_role():
    r = runner.invoke(app, ["keys", "create", "--role", "root"])
    assert r.exit_code == 1 and "role must be 'viewer', 'analyst' or 'admin'; got 'root'." in r.stderr


def test_jobs_list_show_cancel(workspace):
    from finloom.config import Settings
    from finloom.workbench import Workbench

    wb = Workbench(Settings(workspace=workspace), executor_mode="thread").start()
    job = wb.jobs.submit("demo.count", {"steps": 2, "delay": 0})
    wb.jobs.wait(job.id)
    r = runner.invoke(app, ["jobs", "list", "--json"])
    listed = json.loads(r.stdout)[0]
    assert listed["status"] == "succeeded" and "params" not in listed
    shown = runner.invoke(app, ["jobs", "show", job.id[:8]])
    assert shown.exit_code == 0 and '"counted": 2' in shown.stdout
    r = runner.invoke(app, ["jobs", "cancel", job.id])
    assert r.exit_code == 1 and "got status 'succeeded'" in r.stderr
    r = runner.invoke(app, ["jobs", "show", "zzzz"])
    assert r.exit_code == 1 and "job id must be an existing job" in r.stderr
    wb.close()


def test_jobs_submit_checks_params_like_the_api(workspace):
    r = runner.invoke(app, ["jobs", "submit", "demo.count", "-p", "steps=2", "-p", "delay=0"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout[r.stdout.index("{"):])["result"] == {"counted": 2}
    r = runner.invoke(app, ["jobs", "submit", "nlp.train_ner", "-p", "dataset=x", "-p", "test_path=/etc/passwd"])
    assert r.exit_code == 1 and r.stderr.startswith("error: dataset must be a registered dataset; got 'x'")
    r = runner.invoke(app, ["jobs", "submit", "demo.count", "-p", "steps=0"])
    assert r.exit_code == 1
    assert "steps must be greater than or equal to 1; got 0. Number of steps to count." in r.stderr
    r = runner.invoke(app, ["jobs", "submit", "demo.count", "-p", "steps"])
    assert r.exit_code == 1 and "--param must look like key=value; got 'steps'" in r.stderr


def test_datasets_add_sql(tmp_path):
    import sqlite3

    db = tmp_path / "src.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE loans (id INTEGER, amount REAL)")
        conn.executemany("INSERT INTO loans VALUES (?, ?)", [(1, 1.5), (2, 2.5), (3, 4.0)])
    r = runner.invoke(app, ["datasets", "add-sql", "loans", "--query", "SELECT * FROM loans", "--url", f"sqlite:///{db}"])
    assert r.exit_code == 0, r.output
    assert "3 rows × 2 columns" in r.output
    r = runner.invoke(app, ["datasets", "add-sql", "bad", "--query", "SELECT * FROM nope", "--url", f"sqlite:///{db}"])
    assert r.exit_code == 1 and r.stderr.startswith("error: ")


def _one_line_error(r, expected: str) -> None:
    """Exit code 1, a single ``error: ...`` line on stderr, no traceback."""
    assert r.exit_code == 1, r.output
    assert isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1, r.stderr
    assert expected in r.stderr, r.stderr


def test_datasets_add_bad_sep_and_encoding_are_one_line_errors(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("a,b\n1,2\n")
    _one_line_error(runner.invoke(app, ["datasets", "add", str(csv), "--sep", "ab"]), "sep must be one character")
    _one_line_error(runner.invoke(app, ["datasets", "add", str(csv), "--encoding", "rot13"]),
                    "encoding must be a text encoding Python knows, such as 'utf-8' or 'cp1252'; got 'rot13'")


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", "the database must be reachable"),
    ("foo://bar", "database URL must use a supported, installed driver"),
])
def test_datasets_add_sql_bad_url_is_one_line_error(url, expected):
    r = runner.invoke(app, ["datasets", "add-sql", "x", "--query", "SELECT 1", "--url", url])
    _one_line_error(r, expected)


@pytest.mark.parametrize(("url", "expected"), [
    ("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", "the database must be reachable"),
    ("foo://bar", "database URL must use a supported, installed driver"),
])
def test_workspace_database_url_bad_is_one_line_error(monkeypatch, url, expected):
    monkeypatch.setenv("FINLOOM_DATABASE_URL", url)
    _one_line_error(runner.invoke(app, ["datasets", "list"]), expected)


def test_jobs_list_unknown_status_fails():
    _one_line_error(runner.invoke(app, ["jobs", "list", "--status", "weird"]),
                    "--status must be one of queued, running, succeeded, failed, cancelled; got 'weird'")
    assert runner.invoke(app, ["jobs", "list", "--status", "failed"]).exit_code == 0


def test_datasets_show_negative_rows_fails(tmp_path):
    csv = tmp_path / "t.csv"
    csv.write_text("a,b\n1,2\n3,4\n")
    assert runner.invoke(app, ["datasets", "add", str(csv)]).exit_code == 0
    _one_line_error(runner.invoke(app, ["datasets", "show", "t", "--rows", "-5"]), "rows must be a whole number >= 0; got -5")


def test_unexpected_errors_are_one_line_without_traceback(monkeypatch):
    from finloom.cli import _common

    def boom(**_):
        raise KeyError("internal detail")

    monkeypatch.setattr(_common, "open_workbench", boom)
    monkeypatch.setattr("finloom.cli._platform.open_workbench", boom)
    _one_line_error(runner.invoke(app, ["datasets", "list"]), "got KeyError: 'internal detail'. This is a bug")


def test_error_boundary_lets_exit_codes_through():
    import typer

    from finloom.cli._common import handle_errors

    sub = typer.Typer()

    @sub.command()
    @handle_errors
    def strict() -> None:
        raise typer.Exit(2)

    @sub.command()
    @handle_errors
    def other() -> None:
        pass

    r = runner.invoke(sub, ["strict"])
    assert r.exit_code == 2 and r.stderr == ""
