"""``finloom insights DATASET``: sentences printed, report written; a bad dataset fails cleanly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from finloom.cli.main import app

runner = CliRunner()


def test_insights_command_writes_the_report(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {"region": rng.choice(["N", "S", "E"], 300), "amount": rng.normal(100, 5, 300).round(2)}
    )
    df.loc[df["region"] == "N", "amount"] += 10
    csv = tmp_path / "t.csv"
    df.to_csv(csv, index=False)
    assert runner.invoke(app, ["datasets", "add", str(csv), "--name", "t"]).exit_code == 0
    out = tmp_path / "insights.html"
    result = runner.invoke(app, ["insights", "t", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1. region = N" in result.output and "wrote" in result.output
    assert "region = N" in out.read_text(encoding="utf-8")
    bad = runner.invoke(app, ["insights", "nope", "--out", str(tmp_path / "x.txt")])
    assert bad.exit_code == 1 and "--out must end in .html or .pdf" in bad.output
