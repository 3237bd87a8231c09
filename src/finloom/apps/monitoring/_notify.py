"""Alert notifications: signed webhooks with retries and a dead-letter list, and e-mail over SMTP.

:class:`Dispatcher` wires them to the monitor: new alerts at or above a risk threshold and every
change of a case (assigned, noted, closed) go to each configured channel from a background
thread, so a slow or failing receiver never holds up scoring; what a channel could not take ends
in the dead-letter list.

Webhook requests carry ``X-Finloom-Signature: t=<unix time>,v1=<hex>`` where ``v1`` is
HMAC-SHA256 of ``"<t>." + body`` under the shared secret (the receiver recomputes it and refuses
old timestamps, so a captured request cannot be replayed later). A failed delivery (network error
or a non-2xx answer) is retried with exponential back-off; after the last try the payload goes to
the dead-letter list (a JSON-lines file) with the reason, for a later ``redeliver``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import queue
import smtplib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from finloom.errors import ConfigError

__all__ = ["DeadLetters", "Dispatcher", "EmailNotifier", "WebhookNotifier", "sign", "verify"]

SIGNATURE_HEADER = "X-Finloom-Signature"


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The signature header value of ``body``.

    Examples
    --------
    >>> header = sign("s3cret", b'{"a": 1}', timestamp=1700000000)
    >>> header.startswith("t=1700000000,v1=") and verify("s3cret", b'{"a": 1}', header, now=1700000010)
    True
    """
    t = int(time.time()) if timestamp is None else int(timestamp)
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify(
    secret: str, body: bytes, header: str, *, tolerance_s: int = 300, now: float | None = None
) -> bool:
    """Whether ``header`` signs ``body`` under ``secret`` and is recent enough.

    Examples
    --------
    >>> verify("s3cret", b"x", sign("other", b"x"))
    False
    """
    try:
        parts = dict(p.split("=", 1) for p in header.split(","))
        t = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs((time.time() if now is None else now) - t) > tolerance_s:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


class DeadLetters:
    """Undeliverable notifications, one JSON object per line.

    Examples
    --------
    >>> import tempfile
    >>> dl = DeadLetters(tempfile.mkdtemp() + "/dead.jsonl")
    >>> dl.add({"a": 1}, reason="HTTP 500", target="https://x")
    >>> [d["reason"] for d in dl.items()]
    ['HTTP 500']
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def add(self, payload: dict[str, Any], *, reason: str, target: str) -> None:
        """Append one undeliverable payload."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"at": time.time(), "target": target, "reason": reason, "payload": payload}
        )
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")

    def items(self) -> list[dict[str, Any]]:
        """Every dead letter, oldest first."""
        if not self.path.is_file():
            return []
        return [
            json.loads(line)
            for line in self.path.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]


@dataclass
class WebhookNotifier:
    """POST alerts as signed JSON; retry with back-off; dead-letter what never got through."""

    url: str
    secret: str
    dead_letters: DeadLetters
    retries: int = 4
    backoff_s: float = 0.5
    timeout_s: float = 5.0
    sleep: Callable[[float], None] = time.sleep
    attempts: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise ConfigError(
                f"the webhook url must start with http:// or https://; got {self.url!r}."
            )
        if len(self.secret) < 16:
            raise ConfigError(
                "the webhook secret must be at least 16 characters; got a shorter one. "
                "Generate one with `python -c 'import secrets; print(secrets.token_hex(16))'`."
            )

    def send(self, payload: dict[str, Any]) -> bool:
        """Deliver one payload; ``False`` when it went to the dead-letter list."""
        import httpx

        body = json.dumps(payload, sort_keys=True, default=str).encode()
        reason = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff_s * 2 ** (attempt - 1))
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(self.secret, body),
            }
            try:
                response = httpx.post(
                    self.url, content=body, headers=headers, timeout=self.timeout_s
                )
                reason = f"HTTP {response.status_code}"
                if 200 <= response.status_code < 300:
                    self.attempts.append("ok")
                    return True
            except httpx.HTTPError as exc:
                reason = type(exc).__name__
            self.attempts.append(reason)
        self.dead_letters.add(payload, reason=reason, target=self.url)
        return False


