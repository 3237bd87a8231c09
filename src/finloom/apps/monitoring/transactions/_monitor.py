"""The live monitor: parse, de-duplicate by event id, score with account state, file alerts into cases."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finloom.apps.monitoring._notify import Dispatcher
from finloom.apps.monitoring.transactions._alerts import AlertStore
from finloom.apps.monitoring.transactions._events import (
    MAX_EVENT_BYTES,
    EventRejected,
    parse_event,
)
from finloom.apps.monitoring.transactions._scorer import ScoredEvent, TransactionScorer
from finloom.apps.monitoring.transactions._state import StateStore
from finloom.errors import ConfigError

__all__ = ["IngestResult", "Monitor", "read_event_file"]

Raw = Mapping[str, Any] | bytes | str


@dataclass
class IngestResult:
    """What one ingest call did: accepted, duplicate and rejected events, the alerts and cases."""

    accepted: int = 0
    duplicates: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    alerts: list[ScoredEvent] = field(default_factory=list)
    cases: list[int] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (alerts with their reasons)."""
        return {
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "problems": self.problems[:20],
            "cases": self.cases,
            "alerts": [
                {
                    "event_id": a.event_id,
                    "account_id": a.account_id,
                    "risk": round(a.risk, 4),
                    "reasons": list(a.reasons),
                }
                for a in self.alerts
            ],
        }


def _decode(raw: Raw) -> Mapping[str, Any]:
    if isinstance(raw, bytes | str):
        size = len(raw.encode() if isinstance(raw, str) else raw)
        if size > MAX_EVENT_BYTES:
            raise EventRejected(
                "too_large",
                f"an event must be at most {MAX_EVENT_BYTES} bytes; got {size}. "
                "Send the transaction fields only.",
            )
        try:
            value = json.loads(raw)
        except ValueError:
            raise EventRejected(
                "malformed",
                "an event must be valid JSON; got text that does not parse. "
                "Send one JSON object per event.",
            ) from None
        if not isinstance(value, dict):
            raise EventRejected(
                "malformed", f"an event must be a JSON object; got {type(value).__name__}."
            )
        return value
    return raw


class Monitor:
    """A scorer, its account state and its durable record, behind one ``ingest`` call.

    With a ``notifier`` (:class:`~finloom.apps.monitoring._notify.Dispatcher`), every new alert
    is sent through its channels once its batch is committed.

    Examples
    --------
    >>> import tempfile
    >>> from finloom.synth.transactions import make_demo_tables, inject_anomalies
    >>> _, a = make_demo_tables(60, days=14, random_state=0)
    >>> _, b = make_demo_tables(60, days=14, random_state=1)
    >>> a, b = (inject_anomalies(t, rates={"mule": 0.05}, random_state=0) for t in (a, b))
    >>> scorer = TransactionScorer(n_estimators=10, window_size=300).fit(a, b)
    >>> monitor = Monitor(scorer, AlertStore(tempfile.mkdtemp() + "/m.sqlite"))
    >>> event = {"event_id": "e1", "account_id": "A1", "timestamp": 1704103200, "amount": 12.5}
    >>> monitor.ingest([event]).accepted, monitor.ingest([event]).duplicates
    (1, 1)
    """

    def __init__(
        self, scorer: TransactionScorer, store: AlertStore, *, notifier: Dispatcher | None = None
    ) -> None:
        self.scorer = scorer
        self.store = store
        self.state = StateStore()
        self.notifier = notifier

    def ingest(self, raws: Sequence[Raw]) -> IngestResult:
        """Score a batch exactly once per event id; bad events are counted, the rest flow on."""
        result, events, rejected = IngestResult(), [], Counter[str]()
        for raw in raws:
            try:
                events.append(parse_event(_decode(raw)))
            except EventRejected as exc:
                rejected[exc.reason] += 1
                result.problems.append(str(exc))
        fresh = set(self.store.new_ids([e.event_id for e in events]))
        unique, taken = [], set()
        for e in events:
            if e.event_id in fresh and e.event_id not in taken:
                unique.append(e)
                taken.add(e.event_id)
        result.duplicates = len(events) - len(unique)
        self._load_states(e.account_id for e in unique)
        batch = self.scorer.score_events(unique, self.state)
        for _, refusal in batch.rejected:
            rejected[refusal.reason] += 1
            result.problems.append(str(refusal))
        scored = self.scorer.explain(batch)
        touched = {e.account_id: self.state.accounts[e.account_id] for e in batch.events}
        result.cases = self.store.commit_batch(scored, touched, dict(rejected))
        result.accepted, result.rejected = len(scored), dict(rejected)
        result.alerts = [s for s in scored if s.alert]
        if self.notifier is not None and result.alerts:
            self._notify(result.alerts)
        return result

    def _notify(self, alerts: list[ScoredEvent]) -> None:
        """Queue the batch's new alerts (after their commit) for the configured channels."""
        assert self.notifier is not None
        case_of = self.store.alert_cases([a.event_id for a in alerts])
        for a in alerts:
            self.notifier.alert(
                {
                    "event_id": a.event_id,
                    "account_id": a.account_id,
                    "ts": a.ts,
                    "amount": a.amount,
                    "risk": round(a.risk, 4),
                    "reasons": list(a.reasons),
                    "case_id": case_of.get(a.event_id),
                }
            )

    def _load_states(self, accounts: Iterable[str]) -> None:
        missing = {a for a in accounts if a not in self.state.accounts}
        if missing:
            self.state.accounts.update(self.store.load_states(missing))

    def replay(
        self, events: Iterable[Raw], *, speed: float = 0.0, batch: int = 500
    ) -> Iterator[IngestResult]:
        """Ingest a recorded stream in batches; ``speed`` > 0 replays at that many times real time."""
        if speed < 0:
            raise ConfigError(f"speed must be >= 0; got {speed}. Use 0 for as fast as possible.")
        pending: list[Raw] = []
        first_ts, started = None, time.monotonic()
        for raw in events:
            pending.append(raw)
            if (
                speed > 0
                and isinstance(raw, Mapping)
                and isinstance(raw.get("timestamp"), int | float)
            ):
                first_ts = raw["timestamp"] if first_ts is None else first_ts
                wait = (raw["timestamp"] - first_ts) / speed - (time.monotonic() - started)
                if wait > 0:
                    yield self.ingest(pending)
                    pending = []
                    time.sleep(min(wait, 5.0))
            if len(pending) >= batch:
                yield self.ingest(pending)
                pending = []
        if pending:
            yield self.ingest(pending)


def read_event_file(path: str | Path) -> Iterator[Raw]:
    """Events from a JSON-lines file (one object per line; blank lines skipped) or a CSV table.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "e.jsonl"
    >>> _ = p.write_text('{"event_id": "e1"}\\n\\n{"event_id": "e2"}\\n')
    >>> len(list(read_event_file(p)))
    2
    """
    file = Path(path)
    if not file.is_file():
        raise ConfigError(f"the event file must exist; got {str(file)!r}. Check the path.")
    if file.suffix.lower() == ".csv":
        from finloom.data import read_table

        frame = read_table(file)
        if "transaction_id" in frame.columns and "event_id" not in frame.columns:
            frame = frame.rename(
                columns={
                    "transaction_id": "event_id",
                    "merchant_category": "category",
                    "device_id": "device",
                }
            )
        for record in frame.to_dict(orient="records"):
            yield {str(k): v for k, v in record.items() if v == v}  # drop NaN
        return
    with file.open("rb") as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip(b"\n")
