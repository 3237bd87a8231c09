"""One risk score per event from rules, an online anomaly detector and a supervised model.

``TransactionScorer.fit(train, calibration)`` runs the training stream through fresh account
states and the half-space trees (prequential: each batch is scored, then learnt, so the anomaly
scores a model sees in training look like the ones it sees live) and, when the stream carries
labels, fits two LightGBM classifiers on it: ``supervised`` on the event features alone, and the
*stacked* combination on the features plus every rule's flag, the rules score, the anomaly score
and the account's recent supervised scores (decayed maxima over 6 h and 48 h, out of fold on the
training stream so that they look as they will live). Then the *separate* calibration stream
rescales the combination to its fraud rate, keeps the stack only if it ranks that stream at
least as well as the supervised score alone, and sets the 1 % alert thresholds. Scoring never sees
labels. Without labels the combined score is the sum of the standardised rules and anomaly scores.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from finloom._base import BaseEstimator
from finloom._serialization import load_state, save_state
from finloom.apps.monitoring.transactions._batch_state import BatchStateStore
from finloom.apps.monitoring.transactions._combine import (
    cross_fit,
    decayed_memory,
    logit,
    prior_shift,
    train_booster,
)
from finloom.apps.monitoring.transactions._events import Event, EventRejected, events_from_frame
from finloom.apps.monitoring.transactions._hst import HalfSpaceTrees
from finloom.apps.monitoring.transactions._rules import RuleSet, load_rules, parse_rules
from finloom.apps.monitoring.transactions._state import FEATURES, StateStore
from finloom.errors import InvalidDataError

__all__ = ["ScoredBatch", "ScoredEvent", "TransactionScorer", "recall_at_alert_rate"]

ALERT_RATE = 0.01


@dataclass(frozen=True)
class ScoredEvent:
    """One scored event: the combined risk (0-1), each method's score and the reasons that fired."""

    event_id: str
    account_id: str
    ts: float
    amount: float
    risk: float
    rules: float
    anomaly: float
    supervised: float
    alert: bool
    reasons: tuple[str, ...]


@dataclass
class ScoredBatch:
    """Array form of a scored batch (the fast path) plus the refused events."""

    events: list[Event]
    features: np.ndarray
    hits: np.ndarray  # (n, n_rules) 0/1
    rules: np.ndarray
    anomaly: np.ndarray
    supervised: np.ndarray
    risk: np.ndarray
    rejected: list[tuple[Event, EventRejected]] = field(default_factory=list)


