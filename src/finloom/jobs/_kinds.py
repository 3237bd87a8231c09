"""The job kinds finloom knows: each maps to its job function and its typed parameters model."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from finloom.errors import ConfigError, did_you_mean
from finloom.jobs._context import JobContext
from finloom.jobs._files import discard_outputs, publish_outputs
from finloom.jobs._params import JobParams, parse_params

__all__ = ["JOB_KINDS", "JobFunction", "JobKind", "resolve_kind", "resolve_params"]

JobFunction = Callable[[JobContext], dict[str, Any]]


@dataclass(frozen=True)
class JobKind:
    """Import paths (``module:attr``) of a kind's function ``fn(ctx, params) -> dict`` and of its
    :class:`JobParams` model; paths, not objects, so that listing kinds imports no engine."""

    function: str
    params: str


JOB_KINDS: Mapping[str, JobKind] = MappingProxyType(
    {
        "demo.count": JobKind("finloom.jobs._builtin:count_job", "finloom.jobs._builtin:CountParams"),
        "dataset.profile": JobKind("finloom.jobs._builtin:profile_dataset_job", "finloom.jobs._builtin:ProfileParams"),
        "synth.fit": JobKind("finloom.apps.synthetic_data.service:fit_job", "finloom.apps.synthetic_data.schemas:SynthFitParams"),
        "synth.sample": JobKind("finloom.apps.synthetic_data.service:sample_job",
                                "finloom.apps.synthetic_data.schemas:SynthSampleParams"),
        "nlp.train": JobKind("finloom.apps.engine_jobs._text:nlp_train_job", "finloom.apps.engine_jobs.schemas:NlpTrainParams"),
        "nlp.train_ner": JobKind("finloom.apps.engine_jobs._text:nlp_train_ner_job",
                                 "finloom.apps.engine_jobs.schemas:NerTrainParams"),
        "report.market": JobKind("finloom.apps.engine_jobs._text:report_market_job",
                                 "finloom.apps.engine_jobs.schemas:MarketReportParams"),
        "report.portfolio": JobKind("finloom.apps.engine_jobs._text:report_portfolio_job",
                                    "finloom.apps.engine_jobs.schemas:PortfolioReportParams"),
        "compliance.trades": JobKind("finloom.apps.engine_jobs._text:compliance_trades_job",
                                     "finloom.apps.engine_jobs.schemas:TradeAuditParams"),
        "market.simulate": JobKind("finloom.apps.engine_jobs._market:market_simulate_job",
                                   "finloom.apps.engine_jobs.schemas:MarketSimulateParams"),
        "lab.run": JobKind("finloom.apps.engine_jobs._market:lab_run_job", "finloom.apps.engine_jobs.schemas:LabRunParams"),
        # the long CLI commands: files in the import folders, the commands' own options
        "market.fit": JobKind("finloom.apps.engine_jobs._imports:market_fit_job",
                              "finloom.apps.engine_jobs._imports:MarketFitParams"),
        "synth.report": JobKind("finloom.apps.engine_jobs._imports:synth_report_job",
                                "finloom.apps.engine_jobs._imports:SynthReportParams"),
        "nlp.train_file": JobKind("finloom.apps.engine_jobs._imports:nlp_train_file_job",
                                  "finloom.apps.engine_jobs._imports:TextTrainFileParams"),
        "nlp.train_ner_file": JobKind("finloom.apps.engine_jobs._imports:nlp_train_ner_file_job",
                                      "finloom.apps.engine_jobs._imports:NerTrainFileParams"),
        "chat.train_intents": JobKind("finloom.apps.engine_jobs._imports:chat_train_intents_job",
                                      "finloom.apps.engine_jobs._imports:IntentTrainParams"),
        "credit.fit": JobKind("finloom.apps.credit_review.service:fit_job",
                              "finloom.apps.credit_review.service:CreditFitParams"),
        "credit.score": JobKind("finloom.apps.credit_review.service:score_job",
                                "finloom.apps.credit_review.service:CreditScoreParams"),
        "credit.letters": JobKind("finloom.apps.engine_jobs._credit:credit_letters_job",
                                  "finloom.apps.engine_jobs._credit:CreditLettersParams"),
        "images.fit": JobKind("finloom.apps.image_synth.service:fit_job", "finloom.apps.image_synth.schemas:ImageFitParams"),
        "images.sample": JobKind("finloom.apps.image_synth.service:sample_job",
                                 "finloom.apps.image_synth.schemas:ImageSampleParams"),
        "recommendation.fit": JobKind("finloom.apps.recommendation.service:fit_job",
                                      "finloom.apps.recommendation.schemas:RecommendFitParams"),
        "marketing.campaign": JobKind("finloom.apps.marketing.service:campaign_job",
                                      "finloom.apps.marketing.schemas:CampaignParams"),
        "insights.run": JobKind("finloom.apps.insights.service:insights_job", "finloom.apps.insights.schemas:InsightsParams"),

        "documents.check": JobKind("finloom.apps.documents.service:check_job",
                                   "finloom.apps.documents.schemas:DocumentCheckParams"),
        "documents.generate": JobKind("finloom.apps.documents.service:generate_job",
                                      "finloom.apps.documents.schemas:DocumentGenerateParams"),
    }
)


def _entry(kind: str, kinds: Mapping[str, JobKind]) -> JobKind:
    entry = kinds.get(kind)
    if entry is None:
        raise ConfigError(f"job kind must be one of the known kinds; got {kind!r}.{did_you_mean(kind, kinds)}")
    return entry


def _import(target: str) -> Any:
    module_name, _, attr = target.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def resolve_params(kind: str, kinds: Mapping[str, JobKind] = JOB_KINDS) -> type[JobParams]:
    """The parameters model of ``kind``.

    Examples
    --------
    >>> resolve_params("demo.count").__name__
    'CountParams'
    >>> resolve_params("demo.cnt")
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: job kind must be one of the known kinds; got 'demo.cnt'. Did you mean 'demo.count'?
    """
    model: type[JobParams] = _import(_entry(kind, kinds).params)
    return model


class _TypedJob:
    """``fn(ctx)`` for the runner: parse the stored params, run, publish the outputs on success."""

    def __init__(self, function: Callable[[JobContext, Any], dict[str, Any]], model: type[JobParams]) -> None:
        self.function, self.model = function, model
        self.__name__ = function.__name__

    def __call__(self, ctx: JobContext) -> dict[str, Any]:
        try:
            result = self.function(ctx, parse_params(self.model, ctx.params))
        except BaseException:
            discard_outputs(ctx.workspace, ctx.job_id)
            raise
        publish_outputs(ctx.workspace, ctx.job_id)
        return result


def resolve_kind(kind: str, kinds: Mapping[str, JobKind] = JOB_KINDS) -> JobFunction:
    """The runnable job ``fn(ctx) -> dict`` of ``kind`` (its params parsed, its outputs published).

    Examples
    --------
    >>> resolve_kind("demo.count").__name__
    'count_job'
    """
    entry = _entry(kind, kinds)
    return _TypedJob(_import(entry.function), resolve_params(kind, kinds))
