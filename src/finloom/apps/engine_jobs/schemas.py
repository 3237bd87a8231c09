"""Typed parameters of the text, report, compliance and market job kinds.

The same models are the request bodies of the area routes, the target of the web forms and
what ``POST /api/jobs`` validates ``params`` against; :meth:`check` verifies what they name.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator

from finloom.apps.reports._data import FIRST_DAY, LAST_DAY
from finloom.errors import NotFoundError
from finloom.jobs import (
    DatasetName,
    InvalidParamsError,
    JobContext,
    JobParams,
    Seed,
    Version,
    inside_roots,
)
from finloom.store._artifacts import check_name

__all__ = [
    "Adversarial",
    "Augment",
    "LabRunParams",
    "NormalizeText",
    "MarketReportParams",
    "MarketSimulateParams",
    "NerTrainParams",
    "NlpTrainParams",
    "PortfolioReportParams",
    "TradeAuditParams",
    "resolve_encoder",
]

Lang = Literal["en", "zh"]
def _simulator_name(value: object) -> object:
    """'hybrid', the web form's former name of filtered historical simulation, is read as 'fhs'."""
    return "fhs" if value == "hybrid" else value


# fhs (filtered historical simulation) is the default, the best on the stylized facts; the names are
# those of 'finloom market fit --model'
Simulator = Annotated[Literal["fhs", "garch", "bootstrap", "ddpm", "quantgan"], BeforeValidator(_simulator_name)]
Ticker = Annotated[str, Field(min_length=1, max_length=40)]
Column = Annotated[str | None, Field(max_length=200)]
ModelOut = Annotated[str | None, Field(max_length=120, description="Name to register the model under.")]
Encoder = Annotated[str | None, Field(
    max_length=500,
    description="Text encoder: empty for the default, a registered model, or a model folder inside the "
                "workspace's imports folder (or a FINLOOM_IMPORT_ROOTS folder).",
)]
Augment = Annotated[int, Field(ge=0, le=5, description="Perturbed copies of each training text (typos, case, "
                               "emoji, punctuation, synonyms, number and entity swaps); 0 = none.")]
Adversarial = Annotated[Literal["fgm", "pgd"] | None, Field(
    description="Embedding-space adversarial training: 'fgm' (one step) or 'pgd' (three); empty = none.")]
NormalizeText = Annotated[bool, Field(description="Normalise input (full-width -> half-width, traditional -> "
                                                  "simplified, emoji, whitespace; classifiers also correct typos "
                                                  "against the training vocabulary) in training and prediction.")]
Start = Annotated[dt.date | None, Field(description="First day, YYYY-MM-DD (empty: the data's start).")]
End = Annotated[dt.date | None, Field(description="Last day, YYYY-MM-DD (empty: the data's end).")]
_WEIGHTS = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json")


def _is_model_folder(path: Path) -> bool:
    """A Hugging Face model: weights and a config naming its ``model_type`` (finloom's own
    ``config.json`` files, which name a ``kind``, are not encoders)."""
    try:
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(config, dict) and "model_type" in config and any((path / n).is_file() for n in _WEIGHTS)


def _registered_encoder(ctx: JobContext, name: str, field: str) -> Path | None:
    """The encoder inside registered model ``name`` (None when no model has that name)."""
    try:
        info = ctx.artifacts().get(name)
    except NotFoundError:
        return None
    for folder in (info.model_path / "encoder", info.model_path):
        if _is_model_folder(folder):
            return folder
    raise InvalidParamsError(f"{field} must be a model holding a text encoder; got {name!r}, a {info.kind}. "
                             "Pick a text classifier, a tagger, or a model folder in the imports folder.")


