"""Insights of a registered dataset, as a job: the API, the dataset page and the CLI submit it here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from finloom.apps.insights.schemas import InsightsParams
from finloom.jobs import Job
from finloom.services.jobs import submit_job
from finloom.workbench import Workbench

__all__ = ["InsightsParams", "start_insights"]


def start_insights(
    workbench: Workbench, actor: str, params: InsightsParams | Mapping[str, Any] | BaseModel
) -> Job:
    """Submit an ``insights.run`` job (audited ``job.submit``); a question or filter makes it a drill-down.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start()
    >>> start_insights(wb, "ana", {"dataset": "nope"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    finloom.errors.NotFoundError: ...
    """
    return submit_job(workbench, actor, "insights.run", params)
