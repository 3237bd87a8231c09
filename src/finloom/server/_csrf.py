"""Cross-site request forgery guard: refuse state-changing requests that a browser made for another origin.

The session cookie is ``SameSite=strict``, but a page on another port of the same host is the same
*site*, so its forms and ``fetch(..., {mode: "no-cors"})`` calls still carry the cookie. Browsers
say where a request comes from (``Sec-Fetch-Site``, else ``Origin``); a POST, PUT, PATCH or DELETE
from anywhere but finloom's own origin is refused with 403 before any route runs. Requests with
neither header (curl, scripts, the CLI) are not browser-driven and pass, as in Go's
``http.CrossOriginProtection``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from finloom.api import API_PREFIX, error_body

__all__ = ["CrossOriginGuard", "cross_origin_refusal"]

_SAFE = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_SAME = frozenset({"same-origin", "none"})  # "none": typed or bookmarked by the user


def cross_origin_refusal(method: str, headers: Mapping[str, str]) -> str | None:
    """Why a request must be refused as cross-origin, or None when it may go on.

    ``headers`` are lower-case names (as ASGI gives them).

    Examples
    --------
    >>> cross_origin_refusal("POST", {"host": "127.0.0.1:8000", "sec-fetch-site": "same-site"})
    "Sec-Fetch-Site 'same-site'"
    >>> cross_origin_refusal("POST", {"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:8000"}) is None
    True
    >>> cross_origin_refusal("POST", {"host": "127.0.0.1:8000", "origin": "http://127.0.0.1:9000"})
    "Origin 'http://127.0.0.1:9000'"
    >>> cross_origin_refusal("GET", {"host": "a", "sec-fetch-site": "cross-site"}) is None
    True
    """
    if method.upper() in _SAFE:
        return None
    site = headers.get("sec-fetch-site")
    if site is not None:
        return None if site.lower() in _SAME else f"Sec-Fetch-Site {site!r}"
    origin = headers.get("origin")
    if origin is None:
        return None
    if origin == "null" or urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
        return f"Origin {origin!r}"
    return None


def _message(reason: str) -> str:
    return (f"a request that changes data must come from finloom's own pages; got a cross-origin request "
            f"({reason}). Open finloom itself and submit the form there.")


class CrossOriginGuard:
    """ASGI middleware applying :func:`cross_origin_refusal` to every HTTP request (pages and API)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            reason = cross_origin_refusal(scope.get("method", "GET"), headers)
            if reason is not None:
                await _refuse(send, str(scope.get("path", "")), _message(reason))
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, path: str, message: str) -> None:
    if path.startswith(API_PREFIX):
        body, kind = json.dumps(error_body(message)).encode(), b"application/json"
    else:
        page = f"<!doctype html><title>Refused</title><p>{html.escape(message, quote=False)}</p>"
        body, kind = page.encode(), b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
