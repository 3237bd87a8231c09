"""Out-of-scope detector: margin + nearest-neighbour score, calibration, persistence, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from finloom.apps.customer_service import OutOfScopeDetector
from finloom.errors import ConfigError, InvalidDataError, NotFittedError


def _clusters(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Points around 3 orthogonal directions in 8-D and softmax-like probabilities for them."""
    rng = np.random.default_rng(seed)
    centers = np.eye(8)[:3] * 4
    X = np.vstack([c + rng.normal(0, 0.5, (n, 8)) for c in centers])
    logits = X[:, :3] * 2 + rng.normal(0, 0.5, (3 * n, 3))
    P = np.exp(logits - logits.max(axis=1, keepdims=True))
    return X, P / P.sum(axis=1, keepdims=True)


@pytest.fixture
def detector() -> OutOfScopeDetector:
    (mem, _), (cal, p_cal) = _clusters(30, seed=1), _clusters(20, seed=2)
    return OutOfScopeDetector().fit(mem, cal, p_cal)


def test_oos_detector_flags_far_away_cluster(detector: OutOfScopeDetector) -> None:
    inside, p_inside = _clusters(10, seed=3)
    far = np.random.default_rng(4).normal(0, 0.5, (10, 8)) + np.eye(8)[6] * 4
    p_far = np.full((10, 3), 1 / 3)
    assert detector.predict(far, p_far).all()
    assert detector.predict(inside, p_inside).mean() <= 0.2
    assert detector.score(far, p_far).min() > detector.score(inside, p_inside).max()


def test_oos_detector_margin_term_ranks_ambiguous_higher(detector: OutOfScopeDetector) -> None:
    x = np.tile(np.eye(8)[:1] * 4, (3, 1))
    proba = np.array([[0.98, 0.01, 0.01], [0.6, 0.3, 0.1], [0.45, 0.45, 0.1]])
    scores = detector.score(x, proba)
    assert scores[0] < scores[1] < scores[2]


def test_oos_detector_save_load_gives_identical_scores(detector: OutOfScopeDetector,
                                                      tmp_path: Path) -> None:
    X, P = _clusters(5, seed=5)
    loaded = OutOfScopeDetector.load(detector.save(tmp_path / "oos"))
    assert loaded.get_params() == detector.get_params()
    assert loaded.threshold_ == detector.threshold_
    np.testing.assert_allclose(loaded.score(X, P), detector.score(X, P), rtol=0, atol=1e-6)


def test_oos_detector_leaves_inputs_unchanged() -> None:
    (mem, _), (cal, p_cal) = _clusters(10, seed=1), _clusters(10, seed=2)
    copies = [a.copy() for a in (mem, cal, p_cal)]
    det = OutOfScopeDetector(confidence_term="max_prob", k=(1, 3)).fit(mem, cal, p_cal)
    det.score(cal, p_cal)
    for before, after in zip(copies, (mem, cal, p_cal), strict=True):
        np.testing.assert_array_equal(before, after)


def test_oos_detector_bad_input_errors(detector: OutOfScopeDetector) -> None:
    X, P = _clusters(4)
    with pytest.raises(NotFittedError, match="call 'fit'"):
        OutOfScopeDetector().score(X, P)
    with pytest.raises(ConfigError, match="'confidence_term' parameter .* one of"):
        OutOfScopeDetector(confidence_term="entropy").fit(X, X, P)
    with pytest.raises(InvalidDataError, match=r"shape \(N, 8\); got shape \(12, 5\)"):
        detector.score(X[:, :5], P)
    with pytest.raises(InvalidDataError, match="one row per embedding"):
        detector.score(X, P[:3])
    with pytest.raises(InvalidDataError, match="finite"):
        detector.score(np.full_like(X, np.nan), P)
    with pytest.raises(InvalidDataError, match=">= 2 rows"):
        OutOfScopeDetector().fit(X, X[:1], P[:1])
