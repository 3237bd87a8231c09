"""Chat routes: a conversation with a grounded answer, a task, a handoff and an agent reply."""

from __future__ import annotations

import json
import threading

import pytest
from fastapi.testclient import TestClient

from finloom._warmup import Warmup
from finloom.config import Settings
from finloom.server import create_app
from tests.api.conftest import ADMIN_KEY


@pytest.fixture(scope="module")
def chat_client(tmp_path_factory):
    """One app for this module's conversations: its assistant (MiniLM + BM25, ~5 s to build) is built
    once, not once per test; each test opens its own sessions and keys."""
    settings = Settings(workspace=tmp_path_factory.mktemp("chat") / "ws", bootstrap_admin_key=ADMIN_KEY, max_upload_mb=1)
    with TestClient(create_app(settings, executor_mode="thread")) as c:
        yield c


@pytest.fixture
def client(chat_client):
    return chat_client


@pytest.fixture
def warm(client):
    """The app's real assistant, built (its background build waited for)."""
    return client.app.state.workbench.assistant_warmup.wait(timeout=300)


def _gated_app(tmp_path, build):
    app = create_app(Settings(workspace=tmp_path / "ws", bootstrap_admin_key=ADMIN_KEY), executor_mode="thread",
                     warm_assistant=True)
    app.state.workbench.assistant_warmup = Warmup(build, what="the assistant")
    return app


def test_assistant_warms_up_at_start_up_and_says_so(tmp_path):
    started, release = threading.Event(), threading.Event()

    def slow_build():
        started.set()
        release.wait(30)
        from finloom.apps.customer_service import build_demo_assistant

        return build_demo_assistant()

    headers = {"X-API-Key": ADMIN_KEY}
    with TestClient(_gated_app(tmp_path, slow_build)) as client:
        assert started.wait(10), "the build did not start with the server"
        assert client.get("/api/health").json()["assistant"] == "warming"
        r = client.post("/api/chat/sessions", headers=headers, json={})
        assert r.status_code == 503 and r.headers["Retry-After"] == "5"
        assert r.json()["detail"] == "the assistant must be ready before use; got 'warming up'. Try again in a few seconds."
        client.post("/login", data={"key": ADMIN_KEY})
        page = client.get("/assistant")
        assert page.status_code == 503 and 'id="warming"' in page.text and 'http-equiv="refresh"' in page.text
        release.set()
        client.app.state.workbench.assistant_warmup.wait(timeout=30)
        assert client.get("/api/health").json()["assistant"] == "ready"
        assert client.post("/api/chat/sessions", headers=headers, json={}).status_code == 201
        assert 'id="message"' in client.get("/assistant").text


def test_a_failed_assistant_build_is_a_clear_503(tmp_path):
    from finloom.errors import ConfigError, ServiceError

    def broken():
        raise ConfigError("assistant_intents must be a folder written by 'finloom chat train-intents'; got 'x'.")

    with TestClient(_gated_app(tmp_path, broken)) as client:
        with pytest.raises(ServiceError):
            client.app.state.workbench.assistant_warmup.wait(timeout=10)
        r = client.post("/api/chat/sessions", headers={"X-API-Key": ADMIN_KEY}, json={})
        assert r.status_code == 503 and "Retry-After" not in r.headers
        assert r.json()["detail"] == (
            "the assistant must build before use; got assistant_intents must be a folder written by "
            "'finloom chat train-intents'; got 'x'. Fix the cause and restart the server.")
        assert client.get("/api/health").json()["assistant"] == "failed"


def test_conversation_handoff_and_agent_reply(warm, client, viewer, analyst):
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


def test_customer_goes_back_to_the_assistant_from_the_queue(warm, client, viewer, analyst):
    sid = client.post("/api/chat/sessions", headers=viewer, json={"customer_id": "c10"}).json()["id"]
    assert client.post(f"/api/chat/sessions/{sid}/return-to-bot", headers=viewer).status_code == 409
    client.post(f"/api/chat/sessions/{sid}/handoff", headers=viewer)
    reply = client.post(f"/api/chat/sessions/{sid}/return-to-bot", headers=viewer).json()
    assert reply["kind"] == "returned_to_bot" and reply["handoff_status"] == "none"
    assert sid not in [q["id"] for q in client.get("/api/chat/queue", headers=analyst).json()]
    reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer, json={"text": "what's the weather"}).json()
    assert reply["kind"] == "scope_statement" and reply["handoff_status"] == "none"


def test_streamed_reply(warm, client, viewer):
    sid = client.post("/api/chat/sessions", headers=viewer, json={}).json()["id"]
    with client.stream("POST", f"/api/chat/sessions/{sid}/messages?stream=true", headers=viewer, json={"text": "hello"}) as r:
        lines = [line for line in r.iter_lines() if line.startswith("data:")]
    done = json.loads(lines[-1][5:])
    tokens = "".join(json.loads(line[5:]) for line in lines[:-1])
    assert tokens.strip() == done["text"].strip()


