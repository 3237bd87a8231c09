"""Jobs for text models, reports and compliance audits."""

from __future__ import annotations

from typing import Any

from finloom.apps.engine_jobs.schemas import (
    MarketReportParams,
    NerTrainParams,
    NlpTrainParams,
    PortfolioReportParams,
    TradeAuditParams,
    resolve_encoder,
)
from finloom.data import write_csv
from finloom.jobs import JobContext
from finloom.store import ArtifactInfo

__all__ = ["compliance_trades_job", "nlp_train_job", "nlp_train_ner_job", "report_market_job", "report_portfolio_job"]


def _dataset_csv(ctx: JobContext, name: str, version: int | None, filename: str = "data.csv") -> str:
    """Export a registered dataset to a CSV in the job folder (engines read files)."""
    df, _ = ctx.datasets().load(name, version)
    path = ctx.output_dir() / filename
    write_csv(df, path, index=False, formula_guard=False)  # read back by engines, not by people
    return str(path)


def _model_options(ctx: JobContext, p: NlpTrainParams | NerTrainParams, **options: Any) -> dict[str, Any]:
    """TextClassifier / TokenTagger options from typed params (the encoder resolved to a folder;
    empty: the workspace's default encoder, ``ctx.encoder_path``)."""
    encoder = resolve_encoder(ctx, p.encoder) or ctx.encoder_path
    extra = {"epochs": p.epochs} if p.epochs else {}
    robust = {"augment": p.augment, "adversarial": p.adversarial, "normalize_text": p.normalize_text,
              # classifiers also correct typos against their training vocabulary (taggers keep words as written)
              "correct_spelling": p.normalize_text and isinstance(p, NlpTrainParams)}
    robust = {k: v for k, v in robust.items() if v}  # only the options asked for, so older params read alike
    return {**options, "random_state": p.seed, **extra, **robust, **({"encoder": encoder} if encoder else {})}


def nlp_train_job(ctx: JobContext, p: NlpTrainParams) -> dict[str, Any]:
    """Train a text classifier on a registered dataset and save it as a versioned model; with
    ``int8``, an ONNX Runtime int8 copy is registered too, as ``<name>-int8``."""
    from finloom.nlp import train_classifier_job

    name = p.name or f"{p.dataset}-classifier"
    params = {"data_path": _dataset_csv(ctx, p.dataset, p.version), "text_column": p.text_column,
              "label_column": p.label_column, "test_size": p.test_size, "name": name,
              "robustness": p.robustness, "classifier": _model_options(ctx, p, mode=p.mode)}
    share = 0.9 if p.int8 else 1.0  # the export takes the last tenth of the bar
    result = train_classifier_job(params, lambda f, m="": ctx.progress(share * f, m), ctx.output_dir())
    saved = _register(ctx, p.dataset, p.version, name, result, "TextClassifier",
                      "finloom.nlp._classifier:TextClassifier", f"text classifier on {p.dataset}")
    done = {"model": saved.name, "version": saved.version, "metrics": result["metrics"], "classes": result["classes"]}
    if p.int8:
        done["int8_model"] = _register_int8(ctx, saved, result["model_dir"])
    return done


def nlp_train_ner_job(ctx: JobContext, p: NerTrainParams) -> dict[str, Any]:
    """Train a named-entity tagger on a registered one-row-per-token dataset; save it as a model.

    The entity P/R/F1 report scores ``test_path`` (a file in the import folders) when given,
    else a ``test_size`` share of the sentences held out.
    """
    from finloom.nlp import train_tagger_job

    name = p.name or f"{p.dataset}-tagger"
    params = {"data_path": _dataset_csv(ctx, p.dataset, p.version), "name": name, "test_size": p.test_size,
              "test_path": str(ctx.resolve_import(p.test_path, "test_path")) if p.test_path else None,
              "sentence_column": p.sentence_column, "token_column": p.token_column, "tag_column": p.tag_column,
              "tagger": _model_options(ctx, p)}
    result = train_tagger_job(params, ctx.progress, ctx.output_dir())
    saved = _register(ctx, p.dataset, p.version, name, result, "TokenTagger", "finloom.nlp._tagger:TokenTagger",
                      f"entity tagger on {p.dataset}")
    return {"model": saved.name, "version": saved.version, "metrics": result["metrics"],
            "entity_types": result["entity_types"]}


