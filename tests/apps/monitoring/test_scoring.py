"""Events, state persistence, the half-space trees and the combined scorer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.apps.monitoring.transactions import (
    FEATURES,
    Event,
    EventRejected,
    HalfSpaceTrees,
    StateStore,
    TransactionScorer,
    events_from_frame,
    parse_event,
)
from finloom.errors import NotFittedError
from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables


@pytest.fixture(scope="module")
def streams() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    out = []
    for seed, rate in ((1, 0.04), (2, 0.02), (3, 0.02)):
        _, tx = make_demo_tables(150, days=24, random_state=seed)
        out.append(
            inject_anomalies(
                tx, rates=dict.fromkeys(ANOMALY_TYPES, rate), after="2024-01-10", random_state=seed
            )
        )
    return out[0], out[1], out[2]


@pytest.fixture(scope="module")
def scorer(streams) -> TransactionScorer:
    train, calibration, _ = streams
    return TransactionScorer(n_estimators=30, window_size=500, warmup_days=9).fit(
        train, calibration
    )


RAW = {"event_id": "e1", "account_id": "A1", "timestamp": "2024-01-01T10:00:00Z", "amount": 12.5}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"amount": "12.50"}, "bad_amount"),
        ({"amount": -1}, "bad_amount"),
        ({"currency": "XYZ"}, "unknown_currency"),
        ({"timestamp": "yesterday"}, "bad_timestamp"),
        ({"event_id": None}, "missing_field"),
        ({"direction": "sideways"}, "malformed"),
    ],
)
def test_parse_event_rejects_bad_input_with_a_reason(change: dict, reason: str) -> None:
    with pytest.raises(EventRejected) as info:
        parse_event({**RAW, **change})
    assert info.value.reason == reason


def test_parse_event_accepts_iso_and_epoch() -> None:
    assert parse_event(RAW).ts == parse_event({**RAW, "timestamp": 1704103200}).ts == 1704103200.0


def test_out_of_order_event_is_refused_and_state_unchanged() -> None:
    state = StateStore()
    state.observe(Event("a", "A", 10_000.0, 5.0), threshold=10_000)
    with pytest.raises(EventRejected, match="time order"):
        state.observe(Event("b", "A", 1_000.0, 5.0), threshold=10_000)
    assert state.get("A").n_total == 1


def test_state_survives_a_restart(tmp_path: Path, streams) -> None:
    events = list(events_from_frame(streams[2].head(3000)))
    straight = StateStore()
    expected = [straight.observe(e, threshold=10_000) for e in events]
    first = StateStore()
    for e in events[:1500]:
        first.observe(e, threshold=10_000)
    restored = StateStore.load(first.save(tmp_path / "state.json"))
    assert [restored.observe(e, threshold=10_000) for e in events[1500:]] == expected[1500:]


def test_half_space_trees_rank_outliers_and_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2000, 4))
    hst = HalfSpaceTrees(n_trees=10, height=6, window_size=400).fit(X)
    outliers = rng.normal(size=(50, 4)) + 6
    inliers = rng.normal(size=(50, 4))
    assert hst.score(outliers).mean() > hst.score(inliers).mean() + 1
    hst.save(tmp_path / "hst")
    again = HalfSpaceTrees.load(tmp_path / "hst")
    np.testing.assert_allclose(again.score(inliers), hst.score(inliers))
    with pytest.raises(NotFittedError):
        HalfSpaceTrees().score(X)


def test_scorer_ranks_planted_fraud_above_normal_and_explains(scorer, streams) -> None:
    test = streams[2]
    batch = scorer.score_events(list(events_from_frame(test)), StateStore())
    y = test["is_anomaly"].to_numpy()
    late = (test["timestamp"] >= pd.Timestamp("2024-01-10")).to_numpy()
    assert batch.risk[late & y].mean() > 5 * batch.risk[late & ~y].mean()
    assert batch.features.shape == (len(test), len(FEATURES))
    explained = scorer.explain(batch)
    alerts = [e for e in explained if e.alert]
    assert alerts and all(0.0 <= e.risk <= 1.0 for e in explained)
    assert any(e.reasons for e in alerts)


def test_scorer_round_trip_and_input_untouched(scorer, streams, tmp_path: Path) -> None:
    test = streams[2].head(2000)
    before = test.copy()
    scorer.save(tmp_path / "scorer")
    loaded = TransactionScorer.load(tmp_path / "scorer")
    a = scorer.score_events(list(events_from_frame(test)), StateStore(), learn=False)
    b = loaded.score_events(list(events_from_frame(test)), StateStore(), learn=False)
    np.testing.assert_allclose(a.risk, b.risk)
    pd.testing.assert_frame_equal(test, before)
    assert not list((tmp_path / "scorer").glob("*.pkl"))


def test_scorer_without_labels_uses_rules_and_anomaly(streams) -> None:
    train, calibration, test = (s.assign(is_anomaly=False) for s in streams)
    scorer = TransactionScorer(window_size=500).fit(train, calibration)
    batch = scorer.score_events(list(events_from_frame(test.head(500))), StateStore())
    assert scorer.booster_ is None and (batch.supervised == 0).all() and batch.risk.std() > 0


def test_rejected_events_are_counted_and_the_batch_keeps_flowing(scorer) -> None:
    events = [
        Event("a", "A", 10_000.0, 5.0),
        Event("b", "A", 100.0, 5.0),
        Event("c", "B", 10_050.0, 7.0),
    ]
    batch = scorer.score_events(events, StateStore())
    assert [e.event_id for e in batch.events] == ["a", "c"]
    assert [(e.event_id, exc.reason) for e, exc in batch.rejected] == [("b", "out_of_order")]
