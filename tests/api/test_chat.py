"""Chat routes: a conversation with a grounded answer, a task, a handoff and an agent reply."""

from __future__ import annotations

import json


def test_conversation_handoff_and_agent_reply(client, viewer, analyst):
    session = client.post("/api/chat/sessions", headers=viewer, json={"customer_id": "c9"}).json()
    sid = session["id"]
    reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer, json={"text": "How long until my new card arrives?"}).json()
    assert reply["kind"] == "answer" and reply["citations"]
    reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer, json={"text": "I want to talk to a human"}).json()
    assert reply["handoff_status"] == "requested"
    queue = client.get("/api/chat/queue", headers=analyst).json()
    assert [q["id"] for q in queue] == [sid] and queue[0]["handoff_summary"]
    assert client.get("/api/chat/queue", headers=viewer).status_code == 403
    assert client.post(f"/api/chat/sessions/{sid}/takeover", headers=analyst).json()["role"] == "system"
    client.post(f"/api/chat/sessions/{sid}/agent-messages", headers=analyst, json={"text": "Hi, Ana here."})
    turns = client.get(f"/api/chat/sessions/{sid}/messages", headers=viewer).json()
    assert turns[-1]["role"] == "agent" and turns[-1]["text"] == "Hi, Ana here."
    assert [t["index"] for t in turns] == list(range(len(turns)))


def test_streamed_reply(client, viewer):
    sid = client.post("/api/chat/sessions", headers=viewer, json={}).json()["id"]
    with client.stream("POST", f"/api/chat/sessions/{sid}/messages?stream=true", headers=viewer, json={"text": "hello"}) as r:
        lines = [line for line in r.iter_lines() if line.startswith("data:")]
    done = json.loads(lines[-1][5:])
    tokens = "".join(json.loads(line[5:]) for line in lines[:-1])
    assert tokens.strip() == done["text"].strip()


def test_bad_chat_input(client, viewer):
    assert client.post("/api/chat/sessions/nope/messages", headers=viewer, json={"text": "hi"}).status_code == 404
    sid = client.post("/api/chat/sessions", headers=viewer, json={}).json()["id"]
    r = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer, json={"text": ""})
    assert r.status_code in (400, 422) and r.json()["detail"]
    r = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer, json={"text": "x" * 100_000})
    assert r.status_code in (400, 413, 422) and "2000" in r.json()["detail"]
    assert client.post("/api/chat/sessions", headers=viewer, json={"lang": "fr"}).status_code == 422


def test_assistant_search_fuses_dense_by_default(client, viewer):
    # BM25 alone files this under payees (no shared words with the delivery article)
    sid = client.post("/api/chat/sessions", headers=viewer, json={}).json()["id"]
    reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer,
                        json={"text": "I still haven't received my new card"}).json()
    assert reply["citations"][0] == "card-delivery-en"


def test_assistant_uses_the_configured_intent_model(tmp_path):
    from fastapi.testclient import TestClient

    from finloom.api import create_app
    from finloom.apps.customer_service import fit_intent_classifier
    from finloom.config import Settings
    from tests.api.conftest import ADMIN_KEY

    data = tmp_path / "intents.csv"
    rows = [f"card never came {i},where_is_my_card" for i in range(8)]
    rows += [f"freeze it now please {i},freeze_card" for i in range(8)]
    data.write_text("text,category\n" + "\n".join(rows) + "\n", encoding="utf-8")
    fit_intent_classifier({"train_csv": str(data)}, model_dir=tmp_path / "intents")
    settings = Settings(workspace=tmp_path / "ws", bootstrap_admin_key=ADMIN_KEY, assistant_dense=False,
                        assistant_intents=tmp_path / "intents")
    with TestClient(create_app(settings, executor_mode="thread")) as client:
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        sid = client.post("/api/chat/sessions", headers=headers, json={"customer_id": "c9"}).json()["id"]
        reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=headers,
                            json={"text": "card never came 3"}).json()
        assert reply["intent"] == "faq"  # an unrouted label of the user's model, answered from the KB
        reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=headers,
                            json={"text": "freeze it now please 1"}).json()
        assert reply["intent"] == "freeze_card" and reply["kind"] == "task_prompt"
