"""Transaction monitoring: events, per-account rolling state, editable rules, online anomaly
detection, a supervised model and one combined risk score with its reasons."""

from finloom.apps.monitoring.transactions._events import (
    CURRENCIES,
    MAX_EVENT_BYTES,
    Event,
    EventRejected,
    events_from_frame,
    parse_event,
)
from finloom.apps.monitoring.transactions._hst import HalfSpaceTrees
from finloom.apps.monitoring.transactions._rules import (
    DEFAULT_RULES,
    Rule,
    RuleSet,
    load_rules,
    parse_rules,
)
from finloom.apps.monitoring.transactions._scorer import (
    ScoredBatch,
    ScoredEvent,
    TransactionScorer,
    recall_at_alert_rate,
)
from finloom.apps.monitoring.transactions._state import FEATURES, AccountState, StateStore

__all__ = [
    "CURRENCIES",
    "DEFAULT_RULES",
    "FEATURES",
    "MAX_EVENT_BYTES",
    "AccountState",
    "Event",
    "EventRejected",
    "HalfSpaceTrees",
    "Rule",
    "RuleSet",
    "ScoredBatch",
    "ScoredEvent",
    "StateStore",
    "TransactionScorer",
    "events_from_frame",
    "load_rules",
    "parse_event",
    "parse_rules",
    "recall_at_alert_rate",
]