class TransactionScorer(BaseEstimator):
    """Rules + half-space trees + LightGBM, combined by a second LightGBM stacked on all three.

    Parameters
    ----------
    rules : YAML rules text (``None``: the shipped ``rules.yaml``).
    n_trees, height, window_size : the half-space trees.
    n_estimators, learning_rate, num_leaves : the supervised LightGBM classifier.
    stack_estimators, stack_learning_rate, stack_leaves : the stacked LightGBM (the combined
        score); chosen on the development streams of ``benchmarks.alerts``.
    folds : account folds giving the out-of-fold supervised scores the stack learns from.
    warmup_days : days at the start of each fitting stream used only to build account state.
    random_state : seed of the trees and the classifier.

    Examples
    --------
    >>> from finloom.synth.transactions import make_demo_tables, inject_anomalies
    >>> _, a = make_demo_tables(60, days=14, random_state=0)
    >>> _, b = make_demo_tables(60, days=14, random_state=1)
    >>> a, b = (inject_anomalies(t, rates={"card_testing": 0.05}, random_state=0) for t in (a, b))
    >>> scorer = TransactionScorer(n_estimators=10, window_size=300).fit(a, b)
    >>> from finloom.apps.monitoring.transactions._state import StateStore
    >>> batch = scorer.score_events(list(events_from_frame(b[:50])), StateStore())
    >>> batch.risk.shape
    (50,)
    """

    def __init__(
        self,
        *,
        rules: str | None = None,
        n_trees: int = 25,
        height: int = 8,
        window_size: int = 2000,
        n_estimators: int = 150,
        learning_rate: float = 0.1,
        num_leaves: int = 31,
        stack_estimators: int = 300,
        stack_learning_rate: float = 0.05,
        stack_leaves: int = 15,
        folds: int = 5,
        warmup_days: float = 0.0,
        random_state: int = 0,
    ) -> None:
        self.rules = rules
        self.n_trees = n_trees
        self.height = height
        self.window_size = window_size
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.stack_estimators = stack_estimators
        self.stack_learning_rate = stack_learning_rate
        self.stack_leaves = stack_leaves
        self.folds = folds
        self.warmup_days = warmup_days
        self.random_state = random_state

    # ----------------------------------------------------------------- fitting
    def _ruleset(self) -> RuleSet:
        return parse_rules(self.rules) if self.rules is not None else load_rules()

    def _stream(
        self, frame: pd.DataFrame, label: str
    ) -> tuple[list[Event], np.ndarray, np.ndarray, np.ndarray]:
        if label not in frame.columns:
            raise InvalidDataError(
                f"the fitting stream must have a {label!r} column; got "
                f"{list(frame.columns)}. Plant labels with inject_anomalies."
            )
        events = list(events_from_frame(frame))
        state, parts = BatchStateStore(), []
        for i in range(0, len(events), 4096):
            x, _, refused = state.observe_batch(
                events[i : i + 4096], threshold=self.ruleset_.threshold
            )
            if refused:
                raise InvalidDataError(
                    f"the fitting stream must be in time order per account; got: {refused[0][1]}"
                )
            parts.append(x)
        X = np.concatenate(parts)
        keep = np.array([e.ts for e in events]) >= events[0].ts + self.warmup_days * 86400
        return events, X, keep, frame[label].to_numpy(dtype=bool)

    def _hits(self, X: np.ndarray) -> np.ndarray:
        rs = self.ruleset_
        hits = np.zeros((len(X), len(rs.rules)))
        for k, rule in enumerate(rs.rules):
            ok = np.ones(len(X), dtype=bool)
            for i, op, v in rule.conditions:
                ok &= np.asarray(op(X[:, i], v))  # type: ignore[arg-type]
            hits[:, k] = ok
        return hits

    def _prequential(self, X: np.ndarray, batch: int = 1000) -> np.ndarray:
        out = np.empty(len(X))
        for i in range(0, len(X), batch):
            out[i : i + batch] = self.detector_.score_learn(X[i : i + batch])
        return out

    def _booster(self, X: np.ndarray, y: np.ndarray) -> Any:
        return train_booster(
            X,
            y,
            list(FEATURES),
            n_estimators=self.n_estimators,
            learning_rate=self.learning_rate,
            num_leaves=self.num_leaves,
            random_state=self.random_state,
        )

    def _stacker(self, design: np.ndarray, y: np.ndarray) -> Any:
        return train_booster(
            design,
            y,
            self._stack_names(),
            n_estimators=self.stack_estimators,
            learning_rate=self.stack_learning_rate,
            num_leaves=self.stack_leaves,
            min_child_samples=50,
            feature_fraction=0.8,
            random_state=self.random_state,
        )

    def fit(
        self, train: pd.DataFrame, calibration: pd.DataFrame, *, label: str = "is_anomaly"
    ) -> TransactionScorer:
        """Fit every method and the stacked combination on ``train``; thresholds on ``calibration``."""
        self.ruleset_ = self._ruleset()
        self.weights_ = np.array([r.weight for r in self.ruleset_.rules])
        events, X, keep, y = self._stream(train, label)
        self.detector_ = HalfSpaceTrees(
            n_trees=self.n_trees,
            height=self.height,
            window_size=self.window_size,
            random_state=self.random_state,
        )
        self.detector_.fit(X[: self.window_size])
        anomaly = self._prequential(X[self.window_size :])
        anomaly = np.concatenate([np.full(self.window_size, np.median(anomaly)), anomaly])
        self.booster_: Any = None
        self.stacker_: Any = None
        self.combiner_: Any = None  # only in scorers saved before the stacked combination
        self.stack_: np.ndarray | None = None  # only in scorers saved with the logistic stack
        self.prior_shift_ = 0.0
        self.anomaly_mean_ = float(anomaly[keep].mean())
        self.anomaly_sd_ = float(anomaly[keep].std() + 1e-9)
        self.calibration_auprc_: dict[str, float] = {}
        events_c, Xc, keep_c, y_c = self._stream(calibration, label)
        if y[keep].any() and not y[keep].all():
            self.booster_ = self._booster(X[keep], y[keep])
            self._fit_stack(events, X, anomaly, keep, y)
            self.prior_shift_ = prior_shift(y[keep], y_c[keep_c])
        hits_c, anomaly_c = self._hits(Xc), self.detector_.score_learn(Xc)
        parts = self._combine(Xc, hits_c, anomaly_c, events_c, BatchStateStore())
        if self.stacker_ is not None and y_c[keep_c].any():
            self._guard(parts, y_c[keep_c], keep_c)
            if self.stacker_ is None:  # the combination is the supervised score: recompute
                parts = self._combine(Xc, hits_c, anomaly_c, events_c, BatchStateStore())
        self.alert_threshold_ = float(np.quantile(parts["risk"][keep_c], 1 - ALERT_RATE))
        self.anomaly_threshold_ = float(np.quantile(parts["anomaly"][keep_c], 1 - ALERT_RATE))
        self.supervised_threshold_ = float(np.quantile(parts["supervised"][keep_c], 1 - ALERT_RATE))
        return self

    def _guard(self, parts: dict[str, np.ndarray], y: np.ndarray, keep: np.ndarray) -> None:
        """Keep the stack only if it ranks the calibration stream at least as well as the
        supervised score alone (average precision); else the combination is the supervised score."""
        from sklearn.metrics import average_precision_score

        self.calibration_auprc_ = {
            name: float(average_precision_score(y, parts[key][keep]))
            for name, key in (("supervised", "supervised"), ("stack", "risk"))
        }
        if self.calibration_auprc_["stack"] < self.calibration_auprc_["supervised"]:
            self.stacker_ = None

    def _fit_stack(
        self,
        events: list[Event],
        X: np.ndarray,
        anomaly: np.ndarray,
        keep: np.ndarray,
        y: np.ndarray,
    ) -> None:
        """The stacked LightGBM, on out-of-fold supervised scores (folds by account)."""
        oof = cross_fit(
            X,
            y,
            keep,
            np.array([e.account_id for e in events]),
            self._booster,
            folds=self.folds,
            random_state=self.random_state,
        )
        memory = decayed_memory(events, oof, BatchStateStore())
        design = self._stack_design(X, self._hits(X), anomaly, memory)
        self.stacker_ = self._stacker(design[keep], y[keep])

    def _stack_names(self) -> list[str]:
        return [
            *FEATURES,
            *(f"rule_{n}" for n in self.ruleset_.names),
            "rules_score",
            "anomaly_z",
            "recent_6h_logit",
            "recent_48h_logit",
        ]

    def _stack_design(
        self, X: np.ndarray, hits: np.ndarray, anomaly: np.ndarray, memory: np.ndarray
    ) -> np.ndarray:
        return np.column_stack(
            [
                X,
                hits,
                hits @ self.weights_,
                (anomaly - self.anomaly_mean_) / self.anomaly_sd_,
                logit(memory),
            ]
        )

    def _legacy_risk(
        self, X: np.ndarray, hits: np.ndarray, anomaly: np.ndarray, supervised: np.ndarray,
        memory: np.ndarray,
    ) -> np.ndarray:
        """The combination of scorers saved before the stacked LightGBM (logistic or LightGBM)."""
        if self.stack_ is None:
            assert self.combiner_ is not None
            design = np.column_stack([X, hits, hits @ self.weights_, anomaly])
            return np.asarray(self.combiner_.predict(design, num_threads=1))
        design = np.column_stack(
            [
                logit(supervised),
                (anomaly - self.anomaly_mean_) / self.anomaly_sd_,
                hits,
                hits @ self.weights_,
                logit(memory),
            ]
        )
        z = np.full(len(X), self.stack_[-1])
        for j, w in enumerate(self.stack_[:-1].tolist()):  # column by column: the same
            z += design[:, j] * w  # sums for a batch as for one event (no BLAS blocking)
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def _combine(
        self,
        X: np.ndarray,
        hits: np.ndarray,
        anomaly: np.ndarray,
        events: Sequence[Event],
        state: StateStore | BatchStateStore,
    ) -> dict[str, np.ndarray]:
        rules = hits @ self.weights_
        if self.booster_ is None:
            z = (
                rules / max(float(self.weights_.sum()), 1.0) * 4
                + (anomaly - self.anomaly_mean_) / self.anomaly_sd_
            )
            return {
                "rules": rules,
                "anomaly": anomaly,
                "supervised": np.zeros(len(X)),
                "risk": 1.0 / (1.0 + np.exp(-(z - 4.0))),
            }
        supervised = self.booster_.predict(X, num_threads=1)
        memory = decayed_memory(events, supervised, state)
        if self.stacker_ is not None:
            design = self._stack_design(X, hits, anomaly, memory)
            z = self.stacker_.predict(design, raw_score=True, num_threads=1) + self.prior_shift_
            risk = 1.0 / (1.0 + np.exp(-z))
        elif self.stack_ is not None or self.combiner_ is not None:
            risk = self._legacy_risk(X, hits, anomaly, supervised, memory)
        else:  # the stack did not beat the supervised score on the calibration stream
            risk = 1.0 / (1.0 + np.exp(-(logit(supervised) + self.prior_shift_)))
        return {"rules": rules, "anomaly": anomaly, "supervised": supervised, "risk": risk}

    # ----------------------------------------------------------------- scoring
    def score_events(
        self,
        events: Sequence[Event],
        state: StateStore | BatchStateStore,
        *,
        learn: bool = True,
    ) -> ScoredBatch:
        """Score a batch in arrival order against (and updating) ``state``.

        With a :class:`BatchStateStore` the features of the whole batch are computed at once
        (the fast path: the same scores as one event at a time); a :class:`StateStore` keeps
        one :class:`AccountState` object per account (what the durable monitor saves).
        """
        self._check_is_fitted("score_events")
        threshold = self.ruleset_.threshold
        if isinstance(state, BatchStateStore):
            X, positions, refused = state.observe_batch(events, threshold=threshold)
            kept = [events[i] for i in positions]
            rejected = [(events[i], exc) for i, exc in refused]
        else:
            rows, kept, rejected = [], [], []
            for e in events:
                try:
                    rows.append(state.observe(e, threshold=threshold))
                    kept.append(e)
                except EventRejected as exc:
                    rejected.append((e, exc))
            X = np.array(rows, dtype=float).reshape(len(rows), len(FEATURES))
        hits = self._hits(X)
        parts = (
            self._combine(
                X,
                hits,
                self.detector_.score_learn(X) if learn else self.detector_.score(X),
                kept,
                state,
            )
            if len(X)
            else {k: np.zeros(0) for k in ("rules", "anomaly", "supervised", "risk")}
        )
        return ScoredBatch(
            kept,
            X,
            hits,
            parts["rules"],
            parts["anomaly"],
            parts["supervised"],
            parts["risk"],
            rejected,
        )

    def explain(self, batch: ScoredBatch) -> list[ScoredEvent]:
        """Per-event results with the reasons that fired (rule names, ``anomaly``, ``model``)."""
        names = self.ruleset_.names
        out = []
        for i, e in enumerate(batch.events):
            reasons = [names[k] for k in np.flatnonzero(batch.hits[i])]
            if batch.anomaly[i] >= self.anomaly_threshold_:
                reasons.append("anomaly")
            if self.booster_ is not None and batch.supervised[i] >= self.supervised_threshold_:
                reasons.append("model")
            out.append(
                ScoredEvent(
                    e.event_id,
                    e.account_id,
                    e.ts,
                    e.amount,
                    float(batch.risk[i]),
                    float(batch.rules[i]),
                    float(batch.anomaly[i]),
                    float(batch.supervised[i]),
                    bool(batch.risk[i] >= self.alert_threshold_),
                    tuple(reasons),
                )
            )
        return out

    def score(self, events: Iterable[Event], state: StateStore) -> list[ScoredEvent]:
        """Score events one batch at a time and explain them.

        Examples
        --------
        >>> TransactionScorer().score([], StateStore())
        Traceback (most recent call last):
        ...
        finloom.errors.NotFittedError: This TransactionScorer is not fitted yet; call 'fit' with your data before 'score'.
        """
        self._check_is_fitted("score")
        return self.explain(self.score_events(list(events), state))

    # ----------------------------------------------------------------- persistence
    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the scorer (JSON + safetensors; the trees' state is saved with it)."""
        self._check_is_fitted("save")
        config: dict[str, Any] = {
            "params": self.get_params(),
            "rules_text": self.ruleset_.text,
            "booster": self.booster_.model_to_string() if self.booster_ is not None else None,
            "stacker": self.stacker_.model_to_string() if self.stacker_ is not None else None,
            "prior_shift": self.prior_shift_,
            "calibration_auprc": self.calibration_auprc_,
            "combiner": self.combiner_.model_to_string() if self.combiner_ is not None else None,
            "stack": None if self.stack_ is None else [float(w) for w in self.stack_],
            "anomaly_stats": [self.anomaly_mean_, self.anomaly_sd_],
            "thresholds": [
                self.alert_threshold_,
                self.anomaly_threshold_,
                self.supervised_threshold_,
            ],
            "detector_params": self.detector_.get_params(),
        }
        tensors = {
            **{
                f"hst.{k}": getattr(self.detector_, k)
                for k in ("lo_", "hi_", "feature_", "split_", "r_", "l_", "count_")
            }
        }
        save_state(
            path, kind="TransactionScorer", config=json.loads(json.dumps(config)), tensors=tensors
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> TransactionScorer:
        """Read a scorer written by :meth:`save`."""
        import lightgbm as lgb

        state = load_state(path, kind="TransactionScorer")
        config, tensors = state["config"], state["tensors"]
        model = cls(**config["params"])
        model.ruleset_ = parse_rules(config["rules_text"]) if config["rules_text"] else load_rules()
        model.weights_ = np.array([r.weight for r in model.ruleset_.rules])
        model.booster_ = lgb.Booster(model_str=config["booster"]) if config["booster"] else None
        stacker = config.get("stacker")
        model.stacker_ = lgb.Booster(model_str=stacker) if stacker else None
        model.prior_shift_ = float(config.get("prior_shift", 0.0))
        model.calibration_auprc_ = dict(config.get("calibration_auprc", {}))
        model.combiner_ = lgb.Booster(model_str=config["combiner"]) if config["combiner"] else None
        stack = config.get("stack")
        model.stack_ = None if stack is None else np.asarray(stack, dtype=float)
        model.anomaly_mean_, model.anomaly_sd_ = config["anomaly_stats"]
        model.alert_threshold_, model.anomaly_threshold_, model.supervised_threshold_ = config[
            "thresholds"
        ]
        model.detector_ = HalfSpaceTrees(**config["detector_params"])
        for key, value in tensors.items():
            target, name = (model.detector_, key[4:]) if key.startswith("hst.") else (model, key)
            setattr(target, name, np.asarray(value))
        return model


def recall_at_alert_rate(
    scores: np.ndarray, y: np.ndarray, rate: float = ALERT_RATE
) -> tuple[float, float]:
    """Recall and precision when the top ``rate`` share of events alert (ties broken by order).

    Examples
    --------
    >>> recall_at_alert_rate(np.array([0.9, 0.1, 0.8, 0.2]), np.array([1, 0, 0, 0]), rate=0.25)
    (1.0, 1.0)
    """
    n_alert = max(1, int(math.floor(rate * len(scores))))
    top = np.argsort(-np.asarray(scores), kind="stable")[:n_alert]
    y = np.asarray(y, dtype=bool)
    caught = int(y[top].sum())
    return (caught / max(int(y.sum()), 1), caught / n_alert)
