"""Drill-down: a question about a month answered by decomposing that month's change; slice filters."""

from __future__ import annotations

import pytest

from finloom.apps.insights import build_report, drill_down, render_html
from finloom.errors import ConfigError, InvalidDataError


def test_why_did_defaults_rise_names_the_region(table):
    df, month = table
    df.loc[(month == 14) & (df["region"] == "East").to_numpy(), "default"] = 1
    found = drill_down(df, question="Why did defaults rise in March?")
    first, second = found.insights[:2]
    assert (first.kind, first.measure, first.direction) == ("period_change", "default", "up")
    assert first.period[0].isoformat() == "2024-03-01"
    assert (second.kind, second.dimension, second.value) == ("contributor", "region", "East")
    assert second.numbers["share"] > 50
    for lang in ("en", "zh"):
        assert all(
            n.ok for n in build_report(found, "loans", lang=lang, with_charts=False).sentences
        )


def test_question_in_chinese_and_unknown_month(table):
    df, _ = table
    question = "为什么2023年5月amount下降？"
    found = drill_down(df, question=question)
    first = found.insights[0]
    assert first.measure == "amount" and first.period[0].isoformat() == "2023-05-01"
    assert len(found.insights) == 1  # noise: no value explains the change
    html = render_html(build_report(found, "t", lang="zh", with_charts=False, question=question))
    assert question in html and "没有任何单一维度取值能解释" in html
    with pytest.raises(ConfigError, match="question must name a month present in the data"):
        drill_down(df, question="why did amount fall in 2030-01?")


def test_slice_filter_runs_the_search_on_the_slice(table):
    df, month = table
    north = (df["region"] == "North").to_numpy()
    df.loc[north & (month >= 12), "amount"] += 12.0
    found = drill_down(df, where={"region": "North"})
    assert found.filters == {"region": "North"} and found.n_rows == int(north.sum())
    assert found.insights[0].kind == "trend_break"
    with pytest.raises(InvalidDataError, match="filter must keep some rows"):
        drill_down(df, where={"region": "Mars"})
    with pytest.raises(
        ConfigError, match="filter column must be a column of the dataset; got 'regoin'"
    ):
        drill_down(df, where={"regoin": "North"})
