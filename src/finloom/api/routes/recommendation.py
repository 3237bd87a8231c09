"""Next-best-offer: fit a recommender (a job), offers with explanations for a known or a new customer."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, status

from finloom.api.deps import Analyst, Viewer, WorkbenchDep
from finloom.api.schemas import JobOut
from finloom.apps.recommendation import OfferList, RecommendFitParams, RecommendRequest
from finloom.jobs import Job
from finloom.services import recommendation as service

router = APIRouter(prefix="/api/recommendation", tags=["recommendation"])
ModelName = Annotated[str, Path(min_length=1, max_length=120)]
VersionQ = Annotated[int | None, Query(ge=1, le=1_000_000)]


@router.post("/fit", response_model=JobOut, status_code=status.HTTP_202_ACCEPTED)
def fit(body: RecommendFitParams, principal: Analyst, workbench: WorkbenchDep) -> Job:
    """Fit a recommender (popularity, item_knn, als, ranker) on generated or registered holdings as a
    job; it is checked on held-out holdings against popularity and saved as a model."""
    return service.start_fit(workbench, principal.user, body)


@router.get("/models")
def models(principal: Viewer, workbench: WorkbenchDep) -> list[dict[str, Any]]:
    """Saved next-best-offer models with their hold-out metrics, newest first."""
    return service.list_books(workbench)


@router.get("/{model}/customers")
def customers(
    model: ModelName, principal: Viewer, workbench: WorkbenchDep, version: VersionQ = None,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0, limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    """A page of the customers the model knows."""
    return service.customer_page(workbench, model, version=version, offset=offset, limit=limit)


@router.get("/{model}/customers/{customer_id}", response_model=OfferList)
def offers(
    model: ModelName, customer_id: Annotated[str, Path(min_length=1, max_length=64)], principal: Viewer,
    workbench: WorkbenchDep, k: Annotated[int, Query(ge=1, le=20)] = 5, version: VersionQ = None,
) -> OfferList:
    """Top-k suitable offers for a known customer, each with its explanation in English and Chinese."""
    return service.offers(workbench, principal.user, model, customer_id, k=k, version=version)


@router.post("/{model}/recommend", response_model=OfferList)
def recommend(model: ModelName, body: RecommendRequest, principal: Viewer, workbench: WorkbenchDep,
              version: VersionQ = None) -> OfferList:
    """Offers for a customer described in the body; with no holdings it is a cold start (features and
    the popularity of the customer's life stage)."""
    return service.profile_offers(workbench, principal.user, model, body, version=version)
