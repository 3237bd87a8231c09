"""Alembic environment: runs finloom's migrations on the engine passed in by finloom.store."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

import finloom.store._chat_models  # noqa: F401  (registers the chat tables)
from finloom.store import _web_sessions  # noqa: F401  (registers the web sessions table)
from finloom.store._models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()
