"""Periods in text and in fact values: quarters, halves, FY, months, ranges, relative periods."""

from __future__ import annotations

import datetime as dt

import pytest

from finloom.textgen._periods import find_periods, parse_period, shift_period

Q1 = (dt.date(2024, 1, 1), dt.date(2024, 3, 31))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("rose 7.8% in 2023.", "2023-01-01", "2023-12-31"),  # a year right before a full stop
        ("in the first quarter of 2024", "2024-01-01", "2024-03-31"),
        ("2024年一季度", "2024-01-01", "2024-03-31"),
        ("2024年上半年", "2024-01-01", "2024-06-30"),
        ("H1 2024", "2024-01-01", "2024-06-30"),
        ("1Q24", "2024-01-01", "2024-03-31"),
        ("FY2023", "2023-01-01", "2023-12-31"),
        ("前三季度", "2024-01-01", "2024-09-30"),
        ("between April and June", "2024-04-01", "2024-06-30"),
        ("3月末", "2024-03-01", "2024-03-31"),
        ("last quarter", "2023-10-01", "2023-12-31"),
        ("去年12月", "2023-12-01", "2023-12-31"),
        ("April last year", "2023-04-01", "2023-04-30"),
    ],
)
def test_find_periods_reads_each_form(text: str, first: str, last: str) -> None:
    (p,) = find_periods(text, Q1)
    assert (str(p.first), str(p.last)) == (first, last)


@pytest.mark.parametrize("text", ["APR 24.99% on purchases", "9.9% APR.", "prices may rise", "a 2,024-seat hall"])
def test_find_periods_ignores_lookalikes(text: str) -> None:
    assert find_periods(text, Q1) == []


def test_parse_period_values_and_shift() -> None:
    assert parse_period("2024-Q3") == (dt.date(2024, 7, 1), dt.date(2024, 9, 30))
    assert parse_period({"start": "2024-01-02", "end": "2024-03-29"}) == (dt.date(2024, 1, 2), dt.date(2024, 3, 29))
    assert parse_period("whenever") is None
    assert shift_period(*Q1, years=-1) == (dt.date(2023, 1, 1), dt.date(2023, 3, 31))


@pytest.mark.parametrize(("text", "written", "first", "last"), [
    ("NPL ratio 1.52% in 2024 Q1.", "2024 Q1", "2024-01-01", "2024-03-31"),
    ("profit in 2023 H1", "2023 H1", "2023-01-01", "2023-06-30"),
    ("in the 2023 first quarter", "2023 first quarter", "2023-01-01", "2023-03-31"),
    ("revenue in 2023 2Q", "2023 2Q", "2023-04-01", "2023-06-30"),
])
def test_a_year_before_a_part_of_a_year_is_that_part_of_that_year(text: str, written: str, first: str, last: str) -> None:
    anchor = (dt.date(2024, 1, 1), dt.date(2024, 6, 30))  # the part alone would take the anchor's year
    (p,) = find_periods(text, anchor)
    assert (p.text, str(p.first), str(p.last)) == (written, first, last)


def test_a_year_and_a_later_part_in_another_phrase_stay_apart() -> None:
    anchor = (dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert [p.text for p in find_periods("from 2023 to H1", anchor)] == ["2023", "H1"]
