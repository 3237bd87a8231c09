"""Text models, reports and compliance: train and serve classifiers, build reports, audit text and trades."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from finloom.api.deps import Analyst, ServingDep, Viewer, WorkbenchDep
from finloom.api.schemas import AuditTextIn, AuditTextOut, AuditTextsIn, AuditTextsOut, JobOut
from finloom.apps.engine_jobs import (
    MarketReportParams,
    NerTrainParams,
    NlpTrainParams,
    PortfolioReportParams,
    TradeAuditParams,
)
from finloom.jobs import Job
from finloom.services import compliance
from finloom.services.explain import ExplainIn, ExplainOut, explain_served
from finloom.services.jobs import submit_job

router = APIRouter(prefix="/api", tags=["text"])


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


@router.post("/nlp/train", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["nlp"])
def nlp_train(body: NlpTrainParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Train a text classifier on a labelled dataset as a job (report + saved model)."""
    return submit_job(workbench, principal.user, "nlp.train", body)


@router.post("/nlp/models/{name}/predict", response_model=list[Prediction], tags=["nlp"])
async def nlp_predict(name: str, body: PredictIn, principal: Viewer, workbench: WorkbenchDep, cache: ServingDep) -> Any:
    """Classify texts with a saved classifier (requests are micro-batched)."""
    batcher = await asyncio.to_thread(cache.batcher, workbench, name)
    return await asyncio.gather(*(batcher.apredict(t) for t in body.texts))


@router.post("/nlp/models/{name}/explain", response_model=ExplainOut, tags=["nlp"])
async def nlp_explain(name: str, body: ExplainIn, principal: Viewer, workbench: WorkbenchDep, cache: ServingDep) -> Any:
    """Why a saved classifier labels a text as it does: one score per word (integrated gradients
    or occlusion; texts up to 1,000 characters) and, when the model stores them, its nearest
    training examples."""
    return await asyncio.to_thread(explain_served, workbench, cache, name, body)


@router.post("/nlp/train-ner", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["nlp"])
def nlp_train_ner(body: NerTrainParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Train a named-entity tagger on a one-row-per-token dataset as a job (report + saved model)."""
    return submit_job(workbench, principal.user, "nlp.train_ner", body)


@router.post("/nlp/models/{name}/entities", response_model=list[list[EntityOut]], tags=["nlp"])
async def nlp_entities(name: str, body: PredictIn, principal: Viewer, workbench: WorkbenchDep, cache: ServingDep) -> Any:
    """Entities in each text with a saved tagger: the model's spans merged with money, percentage,
    date and ticker rules (character offsets; requests are micro-batched)."""
    batcher = await asyncio.to_thread(cache.tagger_batcher, workbench, name)
    return await asyncio.gather(*(batcher.apredict(t) for t in body.texts))


@router.post("/reports/market", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["reports"])
def market_report(body: MarketReportParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Build a grounded market report (HTML + PDF) as a job."""
    return submit_job(workbench, principal.user, "report.market", body)


@router.post("/reports/portfolio", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["reports"])
def portfolio_report(body: PortfolioReportParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Build a grounded portfolio report (HTML + PDF) as a job."""
    return submit_job(workbench, principal.user, "report.portfolio", body)


@router.post("/compliance/text", response_model=AuditTextOut, tags=["compliance"])
def audit_text_route(body: AuditTextIn, principal: Viewer, workbench: WorkbenchDep) -> AuditTextOut:
    """Check a text against the compliance rule packs (promises, disclosures, PII, suitability ...)."""
    return compliance.check_text(workbench, principal.user, body)


@router.post("/compliance/audit-text", response_model=AuditTextsOut, tags=["compliance"])
def audit_texts_route(body: AuditTextsIn, principal: Viewer, workbench: WorkbenchDep) -> AuditTextsOut:
    """Check a batch of texts (up to 500, 2 million characters in all); personal data in the
    returned spans is masked."""
    return compliance.check_texts(workbench, principal.user, body)


@router.post("/compliance/trades", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["compliance"])
def audit_trades_route(body: TradeAuditParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Audit a registered trade blotter against the trade rules as a job (findings.csv)."""
    return submit_job(workbench, principal.user, "compliance.trades", body)
