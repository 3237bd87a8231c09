"""Shared FastAPI dependencies: the workbench, the caller's identity and role checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from finloom.errors import AuthenticationError
from finloom.services.serving import ClassifierCache
from finloom.store import Principal, authenticate, principal_for_web_session, require_role
from finloom.workbench import Workbench

__all__ = [
    "Admin", "Analyst", "SAFE_METHODS", "ServingDep", "Viewer", "WorkbenchDep", "current_principal", "get_workbench",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})  # the web session cookie may only read the API

_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key in a header")


def get_workbench(request: Request) -> Workbench:
    workbench: Workbench = request.app.state.workbench
    return workbench


WorkbenchDep = Annotated[Workbench, Depends(get_workbench)]


def get_serving(request: Request) -> ClassifierCache:
    cache: ClassifierCache = request.app.state.classifiers
    return cache


ServingDep = Annotated[ClassifierCache, Depends(get_serving)]


def current_principal(
    request: Request,
    workbench: WorkbenchDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
    header_key: Annotated[str | None, Security(_header)] = None,
) -> Principal:
    """Authenticate by API key (bearer or X-API-Key), else by the web session for reading only.

    A browser sends the session cookie with any request, even one a foreign page makes it send,
    so a request that changes data needs the key in a header.
    """
    key = bearer.credentials if bearer else header_key
    session_token = request.session.get("sid") if "session" in request.scope else None
    if not key and session_token and request.method not in SAFE_METHODS:
        raise AuthenticationError(
            f"an API key must be sent as 'Authorization: Bearer <key>' or 'X-API-Key' for {request.method} "
            "requests; got only the web session cookie. Send the key in a header."
        )
    with workbench.session() as session:
        if key:
            principal = authenticate(session, key)
        elif session_token:
            principal = principal_for_web_session(session, session_token)
        else:
            raise AuthenticationError(
                "an API key must be sent as 'Authorization: Bearer <key>' or 'X-API-Key'; got none."
            )
    request.state.principal = principal
    return principal


def _role(role: str) -> Callable[..., Principal]:
    def check(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        require_role(principal, role, f"{request.method} {request.url.path}")
        return principal

    check.__name__ = f"require_{role}"
    return check


Viewer = Annotated[Principal, Depends(_role("viewer"))]
Analyst = Annotated[Principal, Depends(_role("analyst"))]
Admin = Annotated[Principal, Depends(_role("admin"))]
