"""Engines: unsupported URLs and unreachable servers are one-line errors, never tracebacks."""

from __future__ import annotations

import pytest

from finloom.errors import ConfigError, ServiceError
from finloom.store import make_engine, upgrade_database


@pytest.mark.parametrize("url", ["foo://bar", "mysql://u@localhost/db", "not a url"])
def test_make_engine_unsupported_url_is_a_config_error(url):
    with pytest.raises(ConfigError, match="database URL must"):
        make_engine(url)


def test_upgrade_unreachable_server_is_one_line_service_error():
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(ServiceError, match="the database must be reachable; got OperationalError") as info:
        upgrade_database(engine)
    assert "\n" not in info.value.message
