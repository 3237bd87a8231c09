"""``finloom credit fit|score|letters`` on local files, run as workspace jobs: one success path
(listed, audited jobs; outputs copied to --out), --no-wait, and the errors (exit 1, nothing written)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from finloom.cli._common import local_actor
from finloom.cli.credit import app
from finloom.cli.main import app as main_app
from finloom.config import Settings
from finloom.store import list_audit
from finloom.workbench import Workbench
from tests.apps.credit_review.conftest import make_applications

runner = CliRunner()


def _jobs() -> list[dict]:
    listed = runner.invoke(main_app, ["jobs", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    return json.loads(listed.stdout)


def _audit(workspace: Path, action: str) -> list[tuple[str, str]]:
    wb = Workbench(Settings(workspace=workspace)).migrate()
    try:
        with wb.session() as session:
            return [(e.actor, e.target) for e in list_audit(session, action=action)]
    finally:
        wb.close()


def test_fit_score_letters(tmp_path: Path, cli_workspace: Path) -> None:
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
        "PAY_0" in json.loads(fit.stdout)["selected"]
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
    jobs = _jobs()
    assert sorted((j["kind"], j["status"], j["created_by"]) for j in jobs) == [
        (kind, "succeeded", local_actor()) for kind in ("credit.fit", "credit.letters", "credit.score")
    ]
    assert sorted(t for _, t in _audit(cli_workspace, "job.submit")) == sorted(j["id"] for j in jobs)
    imported = [t for _, t in _audit(cli_workspace, "file.import")]
    assert sorted(Path(t).name for t in imported) == ["model", "model", "new.csv", "queue"]
    assert [t for _, t in _audit(cli_workspace, "dataset.create")] == ["train"]


def test_score_no_wait_prints_the_job_id(tmp_path: Path) -> None:
    data = make_applications(300)
    data.to_csv(tmp_path / "train.csv", index=False)
    fit = ["fit", str(tmp_path / "train.csv"), "--target", "bad", "--no-challenger"]
    assert runner.invoke(app, [*fit, "--out", str(tmp_path / "model")]).exit_code == 0
    data.drop(columns=["bad"]).head(5).to_csv(tmp_path / "new.csv", index=False)
    result = runner.invoke(
        app,
        ["score", str(tmp_path / "model"), str(tmp_path / "new.csv"), "--out", str(tmp_path / "q"),
         "--no-wait"],
    )
    assert result.exit_code == 0, result.output
    job_id = result.stdout.split("submitted job ")[1].split()[0]
    assert f"finloom jobs show {job_id[:8]} --follow" in result.stdout and not (tmp_path / "q").exists()


def test_fit_refuses_a_target_with_one_class(tmp_path: Path) -> None:
    make_applications(100).assign(bad=0).to_csv(tmp_path / "train.csv", index=False)
    result = runner.invoke(
        app, ["fit", str(tmp_path / "train.csv"), "--target", "bad", "--out", str(tmp_path / "m")]
    )
    assert result.exit_code == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: job ") and "(credit.fit) failed: target must have two classes" in last
    assert not (tmp_path / "m").exists()
    assert [(j["kind"], j["status"]) for j in _jobs()] == [("credit.fit", "failed")]


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
    assert result.exit_code == 1 and "must have the model's column 'PAY_0'" in result.stderr
    assert not (tmp_path / "q").exists()
