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


def _smtp_sink() -> tuple[object, int, list[bytes]]:
    controller_mod = pytest.importorskip("aiosmtpd.controller")
    from aiosmtpd.handlers import Sink

    messages: list[bytes] = []

    class Keep(Sink):
        async def handle_DATA(self, server, session, envelope):
            messages.append(envelope.content)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = controller_mod.Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port, messages


def test_new_alerts_and_case_changes_are_sent_through_the_configured_channels(tmp_path) -> None:
    """The service wiring: settings -> hub -> monitor; alerts after commit, case changes after
    the update, each signed on the webhook and e-mailed through the SMTP sink."""
    from finloom.apps.monitoring.transactions import TransactionScorer
    from finloom.config import Settings
    from finloom.services import monitoring as service
    from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables
    from finloom.workbench import Workbench

    streams = []
    for seed in (0, 1, 2):
        _, tx = make_demo_tables(60, days=14, random_state=seed)
        streams.append(
            inject_anomalies(tx, rates=dict.fromkeys(ANOMALY_TYPES, 0.05), random_state=seed)
        )
    receiver = _Receiver(failures=1)  # the first delivery is retried
    controller, port, mails = _smtp_sink()
    settings = Settings(
        workspace=tmp_path / "ws",
        monitor_webhook_url=receiver.url,
        monitor_webhook_secret=SECRET,
        monitor_smtp_host="127.0.0.1",
        monitor_smtp_port=port,
        monitor_smtp_to="fraud-team@bank.test, second@bank.test",
    )
    workbench = Workbench(settings).migrate()
    try:
        scorer = TransactionScorer(n_estimators=10, window_size=300).fit(streams[0], streams[1])
        scorer.save(tmp_path / "ws" / "monitoring" / "scorer")
        hub = service.MonitorHub()
        hub.dispatcher(workbench).backoff_s = 0.0
        hub.dispatcher(workbench).webhook.sleep = lambda s: None
        raws = [
            {
                "event_id": str(r.transaction_id),
                "account_id": str(r.account_id),
                "timestamp": r.timestamp.timestamp(),
                "amount": float(r.amount),
                "country": str(r.country),
                "direction": str(r.direction),
                "category": str(r.merchant_category),
                "channel": str(r.channel),
                "device": str(r.device_id),
                "counterparty": str(r.counterparty),
            }
            for r in streams[2].itertuples()
        ]
        out = service.ingest(hub, workbench, raws)
        assert out.alerts
        case_id = out.cases[0]
        service.update_case(
            hub, workbench, "ana", case_id, service.CaseUpdateIn(disposition="fraud")
        )
        assert hub.dispatcher(workbench).flush(timeout_s=60)
    finally:
        receiver.close()
        controller.stop()  # type: ignore[attr-defined]
        workbench.close()
    bodies = [json.loads(b) for b, h in receiver.received if verify(SECRET, b, h)]
    assert len(bodies) == len(receiver.received)  # every request signed
    alerts = [b for b in bodies if b["kind"] == "alert"]
    assert len(bodies) == len(out.alerts) + 1 + 1  # the alerts, the case change, one retry
    assert sorted({a["event_id"] for a in alerts}) == sorted(a["event_id"] for a in out.alerts)
    assert all(a["case_id"] in out.cases and a["reasons"] is not None for a in alerts)
    changes = [b for b in bodies if b["kind"] == "case"]
    assert changes == [
        {
            "kind": "case",
            "case_id": case_id,
            "account_id": changes[0]["account_id"],
            "status": "closed",
            "assignee": "",
            "disposition": "fraud",
            "max_risk": changes[0]["max_risk"],
            "by": "ana",
            "changes": ["disposition"],
        }
    ]
    assert len(mails) == len(out.alerts) + 1
    assert any(f"Subject: finloom case {case_id}: closed".encode() in m for m in mails)
    assert (tmp_path / "ws" / "monitoring" / "dead_letters.jsonl").exists() is False


def test_dispatcher_dead_letters_an_unreachable_smtp_server(tmp_path) -> None:
    from finloom.apps.monitoring._notify import Dispatcher

    dead = DeadLetters(tmp_path / "dead.jsonl")
    mail = EmailNotifier("127.0.0.1", 9, "monitor@bank.test", ["x@bank.test"], timeout_s=1)
    waits: list[float] = []
    d = Dispatcher(email=mail, dead_letters=dead, email_retries=2, sleep=waits.append)
    assert d.alert({"event_id": "e1", "risk": 0.99, "account_id": "A1", "case_id": 3})
    assert d.flush(timeout_s=30)
    d.close()
    assert waits == [0.5, 1.0] and dead.items()[0]["payload"]["event_id"] == "e1"
    assert dead.items()[0]["target"].startswith("smtp://")
