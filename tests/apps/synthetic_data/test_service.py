"""Synthetic-data jobs on a real workbench: fit + sample + report + saved model, and bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from finloom.config import Settings
from finloom.data.demo import load_demo
from finloom.workbench import Workbench


@pytest.fixture
def wb(tmp_path):
    wb = Workbench(Settings(workspace=tmp_path), executor_mode="thread").start()
    df, meta = load_demo("credit_applications")
    wb.datasets.add("credit", df.head(400), metadata=meta, licence="synthetic demo")
    yield wb
    wb.close()


def test_fit_job_saves_model_sample_and_report(wb):
    job = wb.jobs.wait(wb.jobs.submit("synth.fit", {"dataset": "credit", "model": "copula"})["id"], timeout=300)
    assert job["status"] == "succeeded", job["error"]
    result = job["result"]
    assert result["model"] == "credit-copula" and result["sample_rows"] == 280
    assert 0.5 < result["metrics"]["quality"] <= 1.0
    files = {p.name for p in (wb.workspace / "jobs" / job["id"]).iterdir()}
    assert {"sample.csv", "report.html", "report.json"} <= files
    info = wb.artifacts.get("credit-copula")
    assert info.manifest["lineage"]["dataset"] == "credit" and info.manifest["licences"] == ["synthetic demo"]
    sample = pd.read_csv(wb.workspace / "jobs" / job["id"] / "sample.csv")
    assert list(sample.columns) == list(wb.datasets.load("credit")[0].columns)


def test_sample_job_writes_file_and_registers(wb):
    wb.jobs.wait(wb.jobs.submit("synth.fit", {"dataset": "credit", "model": "copula", "report": False})["id"], timeout=300)
    job = wb.jobs.wait(
        wb.jobs.submit("synth.sample", {"model": "credit-copula", "rows": 123, "format": "parquet", "register_as": "credit-syn"})["id"],
        timeout=300,
    )
    assert job["status"] == "succeeded", job["error"]
    assert job["result"]["rows"] == 123
    assert wb.datasets.get("credit-syn").n_rows == 123


def test_jobs_fail_clearly_on_bad_params(wb):
    job = wb.jobs.wait(wb.jobs.submit("synth.fit", {"dataset": "credit", "model": "gpt"})["id"], timeout=60)
    assert job["status"] == "failed" and "model must be one of" in job["error"]
    job = wb.jobs.wait(wb.jobs.submit("synth.sample", {"model": "missing", "rows": 5})["id"], timeout=60)
    assert job["status"] == "failed" and "model must be a saved model; got 'missing'" in job["error"]
    assert wb.artifacts.list() == []
