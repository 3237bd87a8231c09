"""The web UI: server-rendered pages (Jinja2 + htmx) over the same services as the API."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from finloom._warmup import WarmingUpError, retry_headers
from finloom.errors import FinloomError
from finloom.workbench import Workbench

__all__ = ["SESSION_LIFETIME", "mount_web", "page_error_response", "register_area"]

SESSION_LIFETIME = dt.timedelta(hours=12)  # of the cookie and of the server-side session


def register_area(app: FastAPI, href: str) -> None:
    """Mark a home-page tile as available once its pages are mounted at ``href``."""
    app.state.web_areas = {*getattr(app.state, "web_areas", set()), href}


def mount_web(app: FastAPI, workbench: Workbench) -> None:
    """Add the session middleware, static files and pages to ``app``."""
    from finloom.web._pages import LoginRequired, router

    app.add_middleware(
        SessionMiddleware, secret_key=workbench.secret_key(), same_site="strict", session_cookie="finloom_session",
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )
    static = Path(__file__).with_name("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:  # browsers ask for it on every page
        return FileResponse(static / "favicon.ico", media_type="image/x-icon", headers={"Cache-Control": "max-age=86400"})

    from finloom.web import (
        _advisor_pages,
        _assistant_pages,
        _credit_pages,
        _document_pages,
        _image_pages,
        _market_pages,
        _marketing_pages,
        _model_pages,
        _monitoring_pages,
        _recommendation_pages,
        _synth,
        _text_pages,
    )

    app.include_router(router)
    for module in (_synth, _text_pages, _assistant_pages, _market_pages, _model_pages, _credit_pages, _image_pages,
                   _advisor_pages, _monitoring_pages, _document_pages, _recommendation_pages,
                   _marketing_pages):
        app.include_router(module.router)
    app.state.web_areas = {"/datasets", "/jobs", "/models", "/synth", "/nlp", "/reports", "/compliance", "/assistant", "/market"}
    for area in ("/credit", "/images", "/advisor", "/monitoring", "/documents", "/recommendation", "/marketing"):
        register_area(app, area)

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303)


def page_error_response(request: Request, exc: FinloomError) -> Response:
    """A user mistake on a page: the error page with its message (a self-reloading notice while
    something warms up)."""
    from finloom.web._render import render

    response: HTMLResponse
    if isinstance(exc, WarmingUpError):  # a page that says so and reloads itself
        response = render(request, "warming.html", status_code=exc.status_code, retry_after=exc.retry_after)
    else:
        response = render(request, "error.html", status_code=exc.status_code, message=exc.message)
    response.headers.update(retry_headers(exc))
    return response
