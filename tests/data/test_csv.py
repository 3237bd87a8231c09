"""parse_csv options used by the text-model readers: files without a header, values kept as text."""

from __future__ import annotations

import pytest

from finloom.data._csv import parse_csv
from finloom.errors import InvalidDataError


def test_parse_csv_without_header_numbers_columns_from_one():
    df = parse_csv("Sales fell .@negative\nProfit rose 5 %@positive\n", sep="@", header=False)
    assert list(df.columns) == ["1", "2"] and df["1"].tolist() == ["Sales fell .", "Profit rose 5 %"]


def test_parse_csv_without_dtypes_keeps_exact_text():
    df = parse_csv("text,label\nNA,1.50\n,true\n", dtypes=False)
    assert df.values.tolist() == [["NA", "1.50"], ["", "true"]]
    assert parse_csv("text,label\nNA,1.50\n,true\n")["label"].tolist() == ["1.50", "true"]  # mixed: text


def test_parse_csv_without_header_names_ragged_lines_against_the_first():
    with pytest.raises(InvalidDataError, match="must have 2 fields like the first line; got 1 row.*at line.s. 3"):
        parse_csv("a@x\nb@y\nc@d@z\n", sep="@", header=False)
