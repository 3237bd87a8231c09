"""Synthetic-data jobs on a real workbench: fit + sample + report + saved model, and bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from finloom.config import Settings
from finloom.data.demo import load_demo
from finloom.errors import ConfigError, NotFoundError
from finloom.jobs import InvalidParamsError
from finloom.workbench import Workbench


@pytest.fixture
def wb(tmp_path):
    wb = Workbench(Settings(workspace=tmp_path), executor_mode="thread").start()
    df, meta = load_demo("credit_applications")
    wb.datasets.add("credit", df.head(400), metadata=meta, licence="synthetic demo")
    yield wb
    wb.close()


def test_fit_job_saves_model_sample_and_report(wb):
    job = wb.jobs.wait(wb.jobs.submit("synth.fit", {"dataset": "credit", "model": "copula"}).id, timeout=300)
    assert job.status == "succeeded", job.error
    result = job.result
    assert result["model"] == "credit-copula" and result["sample_rows"] == 280
    assert 0.5 < result["metrics"]["quality"] <= 1.0
    files = {p.name for p in (wb.workspace / "jobs" / job.id).iterdir()}
    assert {"sample.csv", "report.html", "report.json"} <= files
    info = wb.artifacts.get("credit-copula")
    assert info.manifest["lineage"]["dataset"] == "credit" and info.manifest["licences"] == ["synthetic demo"]
    sample = pd.read_csv(wb.workspace / "jobs" / job.id / "sample.csv")
    assert list(sample.columns) == list(wb.datasets.load("credit")[0].columns)


def test_a_dp_fit_states_what_epsilon_covers_in_the_model_card_and_the_report(wb):
    params = {"dataset": "credit", "model": "gan", "params": {"epochs": 1, "batch_size": 100, "dp": True}}
    job = wb.jobs.wait(wb.jobs.submit("synth.fit", params).id, timeout=300)
    assert job.status == "succeeded", job.error
    dp = job.result["differential_privacy"]
    assert dp["covers"].startswith("the critic's") and dp["epsilon"] == job.result["metrics"]["dp_epsilon"]
    card = wb.artifacts.get("credit-gan").to_dict()
    assert "is not differentially private as a whole" in card["description"]
    assert "exact row count of every category" in card["description"]
    report = json.loads((wb.workspace / "jobs" / job.id / "report.json").read_text())
    assert report["differential_privacy"]["not_covered"] == dp["not_covered"]
    assert "Differential privacy" in (wb.workspace / "jobs" / job.id / "report.html").read_text()


def test_sample_job_writes_file_and_registers(wb):
    wb.jobs.wait(wb.jobs.submit("synth.fit", {"dataset": "credit", "model": "copula", "report": False}).id, timeout=300)
    job = wb.jobs.wait(
        wb.jobs.submit("synth.sample", {"model": "credit-copula", "rows": 123, "format": "parquet", "register_as": "credit-syn"}).id,
        timeout=300,
    )
    assert job.status == "succeeded", job.error
    assert job.result["rows"] == 123 and job.result["path"] == "sample.parquet"
    assert wb.datasets.get("credit-syn").n_rows == 123


def test_bad_params_are_refused_at_submit(wb):
    with pytest.raises(InvalidParamsError, match=r"^model must be 'auto', 'copula', 'gan', 'vae', 'diffusion' or 'ar'; got 'gpt'\."):
        wb.jobs.submit("synth.fit", {"dataset": "credit", "model": "gpt"})
    with pytest.raises(InvalidParamsError) as err:
        wb.jobs.submit("synth.fit", {"dataset": "credit", "model": "gan", "params": {"epoch": 5}})
    assert err.value.message.startswith("params must only hold fields of GANConfig (epochs, ")
    assert err.value.message.endswith("got 'epoch'. Did you mean 'epochs'? Remove it; GET /api/synth/models lists them.")
    with pytest.raises(NotFoundError, match="model must be a saved model; got 'missing'"):
        wb.jobs.submit("synth.sample", {"model": "missing", "rows": 5})
    with pytest.raises(ConfigError, match="name must be 1-120 letters"):
        wb.jobs.submit("synth.fit", {"dataset": "credit", "name": "../escape"})
    assert wb.jobs.list() == [] and wb.artifacts.list() == []
