"""Sentiment monitoring: per-entity negative-share series, spike and drift alerts with evidence."""

from finloom.apps.monitoring.sentiment._detector import SpikeDetector, WindowResult
from finloom.apps.monitoring.sentiment._monitor import (
    SentimentAlert,
    SentimentMonitor,
    TextEvent,
    watchlist_tagger,
)

__all__ = [
    "SentimentAlert",
    "SentimentMonitor",
    "SpikeDetector",
    "TextEvent",
    "WindowResult",
    "watchlist_tagger",
]
