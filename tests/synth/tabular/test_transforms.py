"""Column plans and the matrix encoding: exact round trips, grids, spikes, nulls, dtypes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from finloom.data import Metadata
from finloom.synth.tabular import TableEncoder
from finloom.synth.tabular._columns import TablePlan, _grid_step


def test_table_plan_round_trip_is_exact(table: pd.DataFrame, metadata: Metadata) -> None:
    plan = TablePlan.fit(table, metadata)
    back = plan.merge(plan.split(table), n=len(table))
    pd.testing.assert_frame_equal(back.drop(columns="customer_id"), table.drop(columns="customer_id"))


@pytest.mark.parametrize("numerical", ["gmm", "quantile"])
def test_table_encoder_round_trip_keeps_discrete_columns(
    table: pd.DataFrame, metadata: Metadata, numerical: str
) -> None:
    enc = TableEncoder(numerical=numerical).fit(table, metadata, random_state=0)
    back = enc.decode(enc.encode(table, random_state=0))
    for col in ("limit", "city", "grade", "active", "default"):
        pd.testing.assert_series_equal(back[col], table[col])
    assert (back["opened"] == back["opened"].dt.normalize()).all()  # dates stay on whole days
    assert back["balance"].isna().equals(table["balance"].isna())  # null indicator exact
    err = (back["balance"] - table["balance"]).abs().dropna()
    assert err.max() < 0.05 * table["balance"].std()


def test_table_encoder_state_round_trip(table: pd.DataFrame, metadata: Metadata) -> None:
    enc = TableEncoder().fit(table, metadata, random_state=0)
    again = TableEncoder.from_state(enc.state())
    np.testing.assert_array_equal(again.encode(table, random_state=1), enc.encode(table, random_state=1))


def test_grid_step_detects_round_amounts() -> None:
    rng = np.random.default_rng(0)
    assert _grid_step(rng.integers(1, 500, 200) * 10_000.0, 0) == 10_000
    assert _grid_step(rng.integers(1, 500, 200) * 0.25, 2) == 0.25
    assert _grid_step(rng.integers(1, 90_001, 200) * 1.0, 0) == 0.0


def test_table_plan_snaps_continuous_values_to_grid() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"limit": rng.integers(1, 400, 500) * 1_000})  # ~330 values: continuous
    plan = TablePlan.fit(df, Metadata.infer(df))
    col = plan.columns[0]
    assert col.role == "continuous" and col.step == 1_000
    snapped = plan.merge({"limit": np.array([51_234.0, 987_654.0, -5.0])}, n=3)["limit"]
    assert snapped.tolist() == [51_000, int(df["limit"].max()), int(df["limit"].min())]
    assert snapped.dtype == np.int64


def test_table_plan_keeps_spikes_of_continuous_column() -> None:
    rng = np.random.default_rng(0)
    pay = np.where(rng.random(1000) < 0.3, 0.0, rng.gamma(2.0, 800.0, 1000).round())
    df = pd.DataFrame({"pay": pay})
    plan = TablePlan.fit(df, Metadata.infer(df))
    assert 0.0 in plan.columns[0].values


def test_table_plan_handles_all_null_and_constant_columns() -> None:
    df = pd.DataFrame({"empty": [np.nan] * 10, "same": [3] * 10, "x": np.arange(10.0)})
    plan = TablePlan.fit(df, Metadata.infer(df))
    back = plan.merge(plan.split(df), n=10)
    pd.testing.assert_frame_equal(back, df)
