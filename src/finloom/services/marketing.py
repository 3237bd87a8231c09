"""Marketing as a service: the ``marketing.campaign`` job (contact list, gains, segments, checked copy)
and the in-request A/B planner and analyser; the API, the ``/marketing`` page and the CLI call these."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from finloom.apps.marketing import (
    AnalyseTestIn,
    CampaignParams,
    PlanTestIn,
    analyse_test,
    minimum_detectable_effect,
    plan_test,
)
from finloom.errors import ConfigError, InvalidDataError, NotFoundError
from finloom.jobs import Job, validation_problems
from finloom.services.jobs import submit_job
from finloom.workbench import Workbench

__all__ = [
    "AnalyseTestIn",
    "CampaignParams",
    "PlanTestIn",
    "analyse",
    "campaign",
    "list_campaigns",
    "plan",
    "start_campaign",
]

KIND = "marketing.campaign"
M = TypeVar("M", PlanTestIn, AnalyseTestIn)


def _parse(model: type[M], data: M | Mapping[str, Any]) -> M:
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidDataError(validation_problems(exc.errors(), model, root="body")) from None


def start_campaign(workbench: Workbench, actor: str, params: CampaignParams | Mapping[str, Any] | BaseModel) -> Job:
    """Submit a ``marketing.campaign`` job (audited ``job.submit``).

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start()
    >>> start_campaign(wb, "ana", {"dataset": "nope", "target": "y"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    finloom.errors.NotFoundError: ...
    """
    return submit_job(workbench, actor, KIND, params)


def list_campaigns(workbench: Workbench, limit: int = 200) -> list[dict[str, Any]]:
    """Campaign jobs of the last ``limit`` jobs, newest first, with their headline figures.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> list_campaigns(Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start())
    []
    """
    out = []
    for job in workbench.jobs.list(limit=limit):
        if job.kind != KIND:
            continue
        full = workbench.jobs.get(job.id)
        result = full.result or {}
        out.append({"job_id": job.id, "status": job.status, "dataset": (full.params or {}).get("dataset"),
                    "contacts": result.get("contacts"), "auc": (result.get("propensity") or {}).get("auc"),
                    "segments": (result.get("segments") or {}).get("k"), "created_at": str(job.created_at or "")})
    return out


def campaign(workbench: Workbench, job_id: str) -> dict[str, Any]:
    """The result of a finished campaign job (contacts, gains, segments, copy and their checks)."""
    job = workbench.jobs.get(job_id)
    if job.kind != KIND:
        raise NotFoundError(f"campaign must be a {KIND} job; got a {job.kind} job ({job_id[:8]}).")
    if job.status != "succeeded" or not job.result:
        raise ConfigError(f"campaign {job_id[:8]} must have finished; it is {job.status}. Open its job page.")
    return {"job_id": job.id, **job.result}


def plan(body: PlanTestIn | Mapping[str, Any]) -> dict[str, Any]:
    """Sample size per arm (``target`` or ``mde`` given) and/or the MDE for ``n_control`` per arm.

    Examples
    --------
    >>> plan(PlanTestIn(baseline=0.1, mde=0.02))["n_control"]
    3835
    >>> round(plan(PlanTestIn(baseline=0.1, n_control=3835))["mde"], 3)
    0.02
    """
    body = _parse(PlanTestIn, body)
    out: dict[str, Any] = {"baseline": body.baseline, "alpha": body.alpha, "power": body.power, "ratio": body.ratio}
    if body.target is None and body.mde is None and body.n_control is None:
        raise ConfigError("the plan needs target or mde (for a sample size) or n_control (for the minimum "
                          "detectable effect); got none of them. E.g. baseline=0.05 and mde=0.01.")
    if body.target is not None or body.mde is not None:
        out.update(plan_test(body.baseline, target=body.target, mde=body.mde, alpha=body.alpha, power=body.power,
                             ratio=body.ratio).to_dict())
    if body.n_control is not None:
        out["mde"] = minimum_detectable_effect(body.baseline, body.n_control, alpha=body.alpha, power=body.power,
                                               ratio=body.ratio)
        out["mde_n_control"] = body.n_control
    return out


def analyse(body: AnalyseTestIn | Mapping[str, Any]) -> dict[str, Any]:
    """Difference of conversion with a confidence interval, p-value and peeking warning.

    Examples
    --------
    >>> analyse(AnalyseTestIn(conv_control=100, n_control=1000, conv_treatment=130, n_treatment=1000))["significant"]
    True
    """
    body = _parse(AnalyseTestIn, body)
    return analyse_test(body.conv_control, body.n_control, body.conv_treatment, body.n_treatment,
                        alpha=body.alpha, looks=body.looks).to_dict()
