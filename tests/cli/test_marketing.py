"""``finloom marketing``: planner and analyser print JSON; bad input and unknown datasets fail cleanly."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from finloom.cli.main import app

runner = CliRunner()


def test_plan_and_analyse_commands():
    r = runner.invoke(app, ["marketing", "plan-test", "--baseline", "0.1", "--mde", "0.02"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["n_control"] == 3835
    r = runner.invoke(app, ["marketing", "analyse-test", "--conv-control", "100", "--n-control", "1000",
                            "--conv-treatment", "130", "--n-treatment", "1000", "--looks", "2"])
    assert r.exit_code == 0 and "looked at 2 times" in r.output


def test_bad_input_fails_with_one_clear_line():
    r = runner.invoke(app, ["marketing", "plan-test", "--baseline", "1.5", "--mde", "0.1"])
    assert r.exit_code == 1 and "error:" in r.output and "baseline" in r.output
    r = runner.invoke(app, ["marketing", "campaign", "nope", "--target", "y"])
    assert r.exit_code == 1 and "error:" in r.output and "nope" in r.output
