"""The combined score: out-of-fold supervised scores, the account's risk memory, the stacked
LightGBM and its guard against ranking worse than the supervised score alone."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score

from finloom.apps.monitoring.transactions import (
    BatchStateStore,
    Event,
    StateStore,
    TransactionScorer,
    events_from_frame,
)
from finloom.apps.monitoring.transactions._combine import (
    cross_fit,
    decayed_memory,
    logit,
    prior_shift,
)
from finloom.synth.transactions import ANOMALY_TYPES, inject_anomalies, make_demo_tables


def _stream(seed: int, rate: float, accounts: int = 300, days: int = 30) -> pd.DataFrame:
    _, tx = make_demo_tables(accounts, days=days, random_state=seed)
    return inject_anomalies(
        tx, rates=dict.fromkeys(ANOMALY_TYPES, rate), after="2024-01-10", random_state=seed
    )


@pytest.fixture(scope="module")
def streams() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    return _stream(1, 0.04), _stream(2, 0.02), _stream(3, 0.02)


@pytest.fixture(scope="module")
def scorer(streams) -> TransactionScorer:
    return TransactionScorer(
        n_estimators=30, stack_estimators=100, window_size=500, warmup_days=9
    ).fit(streams[0], streams[1])


class _Lookup:
    """A model that remembers the mean label of each group it was fitted on (0 for unseen ones)."""

    def fit(self, X: np.ndarray, y: np.ndarray) -> _Lookup:
        self.means_ = {g: float(y[X[:, 0] == g].mean()) for g in np.unique(X[:, 0])}
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.array([self.means_.get(g, 0.0) for g in X[:, 0]])


def test_cross_fit_never_scores_a_group_with_a_model_that_saw_it() -> None:
    groups = np.repeat(np.arange(10), 6)
    X = groups[:, None].astype(float)
    y = (groups % 2).astype(float)
    out = cross_fit(X, y, np.ones(len(X), bool), groups, lambda a, b: _Lookup().fit(a, b), folds=5)
    assert np.array_equal(out, np.zeros(len(X)))  # a memorising model knows nothing out of fold
    y2 = y.copy()
    y2[groups == 3] = 1 - y2[groups == 3]
    again = cross_fit(X, y2, np.ones(len(X), bool), groups, lambda a, b: _Lookup().fit(a, b), folds=5)
    assert np.array_equal(again, out)


def test_cross_fit_falls_back_to_the_full_model_when_a_fold_has_one_class() -> None:
    groups = np.arange(8)
    X = np.arange(8, dtype=float)[:, None]
    y = np.zeros(8)
    y[0] = 1.0  # only one positive: every other fold trains on one class at most once
    out = cross_fit(X, y, np.ones(8, bool), groups, lambda a, b: _Lookup().fit(a, b), folds=4)
    assert out.shape == (8,) and np.isfinite(out).all()


def test_decayed_memory_is_the_same_in_batches_and_decays() -> None:
    events = [Event(f"e{i}", "AB"[i % 2], 3600.0 * i, 5.0) for i in range(12)]
    scores = np.linspace(0.9, 0.1, 12)
    whole = decayed_memory(events, scores, BatchStateStore())
    state = StateStore()
    parts = [decayed_memory(events[i : i + 5], scores[i : i + 5], state) for i in (0, 5, 10)]
    assert np.array_equal(whole, np.concatenate(parts))
    assert whole[0].tolist() == [0.0, 0.0] and whole[1].tolist() == [0.0, 0.0]  # nothing earlier
    assert whole[2, 0] == pytest.approx(0.9 * np.exp(-2 / 6))  # account A's event 0, 2 h before
    assert (whole[:, 0] <= whole[:, 1]).all()  # the 48 h memory forgets more slowly


def test_prior_shift_moves_the_mean_probability_to_the_live_rate() -> None:
    rng = np.random.default_rng(0)
    p = rng.beta(1, 20, 200_000)  # a model at its training rate, mean 1/21
    shift = prior_shift(np.array([1] * 20 + [0] * 400), np.array([1] * 2 + [0] * 998))
    live = 1 / (1 + np.exp(-(logit(p) + shift)))
    assert shift < 0 and live.mean() == pytest.approx(0.002, rel=0.5)


def test_fit_keeps_the_stack_when_it_ranks_the_calibration_stream_better(scorer) -> None:
    auprc = scorer.calibration_auprc_
    assert scorer.stacker_ is not None
    assert auprc["stack"] >= auprc["supervised"] > 0
    assert scorer.prior_shift_ < 0  # trained at 4 % of accounts per typology, calibrated at 2 %


def test_combined_ranks_a_held_out_stream_at_least_as_well_as_supervised(scorer, streams) -> None:
    test = streams[2]
    batch = copy.deepcopy(scorer).score_events(list(events_from_frame(test)), BatchStateStore())
    late = (test["timestamp"] >= pd.Timestamp("2024-01-10")).to_numpy()
    y = test["is_anomaly"].to_numpy()[late]
    combined = average_precision_score(y, batch.risk[late])
    assert combined >= average_precision_score(y, batch.supervised[late])
    assert combined > 3 * average_precision_score(y, batch.rules[late] + 1e-9 * batch.risk[late])


def test_guard_falls_back_to_the_supervised_score(scorer, streams) -> None:
    fallback = copy.copy(scorer)
    n = 4000
    y = np.zeros(n, bool)
    y[::100] = True
    parts = {"supervised": y + 0.0, "risk": np.linspace(0, 1, n)}  # the stack ranks worse
    fallback._guard(parts, y, np.ones(n, bool))
    assert fallback.stacker_ is None and scorer.stacker_ is not None
    events = list(events_from_frame(streams[2].head(3000)))
    batch = fallback.score_events(events, BatchStateStore(), learn=False)
    expected = 1 / (1 + np.exp(-(logit(batch.supervised) + fallback.prior_shift_)))
    np.testing.assert_allclose(batch.risk, expected)


def test_stacked_scorer_round_trips_and_scores_batches_like_single_events(
    scorer, streams, tmp_path: Path
) -> None:
    scorer.save(tmp_path / "scorer")
    clone = TransactionScorer.load(tmp_path / "scorer")
    assert clone.stacker_ is not None and clone.prior_shift_ == scorer.prior_shift_
    assert clone.calibration_auprc_ == scorer.calibration_auprc_
    events = list(events_from_frame(streams[2].head(1500)))
    one, other = (TransactionScorer.load(tmp_path / "scorer") for _ in range(2))
    state_b, state_1 = BatchStateStore(), BatchStateStore()
    batched = [one.score_events(events[i : i + 400], state_b) for i in range(0, len(events), 400)]
    single = [other.score_events([e], state_1) for e in events]
    risk_b = np.concatenate([b.risk for b in batched])
    assert np.array_equal(risk_b, np.concatenate([s.risk for s in single]))
    assert not list((tmp_path / "scorer").glob("*.pkl"))
    config = json.loads(next((tmp_path / "scorer").glob("*.json")).read_text(encoding="utf-8"))
    assert "stacker" in json.dumps(config)
