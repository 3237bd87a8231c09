"""The served application: the HTTP API and the web pages over one workbench, with shared middleware.

This is the one module that composes the interfaces: ``finloom.api`` and ``finloom.web`` each add
their routes here and never import each other; ``finloom serve`` runs what :func:`create_app` builds.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException

import finloom
from finloom.api import API_PREFIX, include_api
from finloom.api._errors import finloom_error_response, http_error_response, internal_error_response
from finloom.config import Settings, get_settings
from finloom.errors import FinloomError
from finloom.server._csrf import CrossOriginGuard
from finloom.services.serving import ClassifierCache
from finloom.web import mount_web, page_error_response
from finloom.workbench import ExecutorMode, Workbench

__all__ = ["create_app"]

log = logging.getLogger("finloom.api")


def _add_error_handlers(app: FastAPI) -> None:
    """Errors under /api/ are JSON in the API's one shape; elsewhere they are pages."""

    @app.exception_handler(FinloomError)
    async def finloom_error(request: Request, exc: FinloomError) -> Response:
        if request.url.path.startswith(API_PREFIX):
            return finloom_error_response(request, exc)
        return page_error_response(request, exc)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith(API_PREFIX):
            return http_error_response(request, exc)
        return await http_exception_handler(request, exc)

    @app.middleware("http")
    async def request_id_and_errors(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = uuid.uuid4().hex
        request.state.request_id = request_id
        try:
            response = await call_next(request)
        except Exception:
            log.exception("unexpected error, request id %s", request_id)
            response = internal_error_response(request_id)
        response.headers["X-Request-ID"] = request_id
        return response


def create_app(
    settings: Settings | None = None,
    *,
    workbench: Workbench | None = None,
    executor_mode: ExecutorMode = "process",
    warm_assistant: bool = False,
) -> FastAPI:
    """Build the finloom HTTP API and web UI for ``settings`` (default: from the environment).

    ``warm_assistant`` builds the customer-service assistant in the background at start-up
    (``finloom serve`` does); otherwise the first chat request starts the build. Either way chat
    answers "warming up" (503 with ``Retry-After``) until it is ready, and never blocks.

    Examples
    --------
    >>> import tempfile
    >>> from fastapi.testclient import TestClient
    >>> app = create_app(Settings(workspace=tempfile.mkdtemp()), executor_mode="thread")
    >>> with TestClient(app) as client:
    ...     client.get("/api/health").json()["status"], client.get("/api/nope").json()["detail"]
    ('ok', 'Not Found')
    """
    settings = settings or get_settings()
    workbench = workbench or Workbench(settings, executor_mode=executor_mode)
    classifiers = ClassifierCache()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        workbench.start()
        if warm_assistant:
            workbench.assistant_warmup.start()
        yield
        classifiers.close()
        workbench.close()

    app = FastAPI(
        title="finloom",
        version=finloom.__version__,
        description="Offline generative-AI workbench for banks and fintechs: datasets, jobs, models.",
        lifespan=lifespan,
    )
    app.state.workbench = workbench
    app.state.classifiers = classifiers
    include_api(app, settings)
    _add_error_handlers(app)
    mount_web(app, workbench)
    app.add_middleware(CrossOriginGuard)  # outermost: the API and the pages alike
    return app
