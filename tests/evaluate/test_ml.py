"""C2ST and TSTR/TRTR with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.errors import ConfigError, InvalidDataError
from finloom.evaluate import evaluate_detection, evaluate_utility


def _credit(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    job = rng.choice(["a", "b", "c"], size=n)
    logit = 1.5 * x + (job == "a") * 1.0
    return pd.DataFrame({"x": x, "job": job, "default": (logit + rng.logistic(size=n) > 0.5).astype(int)})


def test_evaluate_detection_separable_data_auc_near_one() -> None:
    real = _credit(400, 0)
    syn = real.assign(x=real["x"] + 50.0)
    res = evaluate_detection(real, syn, Metadata.infer(real), random_state=0)
    assert res.c2st_auc > 0.99
    assert len(res.fold_aucs) == 5 and res.n_rows_each == 400


def test_evaluate_detection_same_distribution_auc_near_half() -> None:
    real, syn = _credit(1000, 0), _credit(1000, 1)
    res = evaluate_detection(real, syn, Metadata.infer(real), random_state=0)
    assert 0.4 < res.c2st_auc < 0.6


def test_evaluate_detection_caps_rows() -> None:
    real = _credit(300, 0)
    res = evaluate_detection(real, _credit(300, 1), Metadata.infer(real), max_rows=100)
    assert res.n_rows_each == 100


def test_evaluate_utility_copy_of_train_matches_trtr() -> None:
    train, holdout = _credit(800, 0), _credit(400, 1)
    meta = Metadata.infer(train, target="default")
    res = evaluate_utility(train, train.copy(), holdout, meta, random_state=0)
    assert res.tstr_auc == res.trtr_auc
    assert res.tstr_f1 == res.trtr_f1
    assert res.trtr_auc > 0.7
    assert res.positive == "1"


def test_evaluate_utility_single_class_synthetic_gives_none() -> None:
    train, holdout = _credit(400, 0), _credit(200, 1)
    res = evaluate_utility(train, train.assign(default=0), holdout, Metadata.infer(train),
                           target="default")
    assert res.tstr_auc is None and res.synthetic_positive_rate == 0.0


def test_evaluate_utility_without_target_raises() -> None:
    df = _credit(100, 0)
    with pytest.raises(ConfigError, match="target must name"):
        evaluate_utility(df, df, df, Metadata.infer(df))


def test_evaluate_utility_non_binary_target_raises() -> None:
    df = _credit(100, 0)
    with pytest.raises(InvalidDataError, match="exactly 2 classes"):
        evaluate_utility(df, df, df, Metadata.infer(df), target="job")
