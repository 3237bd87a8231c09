"""Jobs for text models, reports and compliance audits."""

from __future__ import annotations

from typing import Any

from finloom.data import write_csv
from finloom.errors import ConfigError
from finloom.jobs import JobContext
from finloom.store import ArtifactInfo

__all__ = ["compliance_trades_job", "nlp_train_job", "nlp_train_ner_job", "report_market_job", "report_portfolio_job"]


def _dataset_csv(ctx: JobContext, name: str, filename: str = "data.csv") -> str:
    """Export a registered dataset to a CSV in the job folder (engines read files)."""
    df, _ = ctx.datasets().load(name, ctx.params.get("version"))
    path = ctx.output_dir() / filename
    write_csv(df, path, index=False, formula_guard=False)  # read back by engines, not by people
    return str(path)


def nlp_train_job(ctx: JobContext) -> dict[str, Any]:
    """Train a text classifier on a registered dataset and save it as a versioned model.

    ``params``: dataset, text_column ('text'), label_column ('label'), name, classifier (dict of
    TextClassifier options, e.g. {"mode": "frozen"}), test_size (0.2), export_int8 (False: when
    true, an ONNX Runtime int8 copy is registered too, as ``<name>-int8``).
    """
    from finloom.nlp import train_classifier_job

    p = dict(ctx.params)
    export_int8 = bool(p.pop("export_int8", False))
    dataset = str(p.pop("dataset", "") or "")
    if not dataset:
        raise ConfigError("params['dataset'] must name a registered dataset of labelled texts; got nothing.")
    p.pop("version", None)
    name = str(p.get("name") or f"{dataset}-classifier")
    p["name"] = name
    p["data_path"] = _dataset_csv(ctx, dataset)
    out = ctx.output_dir()
    share = 0.9 if export_int8 else 1.0  # the export takes the last tenth of the bar
    result = train_classifier_job(p, lambda f, m="": ctx.progress(share * f, m), out)
    saved = _register(ctx, dataset, name, result, "TextClassifier", "finloom.nlp._classifier:TextClassifier",
                      f"text classifier on {dataset}")
    done = {"model": saved.name, "version": saved.version, "metrics": result["metrics"], "classes": result["classes"]}
    if export_int8:
        done["int8_model"] = _register_int8(ctx, saved, result["model_dir"])
    return done


def nlp_train_ner_job(ctx: JobContext) -> dict[str, Any]:
    """Train a named-entity tagger on a registered one-row-per-token dataset; save it as a model.

    ``params``: dataset, sentence_column / token_column / tag_column (found among common
    spellings when not given), name, tagger (dict of TokenTagger options, e.g. {"epochs": 5}),
    test_size (0.2: the share of sentences held out for the entity P/R/F1 report).
    """
    from finloom.nlp import train_tagger_job

    p = dict(ctx.params)
    dataset = str(p.pop("dataset", "") or "")
    if not dataset:
        raise ConfigError("params['dataset'] must name a registered dataset of tagged tokens; got nothing.")
    p.pop("version", None)
    p.setdefault("test_size", 0.2)
    name = str(p.get("name") or f"{dataset}-tagger")
    p["name"] = name
    p["data_path"] = _dataset_csv(ctx, dataset)
    result = train_tagger_job(p, ctx.progress, ctx.output_dir())
    saved = _register(ctx, dataset, name, result, "TokenTagger", "finloom.nlp._tagger:TokenTagger",
                      f"entity tagger on {dataset}")
    return {"model": saved.name, "version": saved.version, "metrics": result["metrics"],
            "entity_types": result["entity_types"]}


def _register(ctx: JobContext, dataset: str, name: str, result: dict[str, Any], kind: str, class_path: str,
              description: str) -> ArtifactInfo:
    """Register a model trained on a dataset (lineage and licence from it); drop the exported CSV."""
    info = ctx.datasets().get(dataset)
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


def report_market_job(ctx: JobContext) -> dict[str, Any]:
    """Market report (HTML and PDF) for tickers over a period: ``params`` tickers, start, end, lang."""
    from finloom.apps.reports.service import build_market_report

    p = ctx.params
    report = build_market_report(
        p.get("tickers"), p.get("start"), p.get("end"), lang=str(p.get("lang", "en")), seed=int(p.get("seed", 0)),
        progress=lambda f, m="": ctx.progress(0.7 * f, m),
    )
    return _write_both(ctx, report)


def report_portfolio_job(ctx: JobContext) -> dict[str, Any]:
    """Portfolio report (HTML and PDF): ``params`` weights {ticker: weight}, start, end, lang."""
    from finloom.apps.reports.service import build_portfolio_report

    p = ctx.params
    weights = p.get("weights")
    if not isinstance(weights, dict) or not weights:
        raise ConfigError(f"weights must be a mapping of ticker to weight; got {weights!r}.")
    report = build_portfolio_report(
        weights, p.get("start"), p.get("end"), lang=str(p.get("lang", "en")), seed=int(p.get("seed", 0)),
        progress=lambda f, m="": ctx.progress(0.7 * f, m),
    )
    return _write_both(ctx, report)


def _write_both(ctx: JobContext, report: Any) -> dict[str, Any]:
    from finloom.apps.reports.service import write_report

    out = ctx.output_dir()
    write_report(report, out / "report.html")
    ctx.progress(0.8, "rendering PDF")
    write_report(report, out / "report.pdf")
    summary = report.to_dict()
    return {k: summary[k] for k in ("kind", "lang", "title", "narrative") if k in summary} | {
        "guard_ok": bool(report.guard.ok), "files": ["report.html", "report.pdf"]
    }


def compliance_trades_job(ctx: JobContext) -> dict[str, Any]:
    """Audit a trade blotter (a registered dataset) against the trade rules; findings to CSV."""
    from finloom.apps.compliance.service import audit_trades_job

    p = dict(ctx.params)
    dataset = str(p.pop("dataset", "") or "")
    if not dataset:
        raise ConfigError("params['dataset'] must name a registered trade blotter; got nothing.")
    p.pop("version", None)
    p["csv_path"] = _dataset_csv(ctx, dataset, "trades.csv")
    result = audit_trades_job(p, ctx.progress, ctx.output_dir())
    (ctx.output_dir() / "trades.csv").unlink(missing_ok=True)
    return result
