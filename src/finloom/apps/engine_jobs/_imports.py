"""Job kinds that read files from the import folders: what the long CLI commands submit.

``market.fit``, ``synth.report``, ``nlp.train_file``, ``nlp.train_ner_file`` and
``chat.train_intents`` take the same options as their commands; every file they name must lie
inside ``<workspace>/imports`` or a ``FINLOOM_IMPORT_ROOTS`` folder (the CLI copies a local
file there first), so the API can submit them too without reaching any other path.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field

from finloom.apps.engine_jobs.schemas import (
    Adversarial,
    Augment,
    Encoder,
    NormalizeText,
    Simulator,
    resolve_encoder,
)
from finloom.jobs import JobContext, JobParams, Seed

__all__ = [
    "IntentTrainParams",
    "MarketFitParams",
    "NerTrainFileParams",
    "SynthReportParams",
    "TextTrainFileParams",
    "chat_train_intents_job",
    "market_fit_job",
    "nlp_train_file_job",
    "nlp_train_ner_file_job",
    "synth_report_job",
]

ImportPath = Annotated[str, Field(
    min_length=1, max_length=500,
    description="A file inside the workspace's imports folder (relative to it) or a FINLOOM_IMPORT_ROOTS folder.")]
Column = Annotated[str | None, Field(default=None, max_length=200)]
Sep = Annotated[str | None, Field(default=None, max_length=5, description="Column separator (sniffed when empty).")]
TextEncoding = Annotated[str | None, Field(default=None, max_length=40, description="Text encoding (detected when empty).")]
Mapping_ = Annotated[dict[Annotated[str, Field(max_length=200)], Annotated[str, Field(max_length=200)]] | None,
                     Field(default=None, max_length=1000)]
Scalar = int | float | bool | str | None


def _resolve(ctx: JobContext, value: str | None, field: str) -> str | None:
    return None if value is None else str(ctx.resolve_import(value, field))


def _relative(result: dict[str, Any], root: Path) -> dict[str, Any]:
    """The job's result with paths inside its output folder written relative to it (the folder is
    renamed when the job succeeds, and a server path is nobody's business)."""
    def fix(value: Any) -> Any:
        if isinstance(value, str) and value.startswith(str(root)):
            return str(Path(value).relative_to(root))
        return value

    return {k: fix(v) for k, v in result.items()}


class MarketFitParams(JobParams):
    """``market.fit``: fit a price simulator and save it as the job's ``model`` folder."""

    kind = "market.fit"
    data: str = Field(default="sp500", min_length=1, max_length=500,
                      description="'sp500' (any case) or a CSV of prices, date column first, in the imports folder.")
    model: Simulator = Field(default="fhs", description="fhs (filtered historical simulation) is the default "
                                                         "and the best on the stylized facts.")
    model_params: dict[Annotated[str, Field(max_length=40)], Scalar] = Field(
        default_factory=dict, max_length=40, description="Simulator parameters, e.g. {\"block\": 20}.")
    start: dt.date | None = Field(default=None, description="First date to use (YYYY-MM-DD).")
    end: dt.date | None = Field(default=None, description="Last date to use (YYYY-MM-DD).")

    def check(self, ctx: JobContext) -> None:
        if self.data.lower() != "sp500":
            ctx.resolve_import(self.data, "data")


class SynthReportParams(JobParams):
    """``synth.report``: fidelity, detection, utility and privacy of a synthetic table vs the real one."""

    kind = "synth.report"
    real_path: ImportPath
    synthetic_path: ImportPath
    holdout_path: ImportPath | None = None
    target: Column = None
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        for name in ("real_path", "synthetic_path", "holdout_path"):
            _resolve(ctx, getattr(self, name), name)


