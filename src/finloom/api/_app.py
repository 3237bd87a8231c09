"""The HTTP API's part of the application: its routes, its error style and its body limit."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError

from finloom.api._limits import BodySizeLimit, validation_error_response
from finloom.config import Settings

__all__ = ["API_PREFIX", "include_api"]

API_PREFIX = "/api/"  # every API route starts so; errors there are JSON (see finloom.api._errors)


def include_api(app: FastAPI, settings: Settings) -> None:
    """Add the API routes to ``app``, with validation errors in finloom's style and a body limit.

    The application itself (error handlers shared with the pages, middleware, lifespan) is built
    by :func:`finloom.server.create_app`.
    """
    from finloom.api.routes import (
        advisor,
        chat,
        credit,
        datasets,
        documents,
        guard,
        health,
        images,
        insights,
        jobs,
        keys,
        market,
        marketing,
        models,
        monitoring,
        recommendation,
        synth,
        text,
    )

    app.add_exception_handler(RequestValidationError, validation_error_response)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_mb * 2**20)
    for module in (health, keys, datasets, jobs, models, synth, text, chat, market, guard, credit, images, insights, monitoring, documents,
                   recommendation, marketing):
        app.include_router(module.router)
    app.include_router(advisor.router)
