"""The HTTP API: routes over the services; ``finloom.server.create_app`` serves it with the web UI."""

from finloom.api._app import API_PREFIX, include_api
from finloom.api._errors import error_body

__all__ = ["API_PREFIX", "error_body", "include_api"]
