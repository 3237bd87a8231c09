"""Next-best-offer for the interfaces: the fit job, audited offer look-ups from a saved offer book,
and the lists the page and the API show (books, customers)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from finloom.apps.recommendation import OfferBook, OfferList, RecommendFitParams, RecommendRequest
from finloom.apps.recommendation.service import offer_list, offers_for_customer, offers_for_profile
from finloom.errors import ConfigError
from finloom.jobs import Job
from finloom.services.jobs import submit_job
from finloom.store import ArtifactInfo, record_audit
from finloom.workbench import Workbench

__all__ = ["BOOK_KIND", "customer_page", "list_books", "load_book", "offers", "profile_offers", "start_fit"]

BOOK_KIND = "OfferBook"
_CACHE: OrderedDict[tuple[str, str, int, str], OfferBook] = OrderedDict()  # loaded books, newest last
_CACHE_SIZE = 4
_LOCK = threading.Lock()


def start_fit(workbench: Workbench, actor: str, params: RecommendFitParams | Mapping[str, Any] | BaseModel) -> Job:
    """Submit a ``recommendation.fit`` job (audited ``job.submit``).

    Examples
    --------
    >>> import tempfile
    >>> from finloom.config import Settings
    >>> wb = Workbench(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread").start()
    >>> start_fit(wb, "ana", {"recommender": "svd"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    finloom.jobs._params.InvalidParamsError: recommender must be 'popularity', 'item_knn', 'als' or 'ranker'; got 'svd'. ...
    """
    return submit_job(workbench, actor, "recommendation.fit", params)


def list_books(workbench: Workbench) -> list[dict[str, Any]]:
    """Saved next-best-offer models, newest first: name, version, recommender, metrics."""
    return [
        {"name": i.name, "version": i.version, "metrics": i.manifest.get("metrics", {}),
         "description": i.manifest.get("description", "")}
        for i in workbench.artifacts.list() if i.kind == BOOK_KIND
    ]


def load_book(workbench: Workbench, model: str, version: int | None = None) -> tuple[ArtifactInfo, OfferBook]:
    """The saved offer book ``model`` (newest version when None), cached; ConfigError for another kind."""
    info = workbench.artifacts.get(model, version)
    if info.kind != BOOK_KIND:
        raise ConfigError(
            f"model must be a next-best-offer model (kind {BOOK_KIND}); got {model!r} of kind {info.kind}. "
            "Fit one with POST /api/recommendation/fit or 'finloom recommend fit'."
        )
    key = (str(workbench.settings.workspace), info.name, info.version, str(info.created_at))
    with _LOCK:
        book = _CACHE.get(key)
        if book is not None:
            _CACHE.move_to_end(key)
            return info, book
    book = workbench.artifacts.load(info.name, info.version)
    with _LOCK:
        _CACHE[key] = book
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return info, book


def _audit(workbench: Workbench, actor: str, out: OfferList) -> None:
    with workbench.session() as session:
        record_audit(session, actor=actor, action="recommendation.offers", target=out.customer_id[:64],
                     details={"model": out.model, "version": out.version, "offers": [o.product_id for o in out.offers]})


def offers(workbench: Workbench, actor: str, model: str, customer_id: str, *, k: int = 5,
           version: int | None = None) -> OfferList:
    """Top-``k`` suitable offers with explanations for a customer the model knows (audited)."""
    info, book = load_book(workbench, model, version)
    held, found = offers_for_customer(book, customer_id, k=k)
    out = offer_list(info.name, info.version, book, str(customer_id), held, found)
    _audit(workbench, actor, out)
    return out


def profile_offers(workbench: Workbench, actor: str, model: str, body: RecommendRequest,
                   *, version: int | None = None) -> OfferList:
    """Offers for a customer described in the request (cold start without holdings; audited)."""
    info, book = load_book(workbench, model, version)
    held, found = offers_for_profile(book, body.customer, k=body.k)
    out = offer_list(info.name, info.version, book, body.customer.customer_id, held, found,
                     profile=body.customer.model_dump(exclude={"holdings"}))
    _audit(workbench, actor, out)
    return out


def customer_page(workbench: Workbench, model: str, *, version: int | None = None, offset: int = 0,
                  limit: int = 50) -> list[dict[str, Any]]:
    """A page of the model's customers (features and number of products held)."""
    _, book = load_book(workbench, model, version)
    rows = book.customers_.iloc[offset: offset + limit]
    held = book.holdings_[offset: offset + limit].sum(axis=1)
    return [{**{str(k): (v.item() if hasattr(v, "item") else v) for k, v in r.items()}, "n_held": int(n)}
            for r, n in zip(rows.to_dict(orient="records"), held, strict=True)]
