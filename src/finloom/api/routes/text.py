"""Text models, reports and compliance: train and serve classifiers, build reports, audit text and trades."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field, model_validator

from finloom.api.deps import Analyst, Viewer, WorkbenchDep, audit
from finloom.api.schemas import JobOut

router = APIRouter(prefix="/api", tags=["text"])
Lang = Literal["en", "zh"]


class NlpTrain(BaseModel):
    dataset: str = Field(min_length=1, max_length=120)
    text_column: str = Field(default="text", max_length=200)
    label_column: str = Field(default="label", max_length=200)
    name: str | None = Field(default=None, max_length=120)
    mode: Literal["frozen", "finetune"] = "frozen"
    epochs: int | None = Field(default=None, ge=1, le=100)
    test_size: float = Field(default=0.2, gt=0.0, lt=0.9)
    int8: bool = Field(default=False, description="Also register an ONNX Runtime int8 copy, "
                       "'<name>-int8', about 3x faster to serve on a CPU.")


class NerTrain(BaseModel):
    dataset: str = Field(min_length=1, max_length=120, description="A registered table with one row per token.")
    sentence_column: str | None = Field(default=None, max_length=200, description="Found among common names when not given.")
    token_column: str | None = Field(default=None, max_length=200)
    tag_column: str | None = Field(default=None, max_length=200, description="BIO or IO tags.")
    name: str | None = Field(default=None, max_length=120)
    epochs: int | None = Field(default=None, ge=1, le=100)
    test_size: float = Field(default=0.2, ge=0.0, lt=0.9, description="Share of sentences held out for the report.")


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


class MarketReportIn(BaseModel):
    tickers: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=lambda: ["SP500", "NASDAQ"], min_length=1, max_length=20)
    start: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    end: str | None = Field(default=None, max_length=10, description="YYYY-MM-DD")
    lang: Lang = "en"


class PortfolioReportIn(BaseModel):
    weights: dict[Annotated[str, Field(max_length=40)], float] = Field(min_length=1, max_length=20)
    start: str | None = Field(default=None, max_length=10)
    end: str | None = Field(default=None, max_length=10)
    lang: Lang = "en"


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


MAX_BATCH_TEXTS = 500
MAX_BATCH_CHARS = 2_000_000


class AuditTextsIn(BaseModel):
    texts: Annotated[list[Annotated[str, Field(min_length=1, max_length=100_000)]],
                     Field(min_length=1, max_length=MAX_BATCH_TEXTS)]
    ids: list[Annotated[str, Field(min_length=1, max_length=200)]] | None = Field(
        default=None, max_length=MAX_BATCH_TEXTS, description="One id per text; default 1, 2, 3 ...")
    lang: Lang | None = None

    @model_validator(mode="after")
    def _limits(self) -> AuditTextsIn:
        total = sum(len(t) for t in self.texts)
        if total > MAX_BATCH_CHARS:
            raise ValueError(f"texts must hold at most {MAX_BATCH_CHARS} characters in all; got {total}. "
                             "Split the batch.")
        if self.ids is not None and len(self.ids) != len(self.texts):
            raise ValueError(f"ids must have one entry per text; got {len(self.ids)} ids for {len(self.texts)} texts.")
        return self


class TextAuditOut(BaseModel):
    text_id: str
    categories: list[str]
    findings: list[FindingOut]


class AuditTextsOut(BaseModel):
    results: list[TextAuditOut]
    texts_with_findings: int
    per_category: dict[str, int]


class AuditTradesIn(BaseModel):
    dataset: str = Field(min_length=1, max_length=120)
    restricted_symbols: list[Annotated[str, Field(max_length=40)]] = Field(default_factory=list, max_length=1000)
    max_notional_per_trade: float | None = Field(default=None, gt=0)
    max_daily_notional_per_trader: float | None = Field(default=None, gt=0)


@router.post("/nlp/train", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["nlp"])
def nlp_train(body: NlpTrain, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Train a text classifier on a labelled dataset as a job (report + saved model)."""
    workbench.datasets.get(body.dataset)
    classifier: dict[str, Any] = {"mode": body.mode, "random_state": 0}
    if body.epochs:
        classifier["epochs"] = body.epochs
    params = {"dataset": body.dataset, "text_column": body.text_column, "label_column": body.label_column,
              "name": body.name or f"{body.dataset}-classifier", "test_size": body.test_size, "classifier": classifier,
              "export_int8": body.int8}
    job = workbench.jobs.submit("nlp.train", params, created_by=principal.user)
    audit(workbench, principal, "nlp.train", job["id"], dataset=body.dataset)
    return job


