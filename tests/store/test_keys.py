"""API keys: hashing, roles, expiry and revocation, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from finloom.errors import AuthenticationError, ConfigError, NotFoundError, PermissionDeniedError
from finloom.store import ApiKey, authenticate, create_api_key, require_role, revoke_api_key


def test_create_api_key_stores_only_a_hash(session_factory):
    with session_factory() as s:
        key, row = create_api_key(s, user="ana", role="analyst", label="laptop")
        s.commit()
        stored = s.scalars(select(ApiKey)).one()
    assert key.startswith("fl_")
    assert key not in stored.key_hash and len(stored.key_hash) == 64
    assert stored.id == row.id and key.split("_")[1] == row.id


def test_authenticate_accepts_the_key_and_rejects_a_wrong_one(session_factory):
    with session_factory() as s:
        key, _ = create_api_key(s, user="ana", role="viewer")
        s.commit()
        principal = authenticate(s, key)
        assert (principal.user, principal.role) == ("ana", "viewer")
        with pytest.raises(AuthenticationError, match="the API key is wrong"):
            authenticate(s, key[:-3] + "xyz")
        with pytest.raises(AuthenticationError, match="malformed"):
            authenticate(s, "not-a-key")
        with pytest.raises(AuthenticationError, match="got none"):
            authenticate(s, None)


def test_authenticate_rejects_expired_and_revoked_keys(session_factory):
    with session_factory() as s:
        key, row = create_api_key(s, user="ana", role="admin", expires_in_days=1)
        row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        s.commit()
        with pytest.raises(AuthenticationError, match="expired"):
            authenticate(s, key)
        key2, row2 = create_api_key(s, user="bob", role="admin")
        revoke_api_key(s, row2.id)
        s.commit()
        with pytest.raises(AuthenticationError, match="revoked"):
            authenticate(s, key2)
        with pytest.raises(NotFoundError):
            revoke_api_key(s, "nope")


def test_roles_are_ordered_and_checked(session_factory):
    with session_factory() as s:
        key, _ = create_api_key(s, user="vic", role="viewer")
        s.commit()
        principal = authenticate(s, key)
    require_role(principal, "viewer", "listing datasets")
    with pytest.raises(PermissionDeniedError, match="deleting a dataset needs the 'admin' role; your key has 'viewer'"):
        require_role(principal, "admin", "deleting a dataset")


def test_create_api_key_rejects_unknown_role(session_factory):
    with session_factory() as s, pytest.raises(ConfigError, match="role must be one of viewer, analyst, admin"):
        create_api_key(s, user="x", role="root")


def test_ensure_api_key_never_revives_a_revoked_key(session_factory):
    from finloom.store import ensure_api_key

    secret = "fl_bootstrapkey_" + "b" * 32
    with session_factory() as s:
        assert ensure_api_key(s, user="admin", role="admin", secret=secret) == "created"
        assert ensure_api_key(s, user="admin", role="admin", secret=secret) == "present"
        revoke_api_key(s, "bootstrapkey")
        assert ensure_api_key(s, user="admin", role="admin", secret=secret) == "revoked"
        s.commit()
        with pytest.raises(AuthenticationError, match="revoked"):
            authenticate(s, secret)


def test_ensure_api_key_reports_an_id_taken_by_another_secret(session_factory):
    from finloom.store import ensure_api_key

    with session_factory() as s:
        ensure_api_key(s, user="admin", role="admin", secret="fl_samesameid_" + "1" * 32)
        assert ensure_api_key(s, user="admin", role="admin", secret="fl_samesameid_" + "2" * 32) == "conflict"
        assert len(s.scalars(select(ApiKey)).all()) == 1
