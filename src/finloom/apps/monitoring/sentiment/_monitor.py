"""The sentiment monitor: texts with time and source → classifier → per-entity windows → alerts.

Texts are classified in batches by any model with ``predict_proba(texts)`` and ``classes_`` (the
project's :class:`~finloom.nlp.TextClassifier`, or a fake in tests); entities come with the text
or from a tagger (default: ``$TICKER`` cash-tags and the names of a watch list, English or
Chinese). Windows close on the stream's own clock, every entity seen so far gets its window
(empty ones included), and the :class:`SpikeDetector` decides. An alert carries the window's
counts, the most negative texts as evidence and a one-sentence summary checked by the
faithfulness guard.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from finloom.apps.monitoring.sentiment._detector import SpikeDetector, WindowResult
from finloom.errors import ConfigError
from finloom.textgen import Fact, FactSet, FaithfulnessGuard, format_value

__all__ = ["SentimentAlert", "SentimentMonitor", "TextEvent", "watchlist_tagger"]

_CASHTAG = re.compile(r"\$([A-Z]{1,6})\b")


class Classifier(Protocol):
    """What the monitor needs from a sentiment model."""

    classes_: Any

    def predict_proba(self, texts: list[str]) -> Any: ...


@dataclass(frozen=True)
class TextEvent:
    """One text: id, content, time (epoch seconds), source, and entities if already known."""

    text_id: str
    text: str
    ts: float
    source: str = ""
    entities: tuple[str, ...] = ()


@dataclass(frozen=True)
class SentimentAlert:
    """A negative spike or drift for one entity, with its evidence and a guarded summary."""

    entity: str
    kind: str
    window_start: float
    window_minutes: int
    volume: int
    negatives: int
    share: float
    baseline: float
    z: float
    evidence: tuple[dict[str, Any], ...]
    summary: str
    unsupported_numbers: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def watchlist_tagger(
    names: Mapping[str, Sequence[str]] | None = None,
) -> Callable[[str], tuple[str, ...]]:
    """A tagger: ``$TICKER`` cash-tags plus any watch-list entity whose name appears in the text.

    Examples
    --------
    >>> tag = watchlist_tagger({"HSBC": ["HSBC", "汇丰"]})
    >>> tag("$ALLY pulls outlook; 汇丰 shares slide")
    ('ALLY', 'HSBC')
    """
    table = {entity: [n.lower() for n in aliases] for entity, aliases in (names or {}).items()}

    def tag(text: str) -> tuple[str, ...]:
        found = dict.fromkeys(_CASHTAG.findall(text))
        low = text.lower()
        for entity, aliases in table.items():
            if any(a in low for a in aliases):
                found[entity] = None
        return tuple(found)

    return tag


@dataclass
class _Window:
    volume: int = 0
    negatives: int = 0
    evidence: list[tuple[float, TextEvent]] = field(default_factory=list)


class SentimentMonitor:
    """Online negative-sentiment monitor over a text stream.

    Examples
    --------
    >>> class Fake:
    ...     classes_ = np.array(["bearish", "neutral"])
    ...     def predict_proba(self, texts):
    ...         return np.array([[0.9, 0.1] if "falls" in t else [0.1, 0.9] for t in texts])
    >>> m = SentimentMonitor(Fake(), detector=SpikeDetector(min_volume=5, warmup_windows=3))
    >>> quiet = [TextEvent(f"q{h}{i}", "$ACME steady", h * 3600.0 + i) for h in range(6) for i in range(6)]
    >>> burst = [TextEvent(f"b{i}", "$ACME falls hard", 6 * 3600.0 + i) for i in range(8)]
    >>> alerts = m.observe(quiet + burst) + m.flush()
    >>> [(a.entity, a.kind, a.volume, a.unsupported_numbers) for a in alerts]
    [('ACME', 'spike', 8, 0)]
    """

    def __init__(
        self,
        classifier: Classifier,
        *,
        tagger: Callable[[str], tuple[str, ...]] | None = None,
        negative_label: str = "bearish",
        window_minutes: int = 60,
        detector: SpikeDetector | None = None,
        evidence: int = 5,
        keep_windows: int = 24 * 30,
    ) -> None:
        labels = [str(c) for c in classifier.classes_]
        if negative_label not in labels:
            raise ConfigError(
                f"negative_label must be one of the classifier's classes {labels}; got "
                f"{negative_label!r}."
            )
        self.classifier = classifier
        self.tagger = tagger or watchlist_tagger()
        self.negative = labels.index(negative_label)
        self.window_s = int(window_minutes) * 60
        self.detector = detector or SpikeDetector()
        self.evidence = int(evidence)
        self.keep_windows = int(keep_windows)
        self.current: int | None = None
        self.open: dict[str, _Window] = {}
        self.series: dict[str, list[WindowResult]] = {}
        self.guard = FaithfulnessGuard()

    def observe(self, events: Sequence[TextEvent]) -> list[SentimentAlert]:
        """Classify a batch (in time order) and return the alerts of the windows it closed."""
        if not events:
            return []
        proba = np.asarray(self.classifier.predict_proba([e.text for e in events]))
        negative = proba.argmax(axis=1) == self.negative
        alerts: list[SentimentAlert] = []
        for e, p, is_neg in zip(events, proba[:, self.negative], negative, strict=True):
            window = int(e.ts // self.window_s)
            if self.current is None:
                self.current = window
            if window > self.current:
                alerts += self._close_until(window)
            for entity in e.entities or self.tagger(e.text):
                w = self.open.setdefault(entity, _Window())
                w.volume += 1
                if is_neg:
                    w.negatives += 1
                    w.evidence.append((float(p), e))
                    w.evidence = sorted(w.evidence, key=lambda x: -x[0])[: self.evidence]
        return alerts

    def flush(self) -> list[SentimentAlert]:
        """Close the current window (end of a replay)."""
        return self._close_until(self.current + 1) if self.current is not None else []

    def _close_until(self, window: int) -> list[SentimentAlert]:
        alerts = []
        assert self.current is not None
        while self.current < window:
            for entity in set(self.series) | set(self.open):
                w = self.open.pop(entity, _Window())
                result = self.detector.update(entity, self.current, w.volume, w.negatives)
                history = self.series.setdefault(entity, [])
                history.append(result)
                del history[: max(0, len(history) - self.keep_windows)]
                if result.alert:
                    alerts.append(self._alert(result, w))
            self.current += 1
        return alerts

    def _alert(self, r: WindowResult, w: _Window) -> SentimentAlert:
        start = r.window * self.window_s
        facts = FactSet(
            [
                Fact(
                    "share",
                    100 * r.share,
                    unit="%",
                    decimals=1,
                    entity=r.entity,
                    label="negative share",
                ),
                Fact(
                    "baseline",
                    100 * r.baseline,
                    unit="%",
                    decimals=1,
                    entity=r.entity,
                    label="usual share",
                ),
                Fact("volume", float(r.volume), unit="count", entity=r.entity, label="texts"),
                Fact(
                    "negatives",
                    float(r.negatives),
                    unit="count",
                    entity=r.entity,
                    label="negative texts",
                ),
            ]
        )
        when = dt.datetime.fromtimestamp(start, dt.UTC).strftime("%d %b %Y, %H:%M UTC")
        summary = (
            f"{r.entity}: {format_value(facts['negatives'])} of {format_value(facts['volume'])} texts "
            f"were negative in the window from {when} ({format_value(facts['share'])}), against a "
            f"usual {format_value(facts['baseline'])}."
        )
        report = self.guard.check(summary, facts, lang="en")
        evidence = tuple(
            {
                "text_id": e.text_id,
                "text": e.text,
                "source": e.source,
                "ts": e.ts,
                "p_negative": round(p, 4),
            }
            for p, e in w.evidence
        )
        return SentimentAlert(
            r.entity,
            r.alert,
            float(start),
            self.window_s // 60,
            r.volume,
            r.negatives,
            r.share,
            r.baseline,
            r.z,
            evidence,
            summary,
            int(report.unsupported_numbers),
        )
