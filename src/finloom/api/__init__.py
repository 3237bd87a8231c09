"""The HTTP API: ``create_app(settings)`` builds the FastAPI application (routes + web UI)."""

from finloom.api._app import create_app

__all__ = ["create_app"]
