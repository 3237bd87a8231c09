"""Test-wide settings: one torch thread, offline model hub, shared-data location."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MPLBACKEND", "Agg")

SHARED_DATA = Path(os.environ.get("FINLOOM_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def pytest_configure(config: pytest.Config) -> None:
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is installed by the test command
        return
    torch.set_num_threads(1)


@pytest.fixture
def shared_data() -> Path:
    """The read-only shared data folder (../shared/data); skips with a reason when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED_DATA}")
    return SHARED_DATA


PG_URL = os.environ.get("FINLOOM_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_schema_url() -> str:
    """A fresh schema on the test PostgreSQL server; skipped with a reason (failed in CI) if down."""
    import uuid

    from sqlalchemy import create_engine, text

    schema = f"finloom_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = create_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except Exception as exc:  # pragma: no cover - depends on the machine
        message = f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}: {exc}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run the PostgreSQL store tests)")
        pytest.skip(message)
    sep = "&" if "?" in PG_URL else "?"
    return f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def _drop_pg_schema(url: str) -> None:
    from sqlalchemy import create_engine, text

    schema = url.rsplit("%3D", 1)[1]
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> object:
    """A migrated, empty database: SQLite in tmp_path, and PostgreSQL in a throwaway schema."""
    from finloom.store import make_engine, upgrade_database

    url = f"sqlite:///{tmp_path / 'finloom.db'}" if request.param == "sqlite" else _pg_schema_url()
    engine = make_engine(url)
    upgrade_database(engine)
    engine.dispose()
    yield url
    if request.param == "postgresql":
        _drop_pg_schema(url)


@pytest.fixture
def session_factory(db_url: str) -> object:
    from finloom.store import make_engine, make_session_factory

    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()
