"""The API's one error body: ``{"detail": str, "request_id": str}`` plus ``problems`` when there are several.

Every error the API sends has this shape: finloom's own errors, request validation (422), bodies
that are too large (413), unknown routes and methods (404, 405), cross-origin refusals (403) and
unexpected errors (500).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from finloom._warmup import retry_headers
from finloom.errors import FinloomError, InvalidDataError

__all__ = ["error_body", "finloom_error_response", "http_error_response", "internal_error_response", "request_id_of"]

INTERNAL_ERROR = "internal server error; report the request id to your administrator"


def error_body(detail: str, request_id: str = "", problems: Sequence[str] | None = None) -> dict[str, object]:
    """The body of every API error response.

    Examples
    --------
    >>> error_body("dataset must be a registered dataset; got 'x'.", "ab12")
    {'detail': "dataset must be a registered dataset; got 'x'.", 'request_id': 'ab12'}
    >>> error_body("parameters have 2 problems: ...", "ab12", ["a", "b"])["problems"]
    ['a', 'b']
    """
    body: dict[str, object] = {"detail": detail, "request_id": request_id}
    if problems is not None:
        body["problems"] = list(problems)
    return body


def request_id_of(request: Request) -> str:
    return str(getattr(request.state, "request_id", ""))


def finloom_error_response(request: Request, exc: FinloomError) -> JSONResponse:
    """A user mistake: its status and templated message (every problem of an InvalidDataError)."""
    problems = exc.problems if isinstance(exc, InvalidDataError) else None
    return JSONResponse(error_body(exc.message, request_id_of(request), problems), status_code=exc.status_code,
                        headers=retry_headers(exc))


def http_error_response(request: Request, exc: HTTPException) -> JSONResponse:
    """Starlette's own errors (unknown route 404, wrong method 405) in the same shape."""
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return JSONResponse(error_body(detail, request_id_of(request)), status_code=exc.status_code,
                        headers=getattr(exc, "headers", None))


def internal_error_response(request_id: str) -> JSONResponse:
    """500 for an unexpected error: no traceback, only the id to find it in the server log."""
    return JSONResponse(error_body(INTERNAL_ERROR, request_id), status_code=500)