class TextTrainFileParams(JobParams):
    """``nlp.train_file``: a text classifier trained on a labelled file; model, card and report."""

    kind = "nlp.train_file"
    data_path: ImportPath
    text_column: str = Field(default="text", min_length=1, max_length=200)
    label_column: str = Field(default="label", min_length=1, max_length=200)
    label_map: Mapping_ = None
    sep: Sep = None
    header: bool = True
    encoding: TextEncoding = None
    test_size: float = Field(default=0.2, ge=0.0, lt=0.9, description="Share held out for the report (0 = none).")
    mode: Literal["frozen", "finetune", "contrastive"] = "frozen"
    encoder: Encoder = None
    epochs: int = Field(default=4, ge=1, le=100)
    max_length: int = Field(default=128, ge=8, le=4096)
    augment: Augment = 0
    adversarial: Adversarial = None
    normalize_text: NormalizeText = False
    robustness: bool = Field(default=False, description="Score the held-out split under perturbations.")
    seed: Seed = 0
    name: str = Field(default="text-classifier", min_length=1, max_length=120, description="Name on the model card.")

    def check(self, ctx: JobContext) -> None:
        ctx.resolve_import(self.data_path, "data_path")
        resolve_encoder(ctx, self.encoder)


class NerTrainFileParams(JobParams):
    """``nlp.train_ner_file``: an entity tagger trained on a tagged file (CoNLL, JSONL or a token table)."""

    kind = "nlp.train_ner_file"
    data_path: ImportPath
    valid_path: ImportPath | None = None
    test_path: ImportPath | None = None
    test_size: float = Field(default=0.0, ge=0.0, lt=0.9)
    token_column: Column = None
    tag_column: Column = None
    sentence_column: Column = None
    group_columns: list[Annotated[str, Field(max_length=200)]] | None = Field(default=None, max_length=20)
    tag_map: Mapping_ = None
    sep: Sep = None
    header: bool = True
    encoding: TextEncoding = None
    encoder: Encoder = None
    epochs: int = Field(default=5, ge=1, le=100)
    learning_rate: float = Field(default=1e-4, gt=0, le=1)
    scheme: Literal["auto", "bio", "io"] = "auto"
    augment: Augment = 0
    adversarial: Adversarial = None
    normalize_text: NormalizeText = False
    seed: Seed = 0
    name: str = Field(default="token-tagger", min_length=1, max_length=120, description="Name on the model card.")

    def check(self, ctx: JobContext) -> None:
        for name in ("data_path", "valid_path", "test_path"):
            _resolve(ctx, getattr(self, name), name)
        resolve_encoder(ctx, self.encoder)


class IntentTrainParams(JobParams):
    """``chat.train_intents``: an intent classifier with out-of-scope detection for the assistant."""

    kind = "chat.train_intents"
    data_path: ImportPath
    encoder: str = Field(default="minilm", min_length=1, max_length=500,
                         description="'hashing' (no torch), 'minilm' (bundled) or a model folder in the imports folder.")
    tune_epochs: int = Field(default=0, ge=0, le=50, description="Tune the encoder first for this many epochs.")
    tune_objective: Literal["contrastive", "classification"] = "contrastive"
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        ctx.resolve_import(self.data_path, "data_path")
        if self.encoder not in ("hashing", "minilm"):
            resolve_encoder(ctx, self.encoder)


def market_fit_job(ctx: JobContext, p: MarketFitParams) -> dict[str, Any]:
    """Fit the simulator on the prices and save it in the job's ``model`` folder."""
    from finloom.synth.market._service import fit_and_save

    data = p.data if p.data.lower() == "sp500" else str(ctx.resolve_import(p.data, "data"))
    params = {"model": p.model, "model_params": dict(p.model_params), "data": data,
              "start": p.start.isoformat() if p.start else None, "end": p.end.isoformat() if p.end else None}
    out = ctx.output_dir()
    return _relative(fit_and_save(params, ctx.progress, out), out)