@dataclass(frozen=True)
class EmailNotifier:
    """Send alert e-mails through a configured SMTP server."""

    host: str
    port: int
    sender: str
    recipients: Sequence[str]
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout_s: float = 10.0

    def send(self, subject: str, text: str) -> None:
        """Send one plain-text message to every recipient."""
        if not self.recipients:
            raise ConfigError(
                "e-mail recipients must not be empty; got none. Configure at least one address."
            )
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = (
            self.sender,
            ", ".join(self.recipients),
            subject,
        )
        message.set_content(text)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(message)


def _email_text(payload: dict[str, Any]) -> tuple[str, str]:
    """Subject and body of a notification e-mail."""
    if payload.get("kind") == "case":
        subject = f"finloom case {payload.get('case_id')}: {payload.get('status', '')}"
    else:
        subject = (
            f"finloom alert: account {payload.get('account_id')} risk "
            f"{float(payload.get('risk', 0.0)):.2f} (case {payload.get('case_id')})"
        )
    body = "\n".join(f"{k}: {v}" for k, v in sorted(payload.items()))
    return subject, body


@dataclass
class Dispatcher:
    """Send alerts (risk >= ``min_risk``) and case changes through every configured channel.

    Deliveries run in one background thread in the order they were queued; :meth:`flush` waits
    for the queue to drain (tests, shutdown). A payload that a channel could not take after its
    retries is in ``dead_letters``.

    Examples
    --------
    >>> import tempfile
    >>> sent = []
    >>> class Hook:
    ...     url = "memory://"
    ...     def send(self, payload):
    ...         sent.append(payload)
    ...         return True
    >>> d = Dispatcher(webhook=Hook(), min_risk=0.9, dead_letters=DeadLetters(tempfile.mkdtemp() + "/d"))
    >>> d.alert({"event_id": "e1", "risk": 0.95}), d.alert({"event_id": "e2", "risk": 0.5})
    (True, False)
    >>> d.flush(), [p["event_id"] for p in sent]
    (True, ['e1'])
    >>> d.close()
    """

    webhook: Any = None  # WebhookNotifier (or anything with ``send(payload) -> bool``)
    email: EmailNotifier | None = None
    min_risk: float = 0.0
    dead_letters: DeadLetters | None = None
    email_retries: int = 2
    backoff_s: float = 0.5
    max_queue: int = 10_000
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self._queue: queue.Queue[dict[str, Any] | None] = queue.Queue(maxsize=self.max_queue)
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """Whether any channel is configured."""
        return self.webhook is not None or self.email is not None

    def alert(self, payload: dict[str, Any]) -> bool:
        """Queue one new alert if its risk reaches ``min_risk``; returns whether it was queued."""
        if float(payload.get("risk", 0.0)) < self.min_risk:
            return False
        return self._put({"kind": "alert", **payload})

    def case(self, payload: dict[str, Any]) -> bool:
        """Queue one case change (new status, assignee, note or disposition)."""
        return self._put({"kind": "case", **payload})

    def _put(self, payload: dict[str, Any]) -> bool:
        if not self.enabled:
            return False
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="finloom-notify", daemon=True
                )
                self._thread.start()
        try:
            self._queue.put_nowait(payload)
        except queue.Full:
            self._dead(payload, "queue full", "dispatcher")
            return False
        return True

    def _dead(self, payload: dict[str, Any], reason: str, target: str) -> None:
        if self.dead_letters is not None:
            self.dead_letters.add(payload, reason=reason, target=target)

    def _run(self) -> None:
        while True:
            payload = self._queue.get()
            try:
                if payload is None:
                    return
                self._deliver(payload)
            finally:
                self._queue.task_done()

    def _deliver(self, payload: dict[str, Any]) -> None:
        if self.webhook is not None:
            try:
                self.webhook.send(payload)  # retries and dead-letters on its own
            except Exception as exc:
                self._dead(payload, type(exc).__name__, str(getattr(self.webhook, "url", "")))
        if self.email is not None:
            subject, text = _email_text(payload)
            reason = ""
            for attempt in range(self.email_retries + 1):
                if attempt:
                    self.sleep(self.backoff_s * 2 ** (attempt - 1))
                try:
                    self.email.send(subject, text)
                    return
                except (OSError, smtplib.SMTPException) as exc:
                    reason = type(exc).__name__
            self._dead(payload, reason, f"smtp://{self.email.host}:{self.email.port}")

    def flush(self, timeout_s: float = 30.0) -> bool:
        """Wait until every queued notification was delivered or dead-lettered."""
        deadline = time.monotonic() + timeout_s
        while self._queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def close(self) -> None:
        """Drain the queue and stop the thread."""
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=30.0)
        self._thread = None
