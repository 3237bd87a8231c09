"""Migrations create every table and are idempotent."""

from __future__ import annotations

from sqlalchemy import inspect

from finloom.store import current_revision, make_engine, upgrade_database


def test_upgrade_creates_tables_and_is_idempotent(db_url):
    engine = make_engine(db_url)
    upgrade_database(engine)  # second run: nothing to do
    tables = set(inspect(engine).get_table_names())
    assert {"datasets", "dataset_versions", "artifacts", "jobs", "users", "api_keys", "audit_log"} <= tables
    assert current_revision(engine) is not None
    engine.dispose()


def test_sqlite_uses_wal(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()
