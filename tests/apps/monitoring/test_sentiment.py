"""Sentiment monitor: spikes and drifts on a hand-made stream, minimum volume, evidence, guarded
summaries; the service with a tiny fake classifier injected through the hub."""

from __future__ import annotations

import numpy as np
import pytest

from finloom.apps.monitoring.sentiment import (
    SentimentMonitor,
    SpikeDetector,
    TextEvent,
    watchlist_tagger,
)
from finloom.errors import ConfigError


class FakeClassifier:
    """'bad' texts are bearish, everything else neutral."""

    classes_ = np.array(["bearish", "bullish", "neutral"])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        return np.array([[0.8, 0.1, 0.1] if "bad" in t else [0.1, 0.2, 0.7] for t in texts])


def _hourly(
    entity: str,
    hours: range,
    per_hour: int,
    negative_every: int,
    rng: np.random.Generator,
    bad: float = 0.0,
) -> list[TextEvent]:
    out = []
    for h in hours:
        for i in range(per_hour):
            negative = (i % negative_every == 0) or rng.random() < bad
            text = f"${entity} {'bad news' if negative else 'steady'} {h}-{i}"
            out.append(TextEvent(f"{entity}-{h}-{i}", text, h * 3600.0 + i * 60, "wire"))
    return out


def _run(events: list[TextEvent], **kw: object) -> list:
    monitor = SentimentMonitor(FakeClassifier(), detector=SpikeDetector(**kw))  # type: ignore[arg-type]
    events = sorted(events, key=lambda e: e.ts)
    return monitor.observe(events) + monitor.flush()


def test_quiet_stream_raises_nothing_and_a_burst_raises_one_spike() -> None:
    rng = np.random.default_rng(0)
    quiet = _hourly("ACME", range(0, 72), 10, 8, rng)
    assert _run(quiet) == []
    burst = _hourly("ACME", range(72, 75), 12, 1, rng)
    alerts = _run(quiet + burst)
    assert [(a.entity, a.kind) for a in alerts] == [("ACME", "spike")]
    alert = alerts[0]
    assert alert.window_start == 72 * 3600 and alert.share == 1.0
    assert all("bad" in e["text"] for e in alert.evidence) and len(alert.evidence) == 5
    assert alert.unsupported_numbers == 0 and "ACME" in alert.summary


def test_small_windows_do_not_alert_below_min_volume() -> None:
    rng = np.random.default_rng(1)
    events = _hourly("ACME", range(0, 48), 10, 8, rng) + _hourly("ACME", range(48, 49), 4, 1, rng)
    assert _run(events, min_volume=8) == []


def test_sustained_moderate_rise_is_caught_as_drift() -> None:
    rng = np.random.default_rng(2)
    base = _hourly("ACME", range(0, 48), 10, 10, rng)
    rise = _hourly("ACME", range(48, 60), 10, 10, rng, bad=0.25)
    kinds = [a.kind for a in _run(base + rise, z_threshold=6.0)]
    assert kinds and set(kinds) <= {"drift", "spike"} and "drift" in kinds


def test_tagger_and_bad_label() -> None:
    assert watchlist_tagger({"HSBC": ["汇丰"]})("$BAC up; 汇丰 down") == ("BAC", "HSBC")
    with pytest.raises(ConfigError, match="negative_label must be one of"):
        SentimentMonitor(FakeClassifier(), negative_label="negative")


def test_service_with_an_injected_classifier(tmp_path) -> None:
    from finloom.config import Settings
    from finloom.services import monitoring as service
    from finloom.workbench import Workbench

    workbench = Workbench(Settings(workspace=tmp_path / "ws")).migrate()
    hub = service.MonitorHub(classifier_loader=lambda wb, name: FakeClassifier())
    rng = np.random.default_rng(3)
    events = _hourly("ACME", range(0, 40), 10, 8, rng) + _hourly("ACME", range(40, 42), 12, 1, rng)
    texts = [
        service.TextIn(text_id=e.text_id, text=e.text, timestamp=e.ts, source=e.source)
        for e in events
    ]
    out = service.sentiment_observe(
        hub, workbench, "ana", service.SentimentIn(model="fake", texts=texts, flush=True)
    )
    assert [a["entity"] for a in out.alerts] == ["ACME"] and out.entities == ["ACME"]
    series = service.sentiment_series(hub)
    assert len(series["series"]["ACME"]) == 42 and series["alerts"][0]["kind"] == "spike"
    workbench.close()
