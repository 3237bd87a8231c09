"""A job's files appear only when it succeeds: failed, cancelled and killed jobs leave none."""

from __future__ import annotations

import os
import signal
import time

import pandas as pd
import pytest

from finloom.config import Settings
from finloom.errors import NotFoundError
from finloom.workbench import Workbench

TEXTS = pd.DataFrame({
    "text": [f"my card number {i} was lost" for i in range(30)] + [f"what is balance {i}" for i in range(30)],
    "label": ["lost_card"] * 30 + ["balance"] * 30,
})


@pytest.fixture
def wb(tmp_path):
    wb = Workbench(Settings(workspace=tmp_path), executor_mode="thread").start()
    wb.datasets.add("texts", TEXTS)
    yield wb
    wb.close()


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_failed_job_leaves_no_files(wb):
    # the job exports the dataset to data.csv first, then fails on the missing column
    job = wb.jobs.submit("nlp.train", {"dataset": "texts", "text_column": "body"}, created_by="ana")
    done = wb.jobs.wait(job.id, timeout=120)
    assert done.status == "failed" and "body" in (done.error or "")
    assert wb.jobs.files(job.id) == []
    assert not (wb.workspace / "jobs" / job.id).exists()
    assert [p.name for p in (wb.workspace / "jobs").iterdir()] == []  # no partial folder left either


def test_succeeded_job_publishes_its_files(wb):
    job = wb.jobs.submit("demo.count", {"steps": 3, "delay": 0, "write": True})
    assert wb.jobs.wait(job.id, timeout=30).status == "succeeded"
    files = {f.name: f.size_bytes for f in wb.jobs.files(job.id)}
    assert set(files) == {"count.txt", "log.txt"} and files["count.txt"] == 21  # its output and its progress log
    assert (wb.workspace / "jobs" / job.id / "count.txt").read_text() == "step 1\nstep 2\nstep 3\n"


def test_cancelled_job_leaves_no_files(wb):
    job = wb.jobs.submit("demo.count", {"steps": 400, "delay": 0.02, "write": True})
    assert _wait_for(lambda: wb.jobs.get(job.id).progress > 0)
    wb.jobs.cancel(job.id)
    assert wb.jobs.wait(job.id, timeout=30).status == "cancelled"
    # its outputs are gone; only its progress log stays, to show how far it got
    assert [f.name for f in wb.jobs.files(job.id)] == ["log.txt"]
    assert [p.name for p in (wb.workspace / "jobs" / job.id).iterdir()] == ["log.txt"]
    assert "step" in wb.jobs.file_path(job.id, "log.txt").read_text()
    with pytest.raises(NotFoundError):
        wb.jobs.file_path(job.id, "count.txt")


def test_killed_job_leaves_no_files(tmp_path):
    wb = Workbench(Settings(workspace=tmp_path), executor_mode="process").start()
    try:
        wb.datasets.add("texts", TEXTS)
        job = wb.jobs.submit("nlp.train", {"dataset": "texts", "mode": "finetune", "epochs": 100})
        # progress is first reported after the dataset was exported into the job's folder
        assert _wait_for(lambda: wb.jobs.get(job.id).progress > 0, timeout=120)
        os.kill(wb.jobs.executor.pid_of(job.id), signal.SIGKILL)
        done = wb.jobs.wait(job.id, timeout=30)
        assert done.status == "failed" and "exited with code -9" in (done.error or "")
        assert [f.name for f in wb.jobs.files(job.id)] in ([], ["log.txt"])  # at most its progress log
        assert not any(p.name.endswith(".partial") for p in (wb.workspace / "jobs").iterdir())
    finally:
        wb.close()


def test_files_of_a_job_that_did_not_succeed_are_never_served(wb):
    job = wb.jobs.submit("demo.count", {"steps": 1, "delay": 0, "fail_at": 0})
    assert wb.jobs.wait(job.id, timeout=30).status == "failed"
    stray = wb.workspace / "jobs" / job.id
    stray.mkdir(parents=True)
    (stray / "report.html").write_text("half")
    assert wb.jobs.files(job.id) == []
    with pytest.raises(NotFoundError, match="file must be one of the job's files; got 'report.html'"):
        wb.jobs.file_path(job.id, "report.html")


def test_workbench_start_removes_partial_output_of_dead_jobs(tmp_path):
    partial = tmp_path / "jobs" / ".0000-dead.partial"
    partial.mkdir(parents=True)
    (partial / "data.csv").write_text("x\n")
    Workbench(Settings(workspace=tmp_path), executor_mode="thread").start().close()
    assert not partial.exists()
