"""Risk monitoring: fit the transaction scorer, ingest events, work the case queue (audited).

A workspace keeps its monitor under ``<workspace>/monitoring/``: the fitted scorer
(``scorer/``, JSON + safetensors) and the monitor's SQLite record (``monitor.sqlite``: event ids,
account states, alerts, cases, notes). :class:`MonitorHub` holds one live :class:`Monitor` per
workspace for a server process and serialises ingest into it. Analysts' actions (assign, note,
close, draft a narrative) and fitting are audited; machine ingest is counted in the monitor's own
record, not in the audit log.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from finloom.apps.monitoring._notify import DeadLetters, Dispatcher, EmailNotifier, WebhookNotifier
from finloom.apps.monitoring.transactions import (
    DISPOSITIONS,
    AlertStore,
    Monitor,
    TransactionScorer,
    draft_narrative,
)
from finloom.errors import InvalidDataError, NotFoundError
from finloom.store import record_audit
from finloom.workbench import Workbench

__all__ = [
    "DISPOSITIONS",
    "MAX_BATCH_EVENTS",
    "CaseOut",
    "CaseUpdateIn",
    "EventBatchIn",
    "FitIn",
    "FitOut",
    "IngestOut",
    "MonitorHub",
    "NarrativeOut",
    "case",
    "cases",
    "fit_demo",
    "hub_of",
    "ingest",
    "narrative",
    "status",
    "update_case",
    "SentimentIn",
    "SentimentOut",
    "TextIn",
    "sentiment_observe",
    "sentiment_series",
    "ReplayOut",
    "replay_file",
    "publish_file",
    "consume_redis",
    "dispatcher_from_settings",
]

MAX_BATCH_EVENTS = 10_000


class FitIn(BaseModel):
    """Fit the scorer on generated demo streams (train and calibration, different seeds)."""

    accounts: int = Field(default=600, ge=50, le=50_000)
    days: int = Field(default=45, ge=14, le=365)
    warmup_days: int = Field(default=14, ge=0, le=180)
    seed: int = Field(default=0, ge=0, le=2**32 - 1)


class QuickFitIn(FitIn):
    """A fit small enough to run inside one HTTP request (a few seconds); larger ones: ``finloom monitor fit``."""

    accounts: int = Field(default=80, ge=50, le=100)  # ≈ 2 CPU seconds at the bounds
    days: int = Field(default=21, ge=14, le=21)
    warmup_days: int = Field(default=7, ge=0, le=14)


class FitOut(BaseModel):
    path: str  # relative to the workspace
    train_events: int
    calibration_events: int
    alert_threshold: float
    rules: list[str]


class EventBatchIn(BaseModel):
    """Raw events: each is validated on its own and refused with a reason, never the whole batch."""

    events: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_BATCH_EVENTS)]


class IngestOut(BaseModel):
    accepted: int
    duplicates: int
    rejected: dict[str, int]
    problems: list[str]
    cases: list[int]
    alerts: list[dict[str, Any]]


class CaseOut(BaseModel):
    case_id: int
    account_id: str
    status: str
    assignee: str
    disposition: str
    opened: float
    updated: float
    max_risk: float
    alerts: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []


class CaseUpdateIn(BaseModel):
    """Assign, add a note and/or close with a disposition."""

    assignee: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=5_000)
    disposition: Literal["fraud", "not_fraud", "escalated"] | None = None


class NarrativeOut(BaseModel):
    case_id: int
    text: str
    unsupported_numbers: int
    facts: list[dict[str, Any]]


def hub_of(state: Any) -> MonitorHub:
    """The hub kept on an application's ``state`` (created on first use, shared by API and pages).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> s = SimpleNamespace()
    >>> hub_of(s) is hub_of(s)
    True
    """
    hub = getattr(state, "monitors", None)
    if hub is None:
        hub = state.monitors = MonitorHub()
    return hub


def _folder(workbench: Workbench) -> Path:
    return Path(workbench.workspace) / "monitoring"


def dispatcher_from_settings(settings: Any, folder: Path) -> Dispatcher:
    """The notification channels configured in the settings (``FINLOOM_MONITOR_*``).

    Undeliverable notifications go to ``<folder>/dead_letters.jsonl``.

    Examples
    --------
    >>> from finloom.config import Settings
    >>> d = dispatcher_from_settings(Settings(workspace="/tmp/fl"), Path("/tmp/fl/monitoring"))
    >>> d.enabled
    False
    """
    dead = DeadLetters(folder / "dead_letters.jsonl")
    webhook = None
    if settings.monitor_webhook_url:
        secret = settings.monitor_webhook_secret
        webhook = WebhookNotifier(
            settings.monitor_webhook_url, secret.get_secret_value() if secret else "", dead
        )
    email = None
    if settings.monitor_smtp_host:
        password = settings.monitor_smtp_password
        email = EmailNotifier(
            settings.monitor_smtp_host,
            settings.monitor_smtp_port,
            settings.monitor_smtp_sender,
            tuple(settings.monitor_smtp_to),
            username=settings.monitor_smtp_username,
            password=password.get_secret_value() if password else None,
            starttls=settings.monitor_smtp_starttls,
        )
    return Dispatcher(
        webhook=webhook, email=email, min_risk=settings.monitor_notify_min_risk, dead_letters=dead
    )


class MonitorHub:
    """The live monitor of each workspace in this process (created on first use).

    Examples
    --------
    >>> hub = MonitorHub()
    >>> hub.lock().locked()
    False
    """

    def __init__(self, *, classifier_loader: Callable[[Workbench, str], Any] | None = None) -> None:
        self._monitors: dict[Path, Monitor] = {}
        self._dispatchers: dict[Path, Dispatcher] = {}
        self._lock = threading.Lock()
        self._notify_lock = threading.Lock()
        self._classifier_loader = classifier_loader
        self.sentiment: dict[tuple[Any, ...], Any] = {}
        self.sentiment_alerts: list[dict[str, Any]] = []

    def load_classifier(self, workbench: Workbench, name: str) -> Any:
        """The sentiment classifier registered as ``name`` (or what the injected loader returns)."""
        if self._classifier_loader is not None:
            return self._classifier_loader(workbench, name)
        return workbench.artifacts.load(name)

    def dispatcher(self, workbench: Workbench) -> Dispatcher:
        """The workspace's notification channels (from the settings; created on first use)."""
        folder = _folder(workbench)
        with self._notify_lock:
            found = self._dispatchers.get(folder)
            if found is None:
                found = self._dispatchers[folder] = dispatcher_from_settings(
                    workbench.settings, folder
                )
            return found

    def flush(self, timeout_s: float = 60.0) -> bool:
        """Wait until every queued notification was delivered or dead-lettered (a CLI exits next).

        Examples
        --------
        >>> MonitorHub().flush()
        True
        """
        with self._notify_lock:
            dispatchers = list(self._dispatchers.values())
        return all(d.flush(timeout_s) for d in dispatchers)

    def get(self, workbench: Workbench) -> Monitor:
        """The workspace's monitor; raises :class:`NotFoundError` before a scorer was fitted."""
        folder = _folder(workbench)
        with self._lock:
            monitor = self._monitors.get(folder)
            if monitor is None:
                if not (folder / "scorer").is_dir():
                    raise NotFoundError(
                        "the monitoring scorer must be fitted first; got none in this "
                        "workspace. Run `finloom monitor fit`."
                    )
                monitor = Monitor(
                    TransactionScorer.load(folder / "scorer"),
                    AlertStore(folder / "monitor.sqlite"),
                    notifier=self.dispatcher(workbench),
                )
                self._monitors[folder] = monitor
            return monitor

    def store(self, workbench: Workbench) -> AlertStore:
        """The workspace's record (readable without a fitted scorer)."""
        folder = _folder(workbench)
        if folder in self._monitors:
            return self._monitors[folder].store
        return AlertStore(folder / "monitor.sqlite")

    def forget(self, workbench: Workbench) -> None:
        """Drop the live monitor (after a new fit) so the next use loads the new scorer."""
        with self._lock:
            monitor = self._monitors.pop(_folder(workbench), None)
        if monitor is not None:
            monitor.store.close()

    def lock(self) -> threading.Lock:
        """The lock that serialises ingest (account state is updated in arrival order)."""
        return self._lock


