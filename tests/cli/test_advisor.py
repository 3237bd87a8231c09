from __future__ import annotations

import json

from typer.testing import CliRunner

from finloom.cli.advisor import app

runner = CliRunner()
ANSWERS = [
    "age=under_30",
    "horizon=over_10y",
    "goal=aggressive",
    "income_stability=very_stable",
    "liquidity=low",
    "experience=derivatives",
    "loss_tolerance=up_to_5",
]


def test_profile_command_scores_and_stores() -> None:
    args = ["profile", "--customer", "c-3", "--json"] + [x for a in ANSWERS for x in ("-a", a)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["uncapped_level"] == "C4" and out["level"] == "C2"
    assert out["caps"] == ["loss_tolerance=up_to_5 -> C2"]


def test_profile_command_reports_bad_answers() -> None:
    result = runner.invoke(app, ["profile", "--customer", "c-3", "-a", "age=young"])
    assert result.exit_code == 1 and "answer 'age' must be one of" in result.output


def test_questions_and_unknown_proposal() -> None:
    assert "loss_tolerance" in runner.invoke(app, ["questions", "--lang", "zh"]).output
    result = runner.invoke(app, ["report", "--proposal", "abc123"])
    assert result.exit_code == 1 and "proposal_id must name a stored proposal" in result.output