def synth_report_job(ctx: JobContext, p: SynthReportParams) -> dict[str, Any]:
    """Write ``report.json`` and ``report.html`` comparing the synthetic table with the real one."""
    from finloom.evaluate import run_quality_report

    params: dict[str, Any] = {"real_path": _resolve(ctx, p.real_path, "real_path"),
                              "synthetic_path": _resolve(ctx, p.synthetic_path, "synthetic_path"), "seed": p.seed}
    if p.holdout_path:
        params["holdout_path"] = _resolve(ctx, p.holdout_path, "holdout_path")
    if p.target:
        params["target"] = p.target
    out = ctx.output_dir()
    return _relative(run_quality_report(params, ctx.progress, out), out)


def _robust_options(p: TextTrainFileParams | NerTrainFileParams) -> dict[str, Any]:
    """The robust-training options asked for (none: the model's parameters stay as before)."""
    options = {"augment": p.augment, "adversarial": p.adversarial, "normalize_text": p.normalize_text,
               # classifiers also correct typos against their training vocabulary (taggers keep words as written)
               "correct_spelling": p.normalize_text and isinstance(p, TextTrainFileParams)}
    return {k: v for k, v in options.items() if v}


def nlp_train_file_job(ctx: JobContext, p: TextTrainFileParams) -> dict[str, Any]:
    """Train a text classifier on the file; the job's files: ``model/`` (with its card) and ``report/``."""
    from finloom.nlp import train_classifier_job

    encoder = resolve_encoder(ctx, p.encoder) or ctx.encoder_path
    params = {"data_path": _resolve(ctx, p.data_path, "data_path"), "text_column": p.text_column,
              "label_column": p.label_column, "label_map": p.label_map, "sep": p.sep, "header": p.header,
              "encoding": p.encoding, "test_size": p.test_size, "name": p.name, "robustness": p.robustness,
              "classifier": {"mode": p.mode, "encoder": encoder, "epochs": p.epochs, "max_length": p.max_length,
                             "random_state": p.seed, **_robust_options(p)}}
    out = ctx.output_dir()
    return _relative(train_classifier_job(params, ctx.progress, out), out)


def nlp_train_ner_file_job(ctx: JobContext, p: NerTrainFileParams) -> dict[str, Any]:
    """Train an entity tagger on the file; the job's files: ``model/`` (with its card) and the reports."""
    from finloom.nlp import train_tagger_job

    encoder = resolve_encoder(ctx, p.encoder) or ctx.encoder_path
    params = {"data_path": _resolve(ctx, p.data_path, "data_path"),
              "valid_path": _resolve(ctx, p.valid_path, "valid_path"),
              "test_path": _resolve(ctx, p.test_path, "test_path"), "test_size": p.test_size, "name": p.name,
              "sep": p.sep, "header": p.header, "encoding": p.encoding, "token_column": p.token_column,
              "tag_column": p.tag_column, "sentence_column": p.sentence_column, "group_columns": p.group_columns,
              "tag_map": p.tag_map,
              "tagger": {"encoder": encoder, "epochs": p.epochs, "learning_rate": p.learning_rate,
                         "scheme": p.scheme, "random_state": p.seed, **_robust_options(p)}}
    out = ctx.output_dir()
    return _relative(train_tagger_job(params, ctx.progress, out), out)


def chat_train_intents_job(ctx: JobContext, p: IntentTrainParams) -> dict[str, Any]:
    """Train the intent classifier; the job's files: the ``intent_classifier`` folder."""
    from finloom.apps.customer_service import fit_intent_classifier

    encoder = p.encoder if p.encoder in ("hashing", "minilm") else resolve_encoder(ctx, p.encoder)
    params = {"train_csv": _resolve(ctx, p.data_path, "data_path"), "encoder": encoder,
              "tune_epochs": p.tune_epochs, "tune_objective": p.tune_objective, "random_state": p.seed}
    out = ctx.output_dir()
    return _relative(fit_intent_classifier(params, ctx.progress, out), out)
