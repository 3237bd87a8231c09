"""The FastAPI application factory: routes, auth, error mapping and the web UI."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

import finloom
from finloom._warmup import retry_headers
from finloom.api._limits import BodySizeLimit, validation_error_response
from finloom.api._models_cache import ClassifierCache
from finloom.config import Settings, get_settings
from finloom.errors import FinloomError, InvalidDataError
from finloom.workbench import Workbench

__all__ = ["create_app"]

log = logging.getLogger("finloom.api")


def _error_body(exc: FinloomError, request_id: str) -> dict[str, object]:
    body: dict[str, object] = {"detail": exc.message, "request_id": request_id}
    if isinstance(exc, InvalidDataError):
        body["problems"] = exc.problems
    return body


def create_app(
    settings: Settings | None = None,
    *,
    workbench: Workbench | None = None,
    executor_mode: str = "process",
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
    ...     client.get("/api/health").json()["status"]
    'ok'
    """
    settings = settings or get_settings()
    if settings.encoder_path:  # also when it came from .env: in-process engines read the environment
        os.environ["FINLOOM_ENCODER_PATH"] = str(settings.encoder_path)
    workbench = workbench or Workbench(settings, executor_mode=executor_mode)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        workbench.start()
        if warm_assistant:
            workbench.assistant_warmup.start()
        yield
        app.state.classifiers.close()
        workbench.close()

    app = FastAPI(
        title="finloom",
        version=finloom.__version__,
        description="Offline generative-AI workbench for banks and fintechs: datasets, jobs, models.",
        lifespan=lifespan,
    )
    app.state.workbench = workbench
    app.state.classifiers = ClassifierCache()

    app.add_exception_handler(RequestValidationError, validation_error_response)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_mb * 2**20)

    @app.exception_handler(FinloomError)
    async def finloom_error(request: Request, exc: FinloomError) -> JSONResponse:
        request_id = getattr(request.state, "request_id", "")
        return JSONResponse(_error_body(exc, request_id), status_code=exc.status_code, headers=retry_headers(exc))

    @app.middleware("http")
    async def request_id_and_errors(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        request_id = uuid.uuid4().hex
        request.state.request_id = request_id
        try:
            response = await call_next(request)
        except Exception:
            log.exception("unexpected error, request id %s", request_id)
            response = JSONResponse(
                {"detail": "internal server error; report the request id to your administrator", "request_id": request_id},
                status_code=500,
            )
        response.headers["X-Request-ID"] = request_id
        return response

    from finloom.api.routes import (
        chat,
        datasets,
        guard,
        health,
        jobs,
        keys,
        market,
        models,
        synth,
        text,
    )

    for module in (health, keys, datasets, jobs, models, synth, text, chat, market, guard):
        app.include_router(module.router)

    from finloom.web import mount_web
    from finloom.web._csrf import CrossOriginGuard

    mount_web(app, workbench)
    app.add_middleware(CrossOriginGuard)  # outermost: the API and the pages alike
    return app
