"""Constraints always hold; impossible constraints and bad inputs give clear errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.errors import ConfigError, InvalidDataError
from finloom.synth.tabular import (
    FixedCombinations,
    GaussianCopulaSynthesizer,
    Inequality,
    Range,
    Unique,
)
from finloom.synth.tabular._constraints import constraint_from_dict


def _accounts(n: int = 300) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    limit = rng.choice([1_000, 2_000, 5_000], n)
    city = rng.choice(["Paris", "Lyon", "Berlin"], n)
    return pd.DataFrame({
        "account": rng.choice(50, n),
        "limit": limit,
        "balance": (limit * rng.uniform(0, 1.1, n)).round(),
        "age": rng.integers(18, 90, n),
        "city": city,
        "country": np.where(city == "Berlin", "DE", "FR"),
    })


def test_constraints_hold_in_output() -> None:
    df = _accounts()
    constraints = [
        Range("age", 25, 60), Inequality(low="balance", high="limit"),
        FixedCombinations(("city", "country")), Unique("account"),
    ]
    synth = GaussianCopulaSynthesizer(constraints=constraints, random_state=0).fit(df)
    out = synth.sample(500, random_state=0)
    assert len(out) == 500
    assert out["age"].between(25, 60).all()
    assert (out["limit"] >= out["balance"]).all()
    pairs = set(zip(out["city"], out["country"], strict=True))
    assert pairs <= {("Paris", "FR"), ("Lyon", "FR"), ("Berlin", "DE")}
    assert out["account"].is_unique


def test_constraints_survive_save_load(tmp_path) -> None:
    df = _accounts()
    synth = GaussianCopulaSynthesizer(
        constraints=[FixedCombinations(("city", "country")), Range("age", None, 40)], random_state=0
    ).fit(df)
    synth.save(tmp_path / "m")
    loaded = GaussianCopulaSynthesizer.load(tmp_path / "m")
    pd.testing.assert_frame_equal(loaded.sample(100, random_state=1), synth.sample(100, random_state=1))
    assert constraint_from_dict(Range("age", 1, 2).to_dict()) == Range("age", 1, 2)


def test_impossible_constraint_raises() -> None:
    df = _accounts()
    with pytest.raises(InvalidDataError, match="must hold for some training rows"):
        GaussianCopulaSynthesizer(constraints=[Range("age", 200, 300)]).fit(df)
    with pytest.raises(InvalidDataError, match="Range low must be <= high"):
        GaussianCopulaSynthesizer(constraints=[Range("age", 60, 30)]).fit(df)
    with pytest.raises(InvalidDataError, match="Did you mean 'balance'"):
        GaussianCopulaSynthesizer(constraints=[Inequality(low="balanse", high="limit")]).fit(df)


def test_condition_contradicting_constraint_raises() -> None:
    synth = GaussianCopulaSynthesizer(constraints=[Range("age", 18, 30)], random_state=0).fit(_accounts())
    with pytest.raises(InvalidDataError, match="must be satisfiable"):
        synth.sample(20, conditions={"age": (70, 80)}, random_state=0)


def test_condition_range_outside_data_raises() -> None:
    synth = GaussianCopulaSynthesizer(random_state=0).fit(_accounts())
    with pytest.raises(ConfigError, match="must contain a training value"):
        synth.sample(5, conditions={"age": (150, 160)})


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (pd.DataFrame({"a": []}), "at least 2 rows; got 0"),
        (pd.DataFrame({"a": [1.0]}), "at least 2 rows; got 1"),
        (pd.DataFrame(index=range(3)), "at least 1 column"),
        (pd.DataFrame({"customer_id": range(5)}), "must have a column that is not an id"),
    ],
)
def test_fit_bad_table_raises(frame: pd.DataFrame, message: str) -> None:
    with pytest.raises(InvalidDataError, match=message):
        GaussianCopulaSynthesizer().fit(frame)


def test_fit_rejects_non_dataframe_and_wrong_metadata() -> None:
    with pytest.raises(ConfigError, match="must be a pandas DataFrame; got list"):
        GaussianCopulaSynthesizer().fit([[1, 2]])  # type: ignore[arg-type]
    df = pd.DataFrame({"a": [1.0, 2.0, 3.0]})
    other = Metadata.infer(pd.DataFrame({"b": [1.0, 2.0]}))
    with pytest.raises(InvalidDataError, match="metadata column must be in the data; got 'b'"):
        GaussianCopulaSynthesizer().fit(df, other)


def test_fit_handles_all_null_constant_and_id_columns() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({
        "nothing": [np.nan] * 50, "same": ["x"] * 50,
        "ref": [f"R{i:05d}-{rng.integers(1e6)}" for i in range(50)],  # unique strings -> id
        "x": rng.normal(size=50),
    })
    before = df.copy()
    out = GaussianCopulaSynthesizer(random_state=0).fit(df).sample(80, random_state=0)
    pd.testing.assert_frame_equal(df, before)
    assert out["nothing"].isna().all() and (out["same"] == "x").all()
    assert out["ref"].is_unique and not set(out["ref"]) & set(df["ref"])
