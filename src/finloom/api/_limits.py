"""Request guards: a size limit on every non-upload body, and validation errors in finloom's style."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from finloom.api._errors import error_body, request_id_of
from finloom.jobs import InvalidParamsError, JobParams, validation_problems

__all__ = ["BodySizeLimit", "validation_error_response"]

_NO_BODY = ("GET", "HEAD", "OPTIONS", "DELETE")


def _too_large(limit: int, got: str, request_id: str) -> bytes:
    detail = (f"request body must be at most {limit / 2**20:.0f} MiB; got {got}. "
              "Send less data; upload tables with POST /api/datasets.")
    return json.dumps(error_body(detail, request_id)).encode()


class BodySizeLimit:
    """ASGI middleware: refuse (413) JSON and form bodies above ``max_bytes`` before any parsing.

    Multipart uploads are left to the upload routes, which enforce ``max_upload_mb``. The body is
    read here (at most ``max_bytes``) and replayed to the application.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers") or []) if scope["type"] == "http" else {}
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        if scope["type"] != "http" or scope["method"] in _NO_BODY or content_type.startswith("multipart/"):
            await self.app(scope, receive, send)
            return
        declared = headers.get(b"content-length", b"").decode("latin-1")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send, f"{int(declared) / 2**20:.1f} MiB")
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = bool(message.get("more_body"))
            if size > self.max_bytes:
                await self._refuse(scope, send, f"more than {self.max_bytes / 2**20:.0f} MiB")
                return
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, send: Send, got: str) -> None:
        request_id = str((scope.get("state") or {}).get("request_id", ""))
        body = _too_large(self.max_bytes, got, request_id)
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _body_model(request: Request) -> type[BaseModel] | None:
    """The pydantic model of the route's JSON body, if it has one (for field descriptions)."""
    field = getattr(request.scope.get("route"), "body_field", None)
    annotation = getattr(getattr(field, "field_info", None), "annotation", None)
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def validation_error_response(request: Request, exc: Exception) -> JSONResponse:
    """422 with one "<field> must be <expectation>; got <value>. <remedy>" message per problem.

    ``detail`` is the single message (or a summary of several); ``problems`` lists them all.
    Registered for :class:`RequestValidationError` only.
    """
    if not isinstance(exc, RequestValidationError):
        raise exc
    model = _body_model(request)
    errors: list[Any] = [{**e, "loc": tuple(e.get("loc", ()))[1:]} for e in exc.errors()]
    what = "parameters" if model is not None and issubclass(model, JobParams) else "request fields"
    error = InvalidParamsError(validation_problems(errors, model, root="request body"), what=what)
    return JSONResponse(error_body(error.message, request_id_of(request), error.problems), status_code=error.status_code)
