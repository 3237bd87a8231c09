from __future__ import annotations

import datetime as dt

import pytest

from finloom.errors import InvalidDataError, NotFoundError
from finloom.textgen import Fact, FactSet, format_date, format_value


def test_factset_empty_raises_clear_error() -> None:
    with pytest.raises(InvalidDataError, match="facts must be a non-empty sequence of Fact; got 0 facts"):
        FactSet([])


def test_factset_duplicate_and_nonfinite_reported_together() -> None:
    with pytest.raises(InvalidDataError) as err:
        FactSet([Fact("a", 1.0), Fact("a", float("nan"))])
    assert len(err.value.problems) == 2


def test_factset_unknown_id_suggests_close_match(facts: FactSet) -> None:
    with pytest.raises(NotFoundError, match="Did you mean 'SPX:return'"):
        facts["SPX:retrun"]


def test_format_value_percent_currency_and_scale() -> None:
    pct = Fact("r", -3.456, unit="%", direction="down")
    assert format_value(pct, "en") == "3.46%"
    assert format_value(pct, "en", signed=True) == "-3.46%"
    cur = Fact("c", 25_000_000.0, unit="currency", currency="CNY", decimals=0)
    assert format_value(cur, "zh") == "2,500万元"
    assert format_value(Fact("p", 0.5, unit="pp"), "zh") == "0.50个百分点"


def test_format_date_styles_state_same_day() -> None:
    day = dt.date(2018, 3, 9)
    assert {format_date(day, "en", s) for s in range(3)} == {"2018-03-09", "9 March 2018", "March 9, 2018"}
    assert format_date(day, "zh") == "2018年3月9日"


def test_factset_aliases_include_labels(facts: FactSet) -> None:
    assert set(facts.aliases("SPX")) == {"SPX", "S&P 500", "标普500指数"}