def resolve_encoder(ctx: JobContext, value: str | None, field: str = "encoder") -> str | None:
    """The encoder folder ``value`` names (None: the default encoder), or a templated error.

    ``value`` is a registered model's name or a folder inside the import roots; messages never
    show a server path or what a folder holds.

    Examples
    --------
    >>> ctx = JobContext("j", {}, Path("/srv/ws"))
    >>> resolve_encoder(ctx, None) is None
    True
    >>> resolve_encoder(ctx, "/etc")
    Traceback (most recent call last):
    ...
    finloom.jobs._params.InvalidParamsError: encoder must be a registered model or a model folder inside the workspace's imports folder or a FINLOOM_IMPORT_ROOTS folder; got '/etc'. Leave it empty for the default encoder, or copy the model folder into the imports folder and pass its path relative to it.
    """
    if value is None or not value.strip():
        return None
    if "/" not in value and "\\" not in value and not value.startswith("."):
        found = _registered_encoder(ctx, value, field)
        if found is not None:
            return str(found)
    path = inside_roots(value, ctx.import_roots)
    if path is None:
        raise InvalidParamsError(
            f"{field} must be a registered model or a model folder inside the workspace's imports folder or a "
            f"FINLOOM_IMPORT_ROOTS folder; got {value!r}. Leave it empty for the default encoder, or copy the "
            "model folder into the imports folder and pass its path relative to it."
        )
    if not _is_model_folder(path):
        raise InvalidParamsError(
            f"{field} must be a folder holding a Hugging Face model (config.json and model weights); got {value!r}. "
            "Copy the complete model folder into the imports folder."
        )
    return str(path)


def _default_grid() -> list[dict[str, int | float]]:
    return [{"fast": 20, "slow": 100}]


def _check_name(name: str | None, what: str) -> None:
    if name:
        check_name(name, what)


class NlpTrainParams(JobParams):
    """``nlp.train``: a text classifier trained on a registered dataset of labelled texts."""

    kind = "nlp.train"
    dataset: DatasetName
    version: Version = None
    text_column: str = Field(default="text", min_length=1, max_length=200, description="Column holding the texts.")
    label_column: str = Field(default="label", min_length=1, max_length=200, description="Column holding the labels.")
    name: ModelOut = None
    mode: Literal["frozen", "finetune"] = Field(
        default="frozen", description="frozen: the encoder stays fixed (fast); finetune: it is trained too.")
    epochs: int | None = Field(default=None, ge=1, le=100, description="Training epochs (empty: the default).")
    test_size: float = Field(default=0.2, gt=0.0, lt=0.9, description="Share of the rows held out for the report.")
    int8: bool = Field(default=False, description="Also register an ONNX Runtime int8 copy, '<name>-int8', "
                       "about 3x faster to serve on a CPU.")
    encoder: Encoder = None
    augment: Augment = 0
    adversarial: Adversarial = None
    normalize_text: NormalizeText = False
    robustness: bool = Field(default=False, description="Score the held-out split under perturbations (and, "
                             "with robust training, a plain model for comparison).")
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        ctx.datasets().get(self.dataset, self.version)
        _check_name(self.name, "name")
        resolve_encoder(ctx, self.encoder)


class NerTrainParams(JobParams):
    """``nlp.train_ner``: a named-entity tagger trained on a one-row-per-token dataset."""

    kind = "nlp.train_ner"
    dataset: DatasetName = Field(description="A registered table with one row per token.")
    version: Version = None
    sentence_column: Column = Field(default=None, description="Found among common names when not given.")
    token_column: Column = None
    tag_column: Column = Field(default=None, description="BIO or IO tags; found among common names when not given.")
    name: ModelOut = None
    epochs: int | None = Field(default=None, ge=1, le=100, description="Training epochs (empty: the default).")
    test_size: float = Field(default=0.2, ge=0.0, lt=0.9,
                             description="Share of the sentences held out for the entity report (0 = none).")
    test_path: str | None = Field(
        default=None, min_length=1, max_length=500,
        description="A CoNLL or JSONL file of tagged sentences to score on instead of a held-out share; "
                    "a path inside the workspace's imports folder (or a FINLOOM_IMPORT_ROOTS folder).")
    encoder: Encoder = None
    augment: Augment = 0
    adversarial: Adversarial = None
    normalize_text: NormalizeText = False
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        ctx.datasets().get(self.dataset, self.version)
        _check_name(self.name, "name")
        if self.test_path is not None:
            ctx.resolve_import(self.test_path, "test_path")
        resolve_encoder(ctx, self.encoder)


