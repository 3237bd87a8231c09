"""``finloom credit fit|score|letters`` on local files: one success path and the errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from finloom.cli.credit import app
from tests.apps.credit_review.conftest import make_applications

runner = CliRunner()


def test_fit_score_letters(tmp_path: Path) -> None:
    data = make_applications(500)
    data.to_csv(tmp_path / "train.csv", index=False)
    data.drop(columns=["bad"]).head(40).to_csv(tmp_path / "new.csv", index=False)
    fit = runner.invoke(
        app,
        [
            "fit",
            str(tmp_path / "train.csv"),
            "--target",
            "bad",
            "--id-column",
            "app_id",
            "--protected",
            "sex",
            "--no-challenger",
            "--out",
            str(tmp_path / "model"),
            "--json",
        ],
    )
    assert fit.exit_code == 0, fit.output
    assert (
        "PAY_0" in json.loads(fit.output)["selected"]
        and (tmp_path / "model" / "scorecard.csv").is_file()
        and 'alt="calibration"' in (tmp_path / "model" / "comparison.html").read_text()
    )
    score = runner.invoke(
        app,
        [
            "score",
            str(tmp_path / "model"),
            str(tmp_path / "new.csv"),
            "--out",
            str(tmp_path / "queue"),
            "--segment",
            "home",
        ],
    )
    assert score.exit_code == 0, score.output
    assert "scored 40 applications" in score.output and "home = rent: approval rate" in score.output
    letters = runner.invoke(
        app,
        [
            "letters",
            str(tmp_path / "model"),
            str(tmp_path / "queue"),
            "--out",
            str(tmp_path / "letters"),
            "--lang",
            "zh",
        ],
    )
    assert letters.exit_code == 0, letters.output
    assert "held 0" in letters.output and list((tmp_path / "letters" / "letters").glob("*-zh.html"))


def test_fit_refuses_a_target_with_one_class(tmp_path: Path) -> None:
    make_applications(100).assign(bad=0).to_csv(tmp_path / "train.csv", index=False)
    result = runner.invoke(
        app, ["fit", str(tmp_path / "train.csv"), "--target", "bad", "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 1 and "target must have two classes" in result.output
    assert not (tmp_path / "m").exists()


def test_score_refuses_a_missing_column(tmp_path: Path) -> None:
    data = make_applications(300)
    data.to_csv(tmp_path / "train.csv", index=False)
    assert (
        runner.invoke(
            app,
            [
                "fit",
                str(tmp_path / "train.csv"),
                "--target",
                "bad",
                "--no-challenger",
                "--out",
                str(tmp_path / "model"),
            ],
        ).exit_code
        == 0
    )
    data.drop(columns=["bad", "PAY_0"]).to_csv(tmp_path / "new.csv", index=False)
    result = runner.invoke(
        app,
        ["score", str(tmp_path / "model"), str(tmp_path / "new.csv"), "--out", str(tmp_path / "q")],
    )
    assert result.exit_code == 1 and "must have the model's column 'PAY_0'" in result.output
    assert not (tmp_path / "q").exists()
