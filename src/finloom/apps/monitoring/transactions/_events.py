"""Transaction events: one validated record, the reasons an event is refused, frame conversion."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from finloom.errors import InvalidDataError

__all__ = [
    "CURRENCIES",
    "MAX_EVENT_BYTES",
    "Event",
    "EventRejected",
    "events_from_frame",
    "parse_event",
]

CURRENCIES = frozenset(
    {"GBP", "EUR", "USD", "CHF", "CNY", "HKD", "JPY", "SEK", "NOK", "DKK", "PLN"}
)
MAX_EVENT_BYTES = 64 * 1024
_REQUIRED = ("event_id", "account_id", "timestamp", "amount")
_TEXT = ("currency", "category", "channel", "country", "device", "direction", "counterparty")


class EventRejected(InvalidDataError):
    """An event the scorer refuses; ``reason`` is a short code counted by the ingest."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(slots=True)
class Event:
    """One transaction event; ``ts`` is seconds since the epoch (UTC).

    Examples
    --------
    >>> Event("e1", "A1", 0.0, 12.5).direction
    'out'
    """

    event_id: str
    account_id: str
    ts: float
    amount: float
    currency: str = "GBP"
    category: str = ""
    channel: str = ""
    country: str = ""
    device: str = ""
    direction: str = "out"
    counterparty: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The event as plain JSON-ready values.

        Examples
        --------
        >>> Event("e1", "A1", 0.0, 1.0).to_dict()["amount"]
        1.0
        """
        return asdict(self)


def _timestamp(value: Any) -> float:
    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.replace("Z", "+00:00")
        stamp = datetime.fromisoformat(text)
        return stamp.timestamp() if stamp.tzinfo else pd.Timestamp(text).timestamp()
    raise TypeError


def parse_event(raw: Mapping[str, Any]) -> Event:
    """Validate one raw event; raise :class:`EventRejected` with a reason code otherwise.

    Amounts must be JSON numbers (a string such as ``"12.50"`` is refused, not guessed), the
    currency one of :data:`CURRENCIES`, the timestamp epoch seconds or ISO 8601.

    Examples
    --------
    >>> parse_event({"event_id": "e1", "account_id": "A1", "timestamp": "2024-01-01T10:00:00Z",
    ...              "amount": 20}).ts
    1704103200.0
    >>> parse_event({"event_id": "e1", "account_id": "A1", "timestamp": 0, "amount": "20"})
    Traceback (most recent call last):
    ...
    finloom.apps.monitoring.transactions._events.EventRejected: amount must be a number; got '20'. Send the amount as a JSON number.
    """
    if not isinstance(raw, Mapping):
        raise EventRejected(
            "malformed",
            f"an event must be a JSON object; got {type(raw).__name__}. Send one object per event.",
        )
    missing = [k for k in _REQUIRED if raw.get(k) in (None, "")]
    if missing:
        raise EventRejected(
            "missing_field",
            f"an event must have {list(_REQUIRED)}; got no {missing}. Add the missing fields.",
        )
    amount = raw["amount"]
    if isinstance(amount, bool) or not isinstance(amount, int | float) or not math.isfinite(amount):
        raise EventRejected(
            "bad_amount",
            f"amount must be a number; got {amount!r}. Send the amount as a JSON number.",
        )
    if amount < 0:
        raise EventRejected(
            "bad_amount", f"amount must be >= 0; got {amount}. Send refunds with direction 'in'."
        )
    try:
        ts = _timestamp(raw["timestamp"])
    except (TypeError, ValueError):
        raise EventRejected(
            "bad_timestamp",
            f"timestamp must be epoch seconds or ISO 8601; got "
            f"{raw['timestamp']!r}. Fix the timestamp.",
        ) from None
    currency = str(raw.get("currency") or "GBP").upper()
    if currency not in CURRENCIES:
        raise EventRejected(
            "unknown_currency",
            f"currency must be one of {sorted(CURRENCIES)}; got "
            f"{currency!r}. Convert the amount first.",
        )
    direction = str(raw.get("direction") or "out")
    if direction not in ("in", "out"):
        raise EventRejected("malformed", f"direction must be 'in' or 'out'; got {direction!r}.")
    text = {k: str(raw.get(k) or "") for k in _TEXT if k not in ("currency", "direction")}
    return Event(
        str(raw["event_id"]),
        str(raw["account_id"]),
        ts,
        float(amount),
        currency,
        direction=direction,
        **text,
    )


def events_from_frame(frame: pd.DataFrame, *, currency: str = "GBP") -> Iterator[Event]:
    """Events from a transactions table shaped like ``make_demo_tables`` output (fast path).

    Examples
    --------
    >>> from finloom.synth.transactions import make_demo_tables
    >>> _, tx = make_demo_tables(2, days=2, random_state=0)
    >>> next(events_from_frame(tx)).event_id
    'T00000000'
    """
    n = len(frame)
    ids = frame["transaction_id"].astype(str).tolist()
    accounts = frame["account_id"].astype(str).tolist()
    stamps = pd.to_datetime(frame["timestamp"])
    ts = (stamps - pd.Timestamp("1970-01-01")).dt.total_seconds().tolist() if n else []
    amount = frame["amount"].astype(float).tolist()

    def col(name: str, default: str = "") -> list[str]:
        return frame[name].astype(str).tolist() if name in frame.columns else [default] * n

    cat, chan, country = col("merchant_category"), col("channel"), col("country")
    device, direction, cp = col("device_id"), col("direction", "out"), col("counterparty")
    for i in range(n):
        yield Event(
            ids[i],
            accounts[i],
            ts[i],
            amount[i],
            currency,
            cat[i],
            chan[i],
            country[i],
            device[i],
            direction[i],
            cp[i],
        )
