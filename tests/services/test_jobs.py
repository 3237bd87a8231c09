"""Job submission and cancellation: audited in the transaction that stores the job."""

from __future__ import annotations

import pytest

from finloom.errors import ConflictError, ServiceError
from finloom.services.jobs import cancel_job, submit_job
from tests.services.conftest import events


def test_submit_job_records_one_event_with_the_actor(wb):
    job = submit_job(wb, "ana", "demo.count", {"steps": 1, "delay": 0})
    assert job.created_by == "ana"
    assert events(wb) == [("ana", "job.submit", job.id)]


def test_a_job_whose_audit_fails_is_not_stored_or_queued(wb, broken_audit):
    with pytest.raises(ServiceError):
        submit_job(wb, "ana", "demo.count", {"steps": 1, "delay": 0})
    assert wb.jobs.count() == 0


def test_cancelling_a_finished_job_is_refused_and_not_audited(wb):
    job = submit_job(wb, "ana", "demo.count", {"steps": 1, "delay": 0})
    wb.jobs.wait(job.id)
    with pytest.raises(ConflictError):
        cancel_job(wb, "bo", job.id)
    assert events(wb, "job.cancel") == []
