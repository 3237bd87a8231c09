"""``finloom market`` commands: one success and one failure each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from typer.testing import CliRunner

from finloom.cli.market import app

runner = CliRunner()


def _csv(path: Path, n: int = 500) -> Path:
    idx = pd.bdate_range("2016-01-01", periods=n, name="Date")
    r = np.random.default_rng(0).standard_t(5, n) * 0.008
    pd.DataFrame({"SPY": 100 * np.exp(np.cumsum(r))}, index=idx).to_csv(path)
    return path


def test_market_fit_sample_report(tmp_path: Path) -> None:
    data = _csv(tmp_path / "px.csv")
    fit = runner.invoke(app, ["fit", str(data), "--out", str(tmp_path), "--model", "bootstrap",
                              "-p", "block_length=10"])
    assert fit.exit_code == 0, fit.output
    assert "saved StationaryBootstrap fitted on 500 days" in fit.output
    sample = runner.invoke(app, ["sample", str(tmp_path / "model"), "--out", str(tmp_path / "s"),
                                 "--paths", "5", "--days", "20", "--shock-day", "3"])
    assert sample.exit_code == 0, sample.output
    frame = pd.read_csv(tmp_path / "s" / "paths.csv")
    assert len(frame) == 100 and list(frame.columns) == ["path", "date", "SPY"]
    rep = runner.invoke(app, ["report", str(tmp_path / "model"), str(data), "--out", str(tmp_path / "r"),
                              "--paths", "40", "--days", "120"])  # the series is positional, as in 'fit'
    assert rep.exit_code == 0, rep.output
    assert (tmp_path / "r" / "report.html").is_file()


def test_market_fit_bad_data_fails_cleanly(tmp_path: Path) -> None:
    data = _csv(tmp_path / "px.csv", n=10)
    result = runner.invoke(app, ["fit", str(data), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "(market.fit) failed: the series must have at least 30 rows; got 10" in result.output


def test_market_fit_unknown_model_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["fit", str(_csv(tmp_path / "px.csv")), "--out", str(tmp_path),
                                 "--model", "gan"])
    assert result.exit_code == 1 and "error: model must be 'fhs', 'garch', 'bootstrap', 'ddpm' or 'quantgan'; got 'gan'" in result.output


def test_market_sample_missing_model_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["sample", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "error: model path must be a directory" in result.output


def test_market_report_missing_model_fails_cleanly(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 1 and "error: model path must be a directory" in result.output


def test_lab_run_writes_report(tmp_path: Path) -> None:
    data = _csv(tmp_path / "px.csv")
    result = runner.invoke(app, ["lab", "run", str(data), "--out", str(tmp_path / "lab"),
                                 "--model", "bootstrap", "-g", "fast=5,10", "-g", "slow=50",
                                 "--test-days", "100", "--paths", "30"])
    assert result.exit_code == 0, result.output
    assert "P(loss)" in result.output and (tmp_path / "lab" / "lab.html").is_file()


def test_lab_run_bad_strategy_fails_cleanly(tmp_path: Path) -> None:
    data = _csv(tmp_path / "px.csv")
    result = runner.invoke(app, ["lab", "run", "--out", str(tmp_path / "lab"), "--data", str(data),
                                 "--model", "bootstrap", "--strategy", "astrology", "--test-days", "100"])
    assert result.exit_code == 1 and "error: strategy must be one of" in result.output  # --data: the older spelling


def test_market_models_have_one_set_of_names_everywhere() -> None:
    from finloom.apps.engine_jobs import MarketSimulateParams
    from finloom.apps.engine_jobs._market import SIMULATORS
    from finloom.synth.market._service import MODELS
    from finloom.web._market_pages import MODELS as PAGE_MODELS

    assert set(SIMULATORS) == set(MODELS) == set(PAGE_MODELS) == {"fhs", "garch", "bootstrap", "ddpm", "quantgan"}
    assert MarketSimulateParams().model == "fhs" == PAGE_MODELS[0]
    assert MarketSimulateParams(model="hybrid").model == "fhs"  # the web form's former name still works
    assert {SIMULATORS[k] for k in SIMULATORS} == {cls.__name__ for cls in MODELS.values()}


def test_market_fit_takes_the_demo_series_in_any_case(tmp_path) -> None:
    result = runner.invoke(app, ["fit", "SP500", "--out", str(tmp_path), "--model", "bootstrap", "--end", "2001-12-31"])
    assert result.exit_code == 0, result.output
