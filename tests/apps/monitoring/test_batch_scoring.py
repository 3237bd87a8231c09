"""Micro-batched scoring: the columnar account state and the batched models give exactly the
scores of one event at a time, and the features of the per-account Python state."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.apps.monitoring.transactions import (
    BatchStateStore,
    Event,
    StateStore,
    TransactionScorer,
    events_from_frame,
)
from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables


def _stream(seed: int, accounts: int = 80, days: int = 20, rate: float = 0.03) -> pd.DataFrame:
    _, tx = make_demo_tables(accounts, days=days, random_state=seed)
    return inject_anomalies(
        tx, rates=dict.fromkeys(ANOMALY_TYPES, rate), after="2024-01-08", random_state=seed
    )


@pytest.fixture(scope="module")
def events() -> list[Event]:
    out = list(events_from_frame(_stream(5)))
    # an out-of-order event (refused) and one a little late (accepted), mid-stream
    late = out[len(out) // 2]
    out.insert(len(out) // 2 + 3, Event("late-1", late.account_id, late.ts - 3600.0, 9.0))
    out.insert(len(out) // 2 + 5, Event("late-2", late.account_id, late.ts - 60.0, 9.0))
    return out


def test_batch_features_equal_one_event_at_a_time_and_match_the_python_state(events) -> None:
    threshold = 10_000.0
    one = BatchStateStore(capacity=64)  # a small log: records are dropped and the log grows
    single = [one.observe_batch([e], threshold=threshold) for e in events]
    X1 = np.concatenate([x for x, _, _ in single])
    refused1 = [e.event_id for e, (_, _, r) in zip(events, single, strict=True) if r]
    many = BatchStateStore(capacity=64)
    parts = [many.observe_batch(events[i : i + 700], threshold=threshold) for i in range(0, len(events), 700)]
    Xb = np.concatenate([x for x, _, _ in parts])
    refused_b = [
        events[i + 700 * b].event_id for b, (_, _, r) in enumerate(parts) for i, _ in r
    ]
    assert refused1 == refused_b == ["late-1"]
    assert np.array_equal(X1, Xb)  # bit for bit
    legacy, rows = StateStore(), []
    for e in events:
        if e.event_id != "late-1":
            rows.append(legacy.observe(e, threshold=threshold))
    np.testing.assert_allclose(Xb, np.array(rows), rtol=1e-9, atol=1e-6)
    assert len(many) == len(legacy.accounts)


def test_micro_batched_scores_equal_per_event_scores(events, tmp_path) -> None:
    scorer = TransactionScorer(n_estimators=20, window_size=300, warmup_days=5).fit(
        _stream(6), _stream(7)
    )
    scorer.save(tmp_path / "scorer")
    clone = TransactionScorer.load(tmp_path / "scorer")
    stream = events[:3000]
    state_b, state_1 = BatchStateStore(), BatchStateStore()
    batched = [scorer.score_events(stream[i : i + 512], state_b) for i in range(0, len(stream), 512)]
    single = [clone.score_events([e], state_1) for e in stream]
    for key in ("risk", "anomaly", "supervised", "rules"):
        a = np.concatenate([getattr(b, key) for b in batched])
        b = np.concatenate([getattr(s, key) for s in single])
        assert np.array_equal(a, b), key
    assert [e.event_id for b in batched for e in b.events] == [
        e.event_id for s in single for e in s.events
    ]
