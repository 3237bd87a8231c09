"""Webhook signature, retries with back-off and the dead-letter list against a local receiver;
e-mail through a local SMTP sink."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from finloom.apps.monitoring._notify import DeadLetters, EmailNotifier, WebhookNotifier, verify
from finloom.errors import ConfigError

SECRET = "0123456789abcdef0123"


class _Receiver:
    """A local HTTP server that fails the first ``failures`` requests with 500."""

    def __init__(self, failures: int) -> None:
        received: list[tuple[bytes, str]] = []
        state = {"left": failures}

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((body, self.headers.get("X-Finloom-Signature", "")))
                code = 500 if state["left"] > 0 else 200
                state["left"] -= 1
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.received = received
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(("failures", "delivered"), [(0, True), (2, True), (10, False)])
def test_webhook_signs_retries_and_dead_letters(tmp_path, failures: int, delivered: bool) -> None:
    receiver = _Receiver(failures)
    waits: list[float] = []
    dead = DeadLetters(tmp_path / "dead.jsonl")
    try:
        hook = WebhookNotifier(
            receiver.url, SECRET, dead, retries=3, backoff_s=0.5, sleep=waits.append
        )
        assert hook.send({"case": 7, "risk": 0.93}) is delivered
    finally:
        receiver.close()
    assert len(receiver.received) == (min(failures, 3) + 1)
    body, header = receiver.received[-1]
    assert json.loads(body) == {"case": 7, "risk": 0.93}
    assert verify(SECRET, body, header) and not verify("another-secret-1234", body, header)
    assert not verify(SECRET, body + b" ", header)  # tampered body
    assert waits == [0.5, 1.0, 2.0][: min(failures, 3)]
    assert [d["reason"] for d in dead.items()] == ([] if delivered else ["HTTP 500"])


def test_webhook_unreachable_goes_to_dead_letters(tmp_path) -> None:
    dead = DeadLetters(tmp_path / "dead.jsonl")
    hook = WebhookNotifier(
        "http://127.0.0.1:9/none", SECRET, dead, retries=1, sleep=lambda s: None, timeout_s=1
    )
    assert hook.send({"x": 1}) is False and dead.items()[0]["payload"] == {"x": 1}


def test_webhook_refuses_weak_configuration(tmp_path) -> None:
    with pytest.raises(ConfigError, match="at least 16 characters"):
        WebhookNotifier("https://x", "short", DeadLetters(tmp_path / "d"))
    with pytest.raises(ConfigError, match="http:// or https://"):
        WebhookNotifier("ftp://x", SECRET, DeadLetters(tmp_path / "d"))


def test_email_reaches_a_local_smtp_sink() -> None:
    controller_mod = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.handlers import Sink

    messages: list[bytes] = []

    class Keep(Sink):
        async def handle_DATA(self, server, session, envelope):
            messages.append(envelope.content)
            return "250 OK"

    with socket.socket() as probe:  # a free port for the sink
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_mod.Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        EmailNotifier("127.0.0.1", port, "monitor@bank.test", ["fraud-team@bank.test"]).send(
            "Case 7: risk 0.93", "Account A000042 needs a look."
        )
    finally:
        controller.stop()
    assert len(messages) == 1 and b"Subject: Case 7: risk 0.93" in messages[0]
    assert b"Account A000042 needs a look." in messages[0]
