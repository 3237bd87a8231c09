"""Pages for text models, reports and compliance (forms start jobs; try-it and audits answer inline)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from finloom.errors import ConfigError, FinloomError
from finloom.services import compliance, parse_input
from finloom.services.explain import ExplainIn, explain_served
from finloom.web._choices import order_for
from finloom.web._deps import ServingDep, WorkbenchDep
from finloom.web._pages import User, form_params, start_job
from finloom.web._render import render

router = APIRouter(include_in_schema=False)
INSTRUMENTS = (("SP500", "S&P 500"), ("NASDAQ", "NASDAQ"), ("WTI", "WTI crude"), ("VIX", "VIX"))


def _nlp_page(request: Request, workbench: Any, problems: list[str] | None = None) -> HTMLResponse:
    artifacts = workbench.artifacts.list()
    classifiers = sorted({a.name for a in artifacts if a.kind in ("TextClassifier", "OnnxClassifier")})
    taggers = sorted({a.name for a in artifacts if a.kind == "TokenTagger"})
    datasets = [d.to_dict() for d in workbench.datasets.list()]
    return render(request, "nlp.html", status_code=422 if problems else 200, datasets=order_for(datasets, "classifier"),
                  token_datasets=sorted(datasets, key=lambda d: not _looks_like_tokens(d)),
                  classifiers=classifiers, taggers=taggers, problems=problems)


def _looks_like_tokens(dataset: dict[str, Any]) -> bool:
    """Whether a table has sentence and tag columns (so the tagger form offers it first)."""
    from finloom.nlp._readers import SENTENCE_COLUMNS, TAG_COLUMNS

    names = {c.get("name") for c in (dataset.get("metadata") or {}).get("columns", [])}
    return bool(names & set(SENTENCE_COLUMNS)) and bool(names & set(TAG_COLUMNS))


@router.get("/nlp", response_class=HTMLResponse)
def nlp_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _nlp_page(request, workbench)


@router.post("/nlp/train", response_model=None)
async def nlp_train(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()

    def params() -> dict[str, Any]:  # parsed into NlpTrainParams by the job service
        return {**form_params(form, "dataset", "text_column", "label_column", "mode", "augment", "adversarial"),
                **{k: form.get(k) == "1" for k in ("int8", "normalize_text", "robustness")}}

    return start_job(workbench, principal, "nlp.train", params, lambda problems: _nlp_page(request, workbench, problems))


@router.post("/nlp/train-ner", response_model=None)
async def nlp_train_ner(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    fields = ("dataset", "epochs", "sentence_column", "token_column", "tag_column", "augment", "adversarial")

    def params() -> dict[str, Any]:  # parsed into NerTrainParams by the job service
        return {**form_params(form, *fields), "normalize_text": form.get("normalize_text") == "1"}

    return start_job(workbench, principal, "nlp.train_ner", params, lambda problems: _nlp_page(request, workbench, problems))


@router.post("/nlp/entities", response_class=HTMLResponse)
async def nlp_entities(request: Request, principal: User, workbench: WorkbenchDep, serving: ServingDep) -> HTMLResponse:
    form = await request.form()
    text = str(form.get("text", "")).strip()[:20_000]
    try:
        if not text:
            raise ConfigError("text must not be empty; type a sentence to tag.")
        batcher = await asyncio.to_thread(serving.tagger_batcher, workbench, str(form.get("model", "")))
        spans = await batcher.apredict(text)
    except FinloomError as exc:
        return render(request, "partials/entities.html", error=exc.message)
    pieces, pos = [], 0  # plain text and entity pieces in order, for highlighting
    for s in spans:
        pieces += [(text[pos:s["start"]], None), (s["text"], s["label"])]
        pos = s["end"]
    pieces.append((text[pos:], None))
    return render(request, "partials/entities.html", pieces=pieces, spans=spans)


@router.post("/nlp/try", response_class=HTMLResponse)
async def nlp_try(request: Request, principal: User, workbench: WorkbenchDep, serving: ServingDep) -> HTMLResponse:
    form = await request.form()
    text = str(form.get("text", "")).strip()
    try:
        if not text:
            raise ConfigError("text must not be empty; type a sentence to classify.")
        batcher = await asyncio.to_thread(serving.batcher, workbench, str(form.get("model", "")))
        result = await batcher.apredict(text[:20_000])
    except FinloomError as exc:
        return render(request, "partials/predictions.html", error=exc.message)
    ranked = sorted(result["scores"].items(), key=lambda kv: -kv[1])[:5]
    return render(request, "partials/predictions.html", ranked=ranked)


def _highlight(text: str, words: list[Any]) -> list[tuple[str, float | None, str]]:
    """Text pieces in order with each word's score and its inline colour: blue pushes the label
    up, orange pulls it down (colour-blind safe), the stronger the larger the score."""
    top = max((abs(w.score) for w in words), default=0.0) or 1.0
    pieces: list[tuple[str, float | None, str]] = []
    pos = 0
    for w in words:
        pieces.append((text[pos:w.start], None, ""))
        alpha = round(0.12 + 0.68 * abs(w.score) / top, 2)
        rgb = "37,99,235" if w.score >= 0 else "234,88,12"
        pieces.append((w.word, w.score, f"background:rgba({rgb},{alpha})"))
        pos = w.end
    pieces.append((text[pos:], None, ""))
    return pieces


@router.post("/nlp/explain", response_class=HTMLResponse)
async def nlp_explain(request: Request, principal: User, workbench: WorkbenchDep, serving: ServingDep) -> HTMLResponse:
    form = await request.form()
    try:
        body = parse_input(ExplainIn, {"text": str(form.get("text", "")).strip(),
                                       "method": str(form.get("method") or "auto")})
        out = await asyncio.to_thread(explain_served, workbench, serving, str(form.get("model", "")), body)
    except FinloomError as exc:
        return render(request, "partials/explanation.html", error=exc.message)
    ranked = sorted(out.words, key=lambda w: -abs(w.score))[:10]
    return render(request, "partials/explanation.html", out=out, pieces=_highlight(body.text, out.words),
                  ranked=ranked)


def _reports_page(request: Request, problems: list[str] | None = None) -> HTMLResponse:
    return render(request, "reports.html", status_code=422 if problems else 200, instruments=INSTRUMENTS, problems=problems)


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, principal: User) -> HTMLResponse:
    return _reports_page(request)


@router.post("/reports/market", response_model=None)
async def reports_market(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()

    def params() -> dict[str, Any]:  # parsed into MarketReportParams by the job service
        return {**form_params(form, "start", "end", "lang"), "tickers": [str(v) for v in form.getlist("tickers")]}

    return start_job(workbench, principal, "report.market", params, lambda problems: _reports_page(request, problems))


def _compliance_page(request: Request, workbench: Any, problems: list[str] | None = None) -> HTMLResponse:
    datasets = order_for([d.to_dict() for d in workbench.datasets.list()], "trades")
    return render(request, "compliance.html", status_code=422 if problems else 200, datasets=datasets, problems=problems)


@router.get("/compliance", response_class=HTMLResponse)
def compliance_page(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    return _compliance_page(request, workbench)


@router.post("/compliance/text", response_class=HTMLResponse)
async def compliance_text(request: Request, principal: User, workbench: WorkbenchDep) -> HTMLResponse:
    form = await request.form()
    try:
        text = str(form.get("text", ""))
        if not text.strip():
            raise ConfigError("text must not be empty; paste the text to check.")
        body = parse_input(compliance.AuditTextIn, {"text": text[:100_000]})
        out = compliance.check_text(workbench, principal.user, body).model_dump()
    except FinloomError as exc:
        return render(request, "partials/findings.html", error=exc.message)
    return render(request, "partials/findings.html", findings=out["findings"], masked=out["masked_text"])


@router.post("/compliance/trades", response_model=None)
async def compliance_trades(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()

    def params() -> dict[str, Any]:  # parsed into TradeAuditParams by the job service
        restricted = [s.strip().upper() for s in str(form.get("restricted", "")).split(",") if s.strip()]
        return {**form_params(form, "dataset"), "restricted_symbols": restricted}

    return start_job(workbench, principal, "compliance.trades", params, lambda problems: _compliance_page(request, workbench, problems))
