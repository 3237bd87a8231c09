"""Migrations create every table and are idempotent."""

from __future__ import annotations

import json

import pytest
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def empty_db_url(request, tmp_path):
    """An empty database (no migrations run yet)."""
    from tests.conftest import _drop_pg_schema, _pg_schema_url

    url = f"sqlite:///{tmp_path / 'old.db'}" if request.param == "sqlite" else _pg_schema_url()
    yield url
    if request.param == "postgresql":
        _drop_pg_schema(url)


def test_versions_written_before_0003_stay_readable(empty_db_url, tmp_path):
    """Rows from before the version state existed are complete versions ('ready') after upgrading."""
    import pandas as pd
    from sqlalchemy import text

    from finloom.data import Metadata, write_dataset_version
    from finloom.store import DatasetRegistry, make_session_factory

    engine = make_engine(empty_db_url)
    upgrade_database(engine, "0002")
    df = pd.DataFrame({"a": [1, 2]})
    files = write_dataset_version(df, Metadata.infer(df), tmp_path / "datasets" / "old" / "v1")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO datasets (name, description, created_at, created_by) "
                          "VALUES ('old', '', CURRENT_TIMESTAMP, '')"))
        conn.execute(text(
            "INSERT INTO dataset_versions (dataset_id, version, path, content_hash, n_rows, n_cols, size_bytes, "
            "source, licence, table_metadata, created_at) SELECT id, 1, 'datasets/old/v1', :h, 2, 1, 0, '', '', "
            ":m, CURRENT_TIMESTAMP FROM datasets WHERE name = 'old'"), {"h": files.content_hash, "m": json.dumps(Metadata.infer(df).to_dict())})
    upgrade_database(engine)
    assert current_revision(engine) not in (None, "0002")
    registry = DatasetRegistry(tmp_path, make_session_factory(engine))
    assert registry.get("old").version == 1 and registry.load("old")[0]["a"].tolist() == [1, 2]
    engine.dispose()