def test_bad_chat_input(warm, client, viewer):
    assert client.post("/api/chat/sessions/nope/messages", headers=viewer, json={"text": "hi"}).status_code == 404
    sid = client.post("/api/chat/sessions", headers=viewer, json={}).json()["id"]
    r = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer, json={"text": ""})
    assert r.status_code in (400, 422) and r.json()["detail"]
    r = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer, json={"text": "x" * 100_000})
    assert r.status_code in (400, 413, 422) and "2000" in r.json()["detail"]
    assert client.post("/api/chat/sessions", headers=viewer, json={"lang": "fr"}).status_code == 422


def test_assistant_search_fuses_dense_by_default(warm, client, viewer):
    # BM25 alone files this under payees (no shared words with the delivery article)
    sid = client.post("/api/chat/sessions", headers=viewer, json={}).json()["id"]
    reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer,
                        json={"text": "I still haven't received my new card"}).json()
    assert reply["citations"][0] == "card-delivery-en"


def test_assistant_uses_the_configured_intent_model(tmp_path):
    from finloom.apps.customer_service import fit_intent_classifier

    data = tmp_path / "intents.csv"
    rows = [f"card never came {i},where_is_my_card" for i in range(8)]
    rows += [f"freeze it now please {i},freeze_card" for i in range(8)]
    data.write_text("text,category\n" + "\n".join(rows) + "\n", encoding="utf-8")
    fit_intent_classifier({"train_csv": str(data)}, model_dir=tmp_path / "intents")
    settings = Settings(workspace=tmp_path / "ws", bootstrap_admin_key=ADMIN_KEY, assistant_dense=False,
                        assistant_intents=tmp_path / "intents")
    with TestClient(create_app(settings, executor_mode="thread", warm_assistant=True)) as client:
        client.app.state.workbench.assistant_warmup.wait(timeout=60)
        headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
        sid = client.post("/api/chat/sessions", headers=headers, json={"customer_id": "c9"}).json()["id"]
        reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=headers,
                            json={"text": "card never came 3"}).json()
        assert reply["intent"] == "faq"  # an unrouted label of the user's model, answered from the KB
        reply = client.post(f"/api/chat/sessions/{sid}/messages", headers=headers,
                            json={"text": "freeze it now please 1"}).json()
        assert reply["intent"] == "freeze_card" and reply["kind"] == "task_prompt"


def _voice(client, headers, sid, data, **form):
    return client.post(f"/api/chat/sessions/{sid}/voice", headers=headers,
                       files={"audio": ("message.wav", data, "audio/wav")}, data=form)


