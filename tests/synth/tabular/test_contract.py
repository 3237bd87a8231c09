"""One contract test set run over every synthesizer (epochs=1, tiny data)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.errors import ConfigError, NotFittedError
from finloom.synth.tabular import load_synthesizer

from .conftest import FAST


@pytest.fixture(scope="module", params=sorted(FAST))
def fitted(request: pytest.FixtureRequest, table: pd.DataFrame, metadata: Metadata):
    before = table.copy(deep=True)
    synth = FAST[request.param](random_state=0).fit(table, metadata)
    pd.testing.assert_frame_equal(table, before)  # fit never changes the caller's data
    return synth


def test_synthesizer_sample_keeps_shape_dtypes_and_categories(fitted, table: pd.DataFrame) -> None:
    out = fitted.sample(150, random_state=0)
    assert out.shape == (150, table.shape[1])
    assert list(out.columns) == list(table.columns)
    assert out.dtypes.to_dict() == table.dtypes.to_dict()
    assert set(out["city"].dropna()) <= set(table["city"].dropna())
    assert list(out["grade"].cat.categories) == list(table["grade"].cat.categories)
    assert set(out["limit"]) <= set(table["limit"])  # value grid reproduced exactly
    assert out["customer_id"].is_unique
    assert out["balance"].dropna().between(table["balance"].min(), table["balance"].max()).all()


def test_synthesizer_same_seed_same_sample(fitted) -> None:
    pd.testing.assert_frame_equal(fitted.sample(60, random_state=3), fitted.sample(60, random_state=3))


def test_synthesizer_different_seed_different_sample(fitted) -> None:
    a, b = fitted.sample(60, random_state=3), fitted.sample(60, random_state=4)
    assert not a.drop(columns="customer_id").equals(b.drop(columns="customer_id"))


def test_synthesizer_chunks_do_not_change_rows(fitted) -> None:
    whole = fitted.sample(70, random_state=5, chunk_size=30)
    parts = pd.concat(list(fitted.iter_chunks(70, random_state=5, chunk_size=30)), ignore_index=True)
    pd.testing.assert_frame_equal(whole, parts)
    assert len(fitted.sample(0, random_state=0)) == 0


def test_synthesizer_save_load_gives_identical_samples(fitted, tmp_path: Path) -> None:
    fitted.save(tmp_path / "model")
    loaded = type(fitted).load(tmp_path / "model")
    pd.testing.assert_frame_equal(loaded.sample(50, random_state=9), fitted.sample(50, random_state=9))
    assert type(load_synthesizer(tmp_path / "model")) is type(fitted)
    assert not list((tmp_path / "model").glob("*.pkl"))


def test_synthesizer_sample_before_fit_raises(fitted) -> None:
    fresh = type(fitted)()
    with pytest.raises(NotFittedError, match="not fitted yet"):
        fresh.sample(5)
    with pytest.raises(NotFittedError):
        fresh.save("unused")


def test_synthesizer_get_params_returns_init_arguments(fitted) -> None:
    params = fitted.get_params()
    assert set(params) == {"config", "constraints", "random_state", "relations"}
    assert params["random_state"] == 0


def test_synthesizer_exact_target_condition(fitted) -> None:
    out = fitted.sample(80, conditions={"default": 1, "city": "Lyon"}, random_state=1)
    assert len(out) == 80
    assert (out["default"] == 1).all() and (out["city"] == "Lyon").all()


def test_synthesizer_range_condition(fitted) -> None:
    out = fitted.sample(40, conditions={"limit": (15_000, 60_000)}, random_state=1)
    assert out["limit"].isin([20_000, 50_000]).all()


def test_synthesizer_unseen_condition_value_raises(fitted) -> None:
    with pytest.raises(ConfigError, match="must be one of the training values.*Did you mean 'Paris'"):
        fitted.sample(5, conditions={"city": "Pariss"})
    with pytest.raises(ConfigError, match="condition column must be a modelled column"):
        fitted.sample(5, conditions={"citty": "Paris"})


def test_synthesizer_bad_config_raises(fitted, table: pd.DataFrame) -> None:
    bad = type(fitted)(config={"max_discrete": 0})
    with pytest.raises(ConfigError, match="'max_discrete' parameter of .* must be an int >= 1; got 0"):
        bad.fit(table)


def test_synthesizer_keeps_null_rates_for_copula(table: pd.DataFrame, metadata: Metadata) -> None:
    synth = FAST["copula"](random_state=0).fit(table, metadata)
    out = synth.sample(4000, random_state=0)
    for col in ("balance", "city"):
        assert abs(out[col].isna().mean() - table[col].isna().mean()) < 0.02
    assert abs(out["default"].mean() - table["default"].mean()) < 0.03


def test_copula_sample_matches_training_correlation() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    df = pd.DataFrame({"x": x, "y": x + 0.5 * rng.normal(size=2000)})
    synth = FAST["copula"](random_state=0).fit(df)
    out = synth.sample(5000, random_state=1)
    assert abs(out.corr().iloc[0, 1] - df.corr().iloc[0, 1]) < 0.05
