"""Alert notifications: signed webhooks with retries and a dead-letter list, and e-mail over SMTP.

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
import smtplib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from finloom.errors import ConfigError

__all__ = ["DeadLetters", "EmailNotifier", "WebhookNotifier", "sign", "verify"]

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