class _ReportWindow(JobParams):
    """The period and language shared by the report kinds; days are checked here, before a job runs."""

    start: Start = None
    end: End = None
    lang: Lang = "en"
    seed: Seed = 0

    @field_validator("start", "end")
    @classmethod
    def _in_range(cls, day: dt.date | None, info: ValidationInfo) -> dt.date | None:
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(f"{info.field_name} must be between {FIRST_DAY} and {LAST_DAY}; got {day}.")
        return day

    @model_validator(mode="after")
    def _ordered(self) -> _ReportWindow:
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"start must be on or before end; got start {self.start} and end {self.end}. Swap them.")
        return self


class MarketReportParams(_ReportWindow):
    """``report.market``: a grounded market report (HTML and PDF)."""

    kind = "report.market"
    tickers: list[Ticker] = Field(default_factory=lambda: ["SP500", "NASDAQ"], min_length=1, max_length=20,
                                  description="Instruments to cover, e.g. SP500, NASDAQ, WTI, VIX (any case).")


class PortfolioReportParams(_ReportWindow):
    """``report.portfolio``: a grounded portfolio report (HTML and PDF)."""

    kind = "report.portfolio"
    weights: dict[Ticker, float] = Field(min_length=1, max_length=20, description="Ticker -> portfolio weight.")


class TradeAuditParams(JobParams):
    """``compliance.trades``: a registered trade blotter audited against the trade rules."""

    kind = "compliance.trades"
    dataset: DatasetName
    version: Version = None
    restricted_symbols: list[Ticker] = Field(default_factory=list, max_length=1000,
                                             description="Symbols nobody may trade.")
    max_notional_per_trade: float | None = Field(default=None, gt=0, description="Largest single trade (empty: the default).")
    max_daily_notional_per_trader: float | None = Field(default=None, gt=0,
                                                        description="Largest daily total per trader (empty: the default).")

    def check(self, ctx: JobContext) -> None:
        ctx.datasets().get(self.dataset, self.version)


class MarketSimulateParams(JobParams):
    """``market.simulate``: fit a price simulator, simulate paths, report the stylized facts."""

    kind = "market.simulate"
    source: str = Field(default="sp500", min_length=1, max_length=120,
                        description="'sp500' or a registered dataset with a datetime column.")
    model: Simulator = "fhs"
    n_paths: int = Field(default=500, ge=1, le=20_000, description="Paths to simulate.")
    n_days: int = Field(default=252, ge=5, le=5000, description="Trading days per path.")
    regime: Literal["calm", "stressed"] | None = Field(default=None, description="Condition on a volatility regime.")
    seed: Seed = 0
    name: ModelOut = None

    def check(self, ctx: JobContext) -> None:
        if self.source.lower() != "sp500":
            ctx.datasets().get(self.source)
        _check_name(self.name, "name")


class LabRunParams(JobParams):
    """``lab.run``: a walk-forward strategy test on synthetic continuations and on real history."""

    kind = "lab.run"
    source: str = Field(default="sp500", min_length=1, max_length=120,
                        description="'sp500' or a registered dataset with a datetime column.")
    model: Simulator = "fhs"
    strategy: Literal["ma_crossover", "momentum", "mean_reversion", "vol_target", "buy_and_hold"] = "ma_crossover"
    grid: list[dict[Annotated[str, Field(max_length=40)], int | float]] = Field(
        default_factory=_default_grid, min_length=1, max_length=500,
        description="Strategy settings to compare, e.g. [{\"fast\": 20, \"slow\": 100}].")
    test_days: int = Field(default=252, ge=5, le=2520, description="Days held out at the end for the test.")
    n_paths: int = Field(default=1000, ge=1, le=20_000, description="Synthetic paths per setting.")
    cost: float = Field(default=0.0005, ge=0, le=0.1, description="Trading cost per unit turnover.")
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        if self.source.lower() != "sp500":
            ctx.datasets().get(self.source)
