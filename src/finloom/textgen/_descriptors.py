"""What a facts object says in words besides its numbers: the product, segment, merchant, card or
indicator its figures are about (``{"customer": "Mr Okafor", "product": "car loan", ...}``).

The loader keeps these descriptors on the :class:`FactSet` so that the guard can tell a figure given
to a sibling (a personal loan, 公司金融, Korea's CPI) from one given to the thing the facts describe,
and an indicator that names a change ("Eurozone exports yoy") gives its bare ``value`` a direction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from finloom.textgen._facts import Fact
from finloom.textgen._periods import parse_period

__all__ = ["MEASURE_KEYS", "descriptors_of", "directed_by_descriptors"]

_NOT_DESCRIPTORS = {"aliases", "source", "sources", "notes", "note", "comment", "unit", "units", "currency",
                    "description", "title", "lang", "language", "id", "type", "scale", "metric", "label",
                    "direction", "period", "quarter", "month", "year", "fiscal_year", "reporting_period", "window",
                    "as_of", "as_at", "date", "asof", "report_date", "data_date", "status", "rating"}
_NUMBER = re.compile(r"^\s*[-+−]?\d[\d,]*(?:\.\d+)?\s*(?:%|％|pp|bp|bps|x)?\s*$", re.I)
# Keys whose text names the measure the bare figures are ("indicator": "Eurozone exports yoy")
MEASURE_KEYS = {"indicator", "series", "measure", "statistic", "item", "metric_name", "indicator_name"}
_BARE_LABELS = {"value", "actual", "reading", "latest", "figure", "print", "数值", "值"}
_CHANGE_NAME = re.compile(r"(?<![a-z])(?:yoy|y/y|mom|m/m|qoq|q/q|growth|change|year on year|year-on-year)(?![a-z])|"
                          r"同比|环比|增速|增长率|涨跌幅", re.I)


def descriptors_of(data: Mapping[str, Any] | Sequence[Any]) -> tuple[tuple[str, str], ...]:
    """The ``(key, text)`` pairs of a facts object whose values are words, not numbers, dates or periods.

    Examples
    --------
    >>> descriptors_of({"customer": "Mr Okafor", "product": "car loan", "period": "2025-10",
    ...                 "outstanding_usd": 18420.75})
    (('customer', 'Mr Okafor'), ('product', 'car loan'))
    >>> descriptors_of({"indicator": "Japan CPI yoy", "value_pct": 2.9, "release": "2025-10-24"})
    (('indicator', 'Japan CPI yoy'),)
    """
    out: list[tuple[str, str]] = []

    def walk(obj: Any) -> None:
        if isinstance(obj, Mapping):
            for key, value in obj.items():
                low = str(key).lower()
                if isinstance(value, str):
                    text = value.strip()
                    if low not in _NOT_DESCRIPTORS and text and not _NUMBER.match(text) and parse_period(text) is None \
                            and (str(key), text) not in out:
                        out.append((str(key), text))
                elif isinstance(value, Mapping | list) and low != "aliases":
                    walk(value)
        elif isinstance(obj, list):
            for item in obj:
                walk(item)

    walk(data)
    return tuple(out)


def directed_by_descriptors(facts: Sequence[Fact], descriptors: Sequence[tuple[str, str]]) -> list[Fact]:
    """Give a direction to bare figures (``value_pct``) of an indicator whose name says it is a change.

    Examples
    --------
    >>> f = Fact("v", -3.2, unit="%", label="value")
    >>> directed_by_descriptors([f], [("indicator", "Eurozone exports yoy")])[0].direction
    'down'
    >>> directed_by_descriptors([f], [("indicator", "US unemployment rate")])[0].direction is None
    True
    """
    measures = [text for key, text in descriptors if key.lower() in MEASURE_KEYS]
    if len(measures) != 1 or not _CHANGE_NAME.search(measures[0]):
        return list(facts)
    out = []
    for f in facts:
        if f.direction is None and f.unit == "%" and f.label in _BARE_LABELS:
            f = replace(f, direction="down" if f.value < 0 else "up" if f.value > 0 else "flat")
        out.append(f)
    return out
