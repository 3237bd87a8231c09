"""CSV dtype inference: decimals with many digits stay numbers, long integer codes stay text."""

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
