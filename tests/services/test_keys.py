"""Keys: creation and revocation audited with the key row; the bootstrap key is refused."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from finloom.errors import ConflictError, ServiceError
from finloom.services.keys import KeyCreate, create_key, list_keys, revoke_key
from tests.services.conftest import events


def test_create_and_revoke_record_one_event_each(wb):
    created = create_key(wb, "root", KeyCreate(user="ana", role="viewer"))
    revoked = revoke_key(wb, "root", created.id)
    assert revoked.revoked and [k.revoked for k in list_keys(wb)] == [True]
    assert events(wb) == [("root", "key.revoke", created.id), ("root", "key.create", created.id)]


def test_a_key_whose_audit_fails_is_not_created(wb, broken_audit):
    with pytest.raises(ServiceError):
        create_key(wb, "root", KeyCreate(user="ana", role="viewer"))
    assert list_keys(wb) == []


def test_a_revocation_whose_audit_fails_leaves_the_key_working(wb, monkeypatch):
    created = create_key(wb, "root", KeyCreate(user="ana", role="viewer"))
    from finloom.store import _audit

    monkeypatch.setattr(_audit, "record_audit", lambda *a, **k: (_ for _ in ()).throw(ServiceError("down")))
    with pytest.raises(ServiceError):
        revoke_key(wb, "root", created.id)
    assert [k.revoked for k in list_keys(wb)] == [False]


def test_the_bootstrap_key_cannot_be_revoked(wb):
    wb.settings.bootstrap_admin_key = SecretStr("fl_bootkey00001_" + "b" * 32)
    wb.ensure_key("admin", "admin", wb.settings.bootstrap_admin_key.get_secret_value())
    with pytest.raises(ConflictError, match="bootstrap admin key"):
        revoke_key(wb, "root", "bootkey00001")
    assert events(wb, "key.revoke") == []
