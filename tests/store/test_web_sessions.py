"""Server-side web sessions: sign-out, expiry and key revocation end them (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from finloom.errors import AuthenticationError
from finloom.store import (
    WebSession,
    close_web_session,
    create_api_key,
    open_web_session,
    principal_for_web_session,
    revoke_api_key,
)


def test_session_works_until_closed(session_factory):
    with session_factory() as s:
        _, key = create_api_key(s, user="ana", role="analyst")
        token = open_web_session(s, key.id)
        s.commit()
        assert principal_for_web_session(s, token).user == "ana"
        assert token not in {row.id for row in s.scalars(select(WebSession))}  # only its hash is kept
        close_web_session(s, token)
        s.commit()
        with pytest.raises(AuthenticationError, match="your session has ended"):
            principal_for_web_session(s, token)


def test_expired_session_is_refused_and_purged(session_factory):
    with session_factory() as s:
        _, key = create_api_key(s, user="ana", role="analyst")
        old = open_web_session(s, key.id, lifetime=dt.timedelta(seconds=-1))
        s.commit()
        with pytest.raises(AuthenticationError, match="your session has ended"):
            principal_for_web_session(s, old)
        open_web_session(s, key.id)
        s.commit()
        assert len(s.scalars(select(WebSession)).all()) == 1


def test_revoked_key_ends_its_sessions(session_factory):
    with session_factory() as s:
        _, key = create_api_key(s, user="ana", role="analyst")
        token = open_web_session(s, key.id)
        revoke_api_key(s, key.id)
        s.commit()
        with pytest.raises(AuthenticationError, match="no longer valid"):
            principal_for_web_session(s, token)
    with session_factory() as s, pytest.raises(AuthenticationError):
        principal_for_web_session(s, None)
