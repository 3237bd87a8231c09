"""Typed parameters of the ``synth.fit`` and ``synth.sample`` job kinds (API bodies, web forms, jobs)."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Literal

from pydantic import Field

from finloom.errors import ConfigError, did_you_mean
from finloom.jobs import (
    DatasetName,
    InvalidParamsError,
    JobContext,
    JobParams,
    ModelName,
    Seed,
    Version,
)
from finloom.store._artifacts import check_name

__all__ = ["SynthFitParams", "SynthSampleParams"]

Key = Annotated[str, Field(min_length=1, max_length=200)]
Scalar = int | float | bool | str | None
ConfigValue = int | float | bool | str | list[int] | None


def _check_config(model: str, config: dict[str, ConfigValue]) -> None:
    """Every config key must be a field of the synthesizer's config class, with a valid value."""
    from finloom.synth.tabular import config_class_of

    cls = config_class_of(model)
    names = [f.name for f in dataclasses.fields(cls)]
    for key in config:
        if key not in names:
            raise InvalidParamsError(f"params must only hold fields of {cls.__name__} ({', '.join(names)}); got {key!r}."
                                     f"{did_you_mean(key, names)} Remove it; GET /api/synth/models lists them.")
    try:
        obj = cls(**config)
    except (TypeError, ValueError) as exc:
        raise InvalidParamsError(f"params must be valid {cls.__name__} fields; got {config!r}. {exc}") from None
    if model == "auto":  # a bad time budget or candidate list fails at submit, not minutes later
        try:
            obj.validate("auto")
        except ConfigError as exc:
            raise InvalidParamsError(exc.message) from None


def _check_constraints(constraints: list[dict[str, Scalar | list[Scalar] | list[list[Scalar]]]]) -> None:
    from finloom.synth.tabular._constraints import constraint_from_dict

    for i, item in enumerate(constraints):
        try:
            constraint_from_dict(dict(item))
        except ConfigError:
            raise
        except (TypeError, KeyError, ValueError) as exc:
            raise InvalidParamsError(f"constraints[{i}] must be a constraint's fields; got {item!r}. "
                                     f"Fix it ({type(exc).__name__}: {exc}).") from None


class SynthFitParams(JobParams):
    """``synth.fit``: fit a synthesizer on a dataset, sample a train-sized table, report, save the model.

    The model is saved last, with the report's headline figures as its metrics, so a job that
    dies leaves no model behind.
    """

    kind = "synth.fit"
    dataset: DatasetName
    version: Version = None
    model: Literal["auto", "copula", "gan", "vae", "diffusion", "ar"] = Field(
        default="auto", description="Synthesizer family (GET /api/synth/models); 'auto' (the default everywhere) "
                                    "fits the candidate families on a validation split of the training rows and "
                                    "keeps the best; its params are AutoConfig fields (time_budget, candidates).")
    params: dict[Annotated[str, Field(max_length=40)], ConfigValue] = Field(
        default_factory=dict, max_length=40, description="Config fields of the family, e.g. {\"epochs\": 50}.")
    constraints: list[dict[Key, Scalar | list[Scalar] | list[list[Scalar]]]] = Field(
        default_factory=list, max_length=50, description="Rules the synthetic rows must keep (Range, Inequality, ...).")
    name: str | None = Field(default=None, max_length=120, description="Model name (default '<dataset>-<model>').")
    seed: Seed = 0
    holdout_fraction: float = Field(default=0.3, ge=0.0, lt=1.0, description="Share of rows kept out for the privacy checks.")
    report: bool = Field(default=True, description="Write the quality report (fidelity, utility, privacy).")

    def check(self, ctx: JobContext) -> None:
        ctx.datasets().get(self.dataset, self.version)
        if self.name:
            check_name(self.name, "name")
        _check_config(self.model, self.params)
        _check_constraints(self.constraints)


class SynthSampleParams(JobParams):
    """``synth.sample``: rows from a saved synthesizer into ``sample.csv`` or ``sample.parquet``."""

    kind = "synth.sample"
    model: ModelName = Field(description="A saved synthesizer (GET /api/models).")
    version: Version = None
    rows: int = Field(default=1000, ge=1, le=50_000_000, description="Rows to sample.")
    conditions: dict[Key, Scalar | list[Scalar]] = Field(
        default_factory=dict, max_length=50, description="Column -> value (or [low, high]) the rows must have.")
    seed: Seed = 0
    format: Literal["csv", "parquet"] = Field(default="csv", description="File format of the sample.")
    register_as: str | None = Field(default=None, max_length=120, description="Also register the sample as this dataset.")

    def check(self, ctx: JobContext) -> None:
        ctx.artifacts().get(self.model, self.version)
        if self.register_as:
            check_name(self.register_as, "register_as")
