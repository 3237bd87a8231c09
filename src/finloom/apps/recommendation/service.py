"""Next-best-offer as a service: the ``recommendation.fit`` job (hold-out check, then the saved offer
book) and offers for a known customer or for a new customer's profile."""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from finloom._base import ProgressCallback, noop_progress
from finloom.apps.recommendation._book import OfferBook, make_recommender
from finloom.apps.recommendation._evaluate import hold_out, ranking_metrics
from finloom.apps.recommendation._generate import HoldingsData, default_catalogue, generate_holdings
from finloom.apps.recommendation.schemas import CustomerProfile, OfferList, RecommendFitParams
from finloom.errors import InvalidDataError, did_you_mean
from finloom.jobs import JobContext

__all__ = ["evaluate", "fit_book", "fit_job", "offer_list", "offers_for_customer", "offers_for_profile"]

K = 5


def evaluate(data: HoldingsData, recommender: str, *, seed: int = 0) -> dict[str, float]:
    """recall@5, nDCG@5 and coverage of ``recommender`` and of popularity on held-out holdings.

    Examples
    --------
    >>> d = generate_holdings(300, random_state=0)
    >>> sorted(evaluate(d, "item_knn"))
    ['coverage', 'ndcg_at_5', 'popularity_recall_at_5', 'recall_at_5', 'test_customers', 'train_seconds']
    """
    visible, hidden = hold_out(data.holdings, random_state=seed)
    if not hidden:
        raise InvalidDataError(
            "the holdings table must have customers holding at least 2 products to hold some out; got none."
        )
    test = data.customers["customer_id"].astype(str).isin(list(hidden)).to_numpy()
    test_visible = visible[visible["customer_id"].isin(list(hidden))]
    out: dict[str, float] = {"test_customers": float(len(hidden))}
    for name in ("popularity", recommender):
        model = make_recommender(name, random_state=seed)
        start = time.perf_counter()
        model.fit(data.customers, visible, data.catalogue)
        seconds = time.perf_counter() - start
        recs = model.recommend(data.customers[test], test_visible, k=K)
        m = ranking_metrics(recs, hidden, len(data.catalogue), k=K)
        if name == "popularity":
            out["popularity_recall_at_5"] = m["recall_at_k"]
        if name == recommender:
            out.update(recall_at_5=m["recall_at_k"], ndcg_at_5=m["ndcg_at_k"], coverage=m["coverage"],
                       train_seconds=round(seconds, 3))
    return out


def fit_book(data: HoldingsData, recommender: str, *, seed: int = 0,
             progress: ProgressCallback = noop_progress) -> tuple[OfferBook, dict[str, float]]:
    """Check ``recommender`` on held-out holdings, then fit it on every holding into an :class:`OfferBook`.

    Examples
    --------
    >>> book, metrics = fit_book(generate_holdings(300, random_state=0), "popularity")
    >>> metrics["recall_at_5"] == metrics["popularity_recall_at_5"]
    True
    """
    progress(0.1, "checking on held-out holdings")
    metrics = evaluate(data, recommender, seed=seed)
    progress(0.6, f"fitting {recommender} on {len(data.customers):,} customers")
    book = OfferBook(make_recommender(recommender, random_state=seed)).fit(data.customers, data.holdings, data.catalogue)
    return book, metrics


def _data(ctx: JobContext, p: RecommendFitParams) -> tuple[HoldingsData, dict[str, Any]]:
    if p.customers_dataset and p.holdings_dataset:
        customers, _ = ctx.datasets().load(p.customers_dataset, p.customers_version)
        holdings, _ = ctx.datasets().load(p.holdings_dataset, p.holdings_version)
        lineage = {"customers": p.customers_dataset, "holdings": p.holdings_dataset}
        return HoldingsData(customers, default_catalogue(), holdings), lineage
    data = generate_holdings(p.n_customers, generator=p.generator, random_state=p.seed)
    return data, {"generated": p.generator, "n_customers": p.n_customers, "seed": p.seed}


def fit_job(ctx: JobContext, p: RecommendFitParams) -> dict[str, Any]:
    """Fit the recommender, check it on held-out holdings against popularity, save the offer book."""
    data, lineage = _data(ctx, p)
    book, metrics = fit_book(data, p.recommender, seed=p.seed, progress=ctx.progress)
    ctx.progress(0.9, "saving")
    saved = ctx.artifacts().save(
        p.name, book, metrics=metrics, job_id=ctx.job_id, created_by=ctx.created_by, lineage=lineage,
        description=f"next-best-offer {p.recommender} on {len(data.customers):,} customers",
    )
    return {"model": saved.name, "version": saved.version, "recommender": p.recommender,
            "customers": len(data.customers), "products": len(book.products), "metrics": metrics}


def offers_for_customer(book: OfferBook, customer_id: str, *, k: int = 5) -> tuple[list[str], list[Any]]:
    """The customer's held products and top-``k`` offers with explanations.

    Examples
    --------
    >>> book, _ = fit_book(generate_holdings(300, random_state=0), "popularity")
    >>> held, offers = offers_for_customer(book, "C000003", k=2)
    >>> len(offers), set(held) & {o.product_id for o in offers}
    (2, set())
    """
    return book.held(customer_id), book.offers(customer_id, k=k)


def offers_for_profile(book: OfferBook, profile: CustomerProfile, *, k: int = 5) -> tuple[list[str], list[Any]]:
    """Offers for a customer described by ``profile`` (no holdings → cold start from features/segment).

    Examples
    --------
    >>> book, _ = fit_book(generate_holdings(300, random_state=0), "item_knn")
    >>> _, offers = offers_for_profile(book, CustomerProfile(age=30, income=9, risk_level="C3"), k=3)
    >>> len(offers)
    3
    """
    unknown = [p for p in profile.holdings if p not in book.products]
    if unknown:
        raise InvalidDataError(
            f"holdings must be product ids of the catalogue; got {unknown[0][:80]!r}.{did_you_mean(unknown[0], book.products)}"
        )
    row = pd.DataFrame([profile.model_dump(exclude={"holdings"})])
    held = None
    if profile.holdings:
        held = pd.DataFrame([{p: 1 for p in profile.holdings}])
        held.insert(0, "customer_id", profile.customer_id)
    return sorted(set(profile.holdings)), book.offers_for(row, held, k=k)


def offer_list(name: str, version: int, book: OfferBook, customer_id: str, held: list[str], offers: list[Any],
               profile: dict[str, Any] | None = None) -> OfferList:
    """The response model of an offer look-up (the known customer's details unless ``profile`` is given).

    Examples
    --------
    >>> book, _ = fit_book(generate_holdings(300, random_state=0), "popularity")
    >>> offer_list("m", 1, book, "C000003", [], []).profile["customer_id"]
    'C000003'
    """
    if profile is None:
        row, _ = book.customer(customer_id)
        profile = {str(k): (v.item() if hasattr(v, "item") else v) for k, v in row.iloc[0].items()}
    return OfferList(model=name, version=version, recommender=book.recommender.name, customer_id=customer_id,
                     profile=profile, held=held, offers=offers)
