"""Market jobs on a real workbench: simulate + report + saved simulator; the strategy lab; bad input."""

from __future__ import annotations

import pytest

from finloom.config import Settings
from finloom.errors import NotFoundError
from finloom.jobs import InvalidParamsError
from finloom.workbench import Workbench


@pytest.fixture
def wb(tmp_path):
    wb = Workbench(Settings(workspace=tmp_path), executor_mode="thread").start()
    yield wb
    wb.close()


def test_simulate_writes_report_and_saves_model(wb):
    job = wb.jobs.wait(wb.jobs.submit("market.simulate", {"model": "bootstrap", "n_paths": 50, "n_days": 60}).id, timeout=300)
    assert job.status == "succeeded", job.error
    assert job.result["model"] == "sp500-bootstrap" and "abs_acf_mae" in job.result["scores"]
    assert (wb.workspace / "jobs" / job.id / "report.html").read_text().count("<img") >= 2
    assert wb.artifacts.get("sp500-bootstrap").kind == "StationaryBootstrap"
    loaded = wb.artifacts.load("sp500-bootstrap")
    assert loaded.sample(3, 10, random_state=1).prices.shape == (3, 10, 1)


def test_lab_run_compares_synthetic_and_real(wb):
    grid = [{"fast": 10, "slow": 50}, {"fast": 20, "slow": 100}]
    job = wb.jobs.wait(wb.jobs.submit("lab.run", {"model": "bootstrap", "n_paths": 100, "grid": grid}).id, timeout=300)
    assert job.status == "succeeded", job.error
    rows = job.result["summary"]
    assert [r["params"] for r in rows] == grid and all(0.0 <= r["prob_loss"] <= 1.0 for r in rows)


def test_bad_market_params_are_refused_at_submit(wb):
    with pytest.raises(InvalidParamsError) as err:
        wb.jobs.submit("market.simulate", {"model": "gan?"})
    assert err.value.message == ("model must be 'fhs', 'garch', 'bootstrap', 'ddpm' or 'quantgan'; got 'gan?'. "
                                 "GET /api/jobs/kinds/market.simulate describes each parameter.")
    with pytest.raises(InvalidParamsError, match=r"^n_paths must be greater than or equal to 1; got 0\. Paths to simulate\.$"):
        wb.jobs.submit("market.simulate", {"n_paths": 0})
    with pytest.raises(NotFoundError, match="dataset must be a registered dataset; got 'nope'"):
        wb.jobs.submit("lab.run", {"source": "nope"})
    assert wb.jobs.list() == []


def test_a_table_without_prices_fails_with_what_is_needed(wb, tmp_path):
    import pandas as pd

    frame = pd.DataFrame({"applied": pd.date_range("2024-01-01", periods=40).astype(str), "segment": ["a", "b"] * 20})
    wb.datasets.add("credit", frame, description="no prices")
    job = wb.jobs.wait(wb.jobs.submit("market.simulate", {"source": "credit", "model": "bootstrap"}).id, timeout=120)
    assert job.status == "failed" and "must have price columns (numbers) besides its date" in job.error