def _register(ctx: JobContext, dataset: str, version: int | None, name: str, result: dict[str, Any], kind: str,
              class_path: str, description: str) -> ArtifactInfo:
    """Register a model trained on a dataset (lineage and licence from it); drop the exported CSV."""
    info = ctx.datasets().get(dataset, version)
    saved = ctx.artifacts().import_dir(
        name, result["model_dir"], kind=kind, class_path=class_path, metrics=result["metrics"],
        job_id=ctx.job_id, created_by=ctx.created_by,
        lineage={"dataset": dataset, "version": info.version, "content_hash": info.content_hash},
        licences=[info.licence] if info.licence else [], description=description,
    )
    (ctx.output_dir() / "data.csv").unlink(missing_ok=True)
    return saved


def _register_int8(ctx: JobContext, saved: ArtifactInfo, model_dir: str) -> str:
    """Export the trained classifier to ONNX Runtime int8 and register it as ``<name>-int8``."""
    from finloom.nlp._service import export_classifier_job

    ctx.progress(0.95, "exporting an int8 copy")
    onnx = export_classifier_job({"model_dir": model_dir, "int8": True}, out_dir=ctx.output_dir() / "onnx")
    copy = ctx.artifacts().import_dir(
        f"{saved.name}-int8", onnx["model_dir"], kind="OnnxClassifier",
        class_path="finloom.nlp._onnx:OnnxClassifier", metrics=saved.manifest.get("metrics"),
        job_id=ctx.job_id, created_by=ctx.created_by, lineage={"model": saved.name, "version": saved.version},
        licences=saved.manifest.get("licences"), description=f"ONNX Runtime int8 copy of {saved.name} v{saved.version}",
    )
    return str(copy.name)


def report_market_job(ctx: JobContext, p: MarketReportParams) -> dict[str, Any]:
    """Market report (HTML and PDF) for tickers over a period."""
    from finloom.apps.reports.service import build_market_report

    report = build_market_report(p.tickers, p.start, p.end, lang=p.lang, seed=p.seed,
                                 progress=lambda f, m="": ctx.progress(0.7 * f, m))
    return _write_both(ctx, report)


def report_portfolio_job(ctx: JobContext, p: PortfolioReportParams) -> dict[str, Any]:
    """Portfolio report (HTML and PDF) for weights {ticker: weight} over a period."""
    from finloom.apps.reports.service import build_portfolio_report

    report = build_portfolio_report(p.weights, p.start, p.end, lang=p.lang, seed=p.seed,
                                    progress=lambda f, m="": ctx.progress(0.7 * f, m))
    return _write_both(ctx, report)


def _write_both(ctx: JobContext, report: Any) -> dict[str, Any]:
    from finloom.apps.reports.service import write_report

    out = ctx.output_dir()
    write_report(report, out / "report.html")
    ctx.progress(0.8, "rendering PDF")
    write_report(report, out / "report.pdf")
    summary = report.to_dict()
    return {k: summary[k] for k in ("kind", "lang", "title", "narrative") if k in summary} | {
        "guard_ok": bool(report.guard.ok), "guard_score": float(report.guard.score),
        "narrative_source": str(report.narrative_source), "files": ["report.html", "report.pdf"]
    }


def compliance_trades_job(ctx: JobContext, p: TradeAuditParams) -> dict[str, Any]:
    """Audit a trade blotter (a registered dataset) against the trade rules; findings to CSV."""
    from finloom.apps.compliance import TradeAuditConfig, audit_trades
    from finloom.apps.compliance.service import write_findings

    default = TradeAuditConfig()  # an empty limit keeps the rule's default
    config = TradeAuditConfig(
        restricted_symbols=list(p.restricted_symbols),
        max_notional_per_trade=p.max_notional_per_trade or default.max_notional_per_trade,
        max_daily_notional_per_trader=p.max_daily_notional_per_trader or default.max_daily_notional_per_trader,
    )
    df, _ = ctx.datasets().load(p.dataset, p.version)
    rows = write_findings(audit_trades(df, config, progress=ctx.progress), ctx.output_dir())
    return {"count": len(rows), "findings": rows, "files": ["findings.csv"]}
