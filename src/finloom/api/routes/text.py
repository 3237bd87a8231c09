"""Text models, reports and compliance: train and serve classifiers, build reports, audit text and trades."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field

from finloom.api.deps import Analyst, Viewer, WorkbenchDep, audit
from finloom.api.schemas import JobOut
from finloom.apps.engine_jobs import (
    MarketReportParams,
    NerTrainParams,
    NlpTrainParams,
    PortfolioReportParams,
    TradeAuditParams,
)
from finloom.jobs import Job

router = APIRouter(prefix="/api", tags=["text"])
Lang = Literal["en", "zh"]


class PredictIn(BaseModel):
    # an empty message has no intent to predict: 422 naming the item rather than a guess
    texts: Annotated[list[Annotated[str, Field(min_length=1, max_length=20_000, pattern=r"\S")]],
                     Field(min_length=1, max_length=256)]


class Prediction(BaseModel):
    label: str
    score: float
    scores: dict[str, float]


class EntityOut(BaseModel):
    label: str
    start: int
    end: int
    text: str
    source: Literal["model", "rule"]


class AuditTextIn(BaseModel):
    text: str = Field(min_length=1, max_length=100_000)
    lang: Lang | None = None
    product_risk: str | None = Field(default=None, max_length=4, description="R1..R5")
    customer_risk: str | None = Field(default=None, max_length=4, description="C1..C5")


class FindingOut(BaseModel):
    rule_id: str
    severity: str
    category: str
    explanation: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    row: Any = None


class AuditTextOut(BaseModel):
    findings: list[FindingOut]
    masked_text: str


@router.post("/nlp/train", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["nlp"])
def nlp_train(body: NlpTrainParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Train a text classifier on a labelled dataset as a job (report + saved model)."""
    job = workbench.jobs.submit("nlp.train", body, created_by=principal.user)
    audit(workbench, principal, "nlp.train", job.id, dataset=body.dataset)
    return job


@router.post("/nlp/models/{name}/predict", response_model=list[Prediction], tags=["nlp"])
async def nlp_predict(name: str, body: PredictIn, request: Request, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Classify texts with a saved classifier (requests are micro-batched)."""
    cache = request.app.state.classifiers
    batcher = await asyncio.to_thread(cache.batcher, workbench, name)
    return await asyncio.gather(*(batcher.apredict(t) for t in body.texts))


@router.post("/nlp/train-ner", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["nlp"])
def nlp_train_ner(body: NerTrainParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Train a named-entity tagger on a one-row-per-token dataset as a job (report + saved model)."""
    job = workbench.jobs.submit("nlp.train_ner", body, created_by=principal.user)
    audit(workbench, principal, "nlp.train_ner", job.id, dataset=body.dataset)
    return job


@router.post("/nlp/models/{name}/entities", response_model=list[list[EntityOut]], tags=["nlp"])
async def nlp_entities(name: str, body: PredictIn, request: Request, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Entities in each text with a saved tagger: the model's spans merged with money, percentage,
    date and ticker rules (character offsets; requests are micro-batched)."""
    cache = request.app.state.classifiers
    batcher = await asyncio.to_thread(cache.tagger_batcher, workbench, name)
    return await asyncio.gather(*(batcher.apredict(t) for t in body.texts))


@router.post("/reports/market", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["reports"])
def market_report(body: MarketReportParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Build a grounded market report (HTML + PDF) as a job."""
    return workbench.jobs.submit("report.market", body, created_by=principal.user)


@router.post("/reports/portfolio", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["reports"])
def portfolio_report(body: PortfolioReportParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Build a grounded portfolio report (HTML + PDF) as a job."""
    return workbench.jobs.submit("report.portfolio", body, created_by=principal.user)


def run_text_audit(workbench: Any, principal: Any, body: AuditTextIn) -> dict[str, Any]:
    """Audit a text, record the findings in the audit log (PII masked) and return them."""
    from finloom.apps.compliance import mask_pii
    from finloom.apps.compliance.service import audit_text

    context = {k: v for k, v in {"product_risk": body.product_risk, "customer_risk": body.customer_risk}.items() if v}
    findings = [f.to_dict() for f in audit_text(body.text, body.lang, context=context if len(context) == 2 else None)]
    masked = mask_pii(body.text)
    safe = [{k: v for k, v in f.items() if k != "text"} for f in findings]
    audit(workbench, principal, "compliance.text", masked[:200], findings=safe)
    return {"findings": findings, "masked_text": masked}


@router.post("/compliance/text", response_model=AuditTextOut, tags=["compliance"])
def audit_text_route(body: AuditTextIn, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Check a text against the compliance rule packs (promises, disclosures, PII, suitability ...)."""
    return run_text_audit(workbench, principal, body)


@router.post("/compliance/trades", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["compliance"])
def audit_trades_route(body: TradeAuditParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Audit a registered trade blotter against the trade rules as a job (findings.csv)."""
    job = workbench.jobs.submit("compliance.trades", body, created_by=principal.user)
    audit(workbench, principal, "compliance.trades", job.id, dataset=body.dataset)
    return job
