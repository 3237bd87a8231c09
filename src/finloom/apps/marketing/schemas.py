"""Typed inputs of the marketing scenario: product facts, the ``marketing.campaign`` job parameters,
and the A/B planner and analyser requests (every field bounded: they come from the API)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from finloom.jobs import DatasetName, JobContext, JobParams, Seed, Version

__all__ = [
    "CHANNELS",
    "AnalyseTestIn",
    "CampaignParams",
    "PlanTestIn",
    "ProductFacts",
]

CHANNELS = ("sms", "email", "push")
Column = Annotated[str, Field(min_length=1, max_length=200)]
Channel = Literal["sms", "email", "push"]
Count = Annotated[int, Field(ge=0, le=10**12)]


class ProductFacts(BaseModel):
    """A product and the facts its marketing may state; copy states nothing else.

    ``rate`` and ``fee_pct`` are percentages (2.85 means 2.85 %); ``fee`` and ``min_amount`` are
    amounts in ``currency``. A product needs at least one fact.

    Examples
    --------
    >>> ProductFacts(id="td12", name_en="12-month term deposit", name_zh="12个月定期存款", rate=2.85).kind
    'deposit'
    """

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")
    name_en: str = Field(min_length=1, max_length=60)
    name_zh: str = Field(min_length=1, max_length=20)
    kind: Literal["deposit", "fund", "wealth", "card", "loan", "insurance"] = "deposit"
    risk_level: Literal["R1", "R2", "R3", "R4", "R5"] = "R1"
    rate: float | None = Field(default=None, ge=0, le=100, description="Annual rate or past annual return, %.")
    rate_label_en: str = Field(default="annual rate", min_length=1, max_length=40)
    rate_label_zh: str = Field(default="年利率", min_length=1, max_length=12)
    fee: float | None = Field(default=None, ge=0, le=1e9, description="A fee in the currency (annual fee, ...).")
    fee_pct: float | None = Field(default=None, ge=0, le=100, description="A fee as % a year (management fee).")
    min_amount: float | None = Field(default=None, gt=0, le=1e12)
    term_months: int | None = Field(default=None, ge=1, le=600)
    offer_ends: dt.date | None = None
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")

    @property
    def investment(self) -> bool:
        """Whether its marketing must carry the investment risk disclosure."""
        return self.kind in ("fund", "wealth", "insurance") or self.risk_level != "R1"


class CampaignParams(JobParams):
    """``marketing.campaign``: response model, contact list at a budget, segments and checked copy.

    Examples
    --------
    >>> CampaignParams(dataset="bank", target="y").budget
    1000.0
    """

    kind = "marketing.campaign"
    dataset: DatasetName
    version: Version = None
    target: Column
    positive: str | None = Field(default=None, max_length=200, description="The response value (e.g. 'yes').")
    id_column: Column | None = None
    exclude: list[Column] = Field(default_factory=list, max_length=200,
                                  description="Columns kept out of the model (leaky ones like 'duration' always are).")
    budget: float = Field(default=1000.0, gt=0, le=1e12, description="Money for contacts.")
    cost: float = Field(default=2.0, gt=0, le=1e9, description="Cost of one contact.")
    margin: float = Field(default=50.0, gt=0, le=1e12, description="Value of one response.")
    segment_features: list[Column] | None = Field(default=None, max_length=50,
                                                  description="Columns to segment on (model features when empty).")
    k_max: int = Field(default=6, ge=2, le=12)
    bootstrap: int = Field(default=5, ge=0, le=50)
    products: list[ProductFacts] | None = Field(default=None, max_length=20,
                                                description="Products to write copy for (the demo catalogue when empty).")
    channels: list[Channel] = Field(default=["sms", "email", "push"], min_length=1, max_length=3)
    holdout_share: float = Field(default=0.3, ge=0.1, le=0.5, description="Stratified share for the gains table.")
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        ctx.datasets().get(self.dataset, self.version)


class PlanTestIn(BaseModel):
    """A/B planner request: give ``target`` or ``mde`` for a sample size, ``n_control`` for the MDE.

    Examples
    --------
    >>> PlanTestIn(baseline=0.1, mde=0.02).alpha
    0.05
    """

    model_config = ConfigDict(extra="forbid")

    baseline: float = Field(gt=0, lt=1, description="Control conversion rate.")
    target: float | None = Field(default=None, gt=0, lt=1)
    mde: float | None = Field(default=None, gt=-1, lt=1, description="Absolute change to detect.")
    n_control: int | None = Field(default=None, ge=2, le=10**9, description="Customers per arm: gives the MDE.")
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    power: float = Field(default=0.8, ge=0.5, lt=1)
    ratio: float = Field(default=1.0, ge=0.01, le=100)


class AnalyseTestIn(BaseModel):
    """A/B analyser request: conversions and sizes of both arms, and how often results were checked.

    Examples
    --------
    >>> AnalyseTestIn(conv_control=10, n_control=100, conv_treatment=15, n_treatment=100).looks
    1
    """

    model_config = ConfigDict(extra="forbid")

    conv_control: Count
    n_control: int = Field(ge=1, le=10**12)
    conv_treatment: Count
    n_treatment: int = Field(ge=1, le=10**12)
    alpha: float = Field(default=0.05, gt=0, lt=0.5)
    looks: int = Field(default=1, ge=1, le=100, description="How many times the results were checked.")