def fit_demo(hub: MonitorHub, workbench: Workbench, actor: str, body: FitIn) -> FitOut:
    """Fit the scorer on two generated streams and make it the workspace's scorer (audit ``monitoring.fit``)."""
    from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables

    start = "2024-01-01"
    after = f"2024-01-{1 + min(body.warmup_days, 27):02d}"
    streams = []
    for offset, rate in ((1, 0.02), (2, 0.003)):
        _, tx = make_demo_tables(
            body.accounts, days=body.days, start=start, random_state=body.seed + offset
        )
        streams.append(
            inject_anomalies(
                tx,
                rates=dict.fromkeys(ANOMALY_TYPES, rate),
                after=after,
                random_state=body.seed + offset,
            )
        )
    scorer = TransactionScorer(warmup_days=body.warmup_days, window_size=1000).fit(*streams)
    folder = _folder(workbench)
    folder.mkdir(parents=True, exist_ok=True)
    scorer.save(folder / "scorer")  # written in a temporary folder, then renamed
    hub.forget(workbench)
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="monitoring.fit",
            target=str(folder / "scorer"),
            details=body.model_dump(),
        )
    return FitOut(
        path=str((folder / "scorer").relative_to(workbench.workspace)),
        train_events=len(streams[0]),
        calibration_events=len(streams[1]),
        alert_threshold=scorer.alert_threshold_,
        rules=scorer.ruleset_.names,
    )