@router.post("/nlp/models/{name}/predict", response_model=list[Prediction], tags=["nlp"])
async def nlp_predict(name: str, body: PredictIn, request: Request, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Classify texts with a saved classifier (requests are micro-batched)."""
    cache = request.app.state.classifiers
    batcher = await asyncio.to_thread(cache.batcher, workbench, name)
    return await asyncio.gather(*(batcher.apredict(t) for t in body.texts))


@router.post("/nlp/train-ner", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["nlp"])
def nlp_train_ner(body: NerTrain, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Train a named-entity tagger on a one-row-per-token dataset as a job (report + saved model)."""
    workbench.datasets.get(body.dataset)
    tagger: dict[str, Any] = {"random_state": 0}
    if body.epochs:
        tagger["epochs"] = body.epochs
    params = {"dataset": body.dataset, "name": body.name or f"{body.dataset}-tagger", "test_size": body.test_size,
              "tagger": tagger, "sentence_column": body.sentence_column, "token_column": body.token_column,
              "tag_column": body.tag_column}
    job = workbench.jobs.submit("nlp.train_ner", params, created_by=principal.user)
    audit(workbench, principal, "nlp.train_ner", job["id"], dataset=body.dataset)
    return job


@router.post("/nlp/models/{name}/entities", response_model=list[list[EntityOut]], tags=["nlp"])
async def nlp_entities(name: str, body: PredictIn, request: Request, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Entities in each text with a saved tagger: the model's spans merged with money, percentage,
    date and ticker rules (character offsets; requests are micro-batched)."""
    cache = request.app.state.classifiers
    batcher = await asyncio.to_thread(cache.tagger_batcher, workbench, name)
    return await asyncio.gather(*(batcher.apredict(t) for t in body.texts))


@router.post("/reports/market", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["reports"])
def market_report(body: MarketReportIn, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Build a grounded market report (HTML + PDF) as a job."""
    return workbench.jobs.submit("report.market", body.model_dump(), created_by=principal.user)


@router.post("/reports/portfolio", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["reports"])
def portfolio_report(body: PortfolioReportIn, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Build a grounded portfolio report (HTML + PDF) as a job."""
    return workbench.jobs.submit("report.portfolio", body.model_dump(), created_by=principal.user)


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


@router.post("/compliance/audit-text", response_model=AuditTextsOut, tags=["compliance"])
def audit_texts_route(body: AuditTextsIn, principal: Viewer, workbench: WorkbenchDep) -> Any:
    """Check a batch of texts (up to 500, 2 million characters in all); personal data in the
    returned spans is masked."""
    from finloom.apps.compliance import audit_texts
    from finloom.apps.compliance._batch import summarise

    results = audit_texts(body.texts, body.ids, lang=body.lang)
    flagged = sum(bool(r.findings) for r in results)
    counts = summarise(results)
    audit(workbench, principal, "compliance.text_batch", f"{len(results)} texts", flagged=flagged, per_category=counts)
    return {"results": [r.to_dict() for r in results], "texts_with_findings": flagged, "per_category": counts}


@router.post("/compliance/trades", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED, tags=["compliance"])
def audit_trades_route(body: AuditTradesIn, principal: Analyst, workbench: WorkbenchDep) -> Any:
    """Audit a registered trade blotter against the trade rules as a job (findings.csv)."""
    workbench.datasets.get(body.dataset)
    params = {k: v for k, v in body.model_dump().items() if v not in (None, [])}
    job = workbench.jobs.submit("compliance.trades", params, created_by=principal.user)
    audit(workbench, principal, "compliance.trades", job["id"], dataset=body.dataset)
    return job
