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


def _tiny(n: int, seed: int) -> pd.DataFrame:
    """A hand-made mixed table: an amount in cents, a whole number and a category."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "balance": np.round(rng.lognormal(7.0, 1.0, size=n), 2),
        "tenure": rng.integers(1, 40, size=n),
        "product": rng.choice(["card", "loan", "mortgage"], size=n),
    })


def test_copy_of_train_has_zero_dcr_and_nndr_and_share_one() -> None:
    train, holdout = _tiny(300, 0), _tiny(300, 1)
    res = evaluate_privacy(train, train.copy(), holdout, Metadata.infer(train), random_state=0)
    assert res.dcr_share == 1.0
    assert res.dcr_p5_train == 0.0 and res.dcr_median_train == 0.0
    assert res.nndr_p5 == 0.0 and res.nndr_median == 0.0
    assert res.dcr_p5_holdout > 0.0  # the hold-out is not in train
    assert res.holdout_dcr_p5 == pytest.approx(res.dcr_p5_holdout)  # the copy is train: same distances


def test_independent_sample_is_as_close_to_train_as_the_holdout() -> None:
    train, holdout, syn = _tiny(1000, 0), _tiny(1000, 1), _tiny(1000, 2)
    res = evaluate_privacy(train, syn, holdout, Metadata.infer(train), random_state=0)
    assert res.dcr_share == pytest.approx(0.5, abs=0.05)
    assert 0.4 < res.dcr_p5_train / res.dcr_p5_holdout < 2.5  # same order (near-copies give < 0.2, below)
    assert 0.4 < res.dcr_p5_train / res.holdout_dcr_p5 < 2.5
    assert res.nndr_p5 == pytest.approx(res.holdout_nndr_p5, abs=0.05)


def test_near_copies_show_in_the_5th_percentile_not_in_exact_copies() -> None:
    train, holdout = _tiny(600, 0), _tiny(600, 1)
    near = train.sample(60, random_state=0).assign(balance=lambda d: d["balance"] + 0.5)  # nudged copies
    syn = pd.concat([near, _tiny(540, 2)], ignore_index=True)
    res = evaluate_privacy(train, syn, holdout, Metadata.infer(train), random_state=0)
    assert res.exact_copy_rate == 0.0 and res.dcr_share < 0.6  # neither exact copies nor the share see them
    assert res.dcr_p5_train < 0.2 * min(res.dcr_p5_holdout, res.holdout_dcr_p5)
    assert res.nndr_p5 < 0.2 * res.holdout_nndr_p5


def test_nndr_known_ratios() -> None:
    from finloom.evaluate._privacy import nndr

    ref = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 4.0]])
    ratios = nndr(ref, np.array([[0.0, 0.0], [1.5, 0.0], [1.0, 0.0]]))
    assert ratios.tolist() == [0.0, 1.0, 0.5]


def test_privacy_figures_are_in_the_report_summary_and_html() -> None:
    from finloom.evaluate import QualityReport

    train, holdout, syn = _tiny(200, 0), _tiny(200, 1), _tiny(200, 2)
    rep = QualityReport.generate(train, syn, Metadata.infer(train), holdout=holdout, plots=False)
    summary = rep.summary()
    assert {"dcr_p5_train", "dcr_p5_holdout", "nndr_p5", "quality_all_pairs"} <= set(summary)
    assert "holdout_dcr_p5" in rep.to_html()