def ingest(hub: MonitorHub, workbench: Workbench, raws: list[Any]) -> IngestOut:
    """Score raw events once each (by event id); alerts are filed into per-account cases."""
    monitor = hub.get(workbench)
    with hub.lock():
        result = monitor.ingest(raws)
    return IngestOut(**result.to_dict())


def status(hub: MonitorHub, workbench: Workbench) -> dict[str, Any]:
    """Events seen, alerts, open cases and rejections by reason."""
    return hub.store(workbench).counts()


def cases(
    hub: MonitorHub,
    workbench: Workbench,
    *,
    status: str | None = None,
    assignee: str | None = None,
    account_id: str | None = None,
) -> list[CaseOut]:
    """The queue, riskiest first, filtered."""
    return [
        CaseOut(**c.to_dict())
        for c in hub.store(workbench).cases(status=status, assignee=assignee, account_id=account_id)
    ]


def case(hub: MonitorHub, workbench: Workbench, case_id: int) -> CaseOut:
    """One case with its alerts and notes."""
    return CaseOut(**hub.store(workbench).case(case_id).to_dict())


def update_case(
    hub: MonitorHub, workbench: Workbench, actor: str, case_id: int, body: CaseUpdateIn
) -> CaseOut:
    """Assign / note / close a case (audit ``monitoring.case``, details: what changed).

    The change is also sent through the configured notification channels.
    """
    updated = hub.store(workbench).update_case(
        case_id, assignee=body.assignee, note=body.note, author=actor, disposition=body.disposition
    )
    hub.dispatcher(workbench).case(
        {
            "case_id": updated.case_id,
            "account_id": updated.account_id,
            "status": updated.status,
            "assignee": updated.assignee,
            "disposition": updated.disposition,
            "max_risk": round(updated.max_risk, 4),
            "by": actor,
            "changes": sorted(body.model_dump(exclude_none=True)),
        }
    )
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="monitoring.case",
            target=str(case_id),
            details=body.model_dump(exclude_none=True),
        )
    return CaseOut(**updated.to_dict())


def narrative(hub: MonitorHub, workbench: Workbench, actor: str, case_id: int) -> NarrativeOut:
    """Draft the case's suspicious-activity narrative, checked by the guard (audit ``monitoring.narrative``)."""
    drafted = draft_narrative(hub.store(workbench).case(case_id))
    with workbench.session() as session:
        record_audit(
            session,
            actor=actor,
            action="monitoring.narrative",
            target=str(case_id),
            details={"unsupported_numbers": drafted.unsupported_numbers},
        )
    return NarrativeOut(
        case_id=case_id,
        text=drafted.text,
        unsupported_numbers=drafted.unsupported_numbers,
        facts=drafted.facts,
    )


class ReplayOut(BaseModel):
    batches: int
    accepted: int
    duplicates: int
    rejected: dict[str, int]
    alerts: int


def replay_file(
    hub: MonitorHub, workbench: Workbench, path: str | Path, *, speed: float = 0.0, batch: int = 500
) -> ReplayOut:
    """Replay a JSON-lines or CSV event file (``speed`` x real time; 0 = as fast as possible)."""
    from finloom.apps.monitoring.transactions import read_event_file

    monitor, out = (
        hub.get(workbench),
        ReplayOut(batches=0, accepted=0, duplicates=0, rejected={}, alerts=0),
    )
    with hub.lock():
        for result in monitor.replay(read_event_file(path), speed=speed, batch=batch):
            out.batches += 1
            out.accepted += result.accepted
            out.duplicates += result.duplicates
            out.alerts += len(result.alerts)
            for reason, n in result.rejected.items():
                out.rejected[reason] = out.rejected.get(reason, 0) + n
    return out


def _redis_client(url: str) -> Any:
    from finloom._optional import require

    redis = require("redis", feature="the Redis Streams ingest")
    return redis.Redis.from_url(url)


def publish_file(
    path: str | Path, *, stream: str, shards: int = 1, url: str = "redis://127.0.0.1:6379/0"
) -> int:
    """Append a file's events to the Redis shard streams; returns how many."""
    import json

    from finloom.apps.monitoring.transactions import publish, read_event_file

    events = (json.loads(r) if isinstance(r, bytes | str) else r for r in read_event_file(path))
    return publish(_redis_client(url), stream, events, shards=shards)


