"""Transaction streams: demo process, synthesizer contract and schemas, anomaly label rates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from finloom.errors import ConfigError, InvalidDataError, NotFittedError
from finloom.synth.transactions import TransactionSynthesizer, inject_anomalies, make_demo_tables


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return make_demo_tables(60, days=28, random_state=0)


def test_demo_tables_follow_the_documented_process(tables) -> None:
    customers, tx = tables
    assert customers["account_id"].is_unique and len(customers) == 60
    assert tx["timestamp"].is_monotonic_increasing
    per_day = tx.groupby(tx["timestamp"].dt.dayofweek).size()
    assert per_day.loc[[5, 6]].mean() > per_day.loc[[0, 1, 2, 3, 4]].mean()  # weekends busier
    assert (
        0.01
        < (
            tx["country"] != tx["account_id"].map(customers.set_index("account_id")["home_country"])
        ).mean()
        < 0.06
    )
    assert make_demo_tables(5, days=3, random_state=1)[1].equals(
        make_demo_tables(5, days=3, random_state=1)[1]
    )


def test_synthesizer_contract_and_schema(tables, tmp_path: Path) -> None:
    customers, tx = tables
    before = tx.copy()
    model = TransactionSynthesizer()
    with pytest.raises(NotFittedError):
        model.sample(3)
    assert model.fit(customers, tx) is model
    pd.testing.assert_frame_equal(tx, before)
    new_c, new_tx = model.sample(40, days=28, random_state=0)
    assert list(new_c.columns) == list(customers.columns)
    assert list(new_tx.columns) == list(tx.columns)
    assert set(new_tx["merchant_category"]) <= set(tx["merchant_category"])
    assert new_tx["account_id"].isin(new_c["account_id"]).all()
    ratio = len(new_tx) / 40 / (len(tx) / 60)
    assert 0.6 < ratio < 1.6
    med_real = tx.groupby("merchant_category")["amount"].median()
    med_syn = new_tx.groupby("merchant_category")["amount"].median()
    assert (np.abs(np.log(med_syn / med_real.loc[med_syn.index])) < 0.5).all()
    again = model.sample(40, days=28, random_state=0)[1]
    pd.testing.assert_frame_equal(again, new_tx)
    model.save(tmp_path / "tx")
    loaded = TransactionSynthesizer.load(tmp_path / "tx")
    pd.testing.assert_frame_equal(loaded.sample(40, days=28, random_state=0)[1], new_tx)


def test_synthesizer_rejects_bad_tables(tables) -> None:
    customers, tx = tables
    with pytest.raises(InvalidDataError, match="'amount' column"):
        TransactionSynthesizer().fit(customers, tx.drop(columns="amount"))
    orphan = tx.copy()
    orphan.loc[0, "account_id"] = "nobody"
    with pytest.raises(InvalidDataError, match="1 unknown"):
        TransactionSynthesizer().fit(customers, orphan)


def test_demo_times_wrap_around_midnight(tables) -> None:
    _, tx = tables
    clock = tx["timestamp"].dt.strftime("%H:%M:%S")
    assert (
        clock.value_counts(normalize=True).iloc[0] < 0.002
    )  # no pile-up at one instant (23:59:24)
    night = tx["timestamp"].dt.hour < 5
    assert 0.005 < night.mean() < 0.08


def test_synthesizer_keeps_home_country_amount_levels_and_labels(tables) -> None:
    customers, tx = tables
    labelled = inject_anomalies(tx, rates={"mule": 0.05}, random_state=0)
    new_c, new_tx = (
        TransactionSynthesizer().fit(customers, labelled).sample(60, days=28, random_state=0)
    )
    assert list(new_tx.columns) == list(labelled.columns)
    assert (new_tx["anomaly_type"] == "none").all() and not new_tx["is_anomaly"].any()
    home = new_tx["account_id"].map(new_c.set_index("account_id")["home_country"])
    assert (new_tx["country"] != home).mean() < 0.08
    spread = {
        name: np.log(t.groupby("account_id")["amount"].median()).std()
        for name, t in (("real", tx), ("synthetic", new_tx))
    }
    assert abs(spread["synthetic"] - spread["real"]) < 0.25


def test_injected_label_rates_match_configuration(tables) -> None:
    _, tx = tables
    rates = {
        "card_testing": 0.05,
        "account_takeover": 0.1,
        "structuring": 0.05,
        "mule": 0.05,
        "bust_out": 0.1,
    }
    out = inject_anomalies(tx, rates=rates, threshold=10_000, after="2024-01-08", random_state=0)
    assert len(out) > len(tx) and out["is_anomaly"].dtype == bool
    for name, rate in rates.items():
        accounts = out.loc[out["anomaly_type"] == name, "account_id"].nunique()
        assert accounts == round(rate * 60)
    assert out.loc[out["is_anomaly"], "timestamp"].min() >= pd.Timestamp("2024-01-08")
    structuring = out.loc[out["anomaly_type"] == "structuring", "amount"]
    assert ((structuring < 10_000) & (structuring >= 6_000)).all()
    mule = out[out["anomaly_type"] == "mule"]
    assert set(mule["direction"]) == {"in", "out"}
    assert (~out.loc[out["anomaly_type"] == "none", "is_anomaly"]).all()
    assert set(tx["transaction_id"]) <= set(out["transaction_id"])


def test_inject_rejects_bad_rates(tables) -> None:
    _, tx = tables
    with pytest.raises(ConfigError, match="anomaly type must be one of"):
        inject_anomalies(tx, rates={"unusual_geography": 0.1})
    with pytest.raises(ConfigError, match=r"in \[0, 1\]"):
        inject_anomalies(tx, rates={"structuring": 2.0})
