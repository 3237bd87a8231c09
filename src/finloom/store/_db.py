"""Database engines and sessions: SQLite (WAL mode) by default, PostgreSQL by URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from finloom.errors import ConfigError, ServiceError

__all__ = ["create_checked_engine", "database_error", "make_engine", "make_session_factory", "session_scope"]

_URL_EXAMPLES = "'sqlite:///path.db' or 'postgresql+psycopg://user@host/db'"


def _one_line(text: str, limit: int = 200) -> str:
    return " ".join(text.split())[:limit].rstrip(" .?!")


def database_error(exc: BaseException) -> ServiceError:
    """A one-line :class:`ServiceError` for a database that cannot be reached or refused a query.

    Examples
    --------
    >>> print(database_error(OSError("connection refused\\n  is the server up?")).message)
    the database must be reachable; got OSError: connection refused is the server up. Check ...
    """
    cause = getattr(exc, "orig", None) or exc
    return ServiceError(
        f"the database must be reachable; got {type(cause).__name__}: {_one_line(str(cause))}. "
        "Check FINLOOM_DATABASE_URL (or --url) and that the server is running."
    )


def _unsupported(url: str, exc: BaseException) -> ConfigError:
    scheme = url.split("://", 1)[0]
    return ConfigError(
        f"database URL must use a supported, installed driver such as {_URL_EXAMPLES}; got "
        f"'{scheme}://...' ({type(exc).__name__}: {_one_line(str(exc), 120)}). Fix the URL or "
        "install the driver."
    )


def create_checked_engine(url: str, **kwargs: Any) -> Engine:
    """``sqlalchemy.create_engine`` whose unknown dialects and missing drivers raise ConfigError.

    Examples
    --------
    >>> create_checked_engine("nosuchdb://x")
    Traceback (most recent call last):
    ...
    finloom.errors.ConfigError: database URL must use a supported, installed driver ...
    """
    if "://" not in url:
        raise ConfigError(f"database URL must look like {_URL_EXAMPLES}; got {url!r}.")
    try:
        return create_engine(url, **kwargs)
    except (ArgumentError, ImportError, ValueError) as exc:
        raise _unsupported(url, exc) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the job writers
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; SQLite gets WAL mode, foreign keys and a busy timeout.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> engine.dialect.name
    'sqlite'
    """
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("sqlite"):
        engine = create_checked_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_checked_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Commit on success, roll back on error, always close; database outages become ServiceError."""
    session = factory()
    try:
        yield session
        session.commit()
    except OperationalError as exc:
        session.rollback()
        raise database_error(exc) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
