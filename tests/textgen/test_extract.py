from __future__ import annotations

import pytest

from finloom.textgen import extract_dates, extract_numbers, parse_chinese_numeral


@pytest.mark.parametrize(
    ("text", "value"),
    [("三点五", 3.5), ("百", 100), ("一百零五", 105), ("两万三千", 23000), ("三亿五千万", 3.5e8),
     ("十", 10), ("二十", 20), ("两万亿", 2e12)],
)
def test_parse_chinese_numeral(text: str, value: float) -> None:
    assert parse_chinese_numeral(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value", "kind", "tol"),
    [
        ("up 3.5%", 3.5, "percent", 0.05),
        ("up 12 percent", 12, "percent", 0.5),
        ("25 basis points", 0.25, "pp", 0.005),
        ("$1.2 billion", 1.2e9, "currency", 0.05e9),
        ("€300m", 3e8, "currency", 0.5e6),
        ("2.5亿元", 2.5e8, "currency", 0.05e8),
        ("百分之五", 5, "percent", 0.5),
        ("三点五倍", 3.5, "times", 0.05),
        ("1,234.5", 1234.5, "plain", 0.05),
        ("-0.78", -0.78, "plain", 0.005),
    ],
)
def test_extract_numbers_units_scale_tolerance(text: str, value: float, kind: str, tol: float) -> None:
    (n,) = extract_numbers(text)
    assert n.value == pytest.approx(value) and n.kind == kind and n.tol == pytest.approx(tol)


def test_extract_numbers_ignores_common_chinese_words() -> None:
    assert extract_numbers("千万不要一一核对，万一出错十分麻烦") == []


def test_extract_dates_ranges() -> None:
    found = extract_dates("2018年第一季度, March 2018, 2018年3月9日")
    assert [(d.first.isoformat(), d.last.isoformat()) for d in found] == [
        ("2018-01-01", "2018-03-31"), ("2018-03-01", "2018-03-31"), ("2018-03-09", "2018-03-09")]
