"""``finloom monitor``: fit, replay a file twice (idempotent), the case queue, clear errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from finloom.cli.main import app
from finloom.synth.transactions import inject_anomalies, make_demo_tables

runner = CliRunner()


def test_monitor_flow(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FINLOOM_WORKSPACE", str(tmp_path / "ws"))
    before = runner.invoke(app, ["monitor", "ingest", '{"event_id": "a"}'])
    assert before.exit_code == 1 and "finloom monitor fit" in before.output
    fit = runner.invoke(
        app, ["monitor", "fit", "--accounts", "60", "--days", "20", "--warmup-days", "7"]
    )
    assert fit.exit_code == 0, fit.output
    _, tx = make_demo_tables(30, days=15, random_state=3)
    inject_anomalies(tx, rates={"card_testing": 0.1}, random_state=3).to_csv(
        tmp_path / "e.csv", index=False
    )
    first = runner.invoke(app, ["monitor", "replay", str(tmp_path / "e.csv"), "--json"])
    again = runner.invoke(app, ["monitor", "replay", str(tmp_path / "e.csv"), "--json"])
    assert json.loads(first.stdout)["accepted"] > 0 and json.loads(again.stdout)["accepted"] == 0
    cases = json.loads(runner.invoke(app, ["monitor", "cases", "list", "--json"]).stdout)
    assert cases
    bad = runner.invoke(
        app, ["monitor", "cases", "update", str(cases[0]["case_id"]), "--disposition", "maybe"]
    )
    assert bad.exit_code == 1 and "--disposition must be one of" in bad.output
    closed = runner.invoke(
        app, ["monitor", "cases", "update", str(cases[0]["case_id"]), "--disposition", "fraud"]
    )
    assert closed.exit_code == 0 and json.loads(closed.stdout)["status"] == "closed"
    narrative = runner.invoke(app, ["monitor", "cases", "narrative", str(cases[0]["case_id"])])
    assert narrative.exit_code == 0 and "unsupported numbers: 0" in narrative.output
