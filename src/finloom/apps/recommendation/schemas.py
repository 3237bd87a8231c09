"""Typed inputs and outputs of the next-best-offer workbench: the fit job, a new customer, an offer list."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from finloom.apps.recommendation._explain import Offer
from finloom.errors import ConfigError
from finloom.jobs import DatasetName, JobContext, JobParams, Seed, Version

__all__ = ["CustomerProfile", "OfferList", "RecommendFitParams", "RecommendRequest"]

ProductId = Annotated[str, Field(min_length=1, max_length=80)]
Recommender = Literal["popularity", "item_knn", "als", "ranker"]


class RecommendFitParams(JobParams):
    """``recommendation.fit``: fit a recommender on generated demo holdings or on registered tables.

    With ``customers_dataset`` and ``holdings_dataset`` the job reads those registered tables
    (customers: customer_id, age, life_stage, income, risk_level, region, tenure; holdings:
    customer_id + one 0/1 column per catalogue product); otherwise it generates ``n_customers``.

    Examples
    --------
    >>> RecommendFitParams().recommender, RecommendFitParams(generator="rules").n_customers
    ('ranker', 2000)
    """

    kind = "recommendation.fit"
    recommender: Recommender = "ranker"
    generator: Literal["latent", "rules"] = Field(default="latent", description="Demo data generator.")
    n_customers: int = Field(default=2000, ge=50, le=10_000, description="Generated customers.")
    customers_dataset: DatasetName | None = None
    customers_version: Version = None
    holdings_dataset: DatasetName | None = None
    holdings_version: Version = None
    name: str = Field(default="next-best-offer", min_length=1, max_length=120, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    seed: Seed = 0

    def check(self, ctx: JobContext) -> None:
        if (self.customers_dataset is None) != (self.holdings_dataset is None):
            raise ConfigError(
                "customers_dataset and holdings_dataset must be given together; got only one. "
                "Pass both registered tables, or neither to fit on generated demo data."
            )
        if self.customers_dataset and self.holdings_dataset:
            ctx.datasets().get(self.customers_dataset, self.customers_version)
            ctx.datasets().get(self.holdings_dataset, self.holdings_version)


class CustomerProfile(BaseModel):
    """A customer not in the model (or with changed details): features and current holdings.

    Examples
    --------
    >>> CustomerProfile(age=30, income=8.5, risk_level="C3").life_stage
    'young_professional'
    """

    customer_id: str = Field(default="new", min_length=1, max_length=64)
    age: int = Field(ge=16, le=120)
    life_stage: str = Field(default="young_professional", min_length=1, max_length=40)
    income: float = Field(ge=0, le=10_000, description="Monthly income, thousand CNY.")
    risk_level: Literal["C1", "C2", "C3", "C4", "C5"]
    region: str = Field(default="east", min_length=1, max_length=40)
    tenure: float = Field(default=0.0, ge=0, le=100, description="Years as a customer.")
    holdings: list[ProductId] = Field(default_factory=list, max_length=100, description="Product ids held.")


class RecommendRequest(BaseModel):
    """Offers for a customer given by profile (cold start when ``holdings`` is empty).

    Examples
    --------
    >>> RecommendRequest(customer={"age": 30, "income": 8, "risk_level": "C3"}).k
    5
    """

    customer: CustomerProfile
    k: int = Field(default=5, ge=1, le=20)


class OfferList(BaseModel):
    """A customer's offers from one saved model, with the customer's details and holdings.

    Examples
    --------
    >>> OfferList(model="m", version=1, recommender="ranker", customer_id="c", held=[], offers=[]).offers
    []
    """

    model: str
    version: int
    recommender: str
    customer_id: str
    profile: dict[str, Any] = Field(default_factory=dict)
    held: list[str]
    offers: list[Offer]
