"""CSV parsing: decimals with many digits stay numbers, long codes stay text, bad separators,
and the options used by the text-model readers (no header row, values kept as text)."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from finloom.data import infer_metadata, read_table
from finloom.data._csv import parse_csv
from finloom.data._dtypes import infer_dtypes
from finloom.errors import InvalidDataError


def test_parse_csv_keeps_long_decimals_as_floats():
    df = parse_csv("x,y\n0.30000000000000004,1.2345678901234567e-05\n0.1,2.5\n")
    assert df.dtypes.astype(str).tolist() == ["float64", "float64"]
    assert df["x"].iloc[0] == 0.30000000000000004
    assert df["y"].iloc[0] == 1.2345678901234567e-05


def test_random_floats_are_numerical_not_ids():
    rng = random.Random(0)
    text = "score\n" + "".join(f"{rng.random()!r}\n" for _ in range(20))
    df = read_table(text.encode())
    assert str(df["score"].dtype) == "float64"
    assert infer_metadata(df).kind_of("score").value == "numerical"


def test_long_integer_codes_stay_text():
    df = infer_dtypes(pd.DataFrame({"card": ["1234567890123456", "-1234567890123457"], "n": ["1", "2"]}))
    assert df.dtypes.astype(str).tolist() == ["str", "int64"]
    assert df["card"].tolist() == ["1234567890123456", "-1234567890123457"]


@pytest.mark.parametrize("sep", ["ab", '"', "\n"])
def test_parse_csv_bad_sep_is_a_clear_error(sep):
    with pytest.raises(InvalidDataError, match=r"sep must be one character other than a quote"):
        read_table(b"a,b\n1,2\n", sep=sep)


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
