"""DCR share, exact copies, NNDR and the membership attack with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.evaluate import evaluate_privacy


def _draw(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "amount": rng.lognormal(3.0, 1.0, size=n),
        "age": rng.normal(40, 10, size=n),
        "segment": rng.choice(["retail", "sme", "corp"], size=n, p=[0.6, 0.3, 0.1]),
    })


def test_evaluate_privacy_copy_of_train_is_flagged() -> None:
    train, holdout = _draw(500, 0), _draw(500, 1)  # same size: the train subset is all of train
    res = evaluate_privacy(train, train.copy(), holdout, Metadata.infer(train))
    assert res.exact_copy_rate == 1.0
    assert res.dcr_share == 1.0
    assert res.mia_auc == 1.0
    assert res.holdout_exact_copy_rate == 0.0
    assert res.nndr_median == 0.0


def test_evaluate_privacy_independent_draw_is_half() -> None:
    train, holdout, syn = _draw(1500, 0), _draw(1500, 1), _draw(1500, 2)
    res = evaluate_privacy(train, syn, holdout, Metadata.infer(train), random_state=0)
    assert res.dcr_share == pytest.approx(0.5, abs=0.05)
    assert res.mia_auc == pytest.approx(0.5, abs=0.05)
    assert res.exact_copy_rate == 0.0
    assert res.nndr_median == pytest.approx(res.holdout_nndr_median, abs=0.1)


def test_evaluate_privacy_partial_copies_rate() -> None:
    train, holdout = _draw(400, 0), _draw(400, 1)
    syn = pd.concat([train.iloc[:100], _draw(300, 3)], ignore_index=True)
    res = evaluate_privacy(train, syn, holdout, Metadata.infer(train))
    assert res.exact_copy_rate == pytest.approx(0.25)


def test_evaluate_privacy_caps_synthetic_rows() -> None:
    train, holdout = _draw(200, 0), _draw(100, 1)
    res = evaluate_privacy(train, _draw(300, 2), holdout, Metadata.infer(train), max_rows=50)
    assert res.n_synthetic_evaluated == 50
