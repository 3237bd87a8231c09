"""The SQL conversation store behind the assistant, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest

from finloom.apps.customer_service._sql_store import SqlConversationStore
from finloom.errors import NotFoundError


def test_sessions_turns_and_queue(session_factory):
    store = SqlConversationStore(session_factory)
    s = store.create_session(customer_id="c1", lang="zh")
    store.append_turn(s.id, "customer", "<script>alert(1)</script>", {"intent": "faq"})
    store.append_turn(s.id, "assistant", "hello")
    turns = store.list_turns(s.id)
    assert [(t.index, t.role) for t in turns] == [(0, "customer"), (1, "assistant")]
    assert turns[0].text == "<script>alert(1)</script>" and turns[0].meta == {"intent": "faq"}
    assert [t.text for t in store.list_turns(s.id, limit=1)] == ["hello"]
    s.handoff_status, s.slots = "requested", {"task": "freeze_card"}
    store.update_session(s)
    again = store.get_session(s.id)
    assert (again.handoff_status, again.slots, again.lang) == ("requested", {"task": "freeze_card"}, "zh")
    assert [q.id for q in store.list_handoff_queue()] == [s.id]
    with pytest.raises(NotFoundError, match="session_id must be an existing session"):
        store.append_turn("nope", "customer", "x")


def test_concurrent_appends_keep_every_turn(session_factory):
    store = SqlConversationStore(session_factory)
    s = store.create_session()

    def write(i):
        store.append_turn(s.id, "customer", f"m{i}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    turns = store.list_turns(s.id)
    assert sorted(t.text for t in turns) == sorted(f"m{i}" for i in range(8))
    assert [t.index for t in turns] == list(range(8))
