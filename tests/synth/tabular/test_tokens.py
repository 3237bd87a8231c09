"""AR column tokens: rank scores of ordered columns and the rank-preserving quantile calibration."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from finloom.data import Metadata
from finloom.synth.tabular import ARConfig, ARSynthesizer
from finloom.synth.tabular._columns import TablePlan
from finloom.synth.tabular._tokens import MIN_CALIBRATE, Tokenizer


def _fitted(df: pd.DataFrame, bins: int = 16) -> tuple[Tokenizer, dict[str, np.ndarray]]:
    plan = TablePlan.fit(df, Metadata.infer(df))
    parts = plan.split(df)
    return Tokenizer(plan, bins=bins).fit(parts), parts


def _drifted(tok: Tokenizer, n: int, seed: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Tokens drawn with bin frequencies far from equal mass, decoded: a marginal that drifted."""
    rng = np.random.default_rng(seed)
    sizes = tok.sizes
    probs = np.linspace(1.0, 4.0, tok.bins)
    tokens = np.column_stack([
        size - tok.bins + rng.choice(tok.bins, n, p=probs / probs.sum()) for size in sizes
    ])
    return tok.decode(tokens, rng), tokens


@pytest.fixture
def amounts() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    x = rng.lognormal(6.0, 1.0, 3000)
    x[rng.random(3000) < 0.1] = np.nan
    x[rng.random(3000) < 0.05] = 0.0  # a spike
    return pd.DataFrame({"amount": x})


def test_calibrate_matches_the_training_marginal(amounts: pd.DataFrame) -> None:
    tok, _ = _fitted(amounts)
    parts, tokens = _drifted(tok, 2000, seed=1)
    real = amounts["amount"].dropna()
    real = real[real != 0.0]
    before = stats.ks_2samp(parts["amount"], real).statistic
    after = stats.ks_2samp(tok.calibrate(parts, tokens)["amount"], real).statistic
    assert before > 0.1
    assert after < 0.01


def test_calibrate_keeps_ranks_nulls_and_spikes(amounts: pd.DataFrame) -> None:
    tok, parts = _fitted(amounts)
    tokens = tok.encode(parts)
    x = parts["amount"] * 1.5  # a drifted copy with the training tokens' pattern
    x_copy = x.copy()
    out = tok.calibrate({"amount": x}, tokens)["amount"]
    np.testing.assert_array_equal(x, x_copy)  # the input is not modified
    np.testing.assert_array_equal(np.isnan(out), np.isnan(x))  # same missing cells
    spike = x == 0.0
    assert spike.any() and (out[spike] == 0.0).all()  # spike cells keep their value
    binned = tokens[:, 0] >= len(tok._specials(tok.columns[0]))
    np.testing.assert_array_equal(np.argsort(out[binned], kind="stable"), np.argsort(x[binned], kind="stable"))


def test_calibrate_leaves_small_batches_alone(amounts: pd.DataFrame) -> None:
    tok, _ = _fitted(amounts)
    parts, tokens = _drifted(tok, MIN_CALIBRATE - 1, seed=2)
    np.testing.assert_array_equal(tok.calibrate(parts, tokens)["amount"], parts["amount"])


def test_rank_scores_follow_the_value_order() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=500), "k": rng.integers(0, 5, 500),
                       "c": rng.choice(["a", "b", "z"], 500)})
    tok, parts = _fitted(df, bins=8)
    scores = tok.rank_scores(parts, tok.encode(parts))
    names = [c.name for c in tok.columns]
    assert np.all(np.diff(scores[names.index("x")]) > 0)  # bins in value order
    assert np.all(np.diff(scores[names.index("k")]) > 0)  # numerical codes in value order
    assert scores[names.index("c")] == [0.0, 0.0, 0.0]  # an unordered category has no rank


def _ar(**kw: object) -> ARSynthesizer:
    return ARSynthesizer(ARConfig(epochs=3, batch_size=100, hidden=32, embed=4, bins=16, **kw),  # type: ignore[arg-type]
                         random_state=0)


def test_ar_calibration_matches_marginal_keeps_nulls_and_seeds(amounts: pd.DataFrame) -> None:
    df = amounts.assign(y=(np.random.default_rng(1).random(len(amounts)) < 0.3).astype(np.int64))
    meta = Metadata.infer(df, target="y")
    real = df["amount"].dropna()
    ks = {}
    for calibrate in (False, True):
        synth = _ar(calibrate=calibrate).fit(df, meta)
        out = synth.sample(2000, random_state=3)
        ks[calibrate] = stats.ks_2samp(out["amount"].dropna(), real).statistic
        assert abs(out["amount"].isna().mean() - df["amount"].isna().mean()) < 0.03
    assert ks[True] < 0.02 and ks[True] < ks[False]
    synth = _ar().fit(df, meta)
    pd.testing.assert_frame_equal(synth.sample(500, random_state=5), synth.sample(500, random_state=5))
    assert not synth.sample(500, random_state=5).equals(synth.sample(500, random_state=6))
    cond = synth.sample(300, conditions={"y": 1}, random_state=5)  # conditional: not calibrated, still valid
    assert set(cond["y"]) == {1}


def test_ar_rank_scores_learn_numeric_dependence() -> None:
    rng = np.random.default_rng(0)
    x = rng.lognormal(0.0, 1.0, 2000)
    df = pd.DataFrame({"x": x.round(4), "z": (x * rng.lognormal(0.0, 0.2, 2000)).round(4)})
    rho = {}
    for ordinal in (False, True):
        cfg = ARConfig(epochs=8, batch_size=200, hidden=64, embed=8, bins=32, patience=0, ordinal=ordinal)
        out = ARSynthesizer(cfg, random_state=0).fit(df).sample(2000, random_state=0)
        rho[ordinal] = stats.spearmanr(out["x"], out["z"]).statistic
    assert rho[True] > 0.75 and rho[True] > rho[False] + 0.1  # real 0.98; without rank scores 0.55


def test_ar_loads_a_model_saved_before_rank_scores(tmp_path: Path, amounts: pd.DataFrame) -> None:
    synth = _ar(ordinal=False).fit(amounts)
    synth.save(tmp_path / "m")
    config_file = tmp_path / "m" / "config.json"
    doc = json.loads(config_file.read_text())
    params = doc["config"]["params"]["config"]
    for key in ("ordinal", "calibrate"):  # the config of an older save has neither field
        params.pop(key)
    config_file.write_text(json.dumps(doc))
    again = ARSynthesizer.load(tmp_path / "m")
    assert again.config_.ordinal is False
    pd.testing.assert_frame_equal(again.sample(300, random_state=1), synth.sample(300, random_state=1))
