"""Next-best-offer page: fit a recommender (a job) and list a customer's suitable offers with their
explanations in the page's language."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from finloom.errors import FinloomError
from finloom.services import recommendation as service
from finloom.web._deps import WorkbenchDep
from finloom.web._pages import User, form_params, problems_of, start_job
from finloom.web._render import render

router = APIRouter(include_in_schema=False)

RECOMMENDERS = ("ranker", "item_knn", "als", "popularity")  # the first is the default


def _page(request: Request, workbench: Any, principal: Any, *, model: str = "", customer: str = "", k: int = 5,
          problems: list[str] | None = None) -> HTMLResponse:
    books = service.list_books(workbench)
    names = list(dict.fromkeys(b["name"] for b in books))
    result, customers = None, []
    problems = list(problems or [])
    chosen = model or (names[0] if names else "")
    if chosen:
        try:
            customers = service.customer_page(workbench, chosen, limit=20)
            if customer:
                result = service.offers(workbench, principal.user, chosen, customer, k=k)
        except FinloomError as exc:
            problems += problems_of(exc)
    return render(request, "recommendation.html", status_code=422 if problems else 200, books=books, names=names,
                  model=chosen, customer=customer, k=k, customers=customers, result=result, problems=problems,
                  recommenders=RECOMMENDERS)


@router.get("/recommendation", response_class=HTMLResponse)
def recommendation_page(
    request: Request, principal: User, workbench: WorkbenchDep,
    model: Annotated[str, Query(max_length=120)] = "", customer: Annotated[str, Query(max_length=64)] = "",
    k: Annotated[int, Query(ge=1, le=20)] = 5,
) -> HTMLResponse:
    return _page(request, workbench, principal, model=model, customer=customer.strip(), k=k)


@router.post("/recommendation/fit", response_model=None)
async def recommendation_fit(request: Request, principal: User, workbench: WorkbenchDep) -> Response:
    form = await request.form()
    return start_job(workbench, principal, "recommendation.fit",
                     lambda: form_params(form, "recommender", "generator", "n_customers", "name", "seed"),
                     lambda problems: _page(request, workbench, principal, problems=problems))
