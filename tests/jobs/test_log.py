"""A job's log.txt: its progress lines, next to its outputs in the workspace."""

from __future__ import annotations

import re

from finloom._base import noop_progress
from finloom.jobs import JobContext, JobService, LocalExecutor, WorkerConfig
from finloom.jobs._log import LOG_NAME, logged_progress


def test_job_progress_is_recorded_in_its_log(db_url, tmp_path):
    from finloom.store import make_engine, make_session_factory

    factory = make_session_factory(make_engine(db_url))
    service = JobService(factory, WorkerConfig(db_url, str(tmp_path)), LocalExecutor(max_workers=1, mode="thread"))
    job = service.submit("demo.count", {"steps": 3, "delay": 0})
    assert service.wait(job.id, timeout=30).status == "succeeded"
    lines = (tmp_path / "jobs" / job.id / LOG_NAME).read_text().splitlines()
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d  33% step 1 of 3 \(elapsed \d+s, ETA \d+s\)", lines[0])
    assert lines[-1].endswith("100% step 3 of 3 (elapsed 0s)")


def test_logged_progress_keeps_the_callback_and_its_errors(tmp_path):
    class Cancelled(Exception):
        pass

    def cancelling(fraction, message=""):
        raise Cancelled

    progress = logged_progress(cancelling, lambda: tmp_path / LOG_NAME)
    try:
        progress(0.5, "half")
    except Cancelled:
        pass
    else:  # pragma: no cover
        raise AssertionError("the job's own callback must still run (and may cancel)")
    assert "50% half" in (tmp_path / LOG_NAME).read_text()


def test_a_context_without_progress_writes_no_log(tmp_path):
    ctx = JobContext(job_id="j1", params={}, workspace=tmp_path)
    assert ctx.progress is noop_progress
    ctx.progress(0.5, "half")
    assert not (tmp_path / "jobs").exists()