def consume_redis(
    hub: MonitorHub,
    workbench: Workbench,
    *,
    stream: str,
    name: str,
    shards: list[int],
    batch: int = 500,
    idle_polls: int = 3,
    url: str = "redis://127.0.0.1:6379/0",
) -> dict[str, Any]:
    """Run one consumer of the group over its shards until the streams stay empty."""
    from finloom.apps.monitoring.transactions import RedisConsumer

    consumer = RedisConsumer(
        hub.get(workbench), _redis_client(url), stream, name=name, shards=shards, batch=batch
    )
    with hub.lock():
        stats = consumer.run(idle_polls=idle_polls)
    return stats.__dict__


# --------------------------------------------------------------------------- sentiment monitor
class TextIn(BaseModel):
    """One text of a sentiment stream."""

    text_id: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=20_000)
    timestamp: float | str
    source: str = Field(default="", max_length=100)
    entities: list[str] = Field(default_factory=list, max_length=50)


class SentimentIn(BaseModel):
    """Texts for the sentiment monitor of one registered classifier (``model``)."""

    model: str = Field(min_length=1, max_length=200)
    texts: Annotated[list[TextIn], Field(min_length=1, max_length=MAX_BATCH_EVENTS)]
    negative_label: str = Field(default="bearish", max_length=100)
    window_minutes: int = Field(default=60, ge=1, le=24 * 60)
    watchlist: dict[str, list[str]] = Field(
        default_factory=dict, description="entity -> names to spot"
    )
    flush: bool = Field(default=False, description="close the current window (end of a replay)")


class SentimentOut(BaseModel):
    alerts: list[dict[str, Any]]
    entities: list[str]


def _timestamp(value: float | str) -> float:
    from finloom.apps.monitoring.transactions import EventRejected, parse_event

    try:
        return parse_event({"event_id": "t", "account_id": "t", "timestamp": value, "amount": 0}).ts
    except EventRejected as exc:
        raise InvalidDataError(str(exc).replace("timestamp", "a text's timestamp", 1)) from None


def sentiment_observe(
    hub: MonitorHub, workbench: Workbench, actor: str, body: SentimentIn
) -> SentimentOut:
    """Classify texts, update the per-entity windows, return the alerts of windows that closed.

    The monitor of each (model, negative label, window, watch list) lives in the hub; alerts are
    audited (``monitoring.sentiment_alert``) and kept for the dashboard.
    """
    from finloom.apps.monitoring.sentiment import SentimentMonitor, TextEvent, watchlist_tagger

    key = (body.model, body.negative_label, body.window_minutes, tuple(sorted(body.watchlist)))
    with hub.lock():
        monitor = hub.sentiment.get(key)
        if monitor is None:
            monitor = SentimentMonitor(
                hub.load_classifier(workbench, body.model),
                tagger=watchlist_tagger(body.watchlist),
                negative_label=body.negative_label,
                window_minutes=body.window_minutes,
            )
            hub.sentiment[key] = monitor
        events = sorted(
            (
                TextEvent(t.text_id, t.text, _timestamp(t.timestamp), t.source, tuple(t.entities))
                for t in body.texts
            ),
            key=lambda e: e.ts,
        )
        alerts = monitor.observe(events) + (monitor.flush() if body.flush else [])
        hub.sentiment_alerts.extend(a.to_dict() for a in alerts)
    if alerts:
        with workbench.session() as session:
            record_audit(
                session,
                actor=actor,
                action="monitoring.sentiment_alert",
                target=body.model,
                details={
                    "alerts": [
                        {"entity": a.entity, "kind": a.kind, "share": round(a.share, 4)}
                        for a in alerts
                    ]
                },
            )
    return SentimentOut(alerts=[a.to_dict() for a in alerts], entities=sorted(monitor.series))


def sentiment_series(hub: MonitorHub) -> dict[str, Any]:
    """Per-entity negative-share series of every live sentiment monitor, and the recent alerts."""
    series: dict[str, list[dict[str, Any]]] = {}
    for monitor in hub.sentiment.values():
        for entity, results in monitor.series.items():
            series[entity] = [
                {
                    "window_start": r.window * monitor.window_s,
                    "volume": r.volume,
                    "share": r.share,
                    "baseline": r.baseline,
                    "alert": r.alert,
                }
                for r in results[-24 * 7 :]
            ]
    return {"series": series, "alerts": hub.sentiment_alerts[-200:]}
