"""Each candidate kind found on a tiny table where it was planted, and only there."""

from __future__ import annotations

import numpy as np
import pandas as pd

from finloom.apps.insights import find_insights


def _kinds(found):
    return [(c.kind, c.measure, c.dimension or c.other, c.value) for c in found.insights]


def test_trend_break_found_with_its_month(table):
    df, month = table
    df.loc[month >= 12, "amount"] += 8.0
    found = find_insights(df, target="default")
    top = found.insights[0]
    assert (top.kind, top.measure, top.direction) == ("trend_break", "amount", "up")
    assert top.period[0].isoformat() == "2024-01-01"
    assert 7 < top.numbers["change"] < 9


def test_steady_trend_found_as_trend(table):
    df, month = table
    df["amount"] = df["amount"] + month * 0.8
    found = find_insights(df, target="default")
    assert ("trend", "amount", None, None) in _kinds(found)


def test_segment_with_a_different_rate(table):
    df, _ = table
    rng = np.random.default_rng(1)
    north = (df["region"] == "North").to_numpy()
    df.loc[north, "default"] = (rng.random(north.sum()) < 0.3).astype(int)
    found = find_insights(df, target="default")
    seg = next(c for c in found.insights if c.kind == "segment")
    assert (seg.measure, seg.dimension, seg.value, seg.direction) == (
        "default",
        "region",
        "North",
        "up",
    )
    assert seg.numbers["segment"] > 0.25 > 0.12 > seg.numbers["rest"]


def test_driver_of_the_target_with_direction(table):
    df, _ = table
    rng = np.random.default_rng(2)
    z = (df["balance"] - 50) / 5
    df["default"] = (rng.random(len(df)) < 1 / (1 + np.exp(-(-2.2 - 1.2 * z)))).astype(int)
    found = find_insights(df, target="default")
    driver = next(c for c in found.insights if c.kind == "driver")
    assert (driver.other, driver.direction) == ("balance", "down")
    assert driver.numbers["low"] > driver.numbers["high"]


def test_anomaly_burst_in_one_month(table):
    df, month = table
    df.loc[month == 9, "balance"] += 6.0
    found = find_insights(df, target="default")
    anomaly = next(c for c in found.insights if c.kind == "anomaly")
    assert anomaly.measure == "balance" and anomaly.period[0].isoformat() == "2023-10-01"


def test_change_concentrated_in_one_value(table):
    df, month = table
    df.loc[(month >= 18) & (df["channel"] == "online").to_numpy(), "amount"] += 15.0
    found = find_insights(df, target="default")
    assert ("contributor", "amount", "channel", "online") in _kinds(found)


def test_strong_correlation(table):
    df, _ = table
    df["balance"] = df["amount"] * 0.5 + np.random.default_rng(3).normal(0, 2, len(df))
    found = find_insights(df, target="default")
    assert ("correlation", "amount", "balance", None) in _kinds(found)


def test_period_over_period_change_in_the_last_month(table):
    df, month = table
    df.loc[month == 23, "amount"] += 10.0
    found = find_insights(df, target="default")
    kinds = {c.kind for c in found.insights if c.measure == "amount"}
    assert kinds & {"period_change", "anomaly", "trend_break"}


def test_null_table_yields_nothing_and_says_so(table):
    from finloom.apps.insights import build_report, render_html

    df, _ = table
    found = find_insights(df, target="default")
    assert found.empty and found.n_candidates > 20
    html = render_html(build_report(found, "null", with_charts=False))
    assert "No clear structure" in html and f"none of the {found.n_candidates} patterns" in html


def test_the_caller_data_is_left_unchanged(table):
    df, _ = table
    before = df.copy()
    find_insights(df, target="default")
    pd.testing.assert_frame_equal(df, before)


def test_same_seed_same_insights(table):
    df, month = table
    df.loc[month >= 12, "amount"] += 8.0
    a = [c.to_dict() for c in find_insights(df, seed=4).insights]
    b = [c.to_dict() for c in find_insights(df, seed=4).insights]
    assert a == b
