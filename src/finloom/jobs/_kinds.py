"""The job kinds finloom knows: a kind name maps to the import path of its job function."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from finloom.errors import ConfigError, did_you_mean
from finloom.jobs._context import JobContext

__all__ = ["JOB_KINDS", "JobFunction", "resolve_kind"]

JobFunction = Callable[[JobContext], dict[str, Any]]

# Import paths, not functions, so that listing kinds imports no engine.
JOB_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "demo.count": "finloom.jobs._builtin:count_job",
        "dataset.profile": "finloom.jobs._builtin:profile_dataset_job",
        "synth.fit": "finloom.apps.synthetic_data.service:fit_job",
        "synth.sample": "finloom.apps.synthetic_data.service:sample_job",
        "nlp.train": "finloom.apps.engine_jobs._text:nlp_train_job",
        "nlp.train_ner": "finloom.apps.engine_jobs._text:nlp_train_ner_job",
        "report.market": "finloom.apps.engine_jobs._text:report_market_job",
        "report.portfolio": "finloom.apps.engine_jobs._text:report_portfolio_job",
        "compliance.trades": "finloom.apps.engine_jobs._text:compliance_trades_job",
        "market.simulate": "finloom.apps.engine_jobs._market:market_simulate_job",
        "lab.run": "finloom.apps.engine_jobs._market:lab_run_job",
    }
)


def resolve_kind(kind: str, kinds: Mapping[str, str] = JOB_KINDS) -> JobFunction:
    """Import and return the job function for ``kind``.

    Examples
    --------
    >>> resolve_kind("demo.count").__name__
    'count_job'
    >>> resolve_kind("demo.cnt")
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: job kind must be one of the known kinds; got 'demo.cnt'. Did you mean 'demo.count'?
    """
    target = kinds.get(kind)
    if target is None:
        raise ConfigError(f"job kind must be one of the known kinds; got {kind!r}.{did_you_mean(kind, kinds)}")
    module_name, _, attr = target.partition(":")
    fn: JobFunction = getattr(importlib.import_module(module_name), attr)
    return fn
