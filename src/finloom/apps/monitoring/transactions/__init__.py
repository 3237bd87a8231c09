"""Transaction monitoring: events, per-account rolling state, editable rules, online anomaly
detection, a supervised model and one combined risk score with its reasons."""

from finloom.apps.monitoring.transactions._alerts import DISPOSITIONS, AlertStore, Case
from finloom.apps.monitoring.transactions._batch_state import BatchStateStore
from finloom.apps.monitoring.transactions._events import (
    CURRENCIES,
    MAX_EVENT_BYTES,
    Event,
    EventRejected,
    events_from_frame,
    parse_event,
)
from finloom.apps.monitoring.transactions._hst import HalfSpaceTrees
from finloom.apps.monitoring.transactions._monitor import IngestResult, Monitor, read_event_file
from finloom.apps.monitoring.transactions._narrative import Narrative, case_facts, draft_narrative
from finloom.apps.monitoring.transactions._redis import (
    ConsumerStats,
    RedisConsumer,
    publish,
    shard_of,
)
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
    "DISPOSITIONS",
    "AlertStore",
    "BatchStateStore",
    "Case",
    "ConsumerStats",
    "IngestResult",
    "Monitor",
    "Narrative",
    "case_facts",
    "draft_narrative",
    "RedisConsumer",
    "publish",
    "read_event_file",
    "shard_of",
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
