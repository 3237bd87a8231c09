"""Shared FastAPI dependencies: the workbench, the caller's identity and role checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from finloom.errors import AuthenticationError
from finloom.store import Principal, authenticate, principal_for_key_id, require_role
from finloom.workbench import Workbench

__all__ = ["Admin", "Analyst", "Viewer", "WorkbenchDep", "current_principal", "get_workbench"]

_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer <API key>")
_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key in a header")


def get_workbench(request: Request) -> Workbench:
    workbench: Workbench = request.app.state.workbench
    return workbench


WorkbenchDep = Annotated[Workbench, Depends(get_workbench)]


def current_principal(
    request: Request,
    workbench: WorkbenchDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)] = None,
    header_key: Annotated[str | None, Security(_header)] = None,
) -> Principal:
    """Authenticate by API key (bearer or X-API-Key), else by the signed web-session cookie."""
    key = bearer.credentials if bearer else header_key
    with workbench.session() as session:
        if key:
            principal = authenticate(session, key)
        elif "session" in request.scope and request.session.get("key_id"):
            principal = principal_for_key_id(session, request.session["key_id"])
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


def audit(workbench: Workbench, principal: Principal, action: str, target: str, **details: Any) -> None:
    """Record an audit event for an API action."""
    from finloom.store import record_audit

    with workbench.session() as session:
        record_audit(session, actor=principal.user, action=action, target=target, details=details)