def test_voice_message_round_trip_is_transcribed_answered_spoken_and_audited(warm, client, viewer):
    pytest.importorskip("pocketsphinx")
    from finloom.apps.customer_service._speech import espeak_available, synthesize_speech
    from finloom.store import list_audit

    if not espeak_available():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    sid = client.post("/api/chat/sessions", headers=viewer, json={"customer_id": "c11"}).json()["id"]
    r = _voice(client, viewer, sid, synthesize_speech("show my recent transactions"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["reply"]["intent"] == "recent_transactions" and body["audio_error"] is None
    import base64

    assert base64.b64decode(body["audio_wav_base64"])[:4] == b"RIFF"
    turns = client.get(f"/api/chat/sessions/{sid}/messages", headers=viewer).json()
    assert turns[0]["role"] == "customer" and turns[0]["text"] == body["transcript"]
    with client.app.state.workbench.session() as session:
        entries = [e for e in list_audit(session, action="chat.voice") if e.target == sid]
    assert len(entries) == 1 and entries[0].details["kind"] == body["reply"]["kind"]
    assert "transcript" not in entries[0].details


def test_bad_voice_messages_get_clear_errors(warm, client, viewer):
    pytest.importorskip("pocketsphinx")
    import numpy as np

    from finloom.apps.customer_service._audio import wav_bytes

    sid = client.post("/api/chat/sessions", headers=viewer, json={}).json()["id"]
    r = _voice(client, viewer, sid, b"not audio at all")
    assert r.status_code == 422 and r.json()["detail"].startswith("audio must be a WAV file (RIFF/WAVE)")
    r = _voice(client, viewer, sid, b"")
    assert r.status_code == 422 and r.json()["detail"].startswith("audio must contain a recording")
    r = _voice(client, viewer, sid, wav_bytes(np.zeros(16000, np.int16), 16000))
    assert r.status_code == 422 and "silent" in r.json()["detail"]
    tone = (3000 * np.sin(np.arange(8000 * 40) / 8000 * 2 * np.pi * 200)).astype(np.int16)
    r = _voice(client, viewer, sid, wav_bytes(tone, 8000))  # 40 s
    assert r.status_code == 413 and r.json()["detail"].startswith("audio must be at most 30 seconds long")
    r = _voice(client, viewer, sid, wav_bytes(np.zeros(16000 * 60 * 30, np.int16), 16000))  # 30 minutes
    assert r.status_code == 413 and r.json()["detail"].startswith("an upload must be at most 1 MiB")
    r = _voice(client, viewer, sid, wav_bytes(tone[:8000], 8000), lang="zh")
    assert r.status_code == 422 and "no offline Mandarin recogniser" in r.json()["detail"]
    assert _voice(client, {}, sid, wav_bytes(tone[:8000], 8000)).status_code == 401
    assert client.get(f"/api/chat/sessions/{sid}/messages", headers=viewer).json() == []


def test_document_upload_is_read_answered_followed_up_and_audited(warm, client, viewer):
    pytest.importorskip("pytesseract")
    import io
    import shutil

    from finloom.documents import generate_document
    from finloom.store import list_audit

    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    doc = generate_document("utility_bill", "en", noise="none", seed=3)
    buf = io.BytesIO()
    doc.image.save(buf, "PNG")
    sid = client.post("/api/chat/sessions", headers=viewer, json={"customer_id": "c12"}).json()["id"]
    r = client.post(f"/api/chat/sessions/{sid}/documents", headers=viewer,
                    files={"file": ("bill.png", buf.getvalue(), "image/png")}, data={"question": "how much do I owe?"})
    assert r.status_code == 200, r.text
    due = f"{float(doc.truth['fields']['amount_due']):,.2f}"
    assert r.json()["kind"] == "document_answer" and due in r.json()["text"]
    r = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer, json={"text": "what is the bill date?"})
    assert doc.truth["fields"]["bill_date"] in r.json()["text"]
    with client.app.state.workbench.session() as session:
        entries = [e for e in list_audit(session, action="chat.document") if e.target == sid]
    assert len(entries) == 1 and "amount_due" in entries[0].details["fields"]
    assert doc.truth["fields"]["amount_due"] not in str(entries[0].details)


def test_bad_documents_get_clear_errors(warm, client, viewer):
    pytest.importorskip("pytesseract")
    import io
    import shutil

    from PIL import Image

    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    sid = client.post("/api/chat/sessions", headers=viewer, json={}).json()["id"]
    url = f"/api/chat/sessions/{sid}/documents"
    r = client.post(url, headers=viewer, files={"file": ("notes.txt", b"just some text", "text/plain")})
    assert r.status_code == 422 and r.json()["detail"].startswith("notes.txt must be")
    blank = io.BytesIO()
    Image.new("RGB", (600, 400), "white").save(blank, "PNG")
    r = client.post(url, headers=viewer, files={"file": ("blank.png", blank.getvalue(), "image/png")})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("document must show readable text; found no fields in 'blank.png'")
    assert client.get(f"/api/chat/sessions/{sid}/messages", headers=viewer).json() == []


def test_spending_chart_comes_with_its_table(warm, client, viewer):
    sid = client.post("/api/chat/sessions", headers=viewer, json={"customer_id": "c13"}).json()["id"]
    body = client.post(f"/api/chat/sessions/{sid}/messages", headers=viewer,
                       json={"text": "show my spending by category"}).json()
    assert body["kind"] == "chart" and body["attachment"]["table"]
    import base64

    assert base64.b64decode(body["attachment"]["png_base64"])[:4] == b"\x89PNG"


def test_chat_tools_follow_the_keys_role(client, warm, admin, analyst, viewer):
    """A customer (viewer key) gets a market summary and is refused the analyst tools; an analyst
    key gets the monitoring cases."""
    s = client.post("/api/chat/sessions", headers=viewer, json={"customer_id": "c-9"}).json()
    url = f"/api/chat/sessions/{s['id']}/messages"
    r = client.post(url, headers=viewer, json={"text": "How is the S&P 500 doing this week?"})
    assert r.status_code == 200 and r.json()["kind"] == "tool_result" and r.json()["intent"] == "market_summary"
    r = client.post(url, headers=viewer, json={"text": "show me the open alerts"})
    assert r.json()["kind"] == "tool_denied" and "analyst role" in r.json()["text"]
    s2 = client.post("/api/chat/sessions", headers=analyst, json={}).json()
    r = client.post(f"/api/chat/sessions/{s2['id']}/messages", headers=analyst, json={"text": "list the open cases"})
    assert r.json()["kind"] == "tool_result" and r.json()["text"] == "There are 0 open cases."
