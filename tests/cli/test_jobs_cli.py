"""Issue 18: the long CLI commands run as workspace jobs, visible in `jobs list`, audited,
cancellable, with --no-wait, and failing with the job's one-line error."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from finloom.cli._common import local_actor
from finloom.cli.main import app
from finloom.config import Settings
from finloom.store import list_audit
from finloom.workbench import Workbench
from tests.nlp._toy import NER_TAGS, NER_TOKENS, TOY_LABELS, TOY_TEXTS

runner = CliRunner()


@pytest.fixture(scope="module")
def encoder_dir(tmp_path_factory):
    from tests.nlp.conftest import make_tiny_bert

    return make_tiny_bert(tmp_path_factory.mktemp("enc"))


def _table(path: Path) -> Path:
    rng = np.random.default_rng(0)
    pd.DataFrame({"limit": rng.choice([1_000, 2_000, 5_000], 60), "city": rng.choice(["Paris", "Lyon"], 60),
                  "default": rng.integers(0, 2, 60)}).to_csv(path, index=False)
    return path


def _prices(path: Path, n: int = 300) -> Path:
    idx = pd.bdate_range("2016-01-01", periods=n, name="Date")
    r = np.random.default_rng(0).standard_t(5, n) * 0.008
    pd.DataFrame({"SPY": 100 * np.exp(np.cumsum(r))}, index=idx).to_csv(path)
    return path


def _texts(path: Path) -> Path:
    pd.DataFrame({"text": TOY_TEXTS, "label": TOY_LABELS}).to_csv(path, index=False)
    return path


def _tokens(path: Path) -> Path:
    pd.DataFrame([{"sentence": i, "word": w, "tag": t} for i, (ws, ts) in enumerate(zip(NER_TOKENS, NER_TAGS, strict=True))
                  for w, t in zip(ws, ts, strict=True)]).to_csv(path, index=False)
    return path


def _intents(path: Path) -> Path:
    rows = [f"card {i} lost please help,card" if i % 2 else f"exchange rate euro {i},fx" for i in range(16)]
    path.write_text("text,category\n" + "\n".join(rows) + "\n")
    return path


def _commands(tmp: Path, enc: Path) -> dict[str, tuple[list[str], Path]]:
    """Each converted command: its arguments and what it writes."""
    table = _table(tmp / "loans.csv")
    return {
        "synth.fit": (["synth", "fit", str(table), "--out", str(tmp / "m"), "--model", "copula"], tmp / "m"),
        "synth.report": (["synth", "report", str(table), str(table), "--out", str(tmp / "rep")],
                         tmp / "rep" / "report.html"),
        "market.fit": (["market", "fit", str(_prices(tmp / "px.csv")), "--out", str(tmp / "mk"), "--model",
                        "bootstrap"], tmp / "mk" / "model"),
        "nlp.train_file": (["nlp", "train", str(_texts(tmp / "t.csv")), "--out", str(tmp / "clf"), "--encoder", str(enc),
                            "--epochs", "1"], tmp / "clf" / "model"),
        "nlp.train_ner_file": (["nlp", "train-ner", str(_tokens(tmp / "ner.csv")), "--out", str(tmp / "ner"),
                                "--encoder", str(enc), "--epochs", "1"], tmp / "ner" / "model"),
        "chat.train_intents": (["chat", "train-intents", str(_intents(tmp / "i.csv")), "--out", str(tmp / "int"),
                                "--encoder", "hashing"], tmp / "int" / "config.json"),
        "report.market": (["report", "market", "-t", "SP500", "--start", "2018-01-01", "--end", "2018-02-28",
                           "--out", str(tmp / "r.html")], tmp / "r.html"),
        "report.portfolio": (["report", "portfolio", "--weights", "SP500=1", "--start", "2018-01-01", "--end",
                              "2018-02-28", "--out", str(tmp / "p.html")], tmp / "p.html"),
    }


def _jobs() -> list[dict]:
    listed = runner.invoke(app, ["jobs", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    return json.loads(listed.stdout)


def _audit(workspace: Path, action: str) -> list[tuple[str, str]]:
    wb = Workbench(Settings(workspace=workspace)).migrate()
    try:
        with wb.session() as session:
            return [(e.actor, e.target) for e in list_audit(session, action=action)]
    finally:
        wb.close()


@pytest.mark.parametrize("kind", ["synth.fit", "synth.report", "market.fit", "nlp.train_file", "nlp.train_ner_file",
                                  "chat.train_intents", "report.market", "report.portfolio"])
def test_long_command_runs_as_a_listed_and_audited_job(kind, tmp_path, encoder_dir, cli_workspace):
    args, written = _commands(tmp_path, encoder_dir)[kind]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert written.exists()
    jobs = _jobs()
    assert [(j["kind"], j["status"], j["created_by"]) for j in jobs] == [(kind, "succeeded", local_actor())]
    assert _audit(cli_workspace, "job.submit") == [(local_actor(), jobs[0]["id"])]


def test_local_inputs_are_copied_into_the_imports_folder_and_audited(tmp_path, cli_workspace):
    args, _ = _commands(tmp_path, tmp_path)["synth.report"]
    assert runner.invoke(app, args).exit_code == 0
    imported = _audit(cli_workspace, "file.import")
    assert len(imported) == 2 and all(t.startswith("local/") and t.endswith("/loans.csv") for _, t in imported)
    assert all((cli_workspace / "imports" / t).is_file() for _, t in imported)


def test_a_failing_job_exits_1_with_its_one_line_error(tmp_path):
    result = runner.invoke(app, ["market", "fit", str(_prices(tmp_path / "px.csv", n=10)), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: job ") and "(market.fit) failed: the series must have at least 30 rows; got 10" in last
    assert not (tmp_path / "o").exists()
    assert [(j["kind"], j["status"]) for j in _jobs()] == [("market.fit", "failed")]


def _wait_for(workspace: Path, job_id: str, timeout: float = 120.0) -> dict:
    wb = Workbench(Settings(workspace=workspace)).migrate()
    try:
        return wb.jobs.wait(job_id, timeout=timeout).to_dict()
    finally:
        wb.close()


def test_no_wait_returns_with_the_id_and_the_detached_job_finishes(tmp_path, cli_workspace, monkeypatch):
    monkeypatch.setattr("finloom.cli._jobs.EXECUTOR_MODE", "detached")
    out = tmp_path / "int"
    result = runner.invoke(app, ["chat", "train-intents", str(_intents(tmp_path / "i.csv")), "--out", str(out),
                                 "--encoder", "hashing", "--no-wait"])
    assert result.exit_code == 0, result.output
    job_id = result.stdout.split("submitted job ")[1].split()[0]
    assert f"finloom jobs show {job_id[:8]} --follow" in result.stdout and not out.exists()
    (listed,) = _jobs()
    assert listed["id"] == job_id and listed["status"] in ("queued", "running")  # returned before the job ended
    done = _wait_for(cli_workspace, job_id)
    assert done["status"] == "succeeded" and done["result"]["n_train"] == 16
    assert (cli_workspace / "jobs" / job_id / "intent_classifier" / "config.json").is_file()


def test_ctrl_c_while_waiting_cancels_the_detached_job(tmp_path, cli_workspace, monkeypatch):
    import finloom.cli._jobs as cli_jobs

    monkeypatch.setattr(cli_jobs, "EXECUTOR_MODE", "detached")
    real_sleep = time.sleep
    wb = Workbench(Settings(workspace=cli_workspace)).migrate()

    def interrupt_once_running(seconds: float) -> None:  # the user presses Ctrl-C once the job runs
        real_sleep(seconds)
        (job,) = wb.jobs.list()
        if job.status == "running" and not getattr(interrupt_once_running, "done", False):
            interrupt_once_running.done = True  # type: ignore[attr-defined]
            raise KeyboardInterrupt

    monkeypatch.setattr(cli_jobs.time, "sleep", interrupt_once_running)
    out = tmp_path / "m"
    result = runner.invoke(app, ["synth", "fit", str(_table(tmp_path / "loans.csv")), "--out", str(out),
                                 "--model", "gan", "-p", "epochs=5000"])
    assert result.exit_code == 130, result.output
    assert "cancelling job" in result.stderr and "cancelled; nothing was written" in result.stderr
    (job,) = wb.jobs.list()
    assert job.status == "cancelled" and not out.exists()
    assert _audit(cli_workspace, "job.cancel") == [(local_actor(), job.id)]
    wb.close()
